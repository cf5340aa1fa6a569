"""Export: stakeholders, relationships or interactions from a store, as CSV or JSON Lines.

Rows come out in id order (by code point, computed here, so both backends write the same
bytes for the same data), read in pages through the named queries `export_*`: first every
id of the kind, then the objects of one page of ids at a time by index seeks. Only the ids
are held in memory (about 70 MB for a million), never the rows.

FalkorDB cannot page by `WHERE s.id > $after`: its index answers a range on a string with
wrong rows. Relationships are exported across all types in one id order.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from typing import Any, AsyncIterator, Callable

from relgraph.domain.enums import RelationshipType
from relgraph.store.graph_store import GraphStore
from relgraph.transfer.formats import FIELDS, Format, Kind, csv_cells, export_row, jsonl_line, kind_of

#: ids per page read
EXPORT_PAGE = 5_000


def _pages(items: list[Any], size: int) -> list[list[Any]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


async def _node_rows(store: GraphStore, kind: Kind, page: int) -> AsyncIterator[dict[str, Any]]:
    name, key = ("stakeholders", "s") if kind is Kind.STAKEHOLDERS else ("interactions", "i")
    singular = name[:-1]
    found = await store.runner.read(store.cypher.query(f"export_{singular}_ids"))
    ids = sorted({row["id"] for row in found})
    for part in _pages(ids, page):
        rows = await store.runner.read(store.cypher.query(f"export_{name}"), {"ids": part})
        by_id = {row[key]["id"]: row[key] for row in rows}
        for i in part:
            props = by_id.get(i)
            if props is not None:  # gone since the ids were read
                yield export_row(kind, props)


async def _relationship_rows(store: GraphStore, page: int) -> AsyncIterator[dict[str, Any]]:
    found = await store.runner.read(store.cypher.over_all_types("export_relationship_ids"))
    keys = sorted({(row["id"], row["type"]) for row in found})
    for part in _pages(keys, page):
        by_type: dict[str, list[str]] = defaultdict(list)
        for rel_id, rel_type in part:
            by_type[rel_type].append(rel_id)
        props_of: dict[tuple[str, str], dict[str, Any]] = {}
        for rel_type, ids in by_type.items():
            rows = await store.runner.read(
                store.cypher.query("export_relationships", RelationshipType(rel_type)), {"ids": ids}
            )
            for row in rows:
                props = dict(row["r"])
                props.update(type=rel_type, from_id=row["from_id"], to_id=row["to_id"])
                props_of[(props["id"], rel_type)] = props
        for key in part:
            props = props_of.get(key)
            if props is not None:
                yield export_row(Kind.RELATIONSHIPS, props)


def export_rows(store: GraphStore, kind: Kind | str, *, page: int = EXPORT_PAGE) -> AsyncIterator[dict[str, Any]]:
    """The rows of one kind, in id order, as plain values (times as ISO text)."""
    kind = kind_of(kind)
    if kind is Kind.RELATIONSHIPS:
        return _relationship_rows(store, page)
    return _node_rows(store, kind, page)


async def export(
    store: GraphStore,
    kind: Kind | str,
    fmt: Format | str,
    write: Callable[[str], Any],
    *,
    page: int = EXPORT_PAGE,
) -> int:
    """Write every row of one kind through `write` (text, in chunks); returns the row count.

    CSV starts with its header row, even when there are no rows.
    """
    kind, fmt = kind_of(kind), Format(fmt)
    count = 0
    chunk: list[str] = []
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # RFC 4180: CRLF, minimal quoting
    if fmt is Format.CSV:
        writer.writerow(FIELDS[kind])
    async for row in export_rows(store, kind, page=page):
        count += 1
        if fmt is Format.CSV:
            writer.writerow(csv_cells(kind, row))
        else:
            chunk.append(jsonl_line(row))
        if count % page == 0:
            _flush(write, chunk, buffer)
    _flush(write, chunk, buffer)
    return count


def _flush(write: Callable[[str], Any], chunk: list[str], buffer: io.StringIO) -> None:
    text = buffer.getvalue() + "".join(chunk)
    chunk.clear()
    buffer.seek(0)
    buffer.truncate()
    if text:
        write(text)


async def export_text(store: GraphStore, kind: Kind | str, fmt: Format | str, *, page: int = EXPORT_PAGE) -> str:
    """The whole export as one string (tests, small graphs)."""
    parts: list[str] = []
    await export(store, kind, fmt, parts.append, page=page)
    return "".join(parts)
