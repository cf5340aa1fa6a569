"""A cap on how deeply a request's JSON nests (`max_json_depth`), checked before GraphQL reads it.

Python's JSON parser, and much of what reads its result, recurses once per level: a body
nested 100,000 levels deep would crash the request with a RecursionError (a plain-text
HTTP 500), and one just under the interpreter's limit leaves no room for the code that
reads the variables afterwards. Nothing relgraph accepts needs more than a few dozen
levels (filters nest at most 6 deep), so a deeper request is refused here, with HTTP 400
and a GraphQL-shaped body naming the setting in `extensions.limit`:

- a POST body is measured from its outer object (`{"variables": {"v": [1]}}` is 3 deep);
- a GET request's `variables` and `extensions` parameters are measured each on its own.

The body is first read with orjson, which is fast and stops by itself far short of the
stack's end; what orjson refuses (invalid JSON, but also `NaN`, which Python's parser
accepts) is read with Python's parser, whose RecursionError then means "too deep". A
body that neither can read is left to the GraphQL router, which answers it with 400.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

import orjson
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from relgraph.api.body_limit import replay_body
from relgraph.api.limits import LimitExceeded

#: GET parameters holding JSON (`query` is GraphQL, which graphql-core bounds itself).
JSON_PARAMETERS = ("variables", "extensions")


def nesting(value: Any, limit: int) -> int:
    """How deeply `value` nests in lists and objects (a scalar: 0), counted up to `limit + 1`.

    Iterative, so that it never recurses itself, and it stops as soon as the limit is passed.
    """
    deepest = 0
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        item, level = pending.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        if deepest > limit:
            return deepest
        pending.extend((child, level + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


def too_deep(raw: bytes | str, limit: int) -> bool:
    """Whether the JSON text `raw` nests deeper than `limit` (False when it is not JSON)."""
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        try:
            value = json.loads(raw)
        except RecursionError:
            return True
        except ValueError:  # not JSON at all (UnicodeDecodeError included): the router says so
            return False
    return nesting(value, limit) > limit


def refusal(limit: int) -> JSONResponse:
    error = LimitExceeded(
        f"The request's JSON nests deeper than {limit} levels of arrays and objects.", "max_json_depth"
    )
    return JSONResponse(error.body(), status_code=400)


class JsonDepthLimit:
    """ASGI middleware: GraphQL requests whose JSON nests deeper than `max_depth` answer 400.

    It sits inside `BodySizeLimit`, so the body it reads is capped already.
    """

    def __init__(self, app: ASGIApp, max_depth: int, path: str = "/graphql") -> None:
        self.app = app
        self.max_depth = max_depth
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path", "").rstrip("/") != self.path:
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"").decode("latin-1")
        if any(name in JSON_PARAMETERS and too_deep(value, self.max_depth) for name, value in parse_qsl(query)):
            await refusal(self.max_depth)(scope, receive, send)
            return
        if scope.get("method") != "POST":
            await self.app(scope, receive, send)
            return
        body = await _read(receive)
        if body is None:  # the client left before its body was complete: nobody to answer
            return
        if too_deep(body, self.max_depth):
            await refusal(self.max_depth)(scope, receive, send)
            return
        await self.app(scope, replay_body(body, receive), send)


async def _read(receive: Receive) -> bytes | None:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)
