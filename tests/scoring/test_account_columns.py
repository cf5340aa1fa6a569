"""The vector twins of relgraph.scoring.accounts equal the one-account forms.

Key accounts are scored for the whole customer population at once (100k rows in the
benchmark), so the service uses `tenure_columns`, `clv_columns`, `transactional_columns`,
`abc_columns` and `tie_columns.reciprocity`. Each is held here to its scalar definition.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relgraph.scoring import tie_columns
from relgraph.scoring.accounts import (
    TRANSACTIONAL_REASONS,
    TransactionalParams,
    abc_classes,
    abc_columns,
    clv,
    clv_columns,
    tenure_columns,
    tenure_days,
    transactional,
    transactional_columns,
)
from relgraph.scoring.strength import reciprocity

AT_MS = 1_780_000_000_000
money = st.floats(0.0, 1e9, allow_nan=False).map(lambda x: round(x, 2))
unit = st.floats(0.0, 1.0)


@settings(deadline=None, max_examples=100)
@given(firsts=st.lists(st.one_of(st.none(), st.integers(AT_MS - 10**12, AT_MS + 10**10)), max_size=20))
def test_tenure_columns_equal_tenure_days(firsts):
    column = np.array([math.nan if f is None else float(f) for f in firsts])
    got = tenure_columns(column, AT_MS).tolist()
    assert got == [tenure_days(f, AT_MS) for f in firsts]


@settings(deadline=None, max_examples=100)
@given(
    rows=st.lists(st.tuples(st.one_of(st.none(), st.floats(-1e6, 1e6)), st.one_of(st.none(), unit)), max_size=20),
    discount=st.floats(0.01, 1.0),
)
def test_clv_columns_equal_clv(rows, discount):
    margin = np.array([math.nan if m is None else m for m, _ in rows])
    retention = np.array([math.nan if r is None else r for _, r in rows])
    got = clv_columns(margin, retention, discount).tolist()
    for (m, r), value in zip(rows, got):
        if m is None or r is None:
            assert math.isnan(value)
        else:
            assert value == clv(m, r, discount)


def test_clv_columns_check_what_clv_checks():
    with pytest.raises(ValueError):
        clv_columns(np.array([10.0]), np.array([1.2]), 0.1)  # retention above 1
    with pytest.raises(ValueError):
        clv_columns(np.array([10.0]), np.array([1.0]), 0.0)  # the sum diverges
    with pytest.raises(ValueError):
        clv_columns(np.array([math.inf]), np.array([0.5]), 0.1)
    assert math.isnan(clv_columns(np.array([10.0]), np.array([math.nan]), 0.1)[0])  # unknown, not an error


account = st.tuples(
    st.integers(0, 30),  # orders
    st.integers(0, 30),  # other contacts
    st.floats(0.0, 2000.0),  # tenure days
    st.booleans(),  # buys from a competitor
    st.one_of(st.none(), unit),  # reciprocity
    st.one_of(st.none(), st.booleans()),  # price_sensitive
    st.one_of(st.none(), st.integers(0, 6)),  # supplier count
)


@settings(deadline=None, max_examples=150)
@given(
    rows=st.lists(account, max_size=25),
    params=st.builds(TransactionalParams, order_share=unit, max_non_order_contacts=st.integers(0, 5),
                     short_tenure_days=st.floats(0.0, 720.0), many_suppliers=st.integers(2, 5),
                     one_way_reciprocity=unit, min_reasons=st.integers(1, len(TRANSACTIONAL_REASONS))),
)
def test_transactional_columns_equal_transactional(rows, params):
    got = transactional_columns(
        orders=np.array([r[0] for r in rows], dtype=np.int64),
        non_order_contacts=np.array([r[1] for r in rows], dtype=np.int64),
        tenure_days=np.array([r[2] for r in rows], dtype=np.float64),
        buys_from_competitor=np.array([r[3] for r in rows], dtype=bool),
        reciprocity=np.array([math.nan if r[4] is None else r[4] for r in rows], dtype=np.float64),
        price_sensitive=np.array([-1 if r[5] is None else int(r[5]) for r in rows], dtype=np.int8),
        supplier_count=np.array([-1 if r[6] is None else r[6] for r in rows], dtype=np.int64),
        params=params,
    )
    for k, (orders, others, tenure, rival, recip, price, suppliers) in enumerate(rows):
        flag, reasons = transactional(
            orders=orders, non_order_contacts=others, tenure_days=tenure, buys_from_competitor=rival,
            reciprocity=recip, price_sensitive=price, supplier_count=suppliers, params=params,
        )
        assert (bool(got.flagged[k]), got.reasons[k]) == (flag, tuple(reasons))


def test_transactional_columns_reject_what_transactional_rejects():
    def call(**overrides):
        columns = dict(
            orders=np.array([1]), non_order_contacts=np.array([1]), tenure_days=np.array([10.0]),
            buys_from_competitor=np.array([False]), reciprocity=np.array([0.5]),
            price_sensitive=np.array([-1], dtype=np.int8), supplier_count=np.array([1]),
        )
        return transactional_columns(**{**columns, **overrides})

    assert call().reasons == [("LOW_SWITCHING_COST",)]
    for bad in (dict(orders=np.array([-1])), dict(tenure_days=np.array([math.inf])),
                dict(reciprocity=np.array([1.5]))):
        with pytest.raises(ValueError):
            call(**bad)


@settings(deadline=None, max_examples=200)
@given(
    revenue=st.lists(st.one_of(money, st.sampled_from([0.0, 10.0, 40.0, 0.1, 0.2, 0.3])), max_size=30),
    ab=st.tuples(st.floats(0.05, 1.0), st.floats(0.05, 1.0)).map(sorted),
)
def test_abc_columns_equal_abc_classes(revenue, ab):
    a, b = ab
    by_id = {f"c{k}": v for k, v in enumerate(revenue)}
    want = abc_classes(by_id, a, b)
    assert abc_columns(np.array(revenue, dtype=np.float64), a, b) == [want[f"c{k}"] for k in range(len(revenue))]


def test_abc_columns_reject_negative_revenue():
    with pytest.raises(ValueError):
        abc_columns(np.array([10.0, -1.0]))


@settings(deadline=None, max_examples=150)
@given(pairs=st.lists(st.tuples(st.floats(0.0, 50.0), st.floats(0.0, 50.0)), max_size=20))
def test_reciprocity_columns_equal_reciprocity(pairs):
    got = tie_columns.reciprocity(np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])).tolist()
    assert got == [reciprocity(a, b) for a, b in pairs]
