"""Strength of many ties at once, as numpy columns (DOMAIN.md §2).

Whole-network views (sorting every tie by strength, filtering by health) score 100k+
ties per request. Building a `StrengthBreakdown` per tie costs ~10 µs in Python; the
same formula over columns costs a few milliseconds for all of them. This module is the
vector twin of `relgraph.scoring.strength.strength_from`/`explain` and nothing more:
pure, no database, and a property test holds the two equal within 1e-12.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np
import numpy.typing as npt

from relgraph.domain.enums import HealthBand
from relgraph.scoring.strength import DURATION_SCALE_DAYS, MS_PER_DAY, Event, PairState, StrengthParams

Floats = npt.NDArray[np.float64]


#: The numeric fields of a `PairState`, in the order of a tie row after its two ids.
FIELDS = (
    "intensity_ab", "last_ab_ms", "intensity_ba", "last_ba_ms", "first_ms", "last_ms",
    "count", "sentiment_sum", "sentiment_count",
)
_TIMES = ("last_ab_ms", "last_ba_ms", "first_ms", "last_ms")
#: How a tie row writes an absent time (JSON and both engines' lists have no NaN).
NEVER = -(2**62)


@dataclass(frozen=True)
class TieColumns:
    """Every tie's running state as columns; `pairs[i]` is `(a, b)` with a < b.

    Absent times are NaN, so that the formula's "never" cases stay in vector form.
    """

    pairs: Sequence[tuple[str, str]]
    intensity_ab: Floats
    last_ab_ms: Floats
    intensity_ba: Floats
    last_ba_ms: Floats
    first_ms: Floats
    last_ms: Floats
    count: Floats
    sentiment_sum: Floats
    sentiment_count: Floats

    def __len__(self) -> int:
        return len(self.pairs)

    @classmethod
    def from_rows(cls, rows: Sequence[Sequence[Any]]) -> "TieColumns":
        """From tie rows `[a, b, *FIELDS]` as the store reads them, absent times as NEVER.

        One numpy conversion for the whole network instead of an object per tie."""
        numbers = np.array([row[2:] for row in rows], dtype=np.float64).reshape(len(rows), len(FIELDS))
        columns = {name: np.ascontiguousarray(numbers[:, i]) for i, name in enumerate(FIELDS)}
        for name in _TIMES:
            columns[name][columns[name] <= NEVER] = np.nan
        return cls(pairs=tuple((row[0], row[1]) for row in rows), **columns)

    @classmethod
    def of(cls, ties: Sequence[tuple[str, str, PairState]]) -> "TieColumns":
        return cls.from_rows([[a, b, *(_or_never(getattr(s, name)) for name in FIELDS)] for a, b, s in ties])

    def state(self, i: int) -> PairState:
        """Row `i` as the one-tie form, for explaining a page of ties."""

        def time(name: str) -> int | None:
            value = getattr(self, name)[i]
            return None if np.isnan(value) else int(value)

        return PairState(
            intensity_ab=float(self.intensity_ab[i]), last_ab_ms=time("last_ab_ms"),
            intensity_ba=float(self.intensity_ba[i]), last_ba_ms=time("last_ba_ms"),
            first_ms=time("first_ms"), last_ms=time("last_ms"), count=int(self.count[i]),
            sentiment_sum=float(self.sentiment_sum[i]), sentiment_count=int(self.sentiment_count[i]),
        )


def _or_never(value: float | int | None) -> float | int:
    return NEVER if value is None else value


def patched(columns: TieColumns, changed: Sequence[tuple[str, str, PairState]], index: dict[tuple[str, str], int]) -> TieColumns:
    """New columns with `changed` written over their pairs' rows, and unknown pairs appended.

    The old columns stay untouched (requests may still be reading them)."""
    fresh = [(a, b, s) for a, b, s in changed if (a, b) not in index]
    tail = TieColumns.of(fresh)
    out = {name: np.concatenate([getattr(columns, name), getattr(tail, name)]) for name in FIELDS}
    rows = [(index[(a, b)], s) for a, b, s in changed if (a, b) in index]
    if rows:
        at = np.array([i for i, _ in rows], dtype=np.int64)
        update = TieColumns.of([("", "", s) for _, s in rows])
        for name in out:
            out[name][at] = getattr(update, name)
    return TieColumns(pairs=tuple(columns.pairs) + tuple(tail.pairs), **out)


def _decayed(intensity: Floats, last_ms: Floats, at_ms: int, params: StrengthParams) -> Floats:
    """`decay` over a column: no decay without a time, or for a time at or after `at_ms`."""
    elapsed = at_ms - last_ms
    factor = np.where(np.isnan(elapsed) | (elapsed <= 0), 1.0, np.exp2(-np.nan_to_num(elapsed) / params.half_life_ms))
    return intensity * factor


def strengths_of(i_ab: Floats, i_ba: Floats, first_ms: Floats, at_ms: int, params: StrengthParams) -> Floats:
    """`strength_from` over columns: strength at `at_ms` from both intensities then (NaN first: never met)."""
    total = i_ab + i_ba
    with np.errstate(invalid="ignore", divide="ignore"):
        reciprocity = np.where(total > 0.0, np.clip(2.0 * np.minimum(i_ab, i_ba) / total, 0.0, 1.0), 0.0)
    since_first = at_ms - first_ms
    known = ~np.isnan(since_first) & (since_first > 0)
    duration = np.where(known, 1.0 - np.exp(-np.nan_to_num(since_first) / (DURATION_SCALE_DAYS * MS_PER_DAY)), 0.0)
    saturation = 1.0 - np.exp(-np.maximum(total, 0.0) / params.saturation_k)
    return np.clip(saturation * (0.6 + 0.4 * reciprocity) * (0.8 + 0.2 * duration), 0.0, 1.0)


def strengths_at(columns: TieColumns, at_ms: int, params: StrengthParams) -> Floats:
    """Every tie's strength at `at_ms` (for `at_ms` at or after each tie's last event)."""
    i_ab = _decayed(columns.intensity_ab, columns.last_ab_ms, at_ms, params)
    i_ba = _decayed(columns.intensity_ba, columns.last_ba_ms, at_ms, params)
    return strengths_of(i_ab, i_ba, columns.first_ms, at_ms, params)


@dataclass(frozen=True)
class EventColumns:
    """Recent events of a snapshot's ties as columns: the tie's row, its direction
    (a to b), its weight, its time and the answer weight it gave the other direction.
    Events of pairs the columns don't hold are dropped."""

    tie: npt.NDArray[np.int64]
    a_to_b: npt.NDArray[np.bool_]
    weight: Floats
    at_ms: Floats
    answer: Floats

    @classmethod
    def of(cls, recent: Mapping[tuple[str, str], Sequence[Event]], index: Mapping[tuple[str, str], int]) -> "EventColumns":
        rows = [(i, e[0], e[1], e[2], e[4]) for pair, events in recent.items() if (i := index.get(pair)) is not None
                for e in events]
        return cls(
            tie=np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows)),
            a_to_b=np.fromiter((r[1] for r in rows), dtype=bool, count=len(rows)),
            weight=np.fromiter((r[2] for r in rows), dtype=np.float64, count=len(rows)),
            at_ms=np.fromiter((r[3] for r in rows), dtype=np.float64, count=len(rows)),
            answer=np.fromiter((r[4] for r in rows), dtype=np.float64, count=len(rows)),
        )


def rewound(columns: TieColumns, events: EventColumns, then_ms: int, params: StrengthParams) -> tuple[Floats, Floats, Floats]:
    """`rewind` over columns: every tie's (i_ab, i_ba, first_ms) at `then_ms`, from the
    state now and the events since (`events` must hold every event after `then_ms`).

    A tie not yet met at `then_ms` (first contact later, or every event later) has both
    intensities 0 and first_ms NaN, as `rewind` answers (0, 0, None).
    """
    n = len(columns)
    late = events.at_ms > then_ms
    tie, forward = events.tie[late], events.a_to_b[late]
    with np.errstate(over="ignore", invalid="ignore"):  # only for ties that had not met by then, masked below
        factor = np.exp2((events.at_ms[late] - then_ms) / params.half_life_ms)
        carried_back = events.weight[late] * factor
        answer_back = events.answer[late] * factor
    # a direction gained what it started and the answers to what the other side started
    since_ab = np.bincount(tie, weights=np.where(forward, carried_back, answer_back), minlength=n)
    since_ba = np.bincount(tie, weights=np.where(forward, answer_back, carried_back), minlength=n)
    late_count = np.bincount(tie, minlength=n)

    def back(intensity: Floats, last_ms: Floats, since: Floats) -> Floats:
        with np.errstate(over="ignore", invalid="ignore"):  # as above: masked by `met`
            carried = intensity * np.exp2((np.nan_to_num(last_ms) - then_ms) / params.half_life_ms)
            return np.where(np.isnan(last_ms), 0.0, np.maximum(0.0, carried - since))

    met = ~np.isnan(columns.first_ms) & (columns.first_ms <= then_ms) & (late_count < columns.count)
    i_ab = np.where(met, back(columns.intensity_ab, columns.last_ab_ms, since_ab), 0.0)
    i_ba = np.where(met, back(columns.intensity_ba, columns.last_ba_ms, since_ba), 0.0)
    return i_ab, i_ba, np.where(met, columns.first_ms, np.nan)


def in_bands(strengths: Floats, bands: set[HealthBand], params: StrengthParams) -> npt.NDArray[np.bool_]:
    """Which ties fall in one of `bands` (`health_band` over a column; lower bounds inclusive)."""
    bounds = {
        HealthBand.EXCELLENT: (params.excellent, np.inf),
        HealthBand.GOOD: (params.good, params.excellent),
        HealthBand.FAIR: (params.fair, params.good),
        HealthBand.POOR: (-np.inf, params.fair),
    }
    keep = np.zeros(len(strengths), dtype=bool)
    for band in bands:
        low, high = bounds[band]
        keep |= (strengths >= low) & (strengths < high)
    return keep


def ranked(
    strengths: Floats,
    pairs: Sequence[tuple[str, str]],
    *,
    first: int,
    descending: bool = True,
    keep: npt.NDArray[np.bool_] | None = None,
) -> list[int]:
    """Indices of the `first` ties by strength (ties in strength broken by pair), after `keep`.

    Selects with `argpartition` before sorting, so only the page is fully sorted.
    """
    candidates = np.flatnonzero(keep) if keep is not None else np.arange(len(strengths))
    if first <= 0 or candidates.size == 0:
        return []
    keys = -strengths[candidates] if descending else strengths[candidates]
    if candidates.size > first:
        cut = np.partition(keys, first - 1)[first - 1]
        candidates = candidates[keys <= cut]
    return sorted(candidates.tolist(), key=lambda i: (-strengths[i] if descending else strengths[i], pairs[i]))[:first]


def reciprocity(i_ab: Floats, i_ba: Floats) -> Floats:
    """`strength.reciprocity` over columns: 2 min / sum, clamped to [0, 1]; 0 where the sum is not positive."""
    total = i_ab + i_ba
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.clip(2.0 * np.minimum(i_ab, i_ba) / np.where(total > 0.0, total, 1.0), 0.0, 1.0)
    return np.where(total > 0.0, ratio, 0.0)


@dataclass(frozen=True)
class Rollups:
    """`rollup` of many accounts at once: per account, its strength, its strongest
    employee (index into the employee ids, -1 for none), that employee's share of the
    summed strengths, and the single-threaded flag."""

    strength: Floats
    top_employee: npt.NDArray[np.int64]
    top_share: Floats
    single_threaded: npt.NDArray[np.bool_]


def rollups(account: npt.NDArray[np.int64], employee: npt.NDArray[np.int64], strengths: Floats, accounts: int,
            params: StrengthParams) -> Rollups:
    """`strength.rollup` over columns: tie k counts for `account[k]`, through our employee
    `employee[k]` (an index whose order is the employees' id order), or at organisation
    level when `employee[k]` is -1.

    Per account: noisy-OR per employee, noisy-OR of the organisation-level ties, then the
    noisy-OR of both; the strongest employee by strength, ties broken by id. Products are
    summed as logarithms, so results equal the one-account form within ~1e-15 relative.
    """
    person = employee >= 0
    width = int(employee.max(initial=0)) + 1
    with np.errstate(divide="ignore", invalid="ignore"):
        keep = np.log1p(-np.clip(strengths, 0.0, 1.0))  # log(1 - s): -inf for a tie of strength 1
        org_keep = np.exp(np.bincount(account[~person], weights=keep[~person], minlength=accounts))
        groups, inverse = np.unique(account[person] * width + employee[person], return_inverse=True)
        group_account, group_employee = groups // width, groups % width
        group_keep = np.exp(np.bincount(inverse, weights=keep[person], minlength=groups.size))
        group_strength = 1.0 - group_keep
        combined = 1.0 - np.exp(np.bincount(group_account, weights=np.log(group_keep), minlength=accounts)) * org_keep
    total = np.bincount(group_account, weights=group_strength, minlength=accounts) + (1.0 - org_keep)
    top = np.full(accounts, -1, dtype=np.int64)
    top_strength = np.zeros(accounts)
    if groups.size:
        order = np.lexsort((group_employee, -group_strength, group_account))
        first = order[np.r_[True, group_account[order][1:] != group_account[order][:-1]]]
        top[group_account[first]] = group_employee[first]
        top_strength[group_account[first]] = group_strength[first]
    has_top = (top >= 0) & (total > 0.0) & (top_strength > 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(has_top, top_strength / np.where(total > 0.0, total, 1.0), 0.0)
    return Rollups(
        strength=np.clip(combined, 0.0, 1.0), top_employee=np.where(has_top, top, -1), top_share=share,
        single_threaded=has_top & (share > params.single_threaded_share),
    )


#: Channel states as `channels` codes them; -1 marks a pair that had not met by then.
OPEN, BLOCKED, BROKEN = 0, 1, 2


def channels(columns: TieColumns, events: EventColumns, at_ms: int, params: StrengthParams, *,
             ended: npt.NDArray[np.bool_], overdue: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
    """`strength.channel_state` over columns, with its inputs taken as the one-tie form
    takes them (`services.network_channels.channel_at`): strength and reciprocity at
    `at_ms`, strength a blocked window before, the last contact at or before `at_ms`.

    `events` must hold every event after `at_ms - max(2H, blocked window)`; `ended` and
    `overdue` flag the ties whose relationships have all ended or whose party has an
    overdue complaint. A property test holds it equal to `channel_at`, tie by tie.
    """
    i_ab, i_ba, first = rewound(columns, events, at_ms, params)
    now = strengths_of(i_ab, i_ba, first, at_ms, params)
    window_ms = at_ms - int(params.blocked_window_days * MS_PER_DAY)
    w_ab, w_ba, w_first = rewound(columns, events, window_ms, params)
    window = np.where(np.isnan(w_first), 0.0, strengths_of(w_ab, w_ba, w_first, window_ms, params))
    total = i_ab + i_ba
    with np.errstate(invalid="ignore", divide="ignore"):
        reciprocity = np.where(total > 0.0, np.clip(2.0 * np.minimum(i_ab, i_ba) / total, 0.0, 1.0), 0.0)
    before = events.at_ms <= at_ms
    latest = np.full(len(columns), -np.inf)
    np.maximum.at(latest, events.tie[before], events.at_ms[before])
    last = np.where(columns.last_ms <= at_ms, columns.last_ms, np.where(np.isfinite(latest), latest, np.nan))
    silent = np.isnan(last) | (at_ms - np.nan_to_num(last) >= params.broken_silence_half_lives * params.half_life_ms)
    broken = silent | ended | (now < params.broken_below)
    falling = (window > 0.0) & (now <= window * (1.0 - params.blocked_drop))
    blocked = falling | (reciprocity < params.blocked_reciprocity) | overdue
    state = np.where(broken, BROKEN, np.where(blocked, BLOCKED, OPEN))
    return np.where(np.isnan(first), -1, state)
