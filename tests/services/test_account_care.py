"""Account plans that follow contacts, and systemic issues counted by organisation, on
real stores (both backends).

The network, small enough to check every figure by hand:

* ``us`` (the company) and ``e1``, one of our employees;
* ``acme`` -- a KEY customer organisation (cadence 14 days) with two people, ``pat`` and
  ``sam``, and ``ex``, who left it 10 days ago;
* ``beta`` -- a customer organisation without a tier (GENERAL: cadence 90 days);
* ``rival`` -- a competitor, whose meetings with acme are no contact of ours.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from relgraph.errors import BadUserInput
from relgraph.services import accounts
from relgraph.store.graph_store import GraphStore

NOW = datetime.now(timezone.utc).replace(microsecond=0)
ORG, PERSON = "ORGANIZATION", "PERSON"
HOUR = 1 / 24


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def ix(id: str, kind: str, who: str, other: str, days: float) -> dict[str, Any]:
    return {"id": id, "type": kind, "initiator_id": who, "participant_ids": [other], "at": ago(days)}


@pytest.fixture
async def net(store: GraphStore) -> GraphStore:
    await store.upsert_stakeholders([
        {"id": "us", "kind": "EMPLOYEE", "form": ORG, "name": "Us", "is_us": True},
        {"id": "e1", "kind": "EMPLOYEE", "form": PERSON, "name": "Emma"},
        {"id": "acme", "kind": "CUSTOMER", "form": ORG, "name": "Acme", "tier": "KEY"},
        {"id": "pat", "kind": "CUSTOMER", "form": PERSON, "name": "Pat"},
        {"id": "sam", "kind": "CUSTOMER", "form": PERSON, "name": "Sam"},
        {"id": "ex", "kind": "CUSTOMER", "form": PERSON, "name": "Ex"},
        {"id": "beta", "kind": "CUSTOMER", "form": ORG, "name": "Beta"},
        {"id": "rival", "kind": "COMPETITOR", "form": ORG, "name": "Rival"},
    ])
    await store.upsert_relationships([
        {"id": "w-e1", "type": "WORKS_FOR", "from_id": "e1", "to_id": "us", "started_at": ago(900)},
        {"id": "w-pat", "type": "WORKS_FOR", "from_id": "pat", "to_id": "acme", "started_at": ago(900)},
        {"id": "w-sam", "type": "WORKS_FOR", "from_id": "sam", "to_id": "acme", "started_at": ago(900)},
        {"id": "w-ex", "type": "WORKS_FOR", "from_id": "ex", "to_id": "acme", "started_at": ago(900),
         "ended_at": ago(10)},
    ])
    await store.record_interactions([
        ix("m-pat", "MEETING", "e1", "pat", 20),  # acme's last contact by us: 20 days ago
        ix("m-ex", "MEETING", "e1", "ex", 5),  # ex had left acme by then
        ix("m-rival", "MEETING", "rival", "acme", 2),  # not one of our people
        ix("m-beta", "MEETING", "e1", "beta", 30),
    ])
    return store


async def overdue(store: GraphStore, at: datetime = NOW) -> dict[str, float]:
    return {o.plan.account_id: o.overdue_days for o in await accounts.overdue_contacts(store, 50, at=at)}


async def test_a_recorded_visit_moves_the_next_contact(net: GraphStore) -> None:
    plan = await net.set_account_plan({"account_id": "acme", "owner_id": "e1"})
    # no date of the owner's: one cadence (KEY, 14 days) after the meeting 20 days ago
    assert plan.last_contact_at == ago(20) and plan.next_contact_due == ago(20 - 14)
    assert (await overdue(net))["acme"] == pytest.approx(6.0)
    # what our people did not do moves nothing: an e-mail from the customer, its
    # complaint, its order, a competitor's meeting
    await net.record_interactions([
        ix("mail-in", "EMAIL", "pat", "e1", 1), ix("complaint", "COMPLAINT", "sam", "e1", 1),
        ix("order", "ORDER", "acme", "us", 1), ix("rival-2", "MEETING", "rival", "pat", 1),
    ])
    (same,) = await net.account_plans(["acme"])
    assert same is not None and same.next_contact_due == ago(6)
    assert (await overdue(net))["acme"] == pytest.approx(6.0)
    # a visit by one of our employees to one of acme's people moves it at once
    await net.record_interactions([ix("visit", "VISIT", "e1", "sam", HOUR)])
    (moved,) = await net.account_plans(["acme"])
    assert moved is not None and moved.last_contact_at == ago(HOUR)
    assert moved.next_contact_due == ago(HOUR) + timedelta(days=14)
    assert "acme" not in await overdue(net)
    assert (await accounts.network_summary(net, at=NOW)).overdue_contacts == 0
    # as of two days ago the visit had not happened: acme was 4 days overdue then
    assert (await overdue(net, ago(2)))["acme"] == pytest.approx(4.0)


async def test_an_e_mail_we_send_is_a_contact(net: GraphStore) -> None:
    await net.set_account_plan({"account_id": "acme", "owner_id": "e1"})
    await net.record_interactions([ix("mail-out", "EMAIL", "e1", "pat", 3)])
    (plan,) = await net.account_plans(["acme"])
    assert plan is not None and plan.next_contact_due == ago(3 - 14)
    assert "acme" not in await overdue(net)


async def test_the_owners_date_stands_until_a_contact_comes_after_it(net: GraphStore) -> None:
    plan = await net.set_account_plan({"account_id": "beta", "owner_id": "e1", "next_contact_due": ago(3)})
    # the meeting 30 days ago came before the plan: the owner's date wins, 3 days overdue
    assert plan.next_contact_due == ago(3) and plan.last_contact_at == ago(30)
    assert (await overdue(net))["beta"] == pytest.approx(3.0)
    # a contact that happened before the plan was set (recorded late) leaves the owner's date
    await net.record_interactions([ix("visit", "VISIT", "e1", "beta", HOUR)])
    (kept,) = await net.account_plans(["beta"])
    assert kept is not None and kept.next_contact_due == ago(3) and kept.last_contact_at == ago(HOUR)
    # then beta calls us (both sides talk: a contact whoever started it): due 90 days later
    called = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(seconds=1)
    await asyncio.sleep(max(0.0, (called - datetime.now(timezone.utc)).total_seconds()))
    await net.record_interactions([{"id": "call", "type": "CALL", "initiator_id": "beta", "participant_ids": ["e1"],
                                    "at": called}])
    (moved,) = await net.account_plans(["beta"])
    assert moved is not None and moved.next_contact_due == called + timedelta(days=90)
    assert await overdue(net, called) == {}


async def test_never_contacted_counts_from_the_plan(store: GraphStore) -> None:
    await store.upsert_stakeholders([
        {"id": "e1", "kind": "EMPLOYEE", "form": PERSON, "name": "Emma"},
        {"id": "solo", "kind": "CUSTOMER", "form": PERSON, "name": "Solo buyer", "tier": "SUITABLE"},
    ])
    plan = await store.set_account_plan({"account_id": "solo", "owner_id": "e1"})
    assert plan.last_contact_at is None
    assert plan.next_contact_due - plan.updated_at == timedelta(days=30)


async def test_owner_and_account_are_checked(net: GraphStore) -> None:
    cases = [
        ({"account_id": "acme", "owner_id": "pat"}, "owner_id"),  # a customer's person
        ({"account_id": "acme", "owner_id": "us"}, "owner_id"),  # an organisation
        ({"account_id": "rival", "owner_id": "e1"}, "account_id"),  # not a customer
        ({"account_id": "pat", "owner_id": "e1"}, "account_id"),  # works for acme: plan acme
    ]
    for data, field in cases:
        with pytest.raises(BadUserInput) as err:
            await net.set_account_plan(data)
        assert err.value.field == field, data
    # ex has left acme: a customer person on its own may have a plan
    assert (await net.set_account_plan({"account_id": "ex", "owner_id": "e1"})).owner_id == "e1"
    assert await net.account_plans(["acme", "pat", "rival"]) == [None, None, None]


async def test_systemic_issues_count_organisations(net: GraphStore) -> None:
    await net.upsert_complaints([
        {"id": f"k-{who}", "stakeholder_id": who, "channel": "PHONE", "category": "delivery", "received_at": ago(d)}
        for who, d in (("acme", 5), ("pat", 4), ("sam", 3), ("beta", 2), ("ex", 1))
    ])
    (issue,) = await accounts.systemic_issues(net, 30, 3, at=NOW)
    # acme and its two people are one customer; ex had left acme when it complained
    assert issue.customers == ("acme", "beta", "ex")
    assert issue.complainants == ("acme", "beta", "ex", "pat", "sam")
    assert issue.count == 5 and issue.first_ms < issue.last_ms
    assert await accounts.systemic_issues(net, 30, 4, at=NOW) == []
    # as of 3.5 days ago: acme (itself and pat) alone
    (early,) = await accounts.systemic_issues(net, 30, 1, at=ago(3.5))
    assert early.customers == ("acme",) and early.count == 2
