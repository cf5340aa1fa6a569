"""Pausing Python's cyclic garbage collector around bulk work.

Whole-network computations make millions of small objects (pair tuples, rows, scored
accounts) that hold no reference cycles. Every 700 new container objects start a
collection, and the older generations then walk the whole heap of freshly made objects
again and again: at 100k key accounts that was a third of the scoring time. Reference
counting still frees everything as usual; only the cycle search waits.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def collector_paused(*, collect: bool = False) -> Iterator[None]:
    """Pause the cyclic collector for the block; resumed only if it was running (another
    thread, or an outer block, may have paused it too).

    ``collect``: on resuming, walk the heap once now. Everything the block made is still
    in the youngest generation, and without this the next requests would pay for walking
    it, generation by generation (a server's p99 jumped to ~0.3 s after a cold key-account
    computation); one full collection here costs about the same, once, inside the work.
    """
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if running:
            gc.enable()
            if collect:
                gc.collect()


def freeze_startup_heap() -> None:
    """Move everything alive at start (modules, the GraphQL schema, the Cypher library) out
    of the collector's reach.

    Parsing a request makes cyclic garbage (graphql-core links its tokens both ways), so
    full collections run every few hundred requests, and each walked the whole startup
    heap: the request that happened to trigger one took many times its usual CPU. Those
    objects live as long as the process anyway; frozen, they are no longer walked.
    """
    gc.collect()
    gc.freeze()
