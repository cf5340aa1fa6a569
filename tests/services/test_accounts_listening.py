"""Listening, as of, and configurable key-account settings on real stores (both backends).

Every expected figure below is worked out by hand from the network each test builds.
"""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from relgraph.api.context import Context
from relgraph.api.schema import schema
from relgraph.config import Settings
from relgraph.scoring.accounts import TierThresholds
from relgraph.services import accounts
from relgraph.store.graph_store import GraphStore

NOW = datetime.now(timezone.utc).replace(microsecond=0)
ORG = "ORGANIZATION"


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def said(id: str, who: str, others: list[str], days: float, sentiment: float | None, kind: str = "FEEDBACK") -> dict[str, Any]:
    return {"id": id, "type": kind, "initiator_id": who, "participant_ids": others, "at": ago(days), "sentiment": sentiment}


async def build_listening(store: GraphStore) -> None:
    """acme (an organisation) with pat (works there) and old (left 50 days ago); e1 is ours."""
    await store.upsert_stakeholders([
        {"id": "us", "kind": "EMPLOYEE", "form": ORG, "name": "Us", "is_us": True},
        {"id": "e1", "kind": "EMPLOYEE", "form": "PERSON", "name": "Emma"},
        {"id": "acme", "kind": "CUSTOMER", "form": ORG, "name": "Acme"},
        {"id": "pat", "kind": "CUSTOMER", "form": "PERSON", "name": "Pat"},
        {"id": "old", "kind": "CUSTOMER", "form": "PERSON", "name": "Olga"},
        {"id": "zed", "kind": "CUSTOMER", "form": "PERSON", "name": "Zed"},
    ])
    await store.upsert_relationships([
        {"id": "w-e1", "type": "WORKS_FOR", "from_id": "e1", "to_id": "us"},
        {"id": "w-pat", "type": "WORKS_FOR", "from_id": "pat", "to_id": "acme"},
        {"id": "w-old", "type": "WORKS_FOR", "from_id": "old", "to_id": "acme", "started_at": ago(400),
         "ended_at": ago(50)},
    ])
    await store.record_interactions([
        said("s1", "e1", ["acme"], 10, 0.6),            # the organisation itself
        said("s2", "pat", ["e1"], 20, 0.2),             # one of its people
        said("s3", "e1", ["acme", "pat"], 30, -0.2),    # both took part: counted once
        said("s4", "old", ["e1"], 60, 0.9),             # before old left: counts
        said("s5", "old", ["e1"], 40, -1.0),            # after old left: not acme's
        said("s6", "e1", ["acme"], 5, None, "MEETING"),  # no sentiment recorded
        said("s7", "e1", ["acme"], 120, -0.5),          # the 90 days before
        said("s8", "pat", ["e1"], 150, 0.1),            # the 90 days before
        said("s9", "e1", ["acme"], 200, 1.0),           # older than both windows
        said("s10", "zed", ["e1"], 3, -0.9),            # someone else
    ])


async def test_recent_sentiment_by_hand(store: GraphStore) -> None:
    await build_listening(store)
    got = await accounts.recent_sentiments(store, ["acme", "pat", "zed", "e1", "nobody"], NOW)
    acme = got["acme"]
    # recent: s1 0.6, s2 0.2, s3 -0.2, s4 0.9 -> 1.5 / 4; before: s7 -0.5, s8 0.1 -> -0.4 / 2
    assert (acme.count, acme.previous_count) == (4, 2)
    assert acme.average == pytest.approx(0.375) and acme.previous_average == pytest.approx(-0.2)
    assert acme.change == pytest.approx(0.575) and acme.window_days == 90
    pat = got["pat"]  # a person: its own interactions only (s2, s3; before: s8)
    assert (pat.count, pat.average, pat.previous_average) == (2, pytest.approx(0.0), pytest.approx(0.1))
    assert pat.change == pytest.approx(-0.1)
    assert (got["zed"].count, got["zed"].average) == (1, pytest.approx(-0.9))
    nobody = got["nobody"]
    assert (nobody.count, nobody.average, nobody.previous_average, nobody.change) == (0, None, None, None)
    # as of 100 days ago: s7 and s8 were recent (-0.2), s9 the window before (1.0); s1-s5 had not happened
    then = (await accounts.recent_sentiments(store, ["acme"], ago(100)))["acme"]
    assert (then.count, then.average, then.previous_count, then.previous_average) == (
        2, pytest.approx(-0.2), 1, pytest.approx(1.0))
    assert then.change == pytest.approx(-1.2)


async def build_book(store: GraphStore) -> None:
    """Two customers: big (orders of 1000 at 10 and 200 days ago) and small (100, 20 days ago);
    big's complaint, received 10 days ago, is resolved 2 days ago."""
    await store.upsert_stakeholders([
        {"id": "us", "kind": "EMPLOYEE", "form": ORG, "name": "Us", "is_us": True},
        {"id": "e1", "kind": "EMPLOYEE", "form": "PERSON", "name": "Emma"},
        {"id": "big", "kind": "CUSTOMER", "form": ORG, "name": "Big", "margin": 0.5, "retention": 1.0},
        {"id": "small", "kind": "CUSTOMER", "form": ORG, "name": "Small"},
    ])
    await store.upsert_relationships([{"id": "w-e1", "type": "WORKS_FOR", "from_id": "e1", "to_id": "us"}])
    order = lambda id, who, days, value: {  # noqa: E731
        "id": id, "type": "ORDER", "initiator_id": who, "participant_ids": ["us"], "at": ago(days), "value": value}
    await store.record_interactions([order("o1", "big", 10, 1000.0), order("o0", "big", 200, 1000.0),
                                     order("o2", "small", 20, 100.0)])
    await store.upsert_complaints([
        {"id": "q", "stakeholder_id": "big", "channel": "PHONE", "category": "delivery", "received_at": ago(10),
         "status": "RESOLVED", "acknowledged_at": ago(9.5), "resolved_at": ago(2)},
    ])


async def test_as_of_a_past_moment(store: GraphStore) -> None:
    await build_book(store)
    now = {k.account_id: k for k in await accounts.key_accounts(store, at=NOW)}
    then = {k.account_id: k for k in await accounts.key_accounts(store, at=ago(15))}
    # 12-month revenue: big 2000 now, 1000 fifteen days ago (o1 had not happened); small 100 both times
    assert (now["big"].revenue_12m, then["big"].revenue_12m) == (2000.0, 1000.0)
    assert now["small"].revenue_12m == then["small"].revenue_12m == 100.0
    assert now["big"].at_ms != then["big"].at_ms
    # the complaint resolved 2 days ago was open 5 days ago; its response (9.5 days ago) came in time,
    # its resolution was due 7 days after receipt (3 days ago): overdue 1 day after that
    summary = {d: await accounts.network_summary(store, at=at) for d, at in ((0, NOW), (5, ago(5)), (15, ago(15)))}
    assert [(s.open_complaints, s.overdue_complaints) for s in summary.values()] == [(0, 0), (1, 0), (0, 0)]
    assert (await accounts.network_summary(store, at=ago(2.5))).overdue_complaints == 1
    assert summary[0].revenue_by_abc["A"] == 2000.0 and summary[15].revenue_by_abc["A"] == 1000.0


async def test_settings_move_tiers_and_clv(store: GraphStore) -> None:
    await build_book(store)
    default = {k.account_id: k for k in await accounts.key_accounts(store, at=NOW)}
    score = default["small"].score.score
    assert default["small"].tier.value != "KEY"
    lowered = TierThresholds(key=score, suitable=score / 2)  # KEY from small's own score
    moved = {k.account_id: k for k in await accounts.key_accounts(store, thresholds=lowered, at=NOW)}
    assert moved["small"].tier.value == "KEY" and moved["small"].score.score == score
    # CLV with margin 0.5 x 2000 = 1000, retention 1: 1000 / d; with d = 0 it has no finite value
    assert default["big"].clv == pytest.approx(1000 / 0.1)
    half = {k.account_id: k for k in await accounts.key_accounts(store, at=NOW, discount=0.5)}
    assert half["big"].clv == pytest.approx(2000.0)
    free = {k.account_id: k for k in await accounts.key_accounts(store, at=NOW, discount=0.0)}
    assert free["big"].clv is None and free["small"].clv is None


async def test_settings_reach_the_api(store: GraphStore) -> None:
    """The tier cut-offs and the discount rate of the process's Settings decide the API's answers."""
    await build_book(store)
    query = "{ keyAccounts { accountKey score tier clv } atRiskAccounts { keyAccount { accountKey } } }"

    async def ask(settings: Settings) -> dict[str, Any]:
        result = await schema.execute(query, context_value=Context(store, settings))
        assert result.errors is None, result.errors
        return result.data  # type: ignore[return-value]

    default = await ask(Settings())
    rows = {r["accountKey"]: r for r in default["keyAccounts"]}
    small = rows["small"]["score"]
    assert rows["small"]["tier"] != "KEY" and rows["big"]["clv"] == pytest.approx(10_000.0)
    custom = await ask(Settings(tier_key_threshold=small, tier_suitable_threshold=small / 2, clv_discount_rate=0.25))
    moved = {r["accountKey"]: r for r in custom["keyAccounts"]}
    assert moved["small"]["tier"] == "KEY" and moved["big"]["clv"] == pytest.approx(4000.0)


@pytest.fixture
def cli_flags(store: GraphStore, request: pytest.FixtureRequest) -> list[str]:
    if store.backend == "falkordb":
        return ["--falkordb-url", f"unix://{request.getfixturevalue('falkordb_server').socket_path}"]
    return ["--neo4j-uri", request.getfixturevalue("neo4j_server").bolt_uri]


async def run_report(*args: str) -> Any:
    from click.testing import CliRunner

    from relgraph.cli.report import command

    return await asyncio.to_thread(CliRunner().invoke, command, list(args), catch_exceptions=False)


async def test_report_flags_for_tiers_and_discount(store: GraphStore, cli_flags: list[str]) -> None:
    await build_book(store)
    base = ["key-accounts", "--format", "json", "--as-of", NOW.isoformat(), *cli_flags]
    default = {r["account_id"]: r for r in json.loads((await run_report(*base)).output)}
    small = default["small"]["score"]
    assert default["small"]["tier"] != "KEY" and default["big"]["clv"] == pytest.approx(10_000.0)
    flags = ["--tier-key-threshold", repr(small), "--tier-suitable-threshold", "0", "--clv-discount-rate", "0.5"]
    moved = {r["account_id"]: r for r in json.loads((await run_report(*base, *flags)).output)}
    assert moved["small"]["tier"] == "KEY" and moved["big"]["clv"] == pytest.approx(2000.0)
    # out of range, out of order, or ahead of the clock: a usage error (exit 2), nothing run
    for bad in (["--tier-key-threshold", "1.5"], ["--tier-key-threshold", "0.2", "--tier-suitable-threshold", "0.3"],
                ["--clv-discount-rate", "-0.1"], ["--clv-discount-rate", "inf"]):
        result = await run_report(*base, *bad)
        assert result.exit_code == 2, (bad, result.output)
    future = await run_report("at-risk", "--as-of", (NOW + timedelta(days=2)).isoformat(), *cli_flags)
    assert future.exit_code == 2 and "future" in future.output
