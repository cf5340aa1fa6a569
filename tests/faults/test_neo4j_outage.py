"""relgraph over Neo4j rides out kill -9 of the Neo4j server, with writes in flight.

Our own Neo4j (not the session's), a real uvicorn over it, and writers that retry each
batch under its idempotency key. While Neo4j is dead, requests answer SERVICE_UNAVAILABLE
within a bound and /readyz is 503; once it is back on the same port and data, the same
uvicorn serves again by itself, every acknowledged write is there and none is doubled.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx

from api.support import clean_env, start_uvicorn
from relgraph.store.graph_store import GraphStore
from relgraph.store.neo4j_runner import Neo4jRunner
from relgraph.testing.neo4j_server import Neo4jTestServer

from .support import READ, RECORD, Writer, batch, check_nothing_lost_or_doubled, code_of, graphql, seed

CONNECT_TIMEOUT_S = 1.0
#: The driver retries within db_connect_timeout, its backoff (1 s, then 2 s) can overshoot
#: that by one pause, and the HTTP round trip adds a little.
BOUND_S = 2 * CONNECT_TIMEOUT_S + 2.0


async def test_neo4j_killed_mid_stream_then_restarted(tmp_path: Path) -> None:
    server = Neo4jTestServer(data_dir=tmp_path / "neo4j").start()
    uvicorn = None
    try:
        uvicorn = start_uvicorn(clean_env(
            RELGRAPH_NEO4J_URI=server.bolt_uri,
            RELGRAPH_DB_CONNECT_TIMEOUT=str(CONNECT_TIMEOUT_S),
            RELGRAPH_DB_TIMEOUT="10",
        ))
        async with httpx.AsyncClient(base_url=uvicorn.base_url, timeout=30) as client:
            await seed(client)
            writers = [Writer(client, f"n{n}", batches=25, retry_pause_s=0.25) for n in range(2)]
            streams = [asyncio.create_task(w.run()) for w in writers]
            while sum(len(w.acknowledged) for w in writers) < 10:  # mid-stream
                await asyncio.sleep(0.01)
            server.kill()

            # Down: a bounded SERVICE_UNAVAILABLE for reads and writes, and /readyz 503.
            for query, variables in ((READ, None), (RECORD, {"batch": batch("while-down")})):
                began = time.monotonic()
                response = await graphql(client, query, variables)
                elapsed = time.monotonic() - began
                assert code_of(response) == "SERVICE_UNAVAILABLE", response.text
                assert elapsed < BOUND_S, f"{elapsed:.1f} s to say SERVICE_UNAVAILABLE"
                assert "neo4j" not in response.text.lower() and "Traceback" not in response.text
            began = time.monotonic()
            ready = await client.get("/readyz")
            assert ready.status_code == 503 and time.monotonic() - began < BOUND_S

            # Back on the same port and data: the same uvicorn recovers by itself.
            server.restart()
            back = time.monotonic()
            while code_of(await graphql(client, READ)) != "ok":
                assert time.monotonic() - back < 30, "no recovery within 30 s of Neo4j's return"
                await asyncio.sleep(0.2)
            assert (await client.get("/readyz")).status_code == 200
            await asyncio.wait_for(asyncio.gather(*streams), timeout=180)
            assert uvicorn.process.poll() is None  # never restarted

        codes = {code for w in writers for _, code in w.failures}
        assert codes == {"SERVICE_UNAVAILABLE"}, codes
        store = GraphStore(Neo4jRunner(server.bolt_uri))
        try:
            merged = Writer(client=None, prefix="", batches=0)  # type: ignore[arg-type]
            merged.acknowledged = [key for w in writers for key in w.acknowledged]
            await check_nothing_lost_or_doubled(store, merged)
        finally:
            await store.close()
    finally:
        if uvicorn is not None:
            uvicorn.stop()
        server.stop()
