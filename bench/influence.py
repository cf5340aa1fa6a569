"""Influence end to end (issue 5): refresh, introduction paths and influencers, on a store.

Writes the seeded power-law network of `pagerank.py` (100k stakeholders, 1M raw ties at
scale 1) into a fresh store: stakeholders through the batch API, one in 30 an employee
of ours, and every tie as a running strength state (`ties_rebuild.cypher`, states with
the network's strengths as volume). Then, through `relgraph.services.influence`, times

* a full refresh in a fresh process: node read, every tie read into the tie snapshot,
  projection, PageRank, sampled brokerage, write-back of every stakeholder's results;
* a refresh after one more write (the snapshot catches up with the changed pair);
* for both, the seconds of each phase (`RefreshResult.phases`) as rows of their own;
* `introductionPaths` (maxHops 4, first 3, from our employees) over 30 random targets;
* `influencersOf` (first 10) over 30 random targets.

    .venv/bin/python bench/influence.py --backend falkordb --scale 0.1 --out /tmp/influence.json
"""

from __future__ import annotations

import os
import random
import statistics
import time
from typing import Any

from backends import store_bench
from pagerank import network

from relgraph.domain.time import now_ms
from relgraph.scoring.strength import MS_PER_DAY
from relgraph.services import influence
from relgraph.store.graph_store import GraphStore

CHUNK = 5_000


async def load(store: GraphStore, scale: float) -> tuple[list[str], int]:
    """The network in the store; returns the stakeholder ids and the number of ties."""
    n, m = max(2_000, int(100_000 * scale)), max(20_000, int(1_000_000 * scale))
    nodes, edges = network(n, m)
    ids = [node_id for node_id, _ in nodes]
    people = [{"id": "us", "kind": "EMPLOYEE", "form": "ORGANIZATION", "name": "Us", "is_us": True}]
    people += [
        {"id": node_id, "kind": "EMPLOYEE" if i % 30 == 0 else kind, "form": "PERSON", "name": node_id}
        for i, (node_id, kind) in enumerate(nodes)
    ]
    for start in range(0, len(people), CHUNK):
        await store.upsert_stakeholders(people[start : start + CHUNK])
    staff = [{"id": f"w{i}", "type": "WORKS_FOR", "from_id": node_id, "to_id": "us"} for i, node_id in enumerate(ids[::30])]
    await store.upsert_relationships(staff)
    now = now_ms()
    states: dict[tuple[str, str], list[Any]] = {}
    for a, b, w in edges:
        if a != b:
            pair = (a, b) if a < b else (b, a)
            # A balanced tie of ~3 weighted contacts per unit of strength, last seen a week ago.
            states[pair] = [*pair, 1.5 * w * 3, now - 7 * MS_PER_DAY, 1.5 * w * 3, now - 7 * MS_PER_DAY,
                            now - 400 * MS_PER_DAY, now - 7 * MS_PER_DAY, 6, 0.0, 0]
    rows = list(states.values())
    query = store.cypher.query("ties_rebuild")
    for start in range(0, len(rows), CHUNK):
        await store.runner.write(query, {"pairs": rows[start : start + CHUNK]})
    return ids, len(rows)


def p50(values: list[float]) -> float:
    return round(statistics.median(values), 1)


#: What each phase of `RefreshResult.phases` covers, for the breakdown rows.
PHASES = {
    "nodes": "stakeholder ids and kinds",
    "ties": "tie snapshot (full read, or catching up with the writes)",
    "relationships": "memberships and relationships without interactions (read beside the two above)",
    "projection": "projection (strengths now, node indices, CSR)",
    "pagerank": "PageRank and ranks",
    "brokerage": "brokerage",
    "write": "write-back of every stakeholder's row",
}


def breakdown(label: str, result: influence.RefreshResult) -> list[dict[str, Any]]:
    """One row per phase of a refresh: where its seconds went."""
    rows = []
    for phase, seconds in result.phases.items():
        what = PHASES.get(phase, phase)
        if phase == "brokerage":
            what += " (exact)" if result.brokerage_exact else f" ({result.samples} pivots)"
        rows.append({"metric": f"· {label}: {what}", "value": round(seconds, 2), "unit": "s", "target": ""})
    return rows


async def measure(store: GraphStore, scale: float) -> list[dict[str, Any]]:
    began = time.perf_counter()
    ids, ties = await load(store, scale)
    loaded = time.perf_counter() - began
    load_before = os.getloadavg()[0]
    cold = await influence.refresh(store)
    await store.record_interactions([{"type": "MEETING", "initiator_id": ids[0], "participant_ids": [ids[1]],
                                      "at": "2026-11-01T10:00:00Z"}])
    warm = await influence.refresh(store)
    rng = random.Random(3)
    targets = rng.sample(ids, 30)
    path_ms, influencer_ms = [], []
    for target in targets:
        t = time.perf_counter()
        await influence.paths(store, target, max_hops=4, first=3)
        path_ms.append((time.perf_counter() - t) * 1000)
    for target in targets:
        t = time.perf_counter()
        await influence.influencers(store, target, None, 10)
        influencer_ms.append((time.perf_counter() - t) * 1000)
    size = f"{len(ids):,} stakeholders, {ties:,} ties"
    return [
        {"metric": f"full refresh, fresh process ({size}; brokerage {'exact' if cold.brokerage_exact else f'{cold.samples} pivots'})",
         "value": round(cold.seconds, 1), "unit": "s", "target": "≤ 10 s (embedded, 100k / 1M)"},
        *breakdown("fresh process", cold),
        {"metric": f"full refresh after one more write (the tie snapshot catches up; brokerage {'exact' if warm.brokerage_exact else f'{warm.samples} pivots'})",
         "value": round(warm.seconds, 1), "unit": "s", "target": "≤ 10 s (embedded, 100k / 1M)"},
        *breakdown("after one write", warm),
        {"metric": "introductionPaths (maxHops 4, first 3, from our employees): p50 of 30", "value": p50(path_ms), "unit": "ms", "target": "≤ 200 ms"},
        {"metric": "influencersOf (first 10): p50 of 30", "value": p50(influencer_ms), "unit": "ms", "target": "≤ 300 ms"},
        {"metric": "loading the network (setup, not a target)", "value": round(loaded, 1), "unit": "s", "target": ""},
        {"metric": "load average (1 min) on the machine when the refreshes began / when the reads ended",
         "value": f"{load_before:.2f} / {os.getloadavg()[0]:.2f}", "unit": "", "target": ""},
    ]


if __name__ == "__main__":
    store_bench(__doc__, measure)
