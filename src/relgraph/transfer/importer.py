"""Import: stakeholders, relationships or interactions from CSV or JSON Lines into a store.

Every row is validated by the input model of its kind, and checked against the store: the
stakeholders it names must exist, its id may appear only once in the file, and a
relationship id may not be taken by another relationship. A bad row is reported with its
line number (where its record starts, for CSV; the header is line 1) and the reason,
`line 17: sentiment: Input should be less than or equal to 1`.

All or nothing (the default): the whole file is checked first, the store's references
included, and nothing is written when any row is bad. Only then are the rows written, in
batches through the store's batch APIs (`upsert_stakeholders`, `upsert_relationships`,
`import_interactions`, or `record_interactions` where the store lacks it). Many batches
cannot be one transaction on FalkorDB, so a crash or a lost database in the middle leaves a
prefix of the file written; every write is idempotent by id (stakeholders and relationships
are upserted, an interaction already recorded is left as it is), so running the same
import again completes it. The file is read twice (check, then write) and never held in
memory; what the check keeps is each id's first line, for duplicates.

With `skip_bad`, one pass checks and writes batch by batch, and the good rows are kept.
With `check_only`, the check runs and nothing is written.

Reading and validating run in a worker thread, overlapping the database's work on the
previous batch.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import json
import os
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, Awaitable, Callable, Iterator, Sequence, TypeVar

from pydantic import BaseModel, ValidationError

from relgraph.domain.time import to_ms
from relgraph.errors import BadUserInput, RelgraphError
from relgraph.store.graph_store import GraphStore
from relgraph.transfer.formats import (
    EPOCH,
    FIELDS,
    MODELS,
    REFERENCES,
    REQUIRED_EXTRA,
    TIME_FIELDS,
    Format,
    Kind,
    csv_input,
    exact_ms,
    kind_of,
    required_fields,
)

T = TypeVar("T")

#: rows per store call
BATCH = 5_000
#: ids per reference lookup
LOOKUP = 5_000
#: bad rows kept in a report (the count goes on)
KEEP_BAD = 1_000
#: checked batches waiting for the writer
PREFETCH = 2

_BOM = b"\xef\xbb\xbf"
_HALF_MS = timedelta(microseconds=500)

Parsed = tuple[int, "BaseModel | str"]  # (line, the validated row or why it is bad)


class FileRejected(BadUserInput):
    """The file as a whole cannot be read (format, header, encoding): nothing written."""


class ImportAborted(RelgraphError):
    """A write failed after others succeeded; `written` rows are in, a re-run completes."""

    code = "IMPORT_ABORTED"

    def __init__(self, message: str, *, written: int) -> None:
        super().__init__(message)
        self.written = written


@dataclass(frozen=True)
class BadRow:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass
class ImportReport:
    kind: Kind
    rows: int = 0
    written: int = 0
    bad: list[BadRow] = field(default_factory=list)
    bad_count: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """Every row was good and is written."""
        return self.bad_count == 0

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0

    def add_bad(self, rows: Sequence[BadRow]) -> None:
        self.bad_count += len(rows)
        room = KEEP_BAD - len(self.bad)
        if room > 0:
            self.bad.extend(sorted(rows, key=lambda b: b.line)[:room])


def format_of(path: str | os.PathLike[str], fmt: Format | str | None) -> Format:
    """The format asked for, or the one the file's extension names."""
    if fmt:
        return Format(fmt)
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return Format.CSV
    if suffix in (".jsonl", ".ndjson", ".json"):
        return Format.JSONL
    raise FileRejected(f"cannot tell the format of {str(path)!r} from its extension; give --format csv or jsonl")


# -- reading and validating ----------------------------------------------------------


def _reasons(exc: ValidationError) -> str:
    """Every fault of a row: `field: message`, joined by '; '."""
    parts = []
    for error in exc.errors(include_url=False):
        loc = ".".join(str(p) for p in error["loc"])
        message = error["msg"]
        if error["type"] == "value_error" and message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        given = error.get("input")
        if error["type"] not in ("missing",) and isinstance(given, (str, int, float)) and len(str(given)) <= 60:
            message = f"{message} (got {given!r})"
        parts.append(f"{loc}: {message}" if loc else message)
    return "; ".join(parts)


def _storable(moment: Any) -> Any:
    """`moment`, or the instant the store's `to_ms` turns into `moment`'s exact millisecond.

    `to_ms` goes through a float (`timestamp() * 1000`) and lands one millisecond early
    for about 0.6 % of times, which would break the export-import round trip. Until it
    computes with integers, the store is handed a time half a millisecond off that it
    rounds to the right one; with an exact `to_ms` this never changes anything.
    """
    ms = exact_ms(moment)
    if to_ms(moment) == ms:
        return moment
    base = EPOCH + timedelta(milliseconds=ms)
    for candidate in (base + _HALF_MS, base - _HALF_MS, base):
        if to_ms(candidate) == ms:
            return candidate
    return moment


class _Validator:
    """Turns one row's input into the kind's model, or into the reason it is bad."""

    def __init__(self, kind: Kind) -> None:
        self.model = MODELS[kind]
        self.times = tuple(f for f in FIELDS[kind] if f in TIME_FIELDS)
        self.required = tuple(sorted(REQUIRED_EXTRA))

    def finish(self, item: BaseModel) -> BaseModel | str:
        missing = [name for name in self.required if name not in item.model_fields_set]
        if missing:
            return "; ".join(f"{name}: Field required" for name in missing)
        fixes = {}
        for name in self.times:
            value = getattr(item, name)
            if value is not None:
                storable = _storable(value)
                if storable is not value:
                    fixes[name] = storable
        return item.model_copy(update=fixes) if fixes else item

    def from_data(self, data: dict[str, Any]) -> BaseModel | str:
        try:
            item = self.model.model_validate(data)
        except ValidationError as exc:
            return _reasons(exc)
        return self.finish(item)

    def from_json(self, raw: bytes) -> BaseModel | str:
        try:
            item = self.model.model_validate_json(raw)
        except ValidationError:
            pass  # the slow way below: nulls read as absent, and clear messages
        else:
            return self.finish(item)
        try:
            data = json.loads(raw)
        except ValueError as exc:
            return f"invalid JSON: {exc}"
        if not isinstance(data, dict):
            return "a line must hold one JSON object"
        return self.from_data({k: v for k, v in data.items() if v is not None})


def _jsonl_batches(path: Path, kind: Kind, size: int) -> Iterator[list[Parsed]]:
    validator = _Validator(kind)
    batch: list[Parsed] = []
    with open(path, "rb") as lines:
        for number, raw in enumerate(lines, 1):
            if number == 1 and raw.startswith(_BOM):
                raw = raw[len(_BOM) :]
            if not raw.strip():
                continue
            batch.append((number, validator.from_json(raw)))
            if len(batch) >= size:
                yield batch
                batch = []
    if batch:
        yield batch


def _csv_columns(kind: Kind, header: list[str]) -> list[str]:
    columns = [c.strip() for c in header]
    known = set(FIELDS[kind])
    unknown = [c for c in columns if c not in known]
    if unknown:
        raise FileRejected(
            f"line 1: unknown column(s) {', '.join(map(repr, unknown))}; "
            f"the columns of {kind.value} are {', '.join(FIELDS[kind])}"
        )
    doubled = sorted({c for c in columns if columns.count(c) > 1})
    if doubled:
        raise FileRejected(f"line 1: column(s) given twice: {', '.join(doubled)}")
    missing = [c for c in FIELDS[kind] if c in required_fields(kind) and c not in columns]
    if missing:
        raise FileRejected(f"line 1: missing column(s) {', '.join(missing)}")
    return columns


def _csv_batches(path: Path, kind: Kind, size: int) -> Iterator[list[Parsed]]:
    validator = _Validator(kind)
    batch: list[Parsed] = []
    with open(path, encoding="utf-8-sig", newline="") as text:
        reader = csv.reader(text, strict=True)
        end = 0
        try:
            header = next(reader, None)
            if header is None:
                return
            columns = _csv_columns(kind, header)
            end = reader.line_num
            for cells in reader:
                start, end = end + 1, reader.line_num
                if not cells:
                    continue
                if len(cells) != len(columns):
                    batch.append((start, f"expected {len(columns)} cells, found {len(cells)}"))
                else:
                    batch.append((start, validator.from_data(csv_input(columns, cells))))
                if len(batch) >= size:
                    yield batch
                    batch = []
        except csv.Error as exc:
            raise FileRejected(f"line {reader.line_num}: not valid CSV: {exc}") from None
        except UnicodeDecodeError:
            raise FileRejected(f"after line {end}: not UTF-8 text") from None
    if batch:
        yield batch


def read_batches(path: str | os.PathLike[str], kind: Kind | str, fmt: Format | str | None = None,
                 *, batch: int = BATCH) -> Iterator[list[Parsed]]:
    """The file's rows in batches of (line, model or reason), validated but not checked
    against a store."""
    kind = kind_of(kind)
    fmt = format_of(path, fmt)
    path = Path(path)
    if not path.is_file():
        raise FileRejected(f"no such file: {str(path)!r}")
    if fmt is Format.CSV:
        return _csv_batches(path, kind, batch)
    return _jsonl_batches(path, kind, batch)


def count_lines(path: str | os.PathLike[str]) -> int:
    """Newlines in a file: the progress bar's total (rows, within a header or so)."""
    total = 0
    with open(path, "rb") as data:
        while chunk := data.read(1 << 20):
            total += chunk.count(b"\n")
    return total


# -- checking against the store ------------------------------------------------------


class _Checks:
    """What a row cannot know alone: duplicates in the file, and the store's references."""

    def __init__(self, store: GraphStore, kind: Kind) -> None:
        self.store = store
        self.kind = kind
        self.refs = REFERENCES[kind]
        self.first_line: dict[str, int] = {}
        self.known: set[str] = set()
        self.missing: set[str] = set()

    async def run(self, parsed: list[Parsed]) -> tuple[list[BaseModel], list[BadRow], int]:
        bad: list[BadRow] = []
        candidates: list[tuple[int, BaseModel]] = []
        for line, item in parsed:
            if isinstance(item, str):
                bad.append(BadRow(line, item))
                continue
            first = self.first_line.setdefault(item.id, line)  # type: ignore[attr-defined]
            if first != line:
                bad.append(BadRow(line, f"id: {item.id!r} is on line {first} already"))  # type: ignore[attr-defined]
                continue
            candidates.append((line, item))
        if self.refs:
            candidates = await self._references(candidates, bad)
        if self.kind is Kind.RELATIONSHIPS:
            candidates = await self._taken_ids(candidates, bad)
        return [item for _, item in candidates], bad, len(parsed)

    def _referenced(self, item: BaseModel) -> list[tuple[str, str]]:
        """(field, stakeholder id) for every reference of a row."""
        out = []
        for name in self.refs:
            value = getattr(item, name)
            for i in value if isinstance(value, list) else [value]:
                out.append((name, i))
        return out

    def _ids_referenced(self, candidates: list[tuple[int, BaseModel]]) -> set[str]:
        ids: set[str] = set()
        if self.kind is Kind.INTERACTIONS:
            for _, item in candidates:
                ids.add(item.initiator_id)  # type: ignore[attr-defined]
                ids.update(item.participant_ids)  # type: ignore[attr-defined]
        else:
            for _, item in candidates:
                ids.add(item.from_id)  # type: ignore[attr-defined]
                ids.add(item.to_id)  # type: ignore[attr-defined]
        return ids

    async def _references(self, candidates: list[tuple[int, BaseModel]], bad: list[BadRow]) -> list[tuple[int, BaseModel]]:
        referenced = self._ids_referenced(candidates)
        unknown = sorted(referenced - self.known - self.missing)
        for start in range(0, len(unknown), LOOKUP):
            part = unknown[start : start + LOOKUP]
            rows = await self.store.runner.read(self.store.cypher.query("stakeholders_missing"), {"ids": part})
            gone = {row["id"] for row in rows}
            self.missing |= gone
            self.known.update(i for i in part if i not in gone)
        if self.missing.isdisjoint(referenced):
            return candidates
        kept = []
        for line, item in candidates:
            faults = [f"{name}: no stakeholder with id {i!r}" for name, i in self._referenced(item) if i in self.missing]
            if faults:
                bad.append(BadRow(line, "; ".join(dict.fromkeys(faults))))
            else:
                kept.append((line, item))
        return kept

    async def _taken_ids(self, candidates: list[tuple[int, BaseModel]], bad: list[BadRow]) -> list[tuple[int, BaseModel]]:
        """A relationship id already held by a tie of another type or other endpoints would
        be duplicated or silently keep its old endpoints: such a row is bad."""
        ids = [item.id for _, item in candidates]  # type: ignore[attr-defined]
        existing: dict[str, tuple[str, str, str]] = {}
        for start in range(0, len(ids), LOOKUP):
            rows = await self.store.runner.read(
                self.store.cypher.over_all_types("relationships_by_id"), {"ids": ids[start : start + LOOKUP]}
            )
            for row in rows:
                existing[row["r"]["id"]] = (row["type"], row["from_id"], row["to_id"])
        if not existing:
            return candidates
        kept = []
        for line, item in candidates:
            found = existing.get(item.id)  # type: ignore[attr-defined]
            mine = (item.type.value, item.from_id, item.to_id)  # type: ignore[attr-defined]
            if found is not None and found != mine:
                bad.append(BadRow(line, f"id: {item.id!r} is taken by a {found[0]} relationship "  # type: ignore[attr-defined]
                                        f"from {found[1]!r} to {found[2]!r}"))
            else:
                kept.append((line, item))
        return kept


# -- writing ---------------------------------------------------------------------------


async def _write(store: GraphStore, kind: Kind, items: list[BaseModel]) -> int:
    if not items:
        return 0
    if kind is Kind.STAKEHOLDERS:
        await store.upsert_stakeholders(items)  # type: ignore[arg-type]
    elif kind is Kind.RELATIONSHIPS:
        await store.upsert_relationships(items)  # type: ignore[arg-type]
    else:
        # `import_interactions` writes the same way without decoding records back
        # (a third of the Python time per row); older stores only have `record_interactions`.
        record = getattr(store, "import_interactions", None) or store.record_interactions
        await record(items)  # type: ignore[arg-type]
    return len(items)


_DONE = object()


async def _pipelined(
    batches: Iterator[list[Parsed]],
    check: Callable[[list[Parsed]], Awaitable[T]],
    consume: Callable[[T], Awaitable[None]],
) -> None:
    """Read and validate the next batches in a thread while `consume` runs on this one."""
    queue: asyncio.Queue[Any] = asyncio.Queue(maxsize=PREFETCH)

    async def produce() -> None:
        try:
            while True:
                parsed = await asyncio.to_thread(next, batches, None)
                if parsed is None:
                    break
                await queue.put(await check(parsed))
        except Exception as exc:  # handed to the consumer, which raises it
            await queue.put(exc)
            return
        await queue.put(_DONE)

    producer = asyncio.create_task(produce())
    try:
        while True:
            item = await queue.get()
            if item is _DONE:
                break
            if isinstance(item, Exception):
                raise item
            await consume(item)
    finally:
        if not producer.done():
            producer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await producer


class _Progress:
    def __init__(self, enabled: bool, total: int | None, label: str) -> None:
        self.bar: Any = None
        if enabled:
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=label, unit=" rows", unit_scale=True, leave=False, dynamic_ncols=True)

    def update(self, n: int) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _aborted(exc: Exception, written: int) -> ImportAborted:
    reason = exc.message if isinstance(exc, RelgraphError) else f"{type(exc).__name__}: {exc}"
    return ImportAborted(
        f"writing failed after {written} rows: {reason}. The rows before are written, and the failed "
        "batch may be in part; every write is idempotent, so running the same import again completes it.",
        written=written,
    )


async def import_file(
    store: GraphStore,
    path: str | os.PathLike[str],
    kind: Kind | str,
    fmt: Format | str | None = None,
    *,
    skip_bad: bool = False,
    check_only: bool = False,
    batch: int = BATCH,
    progress: bool = False,
) -> ImportReport:
    """Import one file of one kind; see the module's docstring for the guarantees.

    `check_only` validates and checks the whole file against the store and writes nothing.
    Returns the report (bad rows in line order, the first `KEEP_BAD` of them). Raises
    FileRejected when the file cannot be read at all (nothing written) and ImportAborted
    when a write fails midway.
    """
    kind = kind_of(kind)
    fmt = format_of(path, fmt)
    if batch < 1:
        raise BadUserInput("batch: must be at least 1", field="batch")
    report = ImportReport(kind=kind)
    started = time.perf_counter()
    total = None
    if progress:
        total = count_lines(path) - (1 if fmt is Format.CSV else 0)
    checks = _Checks(store, kind)

    async def write(items: list[BaseModel]) -> None:
        try:
            report.written += await _write(store, kind, items)
        except Exception as exc:
            raise _aborted(exc, report.written) from exc

    if skip_bad and not check_only:
        bar = _Progress(progress, total, f"importing {kind.value}")

        async def check_and_write(checked: tuple[list[BaseModel], list[BadRow], int]) -> None:
            good, bad, n = checked
            report.rows += n
            report.add_bad(bad)
            await write(good)
            bar.update(n)

        try:
            await _pipelined(read_batches(path, kind, fmt, batch=batch), checks.run, check_and_write)
        except RelgraphError as exc:
            if report.written and not isinstance(exc, ImportAborted):
                raise _aborted(exc, report.written) from exc
            raise
        finally:
            bar.close()
        report.seconds = time.perf_counter() - started
        return report

    bar = _Progress(progress, total, f"checking {kind.value}")

    async def collect(checked: tuple[list[BaseModel], list[BadRow], int]) -> None:
        _, bad, n = checked
        report.rows += n
        report.add_bad(bad)
        bar.update(n)

    try:
        await _pipelined(read_batches(path, kind, fmt, batch=batch), checks.run, collect)
    finally:
        bar.close()
    if report.bad_count or check_only:
        report.seconds = time.perf_counter() - started
        return report

    async def unchanged(parsed: list[Parsed]) -> list[BaseModel]:
        items = []
        for line, item in parsed:
            if isinstance(item, str):  # the file changed since it was checked
                raise ImportAborted(
                    f"line {line} changed while importing ({item}); {report.written} rows are written. "
                    "Fix the file and run the import again.",
                    written=report.written,
                )
            items.append(item)
        return items

    bar = _Progress(progress, report.rows, f"writing {kind.value}")

    async def write_items(items: list[BaseModel]) -> None:
        await write(items)
        bar.update(len(items))

    try:
        await _pipelined(read_batches(path, kind, fmt, batch=batch), unchanged, write_items)
    except RelgraphError as exc:
        if report.written and not isinstance(exc, ImportAborted):
            raise _aborted(exc, report.written) from exc
        raise
    finally:
        bar.close()
    report.seconds = time.perf_counter() - started
    return report
