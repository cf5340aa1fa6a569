"""A repeat that races the original past the id check still counts once (both backends).

The interleaving is forced, on the real databases: right after request A has checked
which ids are recorded (none), request B records the same batch and commits. A's write
then meets the unique constraint on interaction ids, is undone, and A runs once more:
this time the check sees B's interactions and A succeeds without writing anything.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable

from relgraph.store.graph_store import GraphStore
from relgraph.store.runner import Params, Row, Runner, Tx

MeanWhile = Callable[[], Awaitable[Any]]


class Interleaved:
    """The real runner, with `meanwhile` run once, inside the next transaction, right
    after its check of recorded interaction ids."""

    def __init__(self, inner: Runner, meanwhile: MeanWhile) -> None:
        self.inner = inner
        self.meanwhile: MeanWhile | None = meanwhile
        self.attempts = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    async def transaction(self, work: Callable[[Tx], Awaitable[Any]]) -> Any:
        self.attempts += 1
        return await self.inner.transaction(lambda tx: work(_PausingTx(tx, self)))


class _PausingTx:
    def __init__(self, tx: Tx, owner: Interleaved) -> None:
        self.tx = tx
        self.owner = owner

    async def run(self, query: str, params: Params | None = None) -> list[Row]:
        rows = await self.tx.run(query, params)
        if "interaction ids are recorded" in query and self.owner.meanwhile is not None:
            meanwhile, self.owner.meanwhile = self.owner.meanwhile, None
            await meanwhile()
        return rows


BATCH = [
    {"id": f"race-{n}", "type": "CALL", "at": "2024-05-01T10:00:00Z", "initiator_id": "e", "participant_ids": ["c"],
     "sentiment": 0.5}
    for n in range(3)
]


async def test_a_repeat_that_loses_the_race_succeeds_and_counts_once(store: GraphStore) -> None:
    await store.upsert_stakeholders([
        {"id": "e", "kind": "EMPLOYEE", "form": "PERSON", "name": "E"},
        {"id": "c", "kind": "CUSTOMER", "form": "PERSON", "name": "C"},
    ])
    rival = GraphStore(store.runner)
    runner = Interleaved(store.runner, lambda: rival.record_interactions(BATCH, keyed=True))
    racing = GraphStore(runner)  # type: ignore[arg-type]

    recorded = await racing.record_interactions(BATCH, keyed=True)

    assert [i.id for i in recorded] == ["race-0", "race-1", "race-2"]
    assert runner.meanwhile is None and runner.attempts >= 2  # the race happened, and A ran again
    rows = await store.runner.read("MATCH (i:Interaction) RETURN count(i) AS n")
    assert rows[0]["n"] == 3
    assert (await store.ties([("c", "e")]))[("c", "e")].count == 3
