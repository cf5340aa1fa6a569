"""Influence as the API asks for it (DOMAIN.md §3): projection, refresh, targets, paths, departures.

This module joins the store's reads to the pure algorithms of `relgraph.scoring.influence`
and `relgraph.scoring.paths`; it holds no formula of its own. The projection -- every
stakeholder with its kind, every tie weighted by its current strength -- is streamed out
of the store (the ties from the tie snapshot) and cached per process for a few seconds,
keyed by the network version, so a burst of requests shares one projection and a change
to the network is seen at once. CPU work runs in a
worker thread, so the event loop keeps serving while a refresh computes.
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from dataclasses import dataclass
from datetime import datetime
from typing import Awaitable, Callable, Iterable, Sequence

import numpy as np

from relgraph.domain.time import from_ms, now_ms
from relgraph.scoring import influence as algo
from relgraph.scoring import paths as path_algo
from relgraph.scoring import strength as scoring
from relgraph.scoring.influence import Projection
from relgraph.scoring import tie_columns
from relgraph.services import strength as strength_service
from relgraph.services.tie_snapshot import tie_snapshot
from relgraph.store.graph_store import GraphStore

log = logging.getLogger("relgraph.influence")

#: Algorithm version written with every result; bump it when the method changes.
ALGORITHM_VERSION = "1"
#: PageRank damping used for global influence and for one target.
DAMPING = 0.85
#: Betweenness is exact up to this many stakeholders (one Dijkstra per node), sampled above.
EXACT_LIMIT = 5_000
#: Seconds the sampled brokerage may take in a refresh; pivots are chosen to fit it.
BROKERAGE_BUDGET_S = 4.0
#: Cost of one weighted Brandes pivot per (node + tie), in seconds: 1.2-1.4 s per pivot at
#: 100k nodes / 1M ties on a 2-core machine. Each sampled refresh re-measures it (below).
PIVOT_COST_PER_ELEMENT_S = 1.2e-6
#: Fewest and most pivots of a sampled refresh.
MIN_SAMPLES, MAX_SAMPLES = 2, 500

#: The pivot cost as last measured in this process (starts at the constant above).
_pivot_cost = PIVOT_COST_PER_ELEMENT_S
#: Seconds a cached projection may be reused while the network version stands.
CACHE_TTL_S = 5.0


# --------------------------------------------------------------------------- projection


@dataclass
class _Cached:
    projection: Projection
    version: str | None
    built: float


#: Per store (weakly held, so a closed store's entries go with it).
_cache: weakref.WeakKeyDictionary[GraphStore, _Cached] = weakref.WeakKeyDictionary()
_build_locks: weakref.WeakKeyDictionary[GraphStore, asyncio.Lock] = weakref.WeakKeyDictionary()
_refresh_locks: weakref.WeakKeyDictionary[GraphStore, asyncio.Lock] = weakref.WeakKeyDictionary()


def invalidate(store: GraphStore) -> None:
    """Forget the cached projection of this store (after writes that counts do not see)."""
    _cache.pop(store, None)


async def project(store: GraphStore, *, at_ms: int | None = None) -> Projection:
    """The strength-weighted network now: every stakeholder, weights = current strengths.

    The ties come from the tie snapshot (read once, then kept up to date by the pairs
    each write changed) and are scored as columns, so a refresh after a few writes
    costs a node read and an array pass, not a reread of every tie.
    """
    at = now_ms() if at_ms is None else at_ms
    params = store.strength_params
    nodes = await store.stakeholder_kinds()
    snap = await tie_snapshot(store)

    def build() -> Projection:
        ids = [node_id for node_id, _ in nodes]
        index = {node_id: i for i, node_id in enumerate(ids)}
        count = len(snap.columns)
        src = np.fromiter((index.get(a, -1) for a, _ in snap.columns.pairs), dtype=np.int64, count=count)
        dst = np.fromiter((index.get(b, -1) for _, b in snap.columns.pairs), dtype=np.int64, count=count)
        weight = tie_columns.strengths_at(snap.columns, at, params)
        known = (src >= 0) & (dst >= 0)
        kinds = [str(getattr(kind, "value", kind)) for _, kind in nodes]
        return Projection.from_arrays(ids, kinds, src[known], dst[known], weight[known])

    return await asyncio.to_thread(build)


async def projection(store: GraphStore, *, max_age_s: float = CACHE_TTL_S) -> Projection:
    """The cached projection while the network version stands and it is recent (strengths
    decay with time, so even an unchanged network is reprojected after `max_age_s`)."""
    key = store
    version = await store.network_version()
    hit = _cache.get(key)
    if hit and hit.version == version and time.monotonic() - hit.built <= max_age_s:
        return hit.projection
    lock = _build_locks.setdefault(key, asyncio.Lock())
    async with lock:
        hit = _cache.get(key)
        if hit and hit.version == version and time.monotonic() - hit.built <= max_age_s:
            return hit.projection
        p = await project(store)
        _cache[key] = _Cached(p, version, time.monotonic())
        return p


# --------------------------------------------------------------------------- refresh


@dataclass(frozen=True)
class RefreshResult:
    """What one refresh computed and wrote."""

    nodes: int
    ties: int
    written: int
    computed_at: datetime
    version: str
    brokerage_exact: bool
    samples: int
    seconds: float


def brokerage_samples(n: int, m: int, budget_s: float = BROKERAGE_BUDGET_S) -> int:
    """Pivots of sampled brokerage that fit the time budget on a graph of n nodes and m ties."""
    per_pivot = _pivot_cost * max(1, n + m)
    return int(min(n, MAX_SAMPLES, max(MIN_SAMPLES, budget_s / per_pivot)))


def compute(
    p: Projection, *, samples: int | None = None, seed: int = 0, exact_limit: int = EXACT_LIMIT
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, bool, int]:
    """(score, rank, percentile, brokerage, exact, samples) for every node of ``p``."""
    score = algo.pagerank(p, damping=DAMPING)
    rank, percentile = algo.ranked(score)
    k = brokerage_samples(p.n, len(p.weight)) if samples is None else samples
    global _pivot_cost
    exact = p.n < 3 or p.n <= exact_limit or k >= p.n
    k = max(2, min(k, p.n))
    started = time.perf_counter()
    broker = algo.brokerage(p, exact_limit=exact_limit, samples=k, seed=seed)
    if not exact and p.n + len(p.weight) > 10_000:  # learn this machine's speed for the next refresh
        _pivot_cost = (time.perf_counter() - started) / (k * (p.n + len(p.weight)))
    return score, rank, percentile, broker, exact, (p.n if exact else k)


def version_of(exact: bool, samples: int, seed: int) -> str:
    how = "exact" if exact else f"sampled:{samples}:seed{seed}"
    return f"v{ALGORITHM_VERSION};pagerank:{DAMPING};brokerage:{how}"


async def refresh(
    store: GraphStore,
    *,
    samples: int | None = None,
    seed: int = 0,
    exact_limit: int = EXACT_LIMIT,
    at_ms: int | None = None,
) -> RefreshResult:
    """Project, compute PageRank and brokerage, and write both back onto the stakeholders.

    One refresh at a time per store (a second caller waits, then runs on fresh data).
    ``samples=None`` sizes sampled brokerage to :data:`BROKERAGE_BUDGET_S`; graphs of up
    to :data:`EXACT_LIMIT` stakeholders are always exact.
    """
    lock = _refresh_locks.setdefault(store, asyncio.Lock())
    async with lock:
        started = time.perf_counter()
        at = now_ms() if at_ms is None else at_ms
        version_before = await store.network_version()
        p = await project(store, at_ms=at)
        if at_ms is None:  # a projection of now: the requests that follow reuse it
            _cache[store] = _Cached(p, version_before, time.monotonic())
        score, rank, pct, broker, exact, used = await asyncio.to_thread(
            compute, p, samples=samples, seed=seed, exact_limit=exact_limit
        )
        version = version_of(exact, used, seed)
        rows = [
            [node_id, float(s), int(r), float(q), float(b), at, version]
            for node_id, s, r, q, b in zip(p.ids, score.tolist(), rank.tolist(), pct.tolist(), broker.tolist())
        ]
        written = await store.write_influence(rows)
        return RefreshResult(
            nodes=p.n, ties=int(p.weight.size), written=written, computed_at=from_ms(at),  # type: ignore[arg-type]
            version=version, brokerage_exact=exact, samples=used, seconds=time.perf_counter() - started,
        )


async def refresh_if_stale(store: GraphStore, max_age_s: float, **kwargs: object) -> RefreshResult | None:
    """Refresh when the written-back results are older than ``max_age_s`` (or missing).

    Returns None when they are fresh, or when a refresh is already running (its
    result will be fresh): callers never queue behind one another.
    """
    lock = _refresh_locks.setdefault(store, asyncio.Lock())
    if lock.locked():
        return None
    last = await store.influence_computed_at()
    if last is not None and now_ms() - last <= max_age_s * 1000:
        return None
    return await refresh(store, **kwargs)  # type: ignore[arg-type]


async def keep_fresh(
    get_store: Callable[[], Awaitable[GraphStore]], max_age_s: float, check_every_s: float | None = None
) -> None:
    """Background task: check staleness every ``check_every_s`` and refresh when stale.

    Start it with ``asyncio.create_task`` in the app's lifespan and cancel it at shutdown.
    Failures (database away, say) are logged and retried at the next check; requests
    never wait for it, they read the last written-back results.
    """
    every = check_every_s if check_every_s is not None else max(1.0, min(60.0, max_age_s / 4))
    while True:
        try:
            done = await refresh_if_stale(await get_store(), max_age_s)
            if done is not None:
                log.info("influence refreshed: %d nodes, %d ties in %.1f s", done.nodes, done.ties, done.seconds)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - a background job must survive and retry
            log.warning("influence refresh failed (%s: %s)", type(exc).__name__, exc)
        await asyncio.sleep(every)


# --------------------------------------------------------------------------- reads


@dataclass(frozen=True)
class Influence:
    """Written-back influence of one stakeholder."""

    stakeholder_id: str
    score: float
    rank: int
    percentile: float
    brokerage: float
    computed_at: datetime
    version: str

    @classmethod
    def of(cls, row: dict[str, object]) -> Influence:
        return cls(
            stakeholder_id=str(row["id"]), score=float(row["score"]), rank=int(row["rank"]),  # type: ignore[arg-type]
            percentile=float(row["percentile"]), brokerage=float(row["brokerage"] or 0.0),  # type: ignore[arg-type]
            computed_at=from_ms(row["computed_at"]), version=str(row["version"]),  # type: ignore[arg-type]
        )


async def influence_of(store: GraphStore, ids: Sequence[str]) -> dict[str, Influence]:
    return {k: Influence.of(v) for k, v in (await store.influence_of(ids)).items()}


async def top(store: GraphStore, kinds: Iterable[str] | None, first: int) -> list[Influence]:
    """The best-ranked stakeholders from the last refresh (empty before the first one)."""
    wanted = sorted({str(getattr(k, "value", k)) for k in kinds}) if kinds else None
    return [Influence.of(r) for r in await store.top_influence(wanted, first)]


@dataclass(frozen=True)
class Influencer:
    stakeholder_id: str
    score: float
    tie_strength: float


async def influencers(
    store: GraphStore, target: str, kinds: Iterable[str] | None = None, first: int = 10
) -> list[Influencer]:
    """Who moves ``target``: personalised PageRank around it (target excluded), with direct ties."""
    p = await projection(store)
    wanted = {str(getattr(k, "value", k)) for k in kinds} if kinds else None

    def run() -> list[Influencer]:
        found = algo.influencers_of(p, target, kinds=wanted, first=first, damping=DAMPING)
        ties = p.ties_of(target)
        return [Influencer(i, s, ties.get(i, 0.0)) for i, s in found]

    return await asyncio.to_thread(run)


async def paths(
    store: GraphStore, to: str, from_: Sequence[str] | None = None, max_hops: int = 4, first: int = 3
) -> list[path_algo.Path]:
    """The strongest simple introduction paths to ``to``; sources default to our employees."""
    sources = list(from_) if from_ else await store.our_employees()
    p = await projection(store)
    return await asyncio.to_thread(path_algo.introduction_paths, p, to, sources, max_hops, first)


@dataclass(frozen=True)
class Departure:
    account_id: str
    before: float
    after: float

    @property
    def drop(self) -> float:
        return self.before - self.after


async def departure(store: GraphStore, employee: str) -> list[Departure]:
    """The accounts whose rolled-up strength would fall if ``employee`` left, largest drop first."""
    rolled = await strength_service.accounts(store, await store.employee_accounts(employee))
    per_account = {account_id: r.by_employee for account_id, r in rolled.items()}
    org_level = {account_id: r.organization_level for account_id, r in rolled.items()}
    return [Departure(a, b, c) for a, b, c in algo.departure_impact(per_account, org_level, employee)]


@dataclass(frozen=True)
class DecisionMaker:
    person_id: str
    role: str | None
    reports_to: str | None
    influence: float


#: Role order when one person holds several current roles at one organisation.
_ROLE_ORDER = algo.ROLE_WEIGHT


async def decision_makers(store: GraphStore, org_id: str) -> list[DecisionMaker]:
    """An organisation's current people ranked by role, reporting lines, then influence.

    A person with several current WORKS_FOR ties keeps their highest role; a person with
    several managers keeps the first by id. Influence is the last refresh's score (0 before).
    """
    best: dict[str, tuple[str | None, str | None, float]] = {}
    for pid, role, bosses, score in await store.organisation_people(org_id):
        boss = bosses[0] if bosses else None
        seen = best.get(pid)
        if seen is None or _ROLE_ORDER[role] > _ROLE_ORDER[seen[0]]:
            best[pid] = (role, boss or (seen[1] if seen else None), float(score or 0.0))
    ranked = algo.decision_makers((pid, role, boss, score) for pid, (role, boss, score) in best.items())
    return [DecisionMaker(pid, role, boss, score) for pid, role, boss, score in ranked]


__all__ = [
    "DecisionMaker", "decision_makers",
    "Departure", "Influence", "Influencer", "RefreshResult", "brokerage_samples", "compute", "departure",
    "influence_of", "influencers", "invalidate", "keep_fresh", "paths", "project", "projection", "refresh",
    "refresh_if_stale", "top",
]
