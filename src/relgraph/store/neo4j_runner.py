"""Running Cypher on Neo4j through the official async driver.

Writes run as managed transactions, which the driver retries on transient errors; reads
run as read transactions, which a `neo4j://` routing driver sends to followers.

Faults: the driver's own retries are the only retry layer. They are bounded by
`retry_budget_s` (the time we are willing to wait for a server or a cluster leader to
come back), and the driver never retries a commit whose outcome it could not learn
(`IncompleteCommit`), so a retried write is never applied twice. A whole call is bounded
by `timeout_s`, so that a hung or partitioned server (no RST, no answer) cannot hold a
request forever. Everything connection-shaped becomes `ServiceUnavailable`, which
clients see as `extensions.code = SERVICE_UNAVAILABLE`.
"""

from __future__ import annotations

import asyncio
from typing import Awaitable, Callable, TypeVar

import neo4j
from neo4j import AsyncGraphDatabase, AsyncManagedTransaction
from neo4j import exceptions as neo4j_errors

from relgraph.errors import Conflict, ServiceUnavailable
from relgraph.store.runner import Params, Row, Tx

T = TypeVar("T")

_UNAVAILABLE = (
    neo4j_errors.ServiceUnavailable,
    neo4j_errors.SessionExpired,
    neo4j_errors.TransientError,
    OSError,
)


class Neo4jRunner:
    """A Neo4j server or cluster, by `bolt://` or `neo4j://` URI."""

    dialect = "neo4j"

    def __init__(
        self,
        uri: str,
        *,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        timeout_s: float = 30.0,
        connect_timeout_s: float = 5.0,
        retries: int = 2,
    ) -> None:
        auth = (user, password or "") if user else None
        self.timeout_s = timeout_s
        self.driver = AsyncGraphDatabase.driver(
            uri,
            auth=auth,
            connection_timeout=connect_timeout_s,
            # Acquiring may include connecting, so it must allow at least one connect.
            connection_acquisition_timeout=max(timeout_s, connect_timeout_s),
            # The driver retries transient errors within this budget (backoff 1, 2, 4 s);
            # no retries at all when the operator asked for none.
            max_transaction_retry_time=min(connect_timeout_s, timeout_s) if retries > 0 else 0.0,
        )
        self.database = database
        self.round_trips = 0

    def _session(self, mode: str) -> neo4j.AsyncSession:
        return self.driver.session(database=self.database, default_access_mode=mode)

    async def _collect(self, tx: AsyncManagedTransaction, query: str, params: Params | None) -> list[Row]:
        self.round_trips += 1
        result = await tx.run(query, params or {})
        return await result.data()

    async def read(self, query: str, params: Params | None = None) -> list[Row]:
        async def work(tx: AsyncManagedTransaction) -> list[Row]:
            return await self._collect(tx, query, params)

        return await self._guard(self._read(work))

    async def _read(self, work: Callable[[AsyncManagedTransaction], Awaitable[T]]) -> T:
        async with self._session(neo4j.READ_ACCESS) as session:
            return await session.execute_read(work)

    async def write(self, query: str, params: Params | None = None) -> list[Row]:
        async def work(tx: AsyncManagedTransaction) -> list[Row]:
            return await self._collect(tx, query, params)

        return await self._guard(self._write(work))

    async def _write(self, work: Callable[[AsyncManagedTransaction], Awaitable[T]]) -> T:
        async with self._session(neo4j.WRITE_ACCESS) as session:
            return await session.execute_write(work)

    async def transaction(self, work: Callable[[Tx], Awaitable[T]]) -> T:
        """Run `work` in one write transaction: all its queries commit or none do."""

        async def unit(tx: AsyncManagedTransaction) -> T:
            return await work(_Neo4jTx(self, tx))

        return await self._guard(self._write(unit))

    async def _guard(self, pending: Awaitable[T], timeout_s: float | None = None) -> T:
        limit = timeout_s or self.timeout_s
        try:
            async with asyncio.timeout(limit):
                return await pending
        except neo4j_errors.ConstraintError as exc:
            raise Conflict("an object with this id already exists", field="id") from exc
        except neo4j_errors.IncompleteCommit as exc:
            raise ServiceUnavailable(
                "the database connection broke while committing; the write may or may not "
                "have been applied (writes with keys are safe to retry)"
            ) from exc
        except TimeoutError as exc:  # before OSError, of which it is a subclass
            raise ServiceUnavailable(f"the database did not answer within {limit:g} s") from exc
        except _UNAVAILABLE as exc:
            raise ServiceUnavailable("the database is not answering") from exc

    async def setup_schema(self, statements: list[str]) -> None:
        """Neo4j's `IF NOT EXISTS` makes every statement idempotent."""
        for statement in statements:
            async with self._session(neo4j.WRITE_ACCESS) as session:
                self.round_trips += 1
                await self._guard(session.run(statement))
        async with self._session(neo4j.WRITE_ACCESS) as session:
            # Index population on a large graph may outlast a normal call's deadline.
            await self._guard(session.run("CALL db.awaitIndexes(300)"), timeout_s=max(self.timeout_s, 300.0))

    async def ping(self) -> None:
        await self._guard(self.driver.verify_connectivity())

    async def clear(self) -> None:
        await self.write("MATCH (n) DETACH DELETE n")

    async def compact(self) -> None:
        """Nothing to do: Neo4j manages its own transaction logs."""

    async def close(self) -> None:
        await self.driver.close()


class _Neo4jTx:
    def __init__(self, runner: Neo4jRunner, tx: AsyncManagedTransaction) -> None:
        self._runner = runner
        self._tx = tx

    async def run(self, query: str, params: Params | None = None) -> list[Row]:
        return await self._runner._collect(self._tx, query, params)
