"""No N+1: a nested query's database round trips are a small constant, whatever the page size.

In-process (`schema.execute` over the `store` fixture), so that `runner.round_trips`
counts exactly the calls this one query makes.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from relgraph.api.context import Context
from relgraph.api.schema import schema
from relgraph.config import Settings
from relgraph.store.graph_store import GraphStore

NESTED = """query($first: Int!) {
  stakeholders(first: $first, filter: {kind: [CUSTOMER]}, orderBy: {field: NAME}) {
    totalCount
    nodes {
      key name
      lastInteraction { at type initiator { key } }
      relationships { totalCount nodes { type from { key } to { key } } }
      counterparts {
        nodes {
          direction
          relationship { type active }
          stakeholder { key name lastInteraction { at } }
        }
      }
    }
  }
}"""


async def build_network(store: GraphStore, customers: int = 50) -> None:
    """`customers` customers, each tied to us, to an account owner and to a contact person,
    with an interaction each."""
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    people = [{"id": "us", "kind": "EMPLOYEE", "form": "ORGANIZATION", "name": "Us", "is_us": True}]
    people += [{"id": f"e{n}", "kind": "EMPLOYEE", "form": "PERSON", "name": f"Owner {n}"} for n in range(5)]
    people += [{"id": f"c{n:02}", "kind": "CUSTOMER", "form": "ORGANIZATION", "name": f"Customer {n:02}"}
               for n in range(customers)]
    people += [{"id": f"p{n:02}", "kind": "AGENCY", "form": "PERSON", "name": f"Contact {n:02}"} for n in range(customers)]
    await store.upsert_stakeholders(people)
    rels = []
    for n in range(customers):
        rels += [
            {"id": f"b{n}", "type": "BUYS_FROM", "from_id": f"c{n:02}", "to_id": "us"},
            {"id": f"m{n}", "type": "MANAGES_ACCOUNT", "from_id": f"e{n % 5}", "to_id": f"c{n:02}"},
            {"id": f"w{n}", "type": "WORKS_FOR", "from_id": f"p{n:02}", "to_id": f"c{n:02}", "role": "USER"},
        ]
    await store.upsert_relationships(rels)
    await store.record_interactions([
        {"id": f"i{n}", "type": "CALL", "at": start + timedelta(hours=n), "initiator_id": f"e{n % 5}",
         "participant_ids": [f"c{n:02}", f"p{n:02}"]}
        for n in range(customers)
    ])


async def round_trips(store: GraphStore, first: int) -> tuple[int, dict]:
    context = Context(store, Settings(max_page_size=100))
    before = store.runner.round_trips
    result = await schema.execute(NESTED, variable_values={"first": first}, context_value=context)
    assert result.errors is None, result.errors
    return store.runner.round_trips - before, result.data


async def test_round_trips_do_not_grow_with_page_size(store: GraphStore) -> None:
    await build_network(store)
    counts = {}
    for first in (10, 50, 10, 50):
        trips, data = await round_trips(store, first)
        nodes = data["stakeholders"]["nodes"]
        assert len(nodes) == first and data["stakeholders"]["totalCount"] == 50
        assert all(len(n["counterparts"]["nodes"]) == 3 and n["lastInteraction"] for n in nodes)
        assert all(c["stakeholder"]["lastInteraction"] is not None
                   for n in nodes for c in n["counterparts"]["nodes"] if c["stakeholder"]["key"] != "us")
        counts.setdefault(first, set()).add(trips)

    # The page, its totalCount, the customers' relationships and last interactions, the
    # counterparts (with the initiators), and the counterparts' last interactions.
    assert counts[10] == counts[50] == {6}, counts


SENTIMENT_PAGE = """query($first: Int!) {
  stakeholders(first: $first, filter: {kind: [CUSTOMER]}, orderBy: {field: NAME}) {
    nodes { key recentSentiment { average count } }
  }
  keyAccounts(first: $first) { accountKey recentSentiment { average count previousAverage } }
}"""


async def test_recent_sentiment_is_one_read_per_page(store: GraphStore) -> None:
    """A page of accounts with their recent sentiment: one read for the stakeholders' now,
    one for the key accounts' moment, whatever the page size."""
    await build_network(store)
    now = datetime.now(timezone.utc)
    await store.record_interactions([
        {"id": f"f{n}", "type": "FEEDBACK", "at": now - timedelta(days=n % 30 + 1), "initiator_id": f"p{n:02}",
         "participant_ids": [f"e{n % 5}"], "sentiment": (n % 5 - 2) / 2}
        for n in range(50)
    ])
    counts: dict[int, set[int]] = {}
    for first in (1, 10, 50, 10, 50):  # the first request scores the whole network, then it is cached
        context = Context(store, Settings(max_page_size=100))  # a request: its own loaders
        before = store.runner.round_trips
        result = await schema.execute(SENTIMENT_PAGE, variable_values={"first": first}, context_value=context)
        assert result.errors is None, result.errors
        trips = store.runner.round_trips - before
        rows = result.data["stakeholders"]["nodes"]  # type: ignore[index]
        assert len(rows) == first and all(r["recentSentiment"]["count"] == 1 for r in rows)
        counts.setdefault(first, set()).add(trips)
    # the stakeholder page, the network version (the key accounts come from the cache) and
    # one sentiment read per moment: the request's now, and the key accounts' moment
    assert counts[10] == counts[50] == {4}, counts
