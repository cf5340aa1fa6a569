"""Influence as the API asks for it (DOMAIN.md §3): projection, refresh, targets, paths, departures.

This module joins the store's reads to the pure algorithms of `relgraph.scoring.influence`
and `relgraph.scoring.paths`; it holds no formula of its own. The projection -- every
stakeholder with its kind, every tie weighted by its current strength, plus the ties
that relationships give (memberships, assessed strengths of pairs without interactions)
-- is streamed out of the store (the ties from the tie snapshot) and cached per process for a few seconds,
keyed by the network version, so a burst of requests shares one projection and a change
to the network is seen at once. CPU work runs in a
worker thread, so the event loop keeps serving while a refresh computes.
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter
from typing import Awaitable, Callable, Iterable, Sequence, TypeVar

import numpy as np

from relgraph.domain.time import from_ms, now_ms
from relgraph.scoring import influence as algo
from relgraph.scoring import paths as path_algo
from relgraph.scoring.influence import MEMBERSHIP_STRENGTH, Projection
from relgraph.scoring import tie_columns
from relgraph.services import strength as strength_service
from relgraph.services.tie_snapshot import EndPairs, TieSnapshot, tie_snapshot
from relgraph.store.graph_store import GraphStore

log = logging.getLogger("relgraph.influence")

T = TypeVar("T")

#: Algorithm version written with every result; bump it when the method changes.
ALGORITHM_VERSION = "1"
#: PageRank damping used for global influence and for one target.
DAMPING = 0.85
#: Betweenness is exact up to this many stakeholders (one Dijkstra per node), sampled above.
EXACT_LIMIT = 5_000
#: Most seconds the sampled brokerage may take in a refresh; pivots are chosen to fit it.
BROKERAGE_BUDGET_S = 4.0
#: Seconds a whole refresh should take (issue 5: at most 10 s at 100k stakeholders / 1M
#: ties, less a margin for this machine's noise, about ±0.5 s). Sampled brokerage gets what
#: the reads, PageRank and the expected write-back leave of it, up to BROKERAGE_BUDGET_S
#: and never fewer than MIN_SAMPLES pivots.
REFRESH_BUDGET_S = 8.5
#: Cost of one weighted Brandes pivot per (node + tie), in seconds: 0.12-0.18 s per pivot
#: at 100k nodes / 1M ties on a 2-core machine (scipy's Dijkstra plus the numpy
#: accumulation). Each sampled refresh re-measures it (below).
PIVOT_COST_PER_ELEMENT_S = 1.5e-7
#: Seconds to write back one stakeholder's row (FalkorDB, 100k rows in chunks of 25k: ~3 s,
#: most of it FalkorDB re-indexing each updated node). Each large refresh re-measures it.
WRITE_COST_PER_ROW_S = 3e-5
#: Fewest and most pivots of a sampled refresh.
MIN_SAMPLES, MAX_SAMPLES = 2, 500

#: The pivot and write costs as last measured in this process (start: the constants above).
_pivot_cost = PIVOT_COST_PER_ELEMENT_S
_write_cost = WRITE_COST_PER_ROW_S
#: Seconds a cached projection may be reused while the network version stands.
CACHE_TTL_S = 5.0


# --------------------------------------------------------------------------- projection


@dataclass
class _Cached:
    projection: Projection
    version: str | None
    built: float


@dataclass(frozen=True)
class _PairIndex:
    """The tie snapshot's pairs as indices into one node list, kept between projections.

    Mapping 1M pairs of ids to node indices costs ~1 s of dict lookups. A snapshot that
    caught up with a few writes keeps its rows and appends new pairs at the end
    (`TieSnapshot.patched`), so while the node list is the same, only the appended pairs
    need mapping. A different node list (a stakeholder created) or a reread snapshot
    (other pair objects, maybe another order) maps everything again, so the cache can
    cost a remap but never give a wrong index.
    """

    ids: list[str]
    pairs: Sequence[tuple[str, str]]
    src: np.ndarray
    dst: np.ndarray

    def covers(self, ids: list[str], pairs: Sequence[tuple[str, str]]) -> bool:
        """Whether these arrays map a prefix of ``pairs`` onto exactly this node list."""
        head = len(self.pairs)
        return self.ids == ids and len(pairs) >= head and pairs[:head] == self.pairs


class _NodeIndex(dict[str, int]):
    """Node id -> index, -1 for an id that is not a node (a tie to a stakeholder created
    after the node read): a C-level lookup for `map`, no Python call per tie."""

    def __missing__(self, key: str) -> int:
        return -1


#: Per store (weakly held, so a closed store's entries go with it).
_cache: weakref.WeakKeyDictionary[GraphStore, _Cached] = weakref.WeakKeyDictionary()
_pair_indices: weakref.WeakKeyDictionary[GraphStore, _PairIndex] = weakref.WeakKeyDictionary()
_build_locks: weakref.WeakKeyDictionary[GraphStore, asyncio.Lock] = weakref.WeakKeyDictionary()
_refresh_locks: weakref.WeakKeyDictionary[GraphStore, asyncio.Lock] = weakref.WeakKeyDictionary()


def invalidate(store: GraphStore) -> None:
    """Forget the cached projection of this store (after writes that counts do not see)."""
    _cache.pop(store, None)
    _pair_indices.pop(store, None)


def _pair_index(ids: list[str], pairs: Sequence[tuple[str, str]], known: _PairIndex | None) -> _PairIndex:
    """Every pair's endpoints as node indices (-1: not a node), reusing ``known`` where it holds."""
    if known is not None and known.covers(ids, pairs):
        if len(pairs) == len(known.pairs):
            return known
        src_head, dst_head, tail = known.src, known.dst, pairs[len(known.pairs) :]
    else:
        src_head = dst_head = np.zeros(0, dtype=np.int64)
        tail = pairs
    index = _NodeIndex(zip(ids, range(len(ids))))
    count = len(tail)
    src = np.fromiter(map(index.__getitem__, map(itemgetter(0), tail)), dtype=np.int64, count=count)
    dst = np.fromiter(map(index.__getitem__, map(itemgetter(1), tail)), dtype=np.int64, count=count)
    return _PairIndex(ids, pairs, np.concatenate([src_head, src]), np.concatenate([dst_head, dst]))


@dataclass(frozen=True)
class _Relationships:
    """The store's relationship reads for one projection (see `algo.relationship_ties`)."""

    memberships: list[tuple[str, str]]
    unmeasured: list[tuple[str, str, float | None, int | None]]


async def _relationships(store: GraphStore) -> _Relationships:
    memberships, unmeasured = await asyncio.gather(store.memberships(), store.unmeasured_relationships())
    return _Relationships(memberships, unmeasured)


def _build(
    nodes: list[tuple[str, str]], snap: TieSnapshot, at: int, params: object, known: _PairIndex | None,
    relationships: _Relationships | None = None,
) -> tuple[Projection, _PairIndex, int]:
    """The projection at ``at`` from the node list, the tie snapshot and the relationships
    (CPU only); with the number of current relationships left out for lack of any strength."""
    ids = [node_id for node_id, _ in nodes]
    pairs = snap.columns.pairs
    if isinstance(pairs, EndPairs) and pairs.ids == ids:  # the read named the ends by position in this node list
        mapped = _PairIndex(ids, pairs, pairs.a, pairs.b)
    else:
        mapped = _pair_index(ids, snap.columns.pairs, known)
    weight = tie_columns.strengths_at(snap.columns, at, params)  # type: ignore[arg-type]
    src, dst = mapped.src, mapped.dst
    left_out = 0
    if relationships is not None:
        extra = algo.relationship_ties(relationships.memberships, relationships.unmeasured, MEMBERSHIP_STRENGTH)
        left_out = extra.left_out
        index = _NodeIndex(zip(ids, range(len(ids))))
        src = np.concatenate([src, np.fromiter((index[a] for a, _, _ in extra.edges), np.int64, len(extra.edges))])
        dst = np.concatenate([dst, np.fromiter((index[b] for _, b, _ in extra.edges), np.int64, len(extra.edges))])
        weight = np.concatenate([weight, np.fromiter((s for _, _, s in extra.edges), np.float64, len(extra.edges))])
    keep = (src >= 0) & (dst >= 0)
    kinds = [str(getattr(kind, "value", kind)) for _, kind in nodes]
    p = Projection.from_arrays(ids, kinds, src[keep], dst[keep], weight[keep])
    p.adjacency  # noqa: B018 - derive the CSR here, where it is timed as projection work
    return p, mapped, left_out


async def _project(store: GraphStore, at: int, phases: dict[str, float]) -> tuple[Projection, int]:
    """`project` and the count of relationships left out, recording seconds per phase
    (nodes, ties, relationships, projection) into ``phases``. The relationship reads run
    beside the node and tie reads."""
    seconds: dict[str, float] = {}

    async def timed(name: str, read: Awaitable[T]) -> T:
        started = time.perf_counter()
        value = await read
        seconds[name] = time.perf_counter() - started
        return value

    async def nodes_then_ties() -> tuple[list[tuple[str, str]], TieSnapshot]:
        return await timed("nodes", store.stakeholder_kinds()), await timed("ties", tie_snapshot(store))

    (nodes, snap), relationships = await asyncio.gather(
        nodes_then_ties(), timed("relationships", _relationships(store))
    )
    phases.update((name, seconds[name]) for name in ("nodes", "ties", "relationships"))
    started = time.perf_counter()
    p, mapped, left_out = await asyncio.to_thread(
        _build, nodes, snap, at, store.strength_params, _pair_indices.get(store), relationships
    )
    _pair_indices[store] = mapped
    phases["projection"] = time.perf_counter() - started
    return p, left_out


async def project(store: GraphStore, *, at_ms: int | None = None) -> Projection:
    """The strength-weighted network now: every stakeholder, weights = current strengths.

    The ties come from the tie snapshot (read once, then kept up to date by the pairs
    each write changed) and are scored as columns, and the pairs' node indices are kept
    from the last projection, so a refresh after a few writes costs a node read and a
    few array passes, not a reread or a remap of every tie. Current memberships add ties
    of `MEMBERSHIP_STRENGTH`, and pairs without interactions count at their assessed
    strength when one is recorded (`scoring.influence.relationship_ties`).
    """
    p, _ = await _project(store, now_ms() if at_ms is None else at_ms, {})
    return p


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
    """What one refresh computed and wrote, and where its time went.

    ``phases`` holds seconds per step, in order: ``nodes`` (stakeholder ids and kinds),
    ``ties`` (the tie snapshot: a full read, a catch-up or nothing), ``relationships``
    (memberships and relationships without interactions, read beside the first two),
    ``projection`` (strengths now, node indices, CSR), ``pagerank`` (with ranks),
    ``brokerage`` and ``write`` (the write-back of every stakeholder's row).
    ``relationships_left_out`` counts the current relationships whose pair has no strength
    at all (no interactions, no assessed strength, no membership): they are not in the
    network the scores were computed on.
    """

    nodes: int
    ties: int
    written: int
    computed_at: datetime
    version: str
    brokerage_exact: bool
    samples: int
    seconds: float
    relationships_left_out: int = 0
    phases: dict[str, float] = field(default_factory=dict)


def brokerage_samples(n: int, m: int, budget_s: float = BROKERAGE_BUDGET_S) -> int:
    """Pivots of sampled brokerage that fit the time budget on a graph of n nodes and m ties."""
    per_pivot = _pivot_cost * max(1, n + m)
    return int(min(n, MAX_SAMPLES, max(MIN_SAMPLES, budget_s / per_pivot)))


def brokerage_budget(elapsed_s: float, rows: int) -> float:
    """Seconds left for brokerage in a refresh that has run ``elapsed_s`` and will write
    ``rows`` rows: what REFRESH_BUDGET_S leaves, at most BROKERAGE_BUDGET_S, at least 0
    (then `brokerage_samples` still takes MIN_SAMPLES pivots)."""
    return max(0.0, min(BROKERAGE_BUDGET_S, REFRESH_BUDGET_S - elapsed_s - _write_cost * rows))


def scores(p: Projection) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(score, rank, percentile): strength-weighted PageRank and its ranking."""
    score = algo.pagerank(p, damping=DAMPING)
    rank, percentile = algo.ranked(score)
    return score, rank, percentile


def brokers(
    p: Projection, *, samples: int | None = None, seed: int = 0, exact_limit: int = EXACT_LIMIT,
    budget_s: float = BROKERAGE_BUDGET_S,
) -> tuple[np.ndarray, bool, int]:
    """(brokerage, exact, samples): betweenness, sampled to ``budget_s`` when ``samples`` is None."""
    global _pivot_cost
    k = brokerage_samples(p.n, len(p.weight), budget_s) if samples is None else samples
    exact = p.n < 3 or p.n <= exact_limit or k >= p.n
    k = max(2, min(k, p.n))
    started = time.perf_counter()
    broker = algo.brokerage(p, exact_limit=exact_limit, samples=k, seed=seed)
    if not exact and p.n + len(p.weight) > 10_000:  # learn this machine's speed for the next refresh
        _pivot_cost = (time.perf_counter() - started) / (k * (p.n + len(p.weight)))
    return broker, exact, (p.n if exact else k)


def compute(
    p: Projection, *, samples: int | None = None, seed: int = 0, exact_limit: int = EXACT_LIMIT
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, bool, int]:
    """(score, rank, percentile, brokerage, exact, samples) for every node of ``p``."""
    score, rank, percentile = scores(p)
    broker, exact, used = brokers(p, samples=samples, seed=seed, exact_limit=exact_limit)
    return score, rank, percentile, broker, exact, used


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
    ``samples=None`` sizes sampled brokerage to the time the refresh has left
    (:func:`brokerage_budget`); graphs of up to :data:`EXACT_LIMIT` stakeholders are
    always exact. The seconds of each phase are logged and returned.
    """
    global _write_cost
    lock = _refresh_locks.setdefault(store, asyncio.Lock())
    async with lock:
        started = time.perf_counter()
        phases: dict[str, float] = {}
        at = now_ms() if at_ms is None else at_ms
        version_before = await store.network_version()
        p, left_out = await _project(store, at, phases)
        if at_ms is None:  # a projection of now: the requests that follow reuse it
            _cache[store] = _Cached(p, version_before, time.monotonic())
        step = time.perf_counter()
        score, rank, pct = await asyncio.to_thread(scores, p)
        phases["pagerank"] = time.perf_counter() - step
        step = time.perf_counter()
        budget = brokerage_budget(step - started, p.n)
        broker, exact, used = await asyncio.to_thread(
            brokers, p, samples=samples, seed=seed, exact_limit=exact_limit, budget_s=budget
        )
        phases["brokerage"] = time.perf_counter() - step
        step = time.perf_counter()
        version = version_of(exact, used, seed)
        rows = [
            [node_id, s, r, q, b]
            for node_id, s, r, q, b in zip(p.ids, score.tolist(), rank.tolist(), pct.tolist(), broker.tolist())
        ]
        written = await store.write_influence(rows, at, version)
        phases["write"] = time.perf_counter() - step
        if len(rows) >= 10_000:  # learn the write speed for the next refresh's budget
            _write_cost = phases["write"] / len(rows)
        result = RefreshResult(
            nodes=p.n, ties=int(p.weight.size), written=written, computed_at=from_ms(at),  # type: ignore[arg-type]
            version=version, brokerage_exact=exact, samples=used, seconds=time.perf_counter() - started,
            relationships_left_out=left_out, phases=phases,
        )
        log.info(
            "influence refresh: %d nodes, %d ties (%d relationships left out without strength), %s in %.2f s (%s)",
            result.nodes, result.ties, result.relationships_left_out,
            "exact brokerage" if exact else f"brokerage from {used} pivots", result.seconds,
            ", ".join(f"{name} {seconds:.2f} s" for name, seconds in phases.items()),
        )
        return result


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


#: The orders of `top`: by global influence (PageRank rank) or by brokerage.
ORDERS = ("pagerank", "brokerage")


async def top(store: GraphStore, kinds: Iterable[str] | None, first: int, order_by: str = "pagerank") -> list[Influence]:
    """The best-ranked stakeholders from the last refresh (empty before the first one):
    by PageRank rank, or by brokerage (largest first, then rank)."""
    if order_by not in ORDERS:
        raise ValueError(f"unknown order {order_by!r}")
    wanted = sorted({str(getattr(k, "value", k)) for k in kinds}) if kinds else None
    return [Influence.of(r) for r in await store.top_influence(wanted, first, order_by)]


@dataclass(frozen=True)
class Influencer:
    stakeholder_id: str
    score: float
    tie_strength: float


async def influencers(
    store: GraphStore, target: str, kinds: Iterable[str] | None = None, first: int = 10, include_ours: bool = False
) -> list[Influencer]:
    """Who moves ``target``: personalised PageRank around it and its current people (an
    organisation is targeted together with them), the target excluded, with direct ties.

    Us (the organisation that is us) and whoever currently works for us are left out
    unless ``include_ours``: the question is who *else* moves the account. They still
    carry the walk, so influence that reaches the account through our people counts.
    """
    p, people, (us, staff) = await asyncio.gather(
        projection(store), store.organisation_people(target), store.our_staff()
    )
    members = [pid for pid, *_ in people if pid in p.index]
    exclude = set() if include_ours else us | staff
    wanted = {str(getattr(k, "value", k)) for k in kinds} if kinds else None

    def run() -> list[Influencer]:
        found = algo.influencers_of(
            p, target, kinds=wanted, first=first, damping=DAMPING, members=members, exclude=exclude
        )
        ties = p.ties_of(target)
        return [Influencer(i, s, ties.get(i, 0.0)) for i, s in found]

    return await asyncio.to_thread(run)


async def paths(
    store: GraphStore, to: str, from_: Sequence[str] | None = None, max_hops: int = 4, first: int = 3
) -> list[path_algo.Path]:
    """Each of the best-placed introducers' strongest path to ``to``, one path per
    introducer, none through another introducer or through us (the organisation joins
    every employee, so a chain through it is nobody's introduction). Introducers default
    to our employees."""
    sources, (us, _), p = await asyncio.gather(
        _sources(store, from_), store.our_staff(), projection(store)
    )
    return await asyncio.to_thread(path_algo.introduction_paths, p, to, sources, max_hops, first, avoid=us)


async def _sources(store: GraphStore, from_: Sequence[str] | None) -> list[str]:
    return list(from_) if from_ else await store.our_employees()


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
    "Departure", "Influence", "Influencer", "RefreshResult", "brokerage_budget", "brokerage_samples", "brokers",
    "compute", "departure",
    "ORDERS", "influence_of", "influencers", "invalidate", "keep_fresh", "paths", "project", "projection", "refresh",
    "refresh_if_stale", "scores", "top",
]
