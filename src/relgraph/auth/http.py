"""Access control at the HTTP edge: the request's principal, and 401/403 answers.

A request refused before any GraphQL runs (no, bad, expired or revoked credentials)
answers HTTP 401 with `WWW-Authenticate: Bearer` and a GraphQL-shaped body whose error
carries `extensions.code` UNAUTHENTICATED; a valid JWT that names no role answers 403
with FORBIDDEN. Denials inside an operation are GraphQL errors (see `guard`).

A server that runs open answers 403 FORBIDDEN, on every `/graphql` request (GraphiQL
page and WebSocket included), to a request for a non-loopback `Host` or from a
non-loopback `Origin`: a web page that rebinds its name to 127.0.0.1, or calls the local
server from its own site, gets nothing (see `exposure`).
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.requests import HTTPConnection

from relgraph.auth.authenticator import Authenticator, KeyReader, Unauthorized, web_page_refused
from relgraph.auth.exposure import foreign_caller
from relgraph.auth.principal import NOBODY, Principal
from relgraph.errors import Forbidden, RelgraphError, Unauthenticated


def renders_ide(connection: HTTPConnection) -> bool:
    """strawberry's own test for a GraphiQL page request: such a request executes nothing
    (it gets the page, or 404 when GraphiQL is off), so it needs no credentials."""
    return (
        connection.scope.get("method") == "GET"
        and connection.query_params.get("query") is None
        and any(kind in connection.headers.get("accept", "") for kind in ("text/html", "*/*"))
    )


async def principal_of(connection: HTTPConnection, authenticator: Authenticator, store: KeyReader) -> Principal:
    headers = connection.headers
    foreign = foreign_caller(headers.get("host"), headers.get("origin"))
    if renders_ide(connection):
        if foreign is not None and authenticator.loopback_names_only and await authenticator.runs_open(store):
            raise web_page_refused(foreign)
        return NOBODY
    return await authenticator.authenticate(headers.get("authorization"), store, foreign=foreign)


def _body(exc: RelgraphError) -> dict[str, object]:
    return {"errors": [{"message": exc.message, "extensions": exc.extensions()}]}


def install_error_handlers(app: FastAPI) -> None:
    """401 and 403 answers for requests refused while their context is built."""

    @app.exception_handler(Unauthenticated)
    async def unauthenticated(request: Request, exc: Unauthenticated) -> JSONResponse:
        challenge = 'Bearer realm="relgraph"'
        if isinstance(exc, Unauthorized) and exc.presented:
            challenge += ', error="invalid_token"'
        return JSONResponse(_body(exc), status_code=401, headers={"www-authenticate": challenge})

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> JSONResponse:
        return JSONResponse(_body(exc), status_code=403)
