"""How failures reach clients: a code for machines, a message for people, nothing internal.

Every GraphQL error leaves with `extensions.code`:

- a `RelgraphError` keeps its message and code (BAD_USER_INPUT, NOT_FOUND, CONFLICT,
  SERVICE_UNAVAILABLE, ...) and names the input at fault in `extensions.field`, written
  the way the client wrote it (`input.participants`, `filter.and[0].kind`);
- a request the schema rejects is GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED, or
  BAD_USER_INPUT with a `field` when a value was wrong (an unknown enum value, a bad
  date, a missing input field); a query limit names itself in `extensions.limit`;
- anything else is a bug or a broken dependency: the client sees INTERNAL_SERVER_ERROR
  and a generic message, and the real error, with its traceback, goes to the log. No
  Cypher, driver text or traceback ever reaches a client.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Awaitable, Callable, Iterator, TypeVar

from graphql import GraphQLError
from graphql.language import ArgumentNode, DocumentNode, ListValueNode, Node, ObjectValueNode, ValueNode, VariableNode
from pydantic import ValidationError
from strawberry.extensions import SchemaExtension

from relgraph.errors import BadUserInput, RelgraphError

log = logging.getLogger("relgraph.api")

T = TypeVar("T")

INTERNAL = "INTERNAL_SERVER_ERROR"
GENERIC_MESSAGE = "Internal server error. It has been logged; please try again later."

#: Store field names whose GraphQL input names differ (inputs name the object referred to).
INPUT_NAMES = {
    "from_id": "from",
    "to_id": "to",
    "initiator_id": "initiator",
    "participant_ids": "participants",
    "stakeholder_id": "stakeholder",
    "owner_id": "owner",
    "account_id": "account",
    "contact_id": "contact",
}

_SEGMENT = re.compile(r"^(?P<name>[A-Za-z_]\w*)?(?P<index>(?:\[\d+\])*)$")
_VARIABLE = re.compile(r"^Variable '\$(?P<var>\w+)' (?:has invalid (?:default )?value|got invalid value)"
                       r"(?: at (?P<path>(?:\.\w+|\[\d+\])+))?")
_MISSING_FIELD = re.compile(r"to include required field '(?P<field>\w+)'|^Field '\w+\.(?P<old>\w+)' of required type")
_COERCION_PREFIXES = ("Variable '$", "Expected value of type", "Expected type")


# -- field paths -----------------------------------------------------------------------


def _camel(name: str) -> str:
    head, *rest = name.rstrip("_").split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def graphql_field(path: str, *, creates: bool = False) -> str:
    """A store's field path (`interactions[3].participant_ids`, `and_.0.kind`) in the
    client's GraphQL names (`interactions[3].participants`, `and[0].kind`).

    `creates`: the input creates an object, whose own id the client gives as `key`.
    Idempotent, so that a path already in GraphQL names passes through unchanged.
    """
    out: list[str] = []
    for segment in path.split("."):
        if segment.isdigit() and out:
            out[-1] += f"[{segment}]"
            continue
        match = _SEGMENT.match(segment)
        if not match or not match["name"]:
            out.append(segment)
            continue
        name = match["name"]
        if creates and name == "id":
            name = "key"
        out.append(INPUT_NAMES.get(name) or _camel(name))
        out[-1] += match["index"]
    return ".".join(out)


async def under(argument: str, work: Callable[[], Awaitable[T]], *, creates: bool = False) -> T:
    """Run `work`, reporting a faulty field as a path inside the resolver's `argument`."""
    try:
        return await work()
    except ValidationError as exc:
        raise _from_validation(exc, argument) from None
    except RelgraphError as exc:
        if exc.field is not None:
            exc.field = graphql_field(f"{argument}.{exc.field}", creates=creates)
        raise


def _from_validation(exc: ValidationError, prefix: str | None = None) -> BadUserInput:
    first = exc.errors()[0]
    loc = ".".join(str(p) for p in first["loc"])
    path = ".".join(p for p in (prefix, loc) if p) or None
    field = graphql_field(path) if path else None
    return BadUserInput(f"{field or 'input'}: {first['msg']}", field=field)


# -- request errors (parsing, validation, variable coercion) -----------------------------


def _value_paths(node: Any, path: str | None = None) -> Iterator[tuple[Node, str]]:
    """Every argument value in a document, with its path from the argument's name."""
    if isinstance(node, ArgumentNode):
        yield from _value_paths(node.value, node.name.value)
        return
    if isinstance(node, ValueNode) and path is not None:
        yield node, path
        if isinstance(node, ObjectValueNode):
            for item in node.fields:
                yield from _value_paths(item.value, f"{path}.{item.name.value}")
        elif isinstance(node, ListValueNode):
            for index, item in enumerate(node.values):
                yield from _value_paths(item, f"{path}[{index}]")
        return
    if isinstance(node, Node):
        for key in node.keys:
            yield from _value_paths(getattr(node, key, None))
    elif isinstance(node, (list, tuple)):
        for item in node:
            yield from _value_paths(item)


def _literal_field(error: GraphQLError, document: DocumentNode | None) -> str | None:
    """Where a literal value that failed validation sits, e.g. `filter.kind[0]`."""
    if document is None or not error.nodes:
        return None
    wanted = error.nodes[0]
    start = wanted.loc.start if wanted.loc else None
    for node, path in _value_paths(document):
        if node is wanted or (start is not None and node.loc is not None and node.loc.start == start):
            return path + _missing_field(error.message)
    return None


def _variable_field(error: GraphQLError, variable: str, inner: str | None, document: DocumentNode | None) -> str | None:
    """The argument path a bad variable was passed to, plus the path inside its value."""
    if document is None:
        return None
    for node, path in _value_paths(document):
        if isinstance(node, VariableNode) and node.name.value == variable:
            return path + (inner or "") + _missing_field(error.message)
    return None


def _missing_field(message: str) -> str:
    """`.form` when the message says a required input field `form` was left out."""
    missing = _MISSING_FIELD.search(message)
    return f".{missing['field'] or missing['old']}" if missing else ""


def _is_request_error(error: GraphQLError) -> bool:
    """graphql-core's own verdicts on a request, whose messages describe only the request."""
    if error.path is not None:
        return False
    if error.original_error is None:
        return True
    return error.message.startswith(_COERCION_PREFIXES)


def _request_extensions(error: GraphQLError, document: DocumentNode | None) -> dict[str, str]:
    if error.extensions and "code" in error.extensions:  # coded where it was raised (api/limits.py)
        return dict(error.extensions)
    if error.message.startswith("Syntax Error"):
        return {"code": "GRAPHQL_PARSE_FAILED"}
    variable = _VARIABLE.match(error.message)
    if variable:
        field = _variable_field(error, variable["var"], variable["path"], document)
        return _bad_input(field)
    if error.message.startswith(_COERCION_PREFIXES[1:]) or (error.nodes and isinstance(error.nodes[0], ValueNode)):
        return _bad_input(_literal_field(error, document))
    return {"code": "GRAPHQL_VALIDATION_FAILED"}


def _bad_input(field: str | None) -> dict[str, str]:
    return {"code": BadUserInput.code, **({"field": field} if field else {})}


# -- the extension -----------------------------------------------------------------------


def _replace(error: GraphQLError, message: str, extensions: dict[str, Any]) -> GraphQLError:
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None,
        extensions=extensions,
    )


def is_expected(error: GraphQLError) -> bool:
    """Errors that are the client's doing (or a known outage), not bugs to log loudly."""
    original = error.original_error
    return isinstance(original, (RelgraphError, ValidationError)) or _is_request_error(error)


def client_error(error: GraphQLError, document: DocumentNode | None = None) -> GraphQLError:
    """The error as a client may see it (see the module docstring)."""
    original = error.original_error
    if isinstance(original, RelgraphError):
        extensions = original.extensions()
        if original.field is not None:
            extensions["field"] = graphql_field(original.field)
        return _replace(error, original.message, extensions)
    if isinstance(original, ValidationError):
        bad = _from_validation(original)
        return _replace(error, bad.message, bad.extensions())
    if _is_request_error(error):
        return _replace(error, error.message, _request_extensions(error, document))
    return _replace(error, GENERIC_MESSAGE, {"code": INTERNAL})


class ErrorCodes(SchemaExtension):
    """Rewrites every error of a result into its client form, after execution.

    The schema's `process_errors` has logged the originals by then (strawberry calls it
    before extensions finish), so masking here loses nothing for operators.
    """

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if errors:
            document = self.execution_context.graphql_document
            result.errors = [client_error(e, document) for e in errors]  # type: ignore[union-attr]


def log_errors(errors: list[GraphQLError]) -> None:
    """Unexpected errors at ERROR with their traceback; the client's own mistakes at DEBUG."""
    for error in errors:
        if is_expected(error):
            log.debug("request error: %s", error.message)
            continue
        cause = error.original_error or error
        log.error(
            "unexpected error at %s: %s",
            ".".join(str(p) for p in error.path or []) or "<request>",
            cause,
            exc_info=(type(cause), cause, cause.__traceback__),
        )
