"""Our own API servers for the access tests, so that our keys never reach other tests.

On FalkorDB each server has a graph of its own (`RELGRAPH_GRAPH`); Neo4j Community has
one database, so there the keys are removed when the module ends, and the other tests'
fixtures clear the graph before each test anyway.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable

import httpx
import pytest

from api.support import UvicornProcess, backend_env, start_uvicorn  # tests/api/support.py
from relgraph.store.falkordb_runner import FalkorRunner
from relgraph.store.graph_store import GraphStore
from relgraph.store.neo4j_runner import Neo4jRunner

CACHE_S = 1.0


def server_env(request: pytest.FixtureRequest, backend: str, graph: str, **extra: str) -> dict[str, str]:
    env = backend_env(request, backend)
    env["RELGRAPH_AUTH_CACHE_S"] = str(CACHE_S)
    if backend == "falkordb":
        env["RELGRAPH_GRAPH"] = graph
    env.update(extra)
    return env


def server_store(request: pytest.FixtureRequest, backend: str, graph: str) -> GraphStore:
    """A GraphStore on the graph the server uses."""
    if backend == "falkordb":
        socket = request.getfixturevalue("falkordb_server").socket_path
        return GraphStore(FalkorRunner(unix_socket_path=str(socket), graph=graph))
    return GraphStore(Neo4jRunner(request.getfixturevalue("neo4j_server").bolt_uri))


@dataclass
class AuthApi:
    backend: str
    server: UvicornProcess
    store: GraphStore
    tokens: dict[str, str] = field(default_factory=dict)
    #: Seconds the server took to ask for credentials after the first key was stored.
    closed_after_s: float | None = None

    def post(self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None,
             **headers: str) -> httpx.Response:
        if token is not None:
            headers["authorization"] = f"Bearer {token}"
        body: dict[str, Any] = {"query": query}
        if variables is not None:
            body["variables"] = variables
        return httpx.post(f"{self.server.base_url}/graphql", json=body, headers=headers, timeout=30)

    def as_role(self, role: str | None, query: str, variables: dict[str, Any] | None = None) -> httpx.Response:
        return self.post(query, variables, token=self.tokens[role] if role else None)


def wait_for(check: Callable[[], bool], *, within: float) -> float:
    """Seconds until `check()` held; AssertionError when it did not within `within`."""
    start = time.monotonic()
    while not check():
        if time.monotonic() - start > within:
            raise AssertionError(f"not within {within} s")
        time.sleep(0.05)
    return time.monotonic() - start


def codes(body: dict[str, Any]) -> list[str]:
    return [e.get("extensions", {}).get("code") for e in body.get("errors") or []]


def start(request: pytest.FixtureRequest, backend: str, graph: str, **extra: str) -> tuple[UvicornProcess, GraphStore]:
    return start_uvicorn(server_env(request, backend, graph, **extra)), server_store(request, backend, graph)
