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

import itertools
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np
import numpy.typing as npt

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
    our current staff, plus our organisation's own tie with each customer organisation.

    A row per tie: the reference that `account_tie_columns`, which the service uses, is
    property-tested against."""
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


@dataclass(frozen=True)
class AccountTieColumns:
    """`account_ties` as columns, row for row in the same order: row k counts snapshot
    tie `tie[k]` for organisation `orgs[account[k]]`, through our employee
    `employees[employee[k]]`, or at organisation level when `employee[k]` is -1;
    `side_is_a[k]` when the account's end is the tie's `a`. `orgs` and `employees` hold
    the ones that occur, each in id order."""

    orgs: list[str]
    employees: list[str]
    account: npt.NDArray[np.int64]
    employee: npt.NDArray[np.int64]
    tie: npt.NDArray[np.int64]
    side_is_a: npt.NDArray[np.bool_]


def account_tie_columns(
    pairs: Sequence[Pair], customers: Iterable[str], people: Iterable[tuple[str, str]], us: set[str], staff: set[str]
) -> AccountTieColumns:
    """`account_ties` without an object per row: the join runs over node positions.

    A snapshot read by node position (`tie_snapshot.EndPairs`) gives each tie's ends as
    positions already; other pairs are numbered here. At 100k ties this is ~0.1 s against
    ~1.7 s for the rows (a dict lookup of a fresh string costs ~0.5 µs on this machine).
    """
    names, a, b = _numbered(pairs)
    where = {name: i for i, name in enumerate(names)}
    n = len(names)
    is_staff, is_us, is_customer = np.zeros(n, bool), np.zeros(n, bool), np.zeros(n, bool)
    is_staff[[where[x] for x in staff if x in where]] = True
    is_us[[where[x] for x in us if x in where]] = True
    # each node's side entries (the customers it stands for), in `_sides` order, as CSR
    org_names: list[str] = []
    org_code: dict[str, int] = {}
    entry_node, entry_org = [], []
    customer_list = list(dict.fromkeys(customers))
    for side, org in itertools.chain(((c, c) for c in customer_list), people):
        if side not in where:  # no tie has this end
            continue
        code = org_code.get(org)
        if code is None:
            code = org_code[org] = len(org_names)
            org_names.append(org)
        entry_node.append(where[side])
        entry_org.append(code)
    is_customer[[where[c] for c in customer_list if c in where]] = True
    nodes = np.asarray(entry_node, dtype=np.int64)
    order = np.argsort(nodes, kind="stable")
    entry_org_sorted = np.asarray(entry_org, dtype=np.int64)[order]
    count = np.bincount(nodes, minlength=n)
    start = np.concatenate([[0], np.cumsum(count)[:-1]]) if n else np.zeros(0, dtype=np.int64)
    blocks = []  # (key, org code, employee node or -1, tie, side_is_a)
    for direction, (side, other) in enumerate(((a, b), (b, a))):
        staff_ties = np.nonzero(is_staff[other])[0] if n else np.zeros(0, dtype=np.int64)
        per = count[side[staff_ties]]
        rep = np.repeat(staff_ties, per)
        within = np.arange(rep.size) - np.repeat(np.cumsum(per) - per, per)
        orgs_of = entry_org_sorted[np.repeat(start[side[staff_ties]], per) + within]
        blocks.append((rep * 4 + direction * 2, orgs_of, other[rep], rep, np.full(rep.size, direction == 0)))
        ours = np.nonzero(is_us[other] & is_customer[side])[0] if n else np.zeros(0, dtype=np.int64)
        own_org = np.asarray([org_code[names[i]] for i in side[ours].tolist()], dtype=np.int64)
        blocks.append((ours * 4 + direction * 2 + 1, own_org, np.full(ours.size, -1), ours, np.full(ours.size, direction == 0)))
    key, org, employee_node, tie, side_is_a = (np.concatenate([blk[i] for blk in blocks]) for i in range(5))
    rows = np.argsort(key, kind="stable")
    org, employee_node, tie, side_is_a = org[rows], employee_node[rows], tie[rows], side_is_a[rows]
    orgs, account = _ranked(org, org_names)
    person = employee_node >= 0
    employees, employee = _ranked(employee_node[person], names)
    employee_all = np.full(len(rows), -1, dtype=np.int64)
    employee_all[person] = employee
    return AccountTieColumns(orgs, employees, account, employee_all, tie.astype(np.int64), side_is_a.astype(bool))


def _numbered(pairs: Sequence[Pair]) -> tuple[list[str], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """(names, a, b): each pair's ends as positions in `names`."""
    if hasattr(pairs, "ids") and hasattr(pairs, "a") and hasattr(pairs, "b"):  # tie_snapshot.EndPairs
        return pairs.ids, np.asarray(pairs.a, dtype=np.int64), np.asarray(pairs.b, dtype=np.int64)  # type: ignore[attr-defined]
    where: dict[str, int] = {}
    a = np.fromiter((where.setdefault(x, len(where)) for x, _ in pairs), dtype=np.int64, count=len(pairs))
    b = np.fromiter((where.setdefault(y, len(where)) for _, y in pairs), dtype=np.int64, count=len(pairs))
    return list(where), a, b


def _ranked(codes: npt.NDArray[np.int64], names: Sequence[str]) -> tuple[list[str], npt.NDArray[np.int64]]:
    """(the names that occur, in id order; each code as an index into them)."""
    used = np.unique(codes)
    by_name = sorted(range(used.size), key=lambda k: names[int(used[k])])
    rank = np.empty(used.size, dtype=np.int64)
    rank[by_name] = np.arange(used.size)
    return [names[int(used[k])] for k in by_name], rank[np.searchsorted(used, codes)]


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
