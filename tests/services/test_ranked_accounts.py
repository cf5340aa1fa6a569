"""RankedAccounts: scored columns read as `KeyAccount`s in rank order, only when asked for."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relgraph.domain.enums import Tier
from relgraph.scoring import accounts as ka
from relgraph.services.ranked_accounts import KeyAccountColumns

unit = st.floats(0.0, 1.0)
rows = st.lists(
    st.tuples(unit, unit, st.floats(0.0, 1e6), st.sampled_from([None, Tier.KEY, Tier.GENERAL]), st.booleans()),
    min_size=0, max_size=25,
)


def columns_of(data: list[tuple[float, float, float, Tier | None, bool]]) -> KeyAccountColumns:
    n = len(data)
    revenue = np.array([r[2] for r in data], dtype=np.float64)
    strength = np.array([r[0] for r in data], dtype=np.float64)
    scores = ka.score_columns(revenue, np.zeros(n), np.full(n, 400.0), strength, np.array([r[1] for r in data]),
                              np.full(n, 50.0), revenue)
    return KeyAccountColumns(
        ids=[f"c{k:02d}" for k in range(n)], names=[f"Customer {k}" for k in range(n)], scores=scores,
        abc=ka.abc_columns(revenue), revenue_12m=revenue, revenue_total=revenue * 2, potential=np.zeros(n),
        tenure_days=np.full(n, 400.0), strength_now=strength, strength_90d_ago=np.array([r[1] for r in data]),
        influence_percentile=np.full(n, 50.0), referred_revenue=np.zeros(n),
        clv=[None if k % 2 else float(k) for k in range(n)], stored_tier=[r[3] for r in data],
        single_threaded=[r[4] for r in data], top_employee_id=[None] * n,
        transactional=[False] * n, transactional_reasons=[()] * n, at_ms=1_780_000_000_000,
    )


@settings(deadline=None, max_examples=100)
@given(data=rows, first=st.integers(0, 30))
def test_rank_order_pages_and_filters(data, first):
    ranked = columns_of(data).ranked()
    accounts = list(ranked)
    assert len(accounts) == len(data)
    # best score first, ties by id
    assert [(-a.score.score, a.account_id) for a in accounts] == sorted((-a.score.score, a.account_id) for a in accounts)
    assert ranked[0:first] == accounts[:first] == list(ranked.head(first))
    assert ranked.account_ids() == [a.account_id for a in accounts]
    for tier in Tier:
        assert list(ranked.of_tier(tier)) == [a for a in accounts if a.tier is tier]
    assert list(ranked.of_tier(None)) == accounts
    assert list(ranked.key()) == [a for a in accounts if Tier.KEY in (a.tier, a.stored_tier)]
    # a column reads the same figure the account carries, in the same order
    assert ranked.column("score") == [a.score.score for a in accounts]
    assert ranked.column("stability") == [a.score.breakdown.stability for a in accounts]
    assert ranked.column("clv") == [a.clv for a in accounts]
    assert ranked.column("tier") == [a.tier for a in accounts]
    assert ranked.column("loss_impact") == [a.score.loss_impact for a in accounts]


def test_an_account_carries_its_row():
    ranked = columns_of([(0.9, 0.9, 500.0, None, True), (0.1, 0.5, 10.0, Tier.KEY, False)]).ranked()
    best, other = ranked[0], ranked[-1]
    assert best.account_id == "c00" and best.name == "Customer 0" and best.revenue_total == 1000.0
    assert best.single_threaded and best.clv == 0.0 and best.abc == "A"
    assert other.stored_tier is Tier.KEY and other.clv is None and other.strength_delta_90d == pytest.approx(-0.4)
    assert other.tier is not Tier.KEY and "c01" in ranked.key().account_ids()  # recorded KEY, scored lower
    with pytest.raises(IndexError):
        ranked[2]
