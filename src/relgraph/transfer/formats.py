"""What an import/export row looks like, in CSV and in JSON Lines.

A row holds exactly the fields of the input model of its kind (`NewStakeholder`,
`NewRelationship`, `NewInteraction`), so an exported file imports back as it is. What the
store adds itself (created_at, recorded_at, archived, assessed strength, ...) is not part
of a row.

Values:

- times are ISO-8601 UTC with milliseconds, `2026-01-05T09:30:00.000Z`;
- numbers are written the shortest way that reads back to the same float;
- in CSV a list (tags, participant_ids) is one cell, its items joined by `|`; a `|` or
  `\\` inside an item is escaped with a backslash; `is_us` is `true` or `false`;
- in CSV a text cell that a spreadsheet would run as a formula (it starts with `=`, `+`,
  `-`, `@`, TAB, CR or a full-width `＝＋－＠`) gets a leading `'`, and so does a text
  that starts with `'` itself; import removes exactly one leading `'` from a text cell,
  so the round trip stays exact and the file is safe to open in a spreadsheet;
- an absent value is an empty CSV cell, and a key left out of a JSON Lines object (a JSON
  `null` reads as absent too).

CSV follows RFC 4180 (comma, double quotes, CRLF line ends, UTF-8; a byte-order mark is
accepted on import). JSON Lines is one compact UTF-8 object per line, keys in field order.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from enum import Enum
from typing import Any, Iterable

from pydantic import BaseModel

from relgraph.cell_safety import escape_cell, unescape_cell

from relgraph.domain.model import NewInteraction, NewRelationship, NewStakeholder


class Kind(str, Enum):
    """What a file holds."""

    STAKEHOLDERS = "stakeholders"
    RELATIONSHIPS = "relationships"
    INTERACTIONS = "interactions"


class Format(str, Enum):
    CSV = "csv"
    JSONL = "jsonl"


#: The columns of each kind, in file order.
FIELDS: dict[Kind, tuple[str, ...]] = {
    Kind.STAKEHOLDERS: (
        "id", "kind", "form", "name", "industry", "region", "tags", "email", "phone", "title",
        "notes", "tier", "demand", "potential", "margin", "retention", "is_us", "since",
    ),
    Kind.RELATIONSHIPS: (
        "id", "type", "from_id", "to_id", "role", "started_at", "ended_at", "end_reason", "note",
    ),
    Kind.INTERACTIONS: (
        "id", "type", "at", "initiator_id", "participant_ids", "sentiment", "value", "subject",
    ),
}

MODELS: dict[Kind, type[BaseModel]] = {
    Kind.STAKEHOLDERS: NewStakeholder,
    Kind.RELATIONSHIPS: NewRelationship,
    Kind.INTERACTIONS: NewInteraction,
}

#: Fields that name other stakeholders, checked against the store before a write.
REFERENCES: dict[Kind, tuple[str, ...]] = {
    Kind.STAKEHOLDERS: (),
    Kind.RELATIONSHIPS: ("from_id", "to_id"),
    Kind.INTERACTIONS: ("initiator_id", "participant_ids"),
}

#: Fields a file must give even where the model has a default: without its own id a row
#: would get a fresh one on every run, and a re-run would duplicate instead of resume.
REQUIRED_EXTRA = frozenset({"id"})

TIME_FIELDS = frozenset({"since", "started_at", "ended_at", "at"})
FLOAT_FIELDS = frozenset({"potential", "margin", "retention", "sentiment", "value"})
BOOL_FIELDS = frozenset({"is_us"})
LIST_FIELDS = frozenset({"tags", "participant_ids"})

LIST_SEPARATOR = "|"

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_ONE_MS = timedelta(milliseconds=1)


def kind_of(value: str | Kind) -> Kind:
    return value if isinstance(value, Kind) else Kind(value)


def required_fields(kind: Kind) -> frozenset[str]:
    model = MODELS[kind]
    return frozenset(n for n, f in model.model_fields.items() if f.is_required()) | REQUIRED_EXTRA


# -- times --------------------------------------------------------------------------


def format_ms(ms: int) -> str:
    """`2026-01-05T09:30:00.000Z` for epoch milliseconds (exact integer arithmetic)."""
    moment = EPOCH + timedelta(milliseconds=int(ms))
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T"
        f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}."
        f"{moment.microsecond // 1000:03d}Z"
    )


def exact_ms(moment: datetime) -> int:
    """Epoch milliseconds of an aware datetime, floored, without float rounding."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return (moment - EPOCH) // _ONE_MS


# -- export: database properties to a row -------------------------------------------


def export_value(name: str, value: Any) -> Any:
    """A stored property as the row holds it (None: absent)."""
    if value is None:
        return None
    if name in TIME_FIELDS:
        return format_ms(int(value))
    if name in FLOAT_FIELDS:
        return float(value)
    if name in BOOL_FIELDS:
        return bool(value)
    if name in LIST_FIELDS:
        items = [str(v) for v in value]
        return items or None
    return value.value if isinstance(value, Enum) else value


def export_row(kind: Kind, props: dict[str, Any]) -> dict[str, Any]:
    """The row of one stored object: its input fields in file order, absent ones left out."""
    row: dict[str, Any] = {}
    for name in FIELDS[kind]:
        value = export_value(name, props.get(name))
        if value is not None:
            row[name] = value
    return row


def jsonl_line(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"


def _float_text(value: float) -> str:
    return repr(float(value))


def _escape_item(item: str) -> str:
    if "\\" in item or LIST_SEPARATOR in item:
        item = item.replace("\\", "\\\\").replace(LIST_SEPARATOR, "\\" + LIST_SEPARATOR)
    return item


def join_list(items: Iterable[str]) -> str:
    return LIST_SEPARATOR.join(_escape_item(i) for i in items)


def split_list(cell: str) -> list[str]:
    """The items of a list cell; `\\|` is a literal bar and `\\\\` a backslash."""
    if "\\" not in cell:
        return cell.split(LIST_SEPARATOR)
    items: list[str] = []
    current: list[str] = []
    chars = iter(cell)
    for char in chars:
        if char == "\\":
            current.append(next(chars, "\\"))
        elif char == LIST_SEPARATOR:
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    items.append("".join(current))
    return items


def csv_cells(kind: Kind, row: dict[str, Any]) -> list[str]:
    """One CSV record for a row, in column order; absent values are empty cells; text
    that a spreadsheet could run as a formula is escaped (`cell_safety.escape_cell`)."""
    cells: list[str] = []
    for name in FIELDS[kind]:
        value = row.get(name)
        if value is None:
            cells.append("")
        elif name in LIST_FIELDS:
            cells.append(escape_cell(join_list(value)))
        elif name in BOOL_FIELDS:
            cells.append("true" if value else "false")
        elif name in FLOAT_FIELDS:
            cells.append(_float_text(value))
        else:
            cells.append(escape_cell(str(value)))
    return cells


# -- import: a CSV record to model input --------------------------------------------


def csv_input(columns: list[str], cells: list[str]) -> dict[str, Any]:
    """Model input from one CSV record: empty cells are absent, a text cell's formula
    escape is undone, list cells are split."""
    data: dict[str, Any] = {}
    for name, cell in zip(columns, cells):
        if cell == "":
            continue
        if name not in FLOAT_FIELDS and name not in BOOL_FIELDS:
            cell = unescape_cell(cell)
        data[name] = split_list(cell) if name in LIST_FIELDS else cell
    return data
