"""Shared data and helpers for the import/export tests (both backends, through `store`)."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

from relgraph.cli.transfer import export_command, import_command
from relgraph.store.graph_store import GraphStore
from relgraph.transfer.importer import _storable

#: Times that `to_ms`'s float arithmetic gets one millisecond wrong (pre-1970, 2004).
TRICKY_SINCE = "1961-06-28T00:47:04.716Z"
TRICKY_START = "2004-01-26T19:05:41.396Z"

STAKEHOLDERS: list[dict[str, Any]] = [
    {"id": "us", "kind": "EMPLOYEE", "form": "ORGANIZATION", "name": "Relgraph AG", "is_us": True,
     "since": TRICKY_SINCE},
    {"id": "c1", "kind": "CUSTOMER", "form": "ORGANIZATION", "name": 'Müller & Söhne, "Großhandel"',
     "industry": "Retail", "region": "Nord", "tags": ["key", "a|b", "back\\slash", "日本"],
     "email": "einkauf@mueller.example", "phone": "+49 30 1234-5", "notes": "line one\nline two\r\nthree, with comma",
     "tier": "KEY", "demand": "CLEAR", "potential": 125000.5, "margin": 0.35, "retention": 0.9,
     "since": "2019-01-01T00:00:00.000Z"},
    {"id": "p1", "kind": "CUSTOMER", "form": "PERSON", "name": "Zoë O'Neil", "title": 'Head of "Purchasing"',
     "potential": 0.0, "margin": 1.0},
    {"id": "e1", "kind": "EMPLOYEE", "form": "PERSON", "name": "李雷", "tags": ["sales"]},
    {"id": "s1", "kind": "SUPPLIER", "form": "ORGANIZATION", "name": "Parts, Inc.", "notes": " spaced ",
     "tier": "GENERAL", "demand": "NONE", "retention": 0.123456789012},
]

RELATIONSHIPS: list[dict[str, Any]] = [
    {"id": "r1", "type": "WORKS_FOR", "from_id": "p1", "to_id": "c1", "role": "DECISION_MAKER",
     "started_at": "2020-02-29T12:00:00.001Z", "note": 'says "hi", then leaves'},
    {"id": "r2", "type": "MANAGES_ACCOUNT", "from_id": "e1", "to_id": "c1", "started_at": TRICKY_START},
    {"id": "r3", "type": "SUPPLIES", "from_id": "s1", "to_id": "us", "started_at": "2018-05-01T08:00:00.000Z",
     "ended_at": "2025-12-31T23:59:59.999Z", "end_reason": "contract ended,\nby us"},
    {"id": "r4", "type": "KNOWS", "from_id": "e1", "to_id": "p1", "started_at": "2021-07-01T00:00:00.000Z"},
]

INTERACTIONS: list[dict[str, Any]] = [
    {"id": "i1", "type": "MEETING", "at": "2026-01-05T09:30:00.000Z", "initiator_id": "e1",
     "participant_ids": ["e1", "p1", "c1"], "sentiment": 0.5, "subject": "Q3 review — “quotes”, commas"},
    {"id": "i2", "type": "ORDER", "at": "2026-02-01T10:00:00.250Z", "initiator_id": "c1",
     "participant_ids": ["c1", "us"], "value": 1234.56},
    {"id": "i3", "type": "EMAIL", "at": "2026-02-02T10:00:00.999Z", "initiator_id": "e1",
     "participant_ids": ["e1", "p1"], "sentiment": -1.0, "value": -20.0, "subject": ""},
    {"id": "i4", "type": "COMPLAINT", "at": TRICKY_START, "initiator_id": "p1",
     "participant_ids": ["p1", "e1"], "sentiment": 0.1},
]

#: What the JSON Lines export of the data above must be, byte for byte, on both backends.
EXPECTED_JSONL = {
    "stakeholders": (
        '{"id":"c1","kind":"CUSTOMER","form":"ORGANIZATION","name":"Müller & Söhne, \\"Großhandel\\"",'
        '"industry":"Retail","region":"Nord","tags":["key","a|b","back\\\\slash","日本"],'
        '"email":"einkauf@mueller.example","phone":"+49 30 1234-5","notes":"line one\\nline two\\r\\nthree, with comma",'
        '"tier":"KEY","demand":"CLEAR","potential":125000.5,"margin":0.35,"retention":0.9,"is_us":false,'
        '"since":"2019-01-01T00:00:00.000Z"}\n'
        '{"id":"e1","kind":"EMPLOYEE","form":"PERSON","name":"李雷","tags":["sales"],"is_us":false}\n'
        '{"id":"p1","kind":"CUSTOMER","form":"PERSON","name":"Zoë O\'Neil","title":"Head of \\"Purchasing\\"",'
        '"potential":0.0,"margin":1.0,"is_us":false}\n'
        '{"id":"s1","kind":"SUPPLIER","form":"ORGANIZATION","name":"Parts, Inc.","notes":" spaced ",'
        '"tier":"GENERAL","demand":"NONE","retention":0.123456789012,"is_us":false}\n'
        '{"id":"us","kind":"EMPLOYEE","form":"ORGANIZATION","name":"Relgraph AG","is_us":true,'
        f'"since":"{TRICKY_SINCE}"}}\n'
    ),
    "relationships": (
        '{"id":"r1","type":"WORKS_FOR","from_id":"p1","to_id":"c1","role":"DECISION_MAKER",'
        '"started_at":"2020-02-29T12:00:00.001Z","note":"says \\"hi\\", then leaves"}\n'
        f'{{"id":"r2","type":"MANAGES_ACCOUNT","from_id":"e1","to_id":"c1","started_at":"{TRICKY_START}"}}\n'
        '{"id":"r3","type":"SUPPLIES","from_id":"s1","to_id":"us","started_at":"2018-05-01T08:00:00.000Z",'
        '"ended_at":"2025-12-31T23:59:59.999Z","end_reason":"contract ended,\\nby us"}\n'
        '{"id":"r4","type":"KNOWS","from_id":"e1","to_id":"p1","started_at":"2021-07-01T00:00:00.000Z"}\n'
    ),
    "interactions": (
        '{"id":"i1","type":"MEETING","at":"2026-01-05T09:30:00.000Z","initiator_id":"e1",'
        '"participant_ids":["e1","p1","c1"],"sentiment":0.5,"subject":"Q3 review — “quotes”, commas"}\n'
        '{"id":"i2","type":"ORDER","at":"2026-02-01T10:00:00.250Z","initiator_id":"c1",'
        '"participant_ids":["c1","us"],"value":1234.56}\n'
        '{"id":"i3","type":"EMAIL","at":"2026-02-02T10:00:00.999Z","initiator_id":"e1",'
        '"participant_ids":["e1","p1"],"sentiment":-1.0,"value":-20.0,"subject":""}\n'
        f'{{"id":"i4","type":"COMPLAINT","at":"{TRICKY_START}","initiator_id":"p1",'
        '"participant_ids":["p1","e1"],"sentiment":0.1}\n'
    ),
}

EXPECTED_CSV_HEADERS = {
    "stakeholders": "id,kind,form,name,industry,region,tags,email,phone,title,notes,tier,demand,potential,"
                    "margin,retention,is_us,since\r\n",
    "relationships": "id,type,from_id,to_id,role,started_at,ended_at,end_reason,note\r\n",
    "interactions": "id,type,at,initiator_id,participant_ids,sentiment,value,subject\r\n",
}


TIME_FIELDS = ("since", "started_at", "ended_at", "at")


def _exact(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with their times as datetimes the store turns into the exact millisecond.

    `relgraph.domain.time.to_ms` computes through a float and is one millisecond early
    for some times (TRICKY_*); the import corrects for it the same way (`_storable`).
    """
    out = []
    for row in rows:
        row = dict(row)
        for name in TIME_FIELDS:
            if name in row:
                row[name] = _storable(datetime.fromisoformat(row[name]))
        out.append(row)
    return out


async def seed(store: GraphStore) -> None:
    """The data above, written through the store's own APIs (not through the import)."""
    await store.upsert_stakeholders(_exact(STAKEHOLDERS))
    await store.upsert_relationships(_exact(RELATIONSHIPS))
    await store.record_interactions(_exact(INTERACTIONS))


@pytest.fixture
def cli_flags(store: GraphStore, request: pytest.FixtureRequest) -> list[str]:
    """Storage flags that reach the same database as `store`."""
    if store.backend == "falkordb":
        server = request.getfixturevalue("falkordb_server")
        return ["--falkordb-url", f"unix://{server.socket_path}"]
    neo4j = request.getfixturevalue("neo4j_server")
    return ["--neo4j-uri", neo4j.bolt_uri]


def _invoke(command: click.Command, args: list[str], stdin: bytes | None) -> Result:
    return CliRunner().invoke(command, args, input=stdin, catch_exceptions=False)


async def run_import(args: list[str], stdin: bytes | None = None) -> Result:
    """`relgraph import ...` in-process, in a thread (it runs its own event loop)."""
    return await asyncio.to_thread(_invoke, import_command, args, stdin)


async def run_export(args: list[str]) -> Result:
    return await asyncio.to_thread(_invoke, export_command, args, None)


def write_file(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path
