"""Influence on the strength-weighted stakeholder network (DOMAIN.md §3).

Pure functions over a :class:`Projection` -- a frozen, array-backed copy of the network
that the influence engine streams out of the store. Nothing here touches a database,
the clock or the file system. The algorithms, their parameters and their error bounds
are documented in ``docs/influence.md``; the docstrings here say *why*.

A tie is undirected in meaning (strength is a property of the pair, DOMAIN.md §2), so
every algorithm treats the projection as a symmetric graph: each tie is stored once
and read both ways.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType

import igraph
import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from relgraph.domain.enums import Role
from relgraph.scoring.strength import noisy_or

#: Shortest-path length of a tie of strength 1 (``-log 1 = 0``). Zero-length edges make
#: "the" shortest path ill-defined (free detours), so a perfect tie is made merely very short.
MIN_DISTANCE = 1e-9

#: Strength of a membership tie: a person who currently WORKS_FOR an organisation is tied
#: to it at least this strongly, whichever way the walk goes. Belonging is a real channel of
#: influence (the organisation speaks through its people, and they answer to it) but not
#: the closest one: 0.5 is a GOOD tie, the weight of regular, balanced contact, below what
#: frequent two-way meetings earn (see docs/influence.md, "Which relationships count").
MEMBERSHIP_STRENGTH = 0.5

#: Ranking order of roles inside a customer organisation (higher first).
ROLE_WEIGHT: Mapping[str | None, int] = MappingProxyType(
    {
        Role.DECISION_MAKER.value: 4,
        Role.INFLUENCER.value: 3,
        Role.GATEKEEPER.value: 2,
        Role.USER.value: 1,
        None: 0,
    }
)


class ConvergenceError(RuntimeError):
    """PageRank did not converge within ``max_iter`` iterations."""


# --------------------------------------------------------------------------- projection


@dataclass(frozen=True, eq=False)
class Projection:
    """The strength-weighted network as arrays: node ``i`` is ``ids[i]`` of kind ``kinds[i]``.

    Each undirected tie appears once as ``(src[e], dst[e], weight[e])`` with
    ``src < dst``, no self-loops and ``0 < weight <= 1``. Build it with
    :meth:`from_edges` (or :meth:`from_arrays`), which enforce that shape; the derived
    adjacency structures are computed once, on first use, and shared by every query.
    """

    ids: list[str]
    kinds: list[str]
    src: np.ndarray
    dst: np.ndarray
    weight: np.ndarray

    @classmethod
    def from_edges(
        cls, nodes: Iterable[tuple[str, str]], edges: Iterable[tuple[str, str, float]]
    ) -> Projection:
        """Build from ``(id, kind)`` nodes and ``(a, b, strength)`` ties, as streamed.

        Endpoints must be known nodes; see :meth:`from_arrays` for what is dropped
        and how duplicates are merged.
        """
        ids: list[str] = []
        kinds: list[str] = []
        for node_id, kind in nodes:
            ids.append(node_id)
            kinds.append(str(getattr(kind, "value", kind)))
        index = {node_id: i for i, node_id in enumerate(ids)}
        if len(index) != len(ids):
            raise ValueError("duplicate node ids in projection")
        a_list: list[int] = []
        b_list: list[int] = []
        w_list: list[float] = []
        try:
            for a, b, w in edges:
                a_list.append(index[a])
                b_list.append(index[b])
                w_list.append(w)
        except KeyError as exc:
            raise ValueError(f"edge endpoint {exc.args[0]!r} is not a projected node") from None
        return cls.from_arrays(
            ids,
            kinds,
            np.asarray(a_list, dtype=np.int64),
            np.asarray(b_list, dtype=np.int64),
            np.asarray(w_list, dtype=np.float64),
        )

    @classmethod
    def from_arrays(
        cls, ids: Sequence[str], kinds: Sequence[str], src: np.ndarray, dst: np.ndarray, weight: np.ndarray
    ) -> Projection:
        """Canonicalise index arrays: drop self-loops and zero weights, merge duplicates.

        Duplicate pairs (either orientation) keep the **maximum** strength, not a
        noisy-OR: a pair has one strength (DOMAIN.md §2), so a duplicate is the same tie
        seen twice -- both directions of a relationship, or an overlap between streamed
        batches -- and max is idempotent where noisy-OR would inflate it.
        """
        n = len(ids)
        if len(kinds) != n:
            raise ValueError("ids and kinds differ in length")
        if len(set(ids)) != n:
            raise ValueError("duplicate node ids in projection")
        src = np.asarray(src, dtype=np.int64)
        dst = np.asarray(dst, dtype=np.int64)
        weight = np.asarray(weight, dtype=np.float64)
        if not (src.shape == dst.shape == weight.shape and src.ndim == 1):
            raise ValueError("src, dst and weight must be 1-d arrays of one length")
        if src.size and (min(src.min(), dst.min()) < 0 or max(src.max(), dst.max()) >= n):
            raise ValueError("edge endpoint out of range")
        if not np.all(np.isfinite(weight)) or np.any(weight < 0) or np.any(weight > 1):
            raise ValueError("tie strengths must lie in [0, 1]")
        keep = (src != dst) & (weight > 0)
        lo = np.minimum(src, dst)[keep]
        hi = np.maximum(src, dst)[keep]
        w = weight[keep]
        key = lo * max(n, 1) + hi
        order = np.argsort(key, kind="stable")
        key, lo, hi, w = key[order], lo[order], hi[order], w[order]
        head = np.ones(key.size, dtype=bool)
        head[1:] = key[1:] != key[:-1]
        starts = np.flatnonzero(head)
        w = np.maximum.reduceat(w, starts) if starts.size else w
        return cls(
            ids=list(ids),
            kinds=[str(getattr(k, "value", k)) for k in kinds],
            src=lo[starts].astype(np.int32),
            dst=hi[starts].astype(np.int32),
            weight=w,
        )

    @property
    def n(self) -> int:
        """Number of nodes."""
        return len(self.ids)

    @cached_property
    def index(self) -> dict[str, int]:
        """Stakeholder id -> node index."""
        return {node_id: i for i, node_id in enumerate(self.ids)}

    @cached_property
    def adjacency(self) -> sp.csr_matrix:
        """Symmetric CSR matrix of strengths: both directions of every tie."""
        n = self.n
        rows = np.concatenate([self.src, self.dst])
        cols = np.concatenate([self.dst, self.src])
        data = np.concatenate([self.weight, self.weight])
        a = sp.csr_matrix((data, (rows, cols)), shape=(n, n))
        a.sort_indices()
        return a

    @cached_property
    def lengths(self) -> np.ndarray:
        """Path length ``-log(strength)`` of every entry of :attr:`adjacency` (same order).

        Adding lengths multiplies strengths, so shortest paths are strongest chains.
        """
        return np.abs(np.log(self.adjacency.data))  # abs: -log(1) must be +0.0

    @cached_property
    def length_graph(self) -> sp.csr_matrix:
        """:attr:`adjacency` with lengths ``max(-log(strength), MIN_DISTANCE)``: Dijkstra's input."""
        a = self.adjacency
        return sp.csr_matrix((np.maximum(self.lengths, MIN_DISTANCE), a.indices, a.indptr), shape=a.shape)

    @cached_property
    def adjacency_rows(self) -> np.ndarray:
        """Row (tail node) of every entry of :attr:`adjacency`, in its order."""
        return np.repeat(np.arange(self.n, dtype=np.int64), np.diff(self.adjacency.indptr))

    @cached_property
    def strength_sum(self) -> np.ndarray:
        """Each node's total tie strength (weighted degree); 0 marks a dangling node."""
        return np.asarray(self.adjacency.sum(axis=1)).ravel()

    @cached_property
    def ig_graph(self) -> igraph.Graph:
        """The same ties as an undirected igraph graph (edge ``e`` is tie ``e``), for Brandes in C."""
        return igraph.Graph(n=self.n, edges=list(zip(self.src.tolist(), self.dst.tolist())))

    def node(self, node_id: str) -> int:
        """Index of ``node_id``; ValueError for an id that is not in the projection."""
        try:
            return self.index[node_id]
        except KeyError:
            raise ValueError(f"unknown stakeholder {node_id!r}") from None

    def ties_of(self, node_id: str) -> dict[str, float]:
        """The direct ties of one stakeholder: neighbour id -> strength."""
        a = self.adjacency
        i = self.node(node_id)
        lo, hi = a.indptr[i], a.indptr[i + 1]
        return {self.ids[j]: float(w) for j, w in zip(a.indices[lo:hi], a.data[lo:hi])}


# --------------------------------------------------------------------------- pagerank


def pagerank(
    p: Projection,
    damping: float = 0.85,
    tol: float = 1e-10,
    max_iter: int = 200,
    personalization: np.ndarray | None = None,
) -> np.ndarray:
    """Strength-weighted PageRank by power iteration on the symmetric graph.

    Same model as ``networkx.pagerank(G, weight="weight")`` on the undirected graph: a
    walker follows a tie with probability proportional to its strength, teleports with
    probability ``1 - damping`` to a node drawn from ``personalization`` (uniform by
    default), and a dangling (tie-less) node sends its mass the same way. Convergence
    uses networkx's test too -- the L1 change of an iteration below ``n * tol`` -- so
    ``tol`` means the same in both. The iteration starts from the teleport vector
    (uniform, as networkx, unless personalised): mass then never reaches nodes the
    walk cannot reach, so they score exactly 0. Because the graph is symmetric,
    ``P^T x`` is just ``A (x / s)``: one CSR mat-vec per iteration, no transpose.
    """
    n = p.n
    if n == 0:
        return np.zeros(0)
    if not 0.0 <= damping < 1.0:
        raise ValueError("damping must lie in [0, 1)")
    if personalization is None:
        teleport = np.full(n, 1.0 / n)
    else:
        teleport = np.asarray(personalization, dtype=np.float64)
        if teleport.shape != (n,) or not np.all(np.isfinite(teleport)) or np.any(teleport < 0):
            raise ValueError("personalization must be n finite, non-negative weights")
        total = teleport.sum()
        if total <= 0:
            raise ValueError("personalization must have a positive sum")
        teleport = teleport / total
    a = p.adjacency
    s = p.strength_sum
    dangling = np.flatnonzero(s == 0)
    inv_s = np.divide(1.0, s, out=np.zeros(n), where=s > 0)
    x = teleport.copy()
    for _ in range(max_iter):
        x_last = x
        x = a @ (x_last * inv_s)
        x *= damping
        x += (damping * x_last[dangling].sum() + 1.0 - damping) * teleport
        if np.abs(x - x_last).sum() < n * tol:
            return x
    raise ConvergenceError(f"pagerank did not converge in {max_iter} iterations")


def ranked(scores: np.ndarray, digits: int | None = 9) -> tuple[np.ndarray, np.ndarray]:
    """Rank 1 = highest score, and the percentile = share of the *other* nodes scoring lower.

    Ties share the best rank of their group ("1224" competition ranking), so a rank
    is 1 + the number of strictly higher scores, and the percentile is
    ``100 * (number strictly lower) / (n - 1)``: 100 for a unique top, 0 for the
    bottom, for a lone node and for everyone when all tie. Scores are compared to
    ``digits`` significant digits, because an iterative score is only that accurate
    and nodes in symmetric positions should not be split by rounding noise; pass
    ``None`` to compare exact floats.
    """
    x = np.asarray(scores, dtype=np.float64)
    n = x.size
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    if digits is not None:
        x = _round_significant(x, digits)
    ordered = np.sort(x)
    lower = np.searchsorted(ordered, x, side="left")
    higher = n - np.searchsorted(ordered, x, side="right")
    percentile = 100.0 * lower / (n - 1) if n > 1 else np.zeros(1)
    return (higher + 1).astype(np.int64), percentile


def _round_significant(x: np.ndarray, digits: int) -> np.ndarray:
    """Round each value to ``digits`` significant digits (zeros stay zero)."""
    mag = np.floor(np.log10(np.abs(x), out=np.zeros_like(x), where=x != 0))
    scale = 10.0 ** (digits - 1 - mag)
    return np.round(x * scale) / scale


# --------------------------------------------------------------------------- brokerage

#: Relative tolerance under which two path lengths count as equal (igraph's own, so that
#: "equally short" means the same here and in the exact Brandes of igraph).
PATH_EPSILON = 1e-10
#: Pivots per call of scipy's Dijkstra (memory: one float row of n per pivot).
PIVOT_BATCH = 8
#: Deepest shortest-path DAG levelled in numpy; a deeper one is left to igraph's Brandes.
MAX_LEVELS = 1_000


def brokerage(
    p: Projection, exact_limit: int = 5000, samples: int = 500, seed: int = 0, weighted: bool = True
) -> np.ndarray:
    """Normalised betweenness on the strength-weighted graph, tie length ``-log(strength)``.

    Weighted, not hop-count: a broker matters because the *strongest* chains between
    others run through them -- the same chains :func:`relgraph.scoring.paths.introduction_paths`
    looks for -- and a hop count would treat a 0.05 acquaintance like a 0.9 partner.
    With ``-log``, the shortest path is the one with the largest product of strengths.

    Values follow networkx ``betweenness_centrality(normalized=True)``: the share of
    pairs of other nodes whose shortest paths run through the node. Up to
    ``exact_limit`` nodes it is exact (igraph's Brandes, which agrees with networkx; see
    the tests); above, Brandes runs from ``samples`` seeded random pivots and is scaled
    up -- unbiased, with the error bounds given in ``docs/influence.md``. The pivots'
    dependencies come from :func:`pivot_dependencies` (scipy's Dijkstra, ~3x cheaper per
    pivot than igraph's Brandes at 1M ties, same values). ``weighted=False`` counts hops
    instead (igraph's BFS Brandes), blind to strength.
    """
    n = p.n
    if n < 3:
        return np.zeros(n)
    pairs = (n - 1) * (n - 2) / 2.0  # unordered pairs of other nodes
    if n <= exact_limit or samples >= n:
        g = p.ig_graph
        length = _lengths(p.weight).tolist() if weighted else None
        return np.asarray(g.betweenness(directed=False, weights=length), dtype=np.float64) / pairs
    if samples < 2:
        raise ValueError("samples must be at least 2")
    pivots = np.random.default_rng(seed).choice(n, size=samples, replace=False)
    if weighted:
        dep = pivot_dependencies(p, pivots)
    else:  # igraph halves undirected subset betweenness; 2x gives sum_{s in pivots} delta_s(v).
        dep = 2.0 * np.asarray(p.ig_graph.betweenness(directed=False, sources=pivots.tolist()), dtype=np.float64)
    # A pivot's own sum has only k - 1 informative sources (its own is 0).
    per_source = np.full(n, float(samples))
    per_source[pivots] = samples - 1
    return dep * (n - 1) / per_source / (2.0 * pairs)


def _lengths(weight: np.ndarray) -> np.ndarray:
    """Tie lengths ``-log(strength)``, a perfect tie made merely very short (MIN_DISTANCE)."""
    return np.maximum(-np.log(weight), MIN_DISTANCE)


def pivot_dependencies(p: Projection, pivots: Iterable[int]) -> np.ndarray:
    """``sum over s in pivots of delta_s(v)`` for every node ``v``: Brandes' dependencies.

    ``delta_s(v)`` is the number of targets ``t`` whose shortest paths from ``s`` run
    through ``v``, each shared equally among equally short paths -- exactly what
    igraph's subset betweenness sums (times 2), which the tests check. Why not igraph:
    its Brandes costs ~0.4 s per pivot at 100k nodes / 1M ties, scipy's Dijkstra ~0.1 s,
    and the rest is cheap in numpy because the shortest-path DAG of one pivot has about
    one edge per node (see :func:`_dag_dependency`).
    """
    n = p.n
    graph = p.length_graph
    rows = p.adjacency_rows
    out = np.zeros(n)
    todo = np.asarray(list(pivots), dtype=np.int64)
    for start in range(0, todo.size, PIVOT_BATCH):
        batch = todo[start : start + PIVOT_BATCH]
        dist = np.atleast_2d(dijkstra(graph, directed=True, indices=batch))
        for source, d in zip(batch.tolist(), dist):
            delta = _dag_dependency(d, source, rows, graph.indices, graph.data)
            out += _igraph_dependency(p, source) if delta is None else delta
    return out


def _igraph_dependency(p: Projection, source: int) -> np.ndarray:
    """``delta_source(v)`` by igraph's Brandes (which halves undirected subset sums)."""
    length = _lengths(p.weight).tolist()
    return 2.0 * np.asarray(p.ig_graph.betweenness(directed=False, weights=length, sources=[source]), dtype=np.float64)


def _dag_dependency(
    dist: np.ndarray, source: int, rows: np.ndarray, cols: np.ndarray, length: np.ndarray
) -> np.ndarray | None:
    """Brandes' dependency ``delta_source(v)`` of every node, from its shortest distances.

    The shortest-path DAG is every tie ``u -> v`` with ``dist[u] + length == dist[v]``
    (within :data:`PATH_EPSILON`, relative). Its nodes are levelled by the longest chain of
    DAG edges from the source, so that every DAG edge climbs at least one level; path
    counts ``sigma`` then flow level by level from the source, and dependencies
    ``delta(u) = sum over DAG edges u -> v of sigma(u) / sigma(v) * (1 + delta(v))`` flow
    back -- Brandes' recurrences, vectorised per level instead of per node. None when
    the DAG is deeper than :data:`MAX_LEVELS` (the caller asks igraph).
    """
    n = dist.size
    reached = np.isfinite(dist)
    # Settled distances satisfy dist[u] + length >= dist[v] (up to rounding), so the slack
    # is the one-sided excess; the source (dist 0) is never a DAG head, nor an unreached
    # node (inf - inf is NaN, never <=). In place: this is most of the numpy work.
    slack = dist[rows]
    slack += length
    dv = dist[cols]
    with np.errstate(invalid="ignore"):
        slack -= dv
        dv *= PATH_EPSILON
        tight = slack <= dv
    u = rows[tight]
    v = cols[tight]
    # Longest-chain levels: push until every DAG edge climbs. Each round settles one more
    # level; stakeholder networks are a few dozen levels deep, and a deeper DAG (a long
    # chain) goes to igraph instead of costing rounds x edges here.
    level = np.zeros(n, dtype=np.int64)
    for _ in range(MAX_LEVELS + 1):
        short = level[u] + 1 > level[v]
        if not short.any():
            break
        np.maximum.at(level, v[short], level[u[short]] + 1)
    else:
        return None
    order = np.argsort(level[v], kind="stable")
    u, v = u[order], v[order]
    bounds = np.searchsorted(level[v], np.arange(1, int(level[reached].max(initial=0)) + 2))
    sigma = np.zeros(n)
    sigma[source] = 1.0
    steps = list(zip(bounds[:-1].tolist(), bounds[1:].tolist()))
    for lo, hi in steps:
        np.add.at(sigma, v[lo:hi], sigma[u[lo:hi]])
    delta = np.zeros(n)
    for lo, hi in reversed(steps):
        uu, vv = u[lo:hi], v[lo:hi]
        np.add.at(delta, uu, sigma[uu] / sigma[vv] * (1.0 + delta[vv]))
    delta[source] = 0.0
    return delta


# --------------------------------------------------------------------------- one target


def influencers_of(
    p: Projection,
    target: str,
    kinds: set[str] | None = None,
    first: int = 10,
    damping: float = 0.85,
    members: Iterable[str] = (),
    exclude: Iterable[str] = (),
) -> list[tuple[str, float]]:
    """Who moves ``target``: personalised PageRank restarting at the target and its ``members``.

    The walk always returns to the target -- or, for an organisation, to the organisation
    or one of its people (``members``), each equally likely, since an account is moved
    through its people as much as through its name. The score is the long-run share of
    time spent at each node on strong-tie walks around them: near, strongly tied and well
    connected nodes score high. The target itself (which always scores highest) is not
    listed; its members are, since "who moves this account" includes its own decision
    makers. ``exclude`` ids are never listed (they still carry the walk: influence flows
    through them); ``kinds`` keeps only those stakeholder kinds. Ties by score go to the
    smaller id so that results are stable. Unknown target or member ids raise ValueError;
    unknown ``exclude`` ids are ignored.
    """
    t = p.node(target)
    seeds = sorted({t, *(p.node(m) for m in members)})
    if first <= 0:
        return []
    restart = np.zeros(p.n)
    restart[seeds] = 1.0 / len(seeds)
    scores = pagerank(p, damping=damping, personalization=restart)
    keep = scores > 0
    keep[t] = False
    keep[[i for e in exclude if (i := p.index.get(e)) is not None]] = False
    if kinds is not None:
        wanted = {str(getattr(k, "value", k)) for k in kinds}
        keep &= np.fromiter((k in wanted for k in p.kinds), dtype=bool, count=p.n)
    candidates = np.flatnonzero(keep)
    if candidates.size > first:  # pre-select, then sort the few exactly
        cut = np.partition(scores[candidates], candidates.size - first)[candidates.size - first]
        candidates = candidates[scores[candidates] >= cut]
    best = sorted(candidates.tolist(), key=lambda i: (-scores[i], p.ids[i]))[:first]
    return [(p.ids[i], float(scores[i])) for i in best]


# --------------------------------------------------------------------------- relationships


@dataclass(frozen=True)
class RelationshipTies:
    """What the typed relationships add to the measured ties of the projection.

    ``edges`` are ``(a, b, strength)`` to merge with the interaction ties (the
    projection keeps the larger strength of a pair); ``left_out`` counts the current
    relationships whose pair has no strength at all, so it is not in the network.
    """

    edges: list[tuple[str, str, float]]
    left_out: int


def relationship_ties(
    memberships: Iterable[tuple[str, str]],
    unmeasured: Iterable[tuple[str, str, float | None, float | None]],
    membership: float = MEMBERSHIP_STRENGTH,
) -> RelationshipTies:
    """The ties that relationships give, beside the ones interactions measure.

    * ``memberships``: ``(person, organisation)`` of every current WORKS_FOR. Each is a
      tie of strength ``membership`` (merged with any measured tie of the pair by max:
      belonging is a floor, not a cap).
    * ``unmeasured``: ``(a, b, assessed, assessed_at)`` of every current relationship of
      any type between a pair **without interactions** (no measured strength). Such a
      pair counts at the analyst's assessed strength when one is recorded on any of its
      relationships -- the latest by ``assessed_at``, the larger on a tie in time --
      since that is all we know of it. A pair with interactions never comes here: its
      computed strength stands and the assessment is kept beside it, not over it.

    A relationship in ``unmeasured`` whose pair gets no positive strength from either
    rule (nothing assessed, or assessed 0, and no membership) is counted in ``left_out``.
    Strengths outside [0, 1] raise ValueError.
    """
    if not 0.0 <= membership <= 1.0:
        raise ValueError("membership strength must lie in [0, 1]")
    strength: dict[tuple[str, str], float] = {}
    for a, b in memberships:
        if a != b:
            strength[_pair(a, b)] = membership
    rows = list(unmeasured)
    latest: dict[tuple[str, str], tuple[float, float]] = {}
    for a, b, assessed, at in rows:
        if assessed is None or a == b:
            continue
        if not 0.0 <= assessed <= 1.0 or math.isnan(assessed):
            raise ValueError(f"assessed strength {assessed!r} of {a!r}-{b!r} is outside [0, 1]")
        key = _pair(a, b)
        when = -math.inf if at is None else float(at)
        if key not in latest or (when, assessed) > latest[key]:
            latest[key] = (when, assessed)
    for key, (_, assessed) in latest.items():
        strength[key] = max(strength.get(key, 0.0), assessed)
    left_out = sum(1 for a, b, _, _ in rows if a != b and strength.get(_pair(a, b), 0.0) <= 0.0)
    edges = [(a, b, s) for (a, b), s in sorted(strength.items()) if s > 0.0]
    return RelationshipTies(edges, left_out)


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


# --------------------------------------------------------------------------- organisation


def decision_makers(
    people: Iterable[tuple[str, str | None, str | None, float]],
) -> list[tuple[str, str | None, str | None, float]]:
    """Rank one organisation's people: role, then seniority, then influence.

    Input and output rows are ``(person_id, role, reports_to_id, influence_score)``.
    The order is: role weight (DECISION_MAKER > INFLUENCER > GATEKEEPER > USER >
    none), then seniority = how many people of this organisation report to the
    person directly or indirectly, then influence, then id. Role comes first because
    it is what the buying process says (seed 001: know the contact persons); reporting
    lines separate people of one role; global influence breaks the remaining ties.
    A manager outside the list, and reporting cycles, add nothing.
    """
    rows = [(pid, _role(role), boss, float(score)) for pid, role, boss, score in people]
    members = {pid for pid, _, _, _ in rows}
    reports: dict[str, list[str]] = {}
    for pid, _, boss, _ in rows:
        if boss is not None and boss in members and boss != pid:
            reports.setdefault(boss, []).append(pid)

    def below(pid: str) -> int:
        seen = {pid}
        stack = list(reports.get(pid, ()))
        while stack:
            q = stack.pop()
            if q not in seen:
                seen.add(q)
                stack.extend(reports.get(q, ()))
        return len(seen) - 1

    seniority = {pid: below(pid) for pid in members}
    return sorted(rows, key=lambda r: (-ROLE_WEIGHT[r[1]], -seniority[r[0]], -r[3], r[0]))


def _role(role: object) -> str | None:
    """Normalise a role (enum or string) to its value; ValueError for an unknown role."""
    return None if role is None else Role(role).value


# --------------------------------------------------------------------------- departure


def departure_impact(
    account_ties: Mapping[str, Mapping[str, float]], org_level: Mapping[str, float], employee: str
) -> list[tuple[str, float, float]]:
    """Accounts whose rolled-up strength falls if ``employee`` leaves: (account, before, after).

    ``account_ties[account][employee]`` is that employee's tie strength to the account
    and ``org_level[account]`` the organisation-level tie (missing = 0). The roll-up is
    the same noisy-OR as :func:`relgraph.scoring.strength.rollup`, so an account that
    hangs on one person shows a large drop and one held by many people a small one.
    Largest drop first, then account id.
    """
    out = []
    for account, ties in account_ties.items():
        mine = ties.get(employee, 0.0)
        org = org_level.get(account, 0.0)
        for s in (*ties.values(), org):
            if not (math.isfinite(s) and 0.0 <= s <= 1.0):
                raise ValueError(f"strength {s!r} for account {account!r} not in [0, 1]")
        if mine <= 0.0:
            continue
        before = noisy_or([*ties.values(), org])
        after = noisy_or([s for e, s in ties.items() if e != employee] + [org])
        if after < before:
            out.append((account, before, after))
    out.sort(key=lambda r: (r[2] - r[1], r[0]))
    return out
