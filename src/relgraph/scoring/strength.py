"""Relationship strength, health and channel state (DOMAIN.md §2, seed 002).

This module is pure: plain functions over frozen dataclasses, no database, no I/O,
no clock and no mutable globals. Every time is an integer count of epoch
milliseconds (UTC); every duration parameter is in days. The maths is documented in
``docs/strength.md``; the docstrings here say *why* each piece is shaped as it is.

Vocabulary: a pair of stakeholders (a, b) is kept unordered with ``a < b`` by id;
``a_to_b`` means the interaction was started by ``a``. An *event* is the tuple
``(a_to_b, weight, at_ms, sentiment, answer)`` -- the weight already computed by
:func:`interaction_weight` for the direction it was started in, and the ``answer``
weight it adds to the other direction (:func:`answer_weight`: half the weight for an
exchange, 0 for one-way contact), so a history can be replayed without the type table.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from relgraph.domain.enums import ChannelState, HealthBand, InteractionType

MS_PER_DAY = 86_400_000
DURATION_SCALE_DAYS = 365.0
TREND_SHORT_DAYS = 30.0
TREND_LONG_DAYS = 90.0

#: ``(a_to_b, weight, at_ms, sentiment, answer)`` -- one interaction of a pair's history:
#: ``weight`` goes to the direction it was started in, ``answer`` to the other one.
Event = tuple[bool, float, int, float | None, float]

# Machine-readable reasons returned by :func:`channel_state`.
REASON_SILENT = "SILENT"
REASON_ENDED = "ENDED"
REASON_WEAK = "WEAK"
REASON_FALLING = "FALLING"
REASON_ONE_WAY = "ONE_WAY"
REASON_OVERDUE_COMPLAINT = "OVERDUE_COMPLAINT"

DEFAULT_WEIGHTS: Mapping[InteractionType, float] = MappingProxyType(
    {
        InteractionType.MEETING: 3.0,
        InteractionType.VISIT: 3.0,
        InteractionType.EVENT: 2.0,
        InteractionType.CALL: 2.0,
        InteractionType.ORDER: 2.0,
        InteractionType.SERVICE: 2.0,
        InteractionType.EMAIL: 1.0,
        InteractionType.MESSAGE: 1.0,
        InteractionType.FEEDBACK: 1.0,
        InteractionType.COMPLAINT: 1.0,
    }
)

#: Exchanges run both ways: the other side took part and answered (an ORDER is answered by
#: its delivery), so these add ``ANSWER_SHARE`` of their weight to the other direction too.
#: EMAIL, MESSAGE, FEEDBACK and COMPLAINT count only where they were started: an
#: unanswered email is one-way.
TWO_WAY_TYPES: frozenset[InteractionType] = frozenset({
    InteractionType.MEETING,
    InteractionType.VISIT,
    InteractionType.CALL,
    InteractionType.EVENT,
    InteractionType.SERVICE,
    InteractionType.ORDER,
})
ANSWER_SHARE = 0.5

#: Which rule the stored running states were built under. 1: every interaction counted
#: only where it was started; 2: exchanges (`TWO_WAY_TYPES`) also count for the other
#: direction. A store keeps the version its states were built under and rebuilds them
#: when it is older than this (`GraphStore.setup`).
STRENGTH_RULE_VERSION = 2


# --------------------------------------------------------------------------- params


def _check(condition: bool, message: str) -> None:
    """Raise ValueError so a bad configuration fails at construction, not mid-score."""
    if not condition:
        raise ValueError(message)


def _finite(x: float) -> bool:
    """True for a real, finite number (rejects NaN and infinities that poison sums)."""
    return isinstance(x, (int, float)) and math.isfinite(x)


def _freeze_weights(weights: Mapping[InteractionType, float]) -> Mapping[InteractionType, float]:
    """Copy the weight table into a read-only mapping keyed by the enum.

    Copying keeps the params truly immutable even if the caller later mutates their
    dict; coercing keys through ``InteractionType`` accepts plain strings from config.
    """
    frozen = {InteractionType(k): float(v) for k, v in weights.items()}
    missing = sorted(t.value for t in InteractionType if t not in frozen)
    _check(not missing, f"weights missing for: {', '.join(missing)}")
    _check(all(_finite(v) and v >= 0 for v in frozen.values()), "weights must be finite and >= 0")
    return MappingProxyType(frozen)


@dataclass(frozen=True)
class StrengthParams:
    """Every tunable of the strength model, with DOMAIN.md §2's reference defaults."""

    weights: Mapping[InteractionType, float] = field(
        default_factory=lambda: DEFAULT_WEIGHTS, hash=False
    )
    half_life_days: float = 90.0
    saturation_k: float = 6.0
    complaint_default_sentiment: float = -0.5
    excellent: float = 0.75
    good: float = 0.5
    fair: float = 0.25
    broken_silence_half_lives: float = 2.0
    broken_below: float = 0.05
    blocked_drop: float = 0.30
    blocked_window_days: float = 90.0
    blocked_reciprocity: float = 0.2
    single_threaded_share: float = 0.5

    def __post_init__(self) -> None:
        """Validate once so the scoring functions can trust their parameters."""
        object.__setattr__(self, "weights", _freeze_weights(self.weights))
        _check(_finite(self.half_life_days) and self.half_life_days > 0, "half_life_days must be > 0")
        _check(_finite(self.saturation_k) and self.saturation_k > 0, "saturation_k must be > 0")
        _check(-1.0 <= self.complaint_default_sentiment <= 1.0, "complaint_default_sentiment in [-1, 1]")
        _check(0.0 <= self.fair <= self.good <= self.excellent <= 1.0, "need 0 <= fair <= good <= excellent <= 1")
        _check(_finite(self.broken_silence_half_lives) and self.broken_silence_half_lives > 0,
               "broken_silence_half_lives must be > 0")
        _check(0.0 <= self.broken_below <= 1.0, "broken_below in [0, 1]")
        _check(0.0 < self.blocked_drop <= 1.0, "blocked_drop in (0, 1]")
        _check(_finite(self.blocked_window_days) and self.blocked_window_days > 0, "blocked_window_days must be > 0")
        _check(0.0 <= self.blocked_reciprocity <= 1.0, "blocked_reciprocity in [0, 1]")
        _check(0.0 <= self.single_threaded_share <= 1.0, "single_threaded_share in [0, 1]")

    @property
    def half_life_ms(self) -> float:
        """H in milliseconds, the unit every timestamp uses."""
        return self.half_life_days * MS_PER_DAY


DEFAULT_PARAMS = StrengthParams()


# --------------------------------------------------------------------------- weights


def _check_sentiment(sentiment: float | None) -> None:
    """Sentiment is defined on [-1, 1]; outside it a weight could turn negative."""
    if sentiment is not None:
        _check(_finite(sentiment) and -1.0 <= sentiment <= 1.0, f"sentiment {sentiment!r} not in [-1, 1]")


def interaction_weight(
    kind: InteractionType, sentiment: float | None, params: StrengthParams = DEFAULT_PARAMS
) -> float:
    """Weight one interaction adds: ``w(type) * (1 + 0.5 * sentiment)``.

    The sentiment factor lies in [0.5, 1.5], so even a hostile contact keeps the
    channel warm a little (it still *is* contact) while a warm one counts more. An
    unrated complaint is assumed negative (``complaint_default_sentiment``); any
    other unrated interaction is neutral.
    """
    _check_sentiment(sentiment)
    kind = InteractionType(kind)
    if sentiment is None:
        sentiment = params.complaint_default_sentiment if kind is InteractionType.COMPLAINT else 0.0
    return params.weights[kind] * (1.0 + 0.5 * sentiment)


def answer_weight(kind: InteractionType, weight: float) -> float:
    """What one interaction of weight ``weight`` adds to the other direction.

    An exchange (`TWO_WAY_TYPES`) was answered by the other side, so it counts half its
    weight their way too, at the same moment; one-way contact adds nothing.
    """
    return ANSWER_SHARE * weight if InteractionType(kind) in TWO_WAY_TYPES else 0.0


def make_event(
    kind: InteractionType,
    a_to_b: bool,
    at_ms: int,
    sentiment: float | None = None,
    params: StrengthParams = DEFAULT_PARAMS,
) -> Event:
    """Build the ``(a_to_b, weight, at_ms, sentiment, answer)`` tuple that replay/trend consume."""
    weight = interaction_weight(kind, sentiment, params)
    return (a_to_b, weight, at_ms, sentiment, answer_weight(kind, weight))


def orient(initiator_id: str, other_id: str) -> tuple[str, str, bool]:
    """Map (who started it, the other party) to the pair key ``(a, b)`` and ``a_to_b``.

    One running state is kept per unordered pair, so the direction must be derived
    from the canonical order (a < b by id) the same way everywhere.
    """
    _check(initiator_id != other_id, "an interaction needs two distinct parties")
    if initiator_id < other_id:
        return initiator_id, other_id, True
    return other_id, initiator_id, False


# --------------------------------------------------------------------------- state


@dataclass(frozen=True)
class PairState:
    """The O(1) running state kept per unordered pair (a, b), a < b by id.

    Each direction's intensity is stored *decayed to that direction's last event*
    (``last_ab_ms`` / ``last_ba_ms``), never to "now": that makes the state a pure
    function of the history, independent of when it was last read.
    """

    intensity_ab: float = 0.0
    last_ab_ms: int | None = None
    intensity_ba: float = 0.0
    last_ba_ms: int | None = None
    first_ms: int | None = None
    last_ms: int | None = None
    count: int = 0
    sentiment_sum: float = 0.0
    sentiment_count: int = 0


def _decay_factor(elapsed_ms: float, params: StrengthParams) -> float:
    """``2^(-elapsed/H)``, clamped to 1 for non-positive elapsed time."""
    if elapsed_ms <= 0:
        return 1.0
    return 2.0 ** (-elapsed_ms / params.half_life_ms)


def decay(intensity: float, from_ms: int | None, to_ms: int, params: StrengthParams = DEFAULT_PARAMS) -> float:
    """Decay an intensity stored at ``from_ms`` forward to ``to_ms``: ``I * 2^(-(to-from)/H)``.

    Time never runs backwards here: if ``to_ms <= from_ms`` (or there is no
    ``from_ms``) the intensity is returned unchanged. Growing an intensity "back in
    time" would not remove the later events it contains, so it would be wrong either
    way; true as-of queries replay the history instead (:func:`strength_as_of`), and
    late-arriving events are folded in by :func:`apply_interaction`, which decays the
    *new* weight rather than the stored intensity.
    """
    if from_ms is None:
        return intensity
    return intensity * _decay_factor(to_ms - from_ms, params)


def _check_weight(weight: float) -> None:
    """Negative or non-finite weights would break S in [0, 1]; reject them early."""
    _check(_finite(weight) and weight >= 0.0, f"weight {weight!r} must be finite and >= 0")


def _fold(
    intensity: float, last_ms: int | None, weight: float, at_ms: int, params: StrengthParams
) -> tuple[float, int]:
    """Add one weight to one direction, in order or late, keeping the sum exact.

    In order (``at >= last``): decay the stored sum to ``at`` and add ``w``. Late
    (``at < last``): the stored sum stays anchored at ``last`` and the new weight is
    decayed to it, ``w * 2^(-(last - at)/H)`` -- the same term a full recomputation
    would contain, so the result does not depend on arrival order.
    """
    if last_ms is None:
        return weight, at_ms
    if at_ms >= last_ms:
        return decay(intensity, last_ms, at_ms, params) + weight, at_ms
    return intensity + weight * _decay_factor(last_ms - at_ms, params), last_ms


def _min_opt(x: int | None, y: int) -> int:
    """min() that treats None as 'no value yet'."""
    return y if x is None else min(x, y)


def _max_opt(x: int | None, y: int) -> int:
    """max() that treats None as 'no value yet'."""
    return y if x is None else max(x, y)


def apply_interaction(
    state: PairState,
    a_to_b: bool,
    weight: float,
    at_ms: int,
    sentiment: float | None,
    params: StrengthParams = DEFAULT_PARAMS,
    *,
    answer: float = 0.0,
) -> PairState:
    """Return the state with one more interaction, in O(1) and in any arrival order.

    ``weight`` goes to the direction the interaction was started in and ``answer`` (see
    :func:`answer_weight`) to the other one, at the same moment; a direction is only
    touched when it gains a positive answer, as :func:`replay` counts it.
    The result always equals :func:`replay` of the full history (up to float
    rounding), so a write path can update the stored state incrementally even when
    events arrive late (imports, offline devices) without ever rescanning history.
    """
    _check_weight(weight)
    _check_weight(answer)
    _check_sentiment(sentiment)
    i_ab, last_ab, i_ba, last_ba = state.intensity_ab, state.last_ab_ms, state.intensity_ba, state.last_ba_ms
    if a_to_b:
        i_ab, last_ab = _fold(i_ab, last_ab, weight, at_ms, params)
        if answer > 0.0:
            i_ba, last_ba = _fold(i_ba, last_ba, answer, at_ms, params)
    else:
        i_ba, last_ba = _fold(i_ba, last_ba, weight, at_ms, params)
        if answer > 0.0:
            i_ab, last_ab = _fold(i_ab, last_ab, answer, at_ms, params)
    rated = sentiment is not None
    return PairState(
        intensity_ab=i_ab,
        last_ab_ms=last_ab,
        intensity_ba=i_ba,
        last_ba_ms=last_ba,
        first_ms=_min_opt(state.first_ms, at_ms),
        last_ms=_max_opt(state.last_ms, at_ms),
        count=state.count + 1,
        sentiment_sum=state.sentiment_sum + (sentiment if rated else 0.0),
        sentiment_count=state.sentiment_count + (1 if rated else 0),
    )


def merge(state: PairState, delta: PairState, params: StrengthParams = DEFAULT_PARAMS) -> PairState:
    """Fold a batch's own state (``replay`` of the batch) into a stored state, in O(1).

    Each direction of ``delta`` is one weight anchored at its last event, so merging is
    :func:`_fold` per direction: the result equals ``replay`` of both histories together,
    whatever their order. ``cypher/interactions_record.cypher`` runs this same rule inside the
    database, so that concurrent writers can never lose an update.
    """
    i_ab, last_ab = state.intensity_ab, state.last_ab_ms
    if delta.last_ab_ms is not None:
        i_ab, last_ab = _fold(i_ab, last_ab, delta.intensity_ab, delta.last_ab_ms, params)
    i_ba, last_ba = state.intensity_ba, state.last_ba_ms
    if delta.last_ba_ms is not None:
        i_ba, last_ba = _fold(i_ba, last_ba, delta.intensity_ba, delta.last_ba_ms, params)
    firsts = [t for t in (state.first_ms, delta.first_ms) if t is not None]
    lasts = [t for t in (state.last_ms, delta.last_ms) if t is not None]
    return PairState(
        intensity_ab=i_ab,
        last_ab_ms=last_ab,
        intensity_ba=i_ba,
        last_ba_ms=last_ba,
        first_ms=min(firsts) if firsts else None,
        last_ms=max(lasts) if lasts else None,
        count=state.count + delta.count,
        sentiment_sum=state.sentiment_sum + delta.sentiment_sum,
        sentiment_count=state.sentiment_count + delta.sentiment_count,
    )


def pair_events(
    kind: InteractionType,
    at_ms: int,
    initiator_id: str,
    participant_ids: Iterable[str],
    sentiment: float | None,
    params: StrengthParams = DEFAULT_PARAMS,
) -> list[tuple[tuple[str, str], Event]]:
    """The pairs one interaction feeds: its initiator with each other participant.

    Participants who did not start it are not tied to each other by it: a meeting we
    call with two people of one customer says nothing about how those two relate.
    """
    weight = interaction_weight(kind, sentiment, params)
    answer = answer_weight(kind, weight)
    out = []
    for other in dict.fromkeys(participant_ids):
        if other == initiator_id:
            continue
        a, b, a_to_b = orient(initiator_id, other)
        out.append(((a, b), (a_to_b, weight, at_ms, sentiment, answer)))
    return out


def rewind(
    state: PairState, recent: Iterable[Event], then_ms: int, params: StrengthParams = DEFAULT_PARAMS
) -> tuple[float, float, int | None]:
    """Both intensities at an earlier moment, from the state now and the events since.

    Decay is linear, so the intensity at ``then`` is the stored sum carried back to
    ``then`` minus what every later event contributed, each carried back the same way.
    That answers "how strong was this tie 90 days ago" for every pair at once, reading
    only the recent events instead of each pair's whole history. Returns
    ``(i_ab, i_ba, first_ms)`` as of ``then`` (``first_ms`` None when the pair had not met).
    """
    late = [e for e in recent if e[2] > then_ms]
    if state.first_ms is None or state.first_ms > then_ms or len(late) >= state.count:
        return 0.0, 0.0, None

    def back(intensity: float, last_ms: int | None, a_to_b: bool) -> float:
        if last_ms is None:
            return 0.0
        carried = intensity * 2.0 ** ((last_ms - then_ms) / params.half_life_ms)
        since = math.fsum(
            (w if d == a_to_b else answer) * 2.0 ** ((t - then_ms) / params.half_life_ms)
            for d, w, t, _, answer in late
        )
        return max(0.0, carried - since)

    return back(state.intensity_ab, state.last_ab_ms, True), back(state.intensity_ba, state.last_ba_ms, False), state.first_ms


def batch_states(
    interactions: Iterable[tuple[str, int, str, Sequence[str], float | None]],
    params: StrengthParams = DEFAULT_PARAMS,
) -> dict[tuple[str, str], PairState]:
    """Each pair's own state for a batch of (type, at_ms, initiator, participants, sentiment).

    The write path's fast form of `pair_events` + `replay`: the inputs are already
    validated, so nothing is checked again, and a pair with one event (the usual case)
    gets its state directly. A test holds it equal to the reference functions.
    """
    weights = {t.value: w for t, w in params.weights.items()}
    answered = {t.value: ANSWER_SHARE if t in TWO_WAY_TYPES else 0.0 for t in InteractionType}
    complaint = InteractionType.COMPLAINT.value
    groups: dict[tuple[str, str], list[Event]] = {}
    for kind, at_ms, initiator, participants, sentiment in interactions:
        felt = sentiment if sentiment is not None else (params.complaint_default_sentiment if kind == complaint else 0.0)
        weight = weights[kind] * (1.0 + 0.5 * felt)
        answer = answered[kind] * weight
        for other in dict.fromkeys(participants):
            if other == initiator:
                continue
            pair, a_to_b = ((initiator, other), True) if initiator < other else ((other, initiator), False)
            groups.setdefault(pair, []).append((a_to_b, weight, at_ms, sentiment, answer))
    return {pair: _single(events[0]) if len(events) == 1 else replay(events, params) for pair, events in groups.items()}


def _single(event: Event) -> PairState:
    a_to_b, weight, at_ms, sentiment, answer = event
    rated = sentiment is not None
    back_ms = at_ms if answer > 0.0 else None
    return PairState(
        intensity_ab=weight if a_to_b else answer,
        last_ab_ms=at_ms if a_to_b else back_ms,
        intensity_ba=answer if a_to_b else weight,
        last_ba_ms=back_ms if a_to_b else at_ms,
        first_ms=at_ms,
        last_ms=at_ms,
        count=1,
        sentiment_sum=sentiment if rated else 0.0,
        sentiment_count=1 if rated else 0,
    )


def _direction_sum(
    terms: Sequence[tuple[float, int]], params: StrengthParams
) -> tuple[float, int | None]:
    """One direction straight from the definition: ``sum w_i 2^(-(t_last - t_i)/H)``."""
    if not terms:
        return 0.0, None
    last = max(t for _, t in terms)
    return math.fsum(w * _decay_factor(last - t, params) for w, t in terms), last


def _terms(events: Sequence[Event], a_to_b: bool) -> list[tuple[float, int]]:
    """One direction's ``(weight, time)`` terms: what it started, and the answers it gave
    to the exchanges the other side started (only positive answers, as folding does)."""
    return [(w if d == a_to_b else answer, t) for d, w, t, _, answer in events if d == a_to_b or answer > 0.0]


def replay(events: Iterable[Event], params: StrengthParams = DEFAULT_PARAMS) -> PairState:
    """Recompute a pair's state from its whole history, directly from the definition.

    Deliberately does *not* reuse :func:`apply_interaction`: it is the independent
    reference the incremental path is checked against, and the repair tool when a
    stored state is suspect.
    """
    evs = list(events)
    for _, w, _, s, answer in evs:
        _check_weight(w)
        _check_weight(answer)
        _check_sentiment(s)
    i_ab, last_ab = _direction_sum(_terms(evs, True), params)
    i_ba, last_ba = _direction_sum(_terms(evs, False), params)
    rated = [e[3] for e in evs if e[3] is not None]
    times = [e[2] for e in evs]
    return PairState(
        intensity_ab=i_ab,
        last_ab_ms=last_ab,
        intensity_ba=i_ba,
        last_ba_ms=last_ba,
        first_ms=min(times) if times else None,
        last_ms=max(times) if times else None,
        count=len(evs),
        sentiment_sum=math.fsum(rated),
        sentiment_count=len(rated),
    )


# --------------------------------------------------------------------------- strength


def intensities_at(state: PairState, at_ms: int, params: StrengthParams = DEFAULT_PARAMS) -> tuple[float, float]:
    """Both directions' intensities decayed to ``at_ms`` (see :func:`decay` for at < last)."""
    return (
        decay(state.intensity_ab, state.last_ab_ms, at_ms, params),
        decay(state.intensity_ba, state.last_ba_ms, at_ms, params),
    )


def reciprocity(i_ab: float, i_ba: float) -> float:
    """``2 min / sum``: 1 when balanced, 0 when one-way (seed 002: "two-way")."""
    total = i_ab + i_ba
    if total <= 0.0:
        return 0.0
    return min(1.0, max(0.0, 2.0 * min(i_ab, i_ba) / total))


def duration(first_ms: int | None, at_ms: int) -> float:
    """``1 - exp(-(t - t_first)/365 d)``: long-standing ties count more (seed 002: "long-term").

    0 for a pair that never interacted, and for ``at_ms`` before the first contact.
    """
    if first_ms is None or at_ms <= first_ms:
        return 0.0
    return 1.0 - math.exp(-(at_ms - first_ms) / (DURATION_SCALE_DAYS * MS_PER_DAY))


def _saturation(total_intensity: float, params: StrengthParams) -> float:
    """``1 - exp(-I/k)``: more contact helps with diminishing returns, bounded by 1."""
    return 1.0 - math.exp(-max(0.0, total_intensity) / params.saturation_k)


def strength_from(
    i_ab: float, i_ba: float, first_ms: int | None, at_ms: int, params: StrengthParams = DEFAULT_PARAMS
) -> float:
    """``S = (1 - e^(-(I_ab+I_ba)/k)) * (0.6 + 0.4 r) * (0.8 + 0.2 d)``, clamped to [0, 1].

    Volume dominates; a one-way tie keeps 60 % and a brand-new one 80 % of what a
    balanced, long-standing tie of the same volume would score.
    """
    r = reciprocity(i_ab, i_ba)
    d = duration(first_ms, at_ms)
    s = _saturation(i_ab + i_ba, params) * (0.6 + 0.4 * r) * (0.8 + 0.2 * d)
    return min(1.0, max(0.0, s))


def health_band(strength: float, params: StrengthParams = DEFAULT_PARAMS) -> HealthBand:
    """Map a strength to EXCELLENT / GOOD / FAIR / POOR (lower bounds inclusive)."""
    if strength >= params.excellent:
        return HealthBand.EXCELLENT
    if strength >= params.good:
        return HealthBand.GOOD
    if strength >= params.fair:
        return HealthBand.FAIR
    return HealthBand.POOR


@dataclass(frozen=True)
class StrengthBreakdown:
    """A strength with the parts it was made of, so every score can be explained."""

    strength: float
    intensity_ab: float
    intensity_ba: float
    intensity: float
    reciprocity: float
    duration: float
    recency_days: float | None
    recency: float
    sentiment: float | None
    health: HealthBand


def _recency(last_ms: int | None, at_ms: int, params: StrengthParams) -> tuple[float | None, float]:
    """Days since the last interaction and its decay ``2^(-days/H)`` (0 when never)."""
    if last_ms is None:
        return None, 0.0
    days = max(0, at_ms - last_ms) / MS_PER_DAY
    return days, 2.0 ** (-days / params.half_life_days)


def explain(state: PairState, at_ms: int, params: StrengthParams = DEFAULT_PARAMS) -> StrengthBreakdown:
    """Break the strength at ``at_ms`` into intensity, recency, reciprocity, duration, sentiment.

    Intended for ``at_ms >= state.last_ms``; for a past date use :func:`explain_as_of`,
    which replays only the events up to that date.
    """
    i_ab, i_ba = intensities_at(state, at_ms, params)
    s = strength_from(i_ab, i_ba, state.first_ms, at_ms, params)
    days, rec = _recency(state.last_ms, at_ms, params)
    mean = state.sentiment_sum / state.sentiment_count if state.sentiment_count else None
    return StrengthBreakdown(
        strength=s,
        intensity_ab=i_ab,
        intensity_ba=i_ba,
        intensity=i_ab + i_ba,
        reciprocity=reciprocity(i_ab, i_ba),
        duration=duration(state.first_ms, at_ms),
        recency_days=days,
        recency=rec,
        sentiment=mean,
        health=health_band(s, params),
    )


def _until(history: Iterable[Event], at_ms: int) -> list[Event]:
    """The events known at ``at_ms``: at or before it."""
    return [e for e in history if e[2] <= at_ms]


def explain_as_of(history: Iterable[Event], at_ms: int, params: StrengthParams = DEFAULT_PARAMS) -> StrengthBreakdown:
    """The breakdown as it stood at ``at_ms``, ignoring every later event."""
    return explain(replay(_until(history, at_ms), params), at_ms, params)


def strength_as_of(history: Iterable[Event], at_ms: int, params: StrengthParams = DEFAULT_PARAMS) -> float:
    """The strength as it stood at ``at_ms`` (0 before the first interaction)."""
    return explain_as_of(history, at_ms, params).strength


@dataclass(frozen=True)
class Trend:
    """The strength now and its change over the last 30 and 90 days (now minus then)."""

    now: float
    delta_30d: float
    delta_90d: float


def trend(history: Sequence[Event], at_ms: int, params: StrengthParams = DEFAULT_PARAMS) -> Trend:
    """Recompute the strength as of ``at_ms``, 30 days and 90 days earlier.

    Each point uses only the events at or before it, so a late-recorded interaction
    never leaks into the past and the deltas show what really changed.
    """
    now = strength_as_of(history, at_ms, params)
    then_30 = strength_as_of(history, at_ms - int(TREND_SHORT_DAYS * MS_PER_DAY), params)
    then_90 = strength_as_of(history, at_ms - int(TREND_LONG_DAYS * MS_PER_DAY), params)
    return Trend(now=now, delta_30d=now - then_30, delta_90d=now - then_90)


# --------------------------------------------------------------------------- channel


def _broken_reasons(strength_now: float, last_ms: int | None, at_ms: int, ended: bool,
                    params: StrengthParams) -> list[str]:
    """Why the channel is severed: silent for 2H (or never used), ended, or too weak."""
    reasons = []
    silence_ms = params.broken_silence_half_lives * params.half_life_ms
    if last_ms is None or at_ms - last_ms >= silence_ms:
        reasons.append(REASON_SILENT)
    if ended:
        reasons.append(REASON_ENDED)
    if strength_now < params.broken_below:
        reasons.append(REASON_WEAK)
    return reasons


def _blocked_reasons(strength_now: float, strength_window_ago: float | None, reciprocity_now: float,
                     overdue_complaint: bool, params: StrengthParams) -> list[str]:
    """Why the channel is blocked: falling strength, one-way contact, or an overdue complaint."""
    reasons = []
    if strength_window_ago is not None and strength_window_ago > 0.0:
        if strength_now <= strength_window_ago * (1.0 - params.blocked_drop):
            reasons.append(REASON_FALLING)
    if reciprocity_now < params.blocked_reciprocity:
        reasons.append(REASON_ONE_WAY)
    if overdue_complaint:
        reasons.append(REASON_OVERDUE_COMPLAINT)
    return reasons


def channel_state(
    *,
    strength_now: float,
    strength_window_ago: float | None,
    reciprocity: float,
    last_ms: int | None,
    at_ms: int,
    ended: bool,
    overdue_complaint: bool,
    params: StrengthParams = DEFAULT_PARAMS,
) -> tuple[ChannelState, list[str]]:
    """Classify the channel (seed 002: open, blocked, severed) and say why.

    BROKEN wins over BLOCKED. The reasons returned are those of the state returned
    (an OPEN channel has none), in a fixed order so callers can compare lists.
    ``strength_window_ago`` is the strength ``blocked_window_days`` before ``at_ms``
    (see :func:`assess_channel`); a fall is only judged when it was positive.
    """
    broken = _broken_reasons(strength_now, last_ms, at_ms, ended, params)
    if broken:
        return ChannelState.BROKEN, broken
    blocked = _blocked_reasons(strength_now, strength_window_ago, reciprocity, overdue_complaint, params)
    if blocked:
        return ChannelState.BLOCKED, blocked
    return ChannelState.OPEN, []


def assess_channel(
    history: Sequence[Event],
    at_ms: int,
    *,
    ended: bool = False,
    overdue_complaint: bool = False,
    params: StrengthParams = DEFAULT_PARAMS,
) -> tuple[ChannelState, list[str]]:
    """:func:`channel_state` computed from a pair's history, as of ``at_ms``."""
    now = explain_as_of(history, at_ms, params)
    window_ms = int(params.blocked_window_days * MS_PER_DAY)
    return channel_state(
        strength_now=now.strength,
        strength_window_ago=strength_as_of(history, at_ms - window_ms, params),
        reciprocity=now.reciprocity,
        last_ms=max((e[2] for e in history if e[2] <= at_ms), default=None),
        at_ms=at_ms,
        ended=ended,
        overdue_complaint=overdue_complaint,
        params=params,
    )


# --------------------------------------------------------------------------- roll-up


@dataclass(frozen=True)
class RollupResult:
    """An organisation-to-organisation strength rolled up from its people's ties.

    ``top_share`` is the strongest employee tie's share of the summed strengths
    (org-level tie included); ``single_threaded`` flags an account that hangs on
    one of our employees.
    """

    strength: float
    top_employee_id: str | None
    top_share: float
    single_threaded: bool


def _check_unit(name: str, value: float) -> None:
    """Roll-up inputs are strengths; anything outside [0, 1] is a caller bug."""
    _check(_finite(value) and 0.0 <= value <= 1.0, f"{name} strength {value!r} not in [0, 1]")


def noisy_or(strengths: Iterable[float]) -> float:
    """``1 - prod(1 - s_i)``: the chance at least one of several independent ties holds."""
    return 1.0 - math.prod(1.0 - s for s in strengths)


def rollup(
    person_strengths: Mapping[str, float],
    org_level_strength: float,
    params: StrengthParams = DEFAULT_PARAMS,
) -> RollupResult:
    """Combine our employees' ties and the org-level tie into one account strength.

    Noisy-OR stays in [0, 1], never falls when a tie is added or strengthened, and
    is not inflated by many weak ties the way a sum would be. The strongest employee
    (ties broken by id, for determinism) is reported with their share of the total.
    """
    for pid, s in person_strengths.items():
        _check_unit(f"employee {pid!r}", s)
    _check_unit("org-level", org_level_strength)
    combined = min(1.0, max(0.0, noisy_or([*person_strengths.values(), org_level_strength])))
    total = math.fsum(person_strengths.values()) + org_level_strength
    top_id = min(person_strengths, key=lambda k: (-person_strengths[k], k), default=None)
    if top_id is None or total <= 0.0 or person_strengths[top_id] <= 0.0:
        return RollupResult(strength=combined, top_employee_id=None, top_share=0.0, single_threaded=False)
    share = person_strengths[top_id] / total
    return RollupResult(
        strength=combined,
        top_employee_id=top_id,
        top_share=share,
        single_threaded=share > params.single_threaded_share,
    )
