"""Query-limit benchmark (issue 7): how fast an over-limit request is refused, over HTTP.

Starts `uvicorn relgraph.api.app:create_app` (one worker, default settings) on a fresh
store and sends, one at a time, requests that each break one limit: too deep, too many
aliases, too many tokens, too costly, a string too long, a body too large. Each must be
refused with its code; the target is p99 ≤ 10 ms. Refusals happen during validation (or
in front of the app, for the body), so the database and its size play no part.

The target is timed with a bare HTTP/1.1 client (`RawClient`: one keep-alive socket,
request written, response read), because client and server share this machine's two
cores and httpx's own work, about 3 ms a request here, would be counted as the
server's. The same requests through httpx are reported beside it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from api_reads import free_port, pct, wait_ready
from backends import emit, fresh_store

from relgraph.config import Settings

DEFAULTS = Settings.model_construct()


def _deep(levels: int) -> str:
    chain = ["stakeholder(id: \"x\")", "counterparts(first: 1)", "nodes", "stakeholder"]
    fields = [chain[0]] + [chain[1 + i % 3] for i in range(levels - 1)]
    body = {0: "key", 1: "totalCount", 2: "direction"}[(levels - 1) % 3]
    for field in reversed(fields):
        body = f"{field} {{ {body} }}"
    return "{ " + body + " }"


def _doubling(levels: int) -> str:
    """`{ ...F0 }`, each fragment spreading the next twice: 2^levels selections in ~40 bytes a level."""
    body = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels))
    return f"{{ ...F0 }} {body} fragment F{levels} on Query {{ __typename }}"


def cases() -> dict[str, tuple[bytes, int, dict[str, str]]]:
    """name -> (request body, expected HTTP status, expected extensions of the first error)."""
    def body(query: str, variables: dict[str, Any] | None = None) -> bytes:
        return json.dumps({"query": query, "variables": variables}).encode()

    shape = "GRAPHQL_VALIDATION_FAILED"
    aliases = "{ " + " ".join(f"a{n}: __typename" for n in range(DEFAULTS.max_aliases + 1)) + " }"
    tokens = "{ " + "__typename " * (DEFAULTS.max_tokens - 1) + "}"
    costly = "{ stakeholders(first: 500) { nodes { counterparts(first: 500) { nodes { direction } } } } }"
    create = "mutation($i: CreateStakeholderInput!) { createStakeholder(input: $i) { stakeholder { key } } }"
    long_name = {"i": {"kind": "CUSTOMER", "form": "PERSON", "name": "x" * (DEFAULTS.max_string_length + 1)}}
    big = b'{"query": "{ __typename' + b" " * DEFAULTS.max_body_bytes + b'}"}'
    selections = {"code": shape, "limit": "max_selections"}
    return {
        "fragment doubling, 40 levels (2^40 selections)": (body(_doubling(40)), 200, selections),
        "fragment doubling, 100 levels (2^100 selections)": (body(_doubling(100)), 200, selections),
        f"depth {DEFAULTS.max_depth + 1} > {DEFAULTS.max_depth}": (body(_deep(DEFAULTS.max_depth + 1)), 200,
                                                                  {"code": shape, "limit": "max_depth"}),
        f"{DEFAULTS.max_aliases + 1} aliases > {DEFAULTS.max_aliases}": (body(aliases), 200,
                                                                        {"code": shape, "limit": "max_aliases"}),
        f"{DEFAULTS.max_tokens + 1} tokens > {DEFAULTS.max_tokens}": (body(tokens), 200,
                                                                     {"code": shape, "limit": "max_tokens"}),
        f"cost {2 + 2 * 500 + 500 * 500:,} > {DEFAULTS.max_cost:,}": (body(costly), 200, {"code": shape, "limit": "max_cost"}),
        f"a string of {DEFAULTS.max_string_length + 1:,} characters": (
            body(create, long_name), 200, {"code": "BAD_USER_INPUT", "field": "input.name"}),
        f"a body of {len(big):,} bytes > {DEFAULTS.max_body_bytes:,}": (big, 413,
                                                                        {"code": "BAD_USER_INPUT", "limit": "max_body_bytes"}),
    }


class RawClient:
    """POSTs over one keep-alive HTTP/1.1 connection, reconnecting when the server closes it."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def post(self, content: bytes) -> tuple[int, Any]:
        """One request and its response. A server that refuses a large body answers and
        closes before reading it, which can reset the socket under our unread answer: then
        the request is sent again on a new connection (the time of every try counts)."""
        for attempt in range(3):
            try:
                return await self._post(content)
            except (asyncio.IncompleteReadError, ConnectionError):
                await self.close()
                self.connection = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    async def _post(self, content: bytes) -> tuple[int, Any]:
        if self.connection is None:
            self.connection = await asyncio.open_connection("127.0.0.1", self.port)
        reader, writer = self.connection
        writer.write(b"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     b"Content-Length: %d\r\n\r\n%s" % (len(content), content))
        await writer.drain()
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in head[1:] if line)}
        body = await reader.readexactly(int(headers["content-length"]))
        if headers.get("connection", "").lower() == "close":
            writer.close()
            self.connection = None
        return int(head[0].split()[1]), json.loads(body)

    async def close(self) -> None:
        if self.connection is not None:
            self.connection[1].close()


Send = Callable[[bytes], Awaitable[tuple[int, Any]]]


async def timed(send: Send, content: bytes, count: int, status: int, extensions: dict[str, str] | None) -> list[float]:
    """Latencies in ms of `count` requests, each checked: refused with `extensions`, or (None) accepted."""
    latencies = []
    for _ in range(count):
        began = time.perf_counter()
        code, body = await send(content)
        latencies.append((time.perf_counter() - began) * 1000)
        got = body["errors"][0]["extensions"] if "errors" in body else None
        if code != status or got != extensions:
            raise SystemExit(f"not answered as expected: {code} {body}")
    return latencies


def _summary(latencies: list[float]) -> str:
    return f"p50 {round(statistics.median(latencies), 2)} ms, p99 {pct(latencies, 0.99)} ms"


def _target(name: str, extensions: dict[str, str] | None) -> str:
    if not extensions:
        return ""
    return "p99 ≤ 50 ms" if "fragment" in name else "p99 ≤ 10 ms"


async def measure(port: int, count: int) -> list[dict[str, Any]]:
    raw = RawClient(port)
    url = f"http://127.0.0.1:{port}/graphql"

    async def through_httpx(content: bytes) -> tuple[int, Any]:
        reply = await http.post(url, content=content, headers={"content-type": "application/json"})
        return reply.status_code, reply.json()

    accepted = json.dumps({"query": "{ __typename }"}).encode()
    rows = []
    async with httpx.AsyncClient(timeout=30) as http:
        for name, (content, status, extensions) in {"accepted `{ __typename }` (for comparison)": (accepted, 200, None),
                                                    **{f"refused: {k}": v for k, v in cases().items()}}.items():
            results = []
            for send in (raw.post, through_httpx):
                await timed(send, content, 20, status, extensions)  # warm-up
                results.append(await timed(send, content, count, status, extensions))
            rows.append({"metric": f"{name}, 1 client",
                         "value": f"{_summary(results[0])}, n {count} (through httpx: {_summary(results[1])})",
                         "unit": "", "target": _target(name, extensions)})
    await raw.close()
    return rows


async def run(backend: str, count: int) -> dict[str, Any]:
    async with fresh_store(backend) as (_store, backend_env, _embedded):
        env = {k: v for k, v in os.environ.items() if not k.startswith("RELGRAPH_")} | backend_env
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "relgraph.api.app:create_app", "--factory", "--port", str(port),
             "--log-level", "warning"], env=env,
        )
        try:
            await wait_ready(port)
            before = os.getloadavg()
            rows = await measure(port, count)
            load = {"metric": "load average (1/5/15 min, 2 cores) before / after",
                    "value": f"{' / '.join(f'{x:.2f}' for x in before)} ; {' / '.join(f'{x:.2f}' for x in os.getloadavg())}",
                    "unit": "", "target": ""}
            return {"backend": backend, "rows": [load, *rows]}
        finally:
            server.terminate()
            server.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", choices=["falkordb", "neo4j"], required=True)
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 sends 1000 requests per case")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    result = asyncio.run(run(args.backend, max(100, int(1000 * args.scale))))
    emit(result, args.out)


if __name__ == "__main__":
    main()
