"""Real databases for the tests: an embedded FalkorDB and a Neo4j 5.26 server.

Both start once per session. Tests that take `store` run once per backend, with ids
ending in `[falkordb]` or `[neo4j]`, each on an empty graph. Neo4j never skips: if it
cannot start, its tests fail, loudly, with the launcher's log.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import AsyncIterator, Iterator

import pytest

from relgraph.store.embedded import EmbeddedFalkorDB
from relgraph.store.falkordb_runner import FalkorRunner
from relgraph.store.graph_store import GraphStore
from relgraph.store.neo4j_runner import Neo4jRunner
from relgraph.testing.neo4j_server import Neo4jTestServer

BACKENDS = ["falkordb", "neo4j"]


@pytest.fixture(scope="session")
def falkordb_server() -> Iterator[EmbeddedFalkorDB]:
    with tempfile.TemporaryDirectory(prefix="relgraph-falkordb-") as data_dir:
        server = EmbeddedFalkorDB(Path(data_dir)).start()
        yield server
        server.stop()


_neo4j_failure: str | None = None


@pytest.fixture(scope="session")
def neo4j_server() -> Iterator[Neo4jTestServer]:
    """The session's Neo4j; a start failure fails every Neo4j test with the reason."""
    global _neo4j_failure
    if _neo4j_failure:
        pytest.fail(f"Neo4j could not start: {_neo4j_failure}", pytrace=False)
    server = Neo4jTestServer()
    try:
        server.start()
    except Exception as exc:  # noqa: BLE001 - reported, never skipped
        _neo4j_failure = str(exc)
        pytest.fail(f"Neo4j could not start (CI={os.environ.get('CI')}): {exc}", pytrace=False)
    yield server
    server.stop()


def make_runner(request: pytest.FixtureRequest, backend: str, **kwargs: object) -> FalkorRunner | Neo4jRunner:
    if backend == "falkordb":
        server: EmbeddedFalkorDB = request.getfixturevalue("falkordb_server")
        return FalkorRunner(unix_socket_path=str(server.socket_path), **kwargs)  # type: ignore[arg-type]
    neo4j: Neo4jTestServer = request.getfixturevalue("neo4j_server")
    return Neo4jRunner(neo4j.bolt_uri, **kwargs)  # type: ignore[arg-type]


_schema_ready: set[str] = set()


@pytest.fixture(params=BACKENDS)
async def store(request: pytest.FixtureRequest) -> AsyncIterator[GraphStore]:
    """A GraphStore on an empty graph of one backend."""
    graph_store = GraphStore(make_runner(request, request.param))
    if request.param not in _schema_ready:
        await graph_store.setup()
        _schema_ready.add(request.param)
    await graph_store.runner.clear()
    yield graph_store
    await graph_store.close()
