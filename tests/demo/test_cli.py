"""`relgraph demo` end to end, on a fresh embedded FalkorDB."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from pathlib import Path

from click.testing import CliRunner

from relgraph.cli import main
from relgraph.config import Settings
from relgraph.demo import generate


async def _influence_computed_at(data_dir: str) -> int | None:
    from relgraph.store.factory import open_store

    async with open_store(Settings(data_dir=Path(data_dir))) as store:
        return await store.influence_computed_at()


def test_demo_command_loads_once_and_respects_if_empty(tmp_path: Path, monkeypatch) -> None:
    for name in ("RELGRAPH_NEO4J_URI", "RELGRAPH_FALKORDB_URL", "RELGRAPH_DEMO_SIZE", "RELGRAPH_DEMO_SEED"):
        monkeypatch.delenv(name, raising=False)
    runner = CliRunner()
    data_dir = str(tmp_path / "data")
    result = runner.invoke(main, ["demo", "--size", "tiny", "--seed", "3", "--data-dir", data_dir,
                                  "--as-of", "2026-06-01T09:30:00"])
    assert result.exit_code == 0, result.output
    counts = generate(3, "tiny", end=datetime(2026, 6, 1, 9, 30, tzinfo=timezone.utc)).counts()
    assert "Loaded the tiny demo network (seed 3, history up to 2026-06-01 09:30 UTC) into falkordb" in result.output
    assert f"stakeholders{counts['stakeholders']:>{12 + 22 - len('stakeholders')},}" in result.output
    assert f"{counts['interactions']:,}" in result.output
    # the demo arrives with influence computed: topInfluencers and the key-account criterion answer at once
    assert f"Influence computed for {counts['stakeholders']:,} stakeholders" in result.output
    assert asyncio.run(_influence_computed_at(data_dir)) is not None

    again = runner.invoke(main, ["demo", "--size", "tiny", "--seed", "3", "--data-dir", data_dir, "--if-empty"])
    assert again.exit_code == 0, again.output
    assert "nothing loaded" in again.output


def test_demo_command_refuses_unknown_sizes() -> None:
    result = CliRunner().invoke(main, ["demo", "--size", "huge"])
    assert result.exit_code == 2
    assert "huge" in result.output
