"""Helpers of the fault tests: a writer that keeps going through an outage, and checks.

The writer is what a careful client does: it sends batches of interactions, each under
its own idempotency key, and retries a batch that failed (SERVICE_UNAVAILABLE) with the
same key until it is acknowledged. The checks then compare the database with what was
acknowledged: every acknowledged interaction is there (0 lost), and no batch counts twice
(0 duplicated), in the interactions and in the pair's running strength.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from relgraph.api.inputs import derived_id
from relgraph.store.graph_store import GraphStore

SERVE = "from relgraph.cli.serve import command; command(prog_name='relgraph serve')"

RECORD = "mutation ($batch: RecordInteractionsInput!) { recordInteractions(input: $batch) { interactions { key } } }"
CREATE = "mutation ($input: CreateStakeholderInput!) { createStakeholder(input: $input) { stakeholder { key } } }"
READ = '{ stakeholder(id: "f-emp") { name interactions(first: 1) { totalCount } } }'

PEOPLE = [
    {"key": "f-emp", "kind": "EMPLOYEE", "form": "PERSON", "name": "Faye Fault"},
    {"key": "f-cust", "kind": "CUSTOMER", "form": "PERSON", "name": "Carl Crash"},
]
BATCH_SIZE = 3


def batch(key: str, size: int = BATCH_SIZE, *, sentiment: float = 0.2) -> dict[str, Any]:
    """A batch of `size` calls between the two people, without interaction keys."""
    return {
        "idempotencyKey": key,
        "interactions": [
            {"type": "CALL", "at": f"2024-05-01T10:{n % 60:02d}:00Z", "initiator": "f-emp",
             "participants": ["f-cust"], "sentiment": sentiment}
            for n in range(size)
        ],
    }


def code_of(response: httpx.Response) -> str:
    """'ok', or the first error's extensions.code (a 503 from the app carries one too)."""
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


async def graphql(client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None) -> httpx.Response:
    return await client.post("/graphql", json={"query": query, "variables": variables or {}})


async def seed(client: httpx.AsyncClient) -> None:
    for person in PEOPLE:
        response = await graphql(client, CREATE, {"input": person})
        assert code_of(response) == "ok", response.text


@dataclass
class Writer:
    """Sends `batches` keyed batches one after another, retrying each until acknowledged."""

    client: httpx.AsyncClient
    prefix: str
    batches: int
    retry_pause_s: float = 0.2
    give_up_s: float = 120.0
    acknowledged: list[str] = field(default_factory=list)
    codes: dict[str, int] = field(default_factory=dict)
    failures: list[tuple[float, str]] = field(default_factory=list)  # (monotonic time, code)

    async def run(self, started: asyncio.Event | None = None) -> None:
        for n in range(self.batches):
            key = f"{self.prefix}-{n}"
            deadline = time.monotonic() + self.give_up_s
            while True:
                try:
                    code = code_of(await graphql(self.client, RECORD, {"batch": batch(key)}))
                except httpx.TransportError as exc:
                    code = f"transport: {type(exc).__name__}"
                self.codes[code] = self.codes.get(code, 0) + 1
                if code == "ok":
                    self.acknowledged.append(key)
                    break
                self.failures.append((time.monotonic(), code))
                assert time.monotonic() < deadline, f"batch {key} never acknowledged; codes {self.codes}"
                await asyncio.sleep(self.retry_pause_s)
            if started is not None and len(self.acknowledged) == 1:
                started.set()

    def interaction_ids(self) -> set[str]:
        return {derived_id(key, i) for key in self.acknowledged for i in range(BATCH_SIZE)}


async def check_nothing_lost_or_doubled(store: GraphStore, writer: Writer, *, before: int = 0) -> None:
    """Every acknowledged interaction is stored, once; the pair's strength counted each once."""
    rows = await store.runner.read("MATCH (i:Interaction) RETURN i.id AS id")
    stored = [row["id"] for row in rows]
    assert len(stored) == len(set(stored))
    missing = writer.interaction_ids() - set(stored)
    assert not missing, f"{len(missing)} acknowledged interactions lost"
    expected = before + len(writer.acknowledged) * BATCH_SIZE
    assert len(stored) == expected, f"{len(stored)} interactions stored, {expected} acknowledged"
    ties = await store.ties([("f-cust", "f-emp")])
    assert ties[("f-cust", "f-emp")].count == expected, "the pair's strength counted a batch twice"


def start_serve(tmp_path: Path, port: int, *extra: str, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], Path]:
    """`relgraph serve` on a fresh data directory, as a subprocess; (process, log path)."""
    log_path = tmp_path / "serve.log"
    args = ["--data-dir", str(tmp_path / "data"), "--port", str(port), "--no-demo", *extra]
    with open(log_path, "wb") as log:
        process = subprocess.Popen([sys.executable, "-c", SERVE, *args], stdout=log, stderr=subprocess.STDOUT, env=env)
    return process, log_path


def stop_serve(process: subprocess.Popen[bytes]) -> int:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            return process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
    return process.wait()


def child_pid(data_dir: Path) -> int:
    return int((data_dir / "falkordb.pid").read_text().strip())


def kill_9(pid: int, timeout: float = 10.0) -> None:
    """SIGKILL `pid` and wait until it is gone (or a zombie awaiting its parent)."""
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0]
        except (OSError, IndexError):
            return
        if state in "ZX":
            return
        time.sleep(0.01)
    raise AssertionError(f"pid {pid} survived SIGKILL")
