"""`rebuild_ties` replays the history under new strength parameters (both backends)."""

from __future__ import annotations

import asyncio
import math
import random
from datetime import datetime, timedelta, timezone

from click.testing import CliRunner

from relgraph.cli import main
from relgraph.scoring.strength import STRENGTH_RULE_VERSION, StrengthParams, pair_events, replay
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


async def test_a_store_built_under_the_one_way_rule_is_rebuilt_at_start(store: GraphStore) -> None:
    """States written before exchanges ran both ways (rule 1: every weight only where it was
    started) are replayed under the current rule when the store starts, once."""
    await store.upsert_stakeholders([{"id": p, "kind": "CUSTOMER", "form": "PERSON", "name": p} for p in PEOPLE])
    await store.record_interactions(history())
    assert await store.strength_rule_version() is None  # the fixture cleared the stamp with the graph
    wanted = expected_states(store.strength_params)
    old_rule = {}
    for pair, state in wanted.items():
        events = [(d, w, t, s, 0.0) for d, w, t, s, _ in _events_of(pair, store.strength_params)]
        old_rule[pair] = replay(events, store.strength_params)
    rows = [[a, b, s.intensity_ab, s.last_ab_ms, s.intensity_ba, s.last_ba_ms, s.first_ms, s.last_ms, s.count,
             s.sentiment_sum, s.sentiment_count] for (a, b), s in old_rule.items()]
    await store.runner.write(store.cypher.query("ties_rebuild"), {"pairs": rows})
    await store.runner.write(store.cypher.query("strength_rule_set"), {"version": 1})
    assert any(old_rule[p].intensity_ab != wanted[p].intensity_ab or old_rule[p].intensity_ba != wanted[p].intensity_ba
               for p in wanted), "the history holds exchanges"

    await store.setup()  # what every start runs

    assert await store.strength_rule_version() == STRENGTH_RULE_VERSION
    kept = {(a, b): s for a, b, s in await store.all_ties()}
    assert kept.keys() == wanted.keys()
    for pair, state in kept.items():
        assert math.isclose(state.intensity_ab, wanted[pair].intensity_ab, rel_tol=1e-9, abs_tol=1e-12)  # type: ignore[attr-defined]
        assert math.isclose(state.intensity_ba, wanted[pair].intensity_ba, rel_tol=1e-9, abs_tol=1e-12)  # type: ignore[attr-defined]
    assert await store.upgrade_strength_rule() is None  # current: nothing to do


def _events_of(pair: tuple[str, str], params: StrengthParams) -> list:
    events = []
    for item in history():
        at_ms = int(item["at"].timestamp() * 1000)  # type: ignore[union-attr]
        for p, event in pair_events(item["type"], at_ms, item["initiator_id"], item["participant_ids"],
                                    item["sentiment"], params):
            if p == pair:
                events.append(event)
    return events


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
