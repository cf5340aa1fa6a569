"""`relgraph demo`: load the deterministic demo network into the configured store."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from typing import Any

import click

from relgraph.cli import settings_from, storage_options
from relgraph.config import Settings
from relgraph.demo.generate import SIZES
from relgraph.demo.influence import demo_influence_line, refresh_demo_influence
from relgraph.demo.load import DemoCounts, load_demo, load_demo_if_empty
from relgraph.errors import RelgraphError

#: sizes that get progress bars unless --no-progress
_BIG = ("medium", "large", "xl")


async def _load(settings: Settings, *, seed: int, size: str, end: datetime | None, if_empty: bool,
                progress: bool) -> tuple[DemoCounts, str] | None:
    """The demo loaded (None when `if_empty` found data), and the line saying influence was computed."""
    from relgraph.store.factory import open_store

    async with open_store(settings) as store:
        if if_empty:
            counts = await load_demo_if_empty(store, seed=seed, size=size, end=end, progress=progress)
        else:
            counts = await load_demo(store, seed=seed, size=size, end=end, progress=progress)
        if counts is None:
            return None
        return counts, demo_influence_line(await refresh_demo_influence(store))


def _report(counts: DemoCounts, *, seed: int, size: str, backend: str) -> str:
    as_of = f", history up to {counts.as_of:%Y-%m-%d %H:%M} UTC" if counts.as_of else ""
    lines = [f"Loaded the {size} demo network (seed {seed}{as_of}) into {backend} in {counts.seconds:.1f} s:"]
    for name, value in counts.as_dict().items():
        if name not in ("seconds", "as_of"):
            lines.append(f"  {name.replace('_', ' '):<22}{value:>12,}")
    return "\n".join(lines)


@click.command("demo")
@click.option("--seed", type=int, envvar="RELGRAPH_DEMO_SEED", default=None,
              help="Seed of the network; the same seed gives the same network [default: 7].")
@click.option("--size", type=click.Choice(list(SIZES)), envvar="RELGRAPH_DEMO_SIZE", default=None,
              help="tiny (~30 customers), small (~300), medium (~3k), large (~30k stakeholders) or "
                   "xl (~100k stakeholders, ~1M relationships) [default: small].")
@click.option("--as-of", "--end", "end", type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]),
              envvar="RELGRAPH_DEMO_AS_OF", default=None,
              help="Moment (UTC) the two years of history end at [default: now, or the end of the same demo "
                   "loaded before into this store].")
@click.option("--if-empty", is_flag=True, help="Load only when the store holds no stakeholders yet.")
@click.option("--progress/--no-progress", default=None,
              help="Show progress bars [default: for medium and larger sizes].")
@storage_options
def command(seed: int | None, size: str | None, end: datetime | None, if_empty: bool, progress: bool | None,
            **storage: Any) -> None:
    """Load the demo network: our company, customers of every tier, suppliers, competitors,
    agencies, two years of interactions, complaints and account plans, up to now (or
    --as-of). Influence is computed once, straight after.

    Loading is idempotent: running it again with the same seed and size rewrites the same
    history (the store remembers where it ended) and changes nothing.
    """
    settings = settings_from(**storage, demo_seed=seed, demo_size=size)
    seed, size = settings.demo_seed, settings.demo_size
    end = end.replace(tzinfo=timezone.utc) if end else None
    show = progress if progress is not None else size in _BIG
    try:
        loaded = asyncio.run(_load(settings, seed=seed, size=size, end=end, if_empty=if_empty, progress=show))
    except RelgraphError as exc:
        raise click.ClickException(exc.message) from exc
    if loaded is None:
        click.echo("The store holds stakeholders already; nothing loaded (--if-empty).")
        return
    counts, influence = loaded
    click.echo(_report(counts, seed=seed, size=size, backend=settings.backend))
    click.echo(influence)
