"""Communication ties by channel state (DOMAIN.md §2: OPEN, BLOCKED, BROKEN) at any moment,
for the network summary.

A channel belongs to a communication tie: a pair that has interacted, or that is joined
by a communicating relationship (`COMMUNICATING_RELATIONSHIPS`: KNOWS, MANAGES_ACCOUNT,
BUYS_FROM, ...). A pair joined only by structural records (WORKS_FOR, REPORTS_TO, ...) and
that never interacted has no channel and is counted in no state; a communicating pair
that never interacted by the moment asked about is BROKEN (silent).

The same rule as `services.strength` (`scoring.strength.channel_state`), applied to every
tie as of the moment asked about: each running state is wound back with the events since
(`scoring.tie_columns.channels`, every tie of the snapshot at once), so a tie that had
not started yet is not counted and one that has gone quiet since is judged as it was then. Reading the events of the last
`max(2H, blocked window)` before the moment gives every input exactly: the strength then
and a window before, the reciprocity then, and the last contact before the moment (none
in that span means silent for 2H: BROKEN). Two inputs are read as they are now: which
relationships have ended (`store.ended_pairs`), and complaints come as the caller's
as-of views.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterable
from datetime import datetime

import numpy as np

from relgraph.domain.enums import ChannelState
from relgraph.domain.time import DAY_MS, from_ms, to_ms
from relgraph.scoring import strength as scoring
from relgraph.scoring import tie_columns
from relgraph.scoring.strength import Event, PairState
from relgraph.services.tie_snapshot import tie_snapshot
from relgraph.store.graph_store import GraphStore


async def channel_counts(
    store: GraphStore, at: datetime, overdue_stakeholders: Awaitable[Iterable[str]]
) -> dict[str, int]:
    """How many communication ties are OPEN, BLOCKED and BROKEN at `at` (every state a key,
    zeros too): every pair that had interacted by then, judged from its running state, and
    every pair joined by a communicating relationship that had not, as BROKEN.

    `overdue_stakeholders` have a complaint past its deadline at `at`: their ties are
    blocked. It is awaited beside this function's own reads, not before them: both are
    whole-network reads of seconds on a large network. Every tie of the snapshot is judged
    at once as columns (`tie_columns.channels`, held equal to `channel_at` by a property test).
    """
    params = store.strength_params
    at_ms = to_ms(at)
    lookback_days = max(params.blocked_window_days, params.broken_silence_half_lives * params.half_life_days)
    snap, recent, ended, silent, overdue_ids = await asyncio.gather(
        tie_snapshot(store), store.recent_events(from_ms(at_ms - int(lookback_days * DAY_MS))),  # type: ignore[arg-type]
        store.ended_pairs(), store.silent_communicating_pairs(at), overdue_stakeholders,
    )
    overdue = set(overdue_ids)

    def count() -> dict[str, int]:
        pairs = snap.columns.pairs
        ended_mask = np.zeros(len(pairs), dtype=bool)
        ended_mask[[i for pair in ended if (i := snap.index.get(pair)) is not None]] = True
        overdue_mask = np.fromiter((a in overdue or b in overdue for a, b in pairs), dtype=bool, count=len(pairs)) \
            if overdue else np.zeros(len(pairs), dtype=bool)
        events = tie_columns.EventColumns.of(recent, snap.index)
        codes = tie_columns.channels(snap.columns, events, at_ms, params, ended=ended_mask, overdue=overdue_mask)
        found = np.bincount(codes[codes >= 0], minlength=3)
        return {ChannelState.OPEN.value: int(found[tie_columns.OPEN]),
                ChannelState.BLOCKED.value: int(found[tie_columns.BLOCKED]),
                ChannelState.BROKEN.value: int(found[tie_columns.BROKEN]) + len(silent)}

    return await asyncio.to_thread(count)


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
