"""Channel-state counts of the network summary follow the communication-tie rule (both backends).

A channel belongs to a pair that interacted or that a communicating relationship joins;
structural records alone (WORKS_FOR, REPORTS_TO, ...) give none.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from relgraph.services.network_channels import channel_counts
from relgraph.store.graph_store import GraphStore

NOW = datetime.now(timezone.utc).replace(microsecond=0)


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def ix(id: str, kind: str, who: str, other: str, days: float) -> dict[str, Any]:
    return {"id": id, "type": kind, "initiator_id": who, "participant_ids": [other], "at": ago(days)}


async def nobody_overdue() -> list[str]:
    return []


async def test_structural_only_pairs_are_counted_in_no_channel_state(store: GraphStore) -> None:
    """e1 WORKS_FOR us and never talked to us: no channel. buyer BUYS_FROM us (since 20 days)
    and never contacted us: a channel never used, BROKEN. boss and clerk are joined by
    REPORTS_TO only, but met yesterday (3 one way, 1.5 back: r = 2/3, S = 0.36): OPEN.
    fan KNOWS e1, who e-mails fan without answer: r = 0, BLOCKED (ONE_WAY)."""
    await store.upsert_stakeholders([
        {"id": "us", "kind": "EMPLOYEE", "form": "ORGANIZATION", "name": "Us", "is_us": True},
        {"id": "e1", "kind": "EMPLOYEE", "form": "PERSON", "name": "Emma"},
        {"id": "buyer", "kind": "CUSTOMER", "form": "ORGANIZATION", "name": "Buyer"},
        {"id": "boss", "kind": "CUSTOMER", "form": "PERSON", "name": "Boss"},
        {"id": "clerk", "kind": "CUSTOMER", "form": "PERSON", "name": "Clerk"},
        {"id": "fan", "kind": "CUSTOMER", "form": "PERSON", "name": "Fan"},
    ])
    await store.upsert_relationships([
        {"id": "w", "type": "WORKS_FOR", "from_id": "e1", "to_id": "us", "started_at": ago(400)},
        {"id": "b", "type": "BUYS_FROM", "from_id": "buyer", "to_id": "us", "started_at": ago(20)},
        {"id": "r", "type": "REPORTS_TO", "from_id": "clerk", "to_id": "boss", "started_at": ago(400)},
        {"id": "k", "type": "KNOWS", "from_id": "fan", "to_id": "e1", "started_at": ago(400)},
    ])
    await store.record_interactions(
        [ix("m", "MEETING", "boss", "clerk", 1)] + [ix(f"e{n}", "EMAIL", "e1", "fan", 2 + n) for n in range(5)]
    )
    assert await channel_counts(store, NOW, nobody_overdue()) == {"OPEN": 1, "BLOCKED": 1, "BROKEN": 1}
    # 10 days ago: the meeting had not happened (boss-clerk: structural only, uncounted), the
    # e-mails had not started and BUYS_FROM was 10 days old: e1-fan and buyer-us never used
    assert await channel_counts(store, ago(10), nobody_overdue()) == {"OPEN": 0, "BLOCKED": 0, "BROKEN": 2}
    # 30 days ago BUYS_FROM had not started either
    assert await channel_counts(store, ago(30), nobody_overdue()) == {"OPEN": 0, "BLOCKED": 0, "BROKEN": 1}
