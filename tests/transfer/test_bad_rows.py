"""Bad rows: reported with line numbers and reasons; all or nothing, or --skip-bad."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from relgraph.store.graph_store import GraphStore
from relgraph.transfer import FileRejected, export_text, import_file

from .conftest import EXPECTED_JSONL, seed, write_file

GOOD = {"type": "CALL", "at": "2026-03-01T10:00:00.000Z", "initiator_id": "e1", "participant_ids": ["c1"]}


def line(**fields: object) -> str:
    return json.dumps(fields, ensure_ascii=False)


INTERACTIONS_FILE = "\n".join([
    line(id="n1", **GOOD),                                                    # 1 good
    line(id="n2", **{**GOOD, "type": "VISITT"}),                              # 2 bad enum
    line(id="n3", **{**GOOD, "at": "2026-13-45T00:00:00Z"}),                  # 3 bad time
    line(id="n4", **{**GOOD, "sentiment": 1.5}),                              # 4 out of range
    line(id="n5", **{k: v for k, v in GOOD.items() if k != "at"}),            # 5 missing field
    line(id="n6", **{**GOOD, "initiator_id": "nobody"}),                      # 6 unknown stakeholder
    "",                                                                       # 7 blank: skipped
    line(id="n1", **GOOD),                                                    # 8 duplicate id
    '{"id": "n9", "type": "CALL",',                                           # 9 not JSON
    line(id="n10", **{**GOOD, "sentiment": None, "value": 99.5}),             # 10 good (null = absent)
    line(id="n11", **GOOD, mood="happy"),                                     # 11 unknown field
    line(**GOOD),                                                             # 12 no id
    line(id="n13", **{**GOOD, "participant_ids": ["e1", "ghost", "c1"]}),     # 13 unknown participant
    "[1, 2]",                                                                 # 14 not an object
    line(id="n15", **{**GOOD, "participant_ids": ["e1"]}),                    # 15 nobody else
    line(id="n16", **{**GOOD, "subject": "cut\u0000short"}),                 # 16 NUL: FalkorDB would cut it
]) + "\n"

EXPECTED_BAD = [
    "line 2: type: Input should be 'VISIT', 'MEETING', 'CALL', 'EMAIL', 'MESSAGE', 'ORDER', 'FEEDBACK', 'EVENT', "
    "'SERVICE' or 'COMPLAINT' (got 'VISITT')",
    "line 3: at: ",
    "line 4: sentiment: Input should be less than or equal to 1 (got 1.5)",
    "line 5: at: Field required",
    "line 6: initiator_id: no stakeholder with id 'nobody'",
    "line 8: id: 'n1' is on line 1 already",
    "line 9: invalid JSON: ",
    "line 11: mood: Extra inputs are not permitted (got 'happy')",
    "line 12: id: Field required",
    "line 13: participant_ids: no stakeholder with id 'ghost'",
    "line 14: a line must hold one JSON object",
    "line 15: participant_ids must name someone besides the initiator",
    "line 16: subject: must not contain NUL (U+0000)",
]


def assert_reported(report_lines: list[str], expected: list[str]) -> None:
    assert len(report_lines) == len(expected), "\n".join(report_lines)
    for got, want in zip(report_lines, expected):
        assert got.startswith(want), (got, want)


async def interaction_ids(store: GraphStore) -> list[str]:
    rows = await store.runner.read("MATCH (i:Interaction) RETURN i.id AS id")
    return sorted(r["id"] for r in rows)


async def test_all_or_nothing_reports_every_bad_row_and_writes_nothing(store: GraphStore, tmp_path: Path) -> None:
    await seed(store)
    before = await export_text(store, "interactions", "jsonl")
    report = await import_file(store, write_file(tmp_path / "i.jsonl", INTERACTIONS_FILE), "interactions", batch=4)
    assert_reported([str(b) for b in report.bad], EXPECTED_BAD)
    assert "at: Input should be a valid datetime" in str(report.bad[1])
    assert (report.rows, report.bad_count, report.written, report.ok) == (15, 13, 0, False)
    assert await export_text(store, "interactions", "jsonl") == before


async def test_skip_bad_keeps_the_good_rows(store: GraphStore, tmp_path: Path) -> None:
    await seed(store)
    report = await import_file(store, write_file(tmp_path / "i.jsonl", INTERACTIONS_FILE), "interactions",
                               skip_bad=True, batch=4)
    assert_reported([str(b) for b in report.bad], EXPECTED_BAD)
    assert (report.written, report.bad_count) == (2, 13)
    assert await interaction_ids(store) == ["i1", "i2", "i3", "i4", "n1", "n10"]
    n10 = (await store.interactions(["n10"]))[0]
    assert n10 is not None and n10.sentiment is None and n10.value == 99.5


RELATIONSHIPS_CSV = (
    "id,type,from_id,to_id,role,started_at,ended_at,end_reason,note\r\n"                  # 1
    "n1,KNOWS,e1,c1,,2024-01-01T00:00:00.000Z,,,\"a note\r\nover two lines, with \"\"quotes\"\"\"\r\n"  # 2-3
    "n2,LIKES,e1,c1,,,,,\r\n"                                                             # 4 bad enum
    "n3,KNOWS,e1,c1,,yesterday,,,\r\n"                                                    # 5 bad time
    "n4,KNOWS,e1,c1,,2024-01-01T00:00:00.000Z,2023-01-01T00:00:00.000Z,,\r\n"             # 6 ends before start
    "n5,KNOWS,e1,,,,,,\r\n"                                                               # 7 missing to_id
    "n6,KNOWS,e1,nobody,,,,,\r\n"                                                         # 8 unknown stakeholder
    "n7,KNOWS,e1,c1,USER,,,,\r\n"                                                         # 9 role not on WORKS_FOR
    "n8,KNOWS,e1,c1\r\n"                                                                  # 10 too few cells
    "r1,KNOWS,e1,c1,,,,,\r\n"                                                             # 11 id of a WORKS_FOR
    "r4,KNOWS,e1,p1,,2021-07-01T00:00:00.000Z,,,updated note\r\n"                         # 12 good: same tie
    "\r\n"                                                                                # 13 blank
    "n9,WORKS_FOR,p1,c1,GATEKEEPER,2022-02-02T00:00:00.000Z,,,\"Zoë, 日本 \"\"x\"\"\"\r\n"  # 14 good
)

EXPECTED_CSV_BAD = [
    "line 4: type: Input should be",
    "line 5: started_at: Input should be a valid datetime",
    "line 6: ended_at is before started_at",
    "line 7: to_id: Field required",
    "line 8: to_id: no stakeholder with id 'nobody'",
    "line 9: role is only allowed on WORKS_FOR relationships",
    "line 10: expected 9 cells, found 4",
    "line 11: id: 'r1' is taken by a WORKS_FOR relationship from 'p1' to 'c1'",
]


async def test_csv_bad_rows_have_the_line_their_record_starts_on(store: GraphStore, tmp_path: Path) -> None:
    await seed(store)
    path = write_file(tmp_path / "r.csv", RELATIONSHIPS_CSV)
    report = await import_file(store, path, "relationships")
    assert_reported([str(b) for b in report.bad], EXPECTED_CSV_BAD)
    assert await export_text(store, "relationships", "jsonl") == EXPECTED_JSONL["relationships"]

    report = await import_file(store, path, "relationships", skip_bad=True, batch=3)
    assert (report.written, report.bad_count) == (3, 8)
    exported = {json.loads(x)["id"]: json.loads(x) for x in (await export_text(store, "relationships", "jsonl")).splitlines()}
    assert exported["n1"]["note"] == 'a note\r\nover two lines, with "quotes"'
    assert exported["n9"]["note"] == 'Zoë, 日本 "x"' and exported["n9"]["role"] == "GATEKEEPER"
    assert exported["r4"]["note"] == "updated note"
    assert exported["r1"] == json.loads(EXPECTED_JSONL["relationships"].splitlines()[0])
    assert sorted(exported) == ["n1", "n9", "r1", "r2", "r3", "r4"]


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("id,kind,form,name,colour\r\n", "line 1: unknown column(s) 'colour'"),
        ("id,kind,name\r\n", "line 1: missing column(s) form"),
        ("kind,form,name\r\n", "line 1: missing column(s) id"),
        ("id,kind,form,name,name\r\n", "line 1: column(s) given twice: name"),
    ],
)
async def test_bad_csv_header_rejects_the_file(store: GraphStore, tmp_path: Path, header: str, message: str) -> None:
    path = write_file(tmp_path / "s.csv", header + "x,CUSTOMER,PERSON,X\r\n")
    with pytest.raises(FileRejected) as caught:
        await import_file(store, path, "stakeholders")
    assert caught.value.message.startswith(message)


async def test_csv_columns_may_come_in_any_order_and_subset(store: GraphStore, tmp_path: Path) -> None:
    path = write_file(tmp_path / "s.csv", "\ufeffname,id,form,kind,tags\r\nAda,a1,PERSON,CUSTOMER,x|y\r\n")
    report = await import_file(store, path, "stakeholders")
    assert report.ok and report.written == 1
    assert await export_text(store, "stakeholders", "jsonl") == (
        '{"id":"a1","kind":"CUSTOMER","form":"PERSON","name":"Ada","tags":["x","y"],"is_us":false}\n'
    )


async def test_unknown_format_and_missing_file(store: GraphStore, tmp_path: Path) -> None:
    with pytest.raises(FileRejected, match="cannot tell the format"):
        await import_file(store, write_file(tmp_path / "s.txt", ""), "stakeholders")
    with pytest.raises(FileRejected, match="no such file"):
        await import_file(store, tmp_path / "absent.jsonl", "stakeholders")


async def test_not_utf8_rejects_the_file(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_bytes(b"id,kind,form,name\r\ns1,CUSTOMER,PERSON,M\xfcller\r\n")
    with pytest.raises(FileRejected, match="not UTF-8"):
        await import_file(store, path, "stakeholders")
    jsonl = tmp_path / "s.jsonl"
    jsonl.write_bytes(b'{"id":"s1","kind":"CUSTOMER","form":"PERSON","name":"M\xfcller"}\n')
    report = await import_file(store, jsonl, "stakeholders")
    assert report.bad_count == 1 and str(report.bad[0]).startswith("line 1: invalid JSON")


async def test_a_bad_row_in_the_last_batch_keeps_every_batch_out(store: GraphStore, tmp_path: Path) -> None:
    await seed(store)
    rows = [line(id=f"m{n:03d}", **GOOD) for n in range(60)]
    rows[-1] = line(id="m059", **{**GOOD, "sentiment": -2})
    report = await import_file(store, write_file(tmp_path / "i.jsonl", "\n".join(rows) + "\n"), "interactions", batch=7)
    assert [str(b) for b in report.bad] == ["line 60: sentiment: Input should be greater than or equal to -1 (got -2)"]
    assert await interaction_ids(store) == ["i1", "i2", "i3", "i4"]


async def test_a_rerun_completes_an_interrupted_import(store: GraphStore, tmp_path: Path) -> None:
    """A crash leaves a prefix of the file written; the same import run again finishes it."""
    await seed(store)
    rows = [line(id=f"m{n:03d}", **{**GOOD, "sentiment": round(n / 100, 2)}) for n in range(50)]
    whole = write_file(tmp_path / "all.jsonl", "\n".join(rows) + "\n")
    prefix = write_file(tmp_path / "prefix.jsonl", "\n".join(rows[:23]) + "\n")
    assert (await import_file(store, prefix, "interactions", batch=5)).written == 23
    report = await import_file(store, whole, "interactions", batch=5)
    assert report.ok and report.written == 50
    exported = await export_text(store, "interactions", "jsonl")
    assert [json.loads(x)["id"] for x in exported.splitlines()] == ["i1", "i2", "i3", "i4"] + [f"m{n:03d}" for n in range(50)]
    await store.runner.clear()
    await seed(store)
    await import_file(store, whole, "interactions")
    assert await export_text(store, "interactions", "jsonl") == exported


async def test_a_failed_write_reports_what_is_in_and_a_rerun_completes(
    store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from relgraph.errors import ServiceUnavailable
    from relgraph.transfer import ImportAborted

    path = write_file(tmp_path / "s.jsonl", EXPECTED_JSONL["stakeholders"])
    real = store.upsert_stakeholders
    calls = 0

    async def flaky(batch: list) -> int:  # type: ignore[type-arg]
        nonlocal calls
        calls += 1
        if calls == 2:
            raise ServiceUnavailable("the database is not answering")
        return await real(batch)

    monkeypatch.setattr(store, "upsert_stakeholders", flaky)
    with pytest.raises(ImportAborted) as caught:
        await import_file(store, path, "stakeholders", batch=2)
    assert caught.value.written == 2
    assert "writing failed after 2 rows: the database is not answering" in caught.value.message
    monkeypatch.setattr(store, "upsert_stakeholders", real)
    assert (await import_file(store, path, "stakeholders", batch=2)).ok
    assert await export_text(store, "stakeholders", "jsonl") == EXPECTED_JSONL["stakeholders"]
