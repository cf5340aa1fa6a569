"""The shape of a GraphQL document (depth, aliases, selections), measured in linear time.

A fragment may be spread many times, and a fragment may spread others, so a document of
a few hundred bytes can stand for 2^100 selections (`fragment F0 { ...F1 ...F1 }`, and so
on). A walk that follows every spread does that many steps before it can say "too big".
Here each fragment is measured once and its figures are reused, scaled by its uses:

- depth: a spread adds no level of its own, so a fragment's depth is the same wherever it
  is spread, and the deepest use is its depth plus the depth at the spread;
- aliases and selections: a fragment spread n times counts n times its own, so the
  totals multiply out, and grow only by multiplication, never by walking.

Measuring therefore visits each selection of the document once, whatever its shape.
`Shape.visits` counts those visits, so tests can hold the walk to a budget.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)


@dataclass(frozen=True)
class Measure:
    """What a selection set stands for once every spread in it is written out."""

    depth: int = 0
    aliases: int = 0
    selections: int = 0

    def beside(self, other: Measure) -> Measure:
        """Two selections side by side: the deeper depth, the summed counts."""
        return Measure(max(self.depth, other.depth), self.aliases + other.aliases, self.selections + other.selections)


@dataclass
class Shape:
    """Measures a document's operations; each fragment is measured once and remembered."""

    document: DocumentNode
    visits: int = 0
    _fragments: dict[str, FragmentDefinitionNode] = field(init=False)
    _measured: dict[str, Measure] = field(init=False, default_factory=dict)
    _measuring: set[str] = field(init=False, default_factory=set)

    def __post_init__(self) -> None:
        self._fragments = {
            definition.name.value: definition
            for definition in self.document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }

    def operations(self) -> list[tuple[OperationDefinitionNode, Measure]]:
        """Every operation of the document with its measure."""
        return [
            (definition, self.of(definition.selection_set))
            for definition in self.document.definitions
            if isinstance(definition, OperationDefinitionNode)
        ]

    def of(self, selections: SelectionSetNode) -> Measure:
        """The measure of one selection set (depth counted from its parent field)."""
        total = Measure()
        for selection in selections.selections:
            self.visits += 1
            total = total.beside(self._selection(selection))
        return total

    def _selection(self, selection: object) -> Measure:
        if isinstance(selection, FieldNode):
            return self._field(selection)
        if isinstance(selection, InlineFragmentNode):
            return self.of(selection.selection_set)
        if isinstance(selection, FragmentSpreadNode):
            return self.fragment(selection.name.value)
        return Measure()

    def _field(self, node: FieldNode) -> Measure:
        aliases = 1 if node.alias else 0
        if node.name.value.startswith("__") or node.selection_set is None:
            # introspection fields never count towards depth, as in strawberry's limiter
            return Measure(0, aliases, 1)
        inner = self.of(node.selection_set)
        return Measure(1 + inner.depth, aliases + inner.aliases, 1 + inner.selections)

    def fragment(self, name: str) -> Measure:
        """A named fragment's measure, computed on its first spread.

        An unknown fragment, or one spread inside itself, measures nothing: GraphQL's own
        rules (KnownFragmentNames, NoFragmentCycles) refuse such documents by name.
        """
        if name in self._measured:
            return self._measured[name]
        definition = self._fragments.get(name)
        if definition is None or name in self._measuring:
            return Measure()
        self._measuring.add(name)
        try:
            measure = self.of(definition.selection_set)
        finally:
            self._measuring.discard(name)
        self._measured[name] = measure
        return measure
