"""The errors relgraph reports, each with the machine-readable code a client sees.

The GraphQL layer copies `code` into `extensions.code`; `field` names the input at fault.
Anything that is not a `RelgraphError` is masked as an internal error, so no Cypher,
traceback or driver message reaches a client.
"""

from __future__ import annotations


class RelgraphError(Exception):
    """Base of every error that is safe to show a client."""

    code = "INTERNAL_SERVER_ERROR"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def extensions(self) -> dict[str, str]:
        ext = {"code": self.code}
        if self.field is not None:
            ext["field"] = self.field
        return ext


class BadUserInput(RelgraphError):
    code = "BAD_USER_INPUT"


class NotFound(RelgraphError):
    code = "NOT_FOUND"


class Conflict(RelgraphError):
    code = "CONFLICT"


class Unauthenticated(RelgraphError):
    code = "UNAUTHENTICATED"


class Forbidden(RelgraphError):
    code = "FORBIDDEN"


class ServiceUnavailable(RelgraphError):
    code = "SERVICE_UNAVAILABLE"


class StoreLocked(ServiceUnavailable):
    """Another relgraph process owns the embedded data directory."""
