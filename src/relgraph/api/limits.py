"""Query limits: every request is sized up during validation, before any resolver runs.

A request that breaks a limit never reaches the database, so refusing it is cheap, and
a client learns which limit it broke:

- the shape of the document (`max_depth`, `max_aliases`, `max_tokens`, `max_cost`) is
  GRAPHQL_VALIDATION_FAILED with the setting's name in `extensions.limit`;
- a value the client writes that is too big (a string over `max_string_length`
  characters, a list over `max_batch` items), or a string with a NUL character, is
  BAD_USER_INPUT with the argument path in `extensions.field`, like any other bad value.

The token limit is strawberry's, with its error tagged. Depth, aliases, selections and
cost are measured here, each fragment once however often it is spread, so that the work
grows with the document's length and never with what it expands to. Cost and value sizes
also read the request's variables, which `RequestVariables` hands them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLNamedType,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    Node,
    ObjectValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    ValidationContext,
    ValidationRule,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
)
from graphql.language import ArgumentNode, VariableDefinitionNode
from strawberry.extensions import MaxTokensLimiter, SchemaExtension

from relgraph.api.document_shape import Shape
from relgraph.api.influence import MAX_HOPS
from relgraph.api.pagination import DEFAULT_PAGE_SIZE
from relgraph.api.validation import two_step_validation
from relgraph.config import Settings
from relgraph.domain.enums import StakeholderKind, Tier
from relgraph.errors import BadUserInput

SHAPE_CODE = "GRAPHQL_VALIDATION_FAILED"

#: The variables of the request being validated (validation rules see only the document).
_variables: ContextVar[Mapping[str, Any]] = ContextVar("relgraph_request_variables", default={})


class LimitExceeded(BadUserInput):
    """A request refused before GraphQL saw it (body size, batch size): BAD_USER_INPUT
    with the setting's name in `extensions.limit`."""

    def __init__(self, message: str, limit: str) -> None:
        super().__init__(message)
        self.limit = limit

    def extensions(self) -> dict[str, str]:
        return {**super().extensions(), "limit": self.limit}

    def body(self) -> dict[str, Any]:
        """The GraphQL-shaped response body."""
        return {"errors": [{"message": self.message, "extensions": self.extensions()}]}


def tag(error: GraphQLError, limit: str) -> GraphQLError:
    """Mark `error` as a breach of the setting `limit` (`errors.client_error` keeps the tags)."""
    error.extensions = {**(error.extensions or {}), "code": SHAPE_CODE, "limit": limit}
    return error


def limit_error(message: str, limit: str, nodes: Node | list[Node] | None = None) -> GraphQLError:
    return tag(GraphQLError(message, nodes), limit)


# -- the document's shape: depth, aliases, selections -------------------------------------


def shape_check(settings: Settings) -> Callable[[DocumentNode], list[GraphQLError]]:
    """A check refusing documents too deep, with too many aliases, or standing for too many
    selections once their fragments are written out.

    `document_shape` measures each fragment once, so this costs one visit per selection of
    the document. It needs no type information, so it runs before the rules that do: a
    document it refuses is not walked again.
    """

    def check(document: DocumentNode) -> list[GraphQLError]:
        errors = []
        operations = Shape(document).operations()
        for operation, measure in operations:
            if measure.depth > settings.max_depth:
                name = operation.name.value if operation.name else "anonymous"
                errors.append(limit_error(
                    f"'{name}' exceeds maximum operation depth of {settings.max_depth}", "max_depth", operation,
                ))
        aliases = sum(measure.aliases for _, measure in operations)
        if aliases > settings.max_aliases:
            errors.append(limit_error(f"{aliases} aliases found. Allowed: {settings.max_aliases}", "max_aliases"))
        selections = sum(measure.selections for _, measure in operations)
        if selections > settings.max_selections:
            errors.append(limit_error(
                f"The document stands for {selections} selections once its fragments are written out; "
                f"the limit is {settings.max_selections}.", "max_selections",
            ))
        return errors

    return check


#: GraphQL's tokens as its lexer sees them (comments are matched, then not counted).
_TOKEN = re.compile(
    r'"""(?:\\"""|[^"]|"(?!""))*"""'  # block string
    r'|"(?:\\.|[^"\\\n])*"'  # string
    r"|#[^\n]*"  # comment
    r"|\.\.\.|[!$&():=@\[\]{|}]"  # punctuators
    r"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?"  # numbers
    r"|[_A-Za-z][_0-9A-Za-z]*"  # names
)


def more_tokens_than(query: str, limit: int) -> bool:
    """Whether `query` has more than `limit` tokens, counted by a regular expression.

    graphql-core's lexer, in Python, needs ~25 µs a token to reach the limit before it
    refuses; this count needs ~1 µs, so a flood of tokens is refused before parsing.
    A query of at most `limit` characters cannot exceed the limit and is not counted.
    """
    if len(query) <= limit:
        return False
    count = 0
    for match in _TOKEN.finditer(query):
        if not match.group().startswith("#"):
            count += 1
            if count > limit:
                return True
    return False


class TokenLimit(MaxTokensLimiter):
    """strawberry's token limit, its error tagged, with a fast count before the parser.

    When the count already shows too many tokens, the parser is told to stop at its
    first token and its error is given the usual wording: same answer, without lexing
    thousands of tokens first.
    """

    def on_parse(self) -> Iterator[None]:
        refused = more_tokens_than(self.execution_context.query or "", self.max_token_count)
        if refused:
            self.execution_context.parse_options["max_tokens"] = 0
        yield
        ending = f"more than {self.max_token_count} tokens. Parsing aborted."
        for error in self.execution_context.pre_execution_errors or []:
            if refused and error.message.endswith("more than 0 tokens. Parsing aborted."):
                error.message = f"Syntax Error: Document contains {ending}"
            if error.message.endswith(ending):
                tag(error, "max_tokens")


# -- cost ------------------------------------------------------------------------------


def bounded_lists(settings: Settings) -> dict[tuple[str, str], int]:
    """Lists without `first` whose size is capped elsewhere, so a full page overstates them."""
    return {
        ("IntroductionPath", "hops"): MAX_HOPS,
        ("Interaction", "participants"): 50,  # NewInteraction.participant_ids caps it (domain/model.py)
        ("AccountPlan", "actions"): 200,  # AccountPlanInput.actions caps it (domain/model.py)
        ("NetworkSummary", "byKind"): len(StakeholderKind),
        ("NetworkSummary", "byTier"): len(Tier),
        ("RecordInteractionsPayload", "interactions"): settings.max_batch,
        ("Query", "nodes"): settings.max_batch,
    }


class _Sizes:
    """How many items a list field yields, as far as the document and variables tell."""

    def __init__(self, settings: Settings) -> None:
        self.max_page = settings.max_page_size
        self.default_page = min(DEFAULT_PAGE_SIZE, settings.max_page_size)
        self.bounded = bounded_lists(settings)

    def unpaged(self, parent: GraphQLNamedType | None, name: str) -> int:
        """A list without `first`: its known cap, else a full page."""
        return min(self.bounded.get((getattr(parent, "name", ""), name), self.max_page), self.max_page)

    def first(self, node: FieldNode, field: GraphQLField) -> int | None:
        """The page size a field with a `first` argument asks for (clamped); None without one."""
        if "first" not in field.args:
            return None
        value: Any = field.args["first"].default_value
        for argument in node.arguments or ():
            if argument.name.value == "first":
                value = self._literal(argument.value)
        if not isinstance(value, int) or isinstance(value, bool):
            return self.default_page
        return max(0, min(value, self.max_page))

    def _literal(self, node: Any) -> Any:
        if isinstance(node, IntValueNode):
            return int(node.value)
        if isinstance(node, VariableNode):
            return _variables.get().get(node.name.value)
        return None


class _Cost:
    """The estimated cost of one operation: each field counts once per item it is resolved
    for, i.e. the product of the list sizes above it.

    A list's size is its `first`; a connection's `first` sizes its `edges` and `nodes`;
    any other list counts as a full page (`max_page_size`) unless it is known to be
    smaller (`bounded_lists`).
    """

    def __init__(self, context: ValidationContext, sizes: _Sizes) -> None:
        self.context = context
        self.sizes = sizes
        self.visits = 0
        self._memo: dict[tuple[str, int | None], int] = {}
        self._measuring: set[tuple[str, int | None]] = set()

    def of(self, selections: SelectionSetNode, parent: GraphQLNamedType | None, times: int,
           page: int | None = None) -> int:
        total = 0
        for selection in selections.selections:
            self.visits += 1
            if isinstance(selection, FieldNode):
                total += self._field(selection, parent, times, page)
            elif isinstance(selection, InlineFragmentNode):
                inner = self._type(selection.type_condition.name.value) if selection.type_condition else parent
                total += self.of(selection.selection_set, inner, times, page)
            elif isinstance(selection, FragmentSpreadNode):
                total += times * self._fragment(selection.name.value, page)
        return total

    def _fragment(self, name: str, page: int | None) -> int:
        """A fragment's cost per item it is resolved for, computed once per page size.

        Cost is linear in the number of items, so a fragment spread anywhere costs its
        cost for one item times the items there: following every spread instead would
        double the work with each level of `fragment F1 { ...F2 ...F2 }`.
        """
        key = (name, page)
        if key in self._memo:
            return self._memo[key]
        fragment = self.context.get_fragment(name)
        if fragment is None or key in self._measuring:
            return 0  # GraphQL's own rules name unknown fragments and cycles
        self._measuring.add(key)
        try:
            unit = self.of(fragment.selection_set, self._type(fragment.type_condition.name.value), 1, page)
        finally:
            self._measuring.discard(key)
        self._memo[key] = unit
        return unit

    def _field(self, node: FieldNode, parent: GraphQLNamedType | None, times: int, page: int | None) -> int:
        if node.name.value.startswith("__"):
            return 0  # `__typename` and introspection: no resolver of ours runs
        field = getattr(parent, "fields", {}).get(node.name.value)
        if field is None or node.selection_set is None:
            return times
        first = self.sizes.first(node, field)
        if is_list_type(get_nullable_type(field.type)):
            size = first if first is not None else page if page is not None else self.sizes.unpaged(parent, node.name.value)
            return times + self.of(node.selection_set, get_named_type(field.type), times * size, None)
        return times + self.of(node.selection_set, get_named_type(field.type), times, first)

    def _type(self, name: str) -> GraphQLNamedType | None:
        return self.context.schema.get_type(name)


def cost_rule(settings: Settings) -> type[ValidationRule]:
    """A rule refusing operations whose estimated cost is above `max_cost`."""
    sizes = _Sizes(settings)
    limit = settings.max_cost

    class CostLimit(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> Any:
            root = self.context.schema.get_root_type(node.operation)
            cost = _Cost(self.context, sizes).of(node.selection_set, root, 1)
            if cost > limit:
                self.report_error(limit_error(
                    f"Operation cost {cost} is above the limit of {limit}: ask for smaller pages "
                    "(`first`) or fewer nested lists.", "max_cost", node,
                ))
            return self.SKIP

    return CostLimit


# -- value sizes -----------------------------------------------------------------------------


def _values(node: Any, path: str, variables: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """Every value a request writes into an argument, with its path as the client wrote it."""
    if isinstance(node, VariableNode):
        name = node.name.value
        if name in variables:
            yield from _raw(variables[name], path)
    elif isinstance(node, StringValueNode):
        yield path, node.value
    elif isinstance(node, ListValueNode):
        yield path, node.values
        for index, item in enumerate(node.values):
            yield from _values(item, f"{path}[{index}]", variables)
    elif isinstance(node, ObjectValueNode):
        for item in node.fields:
            yield from _values(item.value, f"{path}.{item.name.value}", variables)


def _raw(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    """A variable's JSON value (strings, lists and objects are what can be oversized)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        yield path, value
        for index, item in enumerate(value):
            yield from _raw(item, f"{path}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _raw(item, f"{path}.{key}")


def _problem(value: Any, settings: Settings) -> str | None:
    if isinstance(value, str):
        if len(value) > settings.max_string_length:
            return f"at most {settings.max_string_length} characters"
        if "\x00" in value:  # FalkorDB reads its parameters as C strings: NUL would cut them short
            return "must not contain NUL (U+0000)"
    elif len(value) > settings.max_batch:
        return f"at most {settings.max_batch} items"
    return None


def value_rule(settings: Settings) -> type[ValidationRule]:
    """A rule refusing strings over `max_string_length` or with a NUL, and lists over
    `max_batch`, anywhere in an argument: literal, variable, or a variable's default. One
    error per argument."""

    def check(context: ValidationContext, node: Node, found: Iterator[tuple[str, Any]]) -> None:
        for path, value in found:
            problem = _problem(value, settings)
            if problem:
                context.report_error(GraphQLError(
                    f"{path}: {problem}", node, extensions={"code": BadUserInput.code, "field": path},
                ))
                return

    class ValueSizes(ValidationRule):
        def enter_argument(self, node: ArgumentNode, *_: Any) -> None:
            check(self.context, node, _values(node.value, node.name.value, _variables.get()))

        def enter_variable_definition(self, node: VariableDefinitionNode, *_: Any) -> None:
            name, variables = node.variable.name.value, _variables.get()
            if node.default_value is not None and name not in variables:
                check(self.context, node, _values(node.default_value, f"${name}", variables))

    return ValueSizes


class RequestVariables(SchemaExtension):
    """Hands the request's variables to the cost and value rules.

    Set, never reset: the variable lives in the request's own task (a batch runs each
    operation in a task of its own), and every operation sets it before validating.
    """

    def on_operation(self) -> Iterator[None]:
        variables = self.execution_context.variables
        _variables.set(variables if isinstance(variables, dict) else {})
        yield


def limit_extensions(settings: Settings) -> list[Callable[[], SchemaExtension]]:
    """The schema extensions that enforce the limits of `settings` (one instance per request)."""
    rules = [cost_rule(settings), value_rule(settings)]
    return [
        functools.partial(TokenLimit, max_token_count=settings.max_tokens),
        RequestVariables,
        two_step_validation(shape_check(settings), rules, settings.validated_documents),
    ]
