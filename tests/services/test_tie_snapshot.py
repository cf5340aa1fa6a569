"""Whole-network strength views read the ties once per network version, and stay exact."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from typing import Any

from relgraph.domain.time import to_ms
from relgraph.scoring import strength as scoring
from relgraph.services import strength
from relgraph.scoring import tie_columns as columns
from relgraph.services.tie_snapshot import tie_snapshot
from relgraph.store.graph_store import GraphStore

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)
PEOPLE = [f"p{i:02d}" for i in range(12)]


def contact(n: int, who: str, other: str, days_ago: float) -> dict[str, Any]:
    return {"id": f"c{n}", "type": "MEETING", "initiator_id": who, "participant_ids": [other],
            "at": NOW - timedelta(days=days_ago)}


async def seed(store: GraphStore, seed: int = 3, count: int = 160) -> None:
    rng = random.Random(seed)
    await store.upsert_stakeholders([{"id": p, "kind": "CUSTOMER", "form": "PERSON", "name": p} for p in PEOPLE])
    history = [contact(n, *rng.sample(PEOPLE, 2), rng.uniform(0, 400)) for n in range(count)]
    await store.record_interactions(history)


async def test_the_snapshot_is_reused_until_a_write(store: GraphStore) -> None:
    await seed(store)
    first = await tie_snapshot(store)
    assert await tie_snapshot(store) is first
    await store.record_interactions([contact(999, "p00", "p01", 0)])
    second = await tie_snapshot(store)
    assert second is not first
    assert second.state(("p00", "p01")).count == first.state(("p00", "p01")).count + 1


async def test_ranked_ties_sort_every_tie_by_its_explained_strength(store: GraphStore) -> None:
    await seed(store)
    at_ms = to_ms(NOW)
    everything = {(a, b): scoring.explain(s, at_ms, store.strength_params).strength for a, b, s in await store.all_ties()}
    expected = sorted(everything, key=lambda p: (-everything[p], p))[:10]
    ranked = await strength.ranked_ties(store, first=10, at=NOW)
    assert [t.pair for t in ranked] == expected
    assert [t.breakdown.strength for t in ranked] == [everything[p] for p in expected]
    weakest = await strength.ranked_ties(store, first=5, descending=False, min_strength=0.1, at=NOW)
    assert [t.pair for t in weakest] == sorted((p for p in everything if everything[p] >= 0.1),
                                               key=lambda p: (everything[p], p))[:5]


async def test_deteriorating_equals_winding_every_tie_back(store: GraphStore) -> None:
    await seed(store)
    params = store.strength_params
    at_ms = to_ms(NOW)
    then_ms = at_ms - 90 * scoring.MS_PER_DAY
    recent = await store.recent_events(NOW - timedelta(days=90))
    drops = []
    for a, b, state in await store.all_ties():
        i_ab, i_ba, first = scoring.rewind(state, recent.get((a, b), ()), then_ms, params)
        then = scoring.strength_from(i_ab, i_ba, first, then_ms, params)
        now = scoring.explain(state, at_ms, params).strength
        if now < then:
            drops.append(((a, b), now - then))
    drops.sort(key=lambda d: (d[1], d[0]))
    found = await strength.deteriorating(store, 90, 8, at=NOW)
    assert len(drops) > 8, "the seed network must have ties that fell"
    assert [(c.a, c.b) for c in found] == [p for p, _ in drops[:8]]
    for change, (_, expected) in zip(found, drops):
        assert abs(change.change - expected) < 1e-9


async def test_the_snapshot_catches_up_with_just_the_changed_pairs(store: GraphStore) -> None:
    await seed(store)
    first = await tie_snapshot(store)
    await store.record_interactions([contact(1000, "p00", "p01", 0), contact(1001, "p02", "p03", 1)])
    await store.upsert_stakeholders([{"id": "new", "kind": "CUSTOMER", "form": "PERSON", "name": "New"}])
    await store.record_interactions([contact(1002, "new", "p05", 2)])
    now = await store.network_version()
    assert await store.tie_changes(first.version, now) == {("p00", "p01"), ("p02", "p03"), ("new", "p05")}
    caught_up = await tie_snapshot(store)
    reread = type(caught_up).of(now, columns.TieColumns.of(await store.all_ties()))
    assert caught_up.version == now
    assert {p: caught_up.state(p) for p in caught_up.index} == {p: reread.state(p) for p in reread.index}
    at_ms = to_ms(NOW)
    ours = {p: s for p, s in zip(caught_up.columns.pairs, columns.strengths_at(caught_up.columns, at_ms, store.strength_params))}
    theirs = {p: s for p, s in zip(reread.columns.pairs, columns.strengths_at(reread.columns, at_ms, store.strength_params))}
    assert ours == theirs and caught_up.index[("new", "p05")] == len(first.columns)


async def test_a_rebuild_makes_snapshots_reread_everything(store: GraphStore) -> None:
    await seed(store)
    first = await tie_snapshot(store)
    await store.rebuild_ties()
    assert await store.tie_changes(first.version, await store.network_version()) is None
    again = await tie_snapshot(store)
    assert {p: again.state(p) for p in again.index} == {(a, b): s for a, b, s in await store.all_ties()}


async def test_ids_with_quotes_and_backslashes_read_back_exactly(store: GraphStore) -> None:
    """FalkorDB's toJSON leaves '"' and '\\' unescaped; such ids must still come back
    as they are (they once broke the snapshot, or turned `a\\b` into `a<backspace>`)."""
    odd = ['q"uote', "back\\slash", "a\\b", 'both\\"', "ünï 😀 `x`"]
    await store.upsert_stakeholders([{"id": i, "kind": "CUSTOMER", "form": "PERSON", "name": i} for i in [*odd, "plain"]])
    await store.record_interactions([contact(n, i, "plain", 1) for n, i in enumerate(odd)])
    pairs = {tuple(row[:2]) for row in await store.all_tie_rows()}
    assert pairs == {tuple(sorted((i, "plain"))) for i in odd}
    snap = await tie_snapshot(store)
    assert all(snap.state(tuple(sorted((i, "plain")))).count == 1 for i in odd)


def test_end_pairs_behave_as_the_tuple_of_pairs_they_name() -> None:
    import numpy as np

    from relgraph.services.tie_snapshot import EndPairs

    ids = ["a", "b", "c", "d"]
    pairs = EndPairs(ids, np.array([0, 0, 2]), np.array([1, 3, 3]))
    expected = (("a", "b"), ("a", "d"), ("c", "d"))
    assert len(pairs) == 3 and pairs == expected and expected == pairs
    assert tuple(pairs) == expected and list(pairs) == list(expected)
    assert pairs[1] == ("a", "d") and pairs[:2] == expected[:2] and pairs[-1] == ("c", "d")
    assert pairs != expected[:2] and pairs == EndPairs(ids, np.array([0, 0, 2]), np.array([1, 3, 3]))
    assert dict(zip(pairs, range(3)))[("c", "d")] == 2
