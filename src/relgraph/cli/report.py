"""`relgraph report`: key accounts and account care for scripts (DOMAIN.md §4, §5).

    relgraph report key-accounts --tier KEY --format csv > key.csv
    relgraph report at-risk --format json
    relgraph report complaints --as-of 2026-05-01
    relgraph report contested --first 20
    relgraph report overdue --format table
    relgraph report prospects --demand CLEAR --format csv
    relgraph report suppliers --as-of 2026-01-01

Each report reads through `relgraph.services` (accounts, prospects, suppliers), the same
code the GraphQL API answers from. `--as-of` takes an ISO date or date-time (UTC when no
offset is given; a plain date means midnight UTC at its start); every report is computed
as of that moment from what the data records (docs/key-accounts.md says which stored
properties are read as they are now). Exit code 2 on a usage error, 1 when the store fails.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Awaitable, Callable

import click

from pydantic import ValidationError

from relgraph.account_config import clv_discount, tier_thresholds
from relgraph.cell_safety import neutralise, printable
from relgraph.cli import options_for, settings_from, storage_options
from relgraph.config import Settings
from relgraph.domain.enums import Demand, Tier
from relgraph.domain.time import from_ms
from relgraph.errors import RelgraphError
from relgraph.services.account_cache import as_of_problem
from relgraph.scoring.accounts import CRITERIA, DEFAULT_TIER_THRESHOLDS, TierThresholds
from relgraph.services.collector import collector_paused
from relgraph.store.graph_store import GraphStore

FORMATS = ("table", "csv", "json")
Rows = list[dict[str, Any]]


@dataclass(frozen=True, repr=False)
class Table:
    """A report as named columns of equal length. The key-account report has 100k rows
    and ~20 columns: it is formatted a column at a time, with no dict per row."""

    columns: dict[str, list[Any]]

    def __repr__(self) -> str:
        # Short on purpose: asyncio.run reprs its main task, result included, when it
        # restores the SIGINT handler; a full repr of 100k rows took ~2 s there.
        rows = len(next(iter(self.columns.values()), []))
        return f"Table({len(self.columns)} columns x {rows} rows)"

    @classmethod
    def of_rows(cls, rows: Rows) -> Table:
        names = list(rows[0]) if rows else []
        return cls({name: [row.get(name) for row in rows] for name in names})

    def rows(self) -> Rows:
        names = list(self.columns)
        return [dict(zip(names, values)) for values in zip(*self.columns.values())]


def parse_as_of(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO date or date-time", param_hint="--as-of") from None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    problem = as_of_problem(moment)
    if problem is not None:
        raise click.BadParameter(problem, param_hint="--as-of")
    return moment


# -- rows ------------------------------------------------------------------------------


#: The key-account report's columns of the five criteria, in `CRITERIA` order.
_CRITERIA_COLUMNS = tuple(f"c_{name}" for name in CRITERIA)


async def key_account_rows(
    store: GraphStore, at: datetime | None, first: int | None, tier: str | None,
    thresholds: TierThresholds = DEFAULT_TIER_THRESHOLDS, discount: float | None = None,
) -> Table:
    from relgraph.services import accounts

    scored = accounts.by_tier(
        await accounts.key_accounts(store, thresholds=thresholds, at=at,
                                    discount=accounts.DEFAULT_DISCOUNT if discount is None else discount),
        Tier(tier) if tier else None,
    )
    column = scored.head(first).column
    return Table({
        "account_id": column("ids"), "name": column("names"), "score": column("score"),
        "tier": [t.value for t in column("tier")],
        "stored_tier": [t.value if t else None for t in column("stored_tier")], "abc": column("abc"),
        "revenue_12m": column("revenue_12m"), "loss_impact": column("loss_impact"),
        **{name: column(criterion) for name, criterion in zip(_CRITERIA_COLUMNS, CRITERIA)},
        "strength_now": column("strength_now"), "strength_90d_ago": column("strength_90d_ago"),
        "clv": column("clv"), "single_threaded": column("single_threaded"), "transactional": column("transactional"),
        "transactional_reasons": column("transactional_reasons"),
    })


async def at_risk_rows(
    store: GraphStore, at: datetime | None, first: int | None,
    thresholds: TierThresholds = DEFAULT_TIER_THRESHOLDS, discount: float | None = None,
) -> Rows:
    from relgraph.services import accounts

    return [
        {
            "account_id": r.account.account_id, "name": r.account.name, "score": r.account.score.score,
            "tier": r.account.tier.value, "reasons": list(r.reasons), "strength_now": r.account.strength_now,
            "strength_delta_90d": r.account.strength_delta_90d, "open_complaints": r.open_complaints,
            "overdue_complaints": r.overdue_complaints, "best_competitor_id": r.best_competitor_id,
            "best_competitor_strength": r.best_competitor_strength,
        }
        for r in await accounts.at_risk(store, first or 10**9, at, thresholds=thresholds,
                                        discount=accounts.DEFAULT_DISCOUNT if discount is None else discount)
    ]


async def complaint_rows(store: GraphStore, at: datetime | None, first: int | None, state: str = "open") -> Rows:
    from relgraph.services import accounts

    return [
        {
            "id": c.id, "stakeholder_id": c.stakeholder_id, "status": c.status.value, "category": c.category,
            "severity": c.severity, "received_at": from_ms(c.received_ms), "resolved_at": from_ms(c.resolved_ms),
            "overdue": c.overdue, "reasons": list(c.reasons), "satisfaction": c.satisfaction,
        }
        for c in (await accounts.complaints_report(store, at, state))[:first]
    ]


async def prospect_rows(store: GraphStore, at: datetime | None, first: int | None, demand: str | None) -> Rows:
    from relgraph.services import prospects

    return [
        {
            "account_id": p.account_id, "name": p.name, "demand": p.demand.value,
            "recorded_demand": p.recorded_demand.value if p.recorded_demand else None,
            "enquiries": p.signals.enquiries, "feedback": p.signals.feedback, "engagement": p.signals.engagement,
            "potential": p.potential,
        }
        for p in (await prospects.prospects(store, [Demand(demand)] if demand else None, at))[:first]
    ]


async def supplier_rows(store: GraphStore, at: datetime | None, first: int | None) -> Rows:
    from relgraph.services import suppliers

    report = await suppliers.supplier_dependency(store, at)
    return [
        {
            "supplier_id": r.dependency.supplier_id, "name": r.name, "spend": r.dependency.spend, "orders": r.orders,
            "active": r.active, "share": r.dependency.share, "category": r.dependency.category,
            "category_share": r.dependency.category_share, "loss_impact": r.dependency.loss_impact,
            "sole_source": r.dependency.sole_source, "hhi": report.hhi, "effective_suppliers": report.effective_suppliers,
        }
        for r in report.suppliers[:first]
    ]


async def contested_rows(store: GraphStore, at: datetime | None, first: int | None) -> Rows:
    from relgraph.services import accounts

    return [
        {
            "account_id": c.account_id, "name": c.name, "our_strength": c.contest.our_strength,
            "best_competitor_id": c.contest.best_competitor_id,
            "best_competitor_strength": c.contest.best_competitor_strength, "lead": c.contest.lead,
            "our_rank": c.contest.our_rank,
            "competitors": [{"id": t.competitor_id, "strength": t.strength} for t in c.contest.competitors],
        }
        for c in await accounts.contested(store, first or 10**9, at)
    ]


async def overdue_rows(store: GraphStore, at: datetime | None, first: int | None) -> Rows:
    from relgraph.services import accounts

    return [
        {
            "account_id": o.plan.account_id, "owner_id": o.plan.owner_id,
            "tier": o.plan.tier.value if o.plan.tier else None, "due_at": from_ms(o.due_ms),
            "overdue_days": o.overdue_days,
        }
        for o in await accounts.overdue_contacts(store, first or 10**9, at)
    ]


# -- output ----------------------------------------------------------------------------


#: Floats in CSV and table cells: six significant digits.
FLOAT_CELL = "%.6g"


def _cell(value: Any, text: Callable[[str], str]) -> Any:
    """A value for CSV and table cells: lists joined by ';', times in ISO 8601; what is
    text (not a number or a time) goes through `text`."""
    if isinstance(value, float):
        return FLOAT_CELL % value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return text(";".join(
            f"{v['id']}:{v['strength']:.4f}" if isinstance(v, dict) else str(v) for v in value
        ))
    if value is None:
        return ""
    if isinstance(value, str):
        return text(value)
    return value


def _cells(values: list[Any], text: Callable[[str], str]) -> list[Any]:
    """One column's cells, as `_cell` makes them. A column of floats (most of a 100k-row
    key-account report) is formatted in one `%` call, ~3x faster than a call per cell."""
    kinds = set(map(type, values))
    if kinds <= {int, bool}:
        return values
    if kinds == {str}:
        return [text(v) for v in values]
    if kinds == {float}:
        return ((f"{FLOAT_CELL}\n" * len(values)) % tuple(values)).split("\n")[:-1]
    return [_cell(v, text) for v in values]


def _for_terminal(value: str) -> str:
    return printable(neutralise(value))


def render(report: Rows | Table, fmt: str) -> str:
    """The report as JSON (data as it is), CSV (text cells spreadsheet-safe) or a table
    (spreadsheet-safe, and control characters shown as escapes)."""
    table = report if isinstance(report, Table) else Table.of_rows(report)
    if fmt == "json":
        return json.dumps(table.rows(), default=lambda v: v.isoformat() if isinstance(v, datetime) else str(v),
                          indent=2) + "\n"
    names = list(table.columns)
    text = neutralise if fmt == "csv" else _for_terminal
    cells = [_cells(values, text) for values in table.columns.values()]
    if fmt == "csv":
        return _csv(names, cells)
    shown = [[str(c) for c in column] for column in cells]
    widths = [max([len(name), *map(len, column)]) for name, column in zip(names, shown)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(names, widths))]
    lines.append("  ".join("-" * w for w in widths))
    lines.extend("  ".join(v.ljust(w) for v, w in zip(row, widths)) for row in zip(*shown))
    return "\n".join(lines) + "\n"


def _csv(names: list[str], cells: list[list[Any]]) -> str:
    """CSV with "\n" line ends. The csv module quotes only the line end's characters, so a
    row with a carriage return in a text cell is written with every cell quoted."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    rows = zip(*cells)
    if not any("\r" in "".join(v for v in column if type(v) is str) for column in cells):
        writer.writerows(rows)
        return out.getvalue()
    quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for row in rows:
        (quoted if any(type(v) is str and "\r" in v for v in row) else writer).writerow(row)
    return out.getvalue()


async def _run(settings: Settings, produce: Callable[[GraphStore], Awaitable[Rows | Table]]) -> Rows | Table:
    from relgraph.store.factory import open_store

    async with open_store(settings) as store:
        return await produce(store)


def _settings(storage: dict[str, Any]) -> Settings:
    """The settings of the flags given, a bad value being a usage error (exit 2)."""
    try:
        return settings_from(**storage)
    except ValidationError as exc:
        raise click.UsageError(str(exc)) from None


def _emit(storage: dict[str, Any], fmt: str, produce: Callable[[GraphStore], Awaitable[Rows | Table]]) -> None:
    """Run one report and print it. The whole report runs with the cyclic collector paused
    (`services.collector`): a 100k-row report makes millions of acyclic objects and exits."""
    settings = _settings(storage)
    with collector_paused():
        try:
            rows = asyncio.run(_run(settings, produce))
        except RelgraphError as exc:
            click.echo(f"relgraph report: {exc.message}", err=True)
            sys.exit(1)
        click.echo(render(rows, fmt), nl=False)


def _common(func: Any) -> Any:
    func = storage_options(func)
    func = click.option("--first", type=click.IntRange(min=1), default=None, help="At most this many rows [default: all].")(func)
    func = click.option("--as-of", "as_of", default=None, metavar="DATE", help="Report as of this ISO date or date-time (UTC).")(func)
    func = click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)(func)
    return func


@click.group("report")
def command() -> None:
    """Key-account and account-care reports for scripts (table, CSV or JSON)."""


#: The key-account settings (tier cut-offs, CLV discount rate) as flags of the reports that score.
_key_account_options = options_for("tier_key_threshold", "tier_suitable_threshold", "clv_discount_rate")


@command.command("key-accounts")
@click.option("--tier", type=click.Choice([t.value for t in Tier]), default=None, help="Only accounts scored in this tier.")
@_common
@_key_account_options
def key_accounts_command(fmt: str, as_of: str | None, first: int | None, tier: str | None, **storage: Any) -> None:
    """Customer organisations by key-account score, with the five criteria (c_*)."""
    at = parse_as_of(as_of)
    settings = _settings(storage)
    thresholds, discount = tier_thresholds(settings), clv_discount(settings)
    _emit(storage, fmt, lambda store: key_account_rows(store, at, first, tier, thresholds, discount))


@command.command("at-risk")
@_common
@_key_account_options
def at_risk_command(fmt: str, as_of: str | None, first: int | None, **storage: Any) -> None:
    """Key accounts at risk, with their reasons."""
    at = parse_as_of(as_of)
    settings = _settings(storage)
    thresholds, discount = tier_thresholds(settings), clv_discount(settings)
    _emit(storage, fmt, lambda store: at_risk_rows(store, at, first, thresholds, discount))


@command.command("complaints")
@click.option("--state", type=click.Choice(["open", "resolved", "all"]), default="open", show_default=True,
              help="Complaints open at the moment, resolved or closed by then (with satisfaction), or all.")
@_common
def complaints_command(fmt: str, as_of: str | None, first: int | None, state: str, **storage: Any) -> None:
    """Complaints as they stood (open by default), the overdue ones first, with the
    deadlines they missed and the satisfaction recorded after resolution."""
    at = parse_as_of(as_of)
    _emit(storage, fmt, lambda store: complaint_rows(store, at, first, state))


@command.command("contested")
@_common
def contested_command(fmt: str, as_of: str | None, first: int | None, **storage: Any) -> None:
    """Customers tied to competitors, with the competitors' strength beside ours."""
    at = parse_as_of(as_of)
    _emit(storage, fmt, lambda store: contested_rows(store, at, first))


@command.command("overdue")
@_common
def overdue_command(fmt: str, as_of: str | None, first: int | None, **storage: Any) -> None:
    """Account plans whose next contact is past due, most overdue first."""
    at = parse_as_of(as_of)
    _emit(storage, fmt, lambda store: overdue_rows(store, at, first))


@command.command("prospects")
@click.option("--demand", type=click.Choice([d.value for d in Demand]), default=None, help="Only prospects of this demand class.")
@_common
def prospects_command(fmt: str, as_of: str | None, first: int | None, demand: str | None, **storage: Any) -> None:
    """Prospects by demand (CLEAR, LATENT, NONE), then potential, with their signals."""
    at = parse_as_of(as_of)
    _emit(storage, fmt, lambda store: prospect_rows(store, at, first, demand))


@command.command("suppliers")
@_common
def suppliers_command(fmt: str, as_of: str | None, first: int | None, **storage: Any) -> None:
    """Our dependency on each supplier: spend share, loss impact, sole sources, concentration."""
    at = parse_as_of(as_of)
    _emit(storage, fmt, lambda store: supplier_rows(store, at, first))
