"""`relgraph keys`: create, list and revoke API keys.

    relgraph keys create --role analyst --name "weekly report"
    relgraph keys list --format json
    relgraph keys revoke 3f9c0a61b2d4

`create` prints the key once; only its hash is stored. While `relgraph serve` owns the
embedded database, these commands reach it through its socket instead of starting one.
The running API takes a new or revoked key into account within `--auth-cache-s` seconds.
"""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from typing import Any, Awaitable, Callable, TypeVar

import click

from relgraph.auth import keys
from relgraph.auth.roles import ORDER, Role
from relgraph.cli import settings_from, storage_options
from relgraph.config import Settings
from relgraph.domain.time import utcnow
from relgraph.errors import RelgraphError, StoreLocked
from relgraph.store.graph_store import GraphStore

T = TypeVar("T")

ROLES = [r.value for r in ORDER]


async def _on_store(settings: Settings, work: Callable[[GraphStore], Awaitable[T]]) -> T:
    """Run `work` on the configured store; on the running server's embedded database when
    `relgraph serve` holds the data directory."""
    from relgraph.store.embedded import EmbeddedFalkorDB
    from relgraph.store.factory import open_store

    try:
        async with open_store(settings) as store:
            return await work(store)
    except StoreLocked:
        socket = EmbeddedFalkorDB(settings.data_dir).socket_path
        if not socket.exists():
            raise
        async with open_store(settings.model_copy(update={"falkordb_url": f"unix://{socket}"})) as store:
            return await work(store)


def _run(storage: dict[str, Any], work: Callable[[GraphStore], Awaitable[T]]) -> T:
    try:
        return asyncio.run(_on_store(settings_from(**storage), work))
    except RelgraphError as exc:
        raise click.ClickException(exc.message) from None


def _row(key: keys.ApiKey) -> dict[str, Any]:
    return {
        "id": key.id,
        "role": key.role.value,
        "name": key.name,
        "created_at": key.created_at.isoformat(timespec="seconds"),
        "revoked_at": key.revoked_at.isoformat(timespec="seconds") if key.revoked_at else None,
        "expires_at": key.expires_at.isoformat(timespec="seconds") if key.expires_at else None,
        "in_force": key.in_force(utcnow()),
    }


@click.group("keys")
def command() -> None:
    """API keys: create (shown once), list, revoke."""


@command.command("create")
@click.option("--role", required=True, type=click.Choice(ROLES, case_sensitive=False),
              help="viewer: reads but no money; analyst: all reads; editor: and writes; admin: and keys.")
@click.option("--name", default=None, help="What the key is for (shown by `keys list`).")
@click.option("--expires-in-days", type=click.FloatRange(min=0, min_open=True), default=None,
              help="The key lets no one in after this many days [default: it does not expire].")
@click.option("--quiet", "-q", is_flag=True, help="Print only the key (for scripts).")
@storage_options
def create(role: str, name: str | None, expires_in_days: float | None, quiet: bool, **storage: Any) -> None:
    """Create an API key and print it: it is shown only this once."""
    now = utcnow()
    expires = now + timedelta(days=expires_in_days) if expires_in_days is not None else None
    record, token = keys.generate(Role(role.lower()), now=now, name=name, expires_at=expires)
    _run(storage, lambda store: store.add_api_key(record))
    if quiet:
        click.echo(token)
        return
    until = f"; expires {expires:%Y-%m-%d %H:%M:%S} UTC" if expires else ""
    click.echo(f"Created API key {record.id} ({record.role.value}{f', {name}' if name else ''}{until}).", err=True)
    click.echo("Send it as `Authorization: Bearer <key>`. It is shown only now; store it safely:", err=True)
    click.echo(token)


@command.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", help="Output format.")
@storage_options
def list_keys(fmt: str, **storage: Any) -> None:
    """Every key, revoked and expired ones too, oldest first (never the secrets: they are
    not stored)."""
    rows = [_row(k) for k in _run(storage, lambda store: store.api_keys())]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo("No API keys (the API runs open on loopback; refused elsewhere).")
        return
    header = ("id", "role", "name", "created_at", "revoked_at", "expires_at", "in_force")
    cells = [header] + [tuple("" if r[h] is None else str(r[h]).lower() if isinstance(r[h], bool) else str(r[h])
                              for h in header) for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(header))]
    for line in cells:
        click.echo("  ".join(c.ljust(w) for c, w in zip(line, widths)).rstrip())


@command.command("revoke")
@click.argument("key_id")
@storage_options
def revoke(key_id: str, **storage: Any) -> None:
    """Revoke a key by its id (kept, marked revoked; revoking again changes nothing)."""
    key_id = keys.key_id_of(key_id) or key_id.removeprefix(keys.PREFIX)  # a whole key works too
    key = _run(storage, lambda store: store.revoke_api_key(key_id))
    click.echo(f"Revoked API key {key.id} ({key.role.value}) at {key.revoked_at:%Y-%m-%d %H:%M:%S} UTC.")
