"""Each recorded interaction keeps its pairs' running strength, exactly, on both backends."""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta, timezone

import pytest

from relgraph.domain.enums import InteractionType
from relgraph.scoring.strength import PairState, explain, replay
from relgraph.store.graph_store import GraphStore

T0 = datetime(2025, 1, 1, tzinfo=timezone.utc)
PEOPLE = ["ann", "bob", "cai", "dee"]


def close(x: float, y: float) -> bool:
    return math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-12)


def assert_same_state(kept: PairState, replayed: PairState) -> None:
    assert close(kept.intensity_ab, replayed.intensity_ab)
    assert close(kept.intensity_ba, replayed.intensity_ba)
    assert (kept.last_ab_ms, kept.last_ba_ms, kept.first_ms, kept.last_ms, kept.count, kept.sentiment_count) == (
        replayed.last_ab_ms, replayed.last_ba_ms, replayed.first_ms, replayed.last_ms, replayed.count, replayed.sentiment_count
    )
    assert close(kept.sentiment_sum, replayed.sentiment_sum)


@pytest.mark.parametrize("seed", [1, 2])
async def test_incremental_ties_equal_a_full_replay(store: GraphStore, seed: int) -> None:
    rng = random.Random(seed)
    await store.upsert_stakeholders([{"id": p, "kind": "CUSTOMER", "form": "PERSON", "name": p} for p in PEOPLE])
    interactions = []
    for n in range(80):
        initiator = rng.choice(PEOPLE)
        others = rng.sample([p for p in PEOPLE if p != initiator], rng.randint(1, 2))
        interactions.append({
            "id": f"i{n}", "type": rng.choice(list(InteractionType)).value, "initiator_id": initiator,
            "participant_ids": others, "at": T0 + timedelta(hours=rng.randrange(24 * 700)),
            "sentiment": rng.choice([None, round(rng.uniform(-1, 1), 3)]),
        })
    rng.shuffle(interactions)  # late arrivals on purpose
    start = 0
    while start < len(interactions):
        size = rng.randint(1, 15)
        await store.record_interactions(interactions[start : start + size])
        start += size
    await store.record_interactions(interactions[:10])  # retries change nothing

    pairs = [(a, b) for i, a in enumerate(PEOPLE) for b in PEOPLE[i + 1 :]]
    kept = await store.ties(pairs)
    assert kept, "no pair state was kept"
    far = T0 + timedelta(days=2000)
    for a, b in pairs:
        history = await store.pair_history(a, b, far)
        if not history:
            assert (a, b) not in kept
            continue
        assert_same_state(kept[(a, b)], replay(history))
        now_ms = int(far.timestamp() * 1000)
        assert close(explain(kept[(a, b)], now_ms).strength, explain(replay(history), now_ms).strength)


async def test_one_meeting_gives_the_reference_strength(store: GraphStore) -> None:
    """A meeting bob started: 3 from bob to ann, and half of it (1.5) answered by ann, in the
    same write; r = 2 * 1.5 / 4.5, S = (1 - e^(-4.5/6)) * (0.6 + 0.4 r) * 0.8."""
    await store.upsert_stakeholders([{"id": p, "kind": "CUSTOMER", "form": "PERSON", "name": p} for p in PEOPLE])
    await store.record_interactions([{"type": "MEETING", "initiator_id": "bob", "participant_ids": ["ann"], "at": T0}])
    state = (await store.ties([("ann", "bob")]))[("ann", "bob")]
    at = int(T0.timestamp() * 1000)
    assert (state.intensity_ba, state.intensity_ab) == (3.0, 1.5)
    assert state.last_ab_ms == state.last_ba_ms == at and state.count == 1
    assert close(explain(state, at).strength, (1 - math.exp(-4.5 / 6)) * (0.6 + 0.4 * 2 / 3) * 0.8)  # 0.3658


async def test_an_email_stays_one_way_in_the_store(store: GraphStore) -> None:
    """An email counts only where it was started: 1 from ann to bob, nothing back."""
    await store.upsert_stakeholders([{"id": p, "kind": "CUSTOMER", "form": "PERSON", "name": p} for p in PEOPLE])
    await store.record_interactions([{"type": "EMAIL", "initiator_id": "ann", "participant_ids": ["bob"], "at": T0}])
    state = (await store.ties([("ann", "bob")]))[("ann", "bob")]
    assert (state.intensity_ab, state.intensity_ba, state.last_ba_ms) == (1.0, 0.0, None)
    # a later call bob starts: 2 from bob, 1 answered by ann, folded into the kept state
    later = T0 + timedelta(days=90)
    await store.record_interactions([{"type": "CALL", "initiator_id": "bob", "participant_ids": ["ann"], "at": later}])
    state = (await store.ties([("ann", "bob")]))[("ann", "bob")]
    assert close(state.intensity_ab, 1.0 * 0.5 + 1.0) and close(state.intensity_ba, 2.0)
