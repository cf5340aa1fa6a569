"""recordInteractions with an idempotency key counts a retried request once (both backends).

The ids of a keyed batch's interactions derive from (key, position), so a repeat meets
ids the store has recorded and skips them; a repeat racing the original loses the unique
constraint and is answered from the recorded batch. A key reused for another batch is
CONFLICT.
"""

from __future__ import annotations

import asyncio
from typing import AsyncIterator, Iterator

import httpx
import pytest

from api.support import UvicornProcess, backend_env, fixture_store, start_uvicorn
from relgraph.api.inputs import derived_id
from relgraph.store.graph_store import GraphStore

from .support import BATCH_SIZE, RECORD, batch, code_of, graphql, seed

PAIR = ("f-cust", "f-emp")


@pytest.fixture(scope="module", params=["falkordb", "neo4j"])
def server(request: pytest.FixtureRequest) -> Iterator[tuple[str, UvicornProcess]]:
    process = start_uvicorn(backend_env(request, request.param))
    yield request.param, process
    process.stop()


@pytest.fixture
async def api(request: pytest.FixtureRequest, server: tuple[str, UvicornProcess]) -> AsyncIterator[tuple[httpx.AsyncClient, GraphStore]]:
    backend, process = server
    store = fixture_store(request, backend)
    await store.runner.clear()
    async with httpx.AsyncClient(base_url=process.base_url, timeout=60) as client:
        await seed(client)
        yield client, store
    await store.close()


async def recorded(store: GraphStore) -> tuple[int, int]:
    """(interactions stored, interactions the pair's running strength has counted)."""
    rows = await store.runner.read("MATCH (i:Interaction) RETURN count(i) AS n")
    tie = (await store.ties([PAIR])).get(PAIR)
    return rows[0]["n"], tie.count if tie else 0


async def test_the_same_request_twice_counts_once(api: tuple[httpx.AsyncClient, GraphStore]) -> None:
    client, store = api
    first = await graphql(client, RECORD, {"batch": batch("retry-me")})
    again = await graphql(client, RECORD, {"batch": batch("retry-me")})
    assert code_of(first) == code_of(again) == "ok", (first.text, again.text)
    keys = [i["key"] for i in first.json()["data"]["recordInteractions"]["interactions"]]
    assert keys == [derived_id("retry-me", n) for n in range(BATCH_SIZE)]
    assert again.json() == first.json()
    assert await recorded(store) == (BATCH_SIZE, BATCH_SIZE)


async def test_concurrent_repeats_count_once_and_all_succeed(api: tuple[httpx.AsyncClient, GraphStore]) -> None:
    client, store = api
    replies = await asyncio.gather(*(graphql(client, RECORD, {"batch": batch("racing")}) for _ in range(8)))
    assert [code_of(r) for r in replies] == ["ok"] * 8, [r.text for r in replies if code_of(r) != "ok"]
    assert await recorded(store) == (BATCH_SIZE, BATCH_SIZE)


async def test_different_keys_are_different_batches(api: tuple[httpx.AsyncClient, GraphStore]) -> None:
    client, store = api
    for key in ("monday", "tuesday"):
        assert code_of(await graphql(client, RECORD, {"batch": batch(key)})) == "ok"
    assert await recorded(store) == (2 * BATCH_SIZE, 2 * BATCH_SIZE)


async def test_a_key_reused_for_another_batch_is_conflict(api: tuple[httpx.AsyncClient, GraphStore]) -> None:
    client, store = api
    assert code_of(await graphql(client, RECORD, {"batch": batch("once")})) == "ok"
    # (A repeat that drops the batch's tail is taken for a repeat: the first ids match.)
    for other in (batch("once", sentiment=-0.5), batch("once", size=BATCH_SIZE + 1)):
        reply = (await graphql(client, RECORD, {"batch": other})).json()
        assert reply.get("errors", [{}])[0].get("extensions") == {"code": "CONFLICT", "field": "input.idempotencyKey"}, (other, reply)
    assert await recorded(store) == (BATCH_SIZE, BATCH_SIZE)


async def test_client_keys_win_and_a_bad_key_is_refused(api: tuple[httpx.AsyncClient, GraphStore]) -> None:
    client, store = api
    mixed = batch("mixed", size=2)
    mixed["interactions"][0]["key"] = "call-1"
    reply = (await graphql(client, RECORD, {"batch": mixed})).json()
    keys = [i["key"] for i in reply["data"]["recordInteractions"]["interactions"]]
    assert keys == ["call-1", derived_id("mixed", 1)]
    for bad in ("", " ", "k" * 201):
        reply = (await graphql(client, RECORD, {"batch": batch(bad)})).json()
        assert reply["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "input.idempotencyKey"}, reply
    assert await recorded(store) == (2, 2)
