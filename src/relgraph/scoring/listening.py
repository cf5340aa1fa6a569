"""Listening: an account's recent sentiment and its trend (DOMAIN.md §5).

Feedback, meetings and calls may carry a sentiment from -1 (negative) to 1 (positive).
What an account has been telling us lately is part of its record: the mean sentiment of
its interactions over the last 90 days, how many there were, and how that mean moved
against the 90 days before. Like the other scoring modules this one is pure: times are
epoch milliseconds (UTC), "now" is passed in (`at_ms`), so it answers as of any moment.
Which interactions belong to an account is the service's choice
(`relgraph.services.accounts.recent_sentiments`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from relgraph.scoring.strength import MS_PER_DAY

#: The recent window, and the window before it that the trend compares with, in days.
SENTIMENT_WINDOW_DAYS = 90


@dataclass(frozen=True)
class RecentSentiment:
    """Sentiment in the window `(at - W, at]` and in the window before, `(at - 2W, at - W]`.

    A mean is None when its window holds no sentiment: silence is not a neutral answer.
    """

    window_days: float
    average: float | None
    count: int
    previous_average: float | None
    previous_count: int

    @property
    def change(self) -> float | None:
        """The recent mean minus the mean before (positive: warming); None unless both exist."""
        if self.average is None or self.previous_average is None:
            return None
        return self.average - self.previous_average


def _mean(values: list[float]) -> float | None:
    """The mean, kept within [min, max]: a correctly rounded sum divided by n can land one
    unit in the last place outside, and a mean of equal values must be that value."""
    if not values:
        return None
    return min(max(values), max(min(values), math.fsum(values) / len(values)))


def recent_sentiment(
    events: Iterable[tuple[int, float]], at_ms: int, window_days: float = SENTIMENT_WINDOW_DAYS
) -> RecentSentiment:
    """The mean and count of the sentiments of `events` (`(at_ms, sentiment)`, each
    interaction once) in `(at - W, at]`, beside the mean and count in `(at - 2W, at - W]`.

    Events after `at_ms` had not happened yet and are left out, as are those older than
    two windows. A sentiment that is not a finite number counts as not set. Raises
    ValueError unless `window_days` is finite and positive.
    """
    if not (math.isfinite(window_days) and window_days > 0):
        raise ValueError(f"window_days {window_days!r} must be finite and > 0")
    window_ms = window_days * MS_PER_DAY
    recent: list[float] = []
    before: list[float] = []
    for when, sentiment in events:
        if not math.isfinite(sentiment) or when > at_ms:
            continue
        age = at_ms - when
        if age < window_ms:
            recent.append(sentiment)
        elif age < 2 * window_ms:
            before.append(sentiment)
    return RecentSentiment(
        window_days=window_days, average=_mean(recent), count=len(recent),
        previous_average=_mean(before), previous_count=len(before),
    )
