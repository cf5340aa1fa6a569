"""The complaint lifecycle (seeds 001 and 003): which moves are legal, and when they are due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from relgraph.domain.enums import ComplaintStatus as S

#: Legal moves. A resolved complaint is closed after the follow-up, or escalated again
#: when the follow-up finds the customer still unhappy; a closed one is final.
TRANSITIONS: dict[S, frozenset[S]] = {
    S.RECEIVED: frozenset({S.ACKNOWLEDGED, S.ESCALATED, S.RESOLVED}),
    S.ACKNOWLEDGED: frozenset({S.ESCALATED, S.RESOLVED}),
    S.ESCALATED: frozenset({S.ACKNOWLEDGED, S.RESOLVED}),
    S.RESOLVED: frozenset({S.CLOSED, S.ESCALATED}),
    S.CLOSED: frozenset(),
}

OPEN_STATUSES: frozenset[S] = frozenset({S.RECEIVED, S.ACKNOWLEDGED, S.ESCALATED})


def sources_of(target: S) -> list[S]:
    """The statuses from which `target` may be reached, for an atomic compare-and-set."""
    return sorted((s for s, targets in TRANSITIONS.items() if target in targets), key=lambda s: s.value)


def is_legal(current: S, target: S) -> bool:
    return target in TRANSITIONS[current]


@dataclass(frozen=True)
class Deadlines:
    """How soon a complaint must be answered and resolved (DOMAIN.md §5 defaults)."""

    respond_hours: float = 24.0
    resolve_days: float = 7.0

    def respond_by(self, received: datetime) -> datetime:
        return received + timedelta(hours=self.respond_hours)

    def resolve_by(self, received: datetime) -> datetime:
        return received + timedelta(days=self.resolve_days)
