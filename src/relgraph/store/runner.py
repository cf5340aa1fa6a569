"""What a backend must do for the store: run Cypher text with parameters.

The store speaks only to this small interface, so FalkorDB and Neo4j differ in one
module each. Every call is one database round trip, counted in `round_trips` so that
tests can prove the API has no N+1 queries.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Protocol, TypeVar

T = TypeVar("T")
Row = dict[str, Any]
Params = dict[str, Any]


class Tx(Protocol):
    """A unit of work: on Neo4j one transaction, on FalkorDB one atomic query per call."""

    async def run(self, query: str, params: Params | None = None) -> list[Row]: ...


class Runner(Protocol):
    dialect: str
    round_trips: int

    async def read(self, query: str, params: Params | None = None) -> list[Row]: ...

    async def write(self, query: str, params: Params | None = None) -> list[Row]: ...

    async def transaction(self, work: Callable[[Tx], Awaitable[T]]) -> T: ...

    async def setup_schema(self, statements: list[str]) -> None: ...

    async def ping(self) -> None: ...

    async def clear(self) -> None: ...

    async def compact(self) -> None: ...

    async def close(self) -> None: ...
