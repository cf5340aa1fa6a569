"""UTC instants as the database stores them: integer epoch milliseconds.

Both backends compare and index integers the same way, which native temporal types do
not give us across FalkorDB and Neo4j; the API converts at the edge.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

DAY_MS = 86_400_000
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
MILLISECOND = timedelta(milliseconds=1)


def to_ms(moment: datetime) -> int:
    """Epoch milliseconds of an aware datetime (naive ones are taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return (moment - EPOCH) // MILLISECOND  # exact: a float timestamp loses a millisecond now and then


def from_ms(ms: int | None) -> datetime | None:
    """The UTC datetime of epoch milliseconds, or None."""
    if ms is None:
        return None
    return EPOCH + timedelta(milliseconds=ms)


def now_ms() -> int:
    return to_ms(datetime.now(timezone.utc))


def utcnow() -> datetime:
    return datetime.now(timezone.utc)
