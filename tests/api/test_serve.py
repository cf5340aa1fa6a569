"""`relgraph serve` end to end: embedded database, several workers, settings, clean stop."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import httpx
from click.testing import CliRunner

from relgraph.cli.serve import command
from relgraph.store.embedded import EmbeddedFalkorDB
from relgraph.store.falkordb_runner import FalkorRunner
from relgraph.store.graph_store import GraphStore
from relgraph.testing.neo4j_server import free_port

from .support import clean_env, wait_ready

SERVE = "from relgraph.cli.serve import command; command(prog_name='relgraph serve')"


def test_help_lists_every_flag() -> None:
    result = CliRunner().invoke(command, ["--help"])
    assert result.exit_code == 0
    for flag in ("--host", "--port", "--workers", "--demo / --no-demo", "--demo-seed", "--demo-size",
                 "--max-page-size", "--max-batch", "--data-dir", "--neo4j-uri", "--falkordb-url"):
        assert flag in result.output, flag


async def test_serve_embedded_with_workers_then_stop_cleanly(tmp_path: Path) -> None:
    port, data_dir, log_path = free_port(), tmp_path / "data", tmp_path / "serve.log"
    args = ["--data-dir", str(data_dir), "--port", str(port), "--workers", "2", "--no-demo"]
    with open(log_path, "wb") as log:
        process = subprocess.Popen([sys.executable, "-c", SERVE, *args], stdout=log, stderr=subprocess.STDOUT,
                                   env=clean_env(RELGRAPH_MAX_PAGE_SIZE="7"))
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base, process, log_path)
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            made = await client.post("/graphql", json={"query": 'mutation { createStakeholder(input: '
                                     '{key: "kept", kind: CUSTOMER, form: PERSON, name: "Kept"}) { stakeholder { key } } }'})
            assert made.json() == {"data": {"createStakeholder": {"stakeholder": {"key": "kept"}}}}
            for _ in range(4):  # whichever worker answers, it has the exported settings
                over = (await client.post("/graphql", json={"query": "{ stakeholders(first: 8) { totalCount } }"})).json()
                assert over["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "first"}
    finally:
        process.send_signal(signal.SIGTERM)
        returncode = process.wait(30)
    output = log_path.read_text(errors="replace")
    assert returncode == 0, output
    assert f"GraphiQL at http://127.0.0.1:{port}/graphql" in output

    # The embedded database was stopped and its lock released: it opens again, data intact.
    with EmbeddedFalkorDB(data_dir) as db:
        store = GraphStore(FalkorRunner(unix_socket_path=str(db.socket_path)))
        try:
            assert (await store.stakeholder("kept")).name == "Kept"
        finally:
            await store.close()


async def test_serve_demo_answers_influence_without_a_refresh(tmp_path: Path) -> None:
    """`serve --demo` computes influence once after loading: topInfluencers answers at once."""
    port, log_path = free_port(), tmp_path / "serve.log"
    args = ["--data-dir", str(tmp_path / "data"), "--port", str(port), "--demo", "--demo-size", "tiny"]
    with open(log_path, "wb") as log:
        process = subprocess.Popen([sys.executable, "-c", SERVE, *args], stdout=log, stderr=subprocess.STDOUT,
                                   env=clean_env())
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base, process, log_path)
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            top = (await client.post("/graphql", json={"query": "{ topInfluencers(first: 3) { influence { rank } } }"})).json()
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)
    assert [row["influence"]["rank"] for row in top["data"]["topInfluencers"]] == [1, 2, 3], top
    assert "relgraph: Influence computed for" in log_path.read_text(errors="replace")

    # A second start finds the demo and its influence: neither is computed again.
    with open(log_path, "wb") as log:
        process = subprocess.Popen([sys.executable, "-c", SERVE, *args], stdout=log, stderr=subprocess.STDOUT,
                                   env=clean_env())
    try:
        wait_ready(base, process, log_path)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)
    again = log_path.read_text(errors="replace")
    assert "demo not loaded" in again and "Influence computed" not in again


async def test_serve_demo_computes_influence_it_never_had(tmp_path: Path) -> None:
    """A store with data but no influence (a first run stopped after loading) gets it."""
    data_dir, port, log_path = tmp_path / "data", free_port(), tmp_path / "serve.log"
    with EmbeddedFalkorDB(data_dir) as db:
        store = GraphStore(FalkorRunner(unix_socket_path=str(db.socket_path)))
        try:
            await store.setup()
            await store.upsert_stakeholders([{"id": "c1", "kind": "CUSTOMER", "form": "ORGANIZATION", "name": "Acme"}])
        finally:
            await store.close()
    with open(log_path, "wb") as log:
        process = subprocess.Popen([sys.executable, "-c", SERVE, "--data-dir", str(data_dir), "--port", str(port), "--demo"],
                                   stdout=log, stderr=subprocess.STDOUT, env=clean_env())
    try:
        wait_ready(f"http://127.0.0.1:{port}", process, log_path)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)
    output = log_path.read_text(errors="replace")
    assert "demo not loaded" in output and "relgraph: Influence computed for 1 stakeholders" in output, output
