"""relgraph.scoring.listening: an account's recent sentiment, its count and its trend."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relgraph.scoring.listening import SENTIMENT_WINDOW_DAYS, recent_sentiment
from relgraph.scoring.strength import MS_PER_DAY

AT = 1_780_000_000_000
W = SENTIMENT_WINDOW_DAYS * MS_PER_DAY

sentiment = st.floats(-1.0, 1.0)
when = st.integers(AT - 3 * W, AT + W)
events = st.lists(st.tuples(when, sentiment), max_size=40)


def days_ago(d: float) -> int:
    return AT - int(d * MS_PER_DAY)


def test_by_hand() -> None:
    got = recent_sentiment(
        [
            (days_ago(1), 0.8), (days_ago(30), 0.2), (days_ago(89.9), -0.4),  # recent: mean 0.2
            (days_ago(90), -0.6), (days_ago(150), 0.0),                       # before: mean -0.3
            (days_ago(180), 1.0), (days_ago(400), 1.0),                       # older: left out
            (AT + 1, -1.0),                                                   # after the moment
        ],
        AT,
    )
    assert got.count == 3 and got.average == pytest.approx(0.2)
    assert got.previous_count == 2 and got.previous_average == pytest.approx(-0.3)
    assert got.change == pytest.approx(0.5) and got.window_days == 90


def test_nothing_said_is_not_neutral() -> None:
    empty = recent_sentiment([], AT)
    assert (empty.average, empty.count, empty.previous_average, empty.change) == (None, 0, None, None)
    only_old = recent_sentiment([(days_ago(100), 0.5)], AT)
    assert only_old.average is None and only_old.previous_average == 0.5 and only_old.change is None
    assert recent_sentiment([(days_ago(1), math.nan)], AT).count == 0


@pytest.mark.parametrize("window", [0.0, -1.0, math.inf, math.nan])
def test_bad_window_raises(window: float) -> None:
    with pytest.raises(ValueError):
        recent_sentiment([], AT, window)


@settings(deadline=None, max_examples=200)
@given(events=events)
def test_counts_partition_the_two_windows_and_means_stay_in_range(events) -> None:
    got = recent_sentiment(events, AT)
    recent = [s for t, s in events if AT - W < t <= AT]
    before = [s for t, s in events if AT - 2 * W < t <= AT - W]
    assert (got.count, got.previous_count) == (len(recent), len(before))
    for mean, values in ((got.average, recent), (got.previous_average, before)):
        if values:
            assert mean is not None and min(values) <= mean <= max(values)
        else:
            assert mean is None
    if got.change is not None:
        assert -2.0 <= got.change <= 2.0
        assert got.change == got.average - got.previous_average  # type: ignore[operator]


@settings(deadline=None, max_examples=100)
@given(events=events, seed=st.integers(0, 2**32 - 1))
def test_order_does_not_matter(events, seed) -> None:
    shuffled = list(events)
    random.Random(seed).shuffle(shuffled)
    a, b = recent_sentiment(events, AT), recent_sentiment(shuffled, AT)
    assert (a.count, a.previous_count) == (b.count, b.previous_count)
    for x, y in ((a.average, b.average), (a.previous_average, b.previous_average)):
        assert x == y or (x is not None and y is not None and x == pytest.approx(y, abs=1e-12))


@settings(deadline=None, max_examples=100)
@given(events=events, shift=st.integers(-10**12, 10**12))
def test_only_time_differences_matter(events, shift) -> None:
    moved = [(t + shift, s) for t, s in events]
    assert recent_sentiment(moved, AT + shift) == recent_sentiment(events, AT)


@settings(deadline=None, max_examples=100)
@given(events=events, later=st.lists(st.tuples(st.integers(AT + 1, AT + W), sentiment), max_size=5))
def test_what_came_after_the_moment_changes_nothing(events, later) -> None:
    assert recent_sentiment(events + later, AT) == recent_sentiment(events, AT)


@settings(deadline=None, max_examples=100)
@given(events=events, value=sentiment, age=st.integers(0, W - 1))
def test_a_new_recent_sentiment_pulls_the_mean_towards_it(events, value, age) -> None:
    before = recent_sentiment(events, AT)
    after = recent_sentiment(events + [(AT - age, value)], AT)
    assert after.count == before.count + 1 and after.previous_average == before.previous_average
    assert after.average is not None
    if before.average is None:
        assert after.average == value
    else:
        low, high = sorted((before.average, value))
        assert low - 1e-12 <= after.average <= high + 1e-12
