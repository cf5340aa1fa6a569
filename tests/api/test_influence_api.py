"""Influence over GraphQL (DOMAIN.md §3): top influencers, influencersOf, introductionPaths,
departureImpact, refreshInfluence, and their argument checks, on both backends.

A tiny network (both backends load it quickly):

    e1 -- a1 -- x -- b1 -- b2        x bridges the a-side and the b-side
    e2 -- b2                         e2 has a weaker tie into the b-side
    ann works for acme; e1 knows ann well, e2 a little.

Memberships count as ties of 0.5: e1 -- us -- e2 and ann -- acme.
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

#: Current memberships (person, organisation): ties of MEMBERSHIP_STRENGTH in the projection.
MEMBERSHIPS = [("e1", "us"), ("e2", "us"), ("ann", "acme")]

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
REFRESH = "mutation { refreshInfluence { nodes ties relationshipsLeftOut written computedAt version brokerageExact samples seconds } }"


async def test_global_ids_are_accepted(net: Api) -> None:
    gid = base64.b64encode(b"Stakeholder:x").decode()
    found = (await net.data(INFLUENCERS, t=gid, first=1))["influencersOf"]
    assert len(found) == 1 and found[0]["key"] != "x"


async def test_refresh_then_top_influencers(net: Api) -> None:
    assert (await net.data(TOP))["topInfluencers"] == []  # nothing computed yet
    r = (await net.data(REFRESH))["refreshInfluence"]
    assert (r["nodes"], r["ties"], r["written"], r["brokerageExact"]) == (9, len(TIES) + len(MEMBERSHIPS), 9, True)
    assert r["relationshipsLeftOut"] == 0
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
    assert got["x"]["brokerage"] > 0 and got["acme"]["brokerage"] == 0  # acme is a leaf (ann's organisation)
    suppliers = (await net.data(TOP, kinds=["SUPPLIER"]))["topInfluencers"]
    assert [(s["key"], s["stakeholder"]["kind"]) for s in suppliers] == [("b2", "SUPPLIER")]


INFLUENCERS = "query ($t: ID!, $kinds: [StakeholderKind!], $first: Int) { influencersOf(target: $t, kinds: $kinds, first: $first) { key score tieStrength stakeholder { key } } }"


async def test_influencers_of_exclude_the_target(net: Api) -> None:
    found = (await net.data(INFLUENCERS, t="x", first=20))["influencersOf"]
    keys = [f["key"] for f in found]
    assert "x" not in keys and set(keys[:2]) == {"a1", "b1"}
    assert not {"us", "e1", "e2"} & set(keys)  # us and our people: only when asked
    assert [f["stakeholder"]["key"] for f in found] == keys
    assert [f["score"] for f in found] == sorted((f["score"] for f in found), reverse=True)
    ties = {f["key"]: f["tieStrength"] for f in found}
    assert ties["a1"] > 0 and ties["b1"] > 0 and ties["ann"] == 0
    assert (await net.data(INFLUENCERS, t="x", kinds=["EMPLOYEE"]))["influencersOf"] == []
    only = (await net.data(INFLUENCERS_OURS, t="x", kinds=["EMPLOYEE"], ours=True))["influencersOf"]
    assert {f["key"] for f in only} == {"e1", "e2", "us"}


INFLUENCERS_OURS = "query ($t: ID!, $kinds: [StakeholderKind!], $ours: Boolean!) { influencersOf(target: $t, kinds: $kinds, first: 20, includeOurs: $ours) { key score tieStrength } }"


async def test_influencers_of_an_organisation_name_its_decision_maker(net: Api) -> None:
    """Worked by hand. acme has no interactions of its own: only ann works for it. The walk
    restarts at acme or ann, so ann, with half the restarts and acme's only tie, comes
    first; e1 (who knows ann best) and us are listed only with includeOurs, e1 before e2."""
    found = [f["key"] for f in (await net.data(INFLUENCERS_OURS, t="acme", ours=False))["influencersOf"]]
    assert found[0] == "ann" and not {"acme", "us", "e1", "e2"} & set(found)
    ours = (await net.data(INFLUENCERS_OURS, t="acme", ours=True))["influencersOf"]
    keys = [f["key"] for f in ours]
    assert keys[:2] == ["ann", "e1"] and {"us", "e2"} <= set(keys) and keys.index("e1") < keys.index("e2")
    assert ours[0]["tieStrength"] == 0.5 and ours[0]["score"] > 0.15 / 2
    assert [k for k in keys if k not in {"us", "e1", "e2"}] == found


TOP_BY = "query ($by: InfluenceOrder!) { topInfluencers(first: 3, orderBy: $by) { key influence { rank brokerage } } }"


async def test_top_influencers_by_brokerage(net: Api) -> None:
    """Counted by hand, pairs of the 8 others (28) whose strongest chain runs through each
    (strengths: three meetings 0.76, two 0.69, one 0.50, membership 0.5):
      * ann: acme with all 7 others, plus e2 -- e1 (e2 ann e1, 0.38, beats e2 us e1, 0.25)
        and e2 -- a1 (e2 ann e1 a1, 0.29, beats e2 b2 b1 x a1, 0.18): 9;
      * e1: a1 with us, ann, acme and e2 (4); x with us, ann and acme (3; x's way to e2 is
        through b1, 0.26 against 0.20); b1 with ann and acme (2); us with ann and acme (2): 11;
      * a1: 8 (the other brokers follow: x 6, b1 4, e2 4, b2 3).
    """
    await net.data(REFRESH)
    by_rank = (await net.data(TOP_BY, by="PAGERANK"))["topInfluencers"]
    assert [t["influence"]["rank"] for t in by_rank] == sorted(t["influence"]["rank"] for t in by_rank)
    assert [t["key"] for t in by_rank] == [t["key"] for t in (await net.data(TOP, first=3))["topInfluencers"]]
    brokers = (await net.data(TOP_BY, by="BROKERAGE"))["topInfluencers"]
    assert [t["key"] for t in brokers] == ["e1", "ann", "a1"]
    assert [t["influence"]["brokerage"] for t in brokers] == pytest.approx([11 / 28, 9 / 28, 8 / 28])
    error = await net.error(TOP_BY, by="SIZE")
    assert (error["extensions"]["code"], error["extensions"]["field"]) == ("BAD_USER_INPUT", "orderBy") and "SIZE" in error["message"]


async def test_a_network_of_relationships_alone_says_what_it_left_out(api: Api) -> None:
    """Worked by hand: p1 and p2 work for org; p1 knows q; p2 knows r, assessed 0.6. No
    interactions. Ties: two memberships and p2 -- r: 3; left out: p1 KNOWS q: 1."""
    await api.store.upsert_stakeholders([node("org", form="ORGANIZATION"), node("p1"), node("p2"), node("q"), node("r")])
    await api.store.upsert_relationships([
        {"id": "w1", "type": "WORKS_FOR", "from_id": "p1", "to_id": "org"},
        {"id": "w2", "type": "WORKS_FOR", "from_id": "p2", "to_id": "org"},
        {"id": "k1", "type": "KNOWS", "from_id": "p1", "to_id": "q"},
        {"id": "k2", "type": "KNOWS", "from_id": "p2", "to_id": "r"},
    ])
    await api.store.assess_relationship("k2", 0.6)
    r = (await api.data(REFRESH))["refreshInfluence"]
    assert (r["nodes"], r["ties"], r["relationshipsLeftOut"]) == (5, 3, 1)
    ranks = {t["key"]: t["influence"]["rank"] for t in (await api.data(TOP, first=5))["topInfluencers"]}
    # p2 holds the most strength (0.5 + 0.6) and ranks first; q's only relationship has no
    # strength, so q stands alone and ranks last
    assert ranks["p2"] == 1 and ranks["q"] == 5 and len(set(ranks.values())) == 5


PATHS = "query ($to: ID!, $from: [ID!], $hops: Int, $first: Int) { introductionPaths(to: $to, from: $from, maxHops: $hops, first: $first) { strength keys hops { fromKey toKey strength from { key } to { key } } } }"


def brute_force(p: algo.Projection, sources: list[str], target: str, max_hops: int) -> list[tuple[float, tuple[str, ...]]]:
    """Each source's best simple path through no other source and not through us, best first."""
    blocked = set(sources) | {"us"}
    best = {}
    for s in sources:
        stack = [(s,)]
        while stack:
            path = stack.pop()
            if path[-1] == target and len(path) > 1:
                found = (math.prod(p.ties_of(a)[b] for a, b in zip(path, path[1:])), path)
                if s not in best or (-found[0], len(path), path) < (-best[s][0], len(best[s][1]), best[s][1]):
                    best[s] = found
                continue
            if len(path) - 1 < max_hops and (len(path) == 1 or path[-1] not in blocked):
                stack.extend(path + (n,) for n in p.ties_of(path[-1]) if n not in path)
    return sorted(best.values(), key=lambda sp: (-sp[0], len(sp[1]), sp[1]))


async def test_introduction_paths_from_our_employees_are_optimal(net: Api) -> None:
    found = (await net.data(PATHS, to="x", first=5))["introductionPaths"]
    p = await influence.project(net.store)
    best = brute_force(p, ["e1", "e2"], "x", 4)
    assert [tuple(f["keys"]) for f in found] == [n for _, n in best[:5]]
    for f, (s, _) in zip(found, best):
        assert f["strength"] == pytest.approx(s, rel=1e-6)
        assert f["strength"] == pytest.approx(math.prod(h["strength"] for h in f["hops"]), rel=1e-9)
        assert [h["fromKey"] for h in f["hops"]] == f["keys"][:-1] and [h["to"]["key"] for h in f["hops"]] == f["keys"][1:]
    # one path per employee: e1's own, then e2's own way in through b2 -- not e2 ann e1 a1 x,
    # which is e1's introduction with e2 in front
    assert [f["keys"] for f in found] == [["e1", "a1", "x"], ["e2", "b2", "b1", "x"]]
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
