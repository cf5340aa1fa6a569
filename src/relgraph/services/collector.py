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
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector for the block; resumed only if it was running (another
    thread, or an outer block, may have paused it too)."""
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if running:
            gc.enable()
