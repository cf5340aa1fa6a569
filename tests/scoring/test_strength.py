"""Tests for relgraph.scoring.strength: properties of the model and hand-computed cases."""

from __future__ import annotations

import math
from dataclasses import FrozenInstanceError

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relgraph.domain.enums import ChannelState, HealthBand, InteractionType
from relgraph.scoring import (
    DEFAULT_PARAMS,
    DEFAULT_WEIGHTS,
    MS_PER_DAY,
    PairState,
    StrengthParams,
    apply_interaction,
    assess_channel,
    channel_state,
    decay,
    duration,
    explain,
    explain_as_of,
    health_band,
    intensities_at,
    TWO_WAY_TYPES,
    answer_weight,
    interaction_weight,
    make_event,
    orient,
    reciprocity,
    replay,
    rollup,
    strength_as_of,
    strength_from,
    trend,
)

DAY = MS_PER_DAY
T0 = 1_700_000_000_000  # 2023-11-14, an arbitrary epoch-ms origin
SPAN = 5 * 365 * DAY

# ----------------------------------------------------------------------------- helpers


def close(a: float, b: float) -> bool:
    """Equal within 1e-9 relative (tiny absolute floor for values that decay to ~0)."""
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def fold(events, params=DEFAULT_PARAMS) -> PairState:
    """Build a state incrementally, in the given (arrival) order."""
    state = PairState()
    for a_to_b, w, t, s, answer in events:
        state = apply_interaction(state, a_to_b, w, t, s, params, answer=answer)
    return state


def assert_states_close(x: PairState, y: PairState) -> None:
    assert close(x.intensity_ab, y.intensity_ab)
    assert close(x.intensity_ba, y.intensity_ba)
    assert close(x.sentiment_sum, y.sentiment_sum)
    assert (x.last_ab_ms, x.last_ba_ms, x.first_ms, x.last_ms) == (
        y.last_ab_ms,
        y.last_ba_ms,
        y.first_ms,
        y.last_ms,
    )
    assert (x.count, x.sentiment_count) == (y.count, y.sentiment_count)


times = st.integers(T0, T0 + SPAN)
sentiments = st.one_of(st.none(), st.floats(-1.0, 1.0, allow_nan=False))
kinds = st.sampled_from(list(InteractionType))
events = st.builds(
    lambda kind, a_to_b, t, s: make_event(kind, a_to_b, t, s), kinds, st.booleans(), times, sentiments
)
histories = st.lists(events, max_size=25)
params_st = st.builds(
    StrengthParams,
    half_life_days=st.floats(1.0, 720.0),
    saturation_k=st.floats(0.25, 50.0),
)


# ----------------------------------------------------------------------------- properties


@settings(deadline=None, max_examples=50)
@given(history=histories, at=st.integers(T0 - 365 * DAY, T0 + SPAN + 5 * 365 * DAY), params=params_st)
def test_strength_stays_in_unit_interval(history, at, params):
    """Any history, any as-of time (before, inside or after it), any sane params: S in [0, 1]."""
    b = explain(replay(history, params), at, params)
    assert 0.0 <= b.strength <= 1.0
    assert 0.0 <= b.reciprocity <= 1.0 and 0.0 <= b.duration < 1.0 and 0.0 <= b.recency <= 1.0
    assert 0.0 <= strength_as_of(history, at, params) <= 1.0


@settings(deadline=None, max_examples=50)
@given(
    history=histories.filter(bool),
    gap1=st.integers(0, 3 * 365 * DAY),
    gap2=st.integers(0, 3 * 365 * DAY),
)
def test_without_new_interactions_it_only_decays(history, gap1, gap2):
    """After the last event, for t1 <= t2:

    * total intensity, each direction and recency are non-increasing;
    * reciprocity is constant (both directions decay by the same factor);
    * strength *with the duration factor held fixed* is non-increasing.

    Strength itself is NOT monotone: the duration factor (0.8 + 0.2 d) keeps growing,
    so S(t2) is only bounded by S(t1) * (0.8 + 0.2 d(t2)) / (0.8 + 0.2 d(t1)).
    """
    state = replay(history)
    t1 = state.last_ms + gap1
    t2 = t1 + gap2
    b1, b2 = explain(state, t1), explain(state, t2)
    assert b2.intensity <= b1.intensity
    assert b2.intensity_ab <= b1.intensity_ab and b2.intensity_ba <= b1.intensity_ba
    assert b2.recency <= b1.recency
    assert math.isclose(b1.reciprocity, b2.reciprocity, abs_tol=1e-12)
    fixed_d = strength_from(b2.intensity_ab, b2.intensity_ba, state.first_ms, t1)
    assert fixed_d <= b1.strength + 1e-12
    growth = (0.8 + 0.2 * b2.duration) / (0.8 + 0.2 * b1.duration)
    assert b2.strength <= b1.strength * growth + 1e-12


def test_strength_can_rise_slightly_without_contact_because_duration_grows():
    """Documented non-property: a saturated, brand-new tie gains from d before decay bites."""
    history = [make_event(InteractionType.MEETING, d, T0) for d in (True, False) for _ in range(20)]
    state = replay(history)
    s0 = explain(state, T0).strength
    s30 = explain(state, T0 + 30 * DAY).strength
    assert s30 > s0
    assert s30 <= s0 * 1.25  # the duration factor can add at most 25 %


@settings(deadline=None, max_examples=50)
@given(
    items=st.lists(
        st.tuples(st.floats(0.5, 4.5), st.integers(T0, T0 + 2 * 365 * DAY), st.booleans()),
        min_size=1,
        max_size=20,
    ),
    after=st.integers(0, 365 * DAY),
)
def test_one_way_scores_below_two_way_of_same_volume(items, after):
    """Same weights, same times: putting them all in one direction never scores higher."""
    one_way = [(True, w, t, None, 0.0) for w, t, _ in items]
    mirrored = [(False, w, t, None, 0.0) for w, t, _ in items]
    split = [(d, w, t, None, 0.0) for w, t, d in items]
    at = max(t for _, t, _ in items) + after
    s_one = explain(replay(one_way), at).strength
    b_split = explain(replay(split), at)
    assert close(s_one, explain(replay(mirrored), at).strength)  # direction label is symmetric
    assert close(explain(replay(one_way), at).intensity, b_split.intensity)  # same volume
    assert s_one <= b_split.strength + 1e-15
    if b_split.reciprocity > 1e-9:
        assert s_one < b_split.strength


@settings(deadline=None, max_examples=50)
@given(history=histories, data=st.data())
def test_incremental_in_any_order_equals_full_recomputation(history, data):
    """apply_interaction in shuffled (late-arriving) order == replay, within 1e-9 relative."""
    arrival = data.draw(st.permutations(history))
    assert_states_close(fold(arrival), replay(history))
    assert_states_close(fold(history), replay(history))


@settings(deadline=None, max_examples=50)
@given(history=histories, data=st.data(), params=params_st)
def test_incremental_equals_recomputation_for_any_params(history, data, params):
    arrival = data.draw(st.permutations(history))
    assert_states_close(fold(arrival, params), replay(history, params))


@settings(deadline=None, max_examples=50)
@given(history=histories, after=st.integers(0, 2 * 365 * DAY))
def test_explain_at_now_equals_strength_from_on_replayed_state(history, after):
    state = replay(history)
    now = (state.last_ms or T0) + after
    i_ab, i_ba = intensities_at(state, now)
    b = explain(state, now)
    assert b.strength == strength_from(i_ab, i_ba, state.first_ms, now)
    assert (b.intensity_ab, b.intensity_ba) == (i_ab, i_ba)
    assert b.intensity == i_ab + i_ba
    assert b.health == health_band(b.strength)
    incremental = explain(fold(history), now)
    assert close(incremental.strength, b.strength)


@settings(deadline=None, max_examples=50)
@given(history=histories, at=times)
def test_as_of_ignores_later_events(history, at):
    """The as-of value depends only on events at or before the date."""
    later = [(d, w, t + SPAN + DAY, s, a) for d, w, t, s, a in history]
    assert strength_as_of(history, at) == strength_as_of(history + later, at)
    tr = trend(history, at)
    assert tr.now == strength_as_of(history, at)
    assert close(tr.delta_30d, tr.now - strength_as_of(history, at - 30 * DAY))
    assert close(tr.delta_90d, tr.now - strength_as_of(history, at - 90 * DAY))


@settings(deadline=None, max_examples=50)
@given(i=st.floats(0, 1e6), a=times, b=times, c=times)
def test_decay_composes(i, a, b, c):
    t0, t1, t2 = sorted((a, b, c))
    assert close(decay(decay(i, t0, t1), t1, t2), decay(i, t0, t2))


@settings(deadline=None, max_examples=50)
@given(
    people=st.dictionaries(st.text(min_size=1, max_size=4), st.floats(0.0, 1.0), max_size=8),
    org=st.floats(0.0, 1.0),
    extra=st.floats(0.0, 1.0),
)
def test_rollup_is_bounded_and_monotone(people, org, extra):
    r = rollup(people, org)
    assert 0.0 <= r.strength <= 1.0
    assert r.strength >= max([org, *people.values()]) - 1e-12
    assert rollup({**people, "~new": extra}, org).strength >= r.strength - 1e-12
    assert rollup(people, max(org, extra)).strength >= r.strength - 1e-12
    assert 0.0 <= r.top_share <= 1.0
    assert r.single_threaded == (bool(people) and r.top_share > 0.5)


# ----------------------------------------------------------------------------- weights & params


def test_interaction_weights():
    assert interaction_weight(InteractionType.MEETING, 0.0) == 3.0
    assert interaction_weight(InteractionType.MEETING, 1.0) == 4.5
    assert interaction_weight(InteractionType.VISIT, -1.0) == 1.5
    assert interaction_weight(InteractionType.EMAIL, None) == 1.0
    assert interaction_weight(InteractionType.COMPLAINT, None) == 0.75  # default sentiment -0.5
    assert interaction_weight(InteractionType.COMPLAINT, 0.0) == 1.0
    assert interaction_weight(InteractionType.ORDER, 0.5) == 2.5
    with pytest.raises(ValueError):
        interaction_weight(InteractionType.CALL, 1.5)
    with pytest.raises(ValueError):
        interaction_weight(InteractionType.CALL, float("nan"))


def test_params_are_validated_and_immutable():
    assert DEFAULT_PARAMS.weights == DEFAULT_WEIGHTS
    with pytest.raises(ValueError, match="COMPLAINT"):
        StrengthParams(weights={t: 1.0 for t in InteractionType if t is not InteractionType.COMPLAINT})
    with pytest.raises(ValueError):
        StrengthParams(half_life_days=0)
    with pytest.raises(ValueError):
        StrengthParams(fair=0.6, good=0.5)
    custom = {t.value: 1.0 for t in InteractionType}  # string keys from config are accepted
    p = StrengthParams(weights=custom)
    custom["MEETING"] = 99.0
    assert p.weights[InteractionType.MEETING] == 1.0  # copied, not aliased
    with pytest.raises(TypeError):
        p.weights[InteractionType.MEETING] = 5.0  # type: ignore[index]
    with pytest.raises(FrozenInstanceError):
        p.half_life_days = 1.0  # type: ignore[misc]
    hash(DEFAULT_PARAMS)


def test_bad_weights_and_sentiments_are_rejected():
    with pytest.raises(ValueError):
        apply_interaction(PairState(), True, -1.0, T0, None)
    with pytest.raises(ValueError):
        replay([(True, 1.0, T0, 2.0, 0.0)])
    with pytest.raises(ValueError):
        replay([(True, 1.0, T0, None, -0.5)])
    with pytest.raises(ValueError):
        apply_interaction(PairState(), True, 1.0, T0, None, answer=float("inf"))


def test_orient():
    assert orient("alice", "bob") == ("alice", "bob", True)
    assert orient("bob", "alice") == ("alice", "bob", False)
    with pytest.raises(ValueError):
        orient("x", "x")


# ----------------------------------------------------------------------------- hand-computed values


def test_single_meeting_hand_computed():
    """A meeting is an exchange: 3 where it was started, half of that (1.5) the other way."""
    state = replay([make_event(InteractionType.MEETING, True, T0, 0.0)])
    b = explain(state, T0)
    assert (b.intensity_ab, b.intensity_ba, b.intensity) == (3.0, 1.5, 4.5)
    assert math.isclose(b.reciprocity, 2 * 1.5 / 4.5)  # 0.667
    assert b.duration == 0.0
    assert math.isclose(b.strength, (1 - math.exp(-4.5 / 6)) * (0.6 + 0.4 * 2 / 3) * 0.8)  # 0.36583
    assert b.recency_days == 0.0 and b.recency == 1.0 and b.sentiment == 0.0
    assert b.health is HealthBand.FAIR
    assert fold([make_event(InteractionType.MEETING, True, T0, 0.0)]) == state


def test_one_way_contact_counts_only_where_it_was_started():
    """EMAIL, MESSAGE, FEEDBACK and COMPLAINT: nothing the other way; an unanswered email is one-way."""
    for kind in (InteractionType.EMAIL, InteractionType.MESSAGE, InteractionType.FEEDBACK, InteractionType.COMPLAINT):
        state = replay([make_event(kind, False, T0, 0.0)])
        assert (state.intensity_ab, state.last_ab_ms, state.intensity_ba, state.last_ba_ms) == (0.0, None, 1.0, T0)
        b = explain(state, T0)
        assert b.reciprocity == 0.0
        assert math.isclose(b.strength, (1 - math.exp(-1 / 6)) * 0.6 * 0.8)  # 0.07369


def test_every_exchange_answers_half_its_weight():
    """MEETING 3, VISIT 3, CALL 2, EVENT 2, SERVICE 2 and ORDER 2 (answered by its delivery),
    each times (1 + 0.5 sentiment); the other direction gets half of that, at the same time."""
    assert TWO_WAY_TYPES == {
        InteractionType.MEETING, InteractionType.VISIT, InteractionType.CALL,
        InteractionType.EVENT, InteractionType.SERVICE, InteractionType.ORDER,
    }
    cases = [(InteractionType.MEETING, 0.0, 3.0), (InteractionType.VISIT, -1.0, 1.5), (InteractionType.CALL, 1.0, 3.0),
             (InteractionType.EVENT, 0.0, 2.0), (InteractionType.SERVICE, 0.5, 2.5), (InteractionType.ORDER, -0.5, 1.5)]
    for kind, sentiment, forward in cases:
        a_to_b, weight, at, felt, answer = make_event(kind, False, T0 + DAY, sentiment)
        assert (a_to_b, weight, at, felt, answer) == (False, forward, T0 + DAY, sentiment, forward / 2)
        state = replay([(a_to_b, weight, at, felt, answer)])
        assert (state.intensity_ba, state.intensity_ab) == (forward, forward / 2)
        assert state.last_ab_ms == state.last_ba_ms == T0 + DAY and state.count == 1
    assert answer_weight(InteractionType.EMAIL, 1.0) == 0.0
    assert answer_weight(InteractionType.COMPLAINT, 0.75) == 0.0
    assert answer_weight(InteractionType.ORDER, 2.0) == 1.0


def test_one_half_life_later_hand_computed():
    """A meeting each way at T0: 3 + 1.5 = 4.5 per direction, halved one half-life later."""
    state = replay([make_event(InteractionType.MEETING, d, T0) for d in (True, False)])
    at = T0 + 90 * DAY
    b = explain(state, at)
    assert math.isclose(b.intensity_ab, 2.25) and math.isclose(b.intensity_ba, 2.25)
    assert b.reciprocity == 1.0
    d = 1 - math.exp(-90 / 365)
    assert math.isclose(b.duration, d)
    assert math.isclose(b.strength, (1 - math.exp(-4.5 / 6)) * 1.0 * (0.8 + 0.2 * d))  # 0.4452
    assert b.recency_days == 90.0 and math.isclose(b.recency, 0.5)
    assert b.sentiment is None


def test_late_event_is_folded_in_exactly():
    """A meeting at T0 arriving after one at T0+H: 3 + 3 * 2^-1 either way."""
    early, late = (True, 3.0, T0, None, 0.0), (True, 3.0, T0 + 90 * DAY, None, 0.0)
    in_order, reversed_ = fold([early, late]), fold([late, early])
    assert in_order.intensity_ab == reversed_.intensity_ab == 4.5
    assert in_order.last_ab_ms == reversed_.last_ab_ms == T0 + 90 * DAY
    assert reversed_.first_ms == T0


def test_decay_does_not_run_backwards():
    assert decay(3.0, T0, T0 - DAY) == 3.0
    assert decay(3.0, None, T0) == 3.0
    assert math.isclose(decay(3.0, T0, T0 + 180 * DAY), 0.75)


def test_small_helpers():
    assert reciprocity(0.0, 0.0) == 0.0
    assert reciprocity(1.0, 3.0) == 0.5
    assert duration(None, T0) == 0.0
    assert duration(T0, T0 - DAY) == 0.0
    assert math.isclose(duration(T0, T0 + 365 * DAY), 1 - math.exp(-1))


def test_empty_state_explains_as_zero():
    b = explain(PairState(), T0)
    assert b.strength == 0.0 and b.recency_days is None and b.recency == 0.0
    assert b.sentiment is None and b.health is HealthBand.POOR


def test_sentiment_is_mean_of_rated_interactions_only():
    history = [
        make_event(InteractionType.FEEDBACK, True, T0, 0.8),
        make_event(InteractionType.COMPLAINT, False, T0 + DAY, None),  # unrated: weight only
        make_event(InteractionType.CALL, False, T0 + 2 * DAY, -0.2),
    ]
    assert math.isclose(explain(replay(history), T0 + 3 * DAY).sentiment, 0.3)


def test_trend_hand_computed():
    history = [make_event(InteractionType.MEETING, d, T0) for d in (True, False)]
    at = T0 + 100 * DAY

    def s(days: float) -> float:  # 9 in all at T0 (3 + 1.5 each way), balanced
        return (1 - math.exp(-9 * 2 ** (-days / 90) / 6)) * (0.8 + 0.2 * (1 - math.exp(-days / 365)))

    tr = trend(history, at)
    assert math.isclose(tr.now, s(100))
    assert math.isclose(tr.delta_30d, s(100) - s(70))
    assert math.isclose(tr.delta_90d, s(100) - s(10))
    assert tr.delta_90d < 0


# ----------------------------------------------------------------------------- health bands


def test_health_band_boundaries():
    assert health_band(1.0) is HealthBand.EXCELLENT
    assert health_band(0.75) is HealthBand.EXCELLENT
    assert health_band(0.7499) is HealthBand.GOOD
    assert health_band(0.5) is HealthBand.GOOD
    assert health_band(0.4999) is HealthBand.FAIR
    assert health_band(0.25) is HealthBand.FAIR
    assert health_band(0.2499) is HealthBand.POOR
    assert health_band(0.0) is HealthBand.POOR


def test_health_band_scenarios():
    weekly_two_way = [
        make_event(InteractionType.MEETING, w % 2 == 0, T0 + w * 7 * DAY, 0.5) for w in range(104)
    ]
    at = T0 + 104 * 7 * DAY
    assert explain(replay(weekly_two_way), at).health is HealthBand.EXCELLENT
    pair = [make_event(InteractionType.MEETING, d, T0) for d in (True, False)]
    assert explain(replay(pair), T0).health is HealthBand.GOOD  # (1 - e^-1.5) * 0.8 = 0.6215
    assert explain(replay(pair), T0 + 90 * DAY).health is HealthBand.FAIR  # 0.4452
    assert explain(replay(pair[:1]), T0).health is HealthBand.FAIR  # 0.3658
    email = [make_event(InteractionType.EMAIL, True, T0)]
    assert explain(replay(email), T0).health is HealthBand.POOR  # (1 - e^(-1/6)) * 0.6 * 0.8 = 0.0737


# ----------------------------------------------------------------------------- channel state


def chan(**overrides):
    base = dict(
        strength_now=0.6,
        strength_window_ago=0.6,
        reciprocity=0.9,
        last_ms=T0 - DAY,
        at_ms=T0,
        ended=False,
        overdue_complaint=False,
    )
    base.update(overrides)
    return channel_state(**base)


def test_channel_open():
    assert chan() == (ChannelState.OPEN, [])
    assert chan(strength_window_ago=None) == (ChannelState.OPEN, [])
    assert chan(strength_window_ago=0.0, strength_now=0.3) == (ChannelState.OPEN, [])


def test_channel_broken_reasons():
    assert chan(last_ms=T0 - 180 * DAY) == (ChannelState.BROKEN, ["SILENT"])  # exactly 2H
    assert chan(last_ms=T0 - 180 * DAY + 1) == (ChannelState.OPEN, [])
    assert chan(last_ms=None, strength_now=0.0) == (ChannelState.BROKEN, ["SILENT", "WEAK"])
    assert chan(ended=True) == (ChannelState.BROKEN, ["ENDED"])
    assert chan(strength_now=0.049, strength_window_ago=0.049) == (ChannelState.BROKEN, ["WEAK"])
    assert chan(strength_now=0.05, strength_window_ago=0.05) == (ChannelState.OPEN, [])


def test_channel_blocked_reasons():
    assert chan(strength_now=0.7, strength_window_ago=1.0) == (ChannelState.BLOCKED, ["FALLING"])
    assert chan(strength_now=0.71, strength_window_ago=1.0) == (ChannelState.OPEN, [])
    assert chan(reciprocity=0.19) == (ChannelState.BLOCKED, ["ONE_WAY"])
    assert chan(reciprocity=0.2) == (ChannelState.OPEN, [])
    assert chan(overdue_complaint=True) == (ChannelState.BLOCKED, ["OVERDUE_COMPLAINT"])
    assert chan(strength_now=0.3, strength_window_ago=0.9, reciprocity=0.0, overdue_complaint=True) == (
        ChannelState.BLOCKED,
        ["FALLING", "ONE_WAY", "OVERDUE_COMPLAINT"],
    )


def test_broken_takes_precedence_over_blocked():
    assert chan(ended=True, reciprocity=0.0, overdue_complaint=True) == (ChannelState.BROKEN, ["ENDED"])


def test_assess_channel_from_history():
    pair = [make_event(InteractionType.MEETING, d, T0) for d in (True, False)]
    assert assess_channel(pair, T0 + 10 * DAY) == (ChannelState.OPEN, [])

    def s(days: float) -> float:  # 9 in all at T0, balanced
        return (1 - math.exp(-9 * 2 ** (-days / 90) / 6)) * (0.8 + 0.2 * (1 - math.exp(-days / 365)))

    # after 100 days of silence S went 0.6046 -> 0.4245 over the 90-day window: -29.8 %, not yet
    assert s(100) > 0.7 * s(10)
    assert assess_channel(pair, T0 + 100 * DAY) == (ChannelState.OPEN, [])
    # after 110 days, 0.5866 -> 0.4041: -31.1 %
    assert s(110) <= 0.7 * s(20)
    assert assess_channel(pair, T0 + 110 * DAY) == (ChannelState.BLOCKED, ["FALLING"])
    assert assess_channel(pair, T0 + 180 * DAY) == (ChannelState.BROKEN, ["SILENT"])
    emails = [make_event(InteractionType.EMAIL, True, T0 + i * DAY) for i in range(5)]
    assert assess_channel(emails, T0 + 5 * DAY) == (ChannelState.BLOCKED, ["ONE_WAY"])
    assert assess_channel(pair, T0 + DAY, ended=True) == (ChannelState.BROKEN, ["ENDED"])
    assert assess_channel([], T0) == (ChannelState.BROKEN, ["SILENT", "WEAK"])
    assert explain_as_of(pair, T0 - DAY).strength == 0.0


# ----------------------------------------------------------------------------- roll-up


def test_rollup_hand_computed():
    r = rollup({"e2": 0.5, "e1": 0.5}, 0.0)
    assert math.isclose(r.strength, 0.75)
    assert r.top_employee_id == "e1"  # ties broken by id
    assert r.top_share == 0.5 and not r.single_threaded  # "most" means strictly more than half

    r = rollup({"e1": 0.6, "e2": 0.2}, 0.1)
    assert math.isclose(r.strength, 1 - 0.4 * 0.8 * 0.9)
    assert r.top_employee_id == "e1" and math.isclose(r.top_share, 0.6 / 0.9)
    assert r.single_threaded


def test_rollup_edge_cases():
    assert rollup({}, 0.4) == type(rollup({}, 0.4))(0.4, None, 0.0, False)
    assert rollup({"e1": 0.0}, 0.0).top_employee_id is None
    assert rollup({"e1": 0.3}, 0.0).single_threaded  # the only thread
    assert not rollup({"e1": 0.3}, 0.0, StrengthParams(single_threaded_share=1.0)).single_threaded
    with pytest.raises(ValueError):
        rollup({"e1": 1.2}, 0.0)


# -- merging a batch into a stored state (the write path's rule) -------------------------

from relgraph.scoring.strength import merge, pair_events  # noqa: E402


@settings(deadline=None, max_examples=80)
@given(
    st.lists(
        st.tuples(st.booleans(), st.floats(0, 4.5), st.integers(0, 10**11), st.none() | st.floats(-1, 1),
                  st.sampled_from([0.0, 0.5, 2.25])),
        max_size=25,
    ),
    st.integers(0, 25),
)
def test_merging_batches_equals_replaying_everything(events: list, split: int) -> None:
    stored = replay(events[:split])
    batch = replay(events[split:])
    merged = merge(stored, batch)
    full = replay(events)
    for field in ("intensity_ab", "intensity_ba"):
        assert math.isclose(getattr(merged, field), getattr(full, field), rel_tol=1e-9, abs_tol=1e-12)
    assert (merged.last_ab_ms, merged.last_ba_ms, merged.first_ms, merged.last_ms, merged.count) == (
        full.last_ab_ms, full.last_ba_ms, full.first_ms, full.last_ms, full.count
    )


def test_pair_events_tie_the_initiator_to_each_other_participant() -> None:
    events = pair_events(InteractionType.MEETING, 1000, "m", ["m", "z", "a", "z"], 0.0)
    assert [pair for pair, _ in events] == [("m", "z"), ("a", "m")]
    assert [event[0] for _, event in events] == [True, False]
    assert all(event[1] == 3.0 and event[4] == 1.5 for _, event in events)


from relgraph.scoring.strength import rewind, strength_as_of, strength_from  # noqa: E402


@settings(deadline=None, max_examples=80)
@given(
    st.lists(
        st.tuples(st.booleans(), st.floats(0, 4.5), st.integers(0, 400 * 86_400_000), st.none() | st.floats(-1, 1),
                  st.sampled_from([0.0, 0.5, 2.25])),
        min_size=1,
        max_size=25,
    ),
    st.integers(0, 400 * 86_400_000),
)
def test_rewinding_the_state_equals_the_strength_as_of_then(events: list, then: int) -> None:
    """Strength at an earlier moment from the state now and the recent events alone."""
    state = replay(events)
    recent = [e for e in events if e[2] > then]
    i_ab, i_ba, first = rewind(state, recent, then)
    expected = strength_as_of(events, then)
    assert math.isclose(strength_from(i_ab, i_ba, first, then), expected, rel_tol=1e-6, abs_tol=1e-9)


from relgraph.scoring.strength import batch_states  # noqa: E402

_people = st.sampled_from(["a", "b", "c", "d"])


@settings(deadline=None, max_examples=60)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(list(InteractionType)),
            st.integers(0, 10**11),
            _people,
            st.lists(_people, min_size=1, max_size=3),
            st.none() | st.floats(-1, 1),
        ),
        max_size=20,
    )
)
def test_batch_states_equal_pair_events_and_replay(batch: list) -> None:
    grouped: dict = {}
    for kind, at, initiator, participants, sentiment in batch:
        for pair, event in pair_events(kind, at, initiator, participants, sentiment):
            grouped.setdefault(pair, []).append(event)
    expected = {pair: replay(events) for pair, events in grouped.items()}
    got = batch_states([(k.value, at, i, p, s) for k, at, i, p, s in batch])
    assert got.keys() == expected.keys()
    for pair, state in got.items():
        want = expected[pair]
        assert math.isclose(state.intensity_ab, want.intensity_ab, rel_tol=1e-12, abs_tol=1e-12)
        assert math.isclose(state.intensity_ba, want.intensity_ba, rel_tol=1e-12, abs_tol=1e-12)
        assert (state.last_ab_ms, state.last_ba_ms, state.first_ms, state.last_ms, state.count) == (
            want.last_ab_ms, want.last_ba_ms, want.first_ms, want.last_ms, want.count)


@settings(deadline=None, max_examples=80)
@given(
    st.lists(st.tuples(kinds, st.booleans(), st.integers(T0, T0 + 400 * DAY), sentiments), max_size=20),
    st.integers(0, 200 * DAY),
)
def test_each_direction_is_what_it_started_plus_half_its_answers(items: list, after: int) -> None:
    """The rule in its own words, summed by hand: a direction's intensity is the decayed
    weight of what it started, plus half the decayed weight of the exchanges (meetings,
    visits, calls, events, service, orders) the other side started."""
    history = [make_event(kind, d, t, s) for kind, d, t, s in items]
    at = T0 + 400 * DAY + after

    def by_hand(toward_b: bool) -> float:
        total = 0.0
        for kind, d, t, s in items:
            w = DEFAULT_WEIGHTS[kind] * (1 + 0.5 * (s if s is not None else (-0.5 if kind is InteractionType.COMPLAINT else 0.0)))
            share = 1.0 if d == toward_b else (0.5 if kind in TWO_WAY_TYPES else 0.0)
            total += share * w * 2 ** (-(at - t) / (90 * DAY))
        return total

    b = explain(replay(history), at)
    assert math.isclose(b.intensity_ab, by_hand(True), rel_tol=1e-9, abs_tol=1e-12)
    assert math.isclose(b.intensity_ba, by_hand(False), rel_tol=1e-9, abs_tol=1e-12)
    assert replay(history).count == len(items)
