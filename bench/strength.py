"""Strength benchmark (issue 4): recording with upkeep, and reading one tie's strength.

Records interactions in API-sized batches (1,000) with the running strength kept in the
same write, then times `strength between a and b` (as-of now: breakdown, trend and
channel state) over pairs that have a history.
"""

from __future__ import annotations

import random
import statistics
import time
from typing import Any

from bulk_load import interactions, stakeholders

from backends import store_bench

from relgraph.services import strength
from relgraph.store.graph_store import GraphStore


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * q))], 2)


async def measure(store: GraphStore, scale: float) -> list[dict[str, Any]]:
    nodes = max(1000, int(10_000 * scale))
    count = max(5_000, int(200_000 * scale))
    await store.upsert_stakeholders(stakeholders(nodes))
    rows = interactions(count, nodes)
    started = time.perf_counter()
    for start in range(0, len(rows), 1000):
        await store.record_interactions(rows[start : start + 1000])
    rate = count / (time.perf_counter() - started)

    rng = random.Random(5)
    sample = rng.sample(rows, 300)
    latencies = []
    for row in sample:
        began = time.perf_counter()
        await strength.between(store, row["initiator_id"], row["participant_ids"][0])
        latencies.append((time.perf_counter() - began) * 1000)
    current = []
    for row in sample:
        began = time.perf_counter()
        await strength.current(store, [(row["initiator_id"], row["participant_ids"][0])])
        current.append((time.perf_counter() - began) * 1000)
    ties = len(await store.all_ties())
    began = time.perf_counter()
    await strength.ranked_ties(store, first=50)  # the first after the writes reads the tie snapshot
    cold = (time.perf_counter() - began) * 1000
    sorts = []
    for _ in range(7):
        began = time.perf_counter()
        await strength.ranked_ties(store, first=50)
        sorts.append((time.perf_counter() - began) * 1000)
    caught_up = []
    for n in range(5):
        await store.record_interactions([{**sample[n], "id": f"again-{n}"}])
        began = time.perf_counter()
        await strength.ranked_ties(store, first=50)
        caught_up.append((time.perf_counter() - began) * 1000)
    return [
        {"metric": "the same, right after a write (the snapshot rereads the pairs it changed): median of 5", "value": round(statistics.median(caught_up), 1), "unit": "ms", "target": ""},
        {"metric": f"sort all {ties:,} ties by current strength (ties, first 50), snapshot kept: median of 7", "value": round(statistics.median(sorts), 1), "unit": "ms", "target": "≤ 500 ms for 100k"},
        {"metric": f"the same, first call after writes (reads all {ties:,} tie states)", "value": round(cold, 1), "unit": "ms", "target": ""},
        {"metric": f"record interactions with strength upkeep ({count:,} in batches of 1,000)", "value": f"{rate:,.0f}", "unit": "interactions/s", "target": "≥ 5,000/s (embedded)"},
        {"metric": "strength(between, and) with breakdown, trend and channel: p50", "value": round(statistics.median(latencies), 2), "unit": "ms", "target": "≤ 5 ms"},
        {"metric": "strength(between, and) with breakdown, trend and channel: p99", "value": pct(latencies, 0.99), "unit": "ms", "target": ""},
        {"metric": "current strength of one pair (O(1) state read): p50", "value": round(statistics.median(current), 2), "unit": "ms", "target": ""},
    ]


if __name__ == "__main__":
    store_bench(__doc__, measure)
