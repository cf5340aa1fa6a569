"""A cap on request bodies (`max_body_bytes`), checked before the app reads any of it.

A body announced larger than the cap by `Content-Length` is refused without being kept;
a body without one (chunked) is kept up to the cap and refused as soon as it grows past
it. Either way the client gets HTTP 413 with a GraphQL-shaped body, so GraphQL clients
can show the error like any other. uvicorn and starlette have no such cap of their own.
"""

from __future__ import annotations

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from relgraph.api.limits import LimitExceeded


def _refusal(limit: int) -> JSONResponse:
    error = LimitExceeded(f"The request body is larger than {limit} bytes.", "max_body_bytes")
    return JSONResponse(error.body(), status_code=413, headers={"connection": "close"})


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class _ClientGone(Exception):
    """The client disconnected before its body was complete: nobody to answer."""


class BodySizeLimit:
    """ASGI middleware: HTTP requests whose body exceeds `max_bytes` answer 413."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _declared_length(scope)
        try:
            if declared is not None and declared > self.max_bytes:
                if not _expects_continue(scope):  # else the client waits, and sends nothing
                    await _discard(receive, _LINGER_BYTES)
                await _refusal(self.max_bytes)(scope, receive, send)
                return
            body, complete = await self._read(receive)
            if body is None:
                if not complete:
                    await _discard(receive, _LINGER_BYTES)
                await _refusal(self.max_bytes)(scope, receive, send)
                return
        except _ClientGone:
            return
        await self.app(scope, replay_body(body, receive), send)

    async def _read(self, receive: Receive) -> tuple[bytes | None, bool]:
        """(the whole body, or None once it passes the cap; whether the client sent it all)."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                raise _ClientGone
            chunk = message.get("body", b"")
            complete = not message.get("more_body", False)
            size += len(chunk)
            if size > self.max_bytes:
                return None, complete
            chunks.append(chunk)
            if complete:
                return b"".join(chunks), True


#: How much of a refused body is read (and dropped) before answering. A client still
#: sending when the connection closes would see a reset instead of the 413; past this,
#: it does (nginx calls this a lingering close).
_LINGER_BYTES = 8 * 2**20


def _expects_continue(scope: Scope) -> bool:
    return any(name == b"expect" and value.lower() == b"100-continue" for name, value in scope.get("headers", ()))


async def _discard(receive: Receive, limit: int) -> None:
    """Read the rest of the body, up to `limit` bytes, and drop it."""
    dropped = 0
    while dropped <= limit:
        message = await receive()
        if message["type"] != "http.request":
            raise _ClientGone
        dropped += len(message.get("body", b""))
        if not message.get("more_body", False):
            return


def replay_body(body: bytes, receive: Receive) -> Receive:
    """A `receive` that hands the app the body read already, then the real channel."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
