"""Key accounts and account care as the API and reports ask for them (DOMAIN.md §4, §5).

This module joins the store's whole-network reads (`relgraph.store.account_reads`) to
the pure scoring functions of `relgraph.scoring.accounts` and `relgraph.scoring.care`,
and `relgraph.scoring.strength` for tie strengths. It gathers and shapes data; every
formula lives in those scoring modules. The choices made while gathering (what counts as
revenue, tenure, referral weight, competitor strength) are in `docs/key-accounts.md`,
section "Service: how the inputs are gathered".
"""

from __future__ import annotations

import asyncio
import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Awaitable, Iterable, Mapping

import numpy as np
import numpy.typing as npt

from relgraph.domain.complaints import OPEN_STATUSES
from relgraph.domain.enums import ComplaintStatus, Tier
from relgraph.domain.time import DAY_MS, from_ms, to_ms
from relgraph.scoring import accounts as ka
from relgraph.scoring import care, listening
from relgraph.scoring import strength as scoring
from relgraph.scoring import tie_columns
from relgraph.scoring.strength import Event
from relgraph.services import account_network, network_channels
from relgraph.services.account_cache import View, view
from relgraph.services.collector import collector_paused
from relgraph.services.ranked_accounts import KeyAccount, KeyAccountColumns, RankedAccounts
from relgraph.services.tie_snapshot import TieSnapshot, tie_snapshot
from relgraph.store.account_reads import plan_view
from relgraph.store.graph_store import GraphStore

#: Revenue counts over the trailing 12 months (DOMAIN.md §4, criterion 2).
REVENUE_WINDOW_DAYS = 365
#: Strength is compared with its value this many days before (stability, falling strength).
STRENGTH_LOOKBACK_DAYS = 90
#: Weight of a REFERRED / INFLUENCES tie with no assessed strength and no measured TIE:
#: an even chance that the referred stakeholder follows the account out.
DEFAULT_REFERRAL_WEIGHT = 0.5
#: Discount rate d of CLV = m * r / (1 + d - r) (the `clv_discount_rate` setting).
DEFAULT_DISCOUNT = 0.1
#: The network summary's satisfaction after resolution covers complaints resolved this recently.
SATISFACTION_WINDOW_DAYS = 90


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class AtRiskAccount:
    account: KeyAccount
    reasons: tuple[str, ...]
    open_complaints: int
    overdue_complaints: int
    best_competitor_id: str | None
    best_competitor_strength: float | None


@dataclass(frozen=True)
class ContestedAccount:
    account_id: str
    name: str
    contest: care.Contest


@dataclass(frozen=True)
class NetworkSummary:
    by_kind: dict[str, int]
    by_tier: dict[str, int]
    #: ties (pairs in contact) by channel state: OPEN, BLOCKED, BROKEN (all three keys)
    by_channel: dict[str, int]
    revenue_by_abc: dict[str, float]
    accounts_by_abc: dict[str, int]
    open_complaints: int
    overdue_complaints: int
    overdue_contacts: int
    satisfaction: care.SatisfactionSummary


@dataclass(frozen=True)
class ComplaintView:
    """One complaint as it stood at a moment: its status then, overdue then, and the
    follow-up's satisfaction once it was resolved."""

    id: str
    stakeholder_id: str
    status: ComplaintStatus
    category: str | None
    severity: str | None
    received_ms: int
    resolved_ms: int | None
    overdue: bool
    reasons: tuple[str, ...]
    satisfaction: float | None

    @property
    def open(self) -> bool:
        return self.status in OPEN_STATUSES


# --------------------------------------------------------------------------- helpers


@dataclass(frozen=True)
class _TieTimes:
    """Every tie of the snapshot at the view's moment: both intensities and the strength
    then, the strength 90 days before, first contact and contact count (by snapshot row)."""

    index: Mapping[tuple[str, str], int]
    i_ab: tie_columns.Floats
    i_ba: tie_columns.Floats
    now: tie_columns.Floats
    then: tie_columns.Floats
    first_ms: tie_columns.Floats
    count: tie_columns.Floats

    def row(self, a: str, b: str) -> int | None:
        return self.index.get((a, b))

    def strength(self, row: int) -> float:
        return float(self.now[row])


async def _tie_times(v: View) -> _TieTimes:
    """The tie snapshot wound back with `tie_columns.rewound` (cached per view: key accounts,
    at-risk, contested accounts and referrals all read it)."""

    async def compute() -> _TieTimes:
        snap, recent = await asyncio.gather(tie_snapshot(v.store), _recent(v))
        return await asyncio.to_thread(_wound_back, snap, recent, v.at_ms, v.store.strength_params)

    return await v.get("tie_times", (), compute)


def _wound_back(snap: TieSnapshot, recent: Mapping[tuple[str, str], list[Event]], at_ms: int,
                params: scoring.StrengthParams) -> _TieTimes:
    columns = snap.columns
    events = tie_columns.EventColumns.of(recent, snap.index)
    i_ab, i_ba, first = tie_columns.rewound(columns, events, at_ms, params)
    then_ms = at_ms - STRENGTH_LOOKBACK_DAYS * DAY_MS
    then = tie_columns.strengths_of(*tie_columns.rewound(columns, events, then_ms, params), then_ms, params)
    return _TieTimes(
        index=snap.index, i_ab=i_ab, i_ba=i_ba, now=tie_columns.strengths_of(i_ab, i_ba, first, at_ms, params),
        then=then, first_ms=columns.first_ms, count=columns.count,
    )


@dataclass(frozen=True)
class _Strengths:
    """Per customer organisation with ties (row `position[org]` of every column): its
    rolled-up strength now and 90 days before, and what the transactional flag reads."""

    position: dict[str, int]
    now: tie_columns.Rollups
    then: tie_columns.Rollups
    #: our employees' ids, which `now.top_employee` indexes
    employees: list[str]
    #: first contact on any of its ties by `at`, epoch ms (NaN for none)
    first_contact: tie_columns.Floats
    #: intensity it started and intensity we started at `at`, over all its ties
    theirs: tie_columns.Floats
    ours: tie_columns.Floats
    #: interactions on all its ties
    contacts: tie_columns.Floats

    def aligned(self, ids: Iterable[str], n: int) -> npt.NDArray[np.int64]:
        """Each id's row here, -1 for an organisation with no tie."""
        return np.fromiter((self.position.get(i, -1) for i in ids), np.int64, n)

    def strength_now(self, org: str) -> float:
        k = self.position.get(org)
        return float(self.now.strength[k]) if k is not None else 0.0


def _take(column: npt.NDArray[Any], rows: npt.NDArray[np.int64], missing: Any) -> npt.NDArray[Any]:
    """`column[rows]`, with `missing` where a row is -1."""
    if column.size == 0:
        return np.full(rows.size, missing, dtype=np.result_type(column.dtype, np.asarray(missing).dtype))
    return np.where(rows >= 0, column[np.maximum(rows, 0)], missing)


async def _recent(v: View) -> dict[tuple[str, str], list[Event]]:
    """Every pair's events of the 90 days before the view's moment (cached: key accounts,
    at-risk and contested accounts all wind strengths back with them)."""
    since = v.at_ms - STRENGTH_LOOKBACK_DAYS * DAY_MS
    return await v.get("recent", (), lambda: v.store.recent_events(from_ms(since)))  # type: ignore[arg-type]


async def _strengths_of(v: View) -> _Strengths:
    async def compute() -> _Strengths:
        times, rows = await asyncio.gather(_tie_times(v), _account_ties(v))
        return _strengths(v.store.strength_params, v.at_ms, times, rows)

    return await v.get("strengths", (), compute)


async def _customers(v: View) -> list[dict[str, Any]]:
    return await v.get("customers", (), v.store.customer_accounts)  # type: ignore[arg-type]


async def _customer_people(v: View) -> list[tuple[str, str]]:
    return await v.get("customer_people", (), v.store.customer_people)  # type: ignore[arg-type]


async def _account_ties(v: View) -> account_network.AccountTieColumns:
    """The ties each customer's strength rolls up (`services.account_network`), as columns."""
    snap, customers, people, (us, staff) = await asyncio.gather(
        tie_snapshot(v.store), _customers(v), _customer_people(v), v.store.our_staff()
    )
    ids = [c["id"] for c in customers]
    return await asyncio.to_thread(account_network.account_tie_columns, snap.columns.pairs, ids, people, us, staff)


async def _competitors_of(v: View) -> dict[str, dict[str, float]]:
    async def compute() -> dict[str, dict[str, float]]:
        snap, times, customers, people, sides, buys = await asyncio.gather(
            tie_snapshot(v.store), _tie_times(v), _customers(v), _customer_people(v), v.store.competitor_sides(),
            v.store.competitor_buys(),
        )
        ties = account_network.competitor_ties(snap.columns.pairs, [c["id"] for c in customers], people, sides)
        return _competitors(times, ties, buys)

    return await v.get("competitors", (), compute)


def _strengths(
    params: scoring.StrengthParams, at_ms: int, times: _TieTimes, rows: account_network.AccountTieColumns
) -> _Strengths:
    """Every customer organisation's rolled-up strength now and 90 days before `at_ms`.

    The same roll-up as `services.strength.account` (noisy-OR per employee, then
    `scoring.rollup`), for all accounts at once as columns (`tie_columns.rollups`), each
    tie's strengths taken from the wound-back snapshot (`_tie_times`).
    """
    orgs = rows.orgs
    account, employee, tie, side_is_a = rows.account, rows.employee, rows.tie, rows.side_is_a
    theirs = np.bincount(account, weights=np.where(side_is_a, times.i_ab[tie], times.i_ba[tie]), minlength=len(orgs))
    ours = np.bincount(account, weights=np.where(side_is_a, times.i_ba[tie], times.i_ab[tie]), minlength=len(orgs))
    first_ms = times.first_ms[tie]
    seen = ~np.isnan(first_ms) & (first_ms <= at_ms)
    first = np.full(len(orgs), np.inf)
    np.minimum.at(first, account[seen], first_ms[seen])
    return _Strengths(
        position={org: k for k, org in enumerate(orgs)},
        now=tie_columns.rollups(account, employee, times.now[tie], len(orgs), params),
        then=tie_columns.rollups(account, employee, times.then[tie], len(orgs), params),
        employees=list(rows.employees),
        first_contact=np.where(np.isinf(first), np.nan, first),
        theirs=theirs, ours=ours,
        contacts=np.bincount(account, weights=times.count[tie], minlength=len(orgs)),
    )


def _competitors(
    times: _TieTimes, tie_rows: list[account_network.CompetitorTie], buy_rows: list[dict[str, Any]]
) -> dict[str, dict[str, float]]:
    """Each customer's competitors and the strength of each one's tie to it.

    A competitor's strength is the noisy-OR of its (and its people's) TIEs with the
    account and its people, or the analyst's assessed strength of the account's active
    BUYS_FROM to it when higher; a BUYS_FROM without either counts as strength 0.
    """
    ties: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for row in tie_rows:
        ties[row.org][row.competitor].append(times.strength(row.tie))
    out: dict[str, dict[str, float]] = {org: {c: scoring.noisy_or(ss) for c, ss in comps.items()} for org, comps in ties.items()}
    for row in buy_rows:
        comps = out.setdefault(row["org"], {})
        assessed = float(row["assessed"]) if row["assessed"] is not None else 0.0
        comps[row["competitor"]] = max(comps.get(row["competitor"], 0.0), assessed)
    return out


_STAMPS = {
    ComplaintStatus.ACKNOWLEDGED: "acknowledged_at",
    ComplaintStatus.ESCALATED: "escalated_at",
    ComplaintStatus.RESOLVED: "resolved_at",
    ComplaintStatus.CLOSED: "closed_at",
}


def _opt_int(x: Any) -> int | None:
    return int(x) if x is not None else None


def complaint_view(sid: str, c: Mapping[str, Any], at_ms: int, deadlines: Any) -> ComplaintView | None:
    """A stored complaint (times in epoch ms) as it stood at `at_ms`; None if not yet received.

    Its status then comes from its stamps (`care.complaint_status_at`); a status entered
    after `at_ms` had not happened, nor had a resolution, nor the satisfaction recorded with it.
    """
    received = int(c["received_at"])
    stamps = {s: _opt_int(c.get(k)) for s, k in _STAMPS.items()}
    status = care.complaint_status_at(ComplaintStatus(c["status"]), received, stamps, at_ms)
    if status is None:
        return None
    resolved = stamps[ComplaintStatus.RESOLVED]
    late, reasons = care.complaint_overdue(
        status, received, stamps[ComplaintStatus.ACKNOWLEDGED], resolved,
        _opt_int(c.get("respond_by")), _opt_int(c.get("resolve_by")), at_ms, deadlines=deadlines,
    )
    done = status in (ComplaintStatus.RESOLVED, ComplaintStatus.CLOSED)
    return ComplaintView(
        id=c["id"], stakeholder_id=sid, status=status, category=c.get("category"), severity=c.get("severity"),
        received_ms=received, resolved_ms=resolved if done and resolved is not None and resolved <= at_ms else None,
        overdue=late, reasons=tuple(reasons), satisfaction=_number(c.get("satisfaction")) if done else None,
    )


async def _complaints(v: View) -> list[ComplaintView]:
    """Every complaint received by the view's moment, as it stood then (cached)."""

    async def compute() -> list[ComplaintView]:
        out = []
        for r in await v.store.all_complaints(v.at):
            cv = complaint_view(r["sid"], r["c"], v.at_ms, v.store.deadlines)
            if cv is not None:
                out.append(cv)
        return out

    return await v.get("complaints", (), compute)


def _number(x: Any) -> float | None:
    return float(x) if isinstance(x, (int, float)) and not isinstance(x, bool) else None


# --------------------------------------------------------------------------- key accounts


async def key_accounts(
    store: GraphStore,
    weights: ka.KeyAccountWeights = ka.DEFAULT_KEY_WEIGHTS,
    thresholds: ka.TierThresholds = ka.DEFAULT_TIER_THRESHOLDS,
    at: datetime | None = None,
    *,
    discount: float = DEFAULT_DISCOUNT,
) -> RankedAccounts:
    """Every customer organisation scored on the five criteria, best first.

    The whole population is scored (revenue and dependency are relative to it); filter
    by tier or page afterwards. Cached while the network version stands
    (`services.account_cache`); the result is immutable, and each `KeyAccount` in it is
    built when it is read.
    """
    return (await _key_accounts(await view(store, at), weights, thresholds, discount)).of_tier(None)


async def _key_accounts(
    v: View, weights: ka.KeyAccountWeights, thresholds: ka.TierThresholds, discount: float
) -> RankedAccounts:
    return await v.get("key_accounts", (weights, thresholds, discount),
                       lambda: _score_key_accounts(v, weights, thresholds, discount))


async def _score_key_accounts(
    v: View, weights: ka.KeyAccountWeights, thresholds: ka.TierThresholds, discount: float
) -> RankedAccounts:
    store, at_ms = v.store, v.at_ms
    # independent whole-network reads, side by side (the database answers them in parallel)
    customers, revenue, strengths, buying, buys, referred = await asyncio.gather(
        _customers(v), _revenue(v), _strengths_of(v), store.buying_since(), store.competitor_buys(),
        _referral_edges(store, _tie_times(v)),
    )
    return await asyncio.to_thread(
        _scored, customers, revenue, strengths, buying, buys, referred, at_ms, weights, thresholds, discount
    )


def _scored(
    customers: list[dict[str, Any]], revenue: dict[str, tuple[float, float, int]], strengths: _Strengths,
    buying: dict[str, int], buys: list[dict[str, Any]], referred: dict[str, dict[str, float]], at_ms: int,
    weights: ka.KeyAccountWeights, thresholds: ka.TierThresholds, discount: float,
) -> RankedAccounts:
    """Every customer scored from the whole-network reads, best first.

    CPU only, so it runs in a worker thread. The figures are columns in the customers'
    order; the only per-account Python work left is reading the customer rows, since an
    object or a dict lookup per account costs ~0.5 µs and up on a busy heap.
    """
    with collector_paused(collect=True):
        n = len(customers)
        ids = [c["id"] for c in customers]
        at = strengths.aligned(ids, n)
        sales = [revenue.get(sid) for sid in ids]
        revenue_12m = np.fromiter((max(0.0, r[0]) if r else 0.0 for r in sales), np.float64, n)
        bought = np.fromiter((buying.get(sid, math.nan) for sid in ids), np.float64, n)
        # first contact on a tie, first order or the recorded start, whichever came first
        first = np.fmin(np.fmin(_take(strengths.first_contact, at, math.nan), bought), _column(customers, "since"))
        tenure = ka.tenure_columns(np.trunc(first), at_ms)
        loss, referred_revenue = _referral_loss(ids, revenue_12m, revenue, referred)
        margin = _column(customers, "margin")
        with np.errstate(invalid="ignore"):
            clv = ka.clv_columns(margin * revenue_12m, _lasting(_column(customers, "retention"), discount), discount)
        now_s, then_s = _take(strengths.now.strength, at, 0.0), _take(strengths.then.strength, at, 0.0)
        # fmax/fmin drop NaN: an absent potential or percentile counts as 0
        potential = np.fmax(0.0, _column(customers, "potential"))
        influence = np.fmin(100.0, np.fmax(0.0, _column(customers, "influence_percentile")))
        scores = ka.score_columns(revenue_12m, potential, tenure, now_s, then_s, influence, loss, weights, thresholds)
        flagged = _transactional(customers, ids, sales, tenure, strengths, at, buying, buys)
        top = _take(strengths.now.top_employee, at, -1).tolist()
        columns = KeyAccountColumns(
            ids=ids, names=[c.get("name") or sid for c, sid in zip(customers, ids)], scores=scores,
            abc=ka.abc_columns(revenue_12m), revenue_12m=revenue_12m,
            revenue_total=np.fromiter((r[1] if r else 0.0 for r in sales), np.float64, n),
            potential=potential, tenure_days=tenure, strength_now=now_s, strength_90d_ago=then_s,
            influence_percentile=influence,
            referred_revenue=referred_revenue, clv=[None if math.isnan(x) else x for x in clv.tolist()],
            stored_tier=[Tier(c["tier"]) if c.get("tier") else None for c in customers],
            single_threaded=_take(strengths.now.single_threaded, at, False).tolist(),
            top_employee_id=[strengths.employees[t] if t >= 0 else None for t in top],
            transactional=flagged.flagged.tolist(), transactional_reasons=flagged.reasons, at_ms=at_ms,
        )
        return columns.ranked()


def _lasting(retention: tie_columns.Floats, discount: float) -> tie_columns.Floats:
    """Retention with NaN (value unknown) where the CLV sum has no finite value: a customer
    who always stays (r = 1) when nothing is discounted (d = 0). Any other retention is
    left to `clv_columns`' checks, so a retention outside [0, 1] still fails the computation."""
    with np.errstate(invalid="ignore"):
        return np.where((retention == 1.0) & (1.0 + discount <= retention), math.nan, retention)


def _column(customers: list[dict[str, Any]], key: str) -> tie_columns.Floats:
    """A numeric customer property as a column, NaN where it is absent or not a number."""
    return np.fromiter((_float_or_nan(c.get(key)) for c in customers), np.float64, len(customers))


def _float_or_nan(x: Any) -> float:
    number = _number(x)
    return math.nan if number is None else number


def _referral_loss(
    ids: list[str], revenue_12m: tie_columns.Floats, revenue: Mapping[str, tuple[float, float, int]],
    referred: Mapping[str, Mapping[str, float]],
) -> tuple[tie_columns.Floats, tie_columns.Floats]:
    """Each account's loss impact and the weighted 12-month revenue of those it refers or
    influences (`ka.referral_weights`); only accounts with referral edges need the walk."""
    loss, referred_revenue = revenue_12m.copy(), np.zeros(len(ids))
    if not referred:
        return loss, referred_revenue
    row = {sid: k for k, sid in enumerate(ids)}
    for sid in referred:
        k = row.get(sid)
        if k is None:
            continue
        ref_rev = {j: (r, w) for j, w in ka.referral_weights(referred, sid).items()
                   if (r := revenue.get(j, (0.0,))[0]) > 0.0}
        if ref_rev:
            loss[k] = ka.loss_impact(float(revenue_12m[k]), ref_rev)
            referred_revenue[k] = sum(r * w for r, w in ref_rev.values())
    return loss, referred_revenue


async def _revenue(v: View) -> dict[str, tuple[float, float, int]]:
    """Per customer: (12-month ORDER value, ORDER value to date, ORDERs to date) at the moment (cached)."""
    since = from_ms(v.at_ms - REVENUE_WINDOW_DAYS * DAY_MS)
    return await v.get("revenue", (), lambda: v.store.order_revenue(since, v.at))  # type: ignore[arg-type]


def _transactional(
    customers: list[dict[str, Any]], ids: list[str], sales: list[tuple[float, float, int] | None],
    tenure: tie_columns.Floats, strengths: _Strengths, at: npt.NDArray[np.int64], buying: Mapping[str, int],
    buys: list[dict[str, Any]],
) -> ka.TransactionalColumns:
    """Seed 004's transactional flag from what the network shows of each account.

    Orders are its ORDER interactions; other contacts are the interactions on the ties its
    strength rolls up from, less the orders (which the organisation-level tie counts too);
    reciprocity balances what it started against what we started over those ties (None
    when neither side did anything); suppliers are its active BUYS_FROM (us and competitors).
    An analyst's `price_sensitive` property wins for the price reason.
    """
    n = len(ids)
    rivals: dict[str, int] = defaultdict(int)
    for row in buys:
        rivals[row["org"]] += 1
    orders = np.fromiter((r[2] if r else 0 for r in sales), np.int64, n)
    contacts = _take(strengths.contacts, at, 0.0).astype(np.int64)
    theirs, ours = _take(strengths.theirs, at, 0.0), _take(strengths.ours, at, 0.0)
    competitors = np.fromiter((rivals.get(sid, 0) for sid in ids), np.int64, n)
    ours_too = np.fromiter((buying.get(sid) is not None for sid in ids), np.int64, n)
    return ka.transactional_columns(
        orders=orders,
        non_order_contacts=np.maximum(0, contacts - orders),
        tenure_days=tenure,
        buys_from_competitor=competitors > 0,
        reciprocity=np.where(theirs + ours > 0, tie_columns.reciprocity(theirs, ours), np.nan),
        price_sensitive=np.fromiter((_price_flag(c.get("price_sensitive")) for c in customers), np.int8, n),
        supplier_count=competitors + ours_too,
    )


def _price_flag(x: Any) -> int:
    """An analyst's `price_sensitive` as 1 or 0, or -1 when it is not a boolean (not set)."""
    return int(x) if isinstance(x, bool) else -1


async def _referral_edges(store: GraphStore, tie_times: Awaitable[_TieTimes]) -> dict[str, dict[str, float]]:
    """REFERRED / INFLUENCES edges a -> b weighted by the analyst's assessed strength, else
    the measured TIE strength between the two, else DEFAULT_REFERRAL_WEIGHT."""
    rows, times = await asyncio.gather(store.referrals(), tie_times)
    if not rows:
        return {}
    edges: dict[str, dict[str, float]] = defaultdict(dict)
    for r in rows:
        a, b = r["a"], r["b"]
        if a == b:
            continue
        i = times.row(a, b) if a < b else times.row(b, a)
        if r["assessed"] is not None:
            w = float(r["assessed"])
        elif i is not None:
            w = times.strength(i)
        else:
            w = DEFAULT_REFERRAL_WEIGHT
        edges[a][b] = max(edges[a].get(b, 0.0), min(1.0, max(0.0, w)))
    return edges


async def at_risk(
    store: GraphStore,
    first: int,
    at: datetime | None = None,
    weights: ka.KeyAccountWeights = ka.DEFAULT_KEY_WEIGHTS,
    thresholds: ka.TierThresholds = ka.DEFAULT_TIER_THRESHOLDS,
    *,
    discount: float = DEFAULT_DISCOUNT,
) -> list[AtRiskAccount]:
    """Key accounts (scored KEY, or stored as KEY) with at least one risk reason, best first.

    The whole list is computed once per network version and moment (cached), then cut;
    it shares the key-account scores of the same weights, thresholds and discount."""
    v = await view(store, at)
    return (await v.get("at_risk", (weights, thresholds, discount),
                        lambda: _at_risk(v, weights, thresholds, discount)))[:first]


async def _at_risk(
    v: View, weights: ka.KeyAccountWeights, thresholds: ka.TierThresholds, discount: float
) -> list[AtRiskAccount]:
    scored, competitors, filed = await asyncio.gather(
        _key_accounts(v, weights, thresholds, discount), _competitors_of(v), _complaints(v)
    )
    accounts = scored.key()
    complaints: dict[str, list[ComplaintView]] = defaultdict(list)
    for c in filed:
        complaints[c.stakeholder_id].append(c)
    out = []
    for a in accounts:
        mine = complaints.get(a.account_id, [])
        open_n = sum(1 for c in mine if c.open)
        overdue_n = sum(1 for c in mine if c.overdue)
        contest = care.contested(a.strength_now, competitors.get(a.account_id, {}))
        reasons = care.at_risk_reasons(
            strength_delta_90d=max(-1.0, min(1.0, a.strength_delta_90d)),
            open_complaints=open_n,
            overdue_complaints=overdue_n,
            our_strength=a.strength_now,
            best_competitor_strength=contest.best_competitor_strength,
            single_threaded=a.single_threaded,
        )
        if reasons:
            out.append(AtRiskAccount(a, tuple(reasons), open_n, overdue_n, contest.best_competitor_id,
                                     contest.best_competitor_strength))
    return out


async def contested(store: GraphStore, first: int, at: datetime | None = None) -> list[ContestedAccount]:
    """Customers tied to competitors, with each competitor's strength beside ours; the
    accounts where we are furthest behind come first (lead ascending, then id)."""
    v = await view(store, at)
    return (await v.get("contested", (), lambda: _contested(v)))[:first]


async def _contested(v: View) -> list[ContestedAccount]:
    competitors = await _competitors_of(v)
    if not competitors:
        return []
    strengths = await _strengths_of(v)
    names = {c["id"]: c.get("name") or c["id"] for c in await _customers(v)}
    out = []
    for org, comps in competitors.items():
        if org not in names or not comps:
            continue
        out.append(ContestedAccount(org, names[org], care.contested(strengths.strength_now(org), comps)))
    out.sort(key=lambda c: (c.contest.lead if c.contest.lead is not None else 0.0, c.account_id))
    return out


async def _overdue_contacts(v: View) -> list[care.OverdueContact]:
    async def compute() -> list[care.OverdueContact]:
        stored = {p.get("account_id") or p["id"]: p for p in await v.store.all_account_plans()}
        last = await v.store.last_contacts(list(stored), v.at)  # type: ignore[arg-type]
        plans = [plan_view(p, last.get(account)) for account, p in stored.items()]
        return care.overdue_contacts(plans, v.at_ms, v.store.cadence.days)

    return await v.get("overdue_contacts", (), compute)


async def overdue_contacts(store: GraphStore, first: int, at: datetime | None = None) -> list[care.OverdueContact]:
    """Account plans whose next contact is past at `at`, most overdue first: each is due
    one cadence after our last contact with the account or its people up to `at`
    (`care.plan_due`)."""
    return (await _overdue_contacts(await view(store, at)))[:first]


async def systemic_issues(
    store: GraphStore, window_days: float, min_customers: int, at: datetime | None = None
) -> list[care.SystemicIssue]:
    """Categories raised by `min_customers` distinct customers within the trailing window;
    a person's complaint counts for the organisation it worked for then."""
    v = await view(store, at)
    since_ms = v.at_ms - int(window_days * DAY_MS)
    rows = await store.complaint_customers(from_ms(since_ms), v.at)  # type: ignore[arg-type]
    return care.systemic_issues(_complaint_customers(rows), window_days, min_customers, v.at_ms, since_ms=since_ms)


def _complaint_customers(rows: Iterable[Mapping[str, Any]]) -> list[tuple[str, str | None, int, str]]:
    """`(customer, category, received_ms, complainant)` per complaint, from rows with one
    organisation of its complainant each (`care.complaint_customer` picks the one)."""
    complaints: dict[str, tuple[str, str | None, int]] = {}
    employers: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for r in rows:
        complaints[r["id"]] = (r["sid"], r.get("category"), int(r["received_at"]))
        if r.get("org") is not None:
            employers[r["id"]].append((r["org"], r.get("org_kind") == "CUSTOMER"))
    return [(care.complaint_customer(sid, employers.get(cid, ())), cat, t, sid)
            for cid, (sid, cat, t) in complaints.items()]


#: Which complaints `complaints_report` lists: open at the moment, resolved or closed by then, or all.
COMPLAINT_STATES = ("open", "resolved", "all")


async def complaints_report(store: GraphStore, at: datetime | None = None, state: str = "open") -> list[ComplaintView]:
    """Complaints as they stood at `at` (the `report complaints` rows): the overdue ones
    first, then by receipt; `state` picks open ones (default), resolved ones or all."""
    if state not in COMPLAINT_STATES:
        raise ValueError(f"state must be one of {COMPLAINT_STATES}")
    rows = [c for c in await _complaints(await view(store, at))
            if state == "all" or c.open == (state == "open")]
    rows.sort(key=lambda c: (not c.overdue, c.received_ms, c.id))
    return rows


async def network_summary(
    store: GraphStore, at: datetime | None = None, satisfaction_days: float = SATISFACTION_WINDOW_DAYS
) -> NetworkSummary:
    """Dashboard counts: stakeholders by kind and tier, ties by channel state, 12-month
    revenue by ABC class, open and overdue complaints, satisfaction after resolution,
    overdue contacts."""
    v = await view(store, at)
    return await v.get("summary", (satisfaction_days,), lambda: _network_summary(v, satisfaction_days))


async def _network_summary(v: View, satisfaction_days: float) -> NetworkSummary:
    store = v.store
    counts, customer_rows, revenue, complaints, by_channel, overdue_contacts = await asyncio.gather(
        store.stakeholder_counts(), _customers(v), _revenue(v), _complaints(v), _channel_counts(v),
        _overdue_contacts(v),
    )
    by_kind: dict[str, int] = defaultdict(int)
    by_tier: dict[str, int] = defaultdict(int)
    for kind, tier, n in counts:
        by_kind[kind] += n
        if tier:
            by_tier[tier] += n
    customers = [c["id"] for c in customer_rows]
    rev12 = {sid: max(0.0, revenue.get(sid, (0.0, 0.0))[0]) for sid in customers}
    classes = ka.abc_classes(rev12)
    revenue_by_abc = {k: 0.0 for k in ("A", "B", "C")}
    accounts_by_abc = {k: 0 for k in ("A", "B", "C")}
    for sid, cls in classes.items():
        revenue_by_abc[cls] += rev12[sid]
        accounts_by_abc[cls] += 1
    resolved = [(c.resolved_ms, c.satisfaction) for c in complaints if c.resolved_ms is not None]
    return NetworkSummary(
        by_kind=dict(by_kind), by_tier=dict(by_tier), by_channel=by_channel,
        revenue_by_abc=revenue_by_abc, accounts_by_abc=accounts_by_abc,
        open_complaints=sum(1 for c in complaints if c.open),
        overdue_complaints=sum(1 for c in complaints if c.overdue),
        overdue_contacts=len(overdue_contacts),
        satisfaction=care.satisfaction_summary(resolved, v.at_ms, satisfaction_days),
    )


async def _channel_counts(v: View) -> dict[str, int]:
    """Ties by channel state at the moment; a party's complaint overdue then blocks its ties."""

    async def overdue() -> set[str]:
        return {c.stakeholder_id for c in await _complaints(v) if c.overdue}

    return await network_channels.channel_counts(v.store, v.at, overdue())


async def recent_sentiments(
    store: GraphStore, ids: list[str], at: datetime, window_days: float = listening.SENTIMENT_WINDOW_DAYS
) -> dict[str, listening.RecentSentiment]:
    """Each stakeholder's recent sentiment as of `at` (`listening.recent_sentiment`), in one read.

    An interaction counts for a stakeholder when it took part, or, for an organisation,
    when one of its people (WORKS_FOR) took part before leaving it; each interaction once.
    Read for the ids asked about only (a page, a few records), not for the whole network.
    """
    at_ms = to_ms(at)
    since = from_ms(at_ms - int(2 * window_days * DAY_MS))
    found = await store.sentiment_of(ids, since, at)  # type: ignore[arg-type]
    return {sid: listening.recent_sentiment(found.get(sid, ()), at_ms, window_days) for sid in ids}


def by_tier(accounts: RankedAccounts, tier: Tier | None) -> RankedAccounts:
    return accounts.of_tier(tier)
