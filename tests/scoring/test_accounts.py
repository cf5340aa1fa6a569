"""Tests for relgraph.scoring.accounts: key-account criteria, score, tiers, ABC, flags, value."""

from __future__ import annotations

import math
import random
import time
from dataclasses import FrozenInstanceError, replace
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relgraph.domain.enums import Demand, InteractionType, Tier
from relgraph.scoring.accounts import (
    CRITERIA,
    REASON_LOW_SWITCHING_COST,
    REASON_ONE_WAY_CONTACT,
    REASON_PRICE_DRIVEN,
    REASON_TIES_TO_COMPETITORS,
    Criteria,
    KeyAccountInput,
    KeyAccountParams,
    KeyAccountWeights,
    TierThresholds,
    TransactionalParams,
    abc_classes,
    clv,
    demand_class,
    demand_signals,
    herfindahl,
    influence_score,
    log_scale,
    loss_impact,
    potential_score,
    referral_weights,
    score_accounts,
    stability,
    supplier_dependency,
    tenure_days,
    top_suppliers,
    transactional,
    weighted_score,
)
from relgraph.scoring.strength import MS_PER_DAY

DAY = MS_PER_DAY
T0 = 1_700_000_000_000
EPS = 1e-12

unit = st.floats(0.0, 1.0, allow_nan=False)
money = st.one_of(st.just(0.0), st.floats(0.01, 1e9, allow_nan=False))
days = st.floats(0.0, 20 * 365.0, allow_nan=False)


def close(a: float, b: float, tol: float = 1e-9) -> bool:
    return math.isclose(a, b, rel_tol=tol, abs_tol=tol)


account_rows = st.tuples(
    money, money, days, unit, unit, st.floats(0.0, 100.0),
    st.lists(st.tuples(st.integers(0, 7), money, unit), max_size=2),
)


@st.composite
def populations(draw, min_size=1, max_size=8):
    """Accounts ``acct-00`` ... with referrals among themselves (never to self)."""
    rows = draw(st.lists(account_rows, min_size=min_size, max_size=max_size))
    ids = [f"acct-{i:02d}" for i in range(len(rows))]
    out = []
    for i, (rev, pot, ten, s_now, s90, infl, refs) in enumerate(rows):
        referred = {ids[j % len(ids)]: (r, w) for j, r, w in refs if j % len(ids) != i}
        out.append(KeyAccountInput(ids[i], rev, pot, ten, s_now, s90, infl, referred))
    return out


weights_st = (
    st.tuples(*[st.floats(0.0, 10.0) for _ in CRITERIA])
    .filter(lambda ws: sum(ws) > 1e-6)
    .map(lambda ws: KeyAccountWeights(*ws))
)
criteria_st = st.builds(Criteria, unit, unit, unit, unit, unit)


# ----------------------------------------------------------------------------- properties


@settings(deadline=None, max_examples=30)
@given(pop=populations(), weights=weights_st)
def test_every_criterion_and_score_in_unit_interval_and_sorted(pop, weights):
    scores = score_accounts(pop, weights)
    assert sorted(s.account_id for s in scores) == sorted(x.account_id for x in pop)
    for s in scores:
        for name, v in s.breakdown.as_dict().items():
            assert 0.0 <= v <= 1.0, name
        assert 0.0 <= s.score <= 1.0
        assert close(s.score, weighted_score(s.breakdown, weights))
        assert s.tier is TierThresholds().tier(s.score)
        assert 0.0 <= s.revenue_share_raw <= 1.0 + EPS
    keys = [(-s.score, s.account_id) for s in scores]
    assert keys == sorted(keys)


@settings(deadline=None, max_examples=50)
@given(c=criteria_st, weights=weights_st, name=st.sampled_from(CRITERIA), bump=unit)
def test_score_is_monotone_in_each_criterion(c, weights, name, bump):
    raised = replace(c, **{name: min(1.0, getattr(c, name) + bump)})
    assert weighted_score(raised, weights) >= weighted_score(c, weights) - EPS


@settings(deadline=None, max_examples=40)
@given(c=criteria_st, weights=weights_st, k=st.floats(0.01, 100.0))
def test_weights_are_normalised(c, weights, k):
    w = weights.normalised()
    assert close(sum(w.values()), 1.0)
    assert all(v >= 0 for v in w.values())
    scaled = KeyAccountWeights(**{n: getattr(weights, n) * k for n in CRITERIA})
    assert close(weighted_score(c, scaled), weighted_score(c, weights))


def test_equal_weights_by_default_and_single_criterion_weight():
    c = Criteria(0.1, 0.2, 0.3, 0.4, 0.5)
    assert close(weighted_score(c), 0.3)
    assert close(weighted_score(c, KeyAccountWeights(0, 0, 0, 0, 3)), 0.5)
    assert KeyAccountWeights().normalised() == {n: 0.2 for n in CRITERIA}


@pytest.mark.parametrize(
    "kwargs",
    [
        {"stability": -1.0},
        {"influence": math.nan},
        {"potential": math.inf},
        {n: 0.0 for n in CRITERIA},
    ],
)
def test_bad_weights_raise(kwargs):
    with pytest.raises(ValueError):
        KeyAccountWeights(**kwargs)


@settings(deadline=None, max_examples=60)
@given(st.tuples(*[st.floats(0.0, 1.7976931348623157e308) for _ in CRITERIA]))
def test_weights_are_accepted_exactly_when_their_sum_is_finite_and_positive(ws):
    """Every weight finite is not enough: the sum, which normalising divides by, must be too.

    The exact sum decides; within a hair of the largest float (where rounding decides)
    the weights may go either way, but never past a ValueError."""
    exact = sum(Fraction(w) for w in ws)
    if exact == 0 or exact >= 2**1024 - 2**970:  # rounds to infinity
        with pytest.raises(ValueError, match="sum"):
            KeyAccountWeights(*ws)
        return
    try:
        weights = KeyAccountWeights(*ws)
    except ValueError:
        assert exact > Fraction(1.79e308)
        return
    w = weights.normalised()
    assert all(math.isfinite(v) and 0.0 <= v <= 1.0 for v in w.values()) and close(math.fsum(w.values()), 1.0)


@settings(deadline=None, max_examples=30)
@given(pop=populations(min_size=2), k=st.floats(0.001, 1000.0))
def test_revenue_and_dependency_are_currency_free(pop, k):
    """Multiplying every amount by a constant (another currency) changes no criterion."""
    scaled = [
        replace(
            x,
            revenue_12m=x.revenue_12m * k,
            potential=x.potential * k,
            referred_revenue={i: (r * k, w) for i, (r, w) in x.referred_revenue.items()},
        )
        for x in pop
    ]
    a = {s.account_id: s.breakdown.as_dict() for s in score_accounts(pop)}
    b = {s.account_id: s.breakdown.as_dict() for s in score_accounts(scaled)}
    for aid in a:
        for n in CRITERIA:
            assert math.isclose(a[aid][n], b[aid][n], rel_tol=1e-6, abs_tol=1e-9), (aid, n)


@settings(deadline=None, max_examples=30)
@given(pop=populations(min_size=2))
def test_revenue_criterion_is_monotone_in_revenue_and_top_is_one(pop):
    scores = {s.account_id: s.breakdown for s in score_accounts(pop)}
    by_rev = sorted(pop, key=lambda x: x.revenue_12m)
    for lo, hi in zip(by_rev, by_rev[1:]):
        assert scores[lo.account_id].revenue_share <= scores[hi.account_id].revenue_share + EPS
    top = by_rev[-1]
    assert scores[top.account_id].revenue_share == (1.0 if top.revenue_12m > 0 else 0.0)
    for x in pop:
        if x.revenue_12m == 0:
            assert scores[x.account_id].revenue_share == 0.0


@settings(deadline=None, max_examples=30)
@given(pop=populations(min_size=2))
def test_without_referrals_dependency_equals_revenue_share(pop):
    plain = [replace(x, referred_revenue={}) for x in pop]
    for s in score_accounts(plain):
        assert close(s.breakdown.dependency, s.breakdown.revenue_share)
        assert close(s.loss_impact, next(x.revenue_12m for x in plain if x.account_id == s.account_id))


@settings(deadline=None, max_examples=30)
@given(pop=populations(min_size=1), extra=st.integers(1, 5))
def test_zero_revenue_prospects_do_not_move_the_others(pop, extra):
    prospects = [KeyAccountInput(f"zz-{i}", potential=10.0) for i in range(extra)]
    a = {s.account_id: s.breakdown for s in score_accounts(pop)}
    b = {s.account_id: s.breakdown for s in score_accounts(pop + prospects)}
    for aid, c in a.items():
        assert close(c.revenue_share, b[aid].revenue_share)
        assert close(c.dependency, b[aid].dependency)


@settings(deadline=None, max_examples=50)
@given(t=days, t2=days, s_now=unit, s_now2=unit, s90=unit, s90b=unit)
def test_stability_in_unit_interval_and_monotone(t, t2, s_now, s_now2, s90, s90b):
    v = stability(t, s_now, s90)
    assert 0.0 <= v <= 1.0
    assert stability(max(t, t2), s_now, s90) >= v - EPS  # longer tenure never hurts
    assert stability(t, max(s_now, s_now2), s90) >= v - EPS  # stronger now never hurts
    assert stability(t, s_now, min(s90, s90b)) >= v - EPS  # a smaller past (less drop) never hurts


# ----------------------------------------------------------------------------- criteria by hand


def test_stability_hand_computed():
    tenure = 1 - math.exp(-1)  # one year
    assert close(stability(365.0, 0.6, 0.6), tenure)  # steady, cooperative (>= 0.5)
    assert close(stability(365.0, 0.25, 0.25), tenure * 0.5)  # steady but only half as cooperative
    assert close(stability(365.0, 0.54, 0.6), tenure * (1 - 0.1 / 0.3))  # 10 % fall: 1/3 of the credit gone
    assert stability(365.0, 0.42, 0.6) == 0.0  # a 30 % fall: channel BLOCKED, no stability
    assert close(stability(365.0, 0.9, 0.5), tenure)  # a rise is room to grow, not instability
    assert stability(0.0, 0.9, 0.9) == 0.0  # brand new
    assert stability(10 * 365.0, 0.0, 0.0) == 0.0  # old but dead
    custom = KeyAccountParams(drop_limit=1.0, cooperative_strength=0.0)
    assert close(stability(365.0, 0.3, 0.6, custom), tenure * 0.5)


@pytest.mark.parametrize(
    "args", [(-1.0, 0.5, 0.5), (10.0, 1.5, 0.5), (10.0, 0.5, -0.1), (math.nan, 0.5, 0.5)]
)
def test_stability_rejects_bad_input(args):
    with pytest.raises(ValueError):
        stability(*args)


def test_potential_influence_and_log_scale_by_hand():
    assert potential_score(100.0, 100.0) == 0.5
    assert potential_score(300.0, 100.0) == 0.75
    assert potential_score(0.0, 100.0) == 0.0
    assert potential_score(0.0, 0.0) == 0.0
    assert potential_score(50.0, 0.0) == 1.0
    assert influence_score(87.5) == 0.875
    with pytest.raises(ValueError):
        influence_score(101.0)
    assert log_scale(0.0, 0.0, 0.0) == 0.0
    assert close(log_scale(10.0, 30.0, 10.0), math.log(2) / math.log(4))
    assert log_scale(30.0, 30.0, 10.0) == 1.0


def test_an_outlier_does_not_flatten_everyone_else():
    """Why a log scale and not share / largest share: one giant account would leave the
    runner-up, with a tenth of its revenue, at 0.1 and every small account near 0."""
    pop = [KeyAccountInput("giant", revenue_12m=1_000_000.0), KeyAccountInput("second", revenue_12m=100_000.0)]
    pop += [KeyAccountInput(f"small-{i:02d}", revenue_12m=1_000.0) for i in range(50)]
    s = {x.account_id: x for x in score_accounts(pop)}
    assert s["giant"].breakdown.revenue_share == 1.0
    assert s["second"].breakdown.revenue_share > 0.4  # linear would give 0.1
    assert s["small-00"].breakdown.revenue_share > 10 * 0.001  # linear would give 0.001
    assert s["second"].revenue_share_raw == pytest.approx(100_000 / 1_150_000)


def test_loss_impact_counts_the_network():
    assert loss_impact(100.0, {}) == 100.0
    assert close(loss_impact(100.0, {"x": (200.0, 0.5), "y": (50.0, 0.2)}), 100 + 100 + 10)
    with pytest.raises(ValueError):
        loss_impact(100.0, {"x": (200.0, 1.5)})


def test_a_referrer_outranks_an_equal_account_without_referrals():
    """Seed 001's dependency mark: losing the referrer also risks the revenue it brought in."""
    pop = [
        KeyAccountInput("referrer", revenue_12m=100.0, referred_revenue={"big": (1000.0, 0.95)}),
        KeyAccountInput("loner", revenue_12m=100.0),
        KeyAccountInput("big", revenue_12m=1000.0),
    ]
    s = {x.account_id: x for x in score_accounts(pop)}
    assert s["referrer"].breakdown.revenue_share == s["loner"].breakdown.revenue_share
    assert s["referrer"].breakdown.dependency > s["big"].breakdown.dependency > s["loner"].breakdown.dependency
    assert s["referrer"].breakdown.dependency == 1.0
    assert s["referrer"].loss_impact == 1050.0  # more than the big account it brought in
    assert s["referrer"].loss_share == pytest.approx(1050.0 / 1200.0)
    assert s["referrer"].score > s["loner"].score


def test_referral_weights_one_and_two_hops():
    edges = {"a": {"b": 0.8, "c": 0.5}, "b": {"c": 0.9, "d": 0.5}, "c": {"a": 1.0}, "d": {"e": 1.0}}
    w = referral_weights(edges, "a")
    assert w == pytest.approx({"b": 0.8, "c": 0.72, "d": 0.4})  # c: best of 0.5 direct and 0.8*0.9
    assert "a" not in w and "e" not in w  # no self, no third hop
    assert referral_weights(edges, "a", max_hops=1) == {"b": 0.8, "c": 0.5}
    assert referral_weights(edges, "a", max_hops=3)["e"] == pytest.approx(0.4)
    assert referral_weights(edges, "zzz") == {}
    with pytest.raises(ValueError):
        referral_weights({"a": {"b": 2.0}}, "a")


def test_scenario_key_suitable_general():
    """A hand-built book: a long, strong, big, influential account is KEY; a mid one SUITABLE;
    a new, small, quiet one GENERAL."""
    pop = [
        KeyAccountInput("anchor", revenue_12m=500_000.0, potential=250_000.0, tenure_days=4 * 365.0,
                        strength_now=0.8, strength_90d_ago=0.78, influence_percentile=95.0),
        KeyAccountInput("mid", revenue_12m=60_000.0, potential=60_000.0, tenure_days=2 * 365.0,
                        strength_now=0.5, strength_90d_ago=0.5, influence_percentile=60.0),
        KeyAccountInput("newbie", revenue_12m=2_000.0, potential=1_000.0, tenure_days=30.0,
                        strength_now=0.2, strength_90d_ago=0.0, influence_percentile=10.0),
    ]
    pop += [KeyAccountInput(f"tail-{i:02d}", revenue_12m=5_000.0) for i in range(20)]
    scores = score_accounts(pop)
    tiers = {s.account_id: s.tier for s in scores}
    assert (tiers["anchor"], tiers["mid"], tiers["newbie"]) == (Tier.KEY, Tier.SUITABLE, Tier.GENERAL)
    assert scores[0].account_id == "anchor"
    b = scores[0].breakdown
    assert close(b.potential, 1 / 3) and close(b.influence, 0.95) and b.revenue_share == 1.0


def test_tiers_by_configurable_thresholds_are_inclusive():
    t = TierThresholds(key=0.7, suitable=0.4)
    assert [t.tier(x) for x in (0.7, 0.69, 0.4, 0.39)] == [Tier.KEY, Tier.SUITABLE, Tier.SUITABLE, Tier.GENERAL]
    d = TierThresholds()
    assert (d.key, d.suitable) == (0.6, 0.35)
    for bad in ({"key": 0.3, "suitable": 0.5}, {"key": 1.1}, {"suitable": -0.1}, {"key": math.nan}):
        with pytest.raises(ValueError):
            TierThresholds(**bad)
    everyone_key = score_accounts([KeyAccountInput("x")], thresholds=TierThresholds(0.0, 0.0))
    assert everyone_key[0].tier is Tier.KEY


def test_ties_sorted_by_id_and_duplicates_rejected():
    pop = [KeyAccountInput(i, revenue_12m=10.0) for i in ("c", "a", "b")]
    assert [s.account_id for s in score_accounts(pop)] == ["a", "b", "c"]
    with pytest.raises(ValueError):
        score_accounts([KeyAccountInput("a"), KeyAccountInput("a")])
    assert score_accounts([]) == []


def test_inputs_are_validated_and_frozen():
    for bad in (
        {"revenue_12m": -1.0},
        {"strength_now": 1.2},
        {"influence_percentile": 120.0},
        {"referred_revenue": {"x": (10.0, 1.1)}},
        {"referred_revenue": {"self": (10.0, 0.5)}},
    ):
        with pytest.raises(ValueError):
            KeyAccountInput("self", **bad)
    x = KeyAccountInput("a", referred_revenue={"b": (1, 1)})
    with pytest.raises(FrozenInstanceError):
        x.revenue_12m = 5.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        x.referred_revenue["c"] = (1.0, 1.0)  # type: ignore[index]
    with pytest.raises(ValueError):
        score_accounts([KeyAccountInput("a", revenue_12m=10.0)], total_revenue=5.0)
    s = score_accounts([KeyAccountInput("a", revenue_12m=10.0)], total_revenue=40.0)[0]
    assert s.revenue_share_raw == 0.25 and s.breakdown.revenue_share == 1.0


def test_tenure_days_helper():
    assert tenure_days(T0, T0 + 10 * DAY) == 10.0
    assert tenure_days(None, T0) == 0.0
    assert tenure_days(T0, T0 - DAY) == 0.0


# ----------------------------------------------------------------------------- ABC


@settings(deadline=None, max_examples=50)
@given(
    rev=st.dictionaries(st.text("abcdef", min_size=1, max_size=3), money, max_size=15),
    ab=st.tuples(st.floats(0.05, 1.0), st.floats(0.05, 1.0)).map(sorted),
)
def test_abc_partition_covers_all_and_is_monotone(rev, ab):
    a, b = ab
    classes = abc_classes(rev, a, b)
    assert set(classes) == set(rev)
    assert set(classes.values()) <= {"A", "B", "C"}
    for k, v in rev.items():
        if v == 0:
            assert classes[k] == "C"
    if sum(rev.values()) > 0:
        top = max(rev.values())
        assert all(classes[k] == "A" for k, v in rev.items() if v == top)
    order = "ABC"
    for k1, v1 in rev.items():
        for k2, v2 in rev.items():
            if v1 > v2:
                assert order.index(classes[k1]) <= order.index(classes[k2])
            if v1 == v2:
                assert classes[k1] == classes[k2]  # ties never split by id


@settings(deadline=None, max_examples=200)
@given(
    rev=st.dictionaries(st.text("abcdefgh", min_size=1, max_size=3), money, max_size=30),
    ab=st.tuples(st.floats(0.05, 1.0), st.floats(0.05, 1.0)).map(sorted),
)
def test_abc_matches_the_cumulative_definition(rev, ab):
    """The linear-time sweep gives exactly the classes of the definition: each group of
    equal revenue classed by fsum of every account before it over the total."""
    a, b = ab
    total = math.fsum(rev.values())
    expected = {}
    for k, v in rev.items():
        share_before = math.fsum(x for x in rev.values() if x > v) / total if total > 0 else 1.0
        expected[k] = "C" if v <= 0 else "A" if share_before < a else "B" if share_before < b else "C"
    assert abc_classes(rev, a, b) == expected


def test_abc_is_fast_on_a_large_book():
    rng = random.Random(3)
    rev = {f"c{i}": round(rng.lognormvariate(10, 1.5), 2) for i in range(40_000)}
    started = time.perf_counter()
    classes = abc_classes(rev)
    assert time.perf_counter() - started < 10  # was O(n^2): minutes on 30k accounts
    assert set(classes.values()) == {"A", "B", "C"}


def test_abc_by_hand_and_boundaries():
    rev = {"a": 50.0, "b": 30.0, "c": 10.0, "d": 6.0, "e": 4.0, "z": 0.0}
    # shares before: a 0, b .5, c .8 (not < .8), d .9, e .96 (not < .95)
    assert abc_classes(rev) == {"a": "A", "b": "A", "c": "B", "d": "B", "e": "C", "z": "C"}
    assert abc_classes({"whale": 90.0, "minnow": 10.0}) == {"whale": "A", "minnow": "B"}  # .9 before: < b
    assert abc_classes({"whale": 96.0, "minnow": 4.0}) == {"whale": "A", "minnow": "C"}  # .96 before: past b
    assert abc_classes({"x": 40.0, "y": 40.0, "z": 20.0}) == {"x": "A", "y": "A", "z": "B"}  # tie group
    assert abc_classes({"x": 0.0, "y": 0.0}) == {"x": "C", "y": "C"}
    assert abc_classes({}) == {}
    for bad in ((0.9, 0.8), (0.0, 0.5), (0.8, 1.2)):
        with pytest.raises(ValueError):
            abc_classes(rev, *bad)
    with pytest.raises(ValueError):
        abc_classes({"x": -1.0})


# ----------------------------------------------------------------------------- CLV


def test_clv_formula_and_series():
    assert clv(100.0, 0.8, 0.1) == pytest.approx(100 * 0.8 / 0.3)
    assert clv(100.0, 0.0, 0.1) == 0.0
    assert clv(100.0, 1.0, 0.25) == pytest.approx(400.0)
    assert clv(-50.0, 0.5, 0.0) == pytest.approx(-50.0)
    m, r, d = 120.0, 0.7, 0.12
    series = sum(m * (r / (1 + d)) ** t for t in range(1, 400))
    assert clv(m, r, d) == pytest.approx(series, rel=1e-9)


@pytest.mark.parametrize(
    "args", [(100.0, 1.0, 0.0), (100.0, 1.1, 0.2), (100.0, -0.1, 0.1), (100.0, 0.5, -0.1), (math.nan, 0.5, 0.1)]
)
def test_clv_rejects_divergent_or_bad_input(args):
    with pytest.raises(ValueError):
        clv(*args)


@settings(deadline=None, max_examples=40)
@given(m=st.floats(0.0, 1e6), r1=st.floats(0.0, 0.99), r2=st.floats(0.0, 0.99), d=st.floats(0.0, 1.0))
def test_clv_grows_with_retention(m, r1, r2, d):
    lo, hi = sorted((r1, r2))
    assert clv(m, lo, d) <= clv(m, hi, d) + 1e-9


# ----------------------------------------------------------------------------- transactional

BASE = dict(orders=2, non_order_contacts=10, tenure_days=800.0, buys_from_competitor=False, reciprocity=0.8)


@pytest.mark.parametrize(
    "change, reason",
    [
        ({"orders": 9, "non_order_contacts": 1}, REASON_PRICE_DRIVEN),
        ({"price_sensitive": True}, REASON_PRICE_DRIVEN),
        ({"tenure_days": 60.0}, REASON_LOW_SWITCHING_COST),
        ({"supplier_count": 4}, REASON_LOW_SWITCHING_COST),
        ({"buys_from_competitor": True}, REASON_TIES_TO_COMPETITORS),
        ({"reciprocity": 0.1}, REASON_ONE_WAY_CONTACT),
    ],
)
def test_each_transactional_reason_alone_does_not_flag(change, reason):
    assert transactional(**BASE) == (False, [])
    assert transactional(**{**BASE, **change}) == (False, [reason])
    assert transactional(**{**BASE, **change}, params=TransactionalParams(min_reasons=1)) == (True, [reason])


def test_two_reasons_flag_and_order_is_fixed():
    flagged, reasons = transactional(**{**BASE, "reciprocity": 0.0, "buys_from_competitor": True})
    assert flagged and reasons == [REASON_TIES_TO_COMPETITORS, REASON_ONE_WAY_CONTACT]
    flagged, reasons = transactional(
        orders=10, non_order_contacts=0, tenure_days=20.0, buys_from_competitor=True, reciprocity=0.0
    )
    assert flagged and reasons == list(
        (REASON_PRICE_DRIVEN, REASON_LOW_SWITCHING_COST, REASON_TIES_TO_COMPETITORS, REASON_ONE_WAY_CONTACT)
    )


def test_transactional_edges():
    # an analyst's "not price-sensitive" wins over an order-only history
    assert transactional(**{**BASE, "orders": 9, "non_order_contacts": 0, "price_sensitive": False}) == (False, [])
    # many orders but also many conversations: not price-driven
    assert transactional(**{**BASE, "orders": 40, "non_order_contacts": 5}) == (False, [])
    # no contact measured: no evidence of one-way contact; no orders: not price-driven
    assert transactional(**{**BASE, "orders": 0, "non_order_contacts": 0, "reciprocity": None}) == (False, [])
    # boundaries: tenure exactly 180 days is not short, reciprocity exactly 0.2 is not one-way
    assert transactional(**{**BASE, "tenure_days": 180.0, "reciprocity": 0.2, "supplier_count": 2}) == (False, [])
    with pytest.raises(ValueError):
        transactional(**{**BASE, "orders": -1})
    with pytest.raises(ValueError):
        TransactionalParams(min_reasons=0)


# ----------------------------------------------------------------------------- demand


def test_demand_class_rules():
    assert demand_class(Demand.NONE, enquiries=5) is Demand.NONE  # explicit wins
    assert demand_class("LATENT") is Demand.LATENT
    assert demand_class(None, enquiries=1) is Demand.CLEAR
    assert demand_class(None, feedback=1, engagement=3) is Demand.CLEAR
    assert demand_class(None, engagement=2) is Demand.LATENT
    assert demand_class(None) is Demand.NONE
    with pytest.raises(ValueError):
        demand_class(None, enquiries=-1)


def test_demand_signals_window_and_direction():
    at = T0 + 100 * DAY
    events = [
        (InteractionType.EMAIL, True, at - 10 * DAY),  # inbound enquiry
        (InteractionType.EMAIL, False, at - 5 * DAY),  # our unanswered mail: nothing
        (InteractionType.EVENT, False, at - 20 * DAY),  # they came to our event: engagement
        (InteractionType.FEEDBACK, True, at - 90 * DAY),  # exactly at the window start: out
        (InteractionType.CALL, True, at + DAY),  # the future: out
        (InteractionType.FEEDBACK, True, at),  # exactly now: in
    ]
    sig = demand_signals(events, at)
    assert (sig.enquiries, sig.feedback, sig.engagement) == (1, 1, 1)
    assert demand_class(None, **vars(sig)) is Demand.CLEAR
    quiet = demand_signals([(InteractionType.EVENT, False, at - DAY), ("CALL", False, at)], at)
    assert demand_class(None, **vars(quiet)) is Demand.LATENT
    assert demand_class(None, **vars(demand_signals([], at))) is Demand.NONE


# ----------------------------------------------------------------------------- suppliers


@settings(deadline=None, max_examples=40)
@given(spend=st.dictionaries(st.text("pqrs", min_size=1, max_size=2), money, min_size=1, max_size=10),
       cats=st.lists(st.sampled_from(["steel", "chips", None]), min_size=10, max_size=10))
def test_supplier_dependency_properties(spend, cats):
    categories = {k: c for k, c in zip(sorted(spend), cats) if c is not None}
    deps = supplier_dependency(spend, categories)
    assert set(deps) == set(spend)
    total = sum(spend.values())
    if total > 0:
        assert close(sum(d.share for d in deps.values()), 1.0)
        hhi = sum(d.share**2 for d in deps.values())
        assert all(close(d.hhi, hhi) for d in deps.values())
        assert 1 / len(spend) - 1e-9 <= hhi <= 1.0 + 1e-9
    for d in deps.values():
        assert 0.0 <= d.loss_impact <= d.share + EPS
        if d.sole_source:
            assert close(d.loss_impact, d.share)


def test_supplier_dependency_by_hand():
    deps = supplier_dependency({"s1": 60.0, "s2": 30.0, "s3": 10.0}, {"s1": "steel", "s2": "steel"})
    # s2 and s3 both lose ~0.1 of our spend; top_suppliers breaks that tie by share
    assert deps["s1"].share == pytest.approx(0.6)
    assert deps["s1"].hhi == pytest.approx(0.36 + 0.09 + 0.01)
    assert deps["s1"].effective_suppliers == pytest.approx(1 / 0.46)
    assert deps["s1"].loss_impact == pytest.approx(0.6 * 60 / 90)
    assert deps["s3"].sole_source and deps["s3"].loss_impact == pytest.approx(0.1)
    assert not deps["s2"].sole_source
    assert [d.supplier_id for d in top_suppliers(deps, 3)] == ["s1", "s3", "s2"]  # 0.1 > 0.3 * (1/3) in floats
    deps2 = supplier_dependency({"s1": 60.0, "s2": 30.0, "s3": 10.0}, {"s2": "x", "s3": "x"})
    assert [d.supplier_id for d in top_suppliers(deps2, 2)] == ["s1", "s2"]
    single = supplier_dependency({"only": 5.0})["only"]
    assert (single.share, single.hhi, single.loss_impact, single.sole_source) == (1.0, 1.0, 1.0, True)
    assert herfindahl([1, 1, 1, 1]) == pytest.approx(0.25)
    assert herfindahl([]) == 0.0
    assert supplier_dependency({}) == {}
    with pytest.raises(ValueError):
        supplier_dependency({"x": -5.0})


@settings(deadline=None, max_examples=150)
@given(pop=populations(max_size=12), weights=weights_st)
def test_score_columns_equal_score_accounts(pop, weights):
    """The vector twin scores every account as `score_accounts` does (criteria, score,
    loss, shares and tier; a tier may differ only for a score on a threshold, to rounding)."""
    import numpy as np

    from relgraph.scoring.accounts import DEFAULT_TIER_THRESHOLDS as T, loss_impact, score_columns

    def col(name):
        return np.array([float(getattr(x, name)) for x in pop])

    got = score_columns(col("revenue_12m"), col("potential"), col("tenure_days"), col("strength_now"),
                        col("strength_90d_ago"), col("influence_percentile"),
                        np.array([loss_impact(x.revenue_12m, x.referred_revenue) for x in pop]), weights)
    want = {s.account_id: s for s in score_accounts(pop, weights)}
    for i, x in enumerate(pop):
        w = want[x.account_id]
        assert close(got.score[i], w.score, 1e-12)
        for name, value in w.breakdown.as_dict().items():
            assert close(got.criteria[name][i], value, 1e-12), name
        assert close(got.loss_impact[i], w.loss_impact) and close(got.loss_share[i], w.loss_share)
        assert close(got.revenue_share_raw[i], w.revenue_share_raw)
        if not any(close(w.score, edge, 1e-12) for edge in (T.key, T.suitable)):
            assert got.tiers[i] is w.tier
