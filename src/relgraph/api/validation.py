"""Validation in two steps: the query limits first, then GraphQL's own rules, once per document.

GraphQL's ~35 specified rules cost 1.5 ms or more of CPU a request in graphql-core,
even for `{ __typename }`, because every rule is rebuilt and its visitor looked up per
request. Their answer depends on nothing but the document, and clients send the same
few documents over and over, so a document found valid is remembered (by a digest of
its text, never the text itself) and not checked again.

The limits (`relgraph.api.limits`) read the request's variables as well, so they run on
every request, and first: a request over a limit is refused after them alone, at a
fraction of the full cost. The shape of the document (depth, aliases, selections) is
checked before anything else, without type information, so a document refused for its
shape is never walked by a validation visitor at all.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence

from graphql import DocumentNode, GraphQLError, GraphQLSchema, ValidationRule, validate
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

Rules = tuple[type[ValidationRule], ...]
ShapeCheck = Callable[[DocumentNode], list[GraphQLError]]


class ValidDocuments:
    """The digests of the last `size` documents that passed GraphQL's rules (LRU).

    Only valid documents are remembered: an invalid one's errors point into its syntax
    tree, which would keep the whole document alive; invalid documents are rare and
    checked each time.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._digests: OrderedDict[tuple[bytes, Rules], None] = OrderedDict()

    @staticmethod
    def key(query: str, rules: Rules) -> tuple[bytes, Rules]:
        return hashlib.blake2b(query.encode(), digest_size=16).digest(), rules

    def __contains__(self, key: tuple[bytes, Rules]) -> bool:
        if key in self._digests:
            self._digests.move_to_end(key)
            return True
        return False

    def add(self, key: tuple[bytes, Rules]) -> None:
        if self.size <= 0:
            return
        self._digests[key] = None
        if len(self._digests) > self.size:
            self._digests.popitem(last=False)


def _checked(schema: GraphQLSchema, document: object, query: str | None, rules: Rules,
             valid: ValidDocuments) -> list[GraphQLError]:
    """GraphQL's own rules (and strawberry's), skipped for a document known to be valid."""
    key = ValidDocuments.key(query, rules) if query is not None else None
    if key is not None and key in valid:
        return []
    errors = validate_document(schema, document, rules)  # type: ignore[arg-type]
    if not errors and key is not None:
        valid.add(key)
    return errors


class TwoStepValidation(SchemaExtension):
    """Runs `shape` and `limits` on every request, then the document's own rules unless known valid.

    It sets the validation result itself, so strawberry's default validation step is
    skipped (as with strawberry's `ValidationCache`). Extensions that add rules (such as
    `DisableIntrospection`) add them as the operation starts, so they are all in place.
    """

    def __init__(self, shape: ShapeCheck, limits: Sequence[type[ValidationRule]], valid: ValidDocuments) -> None:
        super().__init__()
        self.shape = shape
        self.limits = tuple(limits)
        self.valid = valid

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        schema = context.schema._schema
        document = context.graphql_document
        errors = self.shape(document) if document is not None else []
        if not errors:
            errors = validate(schema, document, self.limits)  # type: ignore[arg-type]
        if not errors:
            errors = _checked(schema, context.graphql_document, context.query, context.validation_rules, self.valid)
        context.pre_execution_errors = errors
        yield


def two_step_validation(shape: ShapeCheck, limits: Sequence[type[ValidationRule]],
                        remember: int) -> Callable[[], SchemaExtension]:
    """The extension factory, with one memory of valid documents shared by its requests."""
    valid = ValidDocuments(remember)
    return lambda: TwoStepValidation(shape, limits, valid)
