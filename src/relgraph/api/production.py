"""Production mode: the API tells a client what it may ask, and nothing about what it may not.

With `production` set, introspection is refused (strawberry's `DisableIntrospection`),
GraphiQL is not served (see `relgraph.api.router.graphql_router`), and no error carries a
"Did you mean ...?" hint, which would let a client map the schema field by field.
Internal errors are masked in every mode (`relgraph.api.errors`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from strawberry.extensions import DisableIntrospection, SchemaExtension

from relgraph.config import Settings

_SUGGESTION = re.compile(r"\s*Did you mean .*$", re.DOTALL)


def without_suggestion(message: str) -> str:
    """`message` without graphql-core's trailing "Did you mean ...?" hint."""
    return _SUGGESTION.sub("", message)


class HideSuggestions(SchemaExtension):
    """Strips suggestions from every error of a result.

    strawberry's `disable_field_suggestions` covers unknown fields only; graphql-core also
    suggests arguments, types, enum values and input fields, during validation and while
    coercing variables. Stripping the finished messages covers them all.
    """

    def on_operation(self) -> Iterator[None]:
        yield
        for error in getattr(self.execution_context.result, "errors", None) or []:
            error.message = without_suggestion(error.message)


def production_extensions(settings: Settings) -> list[Callable[[], SchemaExtension]]:
    """The schema extensions of production mode (none outside it)."""
    if not settings.production:
        return []
    return [DisableIntrospection, HideSuggestions]
