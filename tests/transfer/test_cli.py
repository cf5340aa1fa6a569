"""`relgraph import` and `relgraph export`, in-process, against the session databases."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from relgraph.cli.transfer import export_command, import_command
from relgraph.store.graph_store import GraphStore
from relgraph.transfer import export_text

from .conftest import EXPECTED_JSONL, run_export, run_import, seed, write_file

KINDS = ["stakeholders", "relationships", "interactions"]


async def test_export_to_files_and_stdout(store: GraphStore, cli_flags: list[str], tmp_path: Path) -> None:
    await seed(store)
    for kind in KINDS:
        target = tmp_path / f"{kind}.csv"
        result = await run_export(["--what", kind, "--output", str(target), *cli_flags])
        assert result.exit_code == 0, result.output
        assert target.read_bytes().decode("utf-8") == await export_text(store, kind, "csv")
        assert f"Exported {len(EXPECTED_JSONL[kind].splitlines())} {kind} to {target} (csv)." in result.stderr
        assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]
    result = await run_export(["--what", "interactions", *cli_flags])
    assert result.exit_code == 0
    assert result.stdout_bytes.decode("utf-8") == EXPECTED_JSONL["interactions"]


async def test_import_round_trip_through_the_cli(store: GraphStore, cli_flags: list[str], tmp_path: Path) -> None:
    await seed(store)
    for kind in KINDS:
        result = await run_export(["--what", kind, "-o", str(tmp_path / f"{kind}.jsonl"), *cli_flags])
        assert result.exit_code == 0, result.output
    await store.runner.clear()
    for kind in KINDS:
        result = await run_import([str(tmp_path / f"{kind}.jsonl"), "--what", kind, *cli_flags])
        assert result.exit_code == 0, result.output
        assert f"Imported {len(EXPECTED_JSONL[kind].splitlines())} {kind} in " in result.stderr
    for kind in KINDS:
        assert await export_text(store, kind, "jsonl") == EXPECTED_JSONL[kind]


BAD_FILE = (
    '{"id":"x1","type":"CALL","at":"2026-03-01T10:00:00.000Z","initiator_id":"e1","participant_ids":["c1"]}\n'
    '{"id":"x2","type":"CALL","at":"2026-03-01T10:00:00.000Z","initiator_id":"e1","participant_ids":["c1"],"sentiment":3}\n'
    '{"id":"x3","type":"CALL","at":"2026-03-01T10:00:00.000Z","initiator_id":"zed","participant_ids":["c1"]}\n'
)


async def test_bad_rows_exit_1_and_write_nothing(store: GraphStore, cli_flags: list[str], tmp_path: Path) -> None:
    await seed(store)
    path = write_file(tmp_path / "bad.jsonl", BAD_FILE)
    result = await run_import([str(path), "--what", "interactions", *cli_flags])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "line 2: sentiment: Input should be less than or equal to 1 (got 3)",
        "line 3: initiator_id: no stakeholder with id 'zed'",
        "Nothing imported: 2 of 3 rows are bad. Fix them, or use --skip-bad to import the 1 good rows.",
    ]
    assert await export_text(store, "interactions", "jsonl") == EXPECTED_JSONL["interactions"]


async def test_skip_bad_exits_3_and_keeps_the_good_rows(store: GraphStore, cli_flags: list[str], tmp_path: Path) -> None:
    await seed(store)
    path = write_file(tmp_path / "bad.jsonl", BAD_FILE)
    result = await run_import([str(path), "--what", "interactions", "--skip-bad", "--batch", "2", *cli_flags])
    assert result.exit_code == 3, result.output
    assert "line 2: sentiment" in result.stderr and "skipped 2 bad rows" in result.stderr
    ids = [json.loads(x)["id"] for x in (await export_text(store, "interactions", "jsonl")).splitlines()]
    assert ids == ["i1", "i2", "i3", "i4", "x1"]


async def test_bad_row_list_is_capped(store: GraphStore, cli_flags: list[str], tmp_path: Path) -> None:
    rows = "".join(f'{{"id":"s{n}","kind":"NOBODY","form":"PERSON","name":"n"}}\n' for n in range(120))
    path = write_file(tmp_path / "s.jsonl", rows)
    result = await run_import([str(path), "--what", "stakeholders", "--quiet", *cli_flags])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 52 and lines[0].startswith("line 1: kind: Input should be")
    assert lines[50] == "... and 70 more bad rows"


async def test_import_from_stdin(store: GraphStore, cli_flags: list[str]) -> None:
    csv_text = "id,kind,form,name,tags\r\nq1,AGENCY,ORGANIZATION,\"Amt, für \"\"Dinge\"\"\",a|b\r\n"
    result = await run_import(["-", "--what", "stakeholders", "--format", "csv", *cli_flags], stdin=csv_text.encode())
    assert result.exit_code == 0, result.output
    assert await export_text(store, "stakeholders", "csv") == (
        "id,kind,form,name,industry,region,tags,email,phone,title,notes,tier,demand,potential,margin,retention,"
        "is_us,since\r\nq1,AGENCY,ORGANIZATION,\"Amt, für \"\"Dinge\"\"\",,,a|b,,,,,,,,,,false,\r\n"
    )


async def test_file_errors_exit_1(store: GraphStore, cli_flags: list[str], tmp_path: Path) -> None:
    path = write_file(tmp_path / "s.csv", "id,kind,form,name,shoe_size\r\n")
    result = await run_import([str(path), "--what", "stakeholders", *cli_flags])
    assert result.exit_code == 1
    assert "unknown column(s) 'shoe_size'" in result.stderr
    result = await run_import(["-", "--what", "stakeholders", *cli_flags], stdin=b"")
    assert result.exit_code == 2 and "needs --format" in result.output


def test_help_documents_the_exit_codes() -> None:
    text = CliRunner().invoke(import_command, ["--help"]).output
    assert "--skip-bad" in text and "--batch" in text and "Exit codes" in text
    assert "--what" in CliRunner().invoke(export_command, ["--help"]).output


async def test_the_embedded_default(tmp_path: Path) -> None:
    """No database flags: the command starts (and stops) the embedded FalkorDB itself."""
    data_dir = str(tmp_path / "data")
    source = write_file(tmp_path / "s.jsonl", EXPECTED_JSONL["stakeholders"])
    result = await run_import([str(source), "--what", "stakeholders", "--data-dir", data_dir])
    assert result.exit_code == 0, result.output
    result = await run_export(["--what", "stakeholders", "--data-dir", data_dir])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.decode("utf-8") == EXPECTED_JSONL["stakeholders"]


def test_a_missing_file_fails_before_any_database_starts(tmp_path: Path) -> None:
    result = CliRunner().invoke(import_command, [str(tmp_path / "nope.csv"), "--what", "stakeholders",
                                                 "--data-dir", str(tmp_path / "data")])
    assert result.exit_code == 1 and "no such file" in result.stderr
    assert not (tmp_path / "data").exists()
    result = CliRunner().invoke(import_command, [str(tmp_path / "x.txt"), "--what", "stakeholders"])
    assert result.exit_code == 1 and "cannot tell the format" in result.stderr


async def test_check_writes_nothing(store: GraphStore, cli_flags: list[str], tmp_path: Path) -> None:
    await seed(store)
    path = write_file(tmp_path / "bad.jsonl", BAD_FILE)
    result = await run_import([str(path), "--what", "interactions", "--check", *cli_flags])
    assert result.exit_code == 1 and "line 3: initiator_id" in result.stderr
    good = write_file(tmp_path / "good.jsonl", BAD_FILE.splitlines()[0] + "\n")
    result = await run_import([str(good), "--what", "interactions", "--check", *cli_flags])
    assert result.exit_code == 0 and "Checked 1 interactions" in result.stderr and "all good" in result.stderr
    assert await export_text(store, "interactions", "jsonl") == EXPECTED_JSONL["interactions"]


def test_bench_files_import_cleanly(tmp_path: Path) -> None:
    from relgraph.transfer.bench import write_files
    from relgraph.transfer import read_batches

    people, events = write_files(tmp_path, 300, 20)
    assert all(not isinstance(item, str) for batch in read_batches(events, "interactions") for _, item in batch)
    assert sum(len(b) for b in read_batches(people, "stakeholders")) == 20
