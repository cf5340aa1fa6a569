"""Neo4j is reached by `bolt://` (direct) and by `neo4j://` (routing: reads to followers)."""

from __future__ import annotations

import pytest

from relgraph.config import Settings
from relgraph.store.factory import make_store
from relgraph.testing.neo4j_server import Neo4jTestServer


@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
async def test_both_uri_schemes_read_and_write(neo4j_server: Neo4jTestServer, scheme: str) -> None:
    uri = neo4j_server.bolt_uri if scheme == "bolt" else neo4j_server.neo4j_uri
    assert uri.startswith(f"{scheme}://")
    store = make_store(Settings(neo4j_uri=uri))
    try:
        await store.setup()
        await store.runner.clear()
        await store.create_stakeholder({"id": f"via-{scheme}", "kind": "AGENCY", "form": "ORGANIZATION", "name": "x"})
        assert (await store.stakeholder(f"via-{scheme}")).name == "x"
        await store.ping()
    finally:
        await store.close()


async def test_unreachable_neo4j_is_service_unavailable() -> None:
    from relgraph.errors import ServiceUnavailable
    from relgraph.testing.neo4j_server import free_port

    store = make_store(Settings(neo4j_uri=f"bolt://127.0.0.1:{free_port()}", db_timeout=2))
    try:
        with pytest.raises(ServiceUnavailable):
            await store.ping()
        with pytest.raises(ServiceUnavailable):
            await store.stakeholders(["x"])
    finally:
        await store.close()
