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
import itertools
import weakref
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Iterator, Sequence

import numpy as np

from relgraph.scoring.strength import PairState
from relgraph.scoring.tie_columns import FIELDS, NEVER, TieColumns, patched
from relgraph.services.collector import collector_paused
from relgraph.store.graph_store import GraphStore
from relgraph.store.influence_reads import TieRead

Pair = tuple[str, str]


class EndPairs(Sequence[Pair]):
    """The pairs of a full read that named each tie's ends by position in ``ids`` (every
    stakeholder id, in id order): ``(ids[a[i]], ids[b[i]])``, made into tuples on first
    use. A refresh that only projects the network maps ``a`` and ``b`` onto its node list
    and never needs the million tuples (~0.4 s to make at 1M ties)."""

    __slots__ = ("ids", "a", "b", "_made")

    def __init__(self, ids: list[str], a: np.ndarray, b: np.ndarray) -> None:
        self.ids, self.a, self.b = ids, a, b
        self._made: tuple[Pair, ...] | None = None

    @property
    def made(self) -> tuple[Pair, ...]:
        if self._made is None:  # two threads may both make it: equal tuples, either will do
            names = np.array(self.ids, dtype=object)
            with collector_paused():
                self._made = tuple(zip(names[self.a].tolist(), names[self.b].tolist()))
        return self._made

    def __len__(self) -> int:
        return len(self.a)

    def __getitem__(self, i):  # type: ignore[no-untyped-def,override]
        return self.made[i]

    def __iter__(self) -> Iterator[Pair]:
        return iter(self.made)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, EndPairs):
            other = other.made
        return self.made == other if isinstance(other, tuple) else NotImplemented

    __hash__ = None  # type: ignore[assignment]


@dataclass(frozen=True)
class TieSnapshot:
    """The ties as read under one network version: states by pair, and as columns."""

    version: str | None
    columns: TieColumns
    known_index: dict[Pair, int] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def of(cls, version: str | None, columns: TieColumns) -> "TieSnapshot":
        return cls(version, columns)

    @classmethod
    def of_read(cls, version: str | None, read: TieRead) -> "TieSnapshot":
        """The snapshot of one full read (CPU only: run it in a worker thread)."""
        return cls(version, columns_of(read))

    @cached_property
    def index(self) -> dict[Pair, int]:
        """Pair -> row, built on first use: at 1M ties it costs ~0.6 s, which whole-network
        scoring (the influence projection, sorting by strength) never needs."""
        if self.known_index is not None:
            return self.known_index
        return {pair: i for i, pair in enumerate(self.columns.pairs)}

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
                read = await store.tie_state_columns()
                slot.snapshot = await asyncio.to_thread(TieSnapshot.of_read, version, read)
        return slot.snapshot


def columns_of(read: TieRead) -> TieColumns:
    """`TieColumns` from the store's full read (`tie_state_columns`), parts in order.

    One numpy conversion per column and part, instead of a list per tie: at 1M ties
    ~0.5 s against ~4 s for rows. Absent times arrive as NEVER and become NaN, as in
    `TieColumns.from_rows`.
    """
    parts = read.parts
    pairs: Sequence[Pair]
    if read.ids is not None:
        pairs = EndPairs(read.ids, *(_joined([part[i] for part in parts], np.int64) for i in (0, 1)))
    else:
        with collector_paused():
            pairs = tuple(itertools.chain.from_iterable(zip(part[0], part[1]) for part in parts))
    columns: dict[str, np.ndarray] = {}
    for i, name in enumerate(FIELDS, start=2):
        column = _joined([np.fromiter(part[i], dtype=np.float64, count=len(part[i])) for part in parts], np.float64)
        if name in _TIMES:
            column[column <= NEVER] = np.nan
        columns[name] = column
    return TieColumns(pairs=pairs, **columns)


def _joined(arrays: list[Any], dtype: type) -> np.ndarray:
    return np.concatenate([np.asarray(a, dtype=dtype) for a in arrays]) if arrays else np.zeros(0, dtype=dtype)


#: The time columns of a tie (absent = NEVER on the wire, NaN in the columns).
_TIMES = frozenset(name for name in FIELDS if name.endswith("_ms"))
