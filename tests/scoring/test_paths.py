"""Tests for relgraph.scoring.paths: optimality against brute force, limits, known answers."""

from __future__ import annotations

import math
import random
from dataclasses import FrozenInstanceError

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relgraph.scoring.influence import Projection
from relgraph.scoring.paths import Path, introduction_paths

#: Dyadic strengths multiply exactly, so equal products are real ties, not rounding.
TIED_STRENGTHS = [1.0, 0.5, 0.25, 0.125, 0.75]


def brute_force(g: nx.Graph, target: str, sources, max_hops: int, first: int, avoid=()) -> list[Path]:
    """Each source's best simple path of at most ``max_hops`` ties that passes through no
    other source and nothing in ``avoid``, the sources in the documented order."""
    starts = set(sources) - {target}
    blocked = starts | (set(avoid) - {target})
    best = []
    for s in starts:
        mine = []
        for nodes in nx.all_simple_paths(g, s, target, cutoff=max_hops) if max_hops > 0 else []:
            if blocked.isdisjoint(nodes[1:-1]):
                strengths = tuple(g[a][b]["weight"] for a, b in zip(nodes, nodes[1:]))
                mine.append(Path(tuple(nodes), strengths, math.prod(strengths)))
        if mine:
            best.append(min(mine, key=order))
    return sorted(best, key=order)[:first]


def order(q: Path) -> tuple:
    return (-q.strength, len(q.nodes), q.nodes)


def build(n: int, edges: list[tuple[int, int, float]]) -> tuple[Projection, nx.Graph]:
    ids = [f"n{i:02d}" for i in range(n)]
    g = nx.Graph()
    g.add_nodes_from(ids)
    g.add_weighted_edges_from((ids[a], ids[b], w) for a, b, w in edges)
    return Projection.from_edges([(i, "EMPLOYEE") for i in ids], [(a, b, d["weight"]) for a, b, d in g.edges(data=True)]), g


@st.composite
def cases(draw):
    n = draw(st.integers(1, 9))
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True)) if pairs else []
    strength = st.sampled_from(TIED_STRENGTHS) if draw(st.booleans()) else st.floats(0.01, 1.0)
    p, g = build(n, [(a, b, draw(strength)) for a, b in chosen])
    target = draw(st.sampled_from(p.ids))
    sources = draw(st.lists(st.sampled_from(p.ids), max_size=n))  # may hold the target, repeats
    avoid = draw(st.lists(st.sampled_from(p.ids), max_size=2))  # may hold the target or a source
    return p, g, target, sources, draw(st.integers(0, 5)), draw(st.integers(1, 6)), avoid


@settings(deadline=None, max_examples=300)
@given(cases())
def test_paths_are_each_sources_best_path_for_the_best_sources(case):
    p, g, target, sources, max_hops, first, avoid = case
    got = introduction_paths(p, target, sources, max_hops=max_hops, first=first, avoid=avoid)
    assert got == brute_force(g, target, sources, max_hops, first, avoid)
    starts = [path.nodes[0] for path in got]
    assert len(starts) == len(set(starts))  # a different introducer each
    for path in got:
        assert len(set(path.nodes)) == len(path.nodes) and path.nodes[-1] == target
        assert path.nodes[0] in sources and 1 <= len(path.strengths) <= max_hops
        assert set(path.nodes[1:-1]).isdisjoint(set(sources) | set(avoid))  # nobody else who could start it
        assert path.strength == math.prod(path.strengths)
        assert path.strengths == tuple(g[a][b]["weight"] for a, b in zip(path.nodes, path.nodes[1:]))
    assert [order(q) for q in got] == sorted(order(q) for q in got)


@pytest.mark.parametrize("seed", range(4))
def test_paths_on_a_larger_graph_match_brute_force(seed):
    rng = random.Random(seed)
    base = nx.powerlaw_cluster_graph(150, 2, 0.2, seed=seed)
    p, g = build(150, [(a, b, round(rng.uniform(0.05, 1.0), 2)) for a, b in base.edges])
    sources = rng.sample(p.ids, 12)
    for target in rng.sample(p.ids, 3):
        got = introduction_paths(p, target, sources, max_hops=4, first=5)
        assert got == brute_force(g, target, sources, 4, 5)


def test_known_answers():
    # a: direct 0.3; via b: 0.9 * 0.8 = 0.72; via c, d: 0.9^3 = 0.729 (three hops)
    p, _ = build(5, [(0, 4, 0.3), (0, 1, 0.9), (1, 4, 0.8), (0, 2, 0.9), (2, 3, 0.9), (3, 4, 0.9)])
    got = introduction_paths(p, "n04", ["n00"], max_hops=4, first=5)
    assert [q.nodes for q in got] == [("n00", "n02", "n03", "n04")]  # one introducer, one path
    assert got[0].strengths == (0.9, 0.9, 0.9) and got[0].strength == pytest.approx(0.729)
    # the hop limit cuts the strongest path
    assert [q.nodes for q in introduction_paths(p, "n04", ["n00"], max_hops=2, first=5)] == [("n00", "n01", "n04")]
    assert [q.nodes for q in introduction_paths(p, "n04", ["n00"], max_hops=1)] == [("n00", "n04")]
    # n01 and n03 as introducers too: n03 0.9 and n01 0.8 directly; n00 may pass through
    # neither of them any more, so its chains via n01 (0.72) and via n03 (0.729) are theirs
    # and its own best is its direct 0.3
    got = introduction_paths(p, "n04", ["n00", "n01", "n03"], max_hops=4, first=5)
    assert [(q.nodes, q.strength) for q in got] == [
        (("n03", "n04"), 0.9), (("n01", "n04"), 0.8), (("n00", "n04"), 0.3),
    ]


def test_ties_prefer_fewer_hops_then_ids():
    p, _ = build(5, [(0, 3, 0.5), (0, 1, 1.0), (1, 3, 0.5), (2, 3, 0.5), (4, 1, 1.0)])
    got = introduction_paths(p, "n03", ["n00", "n02", "n04"], max_hops=3, first=3)
    # n00 has two paths of 0.5; its direct tie wins on hops. n04 needs two hops.
    assert [q.nodes for q in got] == [("n00", "n03"), ("n02", "n03"), ("n04", "n01", "n03")]
    assert {q.strength for q in got} == {0.5}


def test_second_path_comes_from_the_other_employee():
    """Worked by hand. Two employees e1, e2; the target t is reached
        e2 -0.9- e1 -0.8- c -0.9- t     and     e2 -0.5- d -0.6- t.
    The strongest chains are e1 c t (0.72) and e2 e1 c t (0.648), then e2 d t (0.3).
    But e2 e1 c t is e1's introduction with e2 in front, so the second answer must be
    e2's own best chain that avoids e1: e2 d t (0.5 x 0.6 = 0.3)."""
    ids = ["c", "d", "e1", "e2", "t"]
    p = Projection.from_edges(
        [(i, "EMPLOYEE" if i.startswith("e") else "CUSTOMER") for i in ids],
        [("e2", "e1", 0.9), ("e1", "c", 0.8), ("c", "t", 0.9), ("e2", "d", 0.5), ("d", "t", 0.6)],
    )
    got = introduction_paths(p, "t", ["e1", "e2"], max_hops=4, first=3)
    assert [q.nodes for q in got] == [("e1", "c", "t"), ("e2", "d", "t")]
    assert got[0].strength == pytest.approx(0.72) and got[1].strength == pytest.approx(0.3)
    # e2 alone may pass through e1: e1 is then no introducer of ours
    assert introduction_paths(p, "t", ["e2"])[0].nodes == ("e2", "e1", "c", "t")
    # the company node joins both employees: nobody is introduced through it
    q = Projection.from_edges([("us", "EMPLOYEE"), *((i, "CUSTOMER") for i in ids)],
                              [("e1", "us", 0.5), ("e2", "us", 0.5), ("us", "t", 0.9), ("e2", "d", 0.5), ("d", "t", 0.6)])
    assert [x.nodes for x in introduction_paths(q, "t", ["e1", "e2"], avoid=["us"])] == [("e2", "d", "t")]
    assert [x.nodes for x in introduction_paths(q, "t", ["e1", "e2"])][:2] == [("e1", "us", "t"), ("e2", "us", "t")]


def test_edge_cases():
    p, _ = build(4, [(0, 1, 0.5), (2, 3, 0.5)])
    assert introduction_paths(p, "n03", ["n00", "n01"]) == []  # unreachable
    assert introduction_paths(p, "n03", ["n03"]) == []  # the target needs no introduction
    assert introduction_paths(p, "n03", []) == []
    assert introduction_paths(p, "n03", ["n02"], max_hops=0) == []
    assert introduction_paths(p, "n03", ["n02"], first=0) == []
    assert introduction_paths(p, "n03", ["n02", "n03"]) == [Path(("n02", "n03"), (0.5,), 0.5)]
    assert introduction_paths(p, "n03", ["n02"], avoid=["nobody", "n03"]) == [Path(("n02", "n03"), (0.5,), 0.5)]
    with pytest.raises(ValueError):
        introduction_paths(p, "nobody", ["n00"])
    with pytest.raises(ValueError):
        introduction_paths(p, "n03", ["nobody"])
    with pytest.raises(ValueError):
        introduction_paths(p, "n03", ["n00"], max_hops=-1)
    with pytest.raises(FrozenInstanceError):
        Path(("a", "b"), (0.5,), 0.5).strength = 1.0  # type: ignore[misc]


def test_exhausted_budget_returns_a_prefix_of_the_best():
    rng = random.Random(9)
    base = nx.gnm_random_graph(60, 400, seed=9)
    p, _ = build(60, [(a, b, rng.uniform(0.05, 1.0)) for a, b in base.edges])
    full = introduction_paths(p, "n00", p.ids[30:], max_hops=4, first=20)
    for budget in (1, 3, 10, 30):
        part = introduction_paths(p, "n00", p.ids[30:], max_hops=4, first=20, budget=budget)
        assert part == full[: len(part)]
