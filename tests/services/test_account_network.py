"""The join of `services.account_network`: which snapshot ties count for which account."""

from __future__ import annotations

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
