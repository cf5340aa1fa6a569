"""`relgraph influence refresh`: recompute influence and brokerage and write them back (DOMAIN.md §3)."""

from __future__ import annotations

import asyncio
from typing import Any

import click

from relgraph.cli import settings_from, storage_options
from relgraph.errors import RelgraphError


@click.group("influence")
def command() -> None:
    """Network influence: PageRank, brokerage, written back onto the stakeholders."""


@command.command("refresh")
@click.option("--samples", type=int, default=None,
              help="Brokerage pivots on networks above 5,000 stakeholders [default: as many as fit 4 s].")
@click.option("--seed", type=int, default=0, help="Seed of the brokerage sample [default: 0].")
@storage_options
def refresh(samples: int | None, seed: int, **storage: Any) -> None:
    """Project the strength-weighted network, compute influence and brokerage, write them back."""
    from relgraph.services import influence
    from relgraph.store.factory import open_store

    settings = settings_from(**storage)

    async def run() -> influence.RefreshResult:
        async with open_store(settings) as store:
            return await influence.refresh(store, samples=samples, seed=seed)

    try:
        r = asyncio.run(run())
    except RelgraphError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(
        f"Influence refreshed: {r.nodes:,} stakeholders, {r.ties:,} ties "
        f"({r.relationships_left_out:,} relationships left out without any strength), {r.written:,} written in {r.seconds:.1f} s "
        f"(brokerage {'exact' if r.brokerage_exact else f'sampled, {r.samples} pivots'}; version {r.version})."
    )
