"""Running Cypher on FalkorDB (embedded child or an external server).

FalkorDB executes each write query atomically, one writer at a time, so one query is
one transaction. Reads go through GRAPH.RO_QUERY, which FalkorDB runs in parallel.

Faults: a connection that fails (the server died, restarts, or its socket is gone)
becomes `ServiceUnavailable`. redis-py's pool reconnects by itself: a pooled connection
whose server went away is noticed when it is checked out and opened afresh. A failed call
is retried `retries` times with a short backoff, but only where that is safe: a read
always; a write only when it failed while getting a connection, before any byte of it
was sent. A write that failed after it was sent may have been applied, so it is not
retried here; the caller gets SERVICE_UNAVAILABLE and may retry with the same keys.
"""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any, Awaitable, Callable, TypeVar

import redis.exceptions as redis_errors
from falkordb.asyncio import FalkorDB
from falkordb.helpers import stringify_param_value

from relgraph.errors import Conflict, ServiceUnavailable
from relgraph.store.runner import Params, Row, Tx

T = TypeVar("T")

_CONSTRAINT = re.compile(r"^CONSTRAINT\s+UNIQUE\s+(\w+)\s+(\w+)$", re.IGNORECASE)

#: What a lost, refused or silent connection raises (TimeoutError is an OSError).
_CONNECTION_ERRORS = (redis_errors.ConnectionError, redis_errors.TimeoutError, OSError)

#: First pause before a retry; it doubles with each attempt.
BACKOFF_S = 0.05


class _NotSent(Exception):
    """The call failed before the command left: retrying it cannot apply it twice."""


class FalkorRunner:
    """One graph on one FalkorDB server, reached by unix socket or host:port."""

    dialect = "falkordb"

    def __init__(
        self,
        *,
        unix_socket_path: str | None = None,
        host: str = "localhost",
        port: int = 6379,
        password: str | None = None,
        graph: str = "relgraph",
        timeout_s: float = 30.0,
        connect_timeout_s: float = 5.0,
        retries: int = 2,
        max_connections: int = 64,
    ) -> None:
        self.graph_name = graph
        self.retries = retries
        self.db = FalkorDB(
            host=host,
            port=port,
            password=password,
            unix_socket_path=unix_socket_path,
            socket_timeout=timeout_s,
            socket_connect_timeout=connect_timeout_s,
            max_connections=max_connections,
        )
        self.graph = self.db.select_graph(graph)
        self.round_trips = 0

    async def _run(self, query: str, params: Params | None, *, read_only: bool) -> list[Row]:
        self.round_trips += 1
        command = "GRAPH.RO_QUERY" if read_only else "GRAPH.QUERY"
        args = (command, self.graph_name, params_header(params) + query, "--compact")
        try:
            reply = await self._retrying(args, idempotent=read_only)
        except redis_errors.ResponseError as exc:
            if "unique constraint violation" in str(exc):
                raise Conflict("an object with this id already exists", field="id") from exc
            raise
        return rows_of(reply)

    async def _retrying(self, args: tuple[Any, ...], *, idempotent: bool) -> Any:
        """`_call`, retried where safe: always when `idempotent`, else only if not sent."""
        attempt = 0
        while True:
            try:
                return await self._call(args)
            except (_NotSent, *_CONNECTION_ERRORS) as exc:
                # LOADING: the server refused the command while replaying its log.
                safe = idempotent or isinstance(exc, (_NotSent, redis_errors.BusyLoadingError))
                if not safe or attempt >= self.retries:
                    raise ServiceUnavailable("the database is not answering") from exc
            await asyncio.sleep(BACKOFF_S * 2**attempt)
            attempt += 1

    async def _call(self, args: tuple[Any, ...]) -> Any:
        """One command on a pooled connection; failures to get one raise `_NotSent`.

        The pool's checkout connects (or reconnects a connection whose server went away)
        before anything is sent, which is what makes that part safe to retry.
        """
        client = self.db.connection
        pool = getattr(client, "connection_pool", None)
        if pool is None:  # a FalkorDB cluster client: no pool of ours to look into
            return await client.execute_command(*args)
        try:
            conn = await pool.get_connection()
        except _CONNECTION_ERRORS as exc:
            raise _NotSent(str(exc)) from exc
        try:
            await conn.send_command(*args)
            return await conn.read_response()
        except redis_errors.ResponseError:
            raise  # an error reply was read whole: the connection is fine
        except BaseException:
            await conn.disconnect()  # never hand a half-read connection back to the pool
            raise
        finally:
            await pool.release(conn)

    async def read(self, query: str, params: Params | None = None) -> list[Row]:
        return await self._run(query, params, read_only=True)

    async def write(self, query: str, params: Params | None = None) -> list[Row]:
        return await self._run(query, params, read_only=False)

    async def transaction(self, work: Callable[[Tx], Awaitable[T]]) -> T:
        """Run `work`; its reads validate, and its single write query is the atomic step."""
        return await work(_FalkorTx(self))

    async def setup_schema(self, statements: list[str]) -> None:
        """Create indexes and unique constraints, ignoring those that exist already.

        FalkorDB has no `IF NOT EXISTS` and keeps constraints outside Cypher, so the
        schema file writes them as `CONSTRAINT UNIQUE <Label> <property>` lines, which
        become GRAPH.CONSTRAINT commands here.
        """
        for statement in statements:
            match = _CONSTRAINT.match(statement)
            try:
                if match:
                    label, prop = match.groups()
                    self.round_trips += 1
                    await self._retrying((
                        "GRAPH.CONSTRAINT", "CREATE", self.graph_name,
                        "UNIQUE", "NODE", label, "PROPERTIES", "1", prop,
                    ), idempotent=True)  # "already exists" on a repeat, ignored below
                else:
                    await self.write(statement)
            except redis_errors.ResponseError as exc:
                if "already" not in str(exc).lower():
                    raise

    async def ping(self) -> None:
        await self._retrying(("PING",), idempotent=True)

    async def compact(self) -> None:
        """Have FalkorDB rewrite its append-only log (after bulk loads: faster restarts)."""
        try:
            await self.db.connection.bgrewriteaof()
        except redis_errors.ResponseError as exc:
            if "in progress" not in str(exc) and "scheduled" not in str(exc):
                raise

    async def clear(self) -> None:
        await self.write("MATCH (n) DETACH DELETE n")

    async def close(self) -> None:
        await self.db.connection.aclose()


# FalkorDB's compact result types (the ones our queries return: scalars, lists, maps).
_NULL, _STRING, _INTEGER, _BOOLEAN, _DOUBLE, _ARRAY, _MAP = 1, 2, 3, 4, 5, 6, 10


def value_of(cell: list[Any]) -> Any:
    """One compact-format value. Our queries return only scalars, lists and maps, never
    nodes or edges, so this small reader replaces the client's general one, which parses
    value by value through coroutines and costs ~1 ms per row."""
    kind, raw = cell[0], cell[1] if len(cell) > 1 else None
    if kind == _STRING or kind == _INTEGER:
        return raw
    if kind == _NULL:
        return None
    if kind == _DOUBLE:
        return float(raw)
    if kind == _BOOLEAN:
        return raw == "true"
    if kind == _ARRAY:
        return [value_of(v) for v in raw]
    if kind == _MAP:
        return {raw[i]: value_of(raw[i + 1]) for i in range(0, len(raw), 2)}
    raise TypeError(f"unexpected FalkorDB value type {kind}: return maps and scalars, not graph elements")


def rows_of(reply: list[Any]) -> list[Row]:
    """Rows as dicts from a compact reply: [header, rows, statistics], or [statistics]."""
    if len(reply) < 3:
        return []
    names = [column[1] for column in reply[0]]
    rows: list[Row] = []
    for cells in reply[1]:
        row: dict[str, Any] = {}
        for name, cell in zip(names, cells):  # scalars inline: most cells of a big read
            kind = cell[0]
            if kind == _STRING or kind == _INTEGER:
                row[name] = cell[1]
            elif kind == _NULL:
                row[name] = None
            elif kind == _DOUBLE:
                row[name] = float(cell[1])
            else:
                row[name] = value_of(cell)
        rows.append(row)
    return rows


def literal(value: Any) -> str:
    """A parameter value as a FalkorDB literal.

    FalkorDB takes parameters as a `CYPHER name=value` text header. The client's
    serializer walks values in Python, about 20 µs a row; for values without maps,
    `json.dumps` gives the same Cypher text at C speed. JSON escapes control characters
    as `\\uXXXX`, which FalkorDB does not decode, so any output holding a backslash-u
    goes the careful way instead. Maps always go the careful way (backticked keys).
    """
    if isinstance(value, (list, tuple, str, int, float)) and not _has_map(value):
        text = json.dumps(value, ensure_ascii=False, allow_nan=False)
        if "\\u" not in text:
            return text
    return stringify_param_value(value)


def _has_map(value: Any) -> bool:
    """Whether a value holds a map. Batches are homogeneous, so a list is judged by its
    first element; a stray map further on would only make FalkorDB refuse the query."""
    if isinstance(value, dict):
        return True
    if isinstance(value, (list, tuple)) and value:
        first = value[0]
        if isinstance(first, (list, tuple)):
            return any(_has_map(v) for v in first if isinstance(v, (dict, list, tuple)))
        return isinstance(first, dict)
    return False


def params_header(params: Params | None) -> str:
    if not params:
        return ""
    return "CYPHER " + " ".join(f"{name}={literal(value)}" for name, value in params.items()) + " "


class _FalkorTx:
    def __init__(self, runner: FalkorRunner) -> None:
        self._runner = runner

    async def run(self, query: str, params: Params | None = None) -> list[Row]:
        read_only = not _writes(query)
        return await self._runner._run(query, params, read_only=read_only)


_WRITE_WORDS = re.compile(r"\b(CREATE|MERGE|SET|DELETE|REMOVE)\b", re.IGNORECASE)


def _writes(query: str) -> bool:
    body = "\n".join(ln for ln in query.splitlines() if not ln.strip().startswith("//"))
    return bool(_WRITE_WORDS.search(body))


