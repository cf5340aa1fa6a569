"""The FastAPI app: `/graphql`, `/healthz` and `/readyz` over one store per process.

`create_app` is the uvicorn factory (`relgraph.api.app:create_app`). It never starts a
database: `relgraph serve` starts the embedded FalkorDB and hands each worker its
address in `RELGRAPH_FALKORDB_URL`, so every worker shares the one database.

A worker starts even when its database does not answer yet (it is then healthy but not
ready), and opens the store as soon as the database answers.
"""

from __future__ import annotations

import asyncio
import logging
import time
from contextlib import asynccontextmanager
from typing import AsyncIterator

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.requests import HTTPConnection

from relgraph import __version__
from relgraph.api.context import Context
from relgraph.api.body_limit import BodySizeLimit
from relgraph.api.http_json import JsonDepthLimit
from relgraph.api.router import graphql_router
from relgraph.auth import http as auth_http
from relgraph.auth.authenticator import Authenticator
from relgraph.config import Settings
from relgraph.errors import ServiceUnavailable
from relgraph.services.collector import freeze_startup_heap
from relgraph.store.factory import make_store
from relgraph.store.graph_store import GraphStore

log = logging.getLogger("relgraph.api")


class StoreSlot:
    """The process's one store, opened (and its schema set up) once the database answers."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store: GraphStore | None = None
        self._opening: asyncio.Task[GraphStore] | None = None

    async def get(self) -> GraphStore:
        """The open store; SERVICE_UNAVAILABLE while the database cannot be reached.

        Requests that arrive while the store is being opened share that one attempt and
        its outcome, rather than queueing for attempts of their own: while the database
        is down, each waits at most one (bounded) attempt, and the next request after a
        failure tries again, so the store opens by itself once the database is back.
        """
        if self.store is not None:
            return self.store
        if self._opening is None:
            self._opening = asyncio.ensure_future(self._open())
            self._opening.add_done_callback(self._opened)
        return await asyncio.shield(self._opening)  # a client that leaves cancels only its wait

    def _opened(self, attempt: asyncio.Task[GraphStore]) -> None:
        self._opening = None
        if not attempt.cancelled() and attempt.exception() is None:
            self.store = attempt.result()

    async def _open(self) -> GraphStore:
        store: GraphStore | None = None
        try:
            # The FalkorDB client probes the server while it is built: keep that off the loop.
            store = await asyncio.to_thread(make_store, self.settings)
            await store.setup()
        except Exception as exc:  # noqa: BLE001 - any failure here means "not answering"
            log.warning("database not answering (%s: %s)", type(exc).__name__, exc)
            if store is not None:
                await store.close()
            raise ServiceUnavailable("the database is not answering") from None
        return store

    async def close(self) -> None:
        if self._opening is not None:
            self._opening.cancel()
        if self.store is not None:
            await self.store.close()
            self.store = None


async def warm_up(store: GraphStore) -> None:
    """Read the tie snapshot in the background at start, so that the first whole-network
    request (ties by strength, influence, dashboards) does not pay for it."""
    from relgraph.services.tie_snapshot import tie_snapshot

    began = time.perf_counter()
    try:
        snapshot = await tie_snapshot(store)
    except Exception as exc:  # noqa: BLE001 - a failed warm-up only means a slower first request
        log.warning("tie snapshot not warmed up (%s)", type(exc).__name__)
        return
    log.info("tie snapshot warm: %d ties in %.1f s", len(snapshot.columns), time.perf_counter() - began)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app for `settings` (default: the `RELGRAPH_*` environment)."""
    settings = settings or Settings()
    if not settings.neo4j_uri and not settings.falkordb_url:
        raise RuntimeError(
            "no database configured: set RELGRAPH_FALKORDB_URL or RELGRAPH_NEO4J_URI, "
            "or run `relgraph serve`, which starts the embedded FalkorDB"
        )
    slot = StoreSlot(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        freeze_startup_heap()
        warming: asyncio.Task[None] | None = None
        try:
            warming = asyncio.create_task(warm_up(await slot.get()))
        except ServiceUnavailable:
            log.warning("starting without a database; /readyz answers 503 until it is reachable")
        refresher = None
        if settings.influence_max_age_s:
            from relgraph.services.influence import keep_fresh

            refresher = asyncio.create_task(keep_fresh(slot.get, settings.influence_max_age_s))
        try:
            yield
        finally:
            for task in (refresher, warming):
                if task is not None:
                    task.cancel()
            await slot.close()

    app = FastAPI(title="relgraph", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.settings = settings
    app.state.stores = slot

    authenticator = Authenticator(settings)
    auth_http.install_error_handlers(app)

    async def context(connection: HTTPConnection) -> Context:
        """The store, and who is calling: 401 before any GraphQL runs when credentials fail."""
        store = await slot.get()
        return Context(store, settings, await auth_http.principal_of(connection, authenticator, store))

    app.include_router(graphql_router(settings, context), prefix="/graphql")
    app.add_middleware(JsonDepthLimit, max_depth=settings.max_json_depth)  # inside the size limit
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)

    @app.exception_handler(ServiceUnavailable)
    async def unavailable(request: Request, exc: ServiceUnavailable) -> JSONResponse:
        """No store for this request at all: a GraphQL-shaped error with HTTP 503."""
        body = {"errors": [{"message": exc.message, "extensions": exc.extensions()}]}
        return JSONResponse(body, status_code=503, headers={"retry-after": "1"})

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        """The process is up (says nothing about the database)."""
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> JSONResponse:
        """The database answers: 200, else 503 so that a load balancer looks elsewhere."""
        try:
            await (await slot.get()).ping()
        except Exception as exc:  # noqa: BLE001 - any failure means not ready
            log.warning("readiness check failed: %s", type(exc).__name__)
            return JSONResponse({"status": "unavailable"}, status_code=503)
        return JSONResponse({"status": "ready"})

    return app
