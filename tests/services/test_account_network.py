"""The join of `services.account_network`: which snapshot ties count for which account."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from relgraph.services.account_network import AccountTie, CompetitorTie, account_ties, competitor_ties

#: Ties, each (a, b) with a < b: org-level, a contact's tie with our employee, the org's own
#: tie with an employee, a tie between two customers' people, and a competitor's ties.
PAIRS = [
    ("acme", "us"),          # 0: our organisation with the customer
    ("ann", "emp1"),         # 1: acme's contact ann with our employee emp1
    ("acme", "emp2"),        # 2: the organisation itself with emp2
    ("ann", "bob"),          # 3: two customers' people: not ours
    ("bob", "rival-joe"),    # 4: beta's bob with a competitor's person
    ("beta", "rival"),       # 5: beta with the competitor organisation
    ("emp1", "former"),      # 6: emp1 with someone who no longer works anywhere we know
]
PEOPLE = [("ann", "acme"), ("bob", "beta")]


def test_account_ties() -> None:
    rows = account_ties(PAIRS, ["acme", "beta"], PEOPLE, us={"us"}, staff={"emp1", "emp2"})
    assert sorted(rows, key=lambda r: r.tie) == [
        AccountTie("acme", True, "us", True, 0),
        AccountTie("acme", False, "emp1", True, 1),
        AccountTie("acme", False, "emp2", True, 2),
    ]


def test_a_person_of_two_customers_counts_for_both() -> None:
    rows = account_ties([("ann", "emp1")], ["acme", "beta"], [("ann", "acme"), ("ann", "beta")], us=set(), staff={"emp1"})
    assert {r.org for r in rows} == {"acme", "beta"}


def test_competitor_ties() -> None:
    rows = competitor_ties(PAIRS, ["acme", "beta"], PEOPLE, [("rival", "rival"), ("rival-joe", "rival")])
    assert sorted(rows, key=lambda r: r.tie) == [CompetitorTie("beta", "rival", 4), CompetitorTie("beta", "rival", 5)]


def _as_rows(columns: "object") -> list[AccountTie]:
    from relgraph.services.account_network import AccountTieColumns

    assert isinstance(columns, AccountTieColumns)
    return [
        AccountTie(columns.orgs[o], e < 0, columns.employees[e] if e >= 0 else "", bool(s), t)
        for o, e, t, s in zip(columns.account.tolist(), columns.employee.tolist(), columns.tie.tolist(), columns.side_is_a.tolist())
    ]


def _comparable(rows: list[AccountTie]) -> list[tuple[str, bool, str, bool, int]]:
    """Rows as compared: the employee of an organisation-level row is our organisation's id
    in the row form and not kept by the columns (they know it is ours)."""
    return [(r.org, r.organization_level, "" if r.organization_level else r.employee, r.side_is_a, r.tie) for r in rows]


def test_account_tie_columns_equal_the_rows() -> None:
    from relgraph.services.account_network import account_tie_columns

    got = account_tie_columns(PAIRS, ["acme", "beta"], PEOPLE, us={"us"}, staff={"emp1", "emp2"})
    want = account_ties(PAIRS, ["acme", "beta"], PEOPLE, us={"us"}, staff={"emp1", "emp2"})
    assert _comparable(_as_rows(got)) == _comparable(want)
    assert got.orgs == ["acme"] and got.employees == ["emp1", "emp2"]


names = st.sampled_from(["c1", "c2", "c3", "p1", "p2", "p3", "e1", "e2", "us", "x"])


@settings(deadline=None, max_examples=300)
@given(
    pairs=st.lists(st.tuples(names, names).filter(lambda p: p[0] < p[1]), max_size=25, unique=True),
    customers=st.lists(st.sampled_from(["c1", "c2", "c3", "p1", "us"]), max_size=4),
    people=st.lists(st.tuples(st.sampled_from(["p1", "p2", "p3", "c2", "e1"]), st.sampled_from(["c1", "c2", "c3"])), max_size=6),
    staff=st.sets(st.sampled_from(["e1", "e2", "p3", "c3"]), max_size=3),
    us=st.sets(st.sampled_from(["us", "c1"]), max_size=2),
    by_position=st.booleans(),
)
def test_account_tie_columns_equal_the_rows_on_any_network(
    pairs: list[tuple[str, str]], customers: list[str], people: list[tuple[str, str]], staff: set[str], us: set[str],
    by_position: bool,
) -> None:
    """Row for row, in the same order, whether the pairs are strings or node positions
    (a snapshot read by node id, `tie_snapshot.EndPairs`)."""
    import numpy as np

    from relgraph.services.account_network import account_tie_columns
    from relgraph.services.tie_snapshot import EndPairs

    given_pairs: object = pairs
    if by_position:
        ids = sorted({"c1", "c2", "c3", "p1", "p2", "p3", "e1", "e2", "us", "x", "unused"})
        where = {x: i for i, x in enumerate(ids)}
        given_pairs = EndPairs(ids, np.array([where[a] for a, _ in pairs], dtype=np.int64),
                               np.array([where[b] for _, b in pairs], dtype=np.int64))
    got = account_tie_columns(given_pairs, customers, people, us, staff)  # type: ignore[arg-type]
    want = account_ties(pairs, customers, people, us, staff)
    assert _comparable(_as_rows(got)) == _comparable(want)
    assert got.orgs == sorted({r.org for r in want})
    assert got.employees == sorted({r.employee for r in want if not r.organization_level})
