"""Loading the demo into real databases (both backends): complete, faithful and idempotent."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from relgraph.demo import DemoNetwork, generate
from relgraph.demo.load import DemoCounts, final_state, load_demo, load_demo_if_empty
from relgraph.domain.enums import ComplaintStatus, RelationshipType
from relgraph.store.graph_store import GraphStore


@pytest.fixture(scope="module")
def tiny() -> DemoNetwork:
    return generate(7, "tiny")


async def count(store: GraphStore, query: str) -> int:
    rows = await store.runner.read(query)
    return int(rows[0]["n"])


async def graph_counts(store: GraphStore) -> dict[str, int]:
    types = "|".join(t.value for t in RelationshipType)
    return {
        "stakeholders": await count(store, "MATCH (n:Stakeholder) RETURN count(n) AS n"),
        "relationships": await count(store, f"MATCH (:Stakeholder)-[r:{types}]->(:Stakeholder) RETURN count(r) AS n"),
        "ended_relationships": await count(
            store, f"MATCH (:Stakeholder)-[r:{types}]->(:Stakeholder) WHERE r.ended_at IS NOT NULL RETURN count(r) AS n"
        ),
        "interactions": await count(store, "MATCH (n:Interaction) RETURN count(n) AS n"),
        "participations": await count(store, "MATCH (:Stakeholder)-[p:PARTICIPATED]->(:Interaction) RETURN count(p) AS n"),
        "complaints": await count(store, "MATCH (n:Complaint) RETURN count(n) AS n"),
        "account_plans": await count(store, "MATCH (n:AccountPlan) RETURN count(n) AS n"),
    }


def expected_counts(net: DemoNetwork) -> dict[str, int]:
    return {
        "stakeholders": len(net.stakeholders),
        "relationships": len(net.relationships),
        "ended_relationships": len(net.endings),
        "interactions": len(net.interactions),
        "participations": sum(len({i.initiator_id, *i.participant_ids}) for i in net.interactions),
        "complaints": len(net.complaints),
        "account_plans": len(net.account_plans),
    }


def _dump(items: list[Any], *volatile: str) -> list[dict[str, Any]]:
    assert all(item is not None for item in items)
    return [item.model_dump(exclude=set(volatile)) for item in items]


async def snapshot(store: GraphStore, net: DemoNetwork) -> dict[str, Any]:
    """Everything the demo wrote, without the stamps of when it was written."""
    return {
        "counts": await graph_counts(store),
        "stakeholders": _dump(await store.stakeholders([s.id for s in net.stakeholders]), "updated_at"),
        "relationships": _dump(await store.relationships([r.id for r in net.relationships])),
        "interactions": _dump(await store.interactions([i.id for i in net.interactions])),
        "complaints": _dump(await store.complaints([c.id for c in net.complaints]), "updated_at"),
        "account_plans": _dump(await store.account_plans([p.account_id for p in net.account_plans]), "updated_at"),
    }


def final_statuses(net: DemoNetwork) -> dict[str, ComplaintStatus]:
    status = {c.id: ComplaintStatus.RECEIVED for c in net.complaints}
    for move in net.complaint_moves:
        status[move.id] = move.status
    return status


async def test_tiny_demo_loads_what_the_generator_made(store: GraphStore, tiny: DemoNetwork) -> None:
    counts = await load_demo(store, seed=7, size="tiny", end=tiny.end)

    expected = tiny.counts()
    assert {k: v for k, v in counts.as_dict().items() if k not in ("seconds", "as_of")} == expected
    assert await graph_counts(store) == expected_counts(tiny)
    assert await store.count_stakeholders() == len(tiny.stakeholders)

    stored = await store.stakeholders([s.id for s in tiny.stakeholders])
    for new, got in zip(tiny.stakeholders, stored):
        assert got is not None
        assert (got.kind, got.form, got.name, got.tier, got.is_us) == (new.kind, new.form, new.name, new.tier,
                                                                          new.is_us)
    ended = {e.relationship_id: e for e in tiny.endings}
    for rel in await store.relationships([r.id for r in tiny.relationships]):
        assert rel is not None
        if rel.id in ended:
            assert rel.ended_at == ended[rel.id].at and rel.end_reason == ended[rel.id].reason
        else:
            assert rel.ended_at is None
    complaints = await store.complaints([c.id for c in tiny.complaints])
    assert {c.id: c.status for c in complaints if c} == final_statuses(tiny)
    plans = await store.account_plans([p.account_id for p in tiny.account_plans])
    assert [p.next_contact_due for p in plans if p] == [p.next_contact_due for p in tiny.account_plans]


async def test_loading_twice_changes_nothing(store: GraphStore, tiny: DemoNetwork) -> None:
    first = await load_demo(store, seed=7, size="tiny")
    before = await snapshot(store, tiny)
    second = await load_demo(store, seed=7, size="tiny")
    after = await snapshot(store, tiny)
    assert {k: v for k, v in first.as_dict().items() if k != "seconds"} == \
        {k: v for k, v in second.as_dict().items() if k != "seconds"}
    assert after == before


async def test_an_interrupted_load_is_finished_by_the_next(store: GraphStore, tiny: DemoNetwork) -> None:
    """Complaints half filed and half moved are completed, never moved twice."""
    await store.upsert_stakeholders(tiny.stakeholders)
    with_moves = [c for c in tiny.complaints if sum(m.id == c.id for m in tiny.complaint_moves) >= 2][:3]
    for complaint in with_moves:
        await store.file_complaint(complaint)
        first_move = next(m for m in tiny.complaint_moves if m.id == complaint.id)
        await store.transition_complaint(first_move)
    await load_demo(store, seed=7, size="tiny", end=tiny.end)
    complaints = await store.complaints([c.id for c in tiny.complaints])
    assert {c.id: c.status for c in complaints if c} == final_statuses(tiny)
    assert await graph_counts(store) == expected_counts(tiny)


async def test_load_if_empty(store: GraphStore, tiny: DemoNetwork) -> None:
    counts = await load_demo_if_empty(store, seed=7, size="tiny", end=tiny.end)
    assert isinstance(counts, DemoCounts) and counts.stakeholders == len(tiny.stakeholders)
    assert await load_demo_if_empty(store, seed=8, size="tiny") is None
    assert await graph_counts(store) == expected_counts(tiny)


# -- pure -------------------------------------------------------------------------------

T = datetime(2026, 5, 1, 9, 0, tzinfo=timezone.utc)


def test_final_state_applies_the_moves_in_order() -> None:
    row = {"id": "c", "stakeholder_id": "s", "channel": "PHONE", "category": "billing", "received_at": T}
    moves = [{"id": "c", "status": s, "at": T.replace(hour=9 + h)} for s, h in
             (("ACKNOWLEDGED", 1), ("ESCALATED", 2), ("ACKNOWLEDGED", 3), ("RESOLVED", 4))]
    moves[-1]["satisfaction"] = 0.5
    state = final_state(row, moves)
    assert state["status"] is ComplaintStatus.RESOLVED and state["satisfaction"] == 0.5
    assert state["acknowledged_at"] == T.replace(hour=12) and state["resolved_at"] == T.replace(hour=13)
    assert final_state(row, []) == row


async def test_the_history_ends_when_the_demo_is_first_loaded(store: GraphStore) -> None:
    """Unpinned, the demo's history ends now (to the minute), and the store remembers it, so
    a second load rewrites the same history; a pinned `end` wins."""
    before = datetime.now(timezone.utc).replace(second=0, microsecond=0)
    first = await load_demo(store, seed=5, size="tiny")
    assert first.as_of is not None and before <= first.as_of <= datetime.now(timezone.utc)
    latest = await store.runner.read("MATCH (i:Interaction) RETURN max(i.at) AS at")
    assert int(latest[0]["at"]) <= int(first.as_of.timestamp() * 1000)
    assert int(latest[0]["at"]) > int(first.as_of.timestamp() * 1000) - 30 * 86_400_000, "alive: recent contact"

    again = await load_demo(store, seed=5, size="tiny")
    assert again.as_of == first.as_of

    pinned = datetime(2025, 3, 1, 12, 30, tzinfo=timezone.utc)
    await store.runner.clear()
    assert (await load_demo(store, seed=5, size="tiny", end=pinned)).as_of == pinned
    assert await store.demo_network() == {"seed": 5, "size": "tiny", "as_of": int(pinned.timestamp() * 1000)}
