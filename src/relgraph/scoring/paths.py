"""Warm-introduction paths: the strongest chains of ties from our people to a target (DOMAIN.md §3).

A chain is only as good as all its links together, so a path's strength is the
product of its ties' strengths; maximising the product is minimising the sum of
``-log(strength)``, a shortest-path problem with non-negative lengths.

The list answers "who could introduce us, and who else": each path starts from a
different source and never runs through another source (that person could start it
themselves), nor through a node the caller marks as no introducer (the company's own
organisation, which joins every employee). So the ``k`` paths are the best path of each
of the ``k`` best-placed sources, with at most ``max_hops`` ties, on a graph too large
to enumerate (100k nodes, 1M ties). See ``docs/influence.md``.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from relgraph.scoring.influence import Projection

#: Relative slack when collecting near-tied paths: sums of logs differ from products in
#: the last bits, so every path within this of the k-th is collected and the final order
#: is decided on exact products.
TIE_SLACK = 1e-9

#: At most this many tied paths beyond ``first`` are collected before the order among
#: exact ties is left to discovery order (guards against graphs where everything ties).
TIE_CAP = 256


@dataclass(frozen=True)
class Path:
    """One introduction path, source first and target last.

    ``strengths[i]`` is the tie between ``nodes[i]`` and ``nodes[i + 1]`` (at least one
    hop); ``strength`` is their product, multiplied source to target.
    """

    nodes: tuple[str, ...]
    strengths: tuple[float, ...]
    strength: float


def introduction_paths(
    p: Projection,
    target: str,
    sources: Iterable[str],
    max_hops: int = 4,
    first: int = 3,
    budget: int = 200_000,
    avoid: Iterable[str] = (),
) -> list[Path]:
    """The strongest path of each of the ``first`` best-placed sources to ``target``.

    Every path has 1..``max_hops`` ties, is simple, starts at a source and passes through
    no other source and no node of ``avoid`` (those may only be where a path starts or
    ends): a chain through another of our people is that person's introduction, not this
    one's. Each source appears at most once, with its own strongest path, so the list
    names ``first`` different introducers. Order: strength (product) descending, then
    fewer hops, then node ids. A source equal to the target is ignored (nobody needs an
    introduction to themselves). Unknown target or source ids raise ValueError; unknown
    ``avoid`` ids are ignored (nobody can pass through a node the network lacks).

    Method: a hop-bounded Bellman-Ford *from the target*, never relaying through a
    blocked node (a source or ``avoid``), gives for every node and every remaining hop
    budget ``r`` the length of the best walk to the target in at most ``r`` ties. That is
    an exact-for-walks, hence admissible, A* heuristic for a best-first search over
    simple-path prefixes from the sources, so complete paths come off the queue best
    first; the first one of each source is that source's best, and later ones of a
    settled source are dropped. The relaxation only touches the nodes whose bound
    improved in the previous round (the ball around the target), and sources start from
    their own one-step lookahead. ``budget`` caps the number of prefixes expanded; if it
    runs out the paths found so far are returned -- still the best ones, possibly fewer
    than ``first``.
    """
    if max_hops < 0:
        raise ValueError("max_hops must be >= 0")
    t = p.node(target)
    starts = sorted({p.node(s) for s in sources} - {t})
    if first <= 0 or max_hops == 0 or not starts:
        return []
    blocked = np.zeros(p.n, dtype=bool)
    blocked[starts] = True
    blocked[[i for a in avoid if (i := p.index.get(a)) is not None]] = True
    blocked[t] = False
    bounds = _hop_bounds(p, t, max_hops - 1, blocked)
    h_start = _one_step(p, np.asarray(starts), bounds[-1], blocked)
    found = _best_first(p, t, starts, h_start, bounds, blocked, max_hops, first, budget)
    return [_materialise(p, path) for path in found]


def _hop_bounds(p: Projection, t: int, rounds: int, blocked: np.ndarray) -> list[np.ndarray]:
    """``bounds[r][v]``: length of the best walk from ``v`` to ``t`` in at most ``r`` ties
    whose inner nodes are not ``blocked``.

    Layered Bellman-Ford from the target; round ``r`` relaxes only the edges out of
    nodes whose bound improved in round ``r - 1``, so the work follows the ball around
    the target instead of the whole graph. A blocked node gets its own bound (it may
    start a path) but never passes it on.
    """
    a, lengths = p.adjacency, p.lengths
    d = np.full(p.n, np.inf)
    d[t] = 0.0
    bounds = [d]
    frontier = np.array([t])
    for _ in range(rounds):
        nbr, via, pos = _rows(a.indptr, a.indices, frontier)
        nxt = d.copy()
        np.minimum.at(nxt, nbr, d[via] + lengths[pos])
        improved = np.flatnonzero(nxt < d)
        frontier = improved[~blocked[improved]]
        d = nxt
        bounds.append(d)
    return bounds


def _one_step(p: Projection, nodes: np.ndarray, bound: np.ndarray, blocked: np.ndarray) -> np.ndarray:
    """``min(bound[v], min_u len(v, u) + bound[u])`` over unblocked ``u``, for the given nodes only.

    The last round of the relaxation is needed only at the sources, so it is done
    there rather than over the (by then nearly whole-graph) frontier.
    """
    a, lengths = p.adjacency, p.lengths
    nbr, via, pos = _rows(a.indptr, a.indices, nodes)
    step = np.where(blocked[nbr], np.inf, bound[nbr] + lengths[pos])
    out = np.full(p.n, np.inf)
    np.minimum.at(out, via, step)
    return np.minimum(out, bound)[nodes]


def _rows(indptr: np.ndarray, indices: np.ndarray, nodes: np.ndarray) -> tuple[np.ndarray, ...]:
    """All CSR entries of ``nodes``' rows: (neighbour, row node, entry position)."""
    begin = indptr[nodes]
    count = indptr[nodes + 1] - begin
    total = int(count.sum())
    offset = np.repeat(begin - np.cumsum(count) + count, count)
    pos = offset + np.arange(total)
    return indices[pos], np.repeat(nodes, count), pos


def _slack(cost: float) -> float:
    """How far above ``cost`` a sum of logs may lie and still tie it as a product."""
    return cost + TIE_SLACK * max(1.0, cost)


def _best_first(
    p: Projection,
    t: int,
    starts: list[int],
    h_start: np.ndarray,
    bounds: list[np.ndarray],
    blocked: np.ndarray,
    max_hops: int,
    first: int,
    budget: int,
) -> list[tuple[int, ...]]:
    """A* over simple-path prefixes; returns each of the best sources' best path as index tuples.

    Queue entries are ``(cost + bound, -hops, seq, cost, path)``: among equal
    estimates the deeper prefix goes first so that ties complete quickly, and ``seq``
    keeps the order deterministic without comparing paths. ``settled`` holds, per
    source, its complete paths within :data:`TIE_SLACK` of its first (best) one; the
    exact products then decide among them, and between sources.
    """
    a, lengths = p.adjacency, p.lengths
    indptr, indices = a.indptr, a.indices
    heap = [(float(h), 0, i, 0.0, (s,)) for i, (s, h) in enumerate(zip(starts, h_start)) if h < np.inf]
    heapq.heapify(heap)
    seq = len(heap)
    settled: dict[int, list[tuple[int, ...]]] = {}
    best_of: dict[int, float] = {}
    kth = math.inf
    extra = 0
    expanded = 0
    while heap and expanded < budget:
        f, neg_hops, _, cost, path = heapq.heappop(heap)
        if f > _slack(kth):
            break
        s = path[0]
        if s in best_of and f > _slack(best_of[s]):
            continue  # this source has its path; this prefix cannot tie it
        v = path[-1]
        if v == t:
            if s not in best_of:
                best_of[s] = cost
                settled[s] = [path]
                if len(best_of) >= first:
                    kth = sorted(best_of.values())[first - 1]
                if len(best_of) >= first + TIE_CAP:
                    break
            elif extra < TIE_CAP:
                settled[s].append(path)
                extra += 1
            continue
        expanded += 1
        rem = max_hops + neg_hops - 1  # ties still allowed after this one
        lo, hi = indptr[v], indptr[v + 1]
        nbr = indices[lo:hi]
        step = cost + lengths[lo:hi]
        est = step + bounds[rem][nbr]
        ok = (est < np.inf) & ~blocked[nbr]  # reaches the target in time, through nobody who could start
        for u, g, e in zip(nbr[ok].tolist(), step[ok].tolist(), est[ok].tolist()):
            if u not in path:
                heapq.heappush(heap, (e, neg_hops - 1, seq, g, path + (u,)))
                seq += 1
    chosen = [min(paths, key=lambda q: _order_key(p, q)) for paths in settled.values()]
    return sorted(chosen, key=lambda q: _order_key(p, q))[:first]


def _strengths(p: Projection, path: tuple[int, ...]) -> tuple[float, ...]:
    """Each hop's tie strength, looked up in the sorted CSR rows."""
    a = p.adjacency
    out = []
    for x, y in zip(path, path[1:]):
        lo, hi = a.indptr[x], a.indptr[x + 1]
        out.append(float(a.data[lo + np.searchsorted(a.indices[lo:hi], y)]))
    return tuple(out)


def _order_key(p: Projection, path: tuple[int, ...]) -> tuple[float, int, tuple[str, ...]]:
    """Exact product descending, then fewer hops, then ids: the documented order."""
    return (-math.prod(_strengths(p, path)), len(path), tuple(p.ids[i] for i in path))


def _materialise(p: Projection, path: tuple[int, ...]) -> Path:
    """Turn an index path into the public :class:`Path`."""
    strengths = _strengths(p, path)
    return Path(nodes=tuple(p.ids[i] for i in path), strengths=strengths, strength=math.prod(strengths))
