"""A real relgraph API for the tests: uvicorn in a subprocess, over the session's databases.

`api_server` starts `python -m uvicorn relgraph.api.app:create_app --factory` once per
backend (ids `[falkordb]` and `[neo4j]`), pointed at the session's embedded FalkorDB or
Neo4j, and waits for `/readyz`. `api` hands each test that server on an empty graph,
with an HTTP client and the fixture's own GraphStore for fast setup of test data.
"""

from __future__ import annotations

from typing import AsyncIterator, Iterator

import httpx
import pytest

from .support import BACKENDS, Api, UvicornProcess, backend_env, fixture_store, seed_network, start_uvicorn


@pytest.fixture(scope="session", params=BACKENDS)
def api_server(request: pytest.FixtureRequest) -> Iterator[tuple[str, UvicornProcess]]:
    """A real uvicorn serving the API over one backend, for the whole session."""
    backend = request.param
    server = start_uvicorn(backend_env(request, backend))
    yield backend, server
    server.stop()


@pytest.fixture
async def api(request: pytest.FixtureRequest, api_server: tuple[str, UvicornProcess]) -> AsyncIterator[Api]:
    """The session's server for this backend, on an empty graph."""
    backend, server = api_server
    store = fixture_store(request, backend)
    await store.runner.clear()
    async with httpx.AsyncClient(timeout=30.0) as client:
        yield Api(backend, server.base_url, client, store, server)
    await store.close()


@pytest.fixture
async def network(api: Api) -> Api:
    """`api` over the small network of `seed_network`."""
    await seed_network(api.store)
    return api
