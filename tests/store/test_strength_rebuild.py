"""`rebuild_ties` replays the history under new strength parameters (both backends)."""

from __future__ import annotations

import asyncio
import math
import random
from datetime import datetime, timedelta, timezone

from click.testing import CliRunner

from relgraph.cli import main
from relgraph.scoring.strength import StrengthParams, pair_events, replay
from relgraph.store.embedded import EmbeddedFalkorDB
from relgraph.store.falkordb_runner import FalkorRunner
from relgraph.store.graph_store import GraphStore

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)
PEOPLE = ["ann", "bob", "cat", "dan"]


def history(count: int = 40) -> list[dict[str, object]]:
    rng = random.Random(11)
    return [
        {"id": f"i{n}", "type": rng.choice(["MEETING", "EMAIL", "CALL", "COMPLAINT"]),
         "initiator_id": (pair := rng.sample(PEOPLE, 2))[0], "participant_ids": [pair[1]],
         "at": NOW - timedelta(days=rng.uniform(0, 300)), "sentiment": rng.choice([None, -0.5, 0.5])}
        for n in range(count)
    ]


def expected_states(params: StrengthParams) -> dict[tuple[str, str], object]:
    """Each pair's state replayed from the source rows under `params`."""
    events: dict[tuple[str, str], list] = {}
    for item in history():
        at_ms = int(item["at"].timestamp() * 1000)  # type: ignore[union-attr]
        for pair, event in pair_events(item["type"], at_ms, item["initiator_id"], item["participant_ids"],
                                       item["sentiment"], params):
            events.setdefault(pair, []).append(event)
    return {pair: replay(evs, params) for pair, evs in events.items()}


async def test_rebuild_replays_under_the_new_half_life(store: GraphStore) -> None:
    await store.upsert_stakeholders([{"id": p, "kind": "CUSTOMER", "form": "PERSON", "name": p} for p in PEOPLE])
    await store.record_interactions(history())
    faster = StrengthParams(half_life_days=30)
    rebuilt = GraphStore(store.runner, strength=faster)
    old = dict(((a, b), s) for a, b, s in await store.all_ties())
    assert await rebuilt.rebuild_ties() == len(old)
    new = {(a, b): s for a, b, s in await rebuilt.all_ties()}
    wanted = expected_states(faster)
    assert new.keys() == wanted.keys() == old.keys()
    for pair, state in new.items():
        assert math.isclose(state.intensity_ab, wanted[pair].intensity_ab, rel_tol=1e-9, abs_tol=1e-12)  # type: ignore[attr-defined]
        assert math.isclose(state.intensity_ba, wanted[pair].intensity_ba, rel_tol=1e-9, abs_tol=1e-12)  # type: ignore[attr-defined]
        assert state.count == old[pair].count
    assert any(new[p].intensity_ab < old[p].intensity_ab for p in new), "a shorter half-life decays more"


def test_strength_rebuild_command(falkordb_server: EmbeddedFalkorDB) -> None:
    async def seed() -> None:
        store = GraphStore(FalkorRunner(unix_socket_path=str(falkordb_server.socket_path), graph="cli_rebuild"))
        await store.setup()
        await store.runner.clear()
        await store.upsert_stakeholders([{"id": p, "kind": "CUSTOMER", "form": "PERSON", "name": p} for p in PEOPLE])
        await store.record_interactions(history())
        await store.close()

    asyncio.run(seed())
    result = CliRunner().invoke(main, [
        "strength", "rebuild", "--falkordb-url", f"unix://{falkordb_server.socket_path}", "--graph", "cli_rebuild",
        "--strength-half-life-days", "30",
    ])
    assert result.exit_code == 0, result.output
    assert "Strength rebuilt: 6 pairs replayed" in result.output
