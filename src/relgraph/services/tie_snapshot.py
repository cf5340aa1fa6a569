"""Every tie's running state, read once and kept up to date by the network's changes.

Whole-network views (ties sorted by strength, deteriorating ties, channel-state counts)
need every pair's state. Reading 100k+ ties costs seconds; scoring them as columns
costs milliseconds. So each store keeps one snapshot, tagged with the network version
it was read under (`GraphStore.network_version`, moved on by every write). When the
version has moved, the snapshot catches up by rereading only the pairs the writes since
then named (`GraphStore.tie_changes`), and rereads every tie only when that chain is
unknown. Results stay exact: a request never sees a snapshot older than the last write
it could have seen.
"""

from __future__ import annotations

import asyncio
import weakref
from dataclasses import dataclass, field

from relgraph.scoring.strength import PairState
from relgraph.scoring.tie_columns import TieColumns, patched
from relgraph.store.graph_store import GraphStore

Pair = tuple[str, str]


@dataclass(frozen=True)
class TieSnapshot:
    """The ties as read under one network version: states by pair, and as columns."""

    version: str | None
    columns: TieColumns
    index: dict[Pair, int]

    @classmethod
    def of(cls, version: str | None, columns: TieColumns) -> "TieSnapshot":
        return cls(version, columns, {pair: i for i, pair in enumerate(columns.pairs)})

    def state(self, pair: Pair) -> PairState:
        """A pair's running state (empty for a pair that never interacted)."""
        i = self.index.get(pair)
        return PairState() if i is None else self.columns.state(i)


    def patched(self, version: str | None, changed: dict[Pair, PairState]) -> "TieSnapshot":
        """This snapshot with `changed` pairs written over it, as of `version`."""
        rows = [(a, b, state) for (a, b), state in changed.items()]
        columns = patched(self.columns, rows, self.index)
        index = dict(self.index)
        for pair in columns.pairs[len(self.columns) :]:
            index[pair] = len(index)
        return TieSnapshot(version, columns, index)


@dataclass
class _Slot:
    snapshot: TieSnapshot | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


_slots: "weakref.WeakKeyDictionary[GraphStore, _Slot]" = weakref.WeakKeyDictionary()


async def tie_snapshot(store: GraphStore) -> TieSnapshot:
    """The store's ties as of its current network version (one small read when unchanged).

    The version is read *before* the ties, so a write landing in between leaves a snapshot
    tagged older than its content, which only costs one extra read later, never staleness.
    Concurrent requests share one read.
    """
    slot = _slots.setdefault(store, _Slot())
    version = await store.network_version()
    if slot.snapshot is not None and slot.snapshot.version == version:
        return slot.snapshot
    async with slot.lock:
        old = slot.snapshot
        if old is None or old.version != version:
            changed = await store.tie_changes(old.version, version) if old is not None else None
            if old is not None and changed is not None:
                slot.snapshot = old.patched(version, await store.ties(sorted(changed)))
            else:
                slot.snapshot = TieSnapshot.of(version, TieColumns.from_rows(await store.all_tie_rows()))
        return slot.snapshot
