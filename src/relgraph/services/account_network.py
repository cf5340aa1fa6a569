"""Which ties make up each customer's strength with us, and its competitors' with it.

An account's strength rolls up the ties between our people (or our organisation) and the
customer organisation or its current people; a competitor's strength with the account
rolls up the competitor's ties with the same side (DOMAIN.md §4, §5). Matching those
paths in the database for every customer at once costs seconds (every customer, its
people, their ties, the other end's employer); the tie snapshot already holds every tie,
so the paths are joined here from three small reads: who works for which customer, who
works for us, and which competitor each competitor stakeholder counts for.

The join gives the rows the database query gave (`account_ties.cypher` is the one-account
form), each with the tie's row in the snapshot.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Sequence

Pair = tuple[str, str]


@dataclass(frozen=True)
class AccountTie:
    """A tie counted in `org`'s strength with us: `employee` is ours (our organisation's
    id at organisation level), `side` the account's end, `tie` the snapshot row."""

    org: str
    organization_level: bool
    employee: str
    side_is_a: bool
    tie: int


@dataclass(frozen=True)
class CompetitorTie:
    """A tie counted in `competitor`'s strength with customer `org` (`tie`: the snapshot row)."""

    org: str
    competitor: str
    tie: int


def _sides(customers: Iterable[str], people: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Each stakeholder on a customer's side -> the customers it stands for (itself, employers)."""
    sides: dict[str, list[str]] = defaultdict(list)
    for org in customers:
        sides[org].append(org)
    for person, org in people:
        sides[person].append(org)
    return sides


def account_ties(
    pairs: Sequence[Pair], customers: Iterable[str], people: Iterable[tuple[str, str]], us: set[str], staff: set[str]
) -> list[AccountTie]:
    """Every tie between a customer's side (the organisation or its current people) and
    our current staff, plus our organisation's own tie with each customer organisation."""
    customer_set = set(customers)
    sides = _sides(customer_set, people)
    out: list[AccountTie] = []
    for i, (a, b) in enumerate(pairs):
        for side, other, side_is_a in ((a, b, True), (b, a, False)):
            if other in staff:
                out.extend(AccountTie(org, False, other, side_is_a, i) for org in sides.get(side, ()))
            if other in us and side in customer_set:
                out.append(AccountTie(side, True, other, side_is_a, i))
    return out


def competitor_ties(
    pairs: Sequence[Pair], customers: Iterable[str], people: Iterable[tuple[str, str]],
    competitor_of: Iterable[tuple[str, str]],
) -> list[CompetitorTie]:
    """Every tie between a customer's side and a COMPETITOR stakeholder, counted for the
    competitor that stakeholder stands for."""
    sides = _sides(customers, people)
    counts_for: dict[str, list[str]] = defaultdict(list)
    for stakeholder, competitor in competitor_of:
        counts_for[stakeholder].append(competitor)
    out: list[CompetitorTie] = []
    for i, (a, b) in enumerate(pairs):
        for side, other in ((a, b), (b, a)):
            for competitor in counts_for.get(other, ()):
                out.extend(CompetitorTie(org, competitor, i) for org in sides.get(side, ()))
    return out
