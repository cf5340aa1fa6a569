"""Prospect demand, supplier dependency, satisfaction after resolution, channel counts and
as-of reports, on hand-built networks and real stores (both backends).

Each test builds the smallest network that shows its rule, so that every number below
can be checked by hand.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from relgraph.domain.enums import ComplaintStatus, Demand
from relgraph.services import accounts, prospects, suppliers
from relgraph.services.account_cache import cache_of
from relgraph.store.graph_store import GraphStore

NOW = datetime.now(timezone.utc).replace(microsecond=0)
ORG = "ORGANIZATION"


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def ix(id: str, kind: str, who: str, others: list[str], days: float, value: float | None = None) -> dict[str, Any]:
    return {"id": id, "type": kind, "initiator_id": who, "participant_ids": others, "at": ago(days), "value": value}


async def us_and_emma(store: GraphStore) -> None:
    await store.upsert_stakeholders([
        {"id": "us", "kind": "EMPLOYEE", "form": ORG, "name": "Us", "is_us": True},
        {"id": "e1", "kind": "EMPLOYEE", "form": "PERSON", "name": "Emma"},
    ])
    await store.upsert_relationships([{"id": "w-e1", "type": "WORKS_FOR", "from_id": "e1", "to_id": "us"}])


# -- prospects and demand ------------------------------------------------------------------


async def build_prospects(store: GraphStore) -> None:
    """clear: its buyer e-mailed us 10 days ago; latent: came to our event; none: only our
    own e-mails and an enquiry 200 days ago; recorded: enquired, but the analyst says
    LATENT; rival: talked only to a competitor; buyer: ordered 10 days ago; partner:
    buys from us (BUYS_FROM), no orders yet."""
    await us_and_emma(store)
    customers = [
        ("clear", 1000.0, None), ("latent", 2000.0, None), ("none", 500.0, None), ("none2", 900.0, None),
        ("recorded", 100.0, "LATENT"), ("rival", 0.0, None), ("buyer", 50_000.0, None), ("partner", 0.0, None),
    ]
    await store.upsert_stakeholders(
        [{"id": k, "kind": "CUSTOMER", "form": ORG, "name": k.title(), "potential": p, **({"demand": d} if d else {})}
         for k, p, d in customers]
        + [{"id": "pc", "kind": "CUSTOMER", "form": "PERSON", "name": "Paula"},
           {"id": "comp", "kind": "COMPETITOR", "form": ORG, "name": "Rival Inc"}]
    )
    await store.upsert_relationships([
        {"id": "w-pc", "type": "WORKS_FOR", "from_id": "pc", "to_id": "clear"},
        {"id": "bf", "type": "BUYS_FROM", "from_id": "partner", "to_id": "us", "started_at": ago(100)},
    ])
    await store.record_interactions([
        ix("q1", "EMAIL", "pc", ["e1"], 10),                  # clear: inbound enquiry by its person
        ix("q2", "EVENT", "e1", ["latent", "none"], 20),      # latent: took part in our event ...
        ix("q3", "CALL", "e1", ["latent"], 5),                # ... our outbound call counts for nothing
        ix("q4", "EMAIL", "e1", ["none2"], 30),               # none2: only our e-mail
        ix("q5", "EMAIL", "none2", ["e1"], 200),              # an enquiry outside the 90-day window
        ix("q6", "CALL", "recorded", ["e1"], 3),
        ix("q7", "MEETING", "rival", ["comp"], 4),            # not with us
        ix("q8", "ORDER", "buyer", ["us"], 10, 700.0),
    ])


async def test_prospects_by_demand(store: GraphStore) -> None:
    await build_prospects(store)
    rows = await prospects.prospects(store, at=NOW)
    assert [(p.account_id, p.demand) for p in rows] == [
        ("clear", Demand.CLEAR),
        ("latent", Demand.LATENT), ("none", Demand.LATENT), ("recorded", Demand.LATENT),  # potential desc
        ("none2", Demand.NONE), ("rival", Demand.NONE),
    ]
    by_id = {p.account_id: p for p in rows}
    assert (by_id["clear"].signals.enquiries, by_id["clear"].signals.engagement) == (1, 0)
    assert (by_id["latent"].signals.enquiries, by_id["latent"].signals.engagement) == (0, 1)
    assert by_id["none2"].signals == prospects.ka.DemandSignals()
    assert by_id["recorded"].recorded_demand is Demand.LATENT and by_id["recorded"].signals.enquiries == 1
    assert by_id["rival"].signals == prospects.ka.DemandSignals()  # a competitor's meeting is no signal for us
    assert by_id["latent"].potential == 2000.0
    # not prospects: one ordered, one has a BUYS_FROM to us
    assert "buyer" not in by_id and "partner" not in by_id
    only = await prospects.prospects(store, [Demand.CLEAR, Demand.NONE], at=NOW)
    assert [p.account_id for p in only] == ["clear", "none2", "rival"]


async def test_prospects_as_of(store: GraphStore) -> None:
    await build_prospects(store)
    then = {p.account_id: p for p in await prospects.prospects(store, at=ago(50))}
    # 50 days ago the buyer had not ordered yet, and nobody had contacted us in 90 days
    assert "buyer" in then and "partner" not in then  # partner's BUYS_FROM started 100 days ago
    assert {k: p.demand for k, p in then.items()} == {
        "recorded": Demand.LATENT, **{k: Demand.NONE for k in ("clear", "latent", "none", "none2", "rival", "buyer")}}
    # 150 days ago none2's enquiry (200 days ago) was recent, and partner did not buy yet
    older = {p.account_id: p for p in await prospects.prospects(store, at=ago(150))}
    assert older["none2"].demand is Demand.CLEAR and "partner" in older

# -- supplier dependency ---------------------------------------------------------------


async def build_suppliers(store: GraphStore) -> None:
    """s1 and s2 supply logistics (600 and 200 this year), s3 packaging alone (200), s4
    supplies us but we ordered nothing, s5 was paid 500 days ago only and no longer supplies."""
    await us_and_emma(store)
    await store.upsert_stakeholders([
        {"id": "s1", "kind": "SUPPLIER", "form": ORG, "name": "Ship One", "industry": "logistics"},
        {"id": "s2", "kind": "SUPPLIER", "form": ORG, "name": "Ship Two", "industry": "logistics"},
        {"id": "s3", "kind": "SUPPLIER", "form": ORG, "name": "Boxes"},
        {"id": "s4", "kind": "SUPPLIER", "form": ORG, "name": "Idle"},
        {"id": "s5", "kind": "SUPPLIER", "form": ORG, "name": "Former"},
    ])
    await store.upsert_relationships([
        {"id": f"sup-{s}", "type": "SUPPLIES", "from_id": s, "to_id": "us", "started_at": ago(600)}
        for s in ("s1", "s2", "s3", "s4")
    ])
    await store.record_interactions([
        ix("po1", "ORDER", "us", ["s1"], 10, 400.0), ix("po2", "ORDER", "e1", ["s1"], 100, 200.0),
        ix("po3", "ORDER", "us", ["s2"], 20, 200.0), ix("po4", "ORDER", "us", ["s3"], 30, 200.0),
        ix("po5", "ORDER", "us", ["s5"], 500, 500.0),
        ix("po6", "ORDER", "s1", ["us"], 5, 9999.0),  # started by the supplier: not our spend
    ])


async def test_supplier_dependency(store: GraphStore) -> None:
    await build_suppliers(store)
    d = await suppliers.supplier_dependency(store, at=NOW)
    assert d.total_spend == pytest.approx(1000.0)
    assert d.hhi == pytest.approx(0.6**2 + 0.2**2 + 0.2**2)
    assert d.effective_suppliers == pytest.approx(1 / 0.44)
    rows = {r.dependency.supplier_id: r for r in d.suppliers}
    assert [r.dependency.supplier_id for r in d.suppliers] == ["s1", "s3", "s2", "s4"]
    s1, s2, s3, s4 = (rows[k].dependency for k in ("s1", "s2", "s3", "s4"))
    assert (s1.share, s1.category, s1.category_share) == (pytest.approx(0.6), "logistics", pytest.approx(0.75))
    assert s1.loss_impact == pytest.approx(0.45) and not s1.sole_source
    assert s2.loss_impact == pytest.approx(0.2 * 0.25)
    assert s3.sole_source and s3.loss_impact == pytest.approx(0.2) and s3.category is None
    assert s4.spend == 0.0 and rows["s4"].active and rows["s4"].orders == 0
    assert rows["s1"].orders == 2 and rows["s1"].name == "Ship One"
    assert "s5" not in rows  # no spend this year, no SUPPLIES


async def test_supplier_dependency_as_of(store: GraphStore) -> None:
    await build_suppliers(store)
    d = await suppliers.supplier_dependency(store, at=ago(400))
    rows = {r.dependency.supplier_id: r for r in d.suppliers}
    assert rows["s5"].dependency.share == 1.0 and d.hhi == 1.0 and d.effective_suppliers == 1.0
    assert rows["s5"].dependency.sole_source


# -- satisfaction after resolution -----------------------------------------------------------


async def build_complaints(store: GraphStore) -> None:
    """Four complaints of one customer, moved through the real transition path."""
    await us_and_emma(store)
    await store.upsert_stakeholders([{"id": "acme", "kind": "CUSTOMER", "form": ORG, "name": "Acme"}])
    for cid, received in (("k1", 6), ("k2", 5), ("k3", 210), ("k4", 4), ("k5", 1)):
        await store.file_complaint({"id": cid, "stakeholder_id": "acme", "channel": "PHONE", "category": "delivery",
                                    "received_at": ago(received)})
    moves = [
        ("k1", "ACKNOWLEDGED", 5.9, None), ("k1", "RESOLVED", 3, 0.6),
        ("k2", "RESOLVED", 2, None), ("k2", "CLOSED", 1, -0.2),          # rated on closing
        ("k3", "RESOLVED", 200, 1.0),                                    # long ago: outside 90 days
        ("k4", "RESOLVED", 1.5, None),                                   # resolved, never rated
    ]
    for cid, status, days, satisfaction in moves:
        move: dict[str, Any] = {"id": cid, "status": status, "at": ago(days)}
        if satisfaction is not None:
            move["satisfaction"] = satisfaction
        await store.transition_complaint(move)


async def test_satisfaction_after_resolution(store: GraphStore) -> None:
    await build_complaints(store)
    summary = await accounts.network_summary(store, at=NOW)
    sat = summary.satisfaction
    assert (sat.window_days, sat.resolved, sat.rated) == (90.0, 3, 2)
    assert sat.average == pytest.approx((0.6 - 0.2) / 2)
    assert (await accounts.network_summary(store, at=NOW, satisfaction_days=365)).satisfaction.rated == 3
    assert summary.open_complaints == 1  # k5
    resolved = await accounts.complaints_report(store, at=NOW, state="resolved")
    assert {c.id: c.satisfaction for c in resolved} == {"k1": 0.6, "k2": -0.2, "k3": 1.0, "k4": None}
    assert {c.id: c.status for c in resolved}["k2"] is ComplaintStatus.CLOSED
    assert [c.id for c in await accounts.complaints_report(store, at=NOW, state="all")][-1] == "k5"
    # 2.5 days ago k2 was still open and k1 resolved: its rating counts, k2's was not given yet
    then = await accounts.network_summary(store, at=ago(2.5))
    assert (then.satisfaction.resolved, then.satisfaction.rated, then.satisfaction.average) == (1, 1, pytest.approx(0.6))
    open_then = {c.id: c for c in await accounts.complaints_report(store, at=ago(2.5))}
    assert set(open_then) == {"k2", "k4"}
    assert open_then["k2"].status is ComplaintStatus.RECEIVED and open_then["k2"].satisfaction is None
    assert open_then["k4"].overdue  # received 4 days ago, unanswered after 24 h


async def test_satisfaction_only_on_resolution(store: GraphStore) -> None:
    await build_complaints(store)
    with pytest.raises(Exception) as raised:
        await store.transition_complaint({"id": "k5", "status": "ACKNOWLEDGED", "satisfaction": 0.5})
    assert getattr(raised.value, "field", None) == "satisfaction"


# -- channel states in the network summary ---------------------------------------------------


async def test_network_summary_counts_ties_by_channel_state(store: GraphStore) -> None:
    """open: a lively two-way tie; blocked: our e-mails go unanswered (a call would be an
    exchange, answered both ways); broken: silent 200 days."""
    await us_and_emma(store)
    await store.upsert_stakeholders([
        {"id": k, "kind": "CUSTOMER", "form": "PERSON", "name": k.title()} for k in ("olga", "bob", "bert")
    ])
    rows = []
    for n in range(6):
        rows += [ix(f"o{n}", "MEETING", "e1", ["olga"], 5 + n * 10), ix(f"r{n}", "MEETING", "olga", ["e1"], 6 + n * 10)]
        rows.append(ix(f"b{n}", "EMAIL", "e1", ["bob"], 3 + n * 10))
    rows += [ix("x1", "MEETING", "e1", ["bert"], 200), ix("x2", "MEETING", "bert", ["e1"], 201)]
    await store.record_interactions(rows)
    summary = await accounts.network_summary(store, at=NOW)
    assert summary.by_channel == {"OPEN": 1, "BLOCKED": 1, "BROKEN": 1}
    # 150 days ago bert's tie was fresh and the others did not exist yet
    assert (await accounts.network_summary(store, at=ago(150))).by_channel == {"OPEN": 1, "BLOCKED": 0, "BROKEN": 0}


# -- the cache -----------------------------------------------------------------------------


async def test_cache_reuses_results_and_a_write_invalidates(store: GraphStore) -> None:
    await build_prospects(store)
    cache = cache_of(store)
    first = await accounts.key_accounts(store, at=NOW)
    hits = cache.hits
    again = await accounts.key_accounts(store, at=NOW)
    assert cache.hits > hits and [k.score for k in again] == [k.score for k in first]
    # one cached result, shared by every caller: read-only, so no caller can change another's
    assert again.columns is first.columns and isinstance(first.columns.ids, tuple)
    with pytest.raises(ValueError):
        first.columns.revenue_12m[0] = 1.0
    before = {k.account_id: k.revenue_12m for k in first}
    # any write through the store moves the version on; the next read sees it
    await store.record_interactions([ix("q9", "ORDER", "clear", ["us"], 1, 300.0)])
    after = {k.account_id: k.revenue_12m for k in await accounts.key_accounts(store, at=NOW)}
    assert before["clear"] == 0.0 and after["clear"] == pytest.approx(300.0)
    assert "clear" not in {p.account_id for p in await prospects.prospects(store, at=NOW)}
    # a complaint transition is a write too
    await store.file_complaint({"id": "c1", "stakeholder_id": "clear", "channel": "PHONE", "category": "x",
                                "received_at": ago(3)})
    assert [c.id for c in await accounts.complaints_report(store, at=NOW)] == ["c1"]
    await store.transition_complaint({"id": "c1", "status": "RESOLVED", "at": ago(1), "satisfaction": 0.9})
    assert await accounts.complaints_report(store, at=NOW) == []


async def test_now_answers_share_one_moment(store: GraphStore) -> None:
    await build_prospects(store)
    a = await accounts.key_accounts(store)
    b = await accounts.key_accounts(store)
    assert [k.tenure_days for k in a] == [k.tenure_days for k in b]  # same moment, same cached result
    summary, risky = await asyncio.gather(accounts.network_summary(store), accounts.at_risk(store, 10))
    assert summary.by_kind["CUSTOMER"] == 9 and risky == []


# -- relgraph report --------------------------------------------------------------------------


@pytest.fixture
def cli_flags(store: GraphStore, request: pytest.FixtureRequest) -> list[str]:
    if store.backend == "falkordb":
        return ["--falkordb-url", f"unix://{request.getfixturevalue('falkordb_server').socket_path}"]
    return ["--neo4j-uri", request.getfixturevalue("neo4j_server").bolt_uri]


async def report(*args: str) -> str:
    from click.testing import CliRunner

    from relgraph.cli.report import command

    result = await asyncio.to_thread(CliRunner().invoke, command, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


async def test_report_prospects_and_suppliers(store: GraphStore, cli_flags: list[str]) -> None:
    await build_prospects(store)
    await build_suppliers(store)
    as_of = ["--as-of", NOW.isoformat()]
    rows = list(csv.DictReader(io.StringIO(await report("prospects", "--format", "csv", *as_of, *cli_flags))))
    assert [(r["account_id"], r["demand"]) for r in rows][:2] == [("clear", "CLEAR"), ("latent", "LATENT")]
    assert rows[0]["enquiries"] == "1"
    latent = json.loads(await report("prospects", "--demand", "LATENT", "--format", "json", *as_of, *cli_flags))
    assert [r["account_id"] for r in latent] == ["latent", "none", "recorded"]
    assert latent[2]["recorded_demand"] == "LATENT"
    sup = json.loads(await report("suppliers", "--format", "json", *as_of, *cli_flags))
    assert [r["supplier_id"] for r in sup] == ["s1", "s3", "s2", "s4"]
    assert sup[0]["loss_impact"] == pytest.approx(0.45) and sup[0]["hhi"] == pytest.approx(0.44)
    old = json.loads(await report("suppliers", "--format", "json", "--as-of", ago(400).isoformat(), *cli_flags))
    assert [r["supplier_id"] for r in old] == ["s5", "s1", "s2", "s3", "s4"] and old[0]["share"] == 1.0


async def test_report_complaints_states_and_as_of(store: GraphStore, cli_flags: list[str]) -> None:
    await build_complaints(store)
    as_of = ["--as-of", NOW.isoformat()]
    resolved = json.loads(await report("complaints", "--state", "resolved", "--format", "json", *as_of, *cli_flags))
    assert {r["id"]: r["satisfaction"] for r in resolved} == {"k1": 0.6, "k2": -0.2, "k3": 1.0, "k4": None}
    table = list(csv.DictReader(io.StringIO(await report("complaints", "--format", "csv", *as_of, *cli_flags))))
    assert [(r["id"], r["status"], r["satisfaction"]) for r in table] == [("k5", "RECEIVED", "")]
    then = json.loads(await report("complaints", "--format", "json", "--as-of", ago(2.5).isoformat(), *cli_flags))
    assert [(r["id"], r["status"], r["overdue"]) for r in then] == [("k2", "RECEIVED", True), ("k4", "RECEIVED", True)]
