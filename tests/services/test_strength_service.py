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


DECAY_1D = 2 ** (-1 / 90)  # one day of a 90-day half-life
D_1D = 1 - math.exp(-1 / 365)  # duration after one day


@pytest.mark.parametrize(
    ("history", "band", "expected"),
    [
        # one e-mail a day ago: 1 one way, r = 0
        ([contact(1, "me", "you", 1, "EMAIL")], HealthBand.POOR,
         (1 - math.exp(-1 * DECAY_1D / 6)) * 0.6 * (0.8 + 0.2 * D_1D)),  # 0.0732
        # one meeting a day ago: 3 one way and 1.5 answered, r = 2 * 1.5 / 4.5
        ([contact(1, "me", "you", 1)], HealthBand.FAIR,
         (1 - math.exp(-4.5 * DECAY_1D / 6)) * (0.6 + 0.4 * 2 / 3) * (0.8 + 0.2 * D_1D)),  # 0.3642
        # a meeting each way a day ago: 3 + 1.5 per direction, r = 1
        (both_ways("MEETING", 1), HealthBand.GOOD, (1 - math.exp(-9 * DECAY_1D / 6)) * (0.8 + 0.2 * D_1D)),  # 0.6199
        # two meetings each way and a 400-day-old e-mail (a long tie): 0.89
        (both_ways("MEETING", 2) + [contact(0, "me", "you", 400, "EMAIL")], HealthBand.EXCELLENT, None),
    ],
)
async def test_health_bands(people: GraphStore, history: list[dict[str, Any]], band: HealthBand,
                            expected: float | None) -> None:
    await people.record_interactions(history)
    report = await strength.between(people, "me", "you", NOW)
    assert report.breakdown.health is band
    if expected is not None:
        assert math.isclose(report.breakdown.strength, expected, rel_tol=1e-9)


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
    """E-mails nobody answers count only where they were started: r = 0."""
    await people.record_interactions([contact(n, "me", "you", n * 3, "EMAIL") for n in range(15)])
    report = await strength.between(people, "me", "you", NOW)
    assert report.breakdown.reciprocity == 0.0 and report.breakdown.intensity_ba == 0.0
    assert report.channel is ChannelState.BLOCKED and report.reasons == ("ONE_WAY",)


async def test_calls_we_start_are_answered_exchanges(people: GraphStore) -> None:
    """Calls only we start: each adds 2 our way and 1 theirs (the other side took part), so
    r = 2 * 1 / 3 = 0.667 whatever their number and timing: the channel is open."""
    await people.record_interactions([contact(n, "me", "you", n * 3, "CALL") for n in range(15)])
    report = await strength.between(people, "me", "you", NOW)
    assert math.isclose(report.breakdown.intensity_ba, report.breakdown.intensity_ab / 2, rel_tol=1e-12)
    assert math.isclose(report.breakdown.reciprocity, 2 / 3, rel_tol=1e-12)
    assert report.channel is ChannelState.OPEN and report.reasons == ()


async def test_a_customer_that_only_orders_from_us_is_an_open_channel(store: GraphStore) -> None:
    """An order is answered by its delivery: one order of sentiment 0 gives 2 from the buyer
    and 1 back, r = 2/3, S = (1 - e^(-3/6)) * (0.6 + 0.4 * 2/3) * 0.8 at its own time."""
    await store.upsert_stakeholders([
        {"id": "us", "kind": "EMPLOYEE", "form": "ORGANIZATION", "name": "Us", "is_us": True},
        {"id": "buyer", "kind": "CUSTOMER", "form": "ORGANIZATION", "name": "Buyer"},
    ])
    await store.upsert_relationships([{"id": "bf", "type": "BUYS_FROM", "from_id": "buyer", "to_id": "us",
                                       "started_at": NOW - timedelta(days=30)}])
    await store.record_interactions([{"type": "ORDER", "initiator_id": "buyer", "participant_ids": ["us"],
                                      "at": NOW, "sentiment": 0.0, "value": 100.0}])
    report = await strength.between(store, "buyer", "us", NOW)
    b = report.breakdown
    assert (report.a, report.b) == ("buyer", "us") and (b.intensity_ab, b.intensity_ba) == (2.0, 1.0)
    assert math.isclose(b.strength, (1 - math.exp(-3 / 6)) * (0.6 + 0.4 * 2 / 3) * 0.8, rel_tol=1e-12)  # 0.2729
    assert report.channel is ChannelState.OPEN


async def test_falling_strength_blocks_the_channel(people: GraphStore) -> None:
    # a meeting each way 110 days ago: 9 in all then, balanced;
    # S(20 d) = (1 - e^(-9 * 2^(-20/90) / 6)) * (0.8 + 0.2 (1 - e^(-20/365))) = 0.5866,
    # S(110 d) = 0.4041: -31 % over the 90-day window, past the 30 % of BLOCKED
    await people.record_interactions(both_ways("MEETING", 1, days_ago=110))
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


# -- communication ties ------------------------------------------------------------------------


async def test_a_structural_only_pair_has_no_channel(people: GraphStore) -> None:
    """WORKS_FOR says who is what to whom; a pair joined only by it, that never interacted,
    has no channel. Once the two talk, or a communicating relationship joins them, it does."""
    await people.upsert_stakeholders([{"id": "org", "kind": "CUSTOMER", "form": "ORGANIZATION", "name": "Org"}])
    await people.upsert_relationships([
        {"id": "w", "type": "WORKS_FOR", "from_id": "you", "to_id": "org", "started_at": NOW - timedelta(days=100)},
        {"id": "r", "type": "REPORTS_TO", "from_id": "them", "to_id": "you", "started_at": NOW - timedelta(days=100),
         "ended_at": NOW - timedelta(days=5)},
    ])
    report = await strength.between(people, "you", "org", NOW)
    assert report.channel is None and report.reasons == () and report.breakdown.strength == 0.0
    assert (await strength.between(people, "them", "you", NOW)).channel is None  # ended, still no channel
    assert (await strength.between(people, "me", "them", NOW)).channel is None  # nothing at all
    await people.upsert_relationships([
        {"id": "k", "type": "KNOWS", "from_id": "you", "to_id": "org", "started_at": NOW - timedelta(days=10)}])
    known = await strength.between(people, "you", "org", NOW)
    assert known.channel is ChannelState.BROKEN and known.reasons == ("SILENT", "WEAK")  # a channel never used
    assert (await strength.between(people, "you", "org", NOW - timedelta(days=20))).channel is None  # before KNOWS
    await people.record_interactions([contact(1, "them", "you", 1)])  # they talk now: a channel of their own
    talk = await strength.between(people, "them", "you", NOW)
    assert talk.channel is ChannelState.OPEN and not talk.ended  # the ended REPORTS_TO is no channel to end


async def test_a_channel_ends_when_every_communicating_relationship_ended(people: GraphStore) -> None:
    """ENDED: every communicating relationship of the pair ended; an active structural record
    beside them does not keep the channel open, an ended one beside an active KNOWS does not end it."""
    await people.record_interactions([contact(n, "me" if n % 2 else "you", "you" if n % 2 else "me", n) for n in range(10)])
    start = NOW - timedelta(days=500)
    await people.upsert_relationships([
        {"id": "k", "type": "KNOWS", "from_id": "me", "to_id": "you", "started_at": start, "ended_at": NOW - timedelta(days=3)},
        {"id": "c", "type": "COLLEAGUE_OF", "from_id": "me", "to_id": "you", "started_at": start},
    ])
    report = await strength.between(people, "me", "you", NOW)
    assert report.channel is ChannelState.BROKEN and report.reasons == ("ENDED",)
    assert await people.ended_pairs() == {("me", "you")}
    await people.upsert_relationships([
        {"id": "m", "type": "MANAGES_ACCOUNT", "from_id": "me", "to_id": "you", "started_at": NOW - timedelta(days=2)}])
    assert (await strength.between(people, "me", "you", NOW)).channel is ChannelState.OPEN
    assert await people.ended_pairs() == set()
