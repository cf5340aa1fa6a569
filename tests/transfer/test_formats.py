"""Row formats without a database: fields, times, list cells, validation messages."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from relgraph.domain.time import to_ms
from relgraph.transfer import FIELDS, Kind, read_batches
from relgraph.transfer.formats import MODELS, exact_ms, format_ms, join_list, split_list
from relgraph.transfer.importer import _storable

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@pytest.mark.parametrize("kind", list(Kind))
def test_rows_hold_exactly_the_input_models_fields(kind: Kind) -> None:
    """A field added to an input model must be added to the file format too."""
    assert sorted(FIELDS[kind]) == sorted(MODELS[kind].model_fields)


@pytest.mark.parametrize(
    ("ms", "text"),
    [
        (0, "1970-01-01T00:00:00.000Z"),
        (1767605400000, "2026-01-05T09:30:00.000Z"),
        (1767605400007, "2026-01-05T09:30:00.007Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
        (-268614775284, "1961-06-28T00:47:04.716Z"),
    ],
)
def test_times_are_iso_utc_with_milliseconds(ms: int, text: str) -> None:
    assert format_ms(ms) == text
    assert exact_ms(datetime.fromisoformat(text)) == ms


def test_times_reach_the_store_exactly() -> None:
    """Whatever `to_ms` does with floats, the time handed to the store maps to the file's ms."""
    rng = random.Random(5)
    for _ in range(50_000):
        ms = rng.randrange(-3_000_000_000_000, 4_000_000_000_000)
        moment = EPOCH + timedelta(milliseconds=ms)
        assert to_ms(_storable(moment)) == ms


@pytest.mark.parametrize(
    "items",
    [["a"], ["a", "b"], ["a|b", "c"], ["back\\slash", "x"], ["\\|", "|\\"], ["日本", "ü ö"], ["trailing\\"]],
)
def test_list_cells_round_trip(items: list[str]) -> None:
    assert split_list(join_list(items)) == items


def test_list_cell_plain_text() -> None:
    assert join_list(["a", "b"]) == "a|b"
    assert join_list(["a|b"]) == "a\\|b"
    assert split_list("x|y|z") == ["x", "y", "z"]


def test_jsonl_validation_reasons(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text(
        '{"id":"a","kind":"CUSTOMER","form":"PERSON","name":"A","margin":2,"tags":null}\n'
        '{"id":"b","kind":"CUSTOMER","form":"PERSON","name":"   "}\n'
        '{"id":"c","kind":"CUSTOMER","form":"PERSON","name":"C","potential":-5,"since":"not a time"}\n'
        '{"id":"d","kind":"CUSTOMER","form":"PERSON","name":"D","tags":null,"is_us":null}\n',
        encoding="utf-8",
    )
    (batch,) = list(read_batches(path, "stakeholders"))
    reasons = {line: item for line, item in batch if isinstance(item, str)}
    assert reasons[1] == "margin: Input should be less than or equal to 1 (got 2)"
    assert reasons[2].startswith("name: String should have at least 1 character")
    assert reasons[3].startswith("potential: Input should be greater than or equal to 0 (got -5); since: Input should be")
    assert 4 not in reasons


def test_batches_of_the_asked_size(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text("".join(f'{{"id":"s{n}","kind":"CUSTOMER","form":"PERSON","name":"n"}}\n' for n in range(10)))
    assert [len(b) for b in read_batches(path, "stakeholders", batch=4)] == [4, 4, 2]
    assert [line for b in read_batches(path, "stakeholders", batch=4) for line, _ in b] == list(range(1, 11))
