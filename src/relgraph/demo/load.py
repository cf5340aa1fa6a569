"""Loading the demo network into a store, through its batch APIs.

Order: stakeholders, relationships (ended ones carry their end), interactions,
complaints (each in the state its lifecycle moves lead to) and account plans, all in
batches. Every step is idempotent, so loading the same seed and size twice leaves the
graph as the first load left it (apart from `updated_at` stamps): everything is upserted
by id and interactions are recorded once per id. An interrupted load can simply be run
again.

The history ends at the moment the demo is first loaded (to the minute), so the network
looks alive whenever it is started: ties are fresh, complaints are recent. The store
remembers that moment (with the seed and size), so loading the same demo again rewrites
the same history instead of a later one. `as_of` pins the end instead, for tests and
for reproducible screenshots.

The generator streams its rows (plain dicts, validated by the store's batch APIs), so
even the xl network is never held in memory as a whole.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from itertools import islice
from typing import Any, Iterable, Iterator, Sequence, TypeVar

from relgraph.demo.generate import DEFAULT_SEED, DEFAULT_SIZE, DemoGenerator
from relgraph.domain.enums import ComplaintStatus
from relgraph.domain.model import ComplaintMove
from relgraph.store.graph_store import GraphStore

T = TypeVar("T")

#: rows per store call for stakeholders, relationships and interactions
BATCH = 5_000

_STAMPS = {
    ComplaintStatus.ACKNOWLEDGED: "acknowledged_at",
    ComplaintStatus.ESCALATED: "escalated_at",
    ComplaintStatus.RESOLVED: "resolved_at",
    ComplaintStatus.CLOSED: "closed_at",
}


@dataclass
class DemoCounts:
    """What the loaded demo holds (written now or found from an earlier load)."""

    stakeholders: int = 0
    relationships: int = 0
    ended_relationships: int = 0
    interactions: int = 0
    complaints: int = 0
    complaint_moves: int = 0
    account_plans: int = 0
    seconds: float = 0.0
    as_of: datetime | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _batches(rows: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch


class _Progress:
    """One tqdm bar per phase, or nothing."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar: Any = None

    def phase(self, name: str, total: int | None = None) -> None:
        self.close()
        if self.enabled:
            from tqdm import tqdm

            self.bar = tqdm(desc=f"{name:<20}", total=total, unit=" rows", unit_scale=True, leave=True)

    def update(self, n: int) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def final_state(row: dict[str, Any], raw_moves: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """A complaint row with its lifecycle moves applied: the last move's status, the
    latest time of each stamped status, and the follow-up's satisfaction and note."""
    state = dict(row)
    for move in (ComplaintMove.model_validate(m) for m in raw_moves):
        state["status"] = move.status
        if move.status in _STAMPS and move.at is not None:
            state[_STAMPS[move.status]] = move.at
        if move.satisfaction is not None:
            state["satisfaction"] = move.satisfaction
        if move.note is not None:
            state["note"] = move.note
    return state


def _to_the_minute(moment: datetime) -> datetime:
    moment = moment.astimezone(timezone.utc)
    return moment.replace(second=0, microsecond=0)


async def demo_as_of(store: GraphStore, seed: int, size: str, as_of: datetime | None = None) -> datetime:
    """When the demo's history ends: `as_of` if given; else the end of the same demo loaded
    before into this store; else now (to the minute)."""
    if as_of is not None:
        return _to_the_minute(as_of if as_of.tzinfo else as_of.replace(tzinfo=timezone.utc))
    loaded = await store.demo_network()
    if loaded and loaded.get("seed") == seed and loaded.get("size") == size and loaded.get("as_of") is not None:
        return datetime.fromtimestamp(int(loaded["as_of"]) / 1000, tz=timezone.utc)
    return _to_the_minute(datetime.now(timezone.utc))


async def load_demo(
    store: GraphStore,
    *,
    seed: int = DEFAULT_SEED,
    size: str = DEFAULT_SIZE,
    end: datetime | None = None,
    progress: bool = False,
    batch: int = BATCH,
) -> DemoCounts:
    """Write the demo network for `seed` and `size`, its history ending at `end` (see
    `demo_as_of`), into `store`; idempotent."""
    started = time.perf_counter()
    end = await demo_as_of(store, seed, size, end)
    gen = DemoGenerator(seed, size, end)
    counts = DemoCounts(as_of=end)
    bars = _Progress(progress)
    try:
        bars.phase("stakeholders", gen.stakeholder_count())
        for part in _batches(gen.stakeholder_rows(), batch):
            await store.upsert_stakeholders(part)
            counts.stakeholders += len(part)
            bars.update(len(part))

        bars.phase("relationships")
        for part in _batches(gen.relationship_rows(), batch):
            await store.upsert_relationships(part)
            counts.relationships += len(part)
            bars.update(len(part))

        counts.ended_relationships = sum(1 for _ in gen.endings())

        bars.phase("interactions")
        for part in _batches(gen.interaction_rows(), batch):
            await store.import_interactions(part)
            counts.interactions += len(part)
            bars.update(len(part))

        bars.phase("complaints")
        for part in _batches(gen.complaint_rows(), batch):
            await store.upsert_complaints([final_state(row, moves) for row, moves in part])
            counts.complaints += len(part)
            counts.complaint_moves += sum(len(moves) for _, moves in part)
            bars.update(len(part))

        bars.phase("account plans")
        for plans in _batches(gen.plan_rows(), batch):
            await store.set_account_plans(plans)
            counts.account_plans += len(plans)
            bars.update(len(plans))
        await store.record_demo_network(seed, size, int(end.timestamp() * 1000))
        await store.compact()
    finally:
        bars.close()
    counts.seconds = round(time.perf_counter() - started, 3)
    return counts


async def load_demo_if_empty(store: GraphStore, **kw: Any) -> DemoCounts | None:
    """Load the demo only into a graph without stakeholders; None when it has some."""
    if await store.count_stakeholders() > 0:
        return None
    return await load_demo(store, **kw)
