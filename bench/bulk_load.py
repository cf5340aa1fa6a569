"""Bulk-load benchmark (issue 2): stakeholders, relationships and interactions per second.

Loads a synthetic network through the store's batch APIs on one backend, then times
single recorded interactions, and reports the peak memory of this process (and of the
embedded FalkorDB child). Run through `bench/run`; results land in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import statistics
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import psutil

from backends import emit, fresh_store

from relgraph.domain.enums import InteractionType, RelationshipType
from relgraph.store.graph_store import GraphStore

END = datetime(2026, 11, 1, tzinfo=timezone.utc)
KINDS = ["CUSTOMER", "SUPPLIER", "COMPETITOR", "AGENCY", "EMPLOYEE"]
REL_TYPES = [t.value for t in RelationshipType if t is not RelationshipType.WORKS_FOR]
INTERACTIONS = [t.value for t in InteractionType]


def stakeholders(n: int) -> list[dict[str, Any]]:
    rng = random.Random(1)
    return [
        {"id": f"s{i}", "kind": rng.choice(KINDS), "form": rng.choice(["PERSON", "ORGANIZATION"]),
         "name": f"Stakeholder {i}", "region": rng.choice(["north", "south", "east", "west"])}
        for i in range(n)
    ]


def relationships(n: int, nodes: int) -> list[dict[str, Any]]:
    rng = random.Random(2)
    out = []
    for i in range(n):
        a = rng.randrange(nodes)
        b = (a + 1 + rng.randrange(nodes - 1)) % nodes
        out.append({"id": f"r{i}", "type": rng.choice(REL_TYPES), "from_id": f"s{a}", "to_id": f"s{b}",
                    "started_at": END - timedelta(days=rng.randrange(730))})
    return out


def interactions(n: int, nodes: int, prefix: str = "i") -> list[dict[str, Any]]:
    rng = random.Random(3)
    out = []
    for i in range(n):
        a = rng.randrange(nodes)
        b = (a + 1 + rng.randrange(nodes - 1)) % nodes
        out.append({"id": f"{prefix}{i}", "type": rng.choice(INTERACTIONS), "initiator_id": f"s{a}",
                    "participant_ids": [f"s{b}"], "at": END - timedelta(minutes=rng.randrange(1_000_000)),
                    "sentiment": round(rng.uniform(-1, 1), 2)})
    return out


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def timed(label: str, rows: int, work: Any, results: dict[str, Any]) -> None:
    started = time.perf_counter()
    await work
    elapsed = time.perf_counter() - started
    results[label] = {"rows": rows, "seconds": round(elapsed, 2), "rows_per_s": round(rows / elapsed)}
    print(f"  {label}: {rows} rows in {elapsed:.1f} s = {rows / elapsed:,.0f}/s", flush=True)


async def run(backend: str, scale: float) -> dict[str, Any]:
    n_nodes, n_rels, n_ints = int(100_000 * scale), int(1_000_000 * scale), int(1_000_000 * scale)
    results: dict[str, Any] = {
        "backend": backend,
        "counts": {"stakeholders": n_nodes, "relationships": n_rels, "interactions": n_ints},
        "load": {},
    }
    async with fresh_store(backend) as (store, _env, embedded):
        print(f"{backend}: generating", flush=True)
        nodes = stakeholders(n_nodes)
        rels = relationships(n_rels, n_nodes)
        ints = interactions(n_ints, n_nodes)
        await timed("stakeholders", n_nodes, store.upsert_stakeholders(nodes), results["load"])
        await timed("relationships", n_rels, store.upsert_relationships(rels), results["load"])
        await timed("interactions", n_ints, record_in_batches(store, ints), results["load"])
        del nodes, rels, ints
        singles = interactions(300, n_nodes, prefix="single")
        latencies = []
        for row in singles:
            started = time.perf_counter()
            await store.record_interactions([row])
            latencies.append((time.perf_counter() - started) * 1000)
        results["single_interaction_ms"] = {
            "p50": round(statistics.median(latencies), 2),
            "p99": round(sorted(latencies)[int(len(latencies) * 0.99) - 1], 2),
        }
        print(f"  single interaction p50 {results['single_interaction_ms']['p50']} ms", flush=True)
        results["peak_rss_mb_relgraph"] = round(peak_rss_mb())
        if embedded and embedded.process:
            results["rss_mb_falkordb_child"] = round(psutil.Process(embedded.process.pid).memory_info().rss / 2**20)
    return results


async def record_in_batches(store: GraphStore, rows: list[dict[str, Any]], size: int = 5_000) -> None:
    for start in range(0, len(rows), size):
        await store.import_interactions(rows[start : start + size])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", choices=["falkordb", "neo4j"], required=True)
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 100k / 1M / 1M")
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    args = parser.parse_args()
    results = asyncio.run(run(args.backend, args.scale))
    emit(results, args.out)


if __name__ == "__main__":
    main()
