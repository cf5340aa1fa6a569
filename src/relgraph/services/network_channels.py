"""Ties by channel state (DOMAIN.md §2: OPEN, BLOCKED, BROKEN) at any moment, for the
network summary.

The same rule as `services.strength` (`scoring.strength.channel_state`), applied to every
tie as of the moment asked about: each running state is wound back with the events since
(`scoring.strength.rewind`), so a tie that had not started yet is not counted and one
that has gone quiet since is judged as it was then. Reading the events of the last
`max(2H, blocked window)` before the moment gives every input exactly: the strength then
and a window before, the reciprocity then, and the last contact before the moment (none
in that span means silent for 2H: BROKEN). Two inputs are read as they are now: which
relationships have ended (`store.ended_pairs`), and complaints come as the caller's
as-of views.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from relgraph.domain.enums import ChannelState
from relgraph.domain.time import DAY_MS, from_ms, to_ms
from relgraph.scoring import strength as scoring
from relgraph.scoring.strength import Event, PairState
from relgraph.store.graph_store import GraphStore


async def channel_counts(store: GraphStore, at: datetime, overdue_stakeholders: Iterable[str]) -> dict[str, int]:
    """How many ties are OPEN, BLOCKED and BROKEN at `at` (every state a key, zeros too).

    `overdue_stakeholders` have a complaint past its deadline at `at`: their ties are blocked.
    """
    params = store.strength_params
    at_ms = to_ms(at)
    lookback_days = max(params.blocked_window_days, params.broken_silence_half_lives * params.half_life_days)
    recent = await store.recent_events(from_ms(at_ms - int(lookback_days * DAY_MS)))  # type: ignore[arg-type]
    ended = await store.ended_pairs()
    overdue = set(overdue_stakeholders)
    counts = {state.value: 0 for state in ChannelState}
    for a, b, state in await store.all_ties():
        channel = channel_at(state, recent.get((a, b), ()), at_ms, params,
                             ended=(a, b) in ended, overdue=a in overdue or b in overdue)
        if channel is not None:
            counts[channel.value] += 1
    return counts


def channel_at(
    state: PairState, recent: Iterable[Event], at_ms: int, params: scoring.StrengthParams, *,
    ended: bool, overdue: bool,
) -> ChannelState | None:
    """One tie's channel state at `at_ms` from its running state and the events since
    `at_ms - max(2H, window)`; None when the pair had not met by then."""
    events = list(recent)
    i_ab, i_ba, first = scoring.rewind(state, events, at_ms, params)
    if first is None:
        return None
    window_ms = at_ms - int(params.blocked_window_days * DAY_MS)
    w_ab, w_ba, w_first = scoring.rewind(state, events, window_ms, params)
    if state.last_ms is not None and state.last_ms <= at_ms:
        last: int | None = state.last_ms
    else:
        last = max((e[2] for e in events if e[2] <= at_ms), default=None)
    channel, _ = scoring.channel_state(
        strength_now=scoring.strength_from(i_ab, i_ba, first, at_ms, params),
        strength_window_ago=scoring.strength_from(w_ab, w_ba, w_first, window_ms, params) if w_first is not None else 0.0,
        reciprocity=scoring.reciprocity(i_ab, i_ba),
        last_ms=last,
        at_ms=at_ms,
        ended=ended,
        overdue_complaint=overdue,
        params=params,
    )
    return channel
