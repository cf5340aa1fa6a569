"""Influence on real stores (DOMAIN.md §3): projection, write-back, targets, paths, departures.

A tiny hand-built network with known answers, on both backends:

    e1 --- a1 --- a2          group A: a1, a2, a3 (a triangle)
            \\   /
             a3
              |
              x               the bridge: the only way between the groups
              |
             b1
            /   \\
          b2 --- b3           group B: b1, b2, b3 (a triangle)

    h -- l1, l2, l3           a star; e2 -- l1 as well
    ann works for acme (a customer); e1 and e2 both know ann, e1 more strongly.
    e1 and e2 are our employees (WORKS_FOR us).

Memberships are ties of MEMBERSHIP_STRENGTH (0.5) in the projection: e1 -- us -- e2 and
ann -- acme, three ties beside the fifteen that interactions measure.
"""

from __future__ import annotations

import itertools
import math
from datetime import datetime, timedelta, timezone
from typing import Any

import numpy as np
import pytest

from relgraph.domain.time import to_ms
from relgraph.scoring import influence as algo
from relgraph.scoring import paths as path_algo
from relgraph.scoring.influence import MEMBERSHIP_STRENGTH
from relgraph.scoring.strength import noisy_or
from relgraph.services import influence
from relgraph.store.graph_store import GraphStore

NOW = datetime.now(timezone.utc)


def node(id: str, kind: str = "CUSTOMER", form: str = "PERSON", **extra: Any) -> dict[str, Any]:
    return {"id": id, "kind": kind, "form": form, "name": id, **extra}


NODES = [
    node("us", "EMPLOYEE", "ORGANIZATION", is_us=True),
    node("e1", "EMPLOYEE"), node("e2", "EMPLOYEE"),
    node("a1"), node("a2"), node("a3"), node("x", "AGENCY"), node("b1"), node("b2"), node("b3", "SUPPLIER"),
    node("h", "SUPPLIER"), node("l1"), node("l2"), node("l3"),
    node("acme", "CUSTOMER", "ORGANIZATION"), node("ann"),
]

#: (a, b, meetings each way): more meetings, a stronger tie.
TIES = [
    ("e1", "a1", 3), ("a1", "a2", 2), ("a1", "a3", 2), ("a2", "a3", 1), ("a3", "x", 3), ("x", "b1", 3),
    ("b1", "b2", 2), ("b1", "b3", 1), ("b2", "b3", 3), ("h", "l1", 2), ("h", "l2", 2), ("h", "l3", 2),
    ("e2", "l1", 1), ("e1", "ann", 3), ("e2", "ann", 1),
]


def meetings(a: str, b: str, times: int) -> list[dict[str, Any]]:
    return [
        {"id": f"{a}-{b}-{n}-{w}", "type": "MEETING", "initiator_id": w, "participant_ids": [o],
         "at": NOW - timedelta(days=2 + n)}
        for n in range(times) for w, o in ((a, b), (b, a))
    ]


async def seed(store: GraphStore) -> None:
    await store.upsert_stakeholders(NODES)
    await store.upsert_relationships([
        {"id": "w1", "type": "WORKS_FOR", "from_id": "e1", "to_id": "us"},
        {"id": "w2", "type": "WORKS_FOR", "from_id": "e2", "to_id": "us"},
        {"id": "w3", "type": "WORKS_FOR", "from_id": "ann", "to_id": "acme", "role": "DECISION_MAKER"},
    ])
    await store.record_interactions([m for a, b, t in TIES for m in meetings(a, b, t)])


#: The membership ties of the seeded network (person, organisation).
MEMBERSHIPS = [("e1", "us"), ("e2", "us"), ("ann", "acme")]


@pytest.fixture
async def net(store: GraphStore) -> GraphStore:
    await seed(store)
    return store


async def reference_projection(store: GraphStore, at: int) -> algo.Projection:
    """The projection built the slow way: every TIE's strength from `explain`, plus every
    current membership at MEMBERSHIP_STRENGTH (the relationship rules are tested apart)."""
    from relgraph.scoring.strength import explain

    params = store.strength_params
    ties = [(a, b, explain(s, at, params).strength) for a, b, s in await store.all_ties()]
    members = [(a, b, MEMBERSHIP_STRENGTH) for a, b in await store.memberships()]
    return algo.Projection.from_edges(await store.stakeholder_kinds(), ties + members)


async def test_projection_holds_every_stakeholder_and_tie(net: GraphStore) -> None:
    p = await influence.project(net)
    assert sorted(p.ids) == sorted(n["id"] for n in NODES)
    assert dict(zip(p.ids, p.kinds))["x"] == "AGENCY"
    assert p.weight.size == len(TIES) + len(MEMBERSHIPS) and np.all((p.weight > 0) & (p.weight <= 1))
    assert p.ties_of("e1")["a1"] > p.ties_of("a2")["a3"]  # three meetings each way beat one
    assert p.ties_of("us") == {"e1": MEMBERSHIP_STRENGTH, "e2": MEMBERSHIP_STRENGTH}
    assert p.ties_of("acme") == {"ann": MEMBERSHIP_STRENGTH}
    assert sorted(await net.memberships()) == sorted(MEMBERSHIPS)
    at = to_ms(NOW)
    mine = await influence.project(net, at_ms=at)
    reference = await reference_projection(net, at)
    assert sorted(mine.ids) == sorted(reference.ids)
    assert {i: mine.ties_of(i) for i in mine.ids} == {i: reference.ties_of(i) for i in reference.ids}


async def test_refresh_writes_back_what_the_algorithms_compute(net: GraphStore) -> None:
    at = to_ms(NOW)
    result = await influence.refresh(net, at_ms=at)
    p = await influence.project(net, at_ms=at)
    score = algo.pagerank(p)
    rank, pct = algo.ranked(score)
    broker = algo.brokerage(p)
    assert (result.nodes, result.ties, result.written) == (len(NODES), len(TIES) + len(MEMBERSHIPS), len(NODES))
    assert result.relationships_left_out == 0  # every relationship is a membership
    assert result.brokerage_exact and result.version.startswith("v1;")
    written = await influence.influence_of(net, p.ids)
    for i, sid in enumerate(p.ids):
        w = written[sid]
        assert math.isclose(w.score, score[i], rel_tol=1e-9)
        assert (w.rank, w.percentile) == (rank[i], pytest.approx(pct[i]))
        assert math.isclose(w.brokerage, broker[i], rel_tol=1e-9, abs_tol=1e-12)
        assert to_ms(w.computed_at) == at and w.version == result.version
    # Counted by hand: pairs of others whose strongest chain runs through each, of
    # C(15, 2) = 105. e1 joins the A and B groups with a1 (7) to us, e2, ann, acme and the
    # star (8): 56, plus us -- ann and us -- acme (us e1 ann, 0.5 x 0.76 = 0.38, beats us e2
    # ann, 0.5 x 0.50 = 0.25): 58. a1 joins A and B without it (6) to the other 9: 54.
    # ann joins acme to the 14 others, and e2's side (e2, l1, h, l2, l3) to e1's without us
    # (8 people: e2 ann e1, 0.38, beats e2 us e1, 0.25): 14 + 40 = 54. a3 joins x and B (4)
    # to 11: 44; x joins B (3) to 12: 36. Nothing else runs through them (a2 -- a3 direct,
    # 0.50, beats a2 a1 a3, 0.69 x 0.69 = 0.47).
    b = {sid: w.brokerage for sid, w in written.items()}
    pairs = math.comb(len(NODES) - 1, 2)
    for sid, count in {"e1": 58, "a1": 54, "ann": 54, "a3": 44, "x": 36}.items():
        assert b[sid] == pytest.approx(count / pairs), sid
    assert max(b, key=b.__getitem__) == "e1"
    assert b["l2"] == 0 == b["acme"]  # leaves
    # l2 and l3 are symmetric leaves of h: equal scores, one shared rank
    assert written["l2"].score == written["l3"].score and written["l2"].rank == written["l3"].rank
    top = await influence.top(net, None, 3)
    assert [t.rank for t in top] == sorted(t.rank for t in top) and top[0].rank == 1
    only = await influence.top(net, ["SUPPLIER"], 10)
    assert {t.stakeholder_id for t in only} == {"h", "b3"}


async def test_sampled_brokerage_path_is_taken_and_recorded(net: GraphStore) -> None:
    result = await influence.refresh(net, samples=5, seed=3, exact_limit=4)
    assert not result.brokerage_exact and result.samples == 5 and "sampled:5:seed3" in result.version


async def test_influencers_of_exclude_the_target_and_report_direct_ties(net: GraphStore) -> None:
    found = await influence.influencers(net, "x", first=20)
    p = await influence.projection(net)  # the same cached projection the service used
    expected = algo.influencers_of(p, "x", first=20, exclude={"us", "e1", "e2"})
    assert [f.stakeholder_id for f in found] == [i for i, _ in expected]
    assert not {"x", "us", "e1", "e2"} & {f.stakeholder_id for f in found}  # the target, us and our people
    ties = {f.stakeholder_id: f.tie_strength for f in found}
    assert ties["a3"] == pytest.approx(p.ties_of("x")["a3"]) and ties["a1"] == 0.0
    assert {f.stakeholder_id for f in found[:2]} == {"a3", "b1"}  # its direct, strong ties
    customers = await influence.influencers(net, "x", kinds=["SUPPLIER"])
    assert [f.stakeholder_id for f in customers] == ["b3", "h"]  # b3 is two ties away, h six
    ours = await influence.influencers(net, "x", first=20, include_ours=True)
    assert [f.stakeholder_id for f in ours] == [i for i, _ in algo.influencers_of(p, "x", first=20)]
    assert {"us", "e1", "e2"} <= {f.stakeholder_id for f in ours}


async def test_influencers_of_an_organisation_name_its_people_and_not_us(net: GraphStore) -> None:
    """Worked by hand. acme has no interactions of its own; ann works for it (its decision
    maker) and e1 and e2, our employees, know ann (e1 strongly). Before memberships counted,
    acme had no tie at all and nobody was listed. Now the walk restarts at acme or ann
    (half each): ann scores at least her restart share, 0.15 / 2, and is listed first. The
    walk leaves acme's side only through e1 and e2, so everyone beyond is reached through
    our people; they carry the walk but, with us, are left out unless asked."""
    found = [f.stakeholder_id for f in await influence.influencers(net, "acme", first=20)]
    assert found[0] == "ann" and not {"acme", "us", "e1", "e2"} & set(found)
    (ann,) = [f for f in await influence.influencers(net, "acme", first=1)]
    assert ann.tie_strength == MEMBERSHIP_STRENGTH and ann.score > 0.15 / 2
    ours = [f.stakeholder_id for f in await influence.influencers(net, "acme", first=20, include_ours=True)]
    assert ours[:2] == ["ann", "e1"]  # e1 knows ann best (three meetings against e2's one)
    assert {"us", "e2", "a1"} <= set(ours) and "acme" not in ours
    assert [i for i in ours if i not in {"us", "e1", "e2"}] == found
    p = await influence.projection(net)
    expected = algo.influencers_of(p, "acme", first=20, members=["ann"])
    assert ours == [i for i, _ in expected]


def brute_force(
    p: algo.Projection, sources: list[str], target: str, max_hops: int, avoid: tuple[str, ...] = ("us",)
) -> list[tuple[float, tuple[str, ...]]]:
    """Each source's best simple path to the target of at most max_hops ties through no
    other source and nothing in ``avoid``, best first."""
    adj = {i: p.ties_of(i) for i in p.ids}
    blocked = set(sources) | set(avoid)
    best = []

    def walk(path: list[str], strength: float, out: list[tuple[float, tuple[str, ...]]]) -> None:
        if path[-1] == target and len(path) > 1:
            out.append((strength, tuple(path)))
            return
        if len(path) - 1 >= max_hops or (len(path) > 1 and path[-1] in blocked):
            return
        for nxt, s in adj[path[-1]].items():
            if nxt not in path:
                walk(path + [nxt], strength * s, out)

    def order(sp: tuple[float, tuple[str, ...]]) -> tuple[float, int, tuple[str, ...]]:
        return (-sp[0], len(sp[1]), sp[1])

    for s in sources:
        if s != target:
            mine: list[tuple[float, tuple[str, ...]]] = []
            walk([s], 1.0, mine)
            if mine:
                best.append(min(mine, key=order))
    return sorted(best, key=order)


async def test_introduction_paths_are_optimal_and_start_at_our_employees(net: GraphStore) -> None:
    assert await net.our_employees() == ["e1", "e2"]
    p = await influence.projection(net)  # the same cached projection the service uses
    found = await influence.paths(net, "b3", max_hops=6, first=3)
    assert found == path_algo.introduction_paths(p, "b3", ["e1", "e2"], 6, 3, avoid=["us"])
    best = brute_force(p, ["e1", "e2"], "b3", 6)
    assert [f.nodes for f in found] == [nodes for _, nodes in best[:3]]
    for f, (s, _) in zip(found, best):
        assert math.isclose(f.strength, s, rel_tol=1e-12)
        assert math.isclose(f.strength, math.prod(f.strengths), rel_tol=1e-12)
    # e2 reaches the A and B groups only through ann -- e1 or through us -- e1: that is
    # e1's introduction, so e1's is the only path
    assert [f.nodes[0] for f in found] == ["e1"] and found[0].nodes[:5] == ("e1", "a1", "a3", "x", "b1")
    # four hops are too few to reach b3 from e1 (it takes five)
    assert await influence.paths(net, "b3", max_hops=4) == []
    # explicit sources
    star = await influence.paths(net, "l3", from_=["e2"], max_hops=3)
    assert [f.nodes for f in star] == [("e2", "l1", "h", "l3")]


async def test_the_second_introduction_comes_from_the_other_employee(net: GraphStore) -> None:
    """Worked by hand. ann is tied to e1 (three meetings each way: 0.76) and e2 (one: 0.50).
    Once e1 and e2 have met three times (0.76), the strongest chains to ann are e1 ann
    (0.76), then e2 e1 ann (0.76 x 0.76 = 0.58), which beats e2's own tie (0.50) -- but it
    is e1's introduction with e2 in front. The second answer must be e2's own tie to ann."""
    await net.record_interactions(meetings("e1", "e2", 3))  # e1 and e2 know each other well
    found = await influence.paths(net, "ann", first=3)
    p = await influence.projection(net)
    assert [f.nodes for f in found] == [("e1", "ann"), ("e2", "ann")]
    assert found[1].strength == pytest.approx(p.ties_of("e2")["ann"]) and found[1].strength < found[0].strength
    # without the rule, e2's strongest chain would run through e1
    assert max(_all_paths(p, "e2", "ann", 4))[1] == ("e2", "e1", "ann")


def _all_paths(p: algo.Projection, source: str, target: str, max_hops: int) -> list[tuple[float, tuple[str, ...]]]:
    """Every simple path from source to target (no rule about who else it passes)."""
    out: list[tuple[float, tuple[str, ...]]] = []

    def walk(path: list[str], strength: float) -> None:
        if path[-1] == target:
            out.append((strength, tuple(path)))
            return
        if len(path) - 1 < max_hops:
            for nxt, s in p.ties_of(path[-1]).items():
                if nxt not in path:
                    walk(path + [nxt], strength * s)

    walk([source], 1.0)
    return out


async def test_introduction_paths_match_brute_force_on_every_target(net: GraphStore) -> None:
    p = await influence.project(net)
    for target, hops in itertools.product(["a2", "x", "ann", "l2", "h", "acme"], [1, 2, 3, 4]):
        found = path_algo.introduction_paths(p, target, ["e1", "e2"], hops, 2, avoid=["us"])
        best = brute_force(p, ["e1", "e2"], target, hops)[:2]
        assert [f.nodes for f in found] == [n for _, n in best], (target, hops)
        assert len({f.nodes[0] for f in found}) == len(found)


async def test_departure_lists_accounts_whose_rollup_falls(net: GraphStore) -> None:
    impact = await influence.departure(net, "e1")
    assert [d.account_id for d in impact] == ["acme"]
    (d,) = impact
    ties = (await influence.project(net)).ties_of("ann")
    assert d.before == pytest.approx(noisy_or([ties["e1"], ties["e2"]]))
    assert d.after == pytest.approx(ties["e2"]) and d.drop > 0
    assert await influence.departure(net, "a1") == []  # not our employee: no account of ours hangs on them


async def test_refresh_if_stale_refreshes_only_when_old(net: GraphStore) -> None:
    first = await influence.refresh_if_stale(net, max_age_s=3600)
    assert first is not None and first.written == len(NODES)
    assert await influence.refresh_if_stale(net, max_age_s=3600) is None
    old = to_ms(NOW - timedelta(hours=2))
    await influence.refresh(net, at_ms=old)
    again = await influence.refresh_if_stale(net, max_age_s=3600)
    assert again is not None and await net.influence_computed_at() > old


async def test_projection_cache_sees_new_interactions(net: GraphStore) -> None:
    before = await influence.projection(net)
    assert before is await influence.projection(net)
    await net.record_interactions(meetings("a2", "b2", 1))
    after = await influence.projection(net)
    assert "b2" in after.ties_of("a2") and "b2" not in before.ties_of("a2")


async def test_background_refresh_runs_when_stale_and_never_blocks(net: GraphStore) -> None:
    import asyncio

    async def get() -> GraphStore:
        return net

    task = asyncio.create_task(influence.keep_fresh(get, max_age_s=3600, check_every_s=0.05))
    try:
        for _ in range(200):
            if await net.influence_computed_at() is not None:
                break
            await asyncio.sleep(0.05)
        assert await net.influence_computed_at() is not None
        # a refresh already running makes refresh_if_stale return at once instead of queueing
        lock = influence._refresh_locks[net]
        async with lock:
            assert await asyncio.wait_for(influence.refresh_if_stale(net, max_age_s=0), timeout=1) is None
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


async def test_decision_makers_rank_role_then_reports_then_influence(net: GraphStore) -> None:
    await net.upsert_stakeholders([node("bob"), node("cat"), node("dan")])
    await net.upsert_relationships([
        {"id": "w4", "type": "WORKS_FOR", "from_id": "bob", "to_id": "acme", "role": "INFLUENCER"},
        {"id": "w5", "type": "WORKS_FOR", "from_id": "cat", "to_id": "acme", "role": "USER"},
        {"id": "w6", "type": "WORKS_FOR", "from_id": "dan", "to_id": "acme", "role": "USER"},
        {"id": "r1", "type": "REPORTS_TO", "from_id": "cat", "to_id": "dan"},
    ])
    ranked = await influence.decision_makers(net, "acme")
    assert [(d.person_id, d.role, d.reports_to) for d in ranked] == [
        ("ann", "DECISION_MAKER", None), ("bob", "INFLUENCER", None), ("dan", "USER", None), ("cat", "USER", "dan"),
    ]
    assert await influence.decision_makers(net, "x") == []


async def test_refresh_reports_its_phases(net: GraphStore) -> None:
    result = await influence.refresh(net)
    assert list(result.phases) == ["nodes", "ties", "relationships", "projection", "pagerank", "brokerage", "write"]
    phases = result.phases
    assert all(s >= 0 for s in phases.values()) and phases["relationships"] <= result.seconds
    # the relationship reads run beside the node and tie reads; the other phases follow one another
    assert sum(s for name, s in phases.items() if name != "relationships") <= result.seconds


@pytest.mark.parametrize("with_quotes", [False, True])
async def test_tie_columns_equal_the_tie_rows_in_any_number_of_ranges(store: GraphStore, with_quotes: bool) -> None:
    # ids whose order differs between bytes, code points and case, to test the range cuts
    odd = ["Zed", "zed", "émile", "éva", "ß-1", "😀-a", "😀-b", "a-1", "a-2", "m-0", "\u00e9-x", "\uffff-y"]
    if with_quotes:  # FalkorDB's toJSON cannot carry these: the reads fall back to lists
        odd += ['q"uote', "back\\slash"]
    await store.upsert_stakeholders([node(i) for i in odd])
    await store.record_interactions([m for a, b in zip(odd, odd[1:] + odd[:3]) for m in meetings(a, b, 1)])
    from relgraph.scoring.tie_columns import TieColumns
    from relgraph.services.tie_snapshot import columns_of

    rows = TieColumns.from_rows(await store.all_tie_rows())
    expected = {pair: rows.state(i) for i, pair in enumerate(rows.pairs)}
    assert len(expected) == len(odd)
    for parts in (1, 2, 3, 5, 40):
        columns = columns_of(await store.tie_state_columns(parts))
        assert len(columns.pairs) == len(set(columns.pairs)) == len(expected)  # each tie read once
        assert {pair: columns.state(i) for i, pair in enumerate(columns.pairs)} == expected
    assert [i for i, _ in await store.stakeholder_kinds()] == sorted(odd)


async def test_a_tie_missing_a_property_is_still_read_whole(store: GraphStore) -> None:
    """FalkorDB's tie read coalesces only the two times; a tie written outside relgraph
    without, say, its count shortens that column, and the store must notice and reread."""
    import dataclasses

    from relgraph.scoring.tie_columns import TieColumns
    from relgraph.services.tie_snapshot import columns_of

    ids = [f"m{i}" for i in range(8)]
    await store.upsert_stakeholders([node(i) for i in ids])
    await store.record_interactions([m for a, b in zip(ids, ids[1:]) for m in meetings(a, b, 2)])
    rows = TieColumns.from_rows(await store.all_tie_rows())
    expected = {pair: rows.state(i) for i, pair in enumerate(rows.pairs)}
    await store.runner.write("MATCH (a:Stakeholder {id: 'm3'})-[t:TIE]->(b:Stakeholder {id: 'm4'}) REMOVE t.count, t.sentiment_sum")
    expected[("m3", "m4")] = dataclasses.replace(expected[("m3", "m4")], count=0, sentiment_sum=0.0)
    for parts in (1, 3):
        columns = columns_of(await store.tie_state_columns(parts))
        assert {pair: columns.state(i) for i, pair in enumerate(columns.pairs)} == expected


def test_node_positions_of_unknown_node_ids_are_minus_one() -> None:
    from relgraph.store.influence_reads import _positions

    position = np.array([2, -1, 0, 1])  # node id 1 is no stakeholder (an interaction, say)
    assert _positions(position, [0, 3, 2, 1, 4, 99]).tolist() == [2, 1, 0, -1, -1, -1]
    assert _positions(np.full(0, -1), [0, 1]).tolist() == [-1, -1]
    assert _positions(position, []).tolist() == []


async def test_node_list_is_in_id_order(net: GraphStore) -> None:
    nodes = await net.stakeholder_kinds()
    assert [i for i, _ in nodes] == sorted(n["id"] for n in NODES)
    assert dict(nodes)["x"] == "AGENCY"


async def test_projection_after_new_stakeholders_and_ties_maps_every_pair(net: GraphStore) -> None:
    """The pair -> node index cache must follow new stakeholders (the node list changes)
    and new pairs (appended to the snapshot) exactly: the projection equals one built
    from scratch after each change."""
    async def reference(at: int) -> algo.Projection:
        return await reference_projection(net, at)

    def same(p: algo.Projection, q: algo.Projection) -> bool:
        return sorted(p.ids) == sorted(q.ids) and {i: p.ties_of(i) for i in p.ids} == {i: q.ties_of(i) for i in q.ids}

    at = to_ms(NOW)
    assert same(await influence.project(net, at_ms=at), await reference(at))
    await net.record_interactions(meetings("a2", "b2", 1))  # a new pair, same nodes: appended
    assert same(await influence.project(net, at_ms=at), await reference(at))
    await net.upsert_stakeholders([node("new1"), node("0-first")])  # new nodes: the indices shift
    await net.record_interactions(meetings("new1", "0-first", 2) + meetings("0-first", "a1", 1))
    p = await influence.project(net, at_ms=at)
    assert same(p, await reference(at)) and p.ties_of("0-first").keys() == {"new1", "a1"}
    await net.record_interactions(meetings("e1", "a1", 1))  # an existing pair changes
    assert same(await influence.project(net, at_ms=at), await reference(at))


def test_id_ranges_cover_every_id_once() -> None:
    from relgraph.store.influence_reads import id_ranges

    ids = [f"s{i:05d}" for i in range(1000)]
    for parts in (1, 2, 3, 4, 7):
        ranges = id_ranges(ids, parts)
        assert ranges[0][0] == "" and ranges[-1][1] is None and len(ranges) == parts
        assert all(hi == lo for (_, hi), (lo, _) in zip(ranges, ranges[1:]))  # consecutive
        owners = [sum(lo <= i and (hi is None or i < hi) for lo, hi in ranges) for i in ids]
        assert owners == [1] * len(ids)
        # each range holds about the same number of pairs (a, b) with a < b
        load = [sum(len(ids) - 1 - k for k, i in enumerate(ids) if lo <= i and (hi is None or i < hi)) for lo, hi in ranges]
        assert max(load) <= 1.1 * sum(load) / parts
    assert id_ranges(["a", "b"], 4) == [("", None)]


def test_brokerage_budget_leaves_room_for_the_write() -> None:
    saved = influence._write_cost
    try:
        influence._write_cost = 2e-5
        assert influence.brokerage_budget(0.0, 0) == influence.BROKERAGE_BUDGET_S
        left = influence.REFRESH_BUDGET_S - 3.0 - 2.0
        assert influence.brokerage_budget(3.0, 100_000) == pytest.approx(min(left, influence.BROKERAGE_BUDGET_S))
        assert influence.brokerage_budget(influence.REFRESH_BUDGET_S, 100_000) == 0.0
        assert influence.brokerage_samples(100_000, 1_000_000, 0.0) == influence.MIN_SAMPLES
    finally:
        influence._write_cost = saved


async def test_refresh_of_an_empty_network(store: GraphStore) -> None:
    result = await influence.refresh(store)
    assert (result.nodes, result.ties, result.written, result.brokerage_exact) == (0, 0, 0, True)
    assert await influence.top(store, None, 10) == [] and await store.influence_computed_at() is None


async def test_a_network_of_relationships_alone_reports_what_it_left_out(store: GraphStore) -> None:
    """Worked by hand. No interactions at all, only relationships:
        p1, p2, p3 WORK_FOR org; p1 KNOWS q; p2 KNOWS q (assessed 0.8); q REPORTS_TO r;
        p3 KNOWS r (ended).
    Ties: three memberships (0.5) and p2 -- q (0.8, its assessment): 4. Left out: p1 KNOWS
    q and q REPORTS_TO r (nothing known of either pair): 2; the ended one is not current.
    So the ranks differ (org, with three ties, ranks first) instead of all sharing rank 1."""
    await store.upsert_stakeholders([node("org", form="ORGANIZATION"), *(node(i) for i in ("p1", "p2", "p3", "q", "r"))])
    await store.upsert_relationships([
        *({"id": f"w{i}", "type": "WORKS_FOR", "from_id": f"p{i}", "to_id": "org"} for i in (1, 2, 3)),
        {"id": "k1", "type": "KNOWS", "from_id": "p1", "to_id": "q"},
        {"id": "k2", "type": "KNOWS", "from_id": "p2", "to_id": "q"},
        {"id": "t1", "type": "REPORTS_TO", "from_id": "q", "to_id": "r"},
        {"id": "k3", "type": "KNOWS", "from_id": "p3", "to_id": "r", "ended_at": NOW - timedelta(days=1)},
    ])
    await store.assess_relationship("k2", 0.8, by="analyst")
    result = await influence.refresh(store)
    assert (result.nodes, result.ties, result.relationships_left_out) == (6, 4, 2)
    p = await influence.project(store)
    assert p.ties_of("q") == {"p2": 0.8} and p.ties_of("org") == {f"p{i}": MEMBERSHIP_STRENGTH for i in (1, 2, 3)}
    written = await influence.influence_of(store, p.ids)
    assert written["org"].rank == 1 and len({w.rank for w in written.values()}) > 1
    assert written["r"].score == min(w.score for w in written.values())  # r has no tie left


async def test_an_assessed_strength_counts_only_without_interactions(net: GraphStore) -> None:
    """A pair that interacts keeps its computed strength; the assessment is kept beside it.
    A pair that never interacted counts at its assessment."""
    await net.upsert_relationships([
        {"id": "k1", "type": "KNOWS", "from_id": "e1", "to_id": "a1"},   # they meet: 0.76 computed
        {"id": "k2", "type": "KNOWS", "from_id": "l2", "to_id": "b3"},   # they never met
    ])
    before = (await influence.project(net)).ties_of("e1")["a1"]
    await net.assess_relationship("k1", 0.1)
    await net.assess_relationship("k2", 0.9)
    p = await influence.projection(net)  # the assessments moved the network version on
    assert p.ties_of("e1")["a1"] == pytest.approx(before) and p.ties_of("l2")["b3"] == 0.9
    result = await influence.refresh(net)
    assert result.relationships_left_out == 0 and result.ties == len(TIES) + len(MEMBERSHIPS) + 1


async def test_top_by_brokerage(net: GraphStore) -> None:
    assert await influence.top(net, None, 3, "brokerage") == []  # nothing computed yet
    await influence.refresh(net)
    brokers = await influence.top(net, None, 5, "brokerage")
    ids = [b.stakeholder_id for b in brokers]  # counted by hand above: e1 58, a1 and ann 54, a3 and e2 44
    assert ids[0] == "e1" and set(ids[1:3]) == {"a1", "ann"} and set(ids[3:5]) == {"a3", "e2"}
    assert [b.brokerage for b in brokers] == sorted((b.brokerage for b in brokers), reverse=True)
    by_rank = await influence.top(net, None, 5)
    assert [b.rank for b in by_rank] == sorted(b.rank for b in by_rank) and by_rank != brokers
    assert [b.stakeholder_id for b in await influence.top(net, ["SUPPLIER"], 5, "brokerage")] == ["h", "b3"]  # 27 and 0
    with pytest.raises(ValueError):
        await influence.top(net, None, 3, "size")


# --------------------------------------------------------------------------- properties (no database)

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@st.composite
def projections(draw: st.DrawFn) -> algo.Projection:
    n = draw(st.integers(0, 12))
    ids = [f"n{i:02d}" for i in range(n)]
    edges = draw(st.lists(st.tuples(st.integers(0, max(n - 1, 0)), st.integers(0, max(n - 1, 0)),
                                    st.floats(0.01, 1.0)), max_size=30)) if n else []
    return algo.Projection.from_edges([(i, "CUSTOMER") for i in ids], [(ids[a], ids[b], w) for a, b, w in edges])


@settings(max_examples=60, deadline=None)
@given(projections(), st.integers(2, 20), st.integers(0, 5))
def test_compute_is_consistent(p: algo.Projection, samples: int, seed: int) -> None:
    score, rank, pct, broker, exact, used = influence.compute(p, samples=samples, seed=seed, exact_limit=4)
    assert score.shape == rank.shape == pct.shape == broker.shape == (p.n,)
    if p.n:
        assert math.isclose(score.sum(), 1.0, rel_tol=1e-6)
        assert np.all((pct >= 0) & (pct <= 100)) and rank.min() == 1
        order = np.argsort(-score, kind="stable")
        assert np.all(np.diff(rank[order]) >= 0)  # higher score, better (or equal) rank
    assert exact == (p.n < 3 or p.n <= 4 or samples >= p.n)
    reference = algo.brokerage(p, exact_limit=4, samples=max(2, min(samples, p.n)), seed=seed)
    np.testing.assert_allclose(broker, reference)
    assert np.all(broker >= -1e-12)
    if exact:
        np.testing.assert_allclose(broker, algo.brokerage(p, exact_limit=10**6), atol=1e-12)


@given(st.integers(0, 10**6), st.integers(0, 10**7))
def test_brokerage_samples_stay_in_bounds(n: int, m: int) -> None:
    k = influence.brokerage_samples(n, m)
    assert 0 <= k <= min(n, influence.MAX_SAMPLES) and (k >= influence.MIN_SAMPLES or k == n)
