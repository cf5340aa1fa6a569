"""Key accounts and account care over GraphQL (DOMAIN.md §4, §5), on both backends."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from .support import Api

NOW = datetime.now(timezone.utc)
CUSTOMER = {"kind": "CUSTOMER", "form": "ORGANIZATION"}


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def ix(id: str, kind: str, who: str, other: str, days: float, value: float | None = None) -> dict[str, Any]:
    return {"id": id, "type": kind, "initiator_id": who, "participant_ids": [other], "at": ago(days), "value": value}


@pytest.fixture
async def net(api: Api) -> Api:
    store = api.store
    await store.upsert_stakeholders([
        {"id": "us", "kind": "EMPLOYEE", "form": "ORGANIZATION", "name": "Us", "is_us": True},
        {"id": "e1", "kind": "EMPLOYEE", "form": "PERSON", "name": "Emma"},
        {"id": "a", **CUSTOMER, "name": "Acme", "tier": "KEY"},
        {"id": "b", **CUSTOMER, "name": "Beta", "potential": 5000.0},
        {"id": "c", **CUSTOMER, "name": "Cito"},
        {"id": "comp", "kind": "COMPETITOR", "form": "ORGANIZATION", "name": "Rival"},
    ])
    await store.upsert_relationships([
        {"id": "w1", "type": "WORKS_FOR", "from_id": "e1", "to_id": "us"},
        {"id": "bf", "type": "BUYS_FROM", "from_id": "b", "to_id": "comp", "started_at": ago(100)},
    ])
    await store.record_interactions([
        ix("o1", "ORDER", "a", "us", 10, 1000.0), ix("o2", "ORDER", "b", "us", 20, 100.0),
        ix("m1", "MEETING", "e1", "a", 5), ix("m2", "MEETING", "a", "e1", 4),
        ix("x1", "MEETING", "comp", "b", 3), ix("x2", "MEETING", "b", "comp", 2),
    ])
    await store.upsert_complaints([
        {"id": f"q-{s}", "stakeholder_id": s, "channel": "PHONE", "category": "delivery", "received_at": ago(d)}
        for s, d in (("a", 10), ("b", 3), ("c", 0.5))
    ])
    await store.set_account_plans([{"account_id": "a", "owner_id": "e1", "next_contact_due": ago(2)}])
    return api


KEY_ACCOUNTS = """
query($tier: Tier, $first: Int! = 50, $after: String, $weights: KeyAccountWeightsInput) {
  keyAccounts(tier: $tier, first: $first, after: $after, weights: $weights) {
    accountKey score tier storedTier abcClass revenue12m lossImpact transactional transactionalReasons
    breakdown { stability revenueShare dependency potential influence }
    account { name }
  }
}"""


async def test_key_accounts_sorted_with_breakdown(net: Api) -> None:
    rows = (await net.data(KEY_ACCOUNTS))["keyAccounts"]
    assert [r["accountKey"] for r in rows][:1] == ["a"]
    a = rows[0]
    assert a["account"]["name"] == "Acme" and a["storedTier"] == "KEY" and a["abcClass"] == "A"
    assert a["revenue12m"] == pytest.approx(1000.0) and a["breakdown"]["revenueShare"] == pytest.approx(1.0)
    b = next(r for r in rows if r["accountKey"] == "b")
    # b only orders from us, but an order is answered by its delivery: not one-way contact
    assert b["transactional"] and b["transactionalReasons"] == [
        "PRICE_DRIVEN", "LOW_SWITCHING_COST", "TIES_TO_COMPETITORS"]
    assert not a["transactional"]
    assert b["breakdown"]["potential"] == pytest.approx(5000 / 5100)
    scores = [r["score"] for r in rows]
    assert scores == sorted(scores, reverse=True)
    only_potential = {"stability": 0, "revenueShare": 0, "dependency": 0, "potential": 1, "influence": 0}
    top = (await net.data(KEY_ACCOUNTS, weights=only_potential, first=1))["keyAccounts"]
    assert [r["accountKey"] for r in top] == ["b"] and top[0]["score"] == pytest.approx(5000 / 5100)
    assert top[0]["tier"] == "KEY"
    page = (await net.data(KEY_ACCOUNTS, first=1, after=rows[0]["accountKey"]))["keyAccounts"]
    assert [r["accountKey"] for r in page] == [rows[1]["accountKey"]]
    general = (await net.data(KEY_ACCOUNTS, tier="GENERAL"))["keyAccounts"]
    assert general and all(r["tier"] == "GENERAL" for r in general)


async def test_care_lists(net: Api) -> None:
    data = await net.data("""{
      atRiskAccounts(first: 10) { keyAccount { accountKey } reasons openComplaints overdueComplaints }
      contestedAccounts(first: 10) {
        accountKey ourStrength lead ourRank competitors { competitorKey strength stronger competitor { name } }
      }
      overdueContacts(first: 10) { accountKey ownerKey overdueDays account { name } }
      systemicIssues(windowDays: 30, minCustomers: 3) { category customerKeys count }
      networkSummary {
        byKind { kind count } byTier { tier count } revenueByAbc { abcClass revenue accounts }
        openComplaints overdueComplaints overdueContacts
      }
    }""")
    (risk,) = data["atRiskAccounts"]
    assert risk["keyAccount"]["accountKey"] == "a"
    assert {"OPEN_COMPLAINTS", "OVERDUE_COMPLAINTS", "SINGLE_THREADED"} <= set(risk["reasons"])
    (contest,) = data["contestedAccounts"]
    assert contest["accountKey"] == "b" and contest["ourRank"] == 2 and contest["lead"] < 0
    assert contest["competitors"][0]["competitor"]["name"] == "Rival" and contest["competitors"][0]["stronger"]
    (overdue,) = data["overdueContacts"]
    assert overdue["accountKey"] == "a" and overdue["ownerKey"] == "e1" and overdue["overdueDays"] == pytest.approx(2, abs=0.1)
    assert data["systemicIssues"] == [{"category": "delivery", "customerKeys": ["a", "b", "c"], "count": 3}]
    summary = data["networkSummary"]
    assert {r["kind"]: r["count"] for r in summary["byKind"]} == {"CUSTOMER": 3, "COMPETITOR": 1, "EMPLOYEE": 2}
    assert summary["byTier"] == [{"tier": "KEY", "count": 1}]
    assert summary["revenueByAbc"][0] == {"abcClass": "A", "revenue": 1000.0, "accounts": 1}
    assert (summary["openComplaints"], summary["overdueComplaints"], summary["overdueContacts"]) == (3, 2, 1)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("{ keyAccounts(first: 0) { score } }", "first"),
        ("{ keyAccounts(weights: {potential: -1}) { score } }", "weights.potential"),
        ("{ keyAccounts(weights: {stability: 0, revenueShare: 0, dependency: 0, potential: 0, influence: 0}) { score } }",
         "weights"),
        ("{ keyAccounts(weights: {stability: 1e308, revenueShare: 1e308, dependency: 1e308, potential: 1e308, "
         "influence: 1e308}) { score } }", "weights"),  # each is finite, their sum is not
        ('{ keyAccounts(after: "nobody") { score } }', "after"),
        ("{ atRiskAccounts(first: 100000) { reasons } }", "first"),
        ("{ contestedAccounts(first: -1) { lead } }", "first"),
        ("{ overdueContacts(first: 0) { accountKey } }", "first"),
        ("{ systemicIssues(windowDays: 0) { category } }", "windowDays"),
        ("{ systemicIssues(minCustomers: 0) { category } }", "minCustomers"),
    ],
)
async def test_bad_arguments(api: Api, query: str, field: str) -> None:
    error = await api.error(query)
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and error["extensions"]["field"] == field


PROSPECTS_AND_SUPPLIERS = """
query($demand: [Demand!], $after: String) {
  prospects(demand: $demand, first: 10, after: $after) {
    accountKey name demand recordedDemand potential signals { enquiries feedback engagement } account { key }
  }
  supplierDependency(first: 5) {
    totalSpend hhi effectiveSuppliers
    suppliers { supplierKey name spend orders active share category categoryShare lossImpact soleSource supplier { name } }
  }
}"""


@pytest.fixture
async def more(net: Api) -> Api:
    """`net` plus a prospect that e-mailed us (p1), and two suppliers we ordered from."""
    store = net.store
    await store.upsert_stakeholders([
        {"id": "p1", **CUSTOMER, "name": "Pilot", "potential": 100.0},
        {"id": "pp", "kind": "CUSTOMER", "form": "PERSON", "name": "Pia"},
        {"id": "s1", "kind": "SUPPLIER", "form": "ORGANIZATION", "name": "Ship", "industry": "logistics"},
        {"id": "s2", "kind": "SUPPLIER", "form": "ORGANIZATION", "name": "Crate"},
    ])
    await store.upsert_relationships([{"id": "w-pp", "type": "WORKS_FOR", "from_id": "pp", "to_id": "p1"}])
    await store.record_interactions([
        ix("pq", "EMAIL", "pp", "e1", 2), ix("po1", "ORDER", "us", "s1", 30, 300.0), ix("po2", "ORDER", "us", "s2", 40, 100.0),
    ])
    return net


async def test_prospects_and_supplier_dependency(more: Api) -> None:
    data = await more.data(PROSPECTS_AND_SUPPLIERS)
    assert [(p["accountKey"], p["demand"]) for p in data["prospects"]] == [("p1", "CLEAR"), ("c", "NONE")]
    p1 = data["prospects"][0]
    assert p1["signals"] == {"enquiries": 1, "feedback": 0, "engagement": 0} and p1["recordedDemand"] is None
    assert p1["account"] == {"key": "p1"} and p1["potential"] == 100.0
    assert [p["accountKey"] for p in (await more.data(PROSPECTS_AND_SUPPLIERS, demand=["NONE"]))["prospects"]] == ["c"]
    assert [p["accountKey"] for p in (await more.data(PROSPECTS_AND_SUPPLIERS, after="p1"))["prospects"]] == ["c"]
    dep = data["supplierDependency"]
    assert dep["totalSpend"] == 400.0 and dep["hhi"] == pytest.approx(0.75**2 + 0.25**2)
    assert dep["effectiveSuppliers"] == pytest.approx(1 / 0.625)
    s1, s2 = dep["suppliers"]
    assert s1 == {"supplierKey": "s1", "name": "Ship", "spend": 300.0, "orders": 1, "active": False, "share": 0.75,
                  "category": "logistics", "categoryShare": 1.0, "lossImpact": 0.75, "soleSource": True,
                  "supplier": {"name": "Ship"}}
    assert s2["supplierKey"] == "s2" and s2["category"] is None and s2["lossImpact"] == 0.25


SUMMARY = """{ networkSummary {
  byChannelState { channelState count } openComplaints overdueComplaints
  complaintSatisfaction { windowDays resolved rated average }
} }"""
MOVE = """mutation($input: TransitionComplaintInput!) { transitionComplaint(input: $input) { complaint { key status satisfaction } } }"""


async def test_summary_channels_and_satisfaction_follow_writes(net: Api) -> None:
    before = (await net.data(SUMMARY))["networkSummary"]
    # ties: a-us and b-us (orders, answered by their delivery), a-e1 and b-comp: all blocked,
    # as a and b have overdue complaints
    assert before["byChannelState"] == [
        {"channelState": "OPEN", "count": 0}, {"channelState": "BLOCKED", "count": 4}, {"channelState": "BROKEN", "count": 0}]
    assert (before["openComplaints"], before["complaintSatisfaction"]) == (
        3, {"windowDays": 90.0, "resolved": 0, "rated": 0, "average": None})
    moved = await net.data(MOVE, input={"id": "q-b", "status": "RESOLVED", "satisfaction": 0.5})
    assert moved["transitionComplaint"]["complaint"] == {"key": "q-b", "status": "RESOLVED", "satisfaction": 0.5}
    after = (await net.data(SUMMARY))["networkSummary"]  # the cached summary is dropped on the write
    assert after["openComplaints"] == 2
    assert after["complaintSatisfaction"] == {"windowDays": 90.0, "resolved": 1, "rated": 1, "average": 0.5}
    # b's complaint is resolved: b-comp is open now, and so is b-us (an order 20 days ago:
    # 2 from b, 1 back, r = 2/3, S = 0.24); a's two ties stay blocked
    assert after["byChannelState"] == [
        {"channelState": "OPEN", "count": 2}, {"channelState": "BLOCKED", "count": 2}, {"channelState": "BROKEN", "count": 0}]


async def test_key_accounts_see_a_write_at_once(net: Api) -> None:
    query = "{ keyAccounts(first: 10) { accountKey revenue12m } }"
    before = {r["accountKey"]: r["revenue12m"] for r in (await net.data(query))["keyAccounts"]}
    assert before["c"] == 0.0
    record = """mutation($batch: RecordInteractionsInput!) { recordInteractions(input: $batch) { interactions { key } } }"""
    await net.data(record, batch={"interactions": [
        {"key": "big", "type": "ORDER", "at": ago(1).isoformat(), "initiator": "c", "participants": ["us"], "value": 5000.0}]})
    after = {r["accountKey"]: r["revenue12m"] for r in (await net.data(query))["keyAccounts"]}
    assert after["c"] == 5000.0


async def test_amounts_are_bounded_so_that_network_figures_stay_finite(net: Api) -> None:
    """An amount of 1e308 is refused; many of the largest accepted ones still add up."""
    record = """mutation($batch: RecordInteractionsInput!) { recordInteractions(input: $batch) { interactions { key } } }"""
    order = {"type": "ORDER", "at": ago(1).isoformat(), "initiator": "c", "participants": ["us"]}
    error = (await net.errors(record, batch={"interactions": [{**order, "key": "huge", "value": 1e308}]}))[0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and error["extensions"]["field"].endswith("value")
    assert "1000000000000000" in error["message"]
    potential = 'mutation { updateStakeholder(input: {id: "b", potential: 1e308}) { stakeholder { key } } }'
    assert (await net.error(potential))["extensions"]["code"] == "BAD_USER_INPUT"

    top = 1e15
    await net.data(record, batch={"interactions": [{**order, "key": f"top{n}", "value": top} for n in range(20)]})
    await net.data('mutation { updateStakeholder(input: {id: "b", potential: 1e15}) { stakeholder { key } } }')
    query = "{ keyAccounts(first: 10) { accountKey revenue12m clv potential score } networkSummary { revenueByAbc { revenue } } }"
    data = await net.data(query)
    rows = {r["accountKey"]: r for r in data["keyAccounts"]}
    assert rows["c"]["revenue12m"] == 20 * top and rows["b"]["potential"] == top
    assert all(0.0 <= r["score"] <= 1.0 for r in rows.values())
    assert sum(r["revenue"] for r in data["networkSummary"]["revenueByAbc"]) >= 20 * top


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("{ prospects(first: 0) { accountKey } }", "first"),
        ('{ prospects(after: "nobody") { accountKey } }', "after"),
        ("{ supplierDependency(first: 0) { hhi } }", "first"),
        ("{ networkSummary(satisfactionWindowDays: 0) { openComplaints } }", "satisfactionWindowDays"),
    ],
)
async def test_bad_arguments_of_new_fields(api: Api, query: str, field: str) -> None:
    error = await api.error(query)
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and error["extensions"]["field"] == field


# -- listening and as of ------------------------------------------------------------------


@pytest.fixture
async def heard(net: Api) -> Api:
    """`net` plus what Acme told us: its own feedback 30 days ago (0.8), and its buyer Pam's
    100 days ago (0.2), in the 90 days before."""
    store = net.store
    await store.upsert_stakeholders([{"id": "pam", "kind": "CUSTOMER", "form": "PERSON", "name": "Pam"}])
    await store.upsert_relationships([{"id": "w-pam", "type": "WORKS_FOR", "from_id": "pam", "to_id": "a"}])
    await store.record_interactions([
        {**ix("f1", "FEEDBACK", "a", "e1", 30), "sentiment": 0.8},
        {**ix("f2", "FEEDBACK", "pam", "e1", 100), "sentiment": 0.2},
    ])
    return net


SENTIMENT = "recentSentiment { average count previousAverage previousCount change windowDays asOf }"


async def test_recent_sentiment_on_the_record_and_the_key_account(heard: Api) -> None:
    then = ago(40).replace(microsecond=0)
    data = await heard.data(f"""query($then: DateTime!) {{
      stakeholder(id: "a") {{ name {SENTIMENT} past: recentSentiment(asOf: $then) {{ average count change asOf }} }}
      keyAccounts(first: 1) {{ accountKey asOf {SENTIMENT} }}
      old: keyAccounts(asOf: $then) {{ accountKey asOf {SENTIMENT} }}
    }}""", then=then.isoformat())
    acme = data["stakeholder"]["recentSentiment"]
    assert (acme["average"], acme["count"], acme["previousAverage"], acme["previousCount"]) == (0.8, 1, 0.2, 1)
    assert acme["change"] == pytest.approx(0.6) and acme["windowDays"] == 90.0
    # 40 days ago: Pam's 0.2 was recent, nothing before it, so no change to report
    assert data["stakeholder"]["past"] == {"average": 0.2, "count": 1, "change": None,
                                           "asOf": then.isoformat(timespec="milliseconds").replace("+00:00", "Z")}
    (key,) = data["keyAccounts"]
    assert key["accountKey"] == "a" and key["recentSentiment"]["average"] == 0.8
    assert key["recentSentiment"]["asOf"] == key["asOf"]
    old = next(r for r in data["old"] if r["accountKey"] == "a")
    assert old["asOf"] == data["stakeholder"]["past"]["asOf"] == old["recentSentiment"]["asOf"]
    assert (old["recentSentiment"]["average"], old["recentSentiment"]["count"]) == (0.2, 1)
    nothing = (await heard.data(f'{{ stakeholder(id: "c") {{ {SENTIMENT} }} }}'))["stakeholder"]["recentSentiment"]
    assert (nothing["average"], nothing["count"], nothing["previousAverage"], nothing["change"]) == (None, 0, None, None)


AS_OF = """query($at: DateTime) {
  keyAccounts(asOf: $at) { accountKey revenue12m }
  atRiskAccounts(asOf: $at) { keyAccount { accountKey } reasons openComplaints overdueComplaints }
  contestedAccounts(asOf: $at) { accountKey competitors { competitorKey strength } }
  networkSummary(asOf: $at) { openComplaints overdueComplaints revenueByAbc { abcClass revenue } }
  prospects(asOf: $at) { accountKey }
}"""


async def test_lists_as_of_a_past_moment(net: Api) -> None:
    await net.data(MOVE, input={"id": "q-a", "status": "RESOLVED"})  # Acme's complaint, resolved now
    now = await net.data(AS_OF)
    day = await net.data(AS_OF, at=ago(1).isoformat())
    fortnight = await net.data(AS_OF, at=ago(15).isoformat())
    assert (await net.data(AS_OF)) == now  # the past answers did not replace the present ones

    # yesterday q-a (received 10 days ago, no response) was open and overdue, q-b (3 days) overdue,
    # q-c (received 12 hours ago) not there yet; now q-a is resolved and q-c is not yet due
    assert (now["networkSummary"]["openComplaints"], now["networkSummary"]["overdueComplaints"]) == (2, 1)
    assert (day["networkSummary"]["openComplaints"], day["networkSummary"]["overdueComplaints"]) == (2, 2)
    (risk_now,) = now["atRiskAccounts"]
    (risk_day,) = day["atRiskAccounts"]
    assert risk_now["keyAccount"]["accountKey"] == risk_day["keyAccount"]["accountKey"] == "a"
    assert (risk_now["openComplaints"], risk_day["openComplaints"], risk_day["overdueComplaints"]) == (0, 1, 1)
    assert "OPEN_COMPLAINTS" not in risk_now["reasons"] and "OVERDUE_COMPLAINTS" in risk_day["reasons"]

    # a fortnight ago Acme had not ordered (o1: 10 days ago): no revenue, and still a prospect
    revenue = {d: {r["accountKey"]: r["revenue12m"] for r in x["keyAccounts"]} for d, x in ((0, now), (15, fortnight))}
    assert revenue == {0: {"a": 1000.0, "b": 100.0, "c": 0.0}, 15: {"a": 0.0, "b": 100.0, "c": 0.0}}
    assert fortnight["networkSummary"]["revenueByAbc"][0] == {"abcClass": "A", "revenue": 100.0}
    assert [p["accountKey"] for p in now["prospects"]] == ["c"]
    assert [p["accountKey"] for p in fortnight["prospects"]] == ["a", "c"]
    # Beta met the rival 3 and 2 days ago: no measured tie to it a fortnight ago
    (contest_now,) = now["contestedAccounts"]
    (contest_then,) = fortnight["contestedAccounts"]
    assert contest_now["competitors"][0]["strength"] > 0 and contest_then["competitors"] == [
        {"competitorKey": "comp", "strength": 0.0}]


@pytest.mark.parametrize(
    "field",
    ["keyAccounts", "atRiskAccounts", "contestedAccounts", "overdueContacts", "systemicIssues", "networkSummary",
     "prospects", "supplierDependency"],
)
async def test_as_of_in_the_future_is_bad_input(api: Api, field: str) -> None:
    selection = {"networkSummary": "openComplaints", "supplierDependency": "hhi", "systemicIssues": "category",
                 "overdueContacts": "accountKey", "atRiskAccounts": "reasons", "contestedAccounts": "accountKey"}
    query = f"query($at: DateTime) {{ {field}(asOf: $at) {{ {selection.get(field, 'accountKey')} }} }}"
    error = await api.error(query, at=(datetime.now(timezone.utc) + timedelta(days=1)).isoformat())
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and error["extensions"]["field"] == "asOf"
    assert "future" in error["message"]
    assert await api.data(query, at=datetime.now(timezone.utc).isoformat())  # now itself is fine


async def test_recent_sentiment_as_of_the_future_is_bad_input(network: Api) -> None:
    key = (await network.data("{ stakeholders(first: 1) { nodes { key } } }"))["stakeholders"]["nodes"][0]["key"]
    error = await network.error(
        "query($id: ID!, $at: DateTime) { stakeholder(id: $id) { recentSentiment(asOf: $at) { count } } }",
        id=key, at="2999-01-01T00:00:00Z",
    )
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and error["extensions"]["field"] == "asOf"


PLAN_AND_OVERDUE = """query {
  accountPlan(account: "a") { nextContactDue lastContactAt cadenceDays }
  overdueContacts(first: 10) { accountKey overdueDays dueAt lastContactAt }
}"""


async def test_a_visit_recorded_over_the_api_moves_the_plan(net: Api) -> None:
    """The owner's date (2 days ago) stands while the last contact (the meeting 4 days
    ago) is older than the plan; a visit of e1 to a, recorded now, makes the next contact
    due 14 days (KEY) after it and takes a off the overdue list at once."""
    before = await net.data(PLAN_AND_OVERDUE)
    assert before["accountPlan"]["cadenceDays"] == 14
    assert before["accountPlan"]["lastContactAt"] == _iso(ago(4))
    (late,) = before["overdueContacts"]
    assert late["accountKey"] == "a" and late["overdueDays"] == pytest.approx(2, abs=0.01)
    # an e-mail from the customer is no contact by us: nothing moves
    await net.data(RECORD, input={"interactions": [
        {"key": "mail-in", "type": "EMAIL", "at": _iso(datetime.now(timezone.utc)), "initiator": "a", "participants": ["e1"]}]})
    (still,) = (await net.data(PLAN_AND_OVERDUE))["overdueContacts"]
    assert (still["accountKey"], still["dueAt"], still["lastContactAt"]) == ("a", late["dueAt"], late["lastContactAt"])
    now = datetime.now(timezone.utc)
    visited = now.replace(microsecond=now.microsecond // 1000 * 1000)  # after the plan was set
    await net.data(RECORD, input={"interactions": [
        {"key": "visit", "type": "VISIT", "at": _iso(visited), "initiator": "e1", "participants": ["a"]}]})
    after = await net.data(PLAN_AND_OVERDUE)
    assert after["accountPlan"]["lastContactAt"] == _iso(visited)
    assert after["accountPlan"]["nextContactDue"] == _iso(visited + timedelta(days=14))
    assert after["overdueContacts"] == []


RECORD = "mutation($input: RecordInteractionsInput!) { recordInteractions(input: $input) { interactions { key } } }"
SET_PLAN = "mutation($input: SetAccountPlanInput!) { setAccountPlan(input: $input) { accountPlan { key } } }"


def _iso(t: datetime) -> str:
    return t.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@pytest.mark.parametrize(
    ("owner", "account", "field"),
    [("a", "b", "input.owner"), ("us", "b", "input.owner"), ("e1", "comp", "input.account"),
     ("e1", "e1", "input.account")],
)
async def test_plan_owner_and_account_are_checked(net: Api, owner: str, account: str, field: str) -> None:
    error = await net.error(SET_PLAN, input={"account": account, "owner": owner})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
    assert (await net.data("{ accountPlan(account: \"b\") { key } }"))["accountPlan"] is None


async def test_systemic_issue_counts_an_organisation_and_its_people_once(net: Api) -> None:
    """a, b and c complained about delivery (10, 3 and 0.5 days ago); two of a's people
    complain too: still three customers, five complaints."""
    store = net.store
    await store.upsert_stakeholders([
        {"id": f"p{n}", "kind": "CUSTOMER", "form": "PERSON", "name": f"Person {n}"} for n in (1, 2)])
    await store.upsert_relationships([
        {"id": f"w-p{n}", "type": "WORKS_FOR", "from_id": f"p{n}", "to_id": "a", "started_at": ago(400)} for n in (1, 2)])
    await store.upsert_complaints([
        {"id": f"q-p{n}", "stakeholder_id": f"p{n}", "channel": "EMAIL", "category": "delivery", "received_at": ago(n)}
        for n in (1, 2)])
    query = """query($min: Int!) { systemicIssues(windowDays: 30, minCustomers: $min) {
                 category customerKeys customerCount complainantKeys count } }"""
    assert (await net.data(query, min=3))["systemicIssues"] == [{
        "category": "delivery", "customerKeys": ["a", "b", "c"], "customerCount": 3,
        "complainantKeys": ["a", "b", "c", "p1", "p2"], "count": 5,
    }]
    assert (await net.data(query, min=4))["systemicIssues"] == []
