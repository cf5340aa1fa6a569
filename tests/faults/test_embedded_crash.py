"""`relgraph serve` survives kill -9 of its embedded FalkorDB child.

The serving process supervises the child: it notices the death, starts it again on the
same data directory and unix socket, and the child replays its append-only log. The
uvicorn workers answer SERVICE_UNAVAILABLE (never a 500) meanwhile, and reconnect by
themselves. Nothing acknowledged is lost, and a client that retries with its idempotency
key never doubles a write.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx

from api.support import clean_env, wait_ready
from relgraph.store.falkordb_runner import FalkorRunner
from relgraph.store.graph_store import GraphStore
from relgraph.testing.neo4j_server import free_port

from .support import READ, RECORD, Writer, batch, check_nothing_lost_or_doubled, child_pid, code_of, graphql, kill_9, seed, start_serve, stop_serve

ENV = clean_env(RELGRAPH_DB_CONNECT_TIMEOUT="1", RELGRAPH_DB_RETRIES="2")
#: No retries, so that clients meet the outage: with retries, a restart quicker than their
#: backoff is invisible to clients (what retries are for; the stream-of-writes test keeps them).
UNRETRIED = clean_env(RELGRAPH_DB_CONNECT_TIMEOUT="1", RELGRAPH_DB_RETRIES="0")


async def test_a_killed_child_is_restarted_with_all_data_and_clients_see_unavailable(tmp_path: Path) -> None:
    port, data_dir = free_port(), tmp_path / "data"
    process, log_path = start_serve(tmp_path, port, "--workers", "2", env=UNRETRIED)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base, process, log_path)
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            await seed(client)
            assert code_of(await graphql(client, RECORD, {"batch": batch("before-crash")})) == "ok"

            first_child = child_pid(data_dir)
            kill_9(first_child)
            began = time.monotonic()
            seen: list[str] = []
            recovered_after: float | None = None
            while time.monotonic() - began < 60:
                read = await graphql(client, READ)
                write = await graphql(client, RECORD, {"batch": batch(f"during-{len(seen)}")})
                seen += [code_of(read), code_of(write)]
                if seen[-2:] == ["ok", "ok"]:
                    recovered_after = time.monotonic() - began
                    break
                await asyncio.sleep(0.05)
            log = log_path.read_text(errors="replace")
            assert recovered_after is not None, f"no recovery within 60 s: {seen[-6:]}\n{log}"
            # While it was down: SERVICE_UNAVAILABLE and nothing else (no 500, no INTERNAL_SERVER_ERROR).
            assert set(seen) <= {"ok", "SERVICE_UNAVAILABLE"}, seen
            assert "SERVICE_UNAVAILABLE" in seen, f"the outage went unseen: {seen}"
            assert child_pid(data_dir) != first_child
            assert "restarting it" in log and "restarted in" in log, log

            ready = await client.get("/readyz")
            assert ready.status_code == 200
            body = (await graphql(client, READ)).json()
            # The batch acknowledged before the crash and the ones after it, all there.
            during = sum(1 for code in seen[1::2] if code == "ok")
            assert body["data"]["stakeholder"]["interactions"]["totalCount"] == 3 * (1 + during), body
    finally:
        returncode = stop_serve(process)
    assert returncode == 0, log_path.read_text(errors="replace")


async def test_kill_9_during_a_stream_of_writes_loses_and_doubles_nothing(tmp_path: Path) -> None:
    port, data_dir = free_port(), tmp_path / "data"
    process, log_path = start_serve(tmp_path, port, "--workers", "2", env=ENV)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base, process, log_path)
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            await seed(client)
            writers = [Writer(client, f"w{n}", batches=60, retry_pause_s=0.1) for n in range(4)]
            streams = [asyncio.create_task(w.run()) for w in writers]
            while sum(len(w.acknowledged) for w in writers) < 40:  # mid-stream
                await asyncio.sleep(0.01)
            killed = child_pid(data_dir)
            kill_9(killed)
            acknowledged_at_kill = sum(len(w.acknowledged) for w in writers)
            await asyncio.wait_for(asyncio.gather(*streams), timeout=180)

        # The kill landed mid-stream: writes went on after it, on a restarted child. Some
        # requests may have failed meanwhile (retries can also hide the gap entirely), and
        # a failure is only ever SERVICE_UNAVAILABLE.
        assert acknowledged_at_kill < 4 * 60 and child_pid(data_dir) != killed
        codes = {code for w in writers for _, code in w.failures}
        assert codes <= {"SERVICE_UNAVAILABLE"}, codes
        assert all(len(w.acknowledged) == 60 for w in writers)
    finally:
        returncode = stop_serve(process)
    assert returncode == 0, log_path.read_text(errors="replace")

    # Every acknowledged write survived the kill and the restart, and no retry doubled one.
    from relgraph.store.embedded import EmbeddedFalkorDB

    with EmbeddedFalkorDB(data_dir) as db:
        store = GraphStore(FalkorRunner(unix_socket_path=str(db.socket_path)))
        try:
            merged = Writer(client=None, prefix="", batches=0)  # type: ignore[arg-type]
            merged.acknowledged = [key for w in writers for key in w.acknowledged]
            await check_nothing_lost_or_doubled(store, merged)
        finally:
            await store.close()
