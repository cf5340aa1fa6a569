"""Helpers of the API tests: a real uvicorn in a subprocess, an HTTP handle, a small network."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from relgraph.store.falkordb_runner import FalkorRunner
from relgraph.store.graph_store import GraphStore
from relgraph.store.neo4j_runner import Neo4jRunner
from relgraph.testing.neo4j_server import free_port

BACKENDS = ["falkordb", "neo4j"]

#: Limits the test servers run with, small so that tests can exceed them cheaply.
MAX_PAGE_SIZE = 100
MAX_BATCH = 25


@dataclass
class UvicornProcess:
    """One uvicorn serving the API, with its log kept for the test's failure report."""

    process: subprocess.Popen[bytes]
    base_url: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without any RELGRAPH_* of the developer's shell, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RELGRAPH_")}
    env.update(extra)
    return env


def wait_ready(url: str, process: subprocess.Popen[bytes], log: Path, *, path: str = "/readyz",
               timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"uvicorn exited with {process.returncode}:\n{log.read_text(errors='replace')}")
        try:
            if httpx.get(url + path, timeout=2.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"uvicorn not ready within {timeout} s:\n{log.read_text(errors='replace')}")


def start_uvicorn(env: dict[str, str], *, ready_path: str = "/readyz") -> UvicornProcess:
    """`python -m uvicorn relgraph.api.app:create_app --factory` on a free port."""
    port = free_port()
    log_path = Path(tempfile.mkstemp(prefix="relgraph-uvicorn-", suffix=".log")[1])
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "relgraph.api.app:create_app", "--factory",
             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
            env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    server = UvicornProcess(process, f"http://127.0.0.1:{port}", log_path)
    try:
        wait_ready(server.base_url, process, log_path, path=ready_path)
    except BaseException:
        server.stop()
        raise
    return server


def backend_env(request: pytest.FixtureRequest, backend: str) -> dict[str, str]:
    """RELGRAPH_* that point a server at the session's database of `backend`."""
    limits = {"RELGRAPH_MAX_PAGE_SIZE": str(MAX_PAGE_SIZE), "RELGRAPH_MAX_BATCH": str(MAX_BATCH)}
    if backend == "falkordb":
        socket = request.getfixturevalue("falkordb_server").socket_path
        return clean_env(RELGRAPH_FALKORDB_URL=f"unix://{socket}", **limits)
    bolt = request.getfixturevalue("neo4j_server").bolt_uri
    return clean_env(RELGRAPH_NEO4J_URI=bolt, **limits)


def fixture_store(request: pytest.FixtureRequest, backend: str) -> GraphStore:
    """A GraphStore on the same graph the server uses (graph `relgraph`, default database)."""
    if backend == "falkordb":
        socket = request.getfixturevalue("falkordb_server").socket_path
        return GraphStore(FalkorRunner(unix_socket_path=str(socket)))
    return GraphStore(Neo4jRunner(request.getfixturevalue("neo4j_server").bolt_uri))


@dataclass
class Api:
    """A test's handle on the API: GraphQL over HTTP, plus the store for setting up data."""

    backend: str
    base_url: str
    client: httpx.AsyncClient
    store: GraphStore
    server: UvicornProcess
    last: dict[str, Any] = field(default_factory=dict)

    async def post(self, query: str, variables: dict[str, Any] | None = None, **headers: str) -> httpx.Response:
        body: dict[str, Any] = {"query": query}
        if variables is not None:
            body["variables"] = variables
        return await self.client.post(f"{self.base_url}/graphql", json=body, headers=headers)

    async def data(self, query: str, **variables: Any) -> dict[str, Any]:
        """The `data` of a query that must succeed."""
        response = await self.post(query, variables or None)
        assert response.status_code == 200, response.text
        body = response.json()
        assert not body.get("errors"), body["errors"]
        return body["data"]

    async def errors(self, query: str, **variables: Any) -> list[dict[str, Any]]:
        """The errors of a query that must fail."""
        response = await self.post(query, variables or None)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body.get("errors"), body
        self.last = body
        return body["errors"]

    async def error(self, query: str, **variables: Any) -> dict[str, Any]:
        """The one error of a query that must fail with exactly one."""
        errors = await self.errors(query, **variables)
        assert len(errors) == 1, errors
        return errors[0]


# -- a small network -----------------------------------------------------------------------

T0 = "2024-01-01T00:00:00+00:00"


async def seed_network(store: GraphStore) -> None:
    """Our company, two employees, three customers (one a person), a supplier, a competitor
    and an agency, tied together, with interactions and a complaint. Keys are readable."""
    org, person = "ORGANIZATION", "PERSON"
    await store.upsert_stakeholders([
        {"id": "us", "kind": "EMPLOYEE", "form": org, "name": "Relgraph Ltd", "is_us": True},
        {"id": "e1", "kind": "EMPLOYEE", "form": person, "name": "Erin Owner", "region": "north"},
        {"id": "e2", "kind": "EMPLOYEE", "form": person, "name": "Eli Service", "region": "south"},
        {"id": "c1", "kind": "CUSTOMER", "form": org, "name": "Acme Steel", "industry": "steel",
         "region": "north", "tags": ["key", "steel"], "tier": "KEY", "since": "2020-03-01T00:00:00Z"},
        {"id": "c2", "kind": "CUSTOMER", "form": org, "name": "Beta Foods", "industry": "food",
         "region": "south", "tags": ["food"], "tier": "GENERAL", "since": "2022-06-01T00:00:00Z"},
        {"id": "c3", "kind": "CUSTOMER", "form": org, "name": "Cobalt Mining", "industry": "mining",
         "region": "north", "tags": ["steel", "export"], "tier": "SUITABLE"},
        {"id": "p1", "kind": "CUSTOMER", "form": person, "name": "Pat Buyer", "title": "CFO"},
        {"id": "s1", "kind": "SUPPLIER", "form": org, "name": "Sigma Supply", "industry": "steel"},
        {"id": "k1", "kind": "COMPETITOR", "form": org, "name": "Kappa Rival", "industry": "steel"},
        {"id": "a1", "kind": "AGENCY", "form": org, "name": "Trade Ministry", "region": "north"},
    ])
    await store.upsert_relationships([
        {"id": "r-c1", "type": "BUYS_FROM", "from_id": "c1", "to_id": "us", "started_at": "2021-01-01T00:00:00Z"},
        {"id": "r-c2", "type": "BUYS_FROM", "from_id": "c2", "to_id": "us", "started_at": "2022-06-01T00:00:00Z"},
        {"id": "r-s1", "type": "SUPPLIES", "from_id": "s1", "to_id": "us", "started_at": "2019-05-01T00:00:00Z"},
        {"id": "r-k1", "type": "COMPETES_WITH", "from_id": "k1", "to_id": "us", "started_at": "2018-01-01T00:00:00Z"},
        {"id": "r-e1", "type": "WORKS_FOR", "from_id": "e1", "to_id": "us", "started_at": "2017-01-01T00:00:00Z"},
        {"id": "r-e2", "type": "WORKS_FOR", "from_id": "e2", "to_id": "us", "started_at": "2023-01-01T00:00:00Z"},
        {"id": "r-p1", "type": "WORKS_FOR", "from_id": "p1", "to_id": "c1", "role": "DECISION_MAKER",
         "started_at": "2020-01-01T00:00:00Z"},
        {"id": "r-m1", "type": "MANAGES_ACCOUNT", "from_id": "e1", "to_id": "c1", "started_at": "2021-02-01T00:00:00Z"},
        {"id": "r-a1", "type": "REGULATES", "from_id": "a1", "to_id": "us", "started_at": "2016-01-01T00:00:00Z"},
    ])
    await store.relate({"id": "r-c3", "type": "BUYS_FROM", "from_id": "c3", "to_id": "us",
                        "started_at": "2020-01-01T00:00:00Z"})
    await store.end_relationship("r-c3", reason="moved to a competitor")
    await store.record_interactions([
        {"id": f"i{n}", "type": kind, "at": f"2024-0{n}-15T10:00:00Z", "initiator_id": who,
         "participant_ids": [other], "sentiment": 0.5}
        for n, (kind, who, other) in enumerate(
            [("MEETING", "e1", "p1"), ("CALL", "p1", "e1"), ("EMAIL", "e1", "p1"),
             ("VISIT", "e2", "c2"), ("ORDER", "c1", "us")], start=1)
    ])
    await store.file_complaint({"id": "k-1", "stakeholder_id": "c2", "channel": "PHONE",
                                "category": "late delivery", "severity": "HIGH", "owner_id": "e2",
                                "received_at": "2024-03-01T09:00:00Z"})
    await store.file_complaint({"id": "k-2", "stakeholder_id": "c1", "channel": "EMAIL",
                                "category": "invoice", "severity": "LOW", "received_at": "2024-04-01T09:00:00Z"})
    await store.set_account_plan({"account_id": "c1", "owner_id": "e1", "tier": "KEY",
                                  "actions": [{"what": "quarterly review", "contact_id": "p1"}]})
