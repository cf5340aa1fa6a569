"""Key store tests run on the session's databases, which the shared API servers also use:
every test here leaves no `:ApiKey` behind, so that no other server turns access control on."""

from __future__ import annotations

from typing import AsyncIterator

import pytest

from relgraph.store.graph_store import GraphStore


async def drop_keys(store: GraphStore) -> None:
    await store.runner.write("MATCH (k:ApiKey) DETACH DELETE k")


@pytest.fixture
async def keystore(store: GraphStore) -> AsyncIterator[GraphStore]:
    """`store` (both backends), with its API keys removed afterwards."""
    try:
        yield store
    finally:
        await drop_keys(store)
