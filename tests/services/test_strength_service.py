"""Strength, health, channel state, trend and roll-up, on real stores (DOMAIN.md §2)."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from relgraph.domain.enums import ChannelState, HealthBand
from relgraph.services import strength
from relgraph.store.graph_store import GraphStore

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)


def person(id: str, kind: str = "CUSTOMER") -> dict[str, Any]:
    return {"id": id, "kind": kind, "form": "PERSON", "name": id}


def contact(n: int, who: str, other: str, days_ago: float, kind: str = "MEETING", sentiment: float | None = 0.0) -> dict[str, Any]:
    return {"id": f"{who}-{other}-{n}-{days_ago}", "type": kind, "initiator_id": who, "participant_ids": [other],
            "at": NOW - timedelta(days=days_ago), "sentiment": sentiment}


@pytest.fixture
async def people(store: GraphStore) -> GraphStore:
    await store.upsert_stakeholders([person("me", "EMPLOYEE"), person("you"), person("them")])
    return store


async def test_two_way_long_regular_contact_is_open_and_excellent(people: GraphStore) -> None:
    history = [contact(n, "me" if n % 2 else "you", "you" if n % 2 else "me", n * 7) for n in range(60)]
    await people.record_interactions(history)
    report = await strength.between(people, "me", "you", NOW)
    assert report.channel is ChannelState.OPEN and report.reasons == ()
    assert report.breakdown.health is HealthBand.EXCELLENT
    assert report.breakdown.reciprocity > 0.9


def both_ways(kind: str, times: int, days_ago: float = 1) -> list[dict[str, Any]]:
    return [contact(n, w, o, days_ago + n / 10, kind) for n in range(times) for w, o in (("me", "you"), ("you", "me"))]


@pytest.mark.parametrize(
    ("history", "band"),
    [
        ([contact(1, "me", "you", 1)], HealthBand.POOR),  # one meeting: 0.19
        (both_ways("CALL", 1), HealthBand.FAIR),  # a call each way: 0.39
        (both_ways("MEETING", 2), HealthBand.GOOD),  # two meetings each way: 0.69
        (both_ways("MEETING", 2) + [contact(0, "me", "you", 400, "EMAIL")], HealthBand.EXCELLENT),  # and a long tie: 0.81
    ],
)
async def test_health_bands(people: GraphStore, history: list[dict[str, Any]], band: HealthBand) -> None:
    await people.record_interactions(history)
    assert (await strength.between(people, "me", "you", NOW)).breakdown.health is band


async def test_silence_of_two_half_lives_breaks_the_channel(people: GraphStore) -> None:
    await people.record_interactions([contact(n, "me" if n % 2 else "you", "you" if n % 2 else "me", 200 + n) for n in range(10)])
    report = await strength.between(people, "me", "you", NOW)
    assert report.channel is ChannelState.BROKEN and "SILENT" in report.reasons


async def test_an_ended_relationship_breaks_the_channel(people: GraphStore) -> None:
    await people.record_interactions([contact(n, "me" if n % 2 else "you", "you" if n % 2 else "me", n) for n in range(10)])
    await people.relate({"id": "k", "type": "KNOWS", "from_id": "me", "to_id": "you", "started_at": NOW - timedelta(days=500)})
    await people.end_relationship("k", at=NOW - timedelta(days=1))
    report = await strength.between(people, "me", "you", NOW)
    assert report.channel is ChannelState.BROKEN and "ENDED" in report.reasons and report.ended


async def test_a_weak_tie_is_broken(people: GraphStore) -> None:
    await people.record_interactions([contact(1, "me", "you", 1, "EMAIL", -1.0)])
    report = await strength.between(people, "me", "you", NOW)
    assert report.breakdown.strength < 0.05
    assert report.channel is ChannelState.BROKEN and "WEAK" in report.reasons


async def test_one_way_contact_blocks_the_channel(people: GraphStore) -> None:
    await people.record_interactions([contact(n, "me", "you", n * 3, "CALL") for n in range(15)])
    report = await strength.between(people, "me", "you", NOW)
    assert report.breakdown.reciprocity == 0.0
    assert report.channel is ChannelState.BLOCKED and "ONE_WAY" in report.reasons


async def test_falling_strength_blocks_the_channel(people: GraphStore) -> None:
    await people.record_interactions(both_ways("MEETING", 1, days_ago=100))  # 0.48 then, 0.30 now
    report = await strength.between(people, "me", "you", NOW)
    assert report.trend.delta_90d < 0
    assert report.channel is ChannelState.BLOCKED and "FALLING" in report.reasons


async def test_an_overdue_complaint_blocks_the_channel(people: GraphStore) -> None:
    await people.record_interactions([contact(n, "me" if n % 2 else "you", "you" if n % 2 else "me", n * 5) for n in range(20)])
    assert (await strength.between(people, "me", "you", NOW)).channel is ChannelState.OPEN
    await people.file_complaint({"stakeholder_id": "you", "channel": "PHONE", "category": "delivery", "received_at": NOW - timedelta(days=10)})
    report = await strength.between(people, "me", "you", NOW)
    assert report.channel is ChannelState.BLOCKED and "OVERDUE_COMPLAINT" in report.reasons


async def test_as_of_now_equals_current_and_the_past_ignores_later_events(people: GraphStore) -> None:
    await people.record_interactions([contact(n, "me" if n % 3 else "you", "you" if n % 3 else "me", n * 4) for n in range(25)])
    now = datetime.now(timezone.utc)
    current = (await strength.current(people, [("you", "me")], now))[("me", "you")]
    as_of = await strength.between(people, "you", "me", now)
    assert math.isclose(current.strength, as_of.breakdown.strength, rel_tol=1e-9)
    past = await strength.between(people, "me", "you", NOW - timedelta(days=50))
    await people.record_interactions([contact(1, "you", "me", 10, "VISIT")])
    assert (await strength.between(people, "me", "you", NOW - timedelta(days=50))).breakdown == past.breakdown


async def test_assessed_strength_is_kept_beside_the_computed_one(people: GraphStore) -> None:
    await people.relate({"id": "k", "type": "KNOWS", "from_id": "me", "to_id": "you", "started_at": NOW - timedelta(days=30)})
    await people.record_interactions([contact(1, "me", "you", 2)])
    computed = (await strength.between(people, "me", "you", NOW)).breakdown.strength
    rel = await people.assess_relationship("k", 0.9, by="analyst", at=NOW - timedelta(days=1))
    assert rel.assessed_strength == 0.9 and rel.assessed_by == "analyst"
    report = await strength.between(people, "me", "you", NOW)
    assert report.assessed == 0.9 and report.breakdown.strength == computed
    assert (await strength.between(people, "me", "you", NOW - timedelta(days=2))).assessed is None


async def test_account_strength_rolls_up_and_flags_single_threading(store: GraphStore) -> None:
    await store.upsert_stakeholders([
        {"id": "us", "kind": "EMPLOYEE", "form": "ORGANIZATION", "name": "Us", "is_us": True},
        person("e1", "EMPLOYEE"), person("e2", "EMPLOYEE"),
        {"id": "acme", "kind": "CUSTOMER", "form": "ORGANIZATION", "name": "Acme"},
        person("c1"), person("c2"),
    ])
    await store.upsert_relationships([
        {"type": "WORKS_FOR", "from_id": "e1", "to_id": "us"}, {"type": "WORKS_FOR", "from_id": "e2", "to_id": "us"},
        {"type": "WORKS_FOR", "from_id": "c1", "to_id": "acme", "role": "DECISION_MAKER"},
        {"type": "WORKS_FOR", "from_id": "c2", "to_id": "acme", "role": "USER"},
    ])
    recent = datetime.now(timezone.utc)
    rows = [{"type": "MEETING", "initiator_id": w, "participant_ids": [o], "at": recent - timedelta(days=n)}
            for n in range(12) for w, o in (("e1", "c1"), ("c1", "e1"))]
    rows.append({"type": "EMAIL", "initiator_id": "e2", "participant_ids": ["c2"], "at": recent - timedelta(days=3)})
    rows.append({"type": "ORDER", "initiator_id": "acme", "participant_ids": ["us"], "at": recent - timedelta(days=5), "value": 100.0})
    await store.record_interactions(rows)
    rolled = await strength.account(store, "acme")
    assert rolled.top_employee_id == "e1" and rolled.single_threaded
    assert set(rolled.by_employee) == {"e1", "e2"} and rolled.organization_level > 0
    assert max(rolled.by_employee.values()) <= rolled.strength <= 1.0
