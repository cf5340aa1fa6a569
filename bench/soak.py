"""Soak (issue 7): mixed reads and writes at a fixed rate against `relgraph serve --workers 2`.

The server is the real command over a small demo network, on the embedded FalkorDB or
on a Neo4j server of its own. An open-loop driver starts requests at a fixed rate
(default 50/s: 80 % reads of an account or a page of customers, 20 % writes of a few
interactions under an idempotency key) whether or not earlier ones have answered, so
that a slow server shows as latency, not as a lower rate. Latency is measured from
each request's scheduled start.

With `--restart-at S` (the Neo4j default: half-way), the Neo4j server is killed with
SIGKILL at S seconds and started again on the same port and data. The driver keeps
going; a write that failed is retried with the same idempotency key until it is
acknowledged, as a careful client would. Reported: the share of failed requests, how
long relgraph answered errors after the kill and after Neo4j was back, and, from the
database at the end, lost and duplicated writes (interactions added vs acknowledged,
and the strength counters of the pairs they touch).

    .venv/bin/python bench/soak.py --backend neo4j --duration 60 --out /tmp/soak.json
    bench/run --only soak                 # both backends, 300 s each, into docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from backends import emit

from relgraph.api.inputs import derived_id
from relgraph.store.falkordb_runner import FalkorRunner
from relgraph.store.graph_store import GraphStore
from relgraph.store.neo4j_runner import Neo4jRunner
from relgraph.testing.neo4j_server import Neo4jTestServer

SERVE = "from relgraph.cli.serve import command; command(prog_name='relgraph serve')"

ACCOUNT = """query Account($id: ID!) { stakeholder(id: $id) { name tier
  counterparts(first: 10) { nodes { relationship { type } stakeholder { name } } }
  interactions(first: 5) { nodes { type at initiator { name } } } } }"""
PAGE = """{ stakeholders(first: 20, filter: {kind: [CUSTOMER], form: ORGANIZATION}) { totalCount nodes { key name tier } } }"""
RECORD = "mutation ($batch: RecordInteractionsInput!) { recordInteractions(input: $batch) { interactions { key } } }"
PEOPLE = "query ($kind: [StakeholderKind!]) { stakeholders(first: 200, filter: {kind: $kind, form: PERSON}) { nodes { key } } }"

WRITE_SIZE = 2  # interactions per write


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * q))], 2)


@dataclass
class Tally:
    """What the driver saw: every attempt's outcome, with its time and latency."""

    began: float = field(default_factory=time.monotonic)
    latencies_ms: list[tuple[float, float]] = field(default_factory=list)  # (seconds in, ms) of successes
    failures: list[tuple[float, str]] = field(default_factory=list)  # (seconds into the soak, code)
    attempts: int = 0
    reads: int = 0
    writes: int = 0
    acknowledged: list[tuple[str, list[str]]] = field(default_factory=list)  # (key, its pair)
    given_up: list[tuple[str, list[str]]] = field(default_factory=list)  # (key, its pair)

    def record(self, started: float, code: str) -> None:
        self.attempts += 1
        if code == "ok":
            self.latencies_ms.append((round(started - self.began, 2), (time.monotonic() - started) * 1000))
        else:
            self.failures.append((round(time.monotonic() - self.began, 2), code))


def code_of(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code}"
    errors = body.get("errors")
    if response.status_code == 200 and not errors:
        return "ok"
    if errors:
        return str(errors[0].get("extensions", {}).get("code", "NO_CODE"))
    return f"HTTP {response.status_code}"


async def attempt(http: httpx.AsyncClient, tally: Tally, started: float, query: str, variables: dict[str, Any]) -> str:
    try:
        response = await http.post("/graphql", json={"query": query, "variables": variables})
        code = code_of(response)
    except httpx.HTTPError as exc:
        code = f"transport: {type(exc).__name__}"
    tally.record(started, code)
    return code


async def read(http: httpx.AsyncClient, tally: Tally, started: float, rng: random.Random, accounts: list[str]) -> None:
    tally.reads += 1
    if rng.random() < 0.5:
        await attempt(http, tally, started, ACCOUNT, {"id": rng.choice(accounts)})
    else:
        await attempt(http, tally, started, PAGE, {})


async def write(http: httpx.AsyncClient, tally: Tally, started: float, key: str, pair: list[str], give_up_s: float) -> None:
    """A keyed write, retried with the same key until acknowledged (or `give_up_s`)."""
    tally.writes += 1
    at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    batch = {"idempotencyKey": key, "interactions": [
        {"type": "CALL", "at": at, "initiator": pair[0], "participants": [pair[1]], "sentiment": 0.3}
        for _ in range(WRITE_SIZE)
    ]}
    deadline = started + give_up_s
    while True:
        if await attempt(http, tally, started, RECORD, {"batch": batch}) == "ok":
            tally.acknowledged.append((key, pair))
            return
        if time.monotonic() > deadline:
            tally.given_up.append((key, pair))
            return
        await asyncio.sleep(0.5)
        started = time.monotonic()  # a retry is a new request, timed on its own


async def drive(base: str, rate: float, seconds: float, accounts: list[str], pairs: list[list[str]],
                restart: Any = None, restart_at: float | None = None) -> tuple[Tally, dict[str, float]]:
    """Start requests at `rate` per second for `seconds`; optionally restart the database."""
    rng = random.Random(7)
    tally = Tally()
    events: dict[str, float] = {}
    pending: set[asyncio.Task[None]] = set()
    limits = httpx.Limits(max_connections=256, max_keepalive_connections=64)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as http:
        restarter = None
        if restart is not None and restart_at is not None:
            restarter = asyncio.create_task(restart(tally, events, restart_at))
        n = 0
        while (elapsed := time.monotonic() - tally.began) < seconds:
            due = tally.began + n / rate
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            started = time.monotonic()
            if rng.random() < 0.2:
                work = write(http, tally, started, f"soak-{n}", rng.choice(pairs), give_up_s=120.0)
            else:
                work = read(http, tally, started, rng, accounts)
            task = asyncio.create_task(work)
            pending.add(task)
            task.add_done_callback(pending.discard)
            n += 1
        if restarter is not None:
            await restarter
        if pending:
            await asyncio.wait(pending, timeout=180)
    return tally, events


def start_serve(port: int, data_dir: Path, env: dict[str, str], log: Path, *extra: str) -> subprocess.Popen[bytes]:
    args = ["--data-dir", str(data_dir), "--port", str(port), "--workers", "2", "--demo", "--demo-size", "tiny", *extra]
    with open(log, "wb") as out:
        return subprocess.Popen([sys.executable, "-c", SERVE, *args], stdout=out, stderr=subprocess.STDOUT, env=env)


async def wait_ready(base: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(base_url=base, timeout=5) as http:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"relgraph serve exited:\n{log.read_text(errors='replace')}")
            try:
                if (await http.get("/readyz")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.2)
    raise RuntimeError(f"relgraph serve not ready:\n{log.read_text(errors='replace')}")


async def targets(base: str) -> tuple[list[str], list[list[str]]]:
    """Accounts to read, and (employee, customer person) pairs to write between."""
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        page = (await http.post("/graphql", json={"query": PAGE})).json()
        accounts = [n["key"] for n in page["data"]["stakeholders"]["nodes"]]
        people = {}
        for kind in ("EMPLOYEE", "CUSTOMER"):
            reply = (await http.post("/graphql", json={"query": PEOPLE, "variables": {"kind": [kind]}})).json()
            people[kind] = [n["key"] for n in reply["data"]["stakeholders"]["nodes"]]
    rng = random.Random(3)
    pairs = [[rng.choice(people["EMPLOYEE"]), rng.choice(people["CUSTOMER"])] for _ in range(40)]
    return accounts, pairs


async def audit(store: GraphStore, tally: Tally, before: int, ties_before: dict[tuple[str, str], int]) -> dict[str, int]:
    """Lost and duplicated writes, from the database: ids, totals and the pairs' counters.

    A write the driver gave up on may or may not have been applied; its ids tell which,
    and an applied one is expected once, like an acknowledged one.
    """
    async def present(ids: list[str]) -> set[str]:
        rows = await store.runner.read("UNWIND $ids AS id MATCH (i:Interaction {id: id}) RETURN id", {"ids": ids})
        return {row["id"] for row in rows}

    def ids_of(writes: list[tuple[str, list[str]]]) -> list[str]:
        return [derived_id(key, i) for key, _ in writes for i in range(WRITE_SIZE)]

    acknowledged = ids_of(tally.acknowledged)
    found = await present(acknowledged)
    given_up_present = await present(ids_of(tally.given_up))
    applied_unacknowledged = [w for w in tally.given_up if derived_id(w[0], 0) in given_up_present]
    total = (await store.runner.read("MATCH (i:Interaction) RETURN count(i) AS n"))[0]["n"]
    expected = len(acknowledged) + len(applied_unacknowledged) * WRITE_SIZE
    per_pair: dict[tuple[str, str], int] = {}
    for _, (a, b) in [*tally.acknowledged, *applied_unacknowledged]:
        pair = (a, b) if a < b else (b, a)
        per_pair[pair] = per_pair.get(pair, 0) + WRITE_SIZE
    ties = await store.ties(list(per_pair))
    overcount = sum((ties[p].count if p in ties else 0) - ties_before.get(p, 0) - n for p, n in per_pair.items())
    return {
        "acknowledged_interactions": len(acknowledged),
        "lost": len(acknowledged) - len(found),
        "interactions_added": total - before,
        "duplicated": total - before - expected,
        "strength_overcount": overcount,
        "given_up_writes": len(tally.given_up),
        "given_up_but_applied": len(applied_unacknowledged),
    }


async def tie_counts(store: GraphStore, pairs: list[list[str]]) -> dict[tuple[str, str], int]:
    keys = [(a, b) if a < b else (b, a) for a, b in pairs]
    return {p: s.count for p, s in (await store.ties(keys)).items()}


def summary(tally: Tally, events: dict[str, float], audit_: dict[str, int], seconds: float, rate: float,
            backend: str) -> dict[str, Any]:
    failed = len(tally.failures)
    codes: dict[str, int] = {}
    for _, code in tally.failures:
        codes[code] = codes.get(code, 0) + 1
    result: dict[str, Any] = {
        "backend": backend,
        "duration_s": seconds,
        "rate_per_s": rate,
        "attempts": tally.attempts,
        "reads": tally.reads,
        "writes": tally.writes,
        "failed": failed,
        "failed_share": round(failed / tally.attempts, 4) if tally.attempts else None,
        "failure_codes": codes,
        "p50_ms": pct([ms for _, ms in tally.latencies_ms], 0.5),
        "p99_ms": pct([ms for _, ms in tally.latencies_ms], 0.99),
        "audit": audit_,
        "events": events,
    }
    if "killed" in events:
        after_kill = [t for t, _ in tally.failures if t >= events["killed"]]
        last = max(after_kill) if after_kill else events["killed"]
        result["errors_after_kill_s"] = round(last - events["killed"], 2)
        result["neo4j_down_s"] = round(events["back"] - events["killed"], 2)
        result["recovered_after_neo4j_back_s"] = round(max(0.0, last - events["back"]), 2)
        # Started after Neo4j was back: the first to succeed, and each 10 s window's failures.
        ok_after = sorted(t for t, _ in tally.latencies_ms if t >= events["back"])
        result["first_success_after_back_s"] = round(ok_after[0] - events["back"], 2) if ok_after else None
        windows: dict[int, list[int]] = {}
        for t, _ in tally.latencies_ms:
            windows.setdefault(int(t // 10) * 10, [0, 0])[0] += 1
        for t, _ in tally.failures:
            windows.setdefault(int(t // 10) * 10, [0, 0])[1] += 1
        result["per_10s_ok_failed"] = {str(k): v for k, v in sorted(windows.items())}
        calm = [ms for t, ms in tally.latencies_ms if t < events["killed"]]
        result["before_kill"] = {
            "seconds": events["killed"],
            "requests": len(calm) + sum(1 for t, _ in tally.failures if t < events["killed"]),
            "failed": sum(1 for t, _ in tally.failures if t < events["killed"]),
            "p50_ms": pct(calm, 0.5),
            "p99_ms": pct(calm, 0.99),
        }
    result["rows"] = rows(result)
    return result


def rows(r: dict[str, Any]) -> list[dict[str, str]]:
    """The docs table's rows (bench/tables.py renders `rows`)."""
    a = r["audit"]
    out = [
        {"metric": f"{r['duration_s']:.0f} s at {r['rate_per_s']:.0f} req/s (80 % reads, 20 % writes), 2 workers",
         "value": f"{r['attempts']} requests, p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms",
         "unit": "", "target": ""},
        {"metric": "failed requests", "value": f"{r['failed']} ({100 * (r['failed_share'] or 0):.2f} %) {r['failure_codes'] or ''}",
         "unit": "", "target": "0 (without a restart)" if "errors_after_kill_s" not in r else ""},
        {"metric": "acknowledged writes lost / duplicated",
         "value": f"{a['lost']} / {a['duplicated']} of {a['acknowledged_interactions']} interactions "
                  f"(strength over-count {a['strength_overcount']}; writes given up after 120 s: "
                  f"{a['given_up_writes']}, of which applied: {a['given_up_but_applied']})",
         "unit": "", "target": "0 / 0"},
    ]
    if "errors_after_kill_s" in r:
        calm = r["before_kill"]
        out += [
            {"metric": f"the first {calm['seconds']:.0f} s, before the kill",
             "value": f"{calm['requests']} requests, p50 {calm['p50_ms']} ms, p99 {calm['p99_ms']} ms, "
                      f"{calm['failed']} failed", "unit": "", "target": "0 failed"},
            {"metric": "Neo4j killed (SIGKILL) and restarted mid-soak: Neo4j down for",
             "value": f"{r['neo4j_down_s']}", "unit": "s", "target": ""},
            {"metric": "the last error after the kill (requests in flight at the end included)",
             "value": f"{r['errors_after_kill_s']} s ({r['recovered_after_neo4j_back_s']} s after Neo4j was back)",
             "unit": "", "target": ""},
            {"metric": "the first request started after Neo4j was back to succeed",
             "value": f"{r['first_success_after_back_s']} s after", "unit": "", "target": ""},
            {"metric": "requests ok / failed per 10 s (by start for ok, by end for failed)",
             "value": " ".join(f"{k}s:{v[0]}/{v[1]}" for k, v in r["per_10s_ok_failed"].items()), "unit": "", "target": ""},
        ]
    return out


async def run(backend: str, seconds: float, rate: float, restart_at: float | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="relgraph-soak-") as tmp:
        work = Path(tmp)
        env = {k: v for k, v in os.environ.items() if not k.startswith("RELGRAPH_")}
        neo4j: Neo4jTestServer | None = None
        extra: list[str] = []
        if backend == "neo4j":
            neo4j = Neo4jTestServer(data_dir=work / "neo4j").start()
            extra = ["--neo4j-uri", neo4j.bolt_uri]
        port, log = free_port(), work / "serve.log"
        process = start_serve(port, work / "data", env, log, *extra)
        base = f"http://127.0.0.1:{port}"
        store: GraphStore | None = None
        try:
            await wait_ready(base, process, log)
            accounts, pairs = await targets(base)
            store = GraphStore(
                Neo4jRunner(neo4j.bolt_uri) if neo4j else FalkorRunner(unix_socket_path=str(work / "data" / "falkordb.sock"))
            )
            before = (await store.runner.read("MATCH (i:Interaction) RETURN count(i) AS n"))[0]["n"]
            ties_before = await tie_counts(store, pairs)

            async def restart(tally: Tally, events: dict[str, float], at: float) -> None:
                await asyncio.sleep(max(0.0, tally.began + at - time.monotonic()))
                assert neo4j is not None
                events["killed"] = round(time.monotonic() - tally.began, 2)
                neo4j.kill()
                await asyncio.to_thread(neo4j.restart)
                events["back"] = round(time.monotonic() - tally.began, 2)

            print(f"soak: {backend}, {seconds:.0f} s at {rate:.0f} req/s"
                  + (f", Neo4j killed at {restart_at:.0f} s" if neo4j and restart_at is not None else ""), file=sys.stderr)
            load_before = os.getloadavg()[0]
            tally, events = await drive(base, rate, seconds, accounts, pairs,
                                        restart if neo4j else None, restart_at if neo4j else None)
            audit_ = await audit(store, tally, before, ties_before)
            result = summary(tally, events, audit_, seconds, rate, backend)
            # The machine's load tells whether the latencies are relgraph's or a busy host's.
            result["load_average"] = {"before": round(load_before, 1), "after": round(os.getloadavg()[0], 1)}
            result["rows"][0]["metric"] += f" (host load average {load_before:.1f} at the start)"
            return result
        finally:
            if store is not None:
                await store.close()
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(60)
                except subprocess.TimeoutExpired:
                    process.kill()
            if neo4j is not None:
                neo4j.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["falkordb", "neo4j"], required=True)
    parser.add_argument("--duration", type=float, default=None, help="seconds [default: 300 × --scale]")
    parser.add_argument("--scale", type=float, default=1.0, help="bench/run's scale: the duration's share of 300 s")
    parser.add_argument("--rate", type=float, default=None,
                        help="requests started per second [default: 50 on FalkorDB; 10 on Neo4j, whose test "
                             "launcher's server on 2 shared cores falls behind at 50: queues of seconds]")
    parser.add_argument("--restart-at", type=float, default=None,
                        help="Neo4j only: kill and restart it this many seconds in [default: half-way; <0: never]")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    seconds = args.duration if args.duration is not None else 300.0 * args.scale
    restart_at = args.restart_at if args.restart_at is not None else seconds / 2
    rate = args.rate if args.rate is not None else {"falkordb": 50.0, "neo4j": 10.0}[args.backend]
    result = asyncio.run(run(args.backend, seconds, rate, None if restart_at < 0 else restart_at))
    emit(result, args.out)


if __name__ == "__main__":
    main()
