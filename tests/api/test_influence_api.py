"""Influence over GraphQL (DOMAIN.md §3): top influencers, influencersOf, introductionPaths,
departureImpact, refreshInfluence, and their argument checks, on both backends.

A tiny network (both backends load it quickly):

    e1 -- a1 -- x -- b1 -- b2        x bridges the a-side and the b-side
    e2 -- b2                         e2 has a weaker tie into the b-side
    ann works for acme; e1 knows ann well, e2 a little.
"""

from __future__ import annotations

import base64
import math
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from relgraph.scoring import influence as algo
from relgraph.scoring import paths as path_algo
from relgraph.services import influence

from .support import Api

NOW = datetime.now(timezone.utc)

TIES = [("e1", "a1", 3), ("a1", "x", 2), ("x", "b1", 2), ("b1", "b2", 3), ("e2", "b2", 1), ("e1", "ann", 3), ("e2", "ann", 1)]


def node(id: str, kind: str = "CUSTOMER", form: str = "PERSON", **extra: Any) -> dict[str, Any]:
    return {"id": id, "kind": kind, "form": form, "name": id, **extra}


@pytest.fixture
async def net(api: Api) -> Api:
    store = api.store
    await store.upsert_stakeholders([
        node("us", "EMPLOYEE", "ORGANIZATION", is_us=True), node("e1", "EMPLOYEE"), node("e2", "EMPLOYEE"),
        node("a1"), node("x", "AGENCY"), node("b1"), node("b2", "SUPPLIER"),
        node("acme", "CUSTOMER", "ORGANIZATION"), node("ann"),
    ])
    await store.upsert_relationships([
        {"id": "w1", "type": "WORKS_FOR", "from_id": "e1", "to_id": "us"},
        {"id": "w2", "type": "WORKS_FOR", "from_id": "e2", "to_id": "us"},
        {"id": "w3", "type": "WORKS_FOR", "from_id": "ann", "to_id": "acme"},
    ])
    await store.record_interactions([
        {"id": f"{a}-{b}-{n}-{w}", "type": "MEETING", "initiator_id": w, "participant_ids": [o], "at": NOW - timedelta(days=2 + n)}
        for a, b, t in TIES for n in range(t) for w, o in ((a, b), (b, a))
    ])
    return api


TOP = "query ($kinds: [StakeholderKind!], $first: Int) { topInfluencers(kinds: $kinds, first: $first) { key influence { score rank percentile brokerage computedAt version } stakeholder { key kind } } }"
REFRESH = "mutation { refreshInfluence { nodes ties written computedAt version brokerageExact samples seconds } }"


async def test_global_ids_are_accepted(net: Api) -> None:
    gid = base64.b64encode(b"Stakeholder:x").decode()
    found = (await net.data(INFLUENCERS, t=gid, first=1))["influencersOf"]
    assert len(found) == 1 and found[0]["key"] != "x"


async def test_refresh_then_top_influencers(net: Api) -> None:
    assert (await net.data(TOP))["topInfluencers"] == []  # nothing computed yet
    r = (await net.data(REFRESH))["refreshInfluence"]
    assert (r["nodes"], r["ties"], r["written"], r["brokerageExact"]) == (9, len(TIES), 9, True)
    top = (await net.data(TOP, first=9))["topInfluencers"]
    assert len(top) == 9 and [t["influence"]["rank"] for t in top] == sorted(t["influence"]["rank"] for t in top)
    assert all(t["influence"]["computedAt"] == r["computedAt"] for t in top)
    p = await influence.project(net.store)
    score = algo.pagerank(p)
    rank, pct = algo.ranked(score)
    got = {t["key"]: t["influence"] for t in top}
    for i, sid in enumerate(p.ids):
        assert got[sid]["rank"] == rank[i] and got[sid]["percentile"] == pytest.approx(pct[i])
        assert got[sid]["score"] == pytest.approx(score[i], rel=1e-6)
    assert max(got, key=lambda k: got[k]["brokerage"]) in {"x", "a1", "b1", "e1"}
    assert got["x"]["brokerage"] > 0 and got["us"]["brokerage"] == 0
    suppliers = (await net.data(TOP, kinds=["SUPPLIER"]))["topInfluencers"]
    assert [(s["key"], s["stakeholder"]["kind"]) for s in suppliers] == [("b2", "SUPPLIER")]


INFLUENCERS = "query ($t: ID!, $kinds: [StakeholderKind!], $first: Int) { influencersOf(target: $t, kinds: $kinds, first: $first) { key score tieStrength stakeholder { key } } }"


async def test_influencers_of_exclude_the_target(net: Api) -> None:
    found = (await net.data(INFLUENCERS, t="x", first=20))["influencersOf"]
    keys = [f["key"] for f in found]
    assert "x" not in keys and set(keys[:2]) == {"a1", "b1"}
    assert [f["stakeholder"]["key"] for f in found] == keys
    assert [f["score"] for f in found] == sorted((f["score"] for f in found), reverse=True)
    ties = {f["key"]: f["tieStrength"] for f in found}
    assert ties["a1"] > 0 and ties["b1"] > 0 and ties["e1"] == 0
    only = (await net.data(INFLUENCERS, t="x", kinds=["EMPLOYEE"]))["influencersOf"]
    assert {f["key"] for f in only} == {"e1", "e2"}


PATHS = "query ($to: ID!, $from: [ID!], $hops: Int, $first: Int) { introductionPaths(to: $to, from: $from, maxHops: $hops, first: $first) { strength keys hops { fromKey toKey strength from { key } to { key } } } }"


def brute_force(p: algo.Projection, sources: list[str], target: str, max_hops: int) -> list[tuple[float, tuple[str, ...]]]:
    out = []
    for s in sources:
        stack = [(s,)]
        while stack:
            path = stack.pop()
            if path[-1] == target and len(path) > 1:
                out.append((math.prod(p.ties_of(a)[b] for a, b in zip(path, path[1:])), path))
                continue
            if len(path) - 1 < max_hops:
                stack.extend(path + (n,) for n in p.ties_of(path[-1]) if n not in path)
    return sorted(out, key=lambda sp: (-sp[0], len(sp[1]), sp[1]))


async def test_introduction_paths_from_our_employees_are_optimal(net: Api) -> None:
    found = (await net.data(PATHS, to="x", first=5))["introductionPaths"]
    p = await influence.project(net.store)
    best = brute_force(p, ["e1", "e2"], "x", 4)
    assert [tuple(f["keys"]) for f in found] == [n for _, n in best[:5]]
    for f, (s, _) in zip(found, best):
        assert f["strength"] == pytest.approx(s, rel=1e-6)
        assert f["strength"] == pytest.approx(math.prod(h["strength"] for h in f["hops"]), rel=1e-9)
        assert [h["fromKey"] for h in f["hops"]] == f["keys"][:-1] and [h["to"]["key"] for h in f["hops"]] == f["keys"][1:]
    assert found[0]["keys"] == ["e1", "a1", "x"]
    mine = (await net.data(PATHS, to="b1", **{"from": ["e2"]}, hops=1))["introductionPaths"]
    assert mine == []  # e2 is two ties from b1
    two = (await net.data(PATHS, to="b1", **{"from": ["e2"]}, hops=2))["introductionPaths"]
    assert [t["keys"] for t in two] == [["e2", "b2", "b1"]]
    assert path_algo.introduction_paths(p, "b1", ["e2"], 2, 3)[0].nodes == ("e2", "b2", "b1")


DEPARTURE = "query ($e: ID!) { departureImpact(employee: $e) { accountKey before after drop account { key name } } }"


async def test_departure_impact(net: Api) -> None:
    (d,) = (await net.data(DEPARTURE, e="e1"))["departureImpact"]
    assert d["accountKey"] == "acme" and d["account"]["name"] == "acme"
    assert d["before"] > d["after"] > 0 and d["drop"] == pytest.approx(d["before"] - d["after"])
    (d2,) = (await net.data(DEPARTURE, e="e2"))["departureImpact"]
    assert d2["drop"] < d["drop"]  # e1 carries acme, e2 less so


@pytest.mark.parametrize(
    ("query", "variables", "code", "field"),
    [
        (TOP, {"first": 0}, "BAD_USER_INPUT", "first"),
        (TOP, {"first": 100_000}, "BAD_USER_INPUT", "first"),
        (INFLUENCERS, {"t": "nobody"}, "NOT_FOUND", "target"),
        (INFLUENCERS, {"t": "x", "first": -1}, "BAD_USER_INPUT", "first"),
        (PATHS, {"to": "x", "hops": 0}, "BAD_USER_INPUT", "maxHops"),
        (PATHS, {"to": "x", "hops": 7}, "BAD_USER_INPUT", "maxHops"),
        (PATHS, {"to": "nobody"}, "NOT_FOUND", "to"),
        (PATHS, {"to": "x", "from": ["e1", "nobody"]}, "NOT_FOUND", "from"),
        (PATHS, {"to": "x", "first": 0}, "BAD_USER_INPUT", "first"),
        (DEPARTURE, {"e": "nobody"}, "NOT_FOUND", "employee"),
        (INFLUENCERS, {"t": base64.b64encode(b"Relationship:w1").decode()}, "BAD_USER_INPUT", "target"),
    ],
)
async def test_argument_errors(net: Api, query: str, variables: dict[str, Any], code: str, field: str) -> None:
    error = await net.error(query, **variables)
    assert error["extensions"]["code"] == code and error["extensions"]["field"] == field, error


async def test_stakeholder_influence_and_decision_makers(net: Api) -> None:
    query = "query ($id: ID!) { stakeholderInfluence(id: $id) { score rank percentile brokerage computedAt version } }"
    assert (await net.data(query, id="x"))["stakeholderInfluence"] is None  # before any refresh
    await net.data(REFRESH)
    got = (await net.data(query, id="x"))["stakeholderInfluence"]
    top = {t["key"]: t["influence"] for t in (await net.data(TOP, first=9))["topInfluencers"]}
    assert got == top["x"]
    await net.store.upsert_stakeholders([node("bob"), node("cat")])
    await net.store.upsert_relationships([
        {"id": "w4", "type": "WORKS_FOR", "from_id": "bob", "to_id": "acme", "role": "USER"},
        {"id": "w5", "type": "WORKS_FOR", "from_id": "cat", "to_id": "acme", "role": "USER"},
        {"id": "w6", "type": "WORKS_FOR", "from_id": "ann", "to_id": "acme", "role": "DECISION_MAKER"},
        {"id": "r1", "type": "REPORTS_TO", "from_id": "cat", "to_id": "bob"},
    ])
    dm = "query ($o: ID!) { decisionMakers(organization: $o) { key role reportsToKey influenceScore stakeholder { key } } }"
    people = (await net.data(dm, o="acme"))["decisionMakers"]
    assert [(p["key"], p["role"], p["reportsToKey"]) for p in people] == [
        ("ann", "DECISION_MAKER", None), ("bob", "USER", None), ("cat", "USER", "bob"),
    ]  # role first; bob has a report, cat has none
    assert people[0]["influenceScore"] == pytest.approx(top["ann"]["score"])
    assert (await net.data(dm, o="e1"))["decisionMakers"] == []
    error = await net.error(dm, o="nobody")
    assert (error["extensions"]["code"], error["extensions"]["field"]) == ("NOT_FOUND", "organization")
