"""The column form of strength agrees with the one-tie form, tie for tie."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from relgraph.scoring import DEFAULT_PARAMS, MS_PER_DAY, PairState, StrengthParams, explain, health_band, replay
from relgraph.scoring.strength import make_event, rewind, strength_from
from relgraph.domain.enums import HealthBand, InteractionType
from relgraph.scoring.tie_columns import EventColumns, TieColumns, in_bands, ranked, rewound, rollups, strengths_at, strengths_of

DAY = MS_PER_DAY
T0 = 1_700_000_000_000
SPAN = 3 * 365 * DAY

events = st.builds(
    lambda kind, a_to_b, t, s: make_event(kind, a_to_b, t, s),
    st.sampled_from(list(InteractionType)),
    st.booleans(),
    st.integers(T0, T0 + SPAN),
    st.one_of(st.none(), st.floats(-1.0, 1.0, allow_nan=False)),
)
states = st.lists(events, max_size=12).map(replay)
params_st = st.builds(StrengthParams, half_life_days=st.floats(1.0, 720.0), saturation_k=st.floats(0.25, 50.0))


def network(pair_states: list[PairState]) -> TieColumns:
    return TieColumns.of([(f"a{i:04d}", f"b{i:04d}", s) for i, s in enumerate(pair_states)])


@settings(deadline=None, max_examples=100)
@given(pair_states=st.lists(states, max_size=30), after=st.integers(0, 4 * 365 * DAY), params=params_st)
def test_column_strength_equals_explain(pair_states: list[PairState], after: int, params: StrengthParams) -> None:
    at = T0 + SPAN + after
    vector = strengths_at(network(pair_states), at, params)
    for state, value in zip(pair_states, vector.tolist()):
        assert math.isclose(value, explain(state, at, params).strength, rel_tol=1e-12, abs_tol=1e-15)


@settings(deadline=None, max_examples=100)
@given(pair_states=st.lists(states, max_size=30), bands=st.sets(st.sampled_from(list(HealthBand))))
def test_band_masks_equal_health_band(pair_states: list[PairState], bands: set[HealthBand]) -> None:
    at = T0 + SPAN
    vector = strengths_at(network(pair_states), at, DEFAULT_PARAMS)
    mask = in_bands(vector, bands, DEFAULT_PARAMS)
    assert mask.tolist() == [health_band(s, DEFAULT_PARAMS) in bands for s in vector.tolist()]


@settings(deadline=None, max_examples=100)
@given(
    values=st.lists(st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.9, 1.0]), max_size=40),
    first=st.integers(0, 45),
    descending=st.booleans(),
    data=st.data(),
)
def test_ranked_is_a_full_sort_cut_to_the_page(values: list[float], first: int, descending: bool, data: st.DataObject) -> None:
    pairs = [(f"a{i:03d}", f"b{i:03d}") for i in range(len(values))]
    keep = np.array(data.draw(st.lists(st.booleans(), min_size=len(values), max_size=len(values))), dtype=bool)
    expected = sorted(
        (i for i in range(len(values)) if keep[i]),
        key=lambda i: (-values[i] if descending else values[i], pairs[i]),
    )[:first]
    assert ranked(np.array(values), pairs, first=first, descending=descending, keep=keep) == expected


def test_a_pair_that_never_met_scores_zero() -> None:
    assert strengths_at(network([PairState()]), T0, DEFAULT_PARAMS).tolist() == [0.0]


@settings(deadline=None, max_examples=100)
@given(pair_states=st.lists(states, max_size=20))
def test_columns_give_back_every_state_exactly(pair_states: list[PairState]) -> None:
    cols = network(pair_states)
    assert [cols.state(i) for i in range(len(cols))] == pair_states


@settings(deadline=None, max_examples=150)
@given(histories=st.lists(st.lists(events, max_size=10), max_size=20), back=st.integers(-30 * DAY, SPAN + 30 * DAY),
       params=params_st)
def test_rewound_equals_rewind(histories: list[list], back: int, params: StrengthParams) -> None:
    """The vector twin of `rewind`: each tie wound back to `then` from its state and its
    events since, equal to the one-tie form (intensities, first contact, strength)."""
    then = T0 + SPAN - back
    pair_states = [replay(h, params) for h in histories]
    columns = network(pair_states)
    recent = {columns.pairs[i]: [e for e in h if e[2] > then - DAY] for i, h in enumerate(histories)}
    index = {pair: i for i, pair in enumerate(columns.pairs)}
    i_ab, i_ba, first = rewound(columns, EventColumns.of(recent, index), then, params)
    strengths = strengths_of(i_ab, i_ba, first, then, params)
    for i, state in enumerate(pair_states):
        want_ab, want_ba, want_first = rewind(state, recent[columns.pairs[i]], then, params)
        assert math.isclose(i_ab[i], want_ab, rel_tol=1e-9, abs_tol=1e-9)
        assert math.isclose(i_ba[i], want_ba, rel_tol=1e-9, abs_tol=1e-9)
        assert (want_first is None and math.isnan(first[i])) or first[i] == want_first
        want = strength_from(want_ab, want_ba, want_first, then, params)
        assert math.isclose(strengths[i], want, rel_tol=1e-9, abs_tol=1e-9)


def test_events_of_unknown_pairs_are_dropped() -> None:
    events = EventColumns.of({("x", "y"): [(True, 1.0, T0, None, 0.5)], ("a", "b"): [(False, 2.0, T0 + 1, None, 1.0)]},
                             {("a", "b"): 0})
    assert events.tie.tolist() == [0] and events.a_to_b.tolist() == [False] and events.weight.tolist() == [2.0]
    assert events.answer.tolist() == [1.0]


tie_strength = st.one_of(st.floats(0.0, 1.0), st.sampled_from([0.0, 1.0, 0.5]))


@settings(deadline=None, max_examples=200)
@given(ties=st.lists(st.tuples(st.integers(0, 4), st.integers(-1, 3), tie_strength), max_size=40),
       threshold=st.floats(0.0, 1.0))
def test_rollups_equal_rollup(ties: list[tuple[int, int, float]], threshold: float) -> None:
    """The vector roll-up equals `strength.rollup` account by account (employee -1: org level)."""
    from relgraph.scoring.strength import noisy_or, rollup

    params = StrengthParams(single_threaded_share=threshold)
    names = ["e0", "e1", "e2", "e3"]
    got = rollups(np.array([t[0] for t in ties], dtype=np.int64), np.array([t[1] for t in ties], dtype=np.int64),
                  np.array([t[2] for t in ties], dtype=np.float64), 5, params)
    for account in range(5):
        mine = [t for t in ties if t[0] == account]
        people = {names[e]: noisy_or([s for _, f, s in mine if f == e]) for e in sorted({t[1] for t in mine if t[1] >= 0})}
        want = rollup(people, noisy_or([s for _, f, s in mine if f < 0]), params)
        assert math.isclose(got.strength[account], want.strength, rel_tol=1e-12, abs_tol=1e-12)
        top = names[got.top_employee[account]] if got.top_employee[account] >= 0 else None
        if top != want.top_employee_id:
            # only a tie in strength (to rounding) may pick another employee, or none at all
            # when the strongest one rounds to 0 in one form and not the other (~1e-16)
            chosen = people[top] if top is not None else 0.0
            wanted = people[want.top_employee_id] if want.top_employee_id is not None else 0.0
            assert math.isclose(chosen, wanted, rel_tol=1e-12, abs_tol=1e-12)
            continue
        assert math.isclose(got.top_share[account], want.top_share, rel_tol=1e-9, abs_tol=1e-12)
        if not math.isclose(want.top_share, threshold, rel_tol=1e-9, abs_tol=1e-12):
            assert bool(got.single_threaded[account]) == want.single_threaded


@settings(deadline=None, max_examples=150)
@given(histories=st.lists(st.lists(events, max_size=10), max_size=20), back=st.integers(-30 * DAY, SPAN + 30 * DAY),
       flags=st.lists(st.tuples(st.booleans(), st.booleans()), min_size=20, max_size=20), params=params_st)
def test_channels_equal_channel_at(histories: list[list], back: int, flags: list[tuple[bool, bool]],
                                   params: StrengthParams) -> None:
    """The vector channel states equal the one-tie form, tie by tie."""
    from relgraph.domain.enums import ChannelState
    from relgraph.services.network_channels import channel_at
    from relgraph.scoring.tie_columns import BLOCKED, BROKEN, OPEN, channels

    at = T0 + SPAN - back
    lookback = int(max(params.blocked_window_days, params.broken_silence_half_lives * params.half_life_days) * DAY)
    pair_states = [replay(h, params) for h in histories]
    columns = network(pair_states)
    recent = {columns.pairs[i]: [e for e in h if e[2] > at - lookback] for i, h in enumerate(histories)}
    index = {pair: i for i, pair in enumerate(columns.pairs)}
    ended = np.array([f[0] for f in flags[: len(histories)]], dtype=bool)
    overdue = np.array([f[1] for f in flags[: len(histories)]], dtype=bool)
    got = channels(columns, EventColumns.of(recent, index), at, params, ended=ended, overdue=overdue)
    codes = {ChannelState.OPEN: OPEN, ChannelState.BLOCKED: BLOCKED, ChannelState.BROKEN: BROKEN, None: -1}
    for i, state in enumerate(pair_states):
        want = channel_at(state, recent[columns.pairs[i]], at, params, ended=bool(ended[i]), overdue=bool(overdue[i]))
        assert got[i] == codes[want], (i, got[i], want)
