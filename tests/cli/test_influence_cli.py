"""`relgraph influence refresh` writes influence back onto the stakeholders."""

from __future__ import annotations

import asyncio

from click.testing import CliRunner

from relgraph.cli import main
from relgraph.store.embedded import EmbeddedFalkorDB
from relgraph.store.falkordb_runner import FalkorRunner
from relgraph.store.graph_store import GraphStore


def test_influence_refresh_writes_scores(falkordb_server: EmbeddedFalkorDB) -> None:
    async def seed() -> None:
        store = GraphStore(FalkorRunner(unix_socket_path=str(falkordb_server.socket_path), graph="cli_influence"))
        await store.setup()
        await store.runner.clear()
        await store.upsert_stakeholders([{"id": p, "kind": "CUSTOMER", "form": "PERSON", "name": p} for p in "abc"])
        await store.record_interactions([
            {"type": "MEETING", "initiator_id": "a", "participant_ids": ["b", "c"], "at": "2026-11-01T10:00:00Z"},
        ])
        await store.close()

    async def scores() -> dict[str, float]:
        store = GraphStore(FalkorRunner(unix_socket_path=str(falkordb_server.socket_path), graph="cli_influence"))
        rows = await store.runner.read("MATCH (s:Stakeholder) RETURN s.id AS id, s.influence_score AS score")
        await store.close()
        return {r["id"]: r["score"] for r in rows}

    asyncio.run(seed())
    result = CliRunner().invoke(
        main, ["influence", "refresh", "--falkordb-url", f"unix://{falkordb_server.socket_path}", "--graph", "cli_influence"]
    )
    assert result.exit_code == 0, result.output
    assert "Influence refreshed: 3 stakeholders" in result.output and "relationships left out" in result.output
    written = asyncio.run(scores())
    assert written["a"] > written["b"] > 0 and abs(sum(written.values()) - 1.0) < 1e-6
