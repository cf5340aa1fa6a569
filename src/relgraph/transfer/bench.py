"""Import benchmark: synthetic interactions from JSON Lines into a fresh embedded FalkorDB.

    python -m relgraph.transfer.bench --interactions 200000 --stakeholders 10000 [--profile]

Writes the files to a temporary directory, starts an embedded FalkorDB there (or uses
--neo4j-uri), imports the stakeholders, then times the interactions twice over: a `check`
run (read, validate and check against the store; nothing written) and the real import. The
difference is the writing. With --profile, the real import runs under cProfile and the
functions that took the most time are printed. Results go to stdout as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import os
import pstats
import random
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from relgraph.domain.enums import InteractionType
from relgraph.transfer.formats import format_ms
from relgraph.transfer.importer import import_file

END_MS = int(datetime(2026, 11, 1, tzinfo=timezone.utc).timestamp()) * 1000
TYPES = [t.value for t in InteractionType]


def write_files(folder: Path, interactions: int, stakeholders: int, seed: int = 3) -> tuple[Path, Path]:
    """`stakeholders.jsonl` and `interactions.jsonl` in `folder` (deterministic)."""
    rng = random.Random(seed)
    people = folder / "stakeholders.jsonl"
    with open(people, "w", encoding="utf-8") as out:
        for n in range(stakeholders):
            out.write(json.dumps({"id": f"s{n:07d}", "kind": "CUSTOMER", "form": "PERSON", "name": f"Person {n}"}) + "\n")
    events = folder / "interactions.jsonl"
    with open(events, "w", encoding="utf-8") as out:
        for n in range(interactions):
            a = rng.randrange(stakeholders)
            b = (a + 1 + rng.randrange(stakeholders - 1)) % stakeholders
            row: dict[str, Any] = {
                "id": f"i{n:09d}", "type": rng.choice(TYPES),
                "at": format_ms(END_MS - rng.randrange(730 * 86_400_000)),
                "initiator_id": f"s{a:07d}", "participant_ids": [f"s{a:07d}", f"s{b:07d}"],
                "sentiment": round(rng.uniform(-1, 1), 2),
            }
            if rng.random() < 0.2:
                row["value"] = round(rng.uniform(10, 10_000), 2)
            if rng.random() < 0.5:
                row["subject"] = "Follow-up on the offer, \"v2\""
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return people, events


async def run(args: argparse.Namespace) -> dict[str, Any]:
    from relgraph.store.embedded import EmbeddedFalkorDB
    from relgraph.store.falkordb_runner import FalkorRunner
    from relgraph.store.graph_store import GraphStore
    from relgraph.store.neo4j_runner import Neo4jRunner

    results: dict[str, Any] = {"interactions": args.interactions, "stakeholders": args.stakeholders,
                               "batch": args.batch, "cpus": os.cpu_count(),
                               "load_average": [round(x, 2) for x in os.getloadavg()]}
    with tempfile.TemporaryDirectory(prefix="relgraph-import-bench-") as tmp:
        folder = Path(tmp)
        people, events = write_files(folder, args.interactions, args.stakeholders)
        embedded = None
        if args.neo4j_uri:
            runner: Any = Neo4jRunner(args.neo4j_uri)
            results["backend"] = "neo4j"
        else:
            embedded = EmbeddedFalkorDB(folder / "data").start()
            runner = FalkorRunner(unix_socket_path=str(embedded.socket_path))
            results["backend"] = "falkordb (embedded)"
        store = GraphStore(runner)
        try:
            await store.setup()
            report = await import_file(store, people, "stakeholders", batch=args.batch)
            results["stakeholders_rows_per_s"] = round(report.rows_per_second)
            checked = await import_file(store, events, "interactions", check_only=True, batch=args.batch)
            results["check_s"] = round(checked.seconds, 2)
            profiler = cProfile.Profile() if args.profile else None
            if profiler:
                profiler.enable()
            report = await import_file(store, events, "interactions", batch=args.batch)
            if profiler:
                profiler.disable()
            assert report.ok and report.written == args.interactions, report.bad[:5]
            results["import_s"] = round(report.seconds, 2)
            results["import_rows_per_s"] = round(report.rows_per_second)
            results["write_s"] = round(report.seconds - checked.seconds, 2)
            if profiler:
                text = io.StringIO()
                pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(args.profile)
                print(text.getvalue(), file=sys.stderr)
        finally:
            await store.close()
            if embedded is not None:
                embedded.stop()
    results["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--interactions", type=int, default=200_000)
    parser.add_argument("--stakeholders", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=5_000)
    parser.add_argument("--neo4j-uri", default=None, help="benchmark this Neo4j instead (its graph must be empty)")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="print the N costliest functions")
    args = parser.parse_args()
    started = time.perf_counter()
    results = asyncio.run(run(args))
    results["wall_s"] = round(time.perf_counter() - started, 1)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
