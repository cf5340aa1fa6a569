"""Warm-introduction paths: the strongest chains of ties from our people to a target (DOMAIN.md §3).

A chain is only as good as all its links together, so a path's strength is the
product of its ties' strengths; maximising the product is minimising the sum of
``-log(strength)``, a shortest-path problem with non-negative lengths. We want the
``k`` best *simple* paths with at most ``max_hops`` ties from any of several sources,
on a graph too large to enumerate (100k nodes, 1M ties). See ``docs/influence.md``.
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
) -> list[Path]:
    """The ``first`` strongest simple paths of 1..``max_hops`` ties from any source to ``target``.

    Order: strength (product) descending, then fewer hops, then node ids. A source
    equal to the target is ignored (nobody needs an introduction to themselves); a
    path may pass through another source. Unknown ids raise ValueError.

    Method: a hop-bounded Bellman-Ford *from the target* gives, for every node and
    every remaining hop budget ``r``, the length of the best walk to the target in at
    most ``r`` ties. That is an exact-for-walks, hence admissible, A* heuristic for a
    best-first search over simple-path prefixes from the sources, so complete paths
    come off the queue best first and the search goes almost straight to them. The
    relaxation only touches the nodes whose bound improved in the previous round (the
    ball around the target), and sources start from their own one-step lookahead.
    ``budget`` caps the number of prefixes expanded; if it runs out the paths found so
    far are returned -- still the best ones, possibly fewer than ``first``.
    """
    if max_hops < 0:
        raise ValueError("max_hops must be >= 0")
    t = p.node(target)
    starts = sorted({p.node(s) for s in sources} - {t})
    if first <= 0 or max_hops == 0 or not starts:
        return []
    bounds = _hop_bounds(p, t, max_hops - 1)
    h_start = _one_step(p, np.asarray(starts), bounds[-1])
    found = _best_first(p, t, starts, h_start, bounds, max_hops, first, budget)
    return [_materialise(p, path) for path in found]


def _hop_bounds(p: Projection, t: int, rounds: int) -> list[np.ndarray]:
    """``bounds[r][v]``: length of the best walk from ``v`` to ``t`` in at most ``r`` ties.

    Layered Bellman-Ford from the target; round ``r`` relaxes only the edges out of
    nodes whose bound improved in round ``r - 1``, so the work follows the ball around
    the target instead of the whole graph.
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
        frontier = np.flatnonzero(nxt < d)
        d = nxt
        bounds.append(d)
    return bounds


def _one_step(p: Projection, nodes: np.ndarray, bound: np.ndarray) -> np.ndarray:
    """``min(bound[v], min_u len(v, u) + bound[u])`` for the given nodes only.

    The last round of the relaxation is needed only at the sources, so it is done
    there rather than over the (by then nearly whole-graph) frontier.
    """
    a, lengths = p.adjacency, p.lengths
    nbr, via, pos = _rows(a.indptr, a.indices, nodes)
    out = np.full(p.n, np.inf)
    np.minimum.at(out, via, bound[nbr] + lengths[pos])
    return np.minimum(out, bound)[nodes]


def _rows(indptr: np.ndarray, indices: np.ndarray, nodes: np.ndarray) -> tuple[np.ndarray, ...]:
    """All CSR entries of ``nodes``' rows: (neighbour, row node, entry position)."""
    begin = indptr[nodes]
    count = indptr[nodes + 1] - begin
    total = int(count.sum())
    offset = np.repeat(begin - np.cumsum(count) + count, count)
    pos = offset + np.arange(total)
    return indices[pos], np.repeat(nodes, count), pos


def _best_first(
    p: Projection,
    t: int,
    starts: list[int],
    h_start: np.ndarray,
    bounds: list[np.ndarray],
    max_hops: int,
    first: int,
    budget: int,
) -> list[tuple[int, ...]]:
    """A* over simple-path prefixes; returns the best complete paths as index tuples.

    Queue entries are ``(cost + bound, -hops, seq, cost, path)``: among equal
    estimates the deeper prefix goes first so that ties complete quickly, and ``seq``
    keeps the order deterministic without comparing paths.
    """
    a, lengths = p.adjacency, p.lengths
    indptr, indices = a.indptr, a.indices
    heap = [(float(h), 0, i, 0.0, (s,)) for i, (s, h) in enumerate(zip(starts, h_start)) if h < np.inf]
    heapq.heapify(heap)
    seq = len(heap)
    done: list[tuple[float, tuple[int, ...]]] = []
    kth = math.inf
    expanded = 0
    while heap and expanded < budget:
        f, neg_hops, _, cost, path = heapq.heappop(heap)
        if f > kth + TIE_SLACK * max(1.0, kth):
            break
        v = path[-1]
        if v == t:
            done.append((cost, path))
            if len(done) >= first:
                kth = sorted(c for c, _ in done)[first - 1]
            if len(done) >= first + TIE_CAP:
                break
            continue
        expanded += 1
        rem = max_hops + neg_hops - 1  # ties still allowed after this one
        lo, hi = indptr[v], indptr[v + 1]
        nbr = indices[lo:hi]
        step = cost + lengths[lo:hi]
        est = step + bounds[rem][nbr]
        ok = est < np.inf  # can still reach the target within the hops left
        for u, g, e in zip(nbr[ok].tolist(), step[ok].tolist(), est[ok].tolist()):
            if u not in path:
                heapq.heappush(heap, (e, neg_hops - 1, seq, g, path + (u,)))
                seq += 1
    ranked = sorted(done, key=lambda cp: _order_key(p, cp[1]))
    return [path for _, path in ranked[:first]]


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
