"""API read benchmark (issue 3): three representative reads over HTTP against real uvicorn.

Loads the demo network (xl: ~100k stakeholders, ~1M relationships) into a fresh store,
starts `uvicorn relgraph.api.app:create_app` (one worker) on it, and drives each read
at 1, 8 and 32 concurrent clients for a fixed time, reporting requests/s and p50/p99.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from backends import emit, fresh_store

from relgraph.demo import load_demo
from relgraph.store.graph_store import GraphStore

PAGE = """query Page($after: String) { stakeholders(first: 50, after: $after, filter: {kind: [CUSTOMER]}) {
  nodes { key name relationships(first: 20) { nodes { type startedAt to { name } } } } pageInfo { endCursor } } }"""
ACCOUNT = """query Account($id: ID!) { stakeholder(id: $id) { name tier
  counterparts(first: 20, type: [WORKS_FOR]) { nodes { relationship { role } stakeholder { name title } } }
  interactions(first: 10) { nodes { type at sentiment initiator { name } } } } }"""
SEARCH = """query Search($q: String!) { stakeholders(first: 20, filter: {nameContains: $q, kind: [CUSTOMER, SUPPLIER]}) {
  totalCount nodes { key name kind region } } }"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * q))], 2)


async def drive(url: str, query: str, variables: list[dict[str, Any]], clients: int, seconds: float) -> dict[str, Any]:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    rng = random.Random(clients)

    async def client(http: httpx.AsyncClient) -> None:
        nonlocal errors
        while time.perf_counter() < deadline:
            began = time.perf_counter()
            reply = await http.post(url, json={"query": query, "variables": rng.choice(variables)})
            latencies.append((time.perf_counter() - began) * 1000)
            if reply.status_code != 200 or "errors" in reply.json():
                errors += 1

    started = time.perf_counter()
    async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=clients)) as http:
        await asyncio.gather(*(client(http) for _ in range(clients)))
    elapsed = time.perf_counter() - started
    return {"rps": round(len(latencies) / elapsed, 1), "p50": round(statistics.median(latencies), 2),
            "p99": pct(latencies, 0.99), "errors": errors}


async def prepare(store: GraphStore, size: str) -> dict[str, Any]:
    await store.setup()
    counts = await load_demo(store, seed=7, size=size, progress=sys.stderr.isatty())
    customers = await store.runner.read("MATCH (s:Stakeholder) WHERE s.kind = 'CUSTOMER' AND s.form = 'ORGANIZATION' RETURN s.id AS id LIMIT 2000")
    cursors: list[dict[str, Any]] = [{"after": None}]
    return {"counts": counts.as_dict(), "accounts": [{"id": r["id"]} for r in customers], "cursors": cursors}


async def run(backend: str, size: str, seconds: float) -> dict[str, Any]:
    async with fresh_store(backend) as (store, backend_env, _embedded):
        env = {k: v for k, v in os.environ.items() if not k.startswith("RELGRAPH_")} | backend_env
        began = time.perf_counter()
        data = await prepare(store, size)
        load_seconds = round(time.perf_counter() - began, 1)
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "relgraph.api.app:create_app", "--factory", "--port", str(port),
             "--log-level", "warning"], env=env,
        )
        try:
            url = f"http://127.0.0.1:{port}/graphql"
            await wait_ready(port)
            rows = await measure(url, data, seconds)
            rows.append({"metric": f"demo load ({size})", "value": f"{load_seconds} s for {data['counts']}", "unit": "", "target": ""})
            return {"backend": backend, "rows": rows}
        finally:
            server.terminate()
            server.wait(30)


async def wait_ready(port: int) -> None:
    for _ in range(600):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz").status_code == 200:
                return
        except httpx.HTTPError:
            pass
        await asyncio.sleep(0.2)


async def measure(url: str, data: dict[str, Any], seconds: float) -> list[dict[str, Any]]:
    names = ["an", "er", "tech", "nord", "li", "ma", "son", "co"]
    reads = {
        "page of 50 stakeholders with their relationships": (PAGE, data["cursors"]),
        "one account with contacts and recent interactions": (ACCOUNT, data["accounts"]),
        "filtered name search": (SEARCH, [{"q": n} for n in names]),
    }
    rows = []
    for name, (query, variables) in reads.items():
        await drive(url, query, variables, 1, 2.0)  # warm-up
        for clients in (1, 8, 32):
            r = await drive(url, query, variables, clients, seconds)
            target = "p50 ≤ 20 ms (embedded)" if name.startswith("one account") and clients == 1 else ""
            rows.append({"metric": f"{name}, {clients} client(s)",
                         "value": f"{r['rps']} req/s, p50 {r['p50']} ms, p99 {r['p99']} ms, errors {r['errors']}",
                         "unit": "", "target": target})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", choices=["falkordb", "neo4j"], required=True)
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 loads the xl demo; below 0.2 small, else large")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    size = "xl" if args.scale >= 1.0 else ("large" if args.scale >= 0.2 else "small")
    result = asyncio.run(run(args.backend, size, args.seconds))
    emit(result, args.out)


if __name__ == "__main__":
    main()
