"""Per-request DataLoaders: each turns the loads of one query level into one store call.

A resolver asks for one stakeholder's relationships; the loader collects every such ask
made while the level resolves and calls `GraphStore.relationships_of` once for all of
them. That keeps a nested query's round trips constant however long its lists are.
Loaders live for one request (their caches would go stale across requests), and a
mutation replaces them so that what it wrote is read back fresh.

strawberry's DataLoader sends a batch on the next tick of the event loop, so loads that
wait on different store calls (a level's interactions and its relationships, say) land
in separate batches whenever those calls return at different moments: the round-trip
count would then depend on the database's timing. Here a request's loaders share a
`Wave`: a batch is held while another batch of the same request is in flight, and all
held batches leave together once the request's pending reads have landed and the
resolvers they woke have run. One query level, one round trip per kind of read,
whatever the page size or the database's speed.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Awaitable, Callable, Generic, Hashable, Sequence, TypeVar

from strawberry.dataloader import Batch, DataLoader, LoaderTask, dispatch_batch

from relgraph.domain.model import AccountPlan, Complaint, Interaction, Relationship, Stakeholder
from relgraph.scoring.strength import PairState
from relgraph.services import strength
from relgraph.store.graph_store import GraphStore

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

#: An unordered pair of stakeholders (smaller id first): the key of a tie's running state
#: and of its report. A report belongs to the pair, never to the relationship that asked
#: for it, so every relationship of one pair reads the same answer.
Pair = tuple[str, str]

#: (since, until, limit) of an interactions list; one loader per distinct window.
Window = tuple[datetime | None, datetime | None, int]
Span = tuple[datetime | None, datetime | None]

#: Event-loop turns to wait, once no batch is in flight, for the resolvers the last
#: batches woke to make their loads (a few turns per nested level of graphql-core).
SETTLE_TURNS = 8


class Wave:
    """Holds a request's batches until its reads in flight have landed, then sends them together."""

    def __init__(self) -> None:
        self._in_flight = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._held: list[Callable[[], Awaitable[None]]] = []
        self._driver: asyncio.Task[None] | None = None
        self._flights: set[asyncio.Task[None]] = set()

    def hold(self, send: Callable[[], Awaitable[None]]) -> None:
        self._held.append(send)
        if self._driver is None:
            self._driver = asyncio.get_running_loop().create_task(self._release_when_settled())

    async def _release_when_settled(self) -> None:
        while True:
            await self._idle.wait()
            for _ in range(SETTLE_TURNS):
                await asyncio.sleep(0)
            if self._in_flight == 0:
                break
        held, self._held, self._driver = self._held, [], None
        self._in_flight += len(held)
        self._idle.clear()
        for send in held:
            flight = asyncio.get_running_loop().create_task(self._fly(send))
            self._flights.add(flight)
            flight.add_done_callback(self._flights.discard)

    async def _fly(self, send: Callable[[], Awaitable[None]]) -> None:
        try:
            await send()
        finally:
            self._in_flight -= 1
            if self._in_flight == 0:
                self._idle.set()


class WaveLoader(DataLoader[K, V], Generic[K, V]):
    """strawberry's DataLoader (cache, prime, load_many, result checks), batching by `Wave`."""

    def __init__(self, wave: Wave, load_fn: Callable[[list[K]], Awaitable[Sequence[V]]]) -> None:
        super().__init__(load_fn=load_fn)
        self.wave = wave
        self._pending: list[LoaderTask[K, V]] = []

    def load(self, key: K) -> Awaitable[V]:
        cached = self.cache_map.get(key)
        if cached is not None and not cached.cancelled():
            return cached
        future: asyncio.Future[V] = asyncio.get_running_loop().create_future()
        self.cache_map.set(key, future)
        if not self._pending:
            self.wave.hold(self._send)
        self._pending.append(LoaderTask(key, future))
        return future

    async def _send(self) -> None:
        batch: Batch[K, V] = Batch(tasks=self._pending)
        self._pending = []
        await dispatch_batch(self, batch)


class Loaders:
    """The DataLoaders of one request, over one store."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.wave = wave = Wave()
        self.stakeholders: WaveLoader[str, Stakeholder | None] = WaveLoader(wave, store.stakeholders)
        self.relationships: WaveLoader[str, Relationship | None] = WaveLoader(wave, store.relationships)
        self.interactions: WaveLoader[str, Interaction | None] = WaveLoader(wave, store.interactions)
        self.complaints: WaveLoader[str, Complaint | None] = WaveLoader(wave, store.complaints)
        self.account_plans: WaveLoader[str, AccountPlan | None] = WaveLoader(wave, store.account_plans)
        self.relationships_of: WaveLoader[str, list[Relationship]] = WaveLoader(wave, self._relationships_of)
        self.complaints_of: WaveLoader[str, list[Complaint]] = WaveLoader(wave, self._complaints_of)
        self.ties: WaveLoader[Pair, PairState] = WaveLoader(wave, self._ties)
        self.tie_reports: WaveLoader[Pair, strength.PairStrength] = WaveLoader(wave, self._tie_reports)
        self._interactions_of: dict[Window, WaveLoader[str, list[Interaction]]] = {}
        self._interaction_counts: dict[Span, WaveLoader[str, int]] = {}

    async def _relationships_of(self, ids: list[str]) -> Sequence[list[Relationship]]:
        found = await self.store.relationships_of(ids)
        return [found[i] for i in ids]

    async def _ties(self, pairs: list[Pair]) -> Sequence[PairState]:
        found = await self.store.ties(pairs)
        return [found.get(p, PairState()) for p in pairs]

    async def _tie_reports(self, pairs: list[Pair]) -> Sequence[strength.PairStrength]:
        found = await strength.many(self.store, pairs)
        return [found[pair] for pair in pairs]

    async def _complaints_of(self, ids: list[str]) -> Sequence[list[Complaint]]:
        found = await self.store.complaints_of(ids)
        return [found[i] for i in ids]

    def interactions_of(self, since: datetime | None, until: datetime | None, limit: int) -> WaveLoader[str, list[Interaction]]:
        """The loader of the latest `limit` interactions per stakeholder in a time window."""
        window = (since, until, limit)
        if window not in self._interactions_of:

            async def load(ids: list[str]) -> Sequence[list[Interaction]]:
                found = await self.store.interactions_of(ids, since=since, until=until, limit=limit)
                return [found[i] for i in ids]

            self._interactions_of[window] = WaveLoader(self.wave, load)
        return self._interactions_of[window]

    def interaction_counts(self, since: datetime | None, until: datetime | None) -> WaveLoader[str, int]:
        """The loader of how many interactions each stakeholder had in a time window."""
        span = (since, until)
        if span not in self._interaction_counts:

            async def load(ids: list[str]) -> Sequence[int]:
                found = await self.store.listing.interaction_counts(ids, since=since, until=until)
                return [found[i] for i in ids]

            self._interaction_counts[span] = WaveLoader(self.wave, load)
        return self._interaction_counts[span]
