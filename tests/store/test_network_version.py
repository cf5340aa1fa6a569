"""The network version moves on with every write, so cached whole-network views notice."""

from __future__ import annotations

from relgraph.store.graph_store import GraphStore


async def test_version_moves_with_every_write_and_not_with_reads(store: GraphStore) -> None:
    assert await store.network_version() is None
    await store.create_stakeholder({"id": "us", "kind": "EMPLOYEE", "form": "ORGANIZATION", "name": "Us", "is_us": True})
    first = await store.network_version()
    assert first is not None
    await store.stakeholders(["us"])
    assert await store.network_version() == first
    await store.create_stakeholder({"id": "ann", "kind": "CUSTOMER", "form": "PERSON", "name": "Ann"})
    await store.record_interactions([{"id": "i1", "type": "CALL", "at": "2026-01-05T10:00:00Z",
                                      "initiator_id": "us", "participant_ids": ["ann"]}])
    second = await store.network_version()
    assert second not in (None, first)
    await store.update_stakeholder("ann", {"region": "North"})
    assert await store.network_version() != second


async def test_a_failed_write_leaves_the_version(store: GraphStore) -> None:
    await store.create_stakeholder({"id": "us", "kind": "EMPLOYEE", "form": "ORGANIZATION", "name": "Us", "is_us": True})
    before = await store.network_version()
    try:
        await store.record_interactions([{"id": "i1", "type": "CALL", "at": "2026-01-05T10:00:00Z",
                                          "initiator_id": "us", "participant_ids": ["nobody"]}])
    except Exception:  # noqa: BLE001 - NotFound is the point; the version is what we check
        pass
    assert await store.network_version() == before
