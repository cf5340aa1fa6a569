"""`/graphql` over HTTP, as the GraphQL-over-HTTP spec asks.

strawberry's router does the core (POST JSON, GET for queries, GraphiQL for browsers).
This subclass adds what the spec asks beyond it:

- the response media type follows `Accept`: `application/graphql-response+json` when the
  client prefers it, else `application/json` (the legacy default, also for no `Accept`);
- with `application/graphql-response+json`, a request that fails before execution
  (unparsable, invalid, bad variables) is HTTP 400 and carries no `data` entry;
- a mutation sent by GET is refused with 405 Method Not Allowed;
- a batched request (a JSON list of operations) is refused with 400 and a GraphQL-shaped
  error unless batching is on (`max_operations` > 0), and then holds at most that many.

`graphql_router` builds the router for a deployment's settings: its schema's limits, and
no GraphiQL in production mode.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any, Callable

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET

from relgraph.api.limits import LimitExceeded
from relgraph.api.schema import build_schema
from relgraph.config import Settings
from relgraph.errors import BadUserInput, RelgraphError

JSON = "application/json"
GRAPHQL_RESPONSE = "application/graphql-response+json"

_media_type: ContextVar[str] = ContextVar("graphql_media_type", default=JSON)


def _quality(params: list[str]) -> float:
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                return float(value)
            except ValueError:
                return 0.0
    return 1.0


def negotiate(accept: str | None) -> str:
    """The response media type for an `Accept` header (ties go to the spec's own type)."""
    best, best_q = JSON, 0.0
    for part in (accept or "").split(","):
        media, *params = part.strip().split(";")
        media, q = media.strip().lower(), _quality(params)
        if media == GRAPHQL_RESPONSE and q > 0 and q >= best_q:
            best, best_q = GRAPHQL_RESPONSE, q
        elif media in (JSON, "application/*", "*/*") and q > best_q:
            best, best_q = JSON, q
    return best


def _is_request_error(result: ExecutionResult) -> bool:
    """The operation never ran: errors without a path and no data."""
    return result.data is None and bool(result.errors) and all(e.path is None for e in result.errors)


class GraphQLHTTPRouter(GraphQLRouter):
    """strawberry's FastAPI router with the spec's content negotiation and status codes."""

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        if isinstance(request, Request):
            _media_type.set(negotiate(request.headers.get("accept")))
        try:
            return await super().run(request, context=context, root_value=root_value)
        except RelgraphError as exc:  # refused before any operation ran
            body = {"errors": [{"message": exc.message, "extensions": exc.extensions()}]}
            return JSONResponse(body, status_code=400)

    def parse_json(self, data: str | bytes) -> Any:
        try:
            return super().parse_json(data)
        except UnicodeDecodeError as exc:  # strawberry lets it through as a 500
            raise HTTPException(400, "Unable to parse request body as JSON") from exc

    def _validate_batch_request(self, request_data: list[Any], protocol: Any) -> None:
        limit = (self.schema.config.batching_config or {}).get("max_operations", 0)
        if not limit:
            raise LimitExceeded("Batched requests are not accepted: send one operation per request.", "max_operations")
        if len(request_data) > limit:
            raise LimitExceeded(f"At most {limit} operations per batched request.", "max_operations")
        if not all(isinstance(item, dict) for item in request_data):
            raise BadUserInput("Each operation of a batched request must be a JSON object.")
        super()._validate_batch_request(request_data, protocol=protocol)

    async def execute_single(self, request: Any, request_adapter: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return await super().execute_single(request, request_adapter, *args, **kwargs)
        except HTTPException as exc:
            if request_adapter.method == "GET" and isinstance(exc.__cause__, InvalidOperationTypeError):
                raise HTTPException(405, "Mutations are only accepted by POST.") from exc
            raise

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        data = await super().process_result(request, result)
        if _media_type.get() == GRAPHQL_RESPONSE and _is_request_error(result):
            data.pop("data", None)
        return data

    def create_response(self, response_data: Any, sub_response: Response) -> Response:
        response = super().create_response(response_data, sub_response)
        if _media_type.get() == GRAPHQL_RESPONSE:
            response.headers["content-type"] = f"{GRAPHQL_RESPONSE}; charset=utf-8"
            if isinstance(response_data, dict) and "data" not in response_data:
                response.status_code = 400
        return response


def graphql_router(settings: Settings, context_getter: Callable[..., Any]) -> GraphQLHTTPRouter:
    """`/graphql` for `settings`: the schema with their limits, GraphiQL unless in production."""
    return GraphQLHTTPRouter(
        build_schema(settings),
        context_getter=context_getter,
        graphql_ide=None if settings.production else "graphiql",
    )
