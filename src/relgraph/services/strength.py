"""Relationship strength as the API and reports ask for it (DOMAIN.md §2).

This module joins the store's reads to the pure scoring functions: it fetches pair
states, histories, relationship ends and overdue complaints, and lets
`relgraph.scoring.strength` do every calculation. It holds no formula of its own.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Sequence

import numpy as np

from relgraph.domain.enums import COMMUNICATING_RELATIONSHIPS, ChannelState, HealthBand
from relgraph.domain.model import Relationship
from relgraph.domain.time import from_ms, to_ms, utcnow
from relgraph.errors import BadUserInput
from relgraph.scoring import strength as scoring
from relgraph.scoring import tie_columns as columns
from relgraph.scoring.strength import Event, PairState, StrengthBreakdown, Trend
from relgraph.services.tie_snapshot import TieSnapshot, tie_snapshot
from relgraph.store import listing
from relgraph.store.graph_store import GraphStore

Pair = tuple[str, str]


def pair_of(a: str, b: str) -> Pair:
    """The canonical key of an unordered pair: smaller id first."""
    return (a, b) if a < b else (b, a)


@dataclass(frozen=True)
class PairStrength:
    """Everything said about one tie at one moment, with its explanation.

    `channel` is None (and `reasons` empty) for a pair that is no communication tie:
    it had not interacted by then and is joined by structural records only."""

    a: str
    b: str
    at: datetime
    breakdown: StrengthBreakdown
    trend: Trend
    channel: ChannelState | None
    reasons: tuple[str, ...]
    assessed: float | None
    ended: bool


def channel_links(relationships: Sequence[Relationship], at: datetime) -> tuple[bool, bool]:
    """What a pair's relationships say about its channel at `at`: (communicating, ended).

    Communicating: joined by a relationship of a communicating type (KNOWS, BUYS_FROM,
    ...) started by then. Ended: there is one, and every such relationship had ended by
    then. Structural records (WORKS_FOR, REPORTS_TO, ...) count for neither: they say
    who is what to whom, not that the two talk.
    """
    talking = [r for r in relationships if r.type in COMMUNICATING_RELATIONSHIPS and r.started_at <= at]
    ended = bool(talking) and all(r.ended_at is not None and r.ended_at <= at for r in talking)
    return bool(talking), ended


@dataclass(frozen=True)
class AccountStrength:
    """An organisation's tie with us, rolled up from its people's ties and its own."""

    account_id: str
    strength: float
    organization_level: float
    by_employee: dict[str, float]
    top_employee_id: str | None
    top_share: float
    single_threaded: bool


async def current(store: GraphStore, pairs: Sequence[Pair], at: datetime | None = None) -> dict[Pair, StrengthBreakdown]:
    """Strength now, from the running states alone: O(1) per pair, one round trip."""
    at_ms = to_ms(at or utcnow())
    keys = [pair_of(*p) for p in pairs]
    states = await store.ties(keys)
    params = store.strength_params
    return {k: scoring.explain(states.get(k, PairState()), at_ms, params) for k in keys}


def _report(
    store: GraphStore, pair: Pair, history: list[Event], at: datetime, *, communicating: bool, ended: bool,
    overdue: bool, assessed: float | None,
) -> PairStrength:
    params = store.strength_params
    at_ms = to_ms(at)
    breakdown = scoring.explain_as_of(history, at_ms, params)
    channel: ChannelState | None = None
    reasons: list[str] = []
    if history or communicating:
        window_ago = at_ms - int(params.blocked_window_days * scoring.MS_PER_DAY)
        channel, reasons = scoring.channel_state(
            strength_now=breakdown.strength,
            strength_window_ago=scoring.strength_as_of(history, window_ago, params),
            reciprocity=breakdown.reciprocity,
            last_ms=max((e[2] for e in history), default=None),
            at_ms=at_ms,
            ended=ended,
            overdue_complaint=overdue,
            params=params,
        )
    return PairStrength(
        a=pair[0], b=pair[1], at=at, breakdown=breakdown, trend=scoring.trend(history, at_ms, params),
        channel=channel, reasons=tuple(reasons), assessed=assessed, ended=ended,
    )


async def between(store: GraphStore, a: str, b: str, as_of: datetime | None = None) -> PairStrength:
    """The full picture of one tie, recomputed from history as of a moment (default now).

    Every communicating relationship of the pair ended before that moment makes the channel
    BROKEN; a complaint from either side past its deadline makes it BLOCKED; a pair with
    no interaction by then and no communicating relationship has no channel (None).
    """
    return (await many(store, [(a, b)], as_of))[pair_of(a, b)]


async def many(store: GraphStore, pairs: Sequence[Pair], as_of: datetime | None = None) -> dict[Pair, PairStrength]:
    """Reports for many pairs in three reads (histories, relationships, complaints), keyed by
    the canonical pair.

    Everything in a report belongs to the pair: its history, all its relationships (for
    the channel and the latest analyst assessment) and both sides' complaints, so two
    relationships of one pair always get the same answer.
    """
    at = as_of or utcnow()
    keys = list(dict.fromkeys(pair_of(*p) for p in pairs))
    histories = await store.pair_histories(keys, at)
    relationships = await store.relationships_between_pairs(keys)
    overdue = await store.overdue_complaints_of(sorted({s for k in keys for s in k}), at)
    out: dict[Pair, PairStrength] = {}
    for key in keys:
        known = [r for r in relationships[key] if r.started_at <= at]
        communicating, ended = channel_links(known, at)
        late = bool(overdue.get(key[0]) or overdue.get(key[1]))
        out[key] = _report(store, key, histories[key], at, communicating=communicating, ended=ended,
                           overdue=late, assessed=_latest_assessment(known, at))
    return out


def _latest_assessment(relationships: Sequence[Relationship], at: datetime) -> float | None:
    """The analyst's strength most recently recorded on any of the pair's relationships by `at`."""
    assessed = [r for r in relationships if r.assessed_strength is not None and r.assessed_at and r.assessed_at <= at]
    return max(assessed, key=lambda r: r.assessed_at).assessed_strength if assessed else None  # type: ignore[arg-type,return-value]


async def account(store: GraphStore, account_id: str, at: datetime | None = None) -> AccountStrength:
    """Roll an organisation's strength up from our people's ties and our own tie with it."""
    return (await accounts(store, [account_id], at))[account_id]


async def accounts(store: GraphStore, account_ids: Sequence[str], at: datetime | None = None) -> dict[str, AccountStrength]:
    """`account` for many organisations, from one read of their ties."""
    at_ms = to_ms(at or utcnow())
    ties = await store.account_ties(account_ids)
    return {account_id: _rolled_up(account_id, ties[account_id], at_ms, store.strength_params) for account_id in ties}


def _rolled_up(
    account_id: str, ties: list[tuple[str, str, str, PairState]], at_ms: int, params: scoring.StrengthParams
) -> AccountStrength:
    per_employee: dict[str, list[float]] = defaultdict(list)
    organization_level = 0.0
    for level, employee, _side, state in ties:
        s = scoring.explain(state, at_ms, params).strength
        if level == "organization":
            organization_level = scoring.noisy_or([organization_level, s])
        else:
            per_employee[employee].append(s)
    by_employee = {e: scoring.noisy_or(ss) for e, ss in per_employee.items()}
    result = scoring.rollup(by_employee, organization_level, params)
    return AccountStrength(
        account_id=account_id,
        strength=result.strength,
        organization_level=organization_level,
        by_employee=by_employee,
        top_employee_id=result.top_employee_id,
        top_share=result.top_share,
        single_threaded=result.single_threaded,
    )


@dataclass(frozen=True)
class TieChange:
    """How much a tie gained or lost over a window."""

    a: str
    b: str
    now: float
    then: float

    @property
    def change(self) -> float:
        return self.now - self.then


async def deteriorating(store: GraphStore, window_days: float, first: int, at: datetime | None = None) -> list[TieChange]:
    """The ties that lost the most strength over the window, largest drop first.

    Scores every tie now and back then as columns (the tie snapshot). A tie without
    events in the window was simply decaying, so its strength back then is the same
    formula at the earlier moment; only ties with events in the window are wound back
    one by one with `scoring.rewind`.
    """
    at = at or utcnow()
    at_ms = to_ms(at)
    then_ms = at_ms - int(window_days * scoring.MS_PER_DAY)
    params = store.strength_params
    snap = await tie_snapshot(store)
    now = columns.strengths_at(snap.columns, at_ms, params)
    then = columns.strengths_at(snap.columns, then_ms, params)
    recent = await store.recent_events(datetime.fromtimestamp(then_ms / 1000, tz=at.tzinfo))
    for pair, events in recent.items():
        index = snap.index.get(pair)
        if index is not None:
            i_ab, i_ba, first_then = scoring.rewind(snap.state(pair), events, then_ms, params)
            then[index] = scoring.strength_from(i_ab, i_ba, first_then, then_ms, params)
    change = now - then
    order = columns.ranked(change, snap.columns.pairs, first=first, descending=False, keep=change < 0)
    return [TieChange(*snap.columns.pairs[i], float(now[i]), float(then[i])) for i in order]


@dataclass(frozen=True)
class RankedTie:
    pair: Pair
    breakdown: StrengthBreakdown
    channel: ChannelState
    reasons: tuple[str, ...]


async def ranked_ties(
    store: GraphStore,
    *,
    first: int,
    descending: bool = True,
    min_strength: float = 0.0,
    max_strength: float = 1.0,
    health: set[str] | None = None,
    channel: set[ChannelState] | None = None,
    at: datetime | None = None,
) -> list[RankedTie]:
    """Ties sorted by their current strength, filtered by strength, health and channel state;
    every tie comes with its channel state (a tie has interacted: it is a communication tie).

    Strength and health are scored for every tie at once, as columns of the tie
    snapshot; only the page is explained tie by tie. The channel state of a tie needs its
    strength a window ago: the running states are wound back with the window's events
    (`scoring.rewind`). With a channel filter, those events, ended relationships and
    overdue complaints are read once for the whole network; without one, for the page.
    """
    at = at or utcnow()
    at_ms = to_ms(at)
    params = store.strength_params
    snap = await tie_snapshot(store)
    strengths = columns.strengths_at(snap.columns, at_ms, params)
    keep = (strengths >= min_strength) & (strengths <= max_strength)
    if health:
        keep &= columns.in_bands(strengths, {HealthBand(h) for h in health}, params)
    if not channel:
        order = columns.ranked(strengths, snap.columns.pairs, first=first, descending=descending, keep=keep)
        return await explained_ties(store, snap, [snap.columns.pairs[i] for i in order], at)
    inputs = await _channel_inputs(store, at)
    scored = []
    for i in np.flatnonzero(keep).tolist():
        pair = snap.columns.pairs[i]
        state = snap.columns.state(i)
        breakdown = scoring.explain(state, at_ms, params)
        state_of_channel, reasons = inputs.assess(pair, state, breakdown, at_ms, params)
        if state_of_channel in channel:
            scored.append(RankedTie(pair, breakdown, state_of_channel, reasons))
    scored.sort(key=lambda t: (-t.breakdown.strength if descending else t.breakdown.strength, t.pair))
    return scored[:first]


async def explained_ties(store: GraphStore, snap: TieSnapshot, pairs: Sequence[Pair], at: datetime) -> list[RankedTie]:
    """A page of ties, each explained from its running state, with its channel state by the
    same rule and inputs as the whole-network filter, read for these pairs only."""
    at_ms = to_ms(at)
    params = store.strength_params
    inputs = await _page_channel_inputs(store, snap, pairs, at)
    out = []
    for pair in pairs:
        state = snap.state(pair)
        breakdown = scoring.explain(state, at_ms, params)
        state_of_channel, reasons = inputs.assess(pair, state, breakdown, at_ms, params)
        out.append(RankedTie(pair, breakdown, state_of_channel, reasons))
    return out


@dataclass(frozen=True)
class _ChannelInputs:
    """What the channel rule needs beyond a pair's own state, read once for the network."""

    window_start_ms: int
    recent: dict[Pair, list[Event]]
    ended: set[Pair]
    overdue: set[str]

    def assess(
        self, pair: Pair, state: PairState, now: StrengthBreakdown, at_ms: int, params: scoring.StrengthParams
    ) -> tuple[ChannelState, tuple[str, ...]]:
        i_ab, i_ba, first = scoring.rewind(state, self.recent.get(pair, ()), self.window_start_ms, params)
        channel, reasons = scoring.channel_state(
            strength_now=now.strength,
            strength_window_ago=scoring.strength_from(i_ab, i_ba, first, self.window_start_ms, params),
            reciprocity=now.reciprocity,
            last_ms=state.last_ms,
            at_ms=at_ms,
            ended=pair in self.ended,
            overdue_complaint=pair[0] in self.overdue or pair[1] in self.overdue,
            params=params,
        )
        return channel, tuple(reasons)


async def _channel_inputs(store: GraphStore, at: datetime) -> _ChannelInputs:
    window = timedelta(days=store.strength_params.blocked_window_days)
    return _ChannelInputs(
        window_start_ms=to_ms(at - window),
        recent=await store.recent_events(at - window),
        ended=await store.ended_pairs(),
        overdue=await store.stakeholders_with_overdue_complaints(at),
    )


async def _page_channel_inputs(store: GraphStore, snap: TieSnapshot, pairs: Sequence[Pair], at: datetime) -> _ChannelInputs:
    """`_channel_inputs` for a few pairs: their own histories (every event the running state
    holds, so that winding back is exact), relationships and complaints."""
    window = timedelta(days=store.strength_params.blocked_window_days)
    if not pairs:
        return _ChannelInputs(to_ms(at - window), {}, set(), set())
    latest = max((snap.state(p).last_ms or 0 for p in pairs), default=0)
    histories = await store.pair_histories(pairs, max(at, from_ms(latest)))  # type: ignore[type-var]
    relationships = await store.relationships_between_pairs(pairs)
    overdue = await store.overdue_complaints_of(sorted({s for p in pairs for s in p}), at)
    return _ChannelInputs(
        window_start_ms=to_ms(at - window),
        recent=histories,
        ended={p for p in pairs if channel_links(relationships[p], at)[1]},
        overdue={s for s, ids in overdue.items() if ids},
    )


# --------------------------------------------------------------------------- relationships


async def communication_ties(store: GraphStore, snap: TieSnapshot, pairs: Sequence[Pair], at: datetime) -> set[Pair]:
    """Which of `pairs` are communication ties: they have interacted (a running state in the
    snapshot), or a communicating relationship joins them (read for the others only)."""
    unique = list(dict.fromkeys(pairs))
    silent = [p for p in unique if p not in snap.index]
    relationships = await store.relationships_between_pairs(silent)
    return {p for p in unique if p in snap.index or channel_links(relationships[p], at)[0]}


def _pair_strengths(snap: TieSnapshot, pairs: Sequence[Pair], at_ms: int, params: scoring.StrengthParams) -> list[float]:
    """Each pair's strength at `at_ms` (0 for a pair that never interacted)."""
    vector = columns.strengths_at(snap.columns, at_ms, params)
    return [float(vector[snap.index[p]]) if p in snap.index else 0.0 for p in pairs]


def _strength_position(order: listing.Order, after: str | None) -> tuple[int | None, tuple[float, str] | None]:
    """A strength cursor holds the moment the list was ranked at, so later pages rank the
    same way even as every tie decays; the sort key is `<at_ms>:<strength>`."""
    if after is None:
        return None, None
    key, tie = listing.decode_cursor(after, order)
    try:
        at_text, strength_text = str(key).split(":", 1)
        return int(at_text), (float(strength_text), tie)
    except ValueError:
        raise BadUserInput("after: not a cursor of this list", field="after") from None


async def relationships_ranked(
    store: GraphStore,
    flt: listing.RelationshipFilter | None,
    order: listing.Order | None,
    *,
    first: int,
    after: str | None = None,
    min_strength: float | None = None,
    max_strength: float | None = None,
    channel: set[ChannelState] | None = None,
) -> tuple[listing.Page[Relationship], int]:
    """Relationships sorted by their pair's strength, or filtered by strength or channel state;
    with how many match in all.

    The database filters (the usual `filter`), this ranks: it reads the matching
    relationships' ids and ends, scores their pairs from the tie snapshot, sorts, and
    fetches only the page. Orders other than STRENGTH keep their meaning and cursors.
    """
    if first < 0:
        raise BadUserInput("first: must not be negative", field="first")
    order = order or listing.RELATIONSHIPS.default_order
    by_strength = order.field is listing.RelationshipOrderField.STRENGTH
    pinned_at, position = _strength_position(order, after) if by_strength else (None, None)
    at = from_ms(pinned_at) if pinned_at is not None else utcnow()
    at_ms = to_ms(at)
    params = store.strength_params
    rows = await store.listing.relationship_ends(flt, order)
    pairs = [pair_of(a, b) for _, a, b, _ in rows]
    snap = await tie_snapshot(store)
    strengths = _pair_strengths(snap, pairs, at_ms, params)
    keep = [
        (min_strength is None or s >= min_strength) and (max_strength is None or s <= max_strength)
        for s in strengths
    ]
    if channel:
        inputs = await _channel_inputs(store, at)
        talking = await communication_ties(store, snap, [p for p, k in zip(pairs, keep) if k], at)
        states = {p: snap.state(p) for p in talking}
        channels = {p: inputs.assess(p, s, scoring.explain(s, at_ms, params), at_ms, params)[0] for p, s in states.items()}
        keep = [k and channels.get(p) in channel for p, k in zip(pairs, keep)]
    ranked = [(strengths[i] if by_strength else rows[i][3], rows[i][0]) for i in range(len(rows)) if keep[i]]
    descending = order.direction is listing.Direction.DESC
    ranked.sort(reverse=descending)
    if after is not None:
        start = position if by_strength else listing.decode_cursor(after, order)
        ranked = [r for r in ranked if (r < start if descending else r > start)]  # type: ignore[operator]
    page = ranked[:first]
    found = await store.relationships([rid for _, rid in page])
    cursor_key = (lambda key: f"{at_ms}:{key!r}") if by_strength else (lambda key: key)
    total = sum(keep)
    return listing.Page(
        items=[r for r in found if r is not None],
        cursors=[listing.encode_cursor(order, cursor_key(key), rid) for key, rid in page],
        has_next=len(ranked) > first,
        has_previous=after is not None,
    ), total
