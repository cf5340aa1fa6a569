"""Whole-network reads that a dialect override may return as one JSON text.

FalkorDB ships a reply value by value (~2.5 µs each here), so a read of 100k rows spends
most of its time in that formatting and in decoding it again. Its overrides of such reads
(`cypher/falkordb/network_customers.cypher`, ...) return the same rows as one JSON text
of maps in a single column, `json_rows`, which parses in C. FalkorDB's `toJSON` leaves
raw newlines and tabs in strings, so a text orjson refuses is parsed again leniently; a
text nothing can parse (a NaN stored by hand, say) is read once more with the shared,
dialect-neutral query. Other engines' rows pass through untouched.
"""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    from relgraph.store.cypher import CypherLibrary
    from relgraph.store.runner import Runner

#: The column a JSON-text override returns its rows in.
JSON_ROWS = "json_rows"


async def read_rows(runner: Runner, cypher: CypherLibrary, name: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The rows of the named read, as dicts, whether the engine sent rows or one JSON text."""
    rows = await runner.read(cypher.query(name), params or {})
    if len(rows) != 1 or list(rows[0]) != [JSON_ROWS]:
        return [dict(row) for row in rows]
    try:
        return await asyncio.to_thread(parsed, rows[0][JSON_ROWS])
    except ValueError:
        return [dict(row) for row in await runner.read(cypher.shared(name), params or {})]


def parsed(text: str) -> list[dict[str, Any]]:
    """A JSON text of row maps: strict and fast, else lenient about control characters."""
    try:
        return orjson.loads(text)  # type: ignore[no-any-return]
    except orjson.JSONDecodeError:
        return json.loads(text, strict=False)  # type: ignore[no-any-return]
