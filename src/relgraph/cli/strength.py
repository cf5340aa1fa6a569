"""`relgraph strength rebuild`: recompute every pair's running strength from its history."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import click

from relgraph.cli import policy_options, settings_from, storage_options
from relgraph.errors import RelgraphError


@click.group("strength")
def command() -> None:
    """Relationship strength (DOMAIN.md §2)."""


@command.command("rebuild")
@storage_options
@policy_options
def rebuild(**flags: Any) -> None:
    """Replay every interaction under the current half-life and weights.

    The running strengths are kept incrementally, decayed and weighted under the settings
    in force when each interaction was recorded. After changing
    RELGRAPH_STRENGTH_HALF_LIFE_DAYS or RELGRAPH_STRENGTH_WEIGHTS, run this once with the
    new values (the saturation constant and health thresholds need no rebuild).
    """
    from relgraph.store.factory import open_store

    settings = settings_from(**flags)

    async def run() -> int:
        async with open_store(settings) as store:
            return await store.rebuild_ties()

    began = time.perf_counter()
    try:
        pairs = asyncio.run(run())
    except RelgraphError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"Strength rebuilt: {pairs:,} pairs replayed in {time.perf_counter() - began:.1f} s.")
