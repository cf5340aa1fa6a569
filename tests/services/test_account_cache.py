"""The whole-network cache (services.account_cache) on its own: versions, "now", sharing, failures."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

import pytest

from relgraph.domain.time import to_ms
from relgraph.services.account_cache import AS_OF_SKEW, NetworkCache, as_of_problem


class Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def counter() -> tuple[list[int], object]:
    calls: list[int] = []

    async def compute() -> int:
        calls.append(1)
        await asyncio.sleep(0.01)
        return len(calls)

    return calls, compute


async def test_reused_under_one_version_and_dropped_on_a_new_one() -> None:
    cache = NetworkCache()
    calls, compute = counter()
    cache._sync("v1")
    assert await cache.get("v1", ("k", 1), compute) == 1
    assert await cache.get("v1", ("k", 1), compute) == 1 and cache.hits == 1
    assert await cache.get("v1", ("k", 2), compute) == 2  # another key
    cache._sync("v2")  # a write happened
    assert await cache.get("v2", ("k", 1), compute) == 3
    # a caller still holding the old version computes for itself and caches nothing
    assert await cache.get("v1", ("k", 1), compute) == 4
    assert await cache.get("v2", ("k", 1), compute) == 3


async def test_no_version_no_cache() -> None:
    cache = NetworkCache()
    calls, compute = counter()
    cache._sync(None)
    await cache.get(None, ("k", 1), compute)
    await cache.get(None, ("k", 1), compute)
    assert len(calls) == 2


async def test_concurrent_callers_share_one_computation() -> None:
    cache = NetworkCache()
    calls, compute = counter()
    cache._sync("v")
    results = await asyncio.gather(*(cache.get("v", ("k", 1), compute) for _ in range(5)))
    assert results == [1] * 5 and len(calls) == 1


async def test_a_cancelled_caller_does_not_cancel_the_others() -> None:
    cache = NetworkCache()
    calls, compute = counter()
    cache._sync("v")
    first = asyncio.ensure_future(cache.get("v", ("k", 1), compute))
    second = asyncio.ensure_future(cache.get("v", ("k", 1), compute))
    await asyncio.sleep(0)
    first.cancel()
    assert await second == 1 and len(calls) == 1


async def test_a_failure_is_not_cached() -> None:
    cache = NetworkCache()
    cache._sync("v")
    attempts = []

    async def flaky() -> str:
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("database hiccup")
        return "ok"

    with pytest.raises(RuntimeError):
        await cache.get("v", ("k", 1), flaky)
    assert await cache.get("v", ("k", 1), flaky) == "ok"


async def test_now_is_one_moment_for_a_while_then_moves_on() -> None:
    clock = Clock()
    cache = NetworkCache(fresh_for_s=60, clock=clock)
    cache._sync("v")
    given = datetime(2026, 1, 1, tzinfo=timezone.utc)
    assert cache.moment(given) is given
    now = cache.moment(None)
    clock.t = 59
    assert cache.moment(None) == now
    _, compute = counter()
    await cache.get("v", ("k", int(now.timestamp() * 1000)), compute)  # finishes at t = 59
    clock.t = 110
    assert cache.moment(None) == now  # fresh for 60 s after its last computation finished
    clock.t = 120
    later = cache.moment(None)
    assert later >= now and later is not now
    assert len(cache._entries) == 0  # the expired moment's results are gone
    cache._sync("w")
    assert cache.moment(None) is not later  # a new version takes a new moment


async def test_least_recently_used_go_first() -> None:
    cache = NetworkCache(max_entries=2)
    _, compute = counter()
    cache._sync("v")
    for key in (("a", 1), ("b", 1), ("a", 1), ("c", 1)):
        await cache.get("v", key, compute)
    assert list(cache._entries) == [("a", 1), ("c", 1)]


async def test_now_has_a_hard_age_limit() -> None:
    clock = Clock()
    cache = NetworkCache(fresh_for_s=60, clock=clock)
    cache._sync("v")
    now = cache.moment(None)
    _, compute = counter()
    for t in range(50, 600, 50):  # computations keep finishing ...
        clock.t = t
        await cache.get("v", ("k", int(now.timestamp() * 1000), t), compute)
        assert cache.moment(None) == now
    clock.t = 601  # ... but ten minutes is the most a moment lives
    assert cache.moment(None) != now


async def test_as_of_results_never_push_out_the_current_moment() -> None:
    cache = NetworkCache(max_entries=3)
    _, compute = counter()
    cache._sync("v")
    now = to_ms(cache.moment(None))
    for key in (("key_accounts", now), ("summary", now)):
        await cache.get("v", key, compute)
    past = [to_ms(datetime(2025, 1, d, tzinfo=timezone.utc)) for d in (1, 2, 3)]
    for at in past:  # three looks at the past, through a cache with room for one of them
        await cache.get("v", ("key_accounts", at), compute)
    assert list(cache._entries) == [("key_accounts", now), ("summary", now), ("key_accounts", past[-1])]
    hits = cache.hits
    await cache.get("v", ("key_accounts", past[-1]), compute)  # a paged as-of list reads it once
    await cache.get("v", ("key_accounts", now), compute)
    assert cache.hits == hits + 2


def test_as_of_must_not_lie_in_the_future() -> None:
    now = datetime(2026, 6, 1, 12, tzinfo=timezone.utc)
    assert as_of_problem(now, now) is None
    assert as_of_problem(now + AS_OF_SKEW, now) is None  # a client's clock a little ahead
    assert "future" in (as_of_problem(now + AS_OF_SKEW + timedelta(seconds=1), now) or "")
    assert as_of_problem(datetime(2020, 1, 1), now) is None  # no offset: UTC
    assert "before 1900" in (as_of_problem(datetime(1899, 12, 31, tzinfo=timezone.utc), now) or "")
