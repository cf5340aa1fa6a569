"""schemathesis against a real uvicorn, on both backends: every query and mutation of the
schema (loaded by introspection from the server), in positive and negative modes, and
not one server error.

A server error is an HTTP 5xx or an `INTERNAL_SERVER_ERROR` in the body (and a 401 or 403
would mean the fuzzer was locked out, exercising nothing: that fails too). Refusals
(NOT_FOUND, BAD_USER_INPUT, a validation error, ...) are what negative cases are for, and
positive cases on a small network meet plenty of them too, so they are fine here.

Bounded: a few derandomized examples per operation and mode, so it runs in well under a
minute per backend and fails the same way every time.
"""

from __future__ import annotations

import unittest
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.generation import GenerationMode

from .support import Api

EXAMPLES = 6

#: Left out: a created API key switches the server to asking for credentials, which would
#: lock the fuzzer (and, for a moment, the next tests) out. tests/auth covers it.
SKIPPED = {"Mutation.createApiKey"}


def server_error(response: requests.Response) -> str | None:
    """Why `response` is a server error, or None."""
    if response.status_code >= 500:
        return f"HTTP {response.status_code}: {response.text[:300]}"
    try:
        body = response.json()
    except ValueError:
        return None if response.status_code < 500 else "not JSON"
    batch = body if isinstance(body, list) else [body]
    for item in batch:
        for error in (item.get("errors") or []) if isinstance(item, dict) else []:
            if (error.get("extensions") or {}).get("code") == "INTERNAL_SERVER_ERROR":
                return f"INTERNAL_SERVER_ERROR at {error.get('path')}"
    return None


def fuzz(operation: Any, mode: GenerationMode, session: requests.Session, found: list[tuple], unfit: list[str]) -> int:
    """Run `EXAMPLES` cases of one operation; returns how many were sent.

    hypothesis skips an operation it cannot draw a case of this mode for (a field without
    arguments has no negative input): such operations are listed in `unfit`, and the test
    bounds them, so a skip never hides a whole backend or a broken generator."""
    sent = 0

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck), phases=[Phase.generate])
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        nonlocal sent
        response = case.call(session=session, timeout=60)
        sent += 1
        problem = server_error(response) or (f"HTTP {response.status_code}" if response.status_code in (401, 403) else None)
        if problem:
            found.append((operation.label, case.body, problem))

    try:
        run()
    except (unittest.SkipTest, pytest.skip.Exception):
        unfit.append(operation.label)
    return sent


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["positive", "negative"])
async def test_no_server_errors(network: Api, mode: GenerationMode) -> None:
    schema = schemathesis.graphql.from_url(f"{network.base_url}/graphql")
    operations = [op for op in (result.ok() for result in schema.get_all_operations()) if op.label not in SKIPPED]
    assert len(operations) > 40, "every query and mutation, from the server's own introspection"
    found: list[tuple] = []
    unfit: list[str] = []
    with requests.Session() as session:
        sent = sum(fuzz(operation, mode, session, found, unfit) for operation in operations)
    if mode is GenerationMode.POSITIVE:
        assert unfit == [], f"every operation has valid input to draw: {unfit}"
    assert len(unfit) < len(operations) / 2, f"most operations have cases of this mode; none for {unfit}"
    assert sent >= len(operations), "most operations were exercised"
    assert found == [], "\n".join(f"{label}: {problem}\n  {body}" for label, body, problem in found)
