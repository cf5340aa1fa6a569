"""Influence benchmark (issue 5): the pure algorithms on a 100k-node / 1M-tie graph.

Builds a seeded random network with power-law-ish degrees (Chung-Lu: endpoint i is
drawn with probability proportional to (rank + 10)^-0.5, ranks shuffled over ids) and
Beta(2, 4) tie strengths, then times

* the projection (``Projection.from_edges`` on 1M streamed tuples, plus its CSR);
* ``pagerank`` against igraph's ``Graph.pagerank(weights=...)`` on the same graph (the
  igraph graph's build time is reported separately; each is the median of 5 runs,
  interleaved, so that load on the machine hits both alike);
* sampled ``brokerage`` (default 500 pivots);
* ``introduction_paths`` (maxHops 4, first 3, from every EMPLOYEE) over 50 random targets;
* ``influencers_of`` (first 10) over 20 random targets.

    .venv/bin/python bench/pagerank.py --scale 0.1 --out /tmp/pagerank.json

No database is involved, so ``--backend`` is accepted and ignored.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path
from typing import Any

import igraph
import numpy as np

from backends import emit

from relgraph.scoring.influence import Projection, brokerage, influencers_of, pagerank, ranked
from relgraph.scoring.paths import introduction_paths

KIND_SHARES = {"CUSTOMER": 0.75, "SUPPLIER": 0.08, "AGENCY": 0.07, "COMPETITOR": 0.07, "EMPLOYEE": 0.03}


def network(n: int, m: int, seed: int = 42) -> tuple[list[tuple[str, str]], list[tuple[str, str, float]]]:
    """Seeded nodes and raw ties as the store would stream them (duplicates and loops included)."""
    rng = np.random.default_rng(seed)
    p = (np.arange(n) + 10.0) ** -0.5
    p /= p.sum()
    shuffle = rng.permutation(n)
    a = shuffle[rng.choice(n, m, p=p)]
    b = shuffle[rng.choice(n, m, p=p)]
    w = np.clip(rng.beta(2.0, 4.0, m), 1e-3, 1.0)
    ids = [f"s{i:07d}" for i in range(n)]
    kinds = rng.choice(list(KIND_SHARES), n, p=list(KIND_SHARES.values())).tolist()
    edges = list(zip([ids[i] for i in a.tolist()], [ids[i] for i in b.tolist()], w.tolist()))
    return list(zip(ids, kinds)), edges


def timed(fn: Any) -> tuple[Any, float]:
    began = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - began


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def measure(scale: float, samples: int) -> list[dict[str, Any]]:
    n, m = max(1000, int(100_000 * scale)), max(10_000, int(1_000_000 * scale))
    nodes, edges = network(n, m)

    def project() -> Projection:
        p = Projection.from_edges(nodes, edges)
        p.adjacency, p.lengths, p.strength_sum  # noqa: B018 - build the shared CSR now
        return p

    p, t_proj = timed(project)
    ties = p.src.size

    def build_igraph() -> igraph.Graph:
        g = igraph.Graph(n=p.n, edges=list(zip(p.src.tolist(), p.dst.tolist())))
        g.es["weight"] = p.weight.tolist()
        return g

    g, t_ig_build = timed(build_igraph)
    ours, theirs = [], []
    for _ in range(5):
        x, t = timed(lambda: pagerank(p))
        ours.append(t)
        y, t = timed(lambda: g.pagerank(weights="weight", directed=False))
        theirs.append(t)
    diff = float(np.abs(x - np.asarray(y)).max())
    _, t_rank = timed(lambda: ranked(x))
    t_ours, t_theirs = statistics.median(ours), statistics.median(theirs)

    p.ig_graph  # noqa: B018 - brokerage's igraph copy, timed apart from the sampling
    _, t_brok = timed(lambda: brokerage(p, samples=samples))

    rng = np.random.default_rng(7)
    employees = [i for i, k in zip(p.ids, p.kinds) if k == "EMPLOYEE"]
    path_ms, found = [], 0
    for t in rng.choice(p.n, 50, replace=False).tolist():
        paths, secs = timed(lambda: introduction_paths(p, p.ids[t], employees, max_hops=4, first=3))
        path_ms.append(secs * 1000)
        found += bool(paths)
    infl_ms = []
    for t in rng.choice(p.n, 20, replace=False).tolist():
        _, secs = timed(lambda: influencers_of(p, p.ids[t], None, 10))
        infl_ms.append(secs * 1000)

    def pct(values: list[float], q: float) -> float:
        return round(sorted(values)[min(len(values) - 1, int(len(values) * q))], 1)

    graph = f"{p.n:,} nodes / {ties:,} ties"
    return [
        {"metric": f"projection from {len(edges):,} streamed ties + CSR ({graph})", "value": ms(t_proj), "unit": "ms", "target": ""},
        {"metric": "pagerank (ours, scipy CSR power iteration): median of 5", "value": ms(t_ours), "unit": "ms", "target": "≤ 3× igraph"},
        {"metric": "igraph Graph.pagerank(weights=...): median of 5", "value": ms(t_theirs), "unit": "ms", "target": ""},
        {"metric": "pagerank ours / igraph", "value": round(t_ours / t_theirs, 2), "unit": "×", "target": "≤ 3"},
        {"metric": "igraph graph build (reported apart, not in its pagerank time)", "value": ms(t_ig_build), "unit": "ms", "target": ""},
        {"metric": "pagerank max abs difference ours vs igraph, per node", "value": f"{diff:.1e}", "unit": "", "target": "< 1e-6"},
        {"metric": "rank + percentile of every node", "value": ms(t_rank), "unit": "ms", "target": ""},
        {"metric": f"brokerage, sampled ({samples} pivots, weighted Brandes via igraph)", "value": round(t_brok, 2), "unit": "s", "target": ""},
        {"metric": f"introduction_paths maxHops 4, first 3, from {len(employees):,} employees: p50 of 50 ({found} with a path)", "value": round(statistics.median(path_ms), 1), "unit": "ms", "target": "≤ 200 ms"},
        {"metric": "introduction_paths: p95", "value": pct(path_ms, 0.95), "unit": "ms", "target": ""},
        {"metric": "influencers_of first 10: p50 of 20", "value": round(statistics.median(infl_ms), 1), "unit": "ms", "target": "≤ 300 ms"},
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", help="accepted and ignored: no database is involved")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--samples", type=int, default=500, help="brokerage pivots")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    result = {"rows": measure(args.scale, args.samples)}
    emit(result, args.out)


if __name__ == "__main__":
    main()
