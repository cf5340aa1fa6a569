"""`relgraph serve`: the GraphQL API on uvicorn, over the embedded FalkorDB by default.

This process owns the database: without `--neo4j-uri` or `--falkordb-url` it starts the
embedded FalkorDB (holding the data directory's lock) and stops it cleanly on exit. The
uvicorn workers only connect to it: they read its unix socket, and every other setting,
from the `RELGRAPH_*` environment this command exports before starting them.
"""

from __future__ import annotations

import asyncio
import os
import sys
import threading
import webbrowser
from pathlib import Path
from typing import Any

import click
from pydantic import ValidationError

from relgraph.cli import options_for, policy_options, security_options, settings_from, storage_options
from relgraph.config import Settings
from relgraph.errors import RelgraphError
from relgraph.store.embedded import EmbeddedFalkorDB
from relgraph.store.factory import make_store

DEMO_SIZES = ("tiny", "small", "medium", "large", "xl")

#: How long an idle client connection stays open. Longer than clients keep idle pooled
#: connections (httpx and requests: 5 s), so that the client, not the server, closes them:
#: with equal times, a request sent on a connection the server is just closing fails.
#: 75 s is nginx's default, longer than common load balancers' idle timeouts (60 s).
KEEP_ALIVE_S = 75


def export_settings(settings: Settings) -> None:
    """Write every setting as a `RELGRAPH_*` variable, so that workers rebuild the same Settings."""
    for name in Settings.model_fields:
        value = getattr(settings, name)
        if value is None:
            os.environ.pop(f"RELGRAPH_{name.upper()}", None)
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        os.environ[f"RELGRAPH_{name.upper()}"] = str(value)


async def load_demo(settings: Settings) -> None:
    """Fill an empty store with the demo network and compute its influence; a store with
    data is left alone, except that influence is computed if it never was (a first run
    stopped between the two)."""
    from relgraph.demo import load_demo_if_empty
    from relgraph.demo.influence import demo_influence_line, refresh_demo_influence

    store = make_store(settings)
    try:
        await store.setup()
        click.echo(f"relgraph: loading the {settings.demo_size} demo network (seed {settings.demo_seed})...")
        loaded = await load_demo_if_empty(store, seed=settings.demo_seed, size=settings.demo_size,
                                          end=settings.demo_as_of)
        if loaded is None:
            click.echo("relgraph: the store has data; demo not loaded")
            if await store.influence_computed_at() is not None:
                return
        else:
            click.echo("relgraph: demo loaded")
        click.echo(f"relgraph: {demo_influence_line(await refresh_demo_influence(store))}")
    finally:
        await store.close()


def _browser_url(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/graphql"


def _has_display() -> bool:
    return sys.platform == "darwin" or bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _open_browser_soon(url: str) -> None:
    """Open GraphiQL a moment after uvicorn starts, only where a browser can show it."""
    if _has_display():
        timer = threading.Timer(1.5, webbrowser.open, args=(url,))
        timer.daemon = True
        timer.start()


def _check_access(settings: Settings) -> None:
    """Safe defaults: say when the API runs open; refuse to open it beyond loopback."""
    from relgraph.auth.startup import access_at_start

    try:
        decision = access_at_start(settings)
    except (ValueError, OSError) as exc:
        raise click.ClickException(f"access control settings: {exc}") from None
    if not decision.start:
        raise click.ClickException(decision.message)
    click.echo(decision.message, err=decision.loud)


def run_server(settings: Settings) -> None:
    """Start the embedded database if needed, then uvicorn; stop the database at the end."""
    import uvicorn

    embedded: EmbeddedFalkorDB | None = None
    if not settings.neo4j_uri and not settings.falkordb_url:
        # Supervised: a crashed child is restarted on the same socket, its log replayed.
        embedded = EmbeddedFalkorDB(settings.data_dir).start().supervise()
        settings = settings.model_copy(update={"falkordb_url": f"unix://{embedded.socket_path}"})
    try:
        export_settings(settings)
        _check_access(settings)
        if settings.demo:
            asyncio.run(load_demo(settings))
        url = _browser_url(settings.host, settings.port)
        click.echo(f"relgraph: GraphiQL at {url} ({settings.backend}; {settings.workers} worker(s))")
        _open_browser_soon(url)
        uvicorn.run(
            "relgraph.api.app:create_app",
            factory=True,
            host=settings.host,
            port=settings.port,
            workers=settings.workers,
            timeout_graceful_shutdown=10,
            timeout_keep_alive=KEEP_ALIVE_S,
        )
    finally:
        if embedded is not None:
            embedded.stop()


@click.command("serve")
@storage_options
@click.option("--host", envvar="RELGRAPH_HOST", default=None, help="Address to bind [default: 127.0.0.1].")
@click.option("--port", envvar="RELGRAPH_PORT", type=int, default=None, help="Port to bind [default: 8000].")
@click.option("--workers", envvar="RELGRAPH_WORKERS", type=click.IntRange(min=1), default=None,
              help="uvicorn worker processes [default: 1].")
@click.option("--demo/--no-demo", envvar="RELGRAPH_DEMO", default=None,
              help="Load the demo network into an empty store first [default: no].")
@click.option("--demo-seed", envvar="RELGRAPH_DEMO_SEED", type=int, default=None, help="Demo seed [default: 7].")
@click.option("--demo-size", envvar="RELGRAPH_DEMO_SIZE", type=click.Choice(DEMO_SIZES), default=None,
              help="Demo size [default: small].")
@click.option("--demo-as-of", envvar="RELGRAPH_DEMO_AS_OF", default=None,
              help="Moment (UTC, ISO 8601) the demo's history ends at [default: when it is first loaded].")
@click.option("--max-page-size", envvar="RELGRAPH_MAX_PAGE_SIZE", type=click.IntRange(min=1), default=None,
              help="Largest `first` a list accepts [default: 500].")
@click.option("--max-batch", envvar="RELGRAPH_MAX_BATCH", type=click.IntRange(min=1), default=None,
              help="Largest recordInteractions batch [default: 1000].")
@click.option("--influence-max-age-s", envvar="RELGRAPH_INFLUENCE_MAX_AGE_S", type=float, default=None,
              help="Refresh influence in the background when older than this many seconds [default: off].")
@policy_options
@options_for("tier_key_threshold", "tier_suitable_threshold", "clv_discount_rate")
@security_options
@options_for("jwt_role_map_passthrough", "max_json_depth")
def command(**flags: Any) -> None:
    """Serve the GraphQL API (GraphiQL at /graphql, /healthz, /readyz)."""
    if flags.get("data_dir") is not None:
        flags["data_dir"] = Path(flags["data_dir"])
    try:
        settings = settings_from(**flags)
    except ValidationError as exc:
        raise click.UsageError(str(exc)) from None
    try:
        run_server(settings)
    except RelgraphError as exc:
        raise click.ClickException(exc.message) from None
