"""Key-account benchmark (issue 6): keyAccounts, atRiskAccounts and a CSV report on the demo.

Loads the demo network (xl: ~100k stakeholders, ~33k customer organisations) into a fresh
embedded FalkorDB (or reuses one with `--data-dir`), then measures:

* the first (cold) whole-network computation of key accounts, at-risk accounts and the
  network summary, through the service, as a fresh process meets it;
* p50/p99 of `keyAccounts(first: 50)` and `atRiskAccounts(first: 50)` through the service
  while the network version stands (the cache of `services.account_cache`), and through
  the real API over HTTP (uvicorn, one worker);
* `relgraph report key-accounts --format csv` and `relgraph report complaints --state all
  --format csv` run as scripts would run them (a fresh process, cold), with their row counts;
* the load average of the machine before and after, since it is shared.

The demo's 100k stakeholders hold ~33k customer organisations, so a key-accounts report
on it has ~33k rows. For the 100k-row report target, `--customers 100000` loads instead
a network of 100,000 customer organisations (`load_customers`: each with an order and
a meeting with one of our 1,000 employees) and times the same report on it.

    .venv/bin/python bench/accounts.py --scale 1.0 --out bench/results/accounts-falkordb.json
    .venv/bin/python bench/accounts.py --data-dir /tmp/acc-xl   # reuse a loaded demo
    .venv/bin/python bench/accounts.py --customers 100000 --data-dir /tmp/acc-100k --out bench/results/accounts-100k.json
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Awaitable, Callable

import httpx

from api_reads import free_port, wait_ready

from backends import emit

from relgraph.demo import load_demo
from relgraph.domain.time import utcnow
from relgraph.services import accounts
from relgraph.store.embedded import EmbeddedFalkorDB
from relgraph.store.falkordb_runner import FalkorRunner
from relgraph.store.graph_store import GraphStore

KEY_ACCOUNTS = "{ keyAccounts(first: 50) { accountKey score tier abcClass revenue12m breakdown { stability revenueShare dependency potential influence } } }"
AT_RISK = "{ atRiskAccounts(first: 50) { keyAccount { accountKey score tier } reasons openComplaints overdueComplaints } }"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * q))], 2)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f} (1/5/15 min, {os.cpu_count()} cores)"


async def timed(call: Callable[[], Awaitable[Any]], n: int) -> list[float]:
    out = []
    for _ in range(n):
        began = time.perf_counter()
        await call()
        out.append((time.perf_counter() - began) * 1000)
    return out


async def service_rows(store: GraphStore, repeats: int) -> list[dict[str, Any]]:
    began = time.perf_counter()
    scored = await accounts.key_accounts(store)
    cold_key = time.perf_counter() - began
    began = time.perf_counter()
    await accounts.at_risk(store, 50)
    cold_risk = time.perf_counter() - began
    began = time.perf_counter()
    await accounts.network_summary(store)
    cold_summary = time.perf_counter() - began

    async def page() -> None:
        accounts.by_tier(await accounts.key_accounts(store), None)[:50]

    key = await timed(page, repeats)
    risk = await timed(lambda: accounts.at_risk(store, 50), repeats)
    return [
        {"metric": f"key accounts, first computation over {len(scored):,} customers (cold, service)",
         "value": round(cold_key, 1), "unit": "s", "target": ""},
        {"metric": "at-risk accounts, first computation after key accounts (cold, service)",
         "value": round(cold_risk, 1), "unit": "s", "target": ""},
        {"metric": "network summary with channel states, first computation (cold, service)",
         "value": round(cold_summary, 1), "unit": "s", "target": ""},
        {"metric": "keyAccounts(first: 50) through the service, cached: p50 / p99",
         "value": f"{statistics.median(key):.2f} / {pct(key, 0.99)}", "unit": "ms", "target": "p50 ≤ 100 ms"},
        {"metric": "atRiskAccounts(first: 50) through the service, cached: p50 / p99",
         "value": f"{statistics.median(risk):.2f} / {pct(risk, 0.99)}", "unit": "ms", "target": "p50 ≤ 300 ms"},
    ]


async def api_rows(env: dict[str, str], repeats: int) -> list[dict[str, Any]]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "relgraph.api.app:create_app", "--factory", "--port", str(port),
         "--log-level", "warning"], env=env,
    )
    url = f"http://127.0.0.1:{port}/graphql"
    try:
        await wait_ready(port)
        rows = []
        async with httpx.AsyncClient(timeout=600) as http:
            for name, query, target in (("keyAccounts(first: 50)", KEY_ACCOUNTS, "p50 ≤ 100 ms"),
                                        ("atRiskAccounts(first: 50)", AT_RISK, "p50 ≤ 300 ms")):
                began = time.perf_counter()
                first = (await http.post(url, json={"query": query})).json()
                cold = time.perf_counter() - began
                assert "errors" not in first, first["errors"]

                async def call(query: str = query) -> None:
                    reply = (await http.post(url, json={"query": query})).json()
                    assert "errors" not in reply, reply["errors"]

                warm = await timed(call, repeats)
                rows.append({"metric": f"{name} over HTTP: first call (cold server cache)", "value": round(cold, 1),
                             "unit": "s", "target": ""})
                rows.append({"metric": f"{name} over HTTP, cached: p50 / p99",
                             "value": f"{statistics.median(warm):.2f} / {pct(warm, 0.99)}", "unit": "ms", "target": target})
        return rows
    finally:
        server.terminate()
        server.wait(30)


CHUNK = 5_000
EMPLOYEES = 1_000


async def load_customers(store: GraphStore, n: int) -> dict[str, int]:
    """`n` customer organisations, each with one ORDER (it started it) and one MEETING
    (we did) in the last year with one of our `EMPLOYEES` employees: ties, revenue and
    tenure for every account, and nothing else."""
    now = utcnow()
    people = [{"id": "us", "kind": "EMPLOYEE", "form": "ORGANIZATION", "name": "Us", "is_us": True}]
    people += [{"id": f"emp-{e:04d}", "kind": "EMPLOYEE", "form": "PERSON", "name": f"Employee {e}"} for e in range(EMPLOYEES)]
    people += [{"id": f"c-{i:06d}", "kind": "CUSTOMER", "form": "ORGANIZATION", "name": f"Customer {i}",
                "potential": float(1_000 * (i % 97)), "margin": 0.2, "retention": 0.8} for i in range(n)]
    for start in range(0, len(people), CHUNK):
        await store.upsert_stakeholders(people[start : start + CHUNK])
    staff = [{"id": f"w-{e:04d}", "type": "WORKS_FOR", "from_id": f"emp-{e:04d}", "to_id": "us"} for e in range(EMPLOYEES)]
    await store.upsert_relationships(staff)
    interactions = []
    for i in range(n):
        org, emp, days = f"c-{i:06d}", f"emp-{i % EMPLOYEES:04d}", 1 + i % 360
        interactions.append({"id": f"o-{i:06d}", "type": "ORDER", "at": now - timedelta(days=days), "initiator_id": org,
                             "participant_ids": [emp], "value": float(100 + (i * 7919) % 100_000)})
        interactions.append({"id": f"m-{i:06d}", "type": "MEETING", "at": now - timedelta(days=days / 2),
                             "initiator_id": emp, "participant_ids": [org]})
    for start in range(0, len(interactions), CHUNK):
        await store.import_interactions(interactions[start : start + CHUNK])
    return {"customers": n, "employees": EMPLOYEES, "interactions": len(interactions)}


def report_rows(url: str, reports: tuple[tuple[str, ...], ...] = (("key-accounts",), ("complaints", "--state", "all"))
                ) -> list[dict[str, Any]]:
    rows = []
    for args in reports:
        with tempfile.TemporaryFile() as out:
            began = time.perf_counter()
            done = subprocess.run(
                [str(Path(sys.executable).with_name("relgraph")), "report", *args, "--format", "csv", "--falkordb-url", url,
                 "--db-timeout", "600"], stdout=out, stderr=subprocess.PIPE, check=False,
            )
            seconds = time.perf_counter() - began
            out.seek(0)
            lines = sum(1 for _ in out) - 1
        if done.returncode != 0:
            raise RuntimeError(done.stderr.decode()[-2000:])
        rows.append({"metric": f"relgraph report {' '.join(args)} --format csv: {lines:,} rows, fresh process",
                     "value": round(seconds, 1), "unit": "s", "target": "100k rows ≤ 10 s"})
    return rows


@asynccontextmanager
async def embedded_store(data_dir: Path | None) -> AsyncIterator[tuple[GraphStore, str]]:
    """A set-up store on an embedded FalkorDB over `data_dir` (a temporary one if None), and its URL."""
    with tempfile.TemporaryDirectory(prefix="relgraph-bench-") as tmp:
        embedded = EmbeddedFalkorDB(data_dir or Path(tmp)).start()
        store = GraphStore(FalkorRunner(unix_socket_path=str(embedded.socket_path), timeout_s=600))
        try:
            await store.setup()
            yield store, f"unix://{embedded.socket_path}"
        finally:
            await store.close()
            embedded.stop()


def _load_row(metric: str, began: float, counts: Any) -> dict[str, Any]:
    return {"metric": metric, "value": f"{time.perf_counter() - began:.0f} s for {counts}", "unit": "", "target": ""}


async def run_customers(n: int, data_dir: Path | None) -> dict[str, Any]:
    """The 100k-row report: key accounts as CSV from a fresh process, on `load_customers`."""
    async with embedded_store(data_dir) as (store, url):
        rows: list[dict[str, Any]] = [{"metric": "load average before", "value": load(), "unit": "", "target": ""}]
        if await store.count_stakeholders() == 0:
            began = time.perf_counter()
            rows.append(_load_row("network of customers only (setup)", began, await load_customers(store, n)))
        rows += report_rows(url, (("key-accounts",),))
        rows.append({"metric": "load average after", "value": load(), "unit": "", "target": ""})
        return {"backend": "falkordb", "size": f"{n} customers", "rows": rows}


async def run(size: str, data_dir: Path | None, repeats: int) -> dict[str, Any]:
    async with embedded_store(data_dir) as (store, url):
        rows: list[dict[str, Any]] = [{"metric": "load average before", "value": load(), "unit": "", "target": ""}]
        if await store.count_stakeholders() == 0:
            began = time.perf_counter()
            counts = await load_demo(store, seed=7, size=size, progress=sys.stderr.isatty())
            rows.append(_load_row(f"demo load ({size})", began, counts.as_dict()))
        else:
            rows.append({"metric": "demo reused", "value": f"{await store.count_stakeholders():,} stakeholders", "unit": "", "target": ""})
        rows += await service_rows(store, repeats)
        env = {k: v for k, v in os.environ.items() if not k.startswith("RELGRAPH_")}
        env |= {"RELGRAPH_FALKORDB_URL": url, "RELGRAPH_DB_TIMEOUT": "600"}
        rows += await api_rows(env, repeats)
        rows += report_rows(url)
        rows.append({"metric": "load average after", "value": load(), "unit": "", "target": ""})
        return {"backend": "falkordb", "size": size, "rows": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["falkordb"], default="falkordb", help="only the embedded FalkorDB for now")
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 loads the xl demo; below 0.2 small, else large")
    parser.add_argument("--data-dir", type=Path, help="an embedded FalkorDB data directory to reuse (loaded if empty)")
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--customers", type=int, help="instead of the demo: this many customer organisations, report only")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    size = "xl" if args.scale >= 1.0 else ("large" if args.scale >= 0.2 else "small")
    if args.customers:
        result = asyncio.run(run_customers(args.customers, args.data_dir))
    else:
        result = asyncio.run(run(size, args.data_dir, args.repeats))
    emit(result, args.out)


if __name__ == "__main__":
    main()
