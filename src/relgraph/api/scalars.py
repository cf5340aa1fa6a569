"""The DateTime scalar: ISO-8601 in UTC on the wire, aware UTC datetimes in Python.

Clients may send any ISO-8601 offset (or none, read as UTC); the API always answers in
UTC with a `Z` and millisecond precision, which is what the database keeps.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import strawberry
from strawberry.types.scalar import ScalarDefinition


def serialize(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    text = value.astimezone(timezone.utc).isoformat(timespec="milliseconds")
    return text.replace("+00:00", "Z")


def parse(value: Any) -> datetime:
    """An aware UTC datetime; a ValueError's text becomes the client's error message."""
    if not isinstance(value, str):
        raise ValueError("expected an ISO-8601 date-time string")
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"{value!r} is not an ISO-8601 date-time") from None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


DateTime: ScalarDefinition = strawberry.scalar(
    name="DateTime",
    description="An instant, as an ISO-8601 string. Answers are in UTC (`Z`), to the millisecond; "
    "inputs may carry any offset, and one without an offset is taken as UTC.",
    specified_by_url="https://scalars.graphql.org/andimarek/date-time",
    serialize=serialize,
    parse_value=parse,
)

SCALARS: dict[object, ScalarDefinition] = {datetime: DateTime}
