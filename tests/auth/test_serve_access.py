"""`relgraph serve`'s safe defaults and `relgraph keys`, end to end, as processes."""

from __future__ import annotations

import json
from datetime import datetime
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import httpx
import pytest

from api.support import clean_env, wait_ready
from relgraph.auth import keys
from relgraph.testing.neo4j_server import free_port

RELGRAPH = "from relgraph.cli import main; main(prog_name='relgraph')"
QUERY = {"query": "{ stakeholders { totalCount } }"}


def relgraph(*args: str, timeout: float = 120, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", RELGRAPH, *args], capture_output=True, text=True,
                          timeout=timeout, env=clean_env(**env))


class Served:
    def __init__(self, data_dir: Path, log: Path, *args: str, **env: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log
        with open(log, "wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-c", RELGRAPH, "serve", "--data-dir", str(data_dir), "--port", str(self.port), *args],
                stdout=out, stderr=subprocess.STDOUT, env=clean_env(**env))

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def serve(tmp_path: Path) -> Iterator:
    started: list[Served] = []

    def run(*args: str, **env: str) -> Served:
        served = Served(tmp_path / "data", tmp_path / f"serve-{len(started)}.log", *args, **env)
        started.append(served)
        return served

    yield run
    for served in started:
        served.stop()


def test_refuses_a_public_address_without_credentials(serve) -> None:
    served = serve("--host", "0.0.0.0")
    assert served.process.wait(120) != 0
    log = served.log()
    assert f"refusing to serve on 0.0.0.0:{served.port} without authentication" in log
    assert "--insecure" in log and "Traceback" not in log


def test_insecure_starts_with_a_loud_warning(serve) -> None:
    served = serve("--host", "0.0.0.0", "--insecure")
    wait_ready(served.base, served.process, served.log_path)
    assert "WARNING: --insecure" in served.log() and "OPEN" in served.log()
    assert httpx.post(f"{served.base}/graphql", json=QUERY).json() == {"data": {"stakeholders": {"totalCount": 0}}}


def test_loopback_runs_open_and_says_so(serve) -> None:
    served = serve()
    wait_ready(served.base, served.process, served.log_path)
    assert "the API is OPEN to anyone on this machine" in served.log()
    assert httpx.post(f"{served.base}/graphql", json=QUERY).status_code == 200


def test_keys_cli_and_a_public_server(serve, tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    made = relgraph("keys", "create", "--role", "admin", "--name", "ops", "--quiet", "--data-dir", data)
    assert made.returncode == 0, made.stderr
    admin = made.stdout.strip()
    assert keys.key_id_of(admin) and admin.count("\n") == 0
    listed = relgraph("keys", "list", "--format", "json", "--data-dir", data)
    assert json.loads(listed.stdout) == [{"id": keys.key_id_of(admin), "role": "admin", "name": "ops",
                                          "created_at": json.loads(listed.stdout)[0]["created_at"], "revoked_at": None,
                                          "expires_at": None, "in_force": True}]
    expiring = relgraph("keys", "create", "--role", "viewer", "--expires-in-days", "30", "--data-dir", data)
    assert expiring.returncode == 0 and "; expires " in expiring.stderr, expiring.stderr
    soon = [k for k in json.loads(relgraph("keys", "list", "--format", "json", "--data-dir", data).stdout)
            if k["id"] == keys.key_id_of(expiring.stdout.strip())][0]
    days = (datetime.fromisoformat(soon["expires_at"]) - datetime.fromisoformat(soon["created_at"])).total_seconds() / 86400
    assert 29.99 < days < 30.01 and soon["in_force"] is True
    assert relgraph("keys", "create", "--role", "viewer", "--expires-in-days", "0", "--data-dir", data).returncode == 2

    served = serve("--host", "0.0.0.0", RELGRAPH_AUTH_CACHE_S="0.5")
    wait_ready(served.base, served.process, served.log_path)
    assert "access control on (API keys)" in served.log()
    assert httpx.post(f"{served.base}/graphql", json=QUERY).status_code == 401
    bearer = {"authorization": f"Bearer {admin}"}
    assert httpx.post(f"{served.base}/graphql", json=QUERY, headers=bearer).status_code == 200

    # While the server owns the data directory, the CLI reaches its database through the socket.
    viewer_made = relgraph("keys", "create", "--role", "viewer", "--data-dir", data)
    assert viewer_made.returncode == 0, viewer_made.stderr
    assert "shown only now" in viewer_made.stderr
    viewer = viewer_made.stdout.strip()
    as_viewer = httpx.post(f"{served.base}/graphql", headers={"authorization": f"Bearer {viewer}"},
                           json={"query": "mutation { refreshInfluence { nodes } }"}).json()
    assert as_viewer["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    revoked = relgraph("keys", "revoke", keys.key_id_of(admin) or "", "--data-dir", data)
    assert revoked.returncode == 0 and "Revoked API key" in revoked.stdout, revoked.stderr
    deadline = time.monotonic() + 3
    while httpx.post(f"{served.base}/graphql", json=QUERY, headers=bearer).status_code != 401:
        assert time.monotonic() < deadline, "a revoked key still works"
        time.sleep(0.1)
    table = relgraph("keys", "list", "--data-dir", data).stdout
    assert "admin" in table and "viewer" in table and admin not in table

    unknown = relgraph("keys", "revoke", "ffffffffffff", "--data-dir", data)
    assert unknown.returncode == 1 and "no API key with id 'ffffffffffff'" in unknown.stderr


def test_bad_jwt_settings_are_refused_at_start(serve) -> None:
    served = serve("--jwt-secret", "s" * 32, "--jwt-role-map", "sales=owner")
    assert served.process.wait(120) != 0
    assert "unknown role 'owner'" in served.log()


def test_the_readme_example_runs(serve, tmp_path: Path) -> None:
    """README's "Access control" example: the `keys create` line and the curl body, for real."""
    import re
    import shlex

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("### Access control", 1)[1].split("\n## ", 1)[0]
    create = re.search(r"TOKEN=\$\(relgraph (keys create [^)]*)\)", section)
    body = re.search(r"--data '(\{.*?\})'", section, flags=re.S)
    assert create and body, "the README's access control example changed shape"
    data = str(tmp_path / "data")
    made = relgraph(*shlex.split(create.group(1)), "--data-dir", data)
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip()

    served = serve()
    wait_ready(served.base, served.process, served.log_path)
    request = json.loads(body.group(1))
    with_key = httpx.post(f"{served.base}/graphql", json=request, headers={"authorization": f"Bearer {token}"})
    assert with_key.status_code == 200 and with_key.json() == {"data": {"keyAccounts": []}}
    without = httpx.post(f"{served.base}/graphql", json=request)
    assert without.status_code == 401 and without.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
