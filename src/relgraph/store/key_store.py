"""The store's API keys: `:ApiKey` nodes in the same graph, on either backend.

Keys share the graph so that one backup, one replication and one `relgraph serve`
cover them, and so that the embedded store and Neo4j hold the same key data. Nothing
that counts, lists or exports stakeholders matches them: those queries name their own
labels. Keys are never deleted; a revoked key stays, marked with its time.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from relgraph.auth.keys import ApiKey
from relgraph.auth.roles import Role
from relgraph.domain.time import from_ms, to_ms, utcnow
from relgraph.errors import Conflict, NotFound

if TYPE_CHECKING:
    from relgraph.store.cypher import CypherLibrary
    from relgraph.store.runner import Runner

#: The schema file set up beside `schema` (its indexes and constraints).
KEY_SCHEMA = "all_api_keys_schema"


def _props(key: ApiKey) -> dict[str, Any]:
    props: dict[str, Any] = {
        "id": key.id,
        "role": key.role.value,
        "hash": key.hash,
        "created_at": to_ms(key.created_at),
    }
    if key.name is not None:
        props["name"] = key.name
    if key.revoked_at is not None:
        props["revoked_at"] = to_ms(key.revoked_at)
    if key.expires_at is not None:
        props["expires_at"] = to_ms(key.expires_at)
    return props


def _key(props: dict[str, Any]) -> ApiKey:
    return ApiKey(
        id=props["id"],
        role=Role(props["role"]),
        hash=props["hash"],
        created_at=from_ms(props["created_at"]),  # type: ignore[arg-type]
        name=props.get("name"),
        revoked_at=from_ms(props.get("revoked_at")),
        expires_at=from_ms(props.get("expires_at")),
    )


class KeyStore:
    """Mixed into GraphStore; uses its `runner` and `cypher`."""

    runner: Runner
    cypher: CypherLibrary

    async def add_api_key(self, key: ApiKey) -> ApiKey:
        rows = await self.runner.write(self.cypher.query("api_key_create"), {"id": key.id, "props": _props(key)})
        if not rows:
            raise Conflict(f"an API key with id {key.id!r} already exists", field="id")
        return _key(rows[0]["k"])

    async def api_key(self, key_id: str) -> ApiKey | None:
        rows = await self.runner.read(self.cypher.query("api_key_by_id"), {"id": key_id})
        return _key(rows[0]["k"]) if rows else None

    async def api_keys(self) -> list[ApiKey]:
        """Every key, revoked ones too, oldest first."""
        rows = await self.runner.read(self.cypher.query("all_api_keys"))
        return sorted((_key(row["k"]) for row in rows), key=lambda k: (k.created_at, k.id))

    async def revoke_api_key(self, key_id: str, at: datetime | None = None) -> ApiKey:
        """Revoke a key (again: no change); NOT_FOUND for an unknown id."""
        rows = await self.runner.write(
            self.cypher.query("api_key_revoke"), {"id": key_id, "now": to_ms(at or utcnow())}
        )
        if not rows:
            raise NotFound(f"no API key with id {key_id!r}", field="key_id")
        return _key(rows[0]["k"])

    async def has_active_api_keys(self) -> bool:
        """Whether some key is in force now: neither revoked nor expired."""
        return bool(await self.runner.read(self.cypher.query("all_api_keys_active"), {"now": to_ms(utcnow())}))
