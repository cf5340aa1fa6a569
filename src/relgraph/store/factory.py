"""Opening the configured store: embedded FalkorDB by default, Neo4j when a URI is set."""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import AsyncIterator
from urllib.parse import urlparse

from relgraph.config import Settings
from relgraph.domain.complaints import Deadlines
from relgraph.store.embedded import EmbeddedFalkorDB
from relgraph.store.falkordb_runner import FalkorRunner
from relgraph.store.graph_store import GraphStore
from relgraph.store.runner import Runner
from relgraph.strength_config import strength_params


def falkor_runner(
    url: str, *, graph: str, timeout_s: float, connect_timeout_s: float = 5.0, retries: int = 2
) -> FalkorRunner:
    """A runner for `unix:///path/to.sock` or `redis://[:password@]host:port`."""
    parsed = urlparse(url)
    faults = {"timeout_s": timeout_s, "connect_timeout_s": connect_timeout_s, "retries": retries}
    if parsed.scheme == "unix":
        return FalkorRunner(unix_socket_path=parsed.path, graph=graph, **faults)
    return FalkorRunner(
        host=parsed.hostname or "localhost",
        port=parsed.port or 6379,
        password=parsed.password,
        graph=graph,
        **faults,
    )


def make_runner(settings: Settings) -> Runner:
    """The runner for already-running databases (Neo4j, or a FalkorDB at falkordb_url)."""
    if settings.neo4j_uri:
        from relgraph.store.neo4j_runner import Neo4jRunner  # the driver takes ~0.2 s to import: only when used

        return Neo4jRunner(
            settings.neo4j_uri,
            user=settings.neo4j_user,
            password=settings.neo4j_password,
            database=settings.neo4j_database,
            timeout_s=settings.db_timeout,
            connect_timeout_s=settings.db_connect_timeout,
            retries=settings.db_retries,
        )
    if not settings.falkordb_url:
        raise ValueError("no database configured: set neo4j_uri or falkordb_url")
    return falkor_runner(
        settings.falkordb_url,
        graph=settings.graph,
        timeout_s=settings.db_timeout,
        connect_timeout_s=settings.db_connect_timeout,
        retries=settings.db_retries,
    )


def make_store(settings: Settings) -> GraphStore:
    deadlines = Deadlines(settings.complaint_respond_hours, settings.complaint_resolve_days)
    return GraphStore(make_runner(settings), deadlines=deadlines, strength=strength_params(settings))


@asynccontextmanager
async def open_store(settings: Settings) -> AsyncIterator[GraphStore]:
    """A ready store; starts (and stops) the embedded FalkorDB when no database is given."""
    embedded: EmbeddedFalkorDB | None = None
    if not settings.neo4j_uri and not settings.falkordb_url:
        embedded = EmbeddedFalkorDB(settings.data_dir).start()
        settings = settings.model_copy(update={"falkordb_url": f"unix://{embedded.socket_path}"})
    try:
        store = make_store(settings)
        try:
            await store.setup()
            yield store
        finally:
            await store.close()
    finally:
        if embedded is not None:
            embedded.stop()
