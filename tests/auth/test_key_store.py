"""API keys in the store, the same on both backends (tests end in [falkordb] and [neo4j])."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from relgraph.auth import keys
from relgraph.auth.roles import Role
from relgraph.errors import Conflict, NotFound
from relgraph.store.falkordb_runner import FalkorRunner
from relgraph.store.graph_store import GraphStore
from relgraph.store.neo4j_runner import Neo4jRunner
from relgraph.transfer.export import export_text

from .conftest import drop_keys

T0 = datetime(2026, 3, 1, 12, 0, 0, 123000, tzinfo=timezone.utc)


async def test_create_read_list_revoke(keystore: GraphStore) -> None:
    assert await keystore.api_keys() == [] and not await keystore.has_active_api_keys()
    first, token = keys.generate(Role.ANALYST, now=T0, name="reports")
    second, _ = keys.generate(Role.ADMIN, now=T0 + timedelta(seconds=1))
    assert await keystore.add_api_key(first) == first
    await keystore.add_api_key(second)
    assert await keystore.has_active_api_keys()

    stored = await keystore.api_key(first.id)
    assert stored == first and keys.matches(stored, token)
    assert await keystore.api_key("000000000000") is None
    assert [k.id for k in await keystore.api_keys()] == [first.id, second.id]

    revoked = await keystore.revoke_api_key(first.id, at=T0 + timedelta(hours=1))
    assert revoked == first.revoke(T0 + timedelta(hours=1))
    again = await keystore.revoke_api_key(first.id, at=T0 + timedelta(hours=2))
    assert again.revoked_at == T0 + timedelta(hours=1)  # the first revocation is kept
    assert (await keystore.api_key(first.id)).revoked
    assert await keystore.has_active_api_keys()  # the admin key is still in force
    await keystore.revoke_api_key(second.id)
    assert not await keystore.has_active_api_keys()
    assert len(await keystore.api_keys()) == 2  # revoked keys stay listed


async def test_an_expired_key_is_kept_but_not_in_force(keystore: GraphStore) -> None:
    now = datetime.now(timezone.utc).replace(microsecond=0)  # the store keeps milliseconds
    lasting, _ = keys.generate(Role.ANALYST, now=now - timedelta(days=2), expires_at=now + timedelta(days=1))
    await keystore.add_api_key(lasting)
    assert await keystore.api_key(lasting.id) == lasting and await keystore.has_active_api_keys()
    await drop_keys(keystore)
    lapsed, _ = keys.generate(Role.ADMIN, now=now - timedelta(days=2), expires_at=now - timedelta(seconds=1))
    await keystore.add_api_key(lapsed)
    assert (await keystore.api_key(lapsed.id)).expires_at == lapsed.expires_at
    assert not await keystore.has_active_api_keys()  # an expired key puts no access control in force
    assert [k.id for k in await keystore.api_keys()] == [lapsed.id]  # but stays listed


async def test_unknown_and_duplicate_ids(keystore: GraphStore) -> None:
    with pytest.raises(NotFound) as caught:
        await keystore.revoke_api_key("abcdefabcdef")
    assert caught.value.field == "key_id"
    record, _ = keys.generate(Role.VIEWER, now=T0)
    await keystore.add_api_key(record)
    with pytest.raises(Conflict):
        await keystore.add_api_key(record)


async def test_keys_are_not_stakeholders(keystore: GraphStore) -> None:
    """Counts, network reads and exports match their own labels: keys never show up."""
    await keystore.upsert_stakeholders([{"id": "c1", "kind": "CUSTOMER", "form": "ORGANIZATION", "name": "Acme"}])
    for role in Role:
        await keystore.add_api_key(keys.generate(role, now=T0)[0])
    assert await keystore.count_stakeholders() == 1
    counts = await keystore.runner.read(keystore.cypher.query("network_stakeholder_counts"))
    assert sum(r["n"] for r in counts) == 1
    exported = await export_text(keystore, "stakeholders", "jsonl")
    assert exported.count("\n") == 1 and '"c1"' in exported and "ApiKey" not in exported
    assert "hash" not in exported
    for kind in ("relationships", "interactions"):
        assert (await export_text(keystore, kind, "jsonl")).strip() == ""


async def test_same_key_data_on_both_backends(request: pytest.FixtureRequest) -> None:
    """A key written to the embedded store and to Neo4j reads back identically from each,
    and verifies the same token the same way."""
    falkor = request.getfixturevalue("falkordb_server")
    neo4j = request.getfixturevalue("neo4j_server")
    stores = [GraphStore(FalkorRunner(unix_socket_path=str(falkor.socket_path))), GraphStore(Neo4jRunner(neo4j.bolt_uri))]
    record, token = keys.generate(Role.EDITOR, now=T0, name="ünïcode ✓ name")
    revoked, _ = keys.generate(Role.VIEWER, now=T0)
    try:
        for store in stores:
            await store.setup()
            await store.add_api_key(record)
            await store.add_api_key(revoked)
            await store.revoke_api_key(revoked.id, at=T0 + timedelta(minutes=5))
        listed = [await s.api_keys() for s in stores]
        assert listed[0] == listed[1]
        read = [await s.api_key(record.id) for s in stores]
        assert read[0] == read[1] == record
        assert all(keys.matches(r, token) for r in read)
    finally:
        for store in stores:
            await drop_keys(store)
            await store.close()
