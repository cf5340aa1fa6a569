"""Key accounts and account care on real stores (DOMAIN.md §4, §5), on both backends.

One tiny hand-built network serves every test (Neo4j writes are slow):

* ``a``  -- the big customer: most revenue, long two-threaded contact, influence 90,
  referred ``d``; an open, overdue complaint;
* ``b``  -- a small customer with large potential, hanging on one employee, and tied
  more strongly to competitor ``comp`` (through its rep ``rep``) than to us;
* ``f``  -- a customer we used to see a lot, silent for 100 days: falling strength;
* ``d``  -- referred by ``a``, buys a little.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from relgraph.domain.enums import Tier
from relgraph.scoring import care
from relgraph.scoring.accounts import KeyAccountWeights, TierThresholds
from relgraph.services import accounts
from relgraph.store.graph_store import GraphStore

NOW = datetime.now(timezone.utc).replace(microsecond=0)
CUSTOMER = {"kind": "CUSTOMER", "form": "ORGANIZATION"}


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def ix(id: str, kind: str, who: str, other: str, days: float, value: float | None = None) -> dict[str, Any]:
    return {"id": id, "type": kind, "initiator_id": who, "participant_ids": [other], "at": ago(days), "value": value}


def both_ways(tag: str, emp: str, org: str, days: list[float]) -> list[dict[str, Any]]:
    out = []
    for n, d in enumerate(days):
        out.append(ix(f"{tag}-{n}-o", "MEETING", emp, org, d))
        out.append(ix(f"{tag}-{n}-i", "MEETING", org, emp, d + 0.5))
    return out


async def build(store: GraphStore) -> GraphStore:
    await store.upsert_stakeholders([
        {"id": "us", "kind": "EMPLOYEE", "form": "ORGANIZATION", "name": "Us", "is_us": True},
        {"id": "e1", "kind": "EMPLOYEE", "form": "PERSON", "name": "Emma"},
        {"id": "e2", "kind": "EMPLOYEE", "form": "PERSON", "name": "Eric"},
        {"id": "a", **CUSTOMER, "name": "Acme", "tier": "KEY", "margin": 0.2, "retention": 0.8},
        {"id": "b", **CUSTOMER, "name": "Beta", "tier": "KEY", "potential": 5000.0},
        {"id": "f", **CUSTOMER, "name": "Fade", "tier": "KEY"},
        {"id": "d", **CUSTOMER, "name": "Delta"},
        {"id": "comp", "kind": "COMPETITOR", "form": "ORGANIZATION", "name": "Rival"},
        {"id": "rep", "kind": "COMPETITOR", "form": "PERSON", "name": "Rita"},
    ])
    # influence_percentile is written by the influence service; set it as that would.
    await store.runner.write("MATCH (s:Stakeholder {id: 'a'}) SET s.influence_percentile = 90.0")
    await store.upsert_relationships([
        {"id": "w1", "type": "WORKS_FOR", "from_id": "e1", "to_id": "us"},
        {"id": "w2", "type": "WORKS_FOR", "from_id": "e2", "to_id": "us"},
        {"id": "w3", "type": "WORKS_FOR", "from_id": "rep", "to_id": "comp"},
        {"id": "bf-a", "type": "BUYS_FROM", "from_id": "a", "to_id": "us", "started_at": ago(700)},
        {"id": "bf-b", "type": "BUYS_FROM", "from_id": "b", "to_id": "comp", "started_at": ago(300)},
        {"id": "ref", "type": "REFERRED", "from_id": "a", "to_id": "d", "started_at": ago(300)},
    ])
    await store.record_interactions(
        [ix(f"oa{n}", "ORDER", "a", "us", d, 1000.0) for n, d in enumerate((10, 40, 70, 100))]
        + [ix("oa-old", "ORDER", "a", "us", 500, 500.0), ix("ob", "ORDER", "b", "us", 20, 100.0),
           ix("od", "ORDER", "d", "us", 30, 300.0)]
        + both_ways("a1", "e1", "a", [5, 60, 200]) + both_ways("a2", "e2", "a", [8, 90, 250])
        + both_ways("b1", "e1", "b", [15])
        + both_ways("bc", "rep", "b", [3, 10, 20, 30, 45, 60])
        + both_ways("f1", "e1", "f", [100, 130]) + both_ways("f2", "e2", "f", [120])
    )
    await store.upsert_complaints([
        {"id": "c-late", "stakeholder_id": "a", "channel": "PHONE", "category": "delivery", "received_at": ago(10)},
        {"id": "c-b", "stakeholder_id": "b", "channel": "EMAIL", "category": "delivery", "received_at": ago(5),
         "status": "RESOLVED", "acknowledged_at": ago(4.9), "resolved_at": ago(4)},
        {"id": "c-d", "stakeholder_id": "d", "channel": "EMAIL", "category": "delivery", "received_at": ago(2),
         "status": "ACKNOWLEDGED", "acknowledged_at": ago(1.9)},
        {"id": "c-old", "stakeholder_id": "f", "channel": "LETTER", "category": "billing", "received_at": ago(200),
         "status": "CLOSED", "acknowledged_at": ago(199), "resolved_at": ago(195), "closed_at": ago(190)},
    ])
    await store.set_account_plans([
        {"account_id": "a", "owner_id": "e1", "next_contact_due": ago(5)},
        {"account_id": "b", "owner_id": "e1", "next_contact_due": ago(-5)},
        {"account_id": "f", "owner_id": "e2", "next_contact_due": ago(30)},
    ])
    return store


@pytest.fixture
async def net(store: GraphStore) -> GraphStore:
    return await build(store)


async def test_key_account_criteria_and_breakdown(net: GraphStore) -> None:
    scored = {k.account_id: k for k in await accounts.key_accounts(net, at=NOW)}
    assert set(scored) == {"a", "b", "f", "d"}
    a, b, f, d = scored["a"], scored["b"], scored["f"], scored["d"]
    # revenue: trailing 12 months of ORDER values; the old order counts in the total only
    assert a.revenue_12m == pytest.approx(4000.0) and a.revenue_total == pytest.approx(4500.0)
    assert a.score.breakdown.revenue_share == pytest.approx(1.0)
    assert 0 < d.score.breakdown.revenue_share < a.score.breakdown.revenue_share
    assert f.score.breakdown.revenue_share == 0.0
    # dependency counts what a brings in: d's revenue, weighted by the referral (default 0.5)
    assert a.referred_revenue == pytest.approx(300.0 * accounts.DEFAULT_REFERRAL_WEIGHT)
    assert a.score.loss_impact == pytest.approx(4000.0 + 150.0)
    # potential against current revenue; influence from the node's percentile
    assert b.score.breakdown.potential == pytest.approx(5000.0 / 5100.0)
    assert a.score.breakdown.potential == 0.0
    assert a.score.breakdown.influence == pytest.approx(0.9) and b.score.breakdown.influence == 0.0
    # stability: a long, steady, strong tie beats a fading one and a new one
    assert a.tenure_days == pytest.approx(700, abs=1)
    assert a.score.breakdown.stability > b.score.breakdown.stability
    assert a.score.breakdown.stability > f.score.breakdown.stability
    assert f.strength_now < f.strength_90d_ago
    # ABC and CLV
    assert a.abc == "A" and f.abc == "C"
    assert a.clv == pytest.approx(0.2 * 4000.0 * 0.8 / (1 + 0.1 - 0.8))
    assert b.clv is None
    # the transactional flag (seed 004), with its reasons
    assert (a.transactional, a.transactional_reasons) == (False, ())
    assert (b.transactional, b.transactional_reasons) == (True, ("LOW_SWITCHING_COST", "TIES_TO_COMPETITORS"))
    # d only orders from us, and an order is answered by its delivery: not one-way contact
    assert (d.transactional, d.transactional_reasons) == (True, ("PRICE_DRIVEN", "LOW_SWITCHING_COST"))
    assert (f.transactional, f.transactional_reasons) == (False, ("LOW_SWITCHING_COST",))
    # sorted best first, breakdown explains the score
    assert [k.account_id for k in await accounts.key_accounts(net, at=NOW)][0] == "a"
    parts = a.score.breakdown.as_dict()
    assert a.score.score == pytest.approx(sum(parts.values()) / 5)


async def test_each_criterion_moves_the_score(net: GraphStore) -> None:
    before = {k.account_id: k for k in await accounts.key_accounts(net, at=NOW)}
    await net.update_stakeholder("d", {"potential": 10_000.0})
    await net.runner.write("MATCH (s:Stakeholder {id: 'd'}) SET s.influence_percentile = 80.0")
    await net.record_interactions([ix("od2", "ORDER", "d", "us", 3, 500.0)])
    after = {k.account_id: k for k in await accounts.key_accounts(net, at=NOW)}
    d0, d1 = before["d"].score, after["d"].score
    assert d1.breakdown.potential > d0.breakdown.potential
    assert d1.breakdown.influence > d0.breakdown.influence
    assert d1.breakdown.revenue_share > d0.breakdown.revenue_share
    assert d1.breakdown.stability > d0.breakdown.stability  # the order is a new contact, a new tie
    # and a's dependency rises with d's revenue
    assert after["a"].score.loss_impact > before["a"].score.loss_impact
    assert d1.score > d0.score


async def test_weights_and_tiers(net: GraphStore) -> None:
    only_revenue = KeyAccountWeights(stability=0, revenue_share=1, dependency=0, potential=0, influence=0)
    scored = {k.account_id: k for k in await accounts.key_accounts(net, only_revenue, at=NOW)}
    assert scored["a"].score.score == pytest.approx(1.0) and scored["a"].tier is Tier.KEY
    assert scored["f"].score.score == 0.0 and scored["f"].tier is Tier.GENERAL
    only_potential = KeyAccountWeights(stability=0, revenue_share=0, dependency=0, potential=1, influence=0)
    thresholds = TierThresholds(key=0.99, suitable=0.5)
    tiers = {k.account_id: k.tier for k in await accounts.key_accounts(net, only_potential, thresholds, at=NOW)}
    assert tiers == {"b": Tier.SUITABLE, "a": Tier.GENERAL, "d": Tier.GENERAL, "f": Tier.GENERAL}


async def test_at_risk_reasons(net: GraphStore) -> None:
    risky = {r.account.account_id: r for r in await accounts.at_risk(net, 50, at=NOW)}
    assert set(risky["a"].reasons) == {care.REASON_OPEN_COMPLAINTS, care.REASON_OVERDUE_COMPLAINTS}
    assert risky["a"].open_complaints == 1 and risky["a"].overdue_complaints == 1
    assert set(risky["b"].reasons) == {care.REASON_COMPETITOR_STRONGER, care.REASON_SINGLE_THREADED}
    assert risky["b"].best_competitor_id == "comp"
    assert care.REASON_FALLING_STRENGTH in risky["f"].reasons
    assert "d" not in risky  # not a key account
    assert len(await accounts.at_risk(net, 1, at=NOW)) == 1


async def test_contested_accounts_show_competitor_beside_us(net: GraphStore) -> None:
    (b,) = await accounts.contested(net, 10, at=NOW)
    assert b.account_id == "b" and b.contest.contested
    assert b.contest.best_competitor_id == "comp"
    assert b.contest.best_competitor_strength > b.contest.our_strength > 0
    assert b.contest.our_rank == 2 and b.contest.lead < 0


async def test_overdue_contacts(net: GraphStore) -> None:
    overdue = await accounts.overdue_contacts(net, 10, at=NOW)
    assert [o.plan.account_id for o in overdue] == ["f", "a"]
    assert overdue[1].overdue_days == pytest.approx(5, abs=0.01)
    assert [o.plan.account_id for o in await accounts.overdue_contacts(net, 1, at=NOW)] == ["f"]


async def test_systemic_issues(net: GraphStore) -> None:
    (issue,) = await accounts.systemic_issues(net, 30, 3, at=NOW)
    assert issue.category == "delivery" and issue.customers == ("a", "b", "d") and issue.count == 3
    assert await accounts.systemic_issues(net, 30, 4, at=NOW) == []
    assert await accounts.systemic_issues(net, 3, 2, at=NOW) == []  # only d complained in the last 3 days
    # as of 100 days ago none of them had been received
    assert await accounts.systemic_issues(net, 30, 1, at=ago(100)) == []


async def test_network_summary(net: GraphStore) -> None:
    summary = await accounts.network_summary(net, at=NOW)
    assert summary.by_kind == {"EMPLOYEE": 3, "CUSTOMER": 4, "COMPETITOR": 2}
    assert summary.by_tier == {"KEY": 3}
    assert summary.accounts_by_abc["A"] == 1 and summary.revenue_by_abc["A"] == pytest.approx(4000.0)
    assert sum(summary.revenue_by_abc.values()) == pytest.approx(4400.0)
    assert summary.open_complaints == 2 and summary.overdue_complaints == 1
    assert summary.overdue_contacts == 2
    # every communication tie has one channel state; f's ties went quiet 100+ days ago but
    # not for 2H. Besides the pairs that interacted, b buys from comp without a contact
    # recorded (BROKEN); WORKS_FOR and REFERRED pairs that never talked have no channel.
    assert set(summary.by_channel) == {"OPEN", "BLOCKED", "BROKEN"}
    assert sum(summary.by_channel.values()) == len(await net.all_ties()) + 1
    assert (summary.satisfaction.resolved, summary.satisfaction.average) == (1, None)  # c-b, not rated


async def test_complaints_report(net: GraphStore) -> None:
    rows = await accounts.complaints_report(net, at=NOW)
    assert [(r.id, r.overdue, r.reasons) for r in rows] == [
        ("c-late", True, ("RESPONSE_LATE", "RESOLUTION_LATE")), ("c-d", False, ())]
    # as of 4.5 days ago c-b was acknowledged but not resolved yet, and c-d not received
    then = await accounts.complaints_report(net, at=ago(4.5))
    assert [(r.id, r.status.value, r.overdue) for r in then] == [("c-late", "RECEIVED", True), ("c-b", "ACKNOWLEDGED", False)]


# -- relgraph report ---------------------------------------------------------------------


@pytest.fixture
def cli_flags(net: GraphStore, request: pytest.FixtureRequest) -> list[str]:
    """Storage flags that reach the same database as `store`."""
    if net.backend == "falkordb":
        return ["--falkordb-url", f"unix://{request.getfixturevalue('falkordb_server').socket_path}"]
    return ["--neo4j-uri", request.getfixturevalue("neo4j_server").bolt_uri]


async def report(*args: str) -> str:
    from click.testing import CliRunner

    from relgraph.cli.report import command

    result = await asyncio.to_thread(CliRunner().invoke, command, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


async def test_report_cli(net: GraphStore, cli_flags: list[str]) -> None:
    as_of = ["--as-of", NOW.isoformat()]
    rows = json.loads(await report("key-accounts", "--format", "json", *as_of, *cli_flags))
    expected = await accounts.key_accounts(net, at=NOW)
    assert [r["account_id"] for r in rows] == [k.account_id for k in expected]
    assert rows[0]["score"] == pytest.approx(expected[0].score.score)
    table = list(csv.DictReader(io.StringIO(await report("key-accounts", "--format", "csv", "--first", "2", *as_of, *cli_flags))))
    assert [r["account_id"] for r in table] == [k.account_id for k in expected[:2]]
    assert float(table[0]["c_revenue_share"]) == pytest.approx(1.0)
    risky = {r["account_id"]: r for r in json.loads(await report("at-risk", "--format", "json", *as_of, *cli_flags))}
    assert set(risky) == {"a", "b", "f"} and "SINGLE_THREADED" in risky["b"]["reasons"]
    complaints = list(csv.DictReader(io.StringIO(await report("complaints", "--format", "csv", *as_of, *cli_flags))))
    assert [(r["id"], r["overdue"]) for r in complaints] == [("c-late", "True"), ("c-d", "False")]
    (contest,) = json.loads(await report("contested", "--format", "json", *as_of, *cli_flags))
    assert contest["account_id"] == "b" and contest["competitors"][0]["id"] == "comp"
    overdue = await report("overdue", *as_of, *cli_flags)  # the table format
    lines = overdue.splitlines()
    assert lines[0].split() == ["account_id", "owner_id", "tier", "due_at", "overdue_days"]
    assert [line.split()[0] for line in lines[2:]] == ["f", "a"]
    # as of 200 days ago nothing was overdue yet and no complaint was open
    assert json.loads(await report("complaints", "--format", "json", "--as-of", ago(200).date().isoformat(), *cli_flags)) == []
