"""A small per-store cache for whole-network results, kept while the network version stands.

Key accounts, the at-risk list, contested accounts and the network summary are computed
over every customer, tie and complaint: seconds on a 100k-stakeholder network. Their
inputs change only when something is written, and every write transaction through
`GraphStore` moves `store.network_version()` on. So a result is cached under the version
read *before* it was computed, and reused while the version stands; the first read after
a write sees a new version, drops everything and computes afresh. A result is therefore
never older than the last completed write.

"Now" is the one input that moves without a write. A question without an `at` is asked
of a *current moment* that the cache keeps while it is fresh: until `FRESH_FOR_S` seconds
(60 by default) after the last computation under it finished, and never longer than
`MAX_AGE_FACTOR` times that. Within that time every "now" question is answered as of the
same moment, from the same cached results; after it a new moment is taken and the
results are computed again. Counting from the end of a computation matters on a large
network, where computing key accounts can take longer than a minute: counting from its
start would expire every result the moment it was ready. So a "now" answer may be a
minute plus one computation old in its clock-driven parts (strength decay, deadlines
passing), never in its data. An explicit `at` is a key of its own.

Results asked *as of* an explicit moment are cached under that moment too (a paged
as-of list reads the network once), but they never push out the results of the current
moment: when the cache is full, the least recently used result of another moment goes
first, so one look at the past does not make the next dashboard read start cold.

Concurrent callers of the same key share one computation (a dashboard that fires five
queries at once reads the network once), and a cancelled caller does not cancel it.
Nothing is cached while the store has no version (a graph never written through
`GraphStore`, e.g. just cleared): there is no token to check against.
"""

from __future__ import annotations

import asyncio
import time
import weakref
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, TypeVar

from relgraph.domain.time import to_ms, utcnow
from relgraph.store.graph_store import GraphStore

T = TypeVar("T")

#: How long one "now" moment is reused for questions asked without `at`.
FRESH_FOR_S = 60.0
#: A "now" moment is replaced at the latest after this many times FRESH_FOR_S.
MAX_AGE_FACTOR = 10
#: At most this many results are kept per store (least recently used go first, those of
#: the current moment last).
MAX_ENTRIES = 24
#: How far ahead of this server's clock an explicit moment may lie (clocks differ a little);
#: beyond it nothing is known yet, and an answer would pass a guess off as the future.
AS_OF_SKEW = timedelta(minutes=5)
#: The earliest explicit moment accepted (windows reach a year and more before it).
EARLIEST_AS_OF = datetime(1900, 1, 1, tzinfo=timezone.utc)


def as_of_problem(at: datetime, now: datetime | None = None) -> str | None:
    """Why `at` cannot be asked about (for the caller's error message), or None when it can."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)
    now = now or utcnow()
    if at > now + AS_OF_SKEW:
        return f"{at.isoformat()} is in the future (the server's clock reads {now.isoformat(timespec='seconds')})"
    if at < EARLIEST_AS_OF:
        return f"{at.isoformat()} is before {EARLIEST_AS_OF.date().isoformat()}"
    return None


class NetworkCache:
    """Results of whole-network computations for one store, under one network version."""

    def __init__(self, *, fresh_for_s: float = FRESH_FOR_S, max_entries: int = MAX_ENTRIES,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.fresh_for_s = fresh_for_s
        self.max_entries = max_entries
        self._clock = clock
        self._version: str | None = None
        self._entries: OrderedDict[Hashable, asyncio.Future[Any]] = OrderedDict()
        self._now: tuple[datetime, float, float] | None = None  # (moment, taken, last computation done)
        self.hits = 0
        self.misses = 0

    def _sync(self, version: str | None) -> None:
        """Forget everything computed under another version."""
        if version != self._version:
            self._version = version
            self._entries.clear()
            self._now = None

    def moment(self, at: datetime | None) -> datetime:
        """`at`, or the current moment: reused so that "now" questions share their results.

        The current moment expires `fresh_for_s` seconds after the last computation under it
        finished (so a computation slower than `fresh_for_s` is still reused once done), and
        at the latest `MAX_AGE_FACTOR * fresh_for_s` after it was taken; the results of an
        expired moment are dropped.
        """
        if at is not None:
            return at
        tick = self._clock()
        if self._now is not None:
            moment, taken, last = self._now
            if tick - last > self.fresh_for_s or tick - taken > MAX_AGE_FACTOR * self.fresh_for_s:
                self._drop_moment(to_ms(moment))
                self._now = None
        if self._now is None:
            self._now = (utcnow(), tick, tick)
        return self._now[0]

    def _finished(self, key: Hashable) -> None:
        """A computation under the current moment finished: the moment stays fresh from now."""
        if self._now is not None and isinstance(key, tuple) and len(key) > 1 and key[1] == to_ms(self._now[0]):
            moment, taken, _ = self._now
            self._now = (moment, taken, self._clock())

    def _evict(self) -> None:
        """Drop the least recently used result of another moment than the current one (an
        as-of read), else the least recently used of all."""
        now_ms = to_ms(self._now[0]) if self._now is not None else None
        for key in self._entries:
            if not (isinstance(key, tuple) and len(key) > 1 and key[1] == now_ms):
                del self._entries[key]
                return
        self._entries.popitem(last=False)

    def _drop_moment(self, at_ms: int) -> None:
        """Keys are `(name, at_ms, ...)`: drop the results of an expired "now"."""
        for key in [k for k in self._entries if isinstance(k, tuple) and len(k) > 1 and k[1] == at_ms]:
            del self._entries[key]

    async def get(self, version: str | None, key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
        """The cached result for `key` under `version`, computing it once if need be.

        A caller whose version is not the cache's (None, or one that a newer read has
        replaced) computes without caching: its answer is its own, never shared."""
        if version is None or version != self._version:
            self.misses += 1
            return await compute()
        found = self._entries.get(key)
        if found is not None and _usable(found):
            self._entries.move_to_end(key)
            self.hits += 1
            return await asyncio.shield(found)
        self.misses += 1
        task: asyncio.Future[T] = asyncio.ensure_future(compute())
        self._entries[key] = task
        while len(self._entries) > self.max_entries:
            self._evict()
        task.add_done_callback(lambda done: None if done.cancelled() or done.exception() else self._finished(key))
        try:
            return await asyncio.shield(task)
        except BaseException:
            if self._entries.get(key) is task and task.done():
                del self._entries[key]
            raise


def _usable(entry: asyncio.Future[Any]) -> bool:
    """Pending or succeeded, on this event loop (a failed computation is tried again)."""
    if entry.get_loop() is not asyncio.get_running_loop():
        return False
    return not entry.done() or (not entry.cancelled() and entry.exception() is None)


_CACHES: weakref.WeakKeyDictionary[GraphStore, NetworkCache] = weakref.WeakKeyDictionary()


def cache_of(store: GraphStore) -> NetworkCache:
    """The store's cache (one per GraphStore object, gone with it)."""
    cache = _CACHES.get(store)
    if cache is None:
        cache = _CACHES[store] = NetworkCache()
    return cache


@dataclass(frozen=True)
class View:
    """One question's view of the network: the version it was asked under and its moment."""

    store: GraphStore
    cache: NetworkCache
    version: str | None
    at: datetime

    @property
    def at_ms(self) -> int:
        return to_ms(self.at)

    async def get(self, name: str, params: tuple[Hashable, ...], compute: Callable[[], Awaitable[T]]) -> T:
        """`compute()` cached as `(name, at_ms, *params)` under this view's version."""
        return await self.cache.get(self.version, (name, self.at_ms, *params), compute)


async def view(store: GraphStore, at: datetime | None) -> View:
    """Read the network version once and fix the moment (`at`, or the cache's "now")."""
    version = await store.network_version()
    cache = cache_of(store)
    cache._sync(version)
    return View(store, cache, version, cache.moment(at))
