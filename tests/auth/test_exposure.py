"""Safe defaults: open only on loopback, refused elsewhere unless --insecure."""

from __future__ import annotations

import pytest

from relgraph.auth.exposure import is_loopback, may_run_open, start_decision
from relgraph.config import Settings


@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.9.10", "::1", "[::1]", "localhost", "LOCALHOST", "api.localhost"])
def test_loopback(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "", "10.0.0.5", "192.168.1.2", "example.com", "fe80::1", "localhost.example"])
def test_not_loopback(host: str) -> None:
    assert not is_loopback(host)


def test_open_on_loopback_and_says_so() -> None:
    decision = start_decision(Settings(host="127.0.0.1"), keys_in_force=False)
    assert decision.start and "OPEN to anyone on this machine" in decision.message


def test_refused_elsewhere_without_credentials() -> None:
    decision = start_decision(Settings(host="0.0.0.0", port=8123), keys_in_force=False)
    assert not decision.start
    assert "refusing to serve on 0.0.0.0:8123 without authentication" in decision.message
    assert "--insecure" in decision.message and "relgraph keys create" in decision.message


def test_insecure_starts_loudly() -> None:
    decision = start_decision(Settings(host="0.0.0.0", insecure=True), keys_in_force=False)
    assert decision.start and decision.loud and "WARNING" in decision.message and "OPEN" in decision.message


@pytest.mark.parametrize(("keys", "jwt", "means"), [(True, None, "API keys"), (False, "s" * 32, "JWT"),
                                                    (True, "s" * 32, "API keys and JWT")])
def test_credentials_turn_access_control_on_anywhere(keys: bool, jwt: str | None, means: str) -> None:
    decision = start_decision(Settings(host="0.0.0.0", jwt_secret=jwt), keys_in_force=keys)
    assert decision.start and decision.message == f"relgraph: access control on ({means})"


def test_an_unreachable_database_starts_closed_elsewhere() -> None:
    decision = start_decision(Settings(host="0.0.0.0"), keys_in_force=None)
    assert decision.start and decision.loud and "refused until a key is found" in decision.message
    on_loopback = start_decision(Settings(), keys_in_force=None)
    assert on_loopback.start and "could not check" in on_loopback.message and "open until" in on_loopback.message
    assert not may_run_open(Settings(host="0.0.0.0"))
    assert may_run_open(Settings(host="0.0.0.0", insecure=True)) and may_run_open(Settings())
