"""Strength over GraphQL: relationship scores, `strength(between:, and:)`, roll-up, assessment."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from relgraph.scoring.strength import explain, replay
from relgraph.services.strength import between

from .support import Api

NOW = datetime.now(timezone.utc)


def meeting(n: int, who: str, other: str, days_ago: float, kind: str = "MEETING") -> dict[str, Any]:
    return {"id": f"m{n}", "type": kind, "initiator_id": who, "participant_ids": [other], "at": NOW - timedelta(days=days_ago)}


@pytest.fixture
async def tie(api: Api) -> Api:
    store = api.store
    await store.upsert_stakeholders([
        {"id": "us", "kind": "EMPLOYEE", "form": "ORGANIZATION", "name": "Us", "is_us": True},
        {"id": "emp", "kind": "EMPLOYEE", "form": "PERSON", "name": "Emma"},
        {"id": "acme", "kind": "CUSTOMER", "form": "ORGANIZATION", "name": "Acme"},
        {"id": "ann", "kind": "CUSTOMER", "form": "PERSON", "name": "Ann"},
    ])
    await store.upsert_relationships([
        {"id": "w1", "type": "WORKS_FOR", "from_id": "emp", "to_id": "us"},
        {"id": "w2", "type": "WORKS_FOR", "from_id": "ann", "to_id": "acme", "role": "DECISION_MAKER"},
        {"id": "k1", "type": "KNOWS", "from_id": "emp", "to_id": "ann", "started_at": NOW - timedelta(days=200)},
    ])
    await store.record_interactions([meeting(n, "emp" if n % 2 else "ann", "ann" if n % 2 else "emp", 3 * n + 1) for n in range(8)])
    return api


async def test_relationship_carries_its_strength(tie: Api) -> None:
    data = await tie.data(
        "{ relationship(id: \"k1\") { strength health reciprocity channelState channelReasons"
        " trend { now delta30d delta90d } breakdown { strength intensity reciprocity duration recencyDays health } } }"
    )
    rel = data["relationship"]
    report = await between(tie.store, "emp", "ann")
    assert math.isclose(rel["strength"], report.breakdown.strength, rel_tol=1e-6)
    assert math.isclose(rel["breakdown"]["strength"], rel["strength"], rel_tol=1e-6)
    assert rel["health"] == report.breakdown.health.value and rel["channelState"] == "OPEN"
    assert rel["channelReasons"] == [] and rel["reciprocity"] > 0.9
    assert rel["trend"]["delta90d"] > 0


async def test_strength_between_and_as_of(tie: Api) -> None:
    query = "query ($a: ID!, $b: ID!, $at: DateTime) { strength(between: $a, and: $b, asOf: $at) { aKey bKey strength channelState breakdown { intensityAb intensityBa } } }"
    now = (await tie.data(query, a="ann", b="emp"))["strength"]
    assert (now["aKey"], now["bKey"]) == ("ann", "emp") and now["strength"] > 0
    history = await tie.store.pair_history("ann", "emp", NOW)
    at_ms = int(NOW.timestamp() * 1000)
    assert now["strength"] == pytest.approx(explain(replay(history), at_ms).strength, rel=1e-3)
    # a year ago they had not met and KNOWS (started 200 days ago) did not join them yet: no channel
    before = (await tie.data(query, a="ann", b="emp", at=(NOW - timedelta(days=365)).isoformat()))["strength"]
    assert before["strength"] == 0.0 and before["channelState"] is None
    # 100 days ago they knew each other but had not met (the first meeting is 22 days old): a silent channel
    known = (await tie.data(query, a="ann", b="emp", at=(NOW - timedelta(days=100)).isoformat()))["strength"]
    assert known["strength"] == 0.0 and known["channelState"] == "BROKEN"


async def test_strength_between_unknown_stakeholder(tie: Api) -> None:
    error = await tie.error("{ strength(between: \"emp\", and: \"ghost\") { strength } }")
    assert error["extensions"]["code"] == "NOT_FOUND" and error["extensions"]["field"] == "and"


async def test_account_strength_rolls_up(tie: Api) -> None:
    data = await tie.data("{ accountStrength(account: \"acme\") { accountKey strength singleThreaded topEmployeeKey byEmployee { employeeKey strength } } }")
    rolled = data["accountStrength"]
    assert rolled["topEmployeeKey"] == "emp" and rolled["singleThreaded"] is True
    assert rolled["byEmployee"][0]["employeeKey"] == "emp" and rolled["strength"] > 0


async def test_assess_relationship(tie: Api) -> None:
    mutation = "mutation ($s: Float!) { assessRelationship(input: {id: \"k1\", strength: $s, by: \"analyst\"}) { relationship { assessedStrength assessedBy strength } } }"
    rel = (await tie.data(mutation, s=0.9))["assessRelationship"]["relationship"]
    assert rel["assessedStrength"] == 0.9 and rel["assessedBy"] == "analyst" and rel["strength"] != 0.9
    error = await tie.error(mutation, s=1.5)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_deteriorating_relationships_largest_drop_first(tie: Api) -> None:
    store = tie.store
    await store.upsert_stakeholders([{"id": p, "kind": "CUSTOMER", "form": "PERSON", "name": p} for p in ("old", "fading")])
    await store.record_interactions(
        [meeting(100 + n, "emp" if n % 2 else "old", "old" if n % 2 else "emp", 100 + n) for n in range(6)]
        + [meeting(200 + n, "emp" if n % 2 else "fading", "fading" if n % 2 else "emp", 100 + n) for n in range(2)]
    )
    data = await tie.data("{ deterioratingRelationships(windowDays: 90, first: 5) { aKey bKey strength strengthThen change a { name } } }")
    ties = data["deterioratingRelationships"]
    assert {(t["aKey"], t["bKey"]) for t in ties} >= {("emp", "old"), ("emp", "fading")}
    assert [t["change"] for t in ties] == sorted(t["change"] for t in ties)
    assert all(t["change"] < 0 and t["strength"] < t["strengthThen"] for t in ties)
    for t in ties:
        report = await between(store, t["aKey"], t["bKey"], NOW - timedelta(days=90))
        assert t["strengthThen"] == pytest.approx(report.breakdown.strength, rel=1e-3, abs=1e-3)
    assert ("ann", "emp") not in [(t["aKey"], t["bKey"]) for t in ties]  # rising, not falling


async def test_ties_sorted_and_filtered_by_strength(tie: Api) -> None:
    await tie.store.record_interactions([meeting(300, "emp", "acme", 1)])
    data = await tie.data("{ ties(first: 10) { aKey bKey strength health channelState channelReasons relationships { key } } }")
    strengths = [t["strength"] for t in data["ties"]]
    assert strengths == sorted(strengths, reverse=True) and len(strengths) == 2
    assert data["ties"][0]["relationships"] == [{"key": "k1"}]
    # every tie has its channel state, filtered or not: the lively emp-ann tie and the
    # single meeting with acme (answered: r = 2/3) are both open
    assert [(t["channelState"], t["channelReasons"]) for t in data["ties"]] == [("OPEN", []), ("OPEN", [])]
    # one meeting a day ago: 3 one way, 1.5 back, S = (1 - e^(-4.5 * 2^(-1/90) / 6)) * (0.6 + 0.4 * 2/3)
    # * (0.8 + 0.2 (1 - e^(-1/365))) = 0.364: FAIR
    weakest = await tie.data("{ ties(first: 10, order: WEAKEST_FIRST, health: [FAIR]) { aKey bKey health strength } }")
    assert [(t["aKey"], t["bKey"], t["health"]) for t in weakest["ties"]] == [("acme", "emp", "FAIR")]
    assert weakest["ties"][0]["strength"] == pytest.approx(0.364, abs=0.001)
    error = await tie.error("{ ties(first: 100000) { aKey } }")
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and error["extensions"]["field"] == "first"


async def test_ties_filtered_by_channel_state_agree_with_each_relationship(tie: Api) -> None:
    store = tie.store
    await store.upsert_stakeholders([{"id": p, "kind": "CUSTOMER", "form": "PERSON", "name": p} for p in ("quiet", "gone")])
    await store.record_interactions(
        [meeting(400 + n, "emp", "quiet", 2 + n, "EMAIL") for n in range(5)]  # our e-mails unanswered: ONE_WAY
        + [meeting(500, "gone", "emp", 300)]  # silent for 300 days: SILENT
    )
    data = await tie.data("{ ties(first: 10, channelState: [BLOCKED, BROKEN]) { aKey bKey channelState channelReasons } }")
    found = {(t["aKey"], t["bKey"]): (t["channelState"], t["channelReasons"]) for t in data["ties"]}
    assert found[("emp", "quiet")] == ("BLOCKED", ["ONE_WAY"])
    assert found[("emp", "gone")][0] == "BROKEN" and "SILENT" in found[("emp", "gone")][1]
    assert ("ann", "emp") not in found
    for (a, b), (state, reasons) in found.items():
        report = await between(store, a, b)
        assert report.channel is not None and (report.channel.value, list(report.reasons)) == (state, reasons)


RELATIONSHIP_CHANNELS = """{ r1: relationship(id: "%s") { key channelState channelReasons trend { delta90d } }
  r2: relationship(id: "%s") { key channelState channelReasons trend { delta90d } } }"""


async def test_two_relationships_of_one_pair_in_one_request_get_the_pair_answer(tie: Api) -> None:
    """The channel belongs to the pair: an ended COLLEAGUE_OF (a structural record) beside the
    active KNOWS between emp and ann neither ends the channel nor gets an answer of its own,
    whichever of the two the request asks for first."""
    await tie.store.upsert_relationships([{"id": "c1", "type": "COLLEAGUE_OF", "from_id": "ann", "to_id": "emp",
                                           "started_at": NOW - timedelta(days=300), "ended_at": NOW - timedelta(days=2)}])
    for first, second in (("k1", "c1"), ("c1", "k1")):
        data = await tie.data(RELATIONSHIP_CHANNELS % (first, second))
        assert (data["r1"]["key"], data["r2"]["key"]) == (first, second)
        assert data["r1"]["channelState"] == data["r2"]["channelState"] == "OPEN"
        assert data["r1"]["channelReasons"] == data["r2"]["channelReasons"] == []
        assert data["r1"]["trend"] == data["r2"]["trend"]
    # ending the KNOWS, the pair's only communicating relationship, ends the channel of both records
    await tie.store.end_relationship("k1", at=NOW - timedelta(days=1))
    for first, second in (("k1", "c1"), ("c1", "k1")):
        data = await tie.data(RELATIONSHIP_CHANNELS % (first, second))
        assert data["r1"]["channelState"] == data["r2"]["channelState"] == "BROKEN"
        assert data["r1"]["channelReasons"] == data["r2"]["channelReasons"] == ["ENDED"]


async def test_buys_from_and_a_structural_record_of_one_pair_in_one_request(tie: Api) -> None:
    """A customer organisation that buys from us and a structural record between the same
    two (a REFERRED, say): one pair, one answer. Acme never contacted us: the BUYS_FROM
    channel was never used (BROKEN, silent); the pair ann-acme, joined only by WORKS_FOR,
    has no channel at all."""
    await tie.store.upsert_relationships([
        {"id": "b1", "type": "BUYS_FROM", "from_id": "acme", "to_id": "us", "started_at": NOW - timedelta(days=50)},
        {"id": "f1", "type": "REFERRED", "from_id": "us", "to_id": "acme", "started_at": NOW - timedelta(days=60)},
    ])
    for first, second in (("b1", "f1"), ("f1", "b1")):
        data = await tie.data(RELATIONSHIP_CHANNELS % (first, second))
        assert data["r1"]["channelState"] == data["r2"]["channelState"] == "BROKEN"
        assert data["r1"]["channelReasons"] == data["r2"]["channelReasons"] == ["SILENT", "WEAK"]
    data = await tie.data(RELATIONSHIP_CHANNELS % ("w2", "w1"))
    assert data["r1"]["channelState"] is None and data["r1"]["channelReasons"] is None  # ann WORKS_FOR acme
    assert data["r2"]["channelState"] is None  # emp WORKS_FOR us, and they never interacted
    # once acme orders (answered by its delivery), the pair talks: every record of it has a channel
    await tie.store.record_interactions([{"type": "ORDER", "initiator_id": "acme", "participant_ids": ["us"],
                                          "at": NOW - timedelta(days=1), "value": 10.0}])
    data = await tie.data(RELATIONSHIP_CHANNELS % ("f1", "b1"))
    assert data["r1"]["channelState"] == data["r2"]["channelState"] == "OPEN"


@pytest.fixture
async def web(api: Api) -> Api:
    """Six KNOWS ties from one employee, each with a different volume of meetings."""
    people = [f"c{i}" for i in range(6)]
    await api.store.upsert_stakeholders(
        [{"id": "emp", "kind": "EMPLOYEE", "form": "PERSON", "name": "Emma"}]
        + [{"id": p, "kind": "CUSTOMER", "form": "PERSON", "name": p} for p in people]
    )
    await api.store.upsert_relationships(
        [{"id": f"k{i}", "type": "KNOWS", "from_id": "emp", "to_id": p} for i, p in enumerate(people)]
    )
    await api.store.record_interactions([
        meeting(100 * i + n, "emp" if n % 2 else p, p if n % 2 else "emp", 2 * n + 1)
        for i, p in enumerate(people) for n in range(i)
    ])
    return api


async def test_relationships_sort_by_strength_across_pages(web: Api) -> None:
    query = """query ($after: String) { relationships(orderBy: {field: STRENGTH, direction: DESC}, first: 2, after: $after,
               filter: {type: [KNOWS]}) { totalCount edges { cursor node { key strength } } pageInfo { hasNextPage endCursor } } }"""
    seen: list[tuple[str, float]] = []
    after = None
    while True:
        page = (await web.data(query, after=after))["relationships"]
        assert page["totalCount"] == 6
        seen += [(e["node"]["key"], e["node"]["strength"]) for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert sorted(k for k, _ in seen) == [f"k{i}" for i in range(6)]
    assert [s for _, s in seen] == sorted((s for _, s in seen), reverse=True) and seen[-1] == ("k0", 0.0)
    assert len({s for _, s in seen}) == 6, "every tie has its own strength, so the order is not by id"


async def test_relationships_filter_by_strength_and_channel_state(web: Api) -> None:
    query = """query ($min: Float, $states: [ChannelState!]) { relationships(minStrength: $min, channelState: $states,
               orderBy: {field: STARTED_AT}) { totalCount edges { node { key strength channelState } } } }"""
    strong = (await web.data(query, min=0.3))["relationships"]
    assert strong["totalCount"] == len(strong["edges"]) > 0
    assert all(e["node"]["strength"] >= 0.3 for e in strong["edges"])
    never = (await web.data(query, states=["BROKEN"]))["relationships"]
    assert {e["node"]["key"] for e in never["edges"]} >= {"k0"}
    assert all(e["node"]["channelState"] == "BROKEN" for e in never["edges"])
    # a structural record between two who never interacted has no channel: in no state's list
    await web.store.upsert_stakeholders([{"id": "org", "kind": "CUSTOMER", "form": "ORGANIZATION", "name": "Org"}])
    await web.store.upsert_relationships([{"id": "w", "type": "WORKS_FOR", "from_id": "c1", "to_id": "org"}])
    every = (await web.data(query, states=["OPEN", "BLOCKED", "BROKEN"]))["relationships"]
    assert every["totalCount"] == 6 and "w" not in {e["node"]["key"] for e in every["edges"]}
    assert (await web.data('{ relationship(id: "w") { channelState } }'))["relationship"]["channelState"] is None
    error = await web.error("{ relationships(minStrength: 1.5) { totalCount } }")
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and error["extensions"]["field"] == "minStrength"
