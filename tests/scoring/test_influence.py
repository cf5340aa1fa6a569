"""Tests for relgraph.scoring.influence: reference implementations, properties, known answers."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relgraph.scoring.influence import (
    MEMBERSHIP_STRENGTH,
    MIN_DISTANCE,
    ConvergenceError,
    Projection,
    brokerage,
    decision_makers,
    departure_impact,
    influencers_of,
    pagerank,
    pivot_dependencies,
    ranked,
    relationship_ties,
)
from relgraph.scoring.strength import noisy_or

KINDS = ["CUSTOMER", "EMPLOYEE", "SUPPLIER", "AGENCY", "COMPETITOR"]


# --------------------------------------------------------------------------- helpers


@st.composite
def graphs(draw, max_nodes: int = 25, continuous: bool = True):
    """A small projection and the same graph in networkx (weights = strengths)."""
    n = draw(st.integers(1, max_nodes))
    ids = [f"n{i:02d}" for i in range(n)]
    kinds = [draw(st.sampled_from(KINDS)) for _ in range(n)]
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=3 * n)) if pairs else []
    strength = st.floats(0.01, 1.0) if continuous else st.sampled_from([0.5])
    edges = [(ids[i], ids[j], draw(strength)) for i, j in chosen]
    p = Projection.from_edges(zip(ids, kinds), edges)
    return p, to_nx(p)


def to_nx(p: Projection) -> nx.Graph:
    """The projection as a networkx graph with ``weight`` and ``length`` attributes."""
    g = nx.Graph()
    g.add_nodes_from(p.ids)
    for a, b, w in zip(p.src.tolist(), p.dst.tolist(), p.weight.tolist()):
        g.add_edge(p.ids[a], p.ids[b], weight=w, length=max(-math.log(w), MIN_DISTANCE))
    return g


def as_array(p: Projection, d: dict[str, float]) -> np.ndarray:
    return np.array([d[i] for i in p.ids])


def projection(g: nx.Graph, seed: int = 0) -> Projection:
    """A networkx graph with random Beta(2, 4) strengths, as a projection."""
    rng = np.random.default_rng(seed)
    ids = [str(v) for v in g.nodes]
    edges = [(str(a), str(b), float(rng.beta(2, 4)) + 1e-3) for a, b in g.edges]
    return Projection.from_edges([(i, "CUSTOMER") for i in ids], edges)


# --------------------------------------------------------------------------- projection


def test_projection_canonicalises_edges():
    p = Projection.from_edges(
        [("a", "CUSTOMER"), ("b", "EMPLOYEE"), ("c", "AGENCY"), ("d", "SUPPLIER")],
        [("b", "a", 0.4), ("a", "b", 0.7), ("a", "a", 0.9), ("c", "b", 0.0), ("c", "a", 0.2), ("a", "b", 0.1)],
    )
    ties = {(p.ids[s], p.ids[d]): w for s, d, w in zip(p.src, p.dst, p.weight)}
    assert ties == {("a", "b"): 0.7, ("a", "c"): 0.2}  # max kept, self-loop and zero dropped
    assert p.src.dtype == np.int32 and all(p.src < p.dst)
    assert p.n == 4 and p.ties_of("d") == {} and p.ties_of("a") == {"b": 0.7, "c": 0.2}


@pytest.mark.parametrize(
    ("nodes", "edges"),
    [
        ([("a", "X"), ("a", "Y")], []),
        ([("a", "X")], [("a", "zz", 0.5)]),
        ([("a", "X"), ("b", "X")], [("a", "b", 1.5)]),
        ([("a", "X"), ("b", "X")], [("a", "b", float("nan"))]),
    ],
)
def test_projection_rejects_bad_input(nodes, edges):
    with pytest.raises(ValueError):
        Projection.from_edges(nodes, edges)


# --------------------------------------------------------------------------- pagerank


@settings(deadline=None, max_examples=40)
@given(graphs())
def test_pagerank_matches_networkx_and_is_a_distribution(pg):
    p, g = pg
    ours = pagerank(p)
    ref = as_array(p, nx.pagerank(g, weight="weight", tol=1e-13, max_iter=10_000))
    assert np.all(ours >= 0)
    assert ours.sum() == pytest.approx(1.0, abs=1e-9)
    assert np.abs(ours - ref).max() < 1e-6


@settings(deadline=None, max_examples=40)
@given(graphs(), st.data())
def test_personalised_pagerank_matches_networkx(pg, data):
    p, g = pg
    weights = np.array(data.draw(st.lists(st.floats(0, 5), min_size=p.n, max_size=p.n)))
    if weights.sum() <= 0:
        weights[0] = 1.0
    ours = pagerank(p, personalization=weights, damping=0.7)
    pers = dict(zip(p.ids, weights.tolist()))
    ref = as_array(p, nx.pagerank(g, alpha=0.7, personalization=pers, weight="weight", tol=1e-13, max_iter=10_000))
    assert np.abs(ours - ref).max() < 1e-6


@settings(deadline=None, max_examples=40)
@given(graphs(), st.randoms(use_true_random=False))
def test_pagerank_is_invariant_under_relabelling(pg, rnd):
    p, _ = pg
    perm = list(range(p.n))
    rnd.shuffle(perm)  # new index of old node i is perm[i]
    ids, kinds = [""] * p.n, [""] * p.n
    for old, new in enumerate(perm):
        ids[new], kinds[new] = p.ids[old], p.kinds[old]
    edges = [(p.ids[d], p.ids[s], w) for s, d, w in zip(p.src.tolist(), p.dst.tolist(), p.weight.tolist())]
    q = Projection.from_edges(zip(ids, kinds), edges)
    assert np.abs(pagerank(q)[perm] - pagerank(p)).max() < 1e-9


@settings(deadline=None, max_examples=40)
@given(graphs(), st.data())
def test_personalised_pagerank_stays_around_the_target(pg, data):
    p, g = pg
    t = data.draw(st.integers(0, p.n - 1))
    restart = np.zeros(p.n)
    restart[t] = 1.0
    ppr = pagerank(p, personalization=restart)
    component = [p.index[v] for v in nx.node_connected_component(g, p.ids[t])]
    assert ppr[component].sum() == pytest.approx(1.0, abs=1e-9)  # nothing leaks out of it
    assert ppr[t] >= 0.15 - 1e-9  # at least the restart mass
    assert ppr[t] >= pagerank(p)[t] - 1e-9  # the target is worth more to itself than on average


def test_pagerank_known_answers():
    star = Projection.from_edges([(c, "CUSTOMER") for c in "hxyz"], [("h", x, 1.0) for x in "xyz"])
    pr = pagerank(star)
    # centre: x = 0.15/4 + 0.85 * (sum of leaves); leaves: 0.15/4 + 0.85 * x/3
    centre = (0.15 / 4 + 0.85 * 3 * 0.15 / 4) / (1 - 0.85**2)
    assert pr[0] == pytest.approx(centre, abs=1e-9)
    assert np.allclose(pr[1:], (1 - centre) / 3)
    empty = Projection.from_edges([(c, "CUSTOMER") for c in "ab"], [])
    assert np.allclose(pagerank(empty), [0.5, 0.5])  # dangling mass is spread like networkx
    assert pagerank(Projection.from_edges([], [])).size == 0


def test_pagerank_reports_non_convergence_and_bad_input():
    p = projection(nx.path_graph(30))
    with pytest.raises(ConvergenceError):
        pagerank(p, max_iter=2)
    with pytest.raises(ValueError):
        pagerank(p, personalization=np.zeros(p.n))
    with pytest.raises(ValueError):
        pagerank(p, damping=1.0)


# --------------------------------------------------------------------------- ranks


@settings(deadline=None)
@given(st.lists(st.integers(0, 6), min_size=1, max_size=40))
def test_ranks_and_percentiles_follow_scores(values):
    scores = np.array(values, dtype=float) / 7.0
    rank, pct = ranked(scores)
    n = len(values)
    for i, s in enumerate(scores):
        assert rank[i] == 1 + np.sum(scores > s)  # ties share the best rank
        assert pct[i] == pytest.approx(100.0 * np.sum(scores < s) / max(n - 1, 1))
    assert rank.min() == 1 and np.all((0 <= pct) & (pct <= 100))
    order = np.argsort(-scores)
    assert np.all(np.diff(rank[order]) >= 0) and np.all(np.diff(pct[order]) <= 0)


def test_ranks_treat_rounding_noise_as_a_tie():
    rank, pct = ranked(np.array([0.3, 0.1 + 0.2, 0.1]))  # 0.1 + 0.2 != 0.3 in binary
    assert rank.tolist() == [1, 1, 3] and pct.tolist() == [50.0, 50.0, 0.0]
    assert ranked(np.array([0.3, 0.1 + 0.2]), digits=None)[0].tolist() == [2, 1]
    assert ranked(np.array([5.0]))[1].tolist() == [0.0]


# --------------------------------------------------------------------------- brokerage


@settings(deadline=None, max_examples=40)
@given(graphs(max_nodes=30))
def test_exact_brokerage_equals_networkx_weighted(pg):
    p, g = pg
    ref = nx.betweenness_centrality(g, weight="length", normalized=True)
    assert np.abs(brokerage(p) - as_array(p, ref)).max() < 1e-9


@settings(deadline=None, max_examples=30)
@given(graphs(max_nodes=30, continuous=False))
def test_exact_brokerage_equals_networkx_with_tied_paths(pg):
    p, g = pg  # equal strengths: many equally short paths, split like networkx does
    ref = nx.betweenness_centrality(g, weight="length", normalized=True)
    assert np.abs(brokerage(p) - as_array(p, ref)).max() < 1e-9
    hops = nx.betweenness_centrality(g, normalized=True)
    assert np.abs(brokerage(p, weighted=False) - as_array(p, hops)).max() < 1e-9


def test_brokerage_known_answers():
    star = Projection.from_edges([(c, "CUSTOMER") for c in "hwxyz"], [("h", x, 0.5) for x in "wxyz"])
    assert brokerage(star).tolist() == pytest.approx([1.0, 0, 0, 0, 0])
    path = Projection.from_edges([(c, "CUSTOMER") for c in "abcde"], list(zip("abcd", "bcde", [0.5] * 4)))
    assert brokerage(path).tolist() == pytest.approx([0, 3 / 6, 4 / 6, 3 / 6, 0])
    # two cliques of five joined through one bridge person: the bridge is the top broker
    left = [(f"l{i}", f"l{j}", 0.9) for i in range(5) for j in range(i + 1, 5)]
    right = [(f"r{i}", f"r{j}", 0.9) for i in range(5) for j in range(i + 1, 5)]
    nodes = [(f"{s}{i}", "CUSTOMER") for s in "lr" for i in range(5)] + [("bridge", "AGENCY")]
    p = Projection.from_edges(nodes, left + right + [("l0", "bridge", 0.6), ("bridge", "r0", 0.6)])
    b = brokerage(p)
    assert p.ids[int(np.argmax(b))] == "bridge"
    assert b[p.index["bridge"]] > b[p.index["l0"]] > b[p.index["l1"]] == 0
    # a strong detour beats a weak shortcut: c lies on the strongest a-b chain
    tri = Projection.from_edges([(c, "CUSTOMER") for c in "abc"], [("a", "b", 0.1), ("a", "c", 0.9), ("c", "b", 0.9)])
    assert brokerage(tri).tolist() == pytest.approx([0, 0, 1.0])
    assert brokerage(tri, weighted=False).tolist() == pytest.approx([0, 0, 0])


def igraph_dependencies(p: Projection, pivots: list[int]) -> np.ndarray:
    """sum over pivots of delta_s(v) by igraph's Brandes (the reference: it halves undirected sums)."""
    length = [max(-math.log(w), MIN_DISTANCE) for w in p.weight.tolist()]
    return 2.0 * np.asarray(p.ig_graph.betweenness(directed=False, weights=length, sources=pivots), dtype=float)


@settings(deadline=None, max_examples=60)
@given(st.one_of(graphs(max_nodes=30), graphs(max_nodes=30, continuous=False)), st.data())
def test_pivot_dependencies_equal_brandes(pg, data):
    """The sampled estimator's per-pivot sums (scipy's Dijkstra + levelled DAG) are igraph's
    Brandes sums, also when many paths are equally short (equal strengths)."""
    p, _ = pg
    if p.n == 0:
        return
    pivots = data.draw(st.lists(st.integers(0, p.n - 1), unique=True, min_size=1, max_size=p.n))
    mine, ref = pivot_dependencies(p, pivots), igraph_dependencies(p, pivots)
    assert np.abs(mine - ref).max() <= 1e-9 * max(1.0, ref.max())


def test_pivot_dependencies_with_perfect_ties_and_deep_chains():
    # strength-1 ties (length MIN_DISTANCE), and a square of equal strengths: two tied paths
    sq = Projection.from_edges([(c, "CUSTOMER") for c in "abcde"],
                               [("a", "b", 1.0), ("b", "d", 1.0), ("a", "c", 1.0), ("c", "d", 1.0), ("d", "e", 0.3)])
    assert pivot_dependencies(sq, [0]).tolist() == pytest.approx(igraph_dependencies(sq, [0]).tolist())
    assert pivot_dependencies(sq, [0])[sq.index["b"]] == pytest.approx(1.0)  # half of d and half of e
    # a chain deeper than MAX_LEVELS goes to igraph and still agrees
    n = 1_200
    chain = Projection.from_edges([(f"c{i:04d}", "CUSTOMER") for i in range(n)],
                                  [(f"c{i:04d}", f"c{i + 1:04d}", 0.5) for i in range(n - 1)])
    assert np.allclose(pivot_dependencies(chain, [0, n // 2]), igraph_dependencies(chain, [0, n // 2]))


def test_sampled_brokerage_is_the_pivot_estimate_of_brandes(exact_brokerage):
    """Sampled brokerage = (n-1)/k_v * sum over pivots of delta_s(v) / ((n-1)(n-2)), with the
    pivots the seeded generator draws -- whichever Brandes computes the sums."""
    p, _, _ = exact_brokerage["powerlaw_cluster_1200"]
    k, n = 60, p.n
    pivots = np.random.default_rng(5).choice(n, size=k, replace=False)
    per_source = np.full(n, float(k))
    per_source[pivots] = k - 1
    expected = igraph_dependencies(p, pivots.tolist()) * (n - 1) / per_source / ((n - 1) * (n - 2))
    assert np.allclose(brokerage(p, exact_limit=0, samples=k, seed=5), expected, rtol=1e-9, atol=1e-15)


# Sampled brokerage: bounds documented in docs/influence.md ("Sampling error").
SAMPLED_GRAPHS = {
    "barabasi_albert_800": (lambda: nx.barabasi_albert_graph(800, 3, seed=1), True),
    "powerlaw_cluster_1200": (lambda: nx.powerlaw_cluster_graph(1200, 3, 0.3, seed=2), True),
    "gnm_2000": (lambda: nx.gnm_random_graph(2000, 7000, seed=3), False),
}


@pytest.fixture(scope="module")
def exact_brokerage():
    out = {}
    for name, (make, heavy_tailed) in SAMPLED_GRAPHS.items():
        p = projection(make())
        out[name] = (p, brokerage(p), heavy_tailed)
    return out


def mae_bound(exact: np.ndarray, k: int) -> float:
    """sqrt(mean(b) * (n - k) / ((n - 2)(k - 1))): bound on the expected mean absolute error."""
    n = exact.size
    return math.sqrt(exact.mean() * (n - k) / ((n - 2) * (k - 1)))


@pytest.mark.parametrize("name", list(SAMPLED_GRAPHS))
@pytest.mark.parametrize("k", [100, 500])
def test_sampled_brokerage_error_bounds(exact_brokerage, name, k):
    p, exact, heavy_tailed = exact_brokerage[name]
    sampled = brokerage(p, exact_limit=0, samples=k, seed=7)
    mae = np.abs(sampled - exact).mean()
    assert mae <= 0.35 * mae_bound(exact, k)  # measured 0.17-0.23 of the bound
    top_exact = set(np.argsort(-exact)[:10].tolist())
    top_sampled = np.argsort(-sampled)[:10]
    if heavy_tailed:  # clear brokers: the sample finds them
        assert len(top_exact & set(top_sampled.tolist())) >= (8 if k == 500 else 6)
    tenth = np.sort(exact)[-10]
    # whoever the sample calls a top broker truly is one, up to the sampling noise
    assert exact[top_sampled].min() >= (0.5 if k == 500 else 0.1) * tenth


def test_sampled_brokerage_is_seeded_and_unbiased_on_average(exact_brokerage):
    p, exact, _ = exact_brokerage["barabasi_albert_800"]
    a = brokerage(p, exact_limit=0, samples=200, seed=3)
    assert np.array_equal(a, brokerage(p, exact_limit=0, samples=200, seed=3))
    mean = np.mean([brokerage(p, exact_limit=0, samples=200, seed=s) for s in range(8)], axis=0)
    top = np.argsort(-exact)[:20]
    assert np.abs(mean[top] - exact[top]).mean() < 0.1 * exact[top].mean()
    assert np.array_equal(brokerage(p, exact_limit=0, samples=p.n), exact)  # k >= n is exact


# --------------------------------------------------------------------------- one target


@settings(deadline=None, max_examples=40)
@given(graphs(), st.data())
def test_influencers_of_is_personalised_pagerank_without_the_target(pg, data):
    p, g = pg
    t = data.draw(st.integers(0, p.n - 1))
    kinds = data.draw(st.none() | st.sets(st.sampled_from(KINDS), min_size=1))
    first = data.draw(st.integers(1, 8))
    got = influencers_of(p, p.ids[t], kinds, first)
    ref = nx.pagerank(g, personalization={p.ids[t]: 1.0}, weight="weight", tol=1e-13, max_iter=10_000)
    ids = [i for i, _ in got]
    assert p.ids[t] not in ids and len(ids) == len(set(ids)) <= first
    assert all(kinds is None or p.kinds[p.index[i]] in kinds for i in ids)
    assert all(s > 0 and abs(s - ref[i]) < 1e-6 for i, s in got)
    assert [s for _, s in got] == sorted((s for _, s in got), reverse=True)
    eligible = [v for v in p.ids if v != p.ids[t] and ref[v] > 1e-6 and (kinds is None or p.kinds[p.index[v]] in kinds)]
    if len(got) < first:  # everyone eligible with a score made the list
        assert set(eligible) <= set(ids)
    elif got:  # nobody left out scores clearly higher than the last one in
        assert all(ref[v] <= got[-1][1] + 1e-6 for v in eligible if v not in ids)


def test_influencers_of_known_answer():
    nodes = [("acct", "CUSTOMER"), ("near", "EMPLOYEE"), ("mid", "CUSTOMER"), ("far", "EMPLOYEE"), ("x", "AGENCY")]
    edges = [("acct", "near", 0.9), ("near", "mid", 0.5), ("mid", "far", 0.5), ("acct", "mid", 0.1)]
    p = Projection.from_edges(nodes, edges)
    got = influencers_of(p, "acct", None, 10)
    assert [i for i, _ in got] == ["near", "mid", "far"]  # x is unreachable: score 0, not listed
    assert [i for i, _ in influencers_of(p, "acct", {"EMPLOYEE"}, 1)] == ["near"]
    assert influencers_of(p, "acct", None, 0) == []
    with pytest.raises(ValueError):
        influencers_of(p, "nobody", None, 3)


@settings(deadline=None, max_examples=40)
@given(graphs(), st.data())
def test_influencers_of_an_organisation_restart_at_it_and_its_people(pg, data):
    p, g = pg
    t = data.draw(st.integers(0, p.n - 1))
    members = data.draw(st.sets(st.sampled_from(p.ids), max_size=4))  # may hold the target
    exclude = data.draw(st.sets(st.sampled_from(p.ids + ["nobody"]), max_size=3))
    first = data.draw(st.integers(1, 8))
    got = influencers_of(p, p.ids[t], None, first, members=members, exclude=exclude)
    seeds = {p.ids[t], *members}
    ref = nx.pagerank(g, personalization={i: 1.0 / len(seeds) for i in seeds}, weight="weight", tol=1e-13, max_iter=10_000)
    ids = [i for i, _ in got]
    assert p.ids[t] not in ids and not exclude & set(ids) and len(ids) == len(set(ids)) <= first
    assert all(s > 0 and abs(s - ref[i]) < 1e-6 for i, s in got)
    assert [s for _, s in got] == sorted((s for _, s in got), reverse=True)
    eligible = [v for v in p.ids if v != p.ids[t] and v not in exclude and ref[v] > 1e-6]
    if len(got) < first:
        assert set(eligible) <= set(ids)  # the members among them: an organisation's people are listed
    else:
        assert all(ref[v] <= got[-1][1] + 1e-6 for v in eligible if v not in ids)


def test_influencers_of_an_organisation_list_its_people():
    """Worked by hand. acme's people u and dm belong to it (membership 0.5); our account
    manager e talks to u (0.9) and works for us (0.5):
        us -0.5- e -0.9- u -0.5- acme -0.5- dm
    Restarting at acme, u and dm (a third each), each of them scores at least its restart
    share, (1 - 0.85) / 3 = 0.05, and dm -- reached only from acme -- at most its share
    plus what acme sends it: dm = 0.05 + 0.85 * acme / 2. Scores sum to 1 with acme's.
    Excluding us and e leaves exactly acme's people; acme itself is never listed."""
    nodes = [("acme", "CUSTOMER"), ("dm", "CUSTOMER"), ("u", "CUSTOMER"), ("e", "EMPLOYEE"), ("us", "EMPLOYEE")]
    edges = [("us", "e", 0.5), ("e", "u", 0.9), ("u", "acme", 0.5), ("acme", "dm", 0.5)]
    p = Projection.from_edges(nodes, edges)
    got = dict(influencers_of(p, "acme", None, 10, members=["u", "dm"]))
    assert set(got) == {"u", "dm", "e", "us"} and "acme" not in got
    restart = np.array([1.0 if i in {"acme", "u", "dm"} else 0.0 for i in p.ids]) / 3
    acme = float(pagerank(p, personalization=restart)[p.index["acme"]])
    assert got["u"] >= 0.05 and got["dm"] >= 0.05
    assert got["dm"] == pytest.approx(0.05 + 0.85 * acme / 2, rel=1e-6)
    assert acme + sum(got.values()) == pytest.approx(1.0)
    ours = influencers_of(p, "acme", None, 10, members=["u", "dm"], exclude=["us", "e", "nobody"])
    assert [i for i, _ in ours] == sorted(["u", "dm"], key=lambda i: -got[i])
    with pytest.raises(ValueError):
        influencers_of(p, "acme", None, 3, members=["nobody"])


def test_relationship_ties_known_answers():
    got = relationship_ties(
        memberships=[("ann", "acme"), ("bob", "acme")],
        unmeasured=[
            ("ann", "acme", None, None),   # a membership without interactions: 0.5, not left out
            ("cat", "dan", 0.3, 100),      # assessed twice: the latest (0.7 at 200) stands
            ("dan", "cat", 0.7, 200),
            ("eve", "fay", None, None),    # nothing known: left out
            ("eve", "fay", None, None),    # a second relationship of the same pair: left out too
            ("gus", "hal", 0.0, 5),        # assessed as no tie: left out
            ("bob", "acme", 0.9, 1),       # an assessed membership: the larger of the two
        ],
    )
    assert got.edges == [("acme", "ann", MEMBERSHIP_STRENGTH), ("acme", "bob", 0.9), ("cat", "dan", 0.7)]
    assert got.left_out == 3
    assert relationship_ties([], []) == relationship_ties([], [], membership=0.9)
    assert relationship_ties([("a", "b")], [], membership=0.0).edges == []
    with pytest.raises(ValueError):
        relationship_ties([], [("a", "b", 1.5, 1)])
    with pytest.raises(ValueError):
        relationship_ties([], [], membership=2.0)


NAMES = st.sampled_from(["a", "b", "c", "d", "e"])


@settings(deadline=None, max_examples=150)
@given(
    st.lists(st.tuples(NAMES, NAMES), max_size=6),
    st.lists(st.tuples(NAMES, NAMES, st.none() | st.floats(0.0, 1.0), st.none() | st.integers(0, 3)), max_size=10),
    st.floats(0.0, 1.0),
)
def test_relationship_ties_properties(memberships, unmeasured, membership):
    got = relationship_ties(memberships, unmeasured, membership)
    strength = {(a, b): s for a, b, s in got.edges}
    assert all(a < b and 0 < s <= 1 for a, b, s in got.edges) and len(strength) == len(got.edges)
    pair = lambda a, b: (min(a, b), max(a, b))  # noqa: E731
    for a, b in memberships:
        if a != b and membership > 0:
            assert strength[pair(a, b)] >= membership  # membership is a floor
    latest: dict[tuple[str, str], tuple[float, float]] = {}  # the model: latest assessment, larger on a tie
    for a, b, assessed, at in unmeasured:
        if a != b and assessed is not None:
            key, seen = pair(a, b), (-1 if at is None else at, assessed)
            latest[key] = max(latest.get(key, seen), seen)
    members = {pair(a, b) for a, b in memberships if a != b and membership > 0}
    counted = set(strength)
    assert counted >= members
    assert got.left_out == sum(1 for a, b, _, _ in unmeasured if a != b and pair(a, b) not in counted)
    for key, s in strength.items():  # each pair: the larger of its membership and its latest assessment
        assert s == max(membership if key in members else 0.0, latest.get(key, (0, 0.0))[1])
    assert counted == members | {key for key, (_, x) in latest.items() if x > 0}


# --------------------------------------------------------------------------- organisation


def test_decision_makers_order():
    people = [
        ("user-top", "USER", None, 0.9),
        ("dm-junior", "DECISION_MAKER", "dm-boss", 0.5),
        ("dm-boss", "DECISION_MAKER", "outsider", 0.1),
        ("inf-a", "INFLUENCER", "dm-boss", 0.2),
        ("inf-b", "INFLUENCER", "dm-junior", 0.3),
        ("nobody", None, "dm-boss", 0.99),
        ("gate", "GATEKEEPER", None, 0.0),
    ]
    ranked_ids = [row[0] for row in decision_makers(people)]
    # role first; among DMs the boss (4 people below) beats the junior (1 below)
    assert ranked_ids == ["dm-boss", "dm-junior", "inf-b", "inf-a", "gate", "user-top", "nobody"]


def test_decision_makers_ties_cycles_and_bad_roles():
    people = [("b", "USER", "a", 0.5), ("a", "USER", "b", 0.5), ("c", "USER", "c", 0.5)]
    assert [r[0] for r in decision_makers(people)] == ["a", "b", "c"]  # cycle: 1 report each
    assert decision_makers([]) == []
    with pytest.raises(ValueError):
        decision_makers([("a", "CEO", None, 1.0)])


# --------------------------------------------------------------------------- departure


def test_departure_impact_known_answer():
    ties = {"acme": {"ann": 0.8, "bob": 0.2}, "zeta": {"ann": 0.3}, "omni": {"bob": 0.9}, "tied": {"ann": 0.5}}
    org = {"acme": 0.1, "zeta": 0.0, "tied": 1.0}
    got = departure_impact(ties, org, "ann")
    assert [a for a, _, _ in got] == ["acme", "zeta"]  # omni: no tie; tied: org tie is 1
    acme = got[0]
    assert acme[1] == pytest.approx(1 - 0.2 * 0.8 * 0.9) and acme[2] == pytest.approx(1 - 0.8 * 0.9)
    assert got[1] == ("zeta", pytest.approx(0.3), pytest.approx(0.0))
    with pytest.raises(ValueError):
        departure_impact({"a": {"ann": 1.2}}, {}, "ann")


@settings(deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["a1", "a2", "a3", "a4"]),
        st.dictionaries(st.sampled_from(["e1", "e2", "e3"]), st.floats(0, 1), max_size=3),
        max_size=4,
    ),
    st.dictionaries(st.sampled_from(["a1", "a2", "a3", "a4"]), st.floats(0, 1), max_size=4),
    st.sampled_from(["e1", "e2", "e3"]),
)
def test_departure_never_increases_strength(ties, org, employee):
    got = departure_impact(ties, org, employee)
    drops = [before - after for _, before, after in got]
    assert all(after < before for _, before, after in got)
    assert drops == sorted(drops, reverse=True)
    for account, before, after in got:
        assert employee in ties[account]
        assert before == pytest.approx(noisy_or([*ties[account].values(), org.get(account, 0.0)]))
    listed = {a for a, _, _ in got}
    for account, people in ties.items():  # the rest would not fall
        if account not in listed:
            rest = [s for e, s in people.items() if e != employee] + [org.get(account, 0.0)]
            assert noisy_or(rest) >= noisy_or([*people.values(), org.get(account, 0.0)]) - 1e-12
