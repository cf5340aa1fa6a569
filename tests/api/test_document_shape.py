"""The shape and cost of adversarial documents are measured in time linear in the document.

Hypothesis writes documents that reuse fragments in every way GraphQL allows: doubling
spreads, chains of inline fragments, aliased fields in fragments, fragments on an
interface, pages set by variables, even cycles and unknown names (which GraphQL's own
rules refuse later). For each, the measuring walks must stay within a budget of visited
selections that depends on the document's length alone; where the document is small
enough to write out in full, the figures must equal those of a walk that follows every
spread (the old way).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLSchema,
    InlineFragmentNode,
    SelectionSetNode,
    TypeInfo,
    ValidationContext,
    parse,
    validate,
)
from graphql.language import Visitor, visit
from hypothesis import HealthCheck, given, settings, strategies as st

from relgraph.api.document_shape import Measure, Shape
from relgraph.api.limits import _Cost, _Sizes, _variables, cost_rule, shape_check
from relgraph.api.schema import build_schema
from relgraph.config import Settings

SETTINGS = Settings()


@lru_cache(maxsize=1)
def schema() -> GraphQLSchema:
    return build_schema(SETTINGS)._schema


def doubling(levels: int, leaf: str = "__typename") -> str:
    """`{ ...F0 }` where each fragment spreads the next twice: 2^levels leaves."""
    body = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels))
    return f"{{ ...F0 }} {body} fragment F{levels} on Query {{ {leaf} }}"


# -- the documents ---------------------------------------------------------------------------

#: Selections a fragment on Query (Q) or on Stakeholder (S) may hold; {q}/{s} is a spread
#: of a later fragment (or, for cycles, any fragment), {a} a fresh alias.
QUERY_PARTS = [
    "{a}: __typename",
    "...{q}",
    "...{q} ...{q}",
    "... on Query {{ ...{q} }}",
    "stakeholder(id: \"x\") {{ ...{s} }}",
    "stakeholders(first: $n) {{ nodes {{ ...{s} }} totalCount }}",
    "stakeholders(first: 3) {{ ...{c} }}",
    "node(id: \"x\") {{ ... on Stakeholder {{ ...{s} }} }}",
    "nodes(ids: []) {{ ...{n} }}",
]
STAKEHOLDER_PARTS = [
    "name",
    "{a}: key",
    "...{s}",
    "...{s} ...{s}",
    "... on Node {{ id ... on Stakeholder {{ ...{s} }} }}",
    "counterparts(first: 2) {{ nodes {{ stakeholder {{ ...{s} }} }} }}",
    "counterparts(first: $n) {{ ...{cp} }}",
]


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, bool]:
    """A document of fragments Q0..Qn (on Query), S0..Sn (on Stakeholder), C0..Cn (on a
    stakeholder connection), P0..Pn (on a counterpart connection), N0..Nn (on Node), and
    whether spreads may point back (a cycle, which GraphQL's own rules refuse)."""
    n = draw(st.integers(1, 12))
    cyclic = draw(st.booleans())
    alias = iter(range(10_000))

    def later(prefix: str, i: int) -> str:
        low = 0 if cyclic else min(i + 1, n)
        return f"{prefix}{draw(st.integers(low, n))}"

    def body(parts: list[str], i: int) -> str:
        chosen = draw(st.lists(st.sampled_from(parts), min_size=1, max_size=4))
        return " ".join(
            part.format(a=f"a{next(alias)}", q=later("Q", i), s=later("S", i), c=later("C", i),
                        cp=later("P", i), n=later("N", i))
            for part in chosen
        )

    fragments = []
    for i in range(n + 1):
        fragments.append(f"fragment Q{i} on Query {{ {body(QUERY_PARTS, i)} }}")
        fragments.append(f"fragment S{i} on Stakeholder {{ {body(STAKEHOLDER_PARTS, i)} }}")
        fragments.append(f"fragment C{i} on StakeholderConnection {{ totalCount nodes {{ ...S{min(i + 1, n)} }} }}")
        fragments.append(f"fragment P{i} on CounterpartConnection {{ nodes {{ direction }} }}")
        fragments.append(f"fragment N{i} on Node {{ id ... on Stakeholder {{ ...S{min(i + 1, n)} }} }}")
    if draw(st.booleans()):
        fragments.append("fragment Unused on Query { ...Missing }")
    return "query Q($n: Int) { ...Q0 } " + " ".join(fragments), cyclic


# -- the reference walks (every spread followed, as before) ----------------------------------


class TooBig(Exception):
    pass


def written_out(selections: SelectionSetNode, fragments: dict[str, Any], seen: frozenset[str],
                budget: list[int]) -> Measure:
    total = Measure()
    for selection in selections.selections:
        budget[0] -= 1
        if budget[0] < 0:
            raise TooBig
        if isinstance(selection, FieldNode):
            aliases = 1 if selection.alias else 0
            if selection.name.value.startswith("__") or selection.selection_set is None:
                part = Measure(0, aliases, 1)
            else:
                inner = written_out(selection.selection_set, fragments, seen, budget)
                part = Measure(1 + inner.depth, aliases + inner.aliases, 1 + inner.selections)
        elif isinstance(selection, InlineFragmentNode):
            part = written_out(selection.selection_set, fragments, seen, budget)
        else:
            assert isinstance(selection, FragmentSpreadNode)
            name = selection.name.value
            part = Measure() if name in seen or name not in fragments else \
                written_out(fragments[name].selection_set, fragments, seen | {name}, budget)
        total = total.beside(part)
    return total


def selection_nodes(document: Any) -> int:
    class Count(Visitor):
        count = 0

        def enter(self, node: Any, *_: Any) -> None:
            if isinstance(node, (FieldNode, InlineFragmentNode, FragmentSpreadNode)):
                Count.count += 1

    visit(document, Count())
    return Count.count


def context_for(document: Any) -> ValidationContext:
    return ValidationContext(schema(), document, TypeInfo(schema()), lambda error: None)


# -- the properties --------------------------------------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), st.integers(0, 50))
def test_measuring_visits_each_selection_a_bounded_number_of_times(doc: tuple[str, bool], page: int) -> None:
    query, cyclic = doc
    document = parse(query)
    nodes = selection_nodes(document)

    shape = Shape(document)
    (operation, measure), = shape.operations()
    assert shape.visits <= nodes

    _variables.set({"n": page})
    cost = _Cost(context_for(document), _Sizes(SETTINGS))
    figure = cost.of(operation.selection_set, schema().query_type, 1)
    # a fragment is walked once per page size it is reached with: `first: $n`, `first: 2`,
    # `first: 3`, or none
    assert cost.visits <= nodes * 4
    assert figure >= 0

    if cyclic:
        return  # measures of a cycle are cut where the walk meets it again, which differs by walk
    fragments = {d.name.value: d for d in document.definitions if hasattr(d, "type_condition")}
    try:
        reference = written_out(operation.selection_set, fragments, frozenset(), [20_000])
    except TooBig:
        assert measure.selections > 0
    else:
        assert measure == reference


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 400))
def test_doubling_fragments_measure_exactly(levels: int) -> None:
    """At any depth of doubling the walk visits 2 selections a level, and the count is exact."""
    shape = Shape(parse(doubling(levels)))
    ((_, measure),) = shape.operations()
    assert measure == Measure(depth=0, aliases=0, selections=2 ** levels)
    assert shape.visits == 2 * levels + 2


def test_doubling_fragments_are_refused_by_the_selection_limit() -> None:
    for levels in (20, 40, 100):
        errors = shape_check(SETTINGS)(parse(doubling(levels, "a: __typename")))
        limits = sorted(error.extensions["limit"] for error in errors)
        assert limits == ["max_aliases", "max_selections"], errors
        assert f"{2 ** levels} selections" in next(e.message for e in errors if e.extensions["limit"] == "max_selections")


def test_doubling_fragments_in_lists_cost_what_they_expand_to() -> None:
    """Cost follows each spread's items, so a doubled fragment under a page costs twice a
    single one, computed without walking it twice."""
    single = "{ stakeholders(first: 10) { nodes { ...A } } } fragment A on Stakeholder { name }"
    double = ("{ stakeholders(first: 10) { nodes { ...A ...A } } } fragment A on Stakeholder { ...B ...B } "
              "fragment B on Stakeholder { name }")
    costs = []
    for query in (single, double):
        document = parse(query)
        cost = _Cost(context_for(document), _Sizes(SETTINGS))
        ((operation, _),) = Shape(document).operations()
        costs.append(cost.of(operation.selection_set, schema().query_type, 1))
    # the connection and its `nodes` list count once each; `name` once per item: 10, or 4 x 10
    assert costs == [1 + 1 + 10, 1 + 1 + 40]
    over = validate(schema(), parse(doubling(30, "stakeholders(first: 10) { totalCount }")), [cost_rule(SETTINGS)])
    assert [error.extensions["limit"] for error in over] == ["max_cost"]
