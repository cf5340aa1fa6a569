"""`GraphStore.ended_pairs`: the pairs whose communicating relationships have all ended (both backends)."""

from __future__ import annotations

from datetime import datetime, timezone

from relgraph.store.graph_store import GraphStore

ENDED = datetime(2026, 6, 1, tzinfo=timezone.utc)


async def test_a_pair_is_ended_only_when_every_communicating_relationship_is(store: GraphStore) -> None:
    await store.upsert_stakeholders([
        {"id": x, "kind": "CUSTOMER", "form": "PERSON", "name": x} for x in ("a", "b", "c", "d", "e", "f")
    ])
    await store.upsert_relationships([
        {"id": "r1", "type": "KNOWS", "from_id": "a", "to_id": "b", "ended_at": ENDED},       # a-b: all ended
        {"id": "r2", "type": "COLLEAGUE_OF", "from_id": "b", "to_id": "a", "ended_at": ENDED},
        {"id": "r3", "type": "KNOWS", "from_id": "c", "to_id": "b", "ended_at": ENDED},       # b-c: one still on
        {"id": "r4", "type": "PARTNERS_WITH", "from_id": "b", "to_id": "c"},
        {"id": "r5", "type": "REPORTS_TO", "from_id": "e", "to_id": "d", "ended_at": ENDED},  # d-e: structural only,
        {"id": "r6", "type": "KNOWS", "from_id": "a", "to_id": "c"},                          # no channel to end
        {"id": "r7", "type": "BUYS_FROM", "from_id": "f", "to_id": "e", "ended_at": ENDED},   # e-f: the channel ended;
        {"id": "r8", "type": "WORKS_FOR", "from_id": "f", "to_id": "e"},                      # a structural record
    ])                                                                                        # does not keep it open
    assert await store.ended_pairs() == {("a", "b"), ("e", "f")}
