"""One conformance suite for the store interface, run on both backends.

Every write and every refused input is checked against what the database really holds
afterwards: a refused write must leave no trace.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from relgraph.domain.enums import ComplaintStatus, RelationshipType, Role, Tier
from relgraph.errors import BadUserInput, Conflict, NotFound
from relgraph.store.graph_store import GraphStore

T0 = datetime(2026, 1, 5, 9, 30, tzinfo=timezone.utc)


def person(id: str, kind: str = "CUSTOMER", **extra: Any) -> dict[str, Any]:
    return {"id": id, "kind": kind, "form": "PERSON", "name": f"Person {id}", **extra}


def org(id: str, kind: str = "CUSTOMER", **extra: Any) -> dict[str, Any]:
    return {"id": id, "kind": kind, "form": "ORGANIZATION", "name": f"Org {id}", **extra}


async def count(store: GraphStore, label: str) -> int:
    assert label in {"Stakeholder", "Interaction", "Complaint", "AccountPlan"}
    rows = await store.runner.read(f"MATCH (n:{label}) RETURN count(n) AS n")
    return rows[0]["n"]


async def count_relationships(store: GraphStore) -> int:
    rows = await store.runner.read(
        f"MATCH (:Stakeholder)-[r:{'|'.join(t.value for t in RelationshipType)}]->(:Stakeholder) RETURN count(r) AS n"
    )
    return rows[0]["n"]


@pytest.fixture
async def network(store: GraphStore) -> GraphStore:
    """Us, an employee, a customer organisation with a contact, and a competitor."""
    await store.create_stakeholder(org("us", kind="EMPLOYEE", is_us=True, name="Us Ltd"))
    await store.create_stakeholder(person("emp-1", kind="EMPLOYEE"))
    await store.create_stakeholder(org("cust-1", industry="steel", region="north", tags=["b2b"]))
    await store.create_stakeholder(person("contact-1"))
    await store.create_stakeholder(org("comp-1", kind="COMPETITOR"))
    return store


# -- stakeholders ------------------------------------------------------------------------


async def test_create_and_read_stakeholder(store: GraphStore) -> None:
    created = await store.create_stakeholder(
        org("c1", industry="retail", region="east", tags=["vip", "b2b"], tier="KEY", potential=1e6, since=T0)
    )
    (read,) = await store.stakeholders(["c1"])
    assert read == created
    assert read.tier is Tier.KEY and read.tags == ["vip", "b2b"] and read.since == T0
    assert read.created_at.tzinfo is not None and not read.archived


async def test_generated_ids_are_stable_and_unique(store: GraphStore) -> None:
    a = await store.create_stakeholder({"kind": "SUPPLIER", "form": "ORGANIZATION", "name": "A"})
    b = await store.create_stakeholder({"kind": "SUPPLIER", "form": "ORGANIZATION", "name": "A"})
    assert a.id != b.id
    assert (await store.stakeholder(a.id)).id == a.id


async def test_unicode_and_quotes_are_stored_literally(store: GraphStore) -> None:
    name = "O'Brien \"Ltd\" `x` \\u0060 // 中文 é 😀 UNION CALL DETACH DELETE"
    await store.create_stakeholder(org("q1", name=name))
    assert (await store.stakeholder("q1")).name == name
    assert await count(store, "Stakeholder") == 1


async def test_duplicate_id_on_create_is_conflict_and_writes_nothing(store: GraphStore) -> None:
    await store.create_stakeholder(org("dup", name="First"))
    with pytest.raises(Conflict) as err:
        await store.create_stakeholder(org("dup", name="Second"))
    assert err.value.field == "id"
    assert (await store.stakeholder("dup")).name == "First"
    assert await count(store, "Stakeholder") == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"id": "x", "kind": "FRIEND", "form": "PERSON", "name": "x"}, "kind"),
        ({"id": "x", "kind": "CUSTOMER", "form": "ROBOT", "name": "x"}, "form"),
        ({"id": "x", "kind": "CUSTOMER", "form": "PERSON"}, "name"),
        ({"id": "x", "form": "PERSON", "name": "x"}, "kind"),
        ({"id": "x", "kind": "CUSTOMER", "form": "PERSON", "name": "x", "since": "yesterday"}, "since"),
        ({"id": "x", "kind": "CUSTOMER", "form": "PERSON", "name": "x", "margin": 1.5}, "margin"),
        ({"id": "x", "kind": "CUSTOMER", "form": "PERSON", "name": "x", "colour": "red"}, "colour"),
    ],
)
async def test_bad_stakeholder_input_names_the_field(store: GraphStore, data: dict[str, Any], field: str) -> None:
    with pytest.raises(BadUserInput) as err:
        await store.create_stakeholder(data)
    assert err.value.field == field
    assert await count(store, "Stakeholder") == 0


async def test_update_changes_only_given_fields(network: GraphStore) -> None:
    before = await network.stakeholder("cust-1")
    after = await network.update_stakeholder("cust-1", {"name": "Renamed", "tags": ["x"]})
    assert after.name == "Renamed" and after.tags == ["x"]
    assert after.industry == before.industry and after.created_at == before.created_at
    assert after.updated_at >= before.updated_at


async def test_update_unknown_and_bad_patch(network: GraphStore) -> None:
    with pytest.raises(NotFound):
        await network.update_stakeholder("nobody", {"name": "x"})
    with pytest.raises(BadUserInput) as err:
        await network.update_stakeholder("cust-1", {"kind": "SUPPLIER"})
    assert err.value.field == "kind"
    assert (await network.stakeholder("cust-1")).kind.value == "CUSTOMER"


async def test_archive_keeps_the_stakeholder(network: GraphStore) -> None:
    archived = await network.archive_stakeholder("contact-1")
    again = await network.archive_stakeholder("contact-1")
    assert archived.archived and archived.archived_at == again.archived_at
    assert await count(network, "Stakeholder") == 5
    with pytest.raises(NotFound):
        await network.archive_stakeholder("nobody")


async def test_upsert_stakeholders_is_idempotent(store: GraphStore) -> None:
    batch = [org(f"o{i}", region="west") for i in range(120)]
    assert await store.upsert_stakeholders(batch) == 120
    assert await store.upsert_stakeholders(batch) == 120
    assert await count(store, "Stakeholder") == 120
    with pytest.raises(BadUserInput) as err:
        await store.upsert_stakeholders([org("ok"), {"id": "bad", "kind": "X", "form": "PERSON", "name": "b"}])
    assert err.value.field == "kind"
    assert await count(store, "Stakeholder") == 120


# -- relationships -----------------------------------------------------------------------


async def test_relate_end_and_read(network: GraphStore) -> None:
    rel = await network.relate(
        {"id": "r1", "type": "WORKS_FOR", "from_id": "contact-1", "to_id": "cust-1", "role": "DECISION_MAKER", "started_at": T0}
    )
    assert rel.role is Role.DECISION_MAKER and rel.started_at == T0 and rel.active
    assert await network.relate({"id": "r1", "type": "WORKS_FOR", "from_id": "contact-1", "to_id": "cust-1", "role": "DECISION_MAKER", "started_at": T0}) == rel
    ended = await network.end_relationship("r1", at=T0 + timedelta(days=30), reason="moved on")
    assert ended.ended_at == T0 + timedelta(days=30) and ended.end_reason == "moved on"
    assert (await network.relationship("r1")).ended_at == ended.ended_at
    of = await network.relationships_of(["cust-1", "contact-1", "us"])
    assert [r.id for r in of["cust-1"]] == ["r1"] and [r.id for r in of["contact-1"]] == ["r1"]
    assert of["us"] == []
    assert await count_relationships(network) == 1


async def test_relationship_types_each_round_trip(network: GraphStore) -> None:
    for index, rel_type in enumerate(RelationshipType):
        role = "USER" if rel_type is RelationshipType.WORKS_FOR else None
        await network.relate({"id": f"t{index}", "type": rel_type, "from_id": "emp-1", "to_id": "cust-1", "role": role})
    found = await network.relationships([f"t{i}" for i in range(len(RelationshipType))])
    assert [r.type for r in found if r] == list(RelationshipType)


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"type": "LOVES", "from_id": "emp-1", "to_id": "cust-1"}, "type", BadUserInput),
        ({"from_id": "emp-1", "to_id": "cust-1"}, "type", BadUserInput),
        ({"type": "KNOWS", "to_id": "cust-1"}, "from_id", BadUserInput),
        ({"type": "KNOWS", "from_id": "emp-1", "to_id": "ghost"}, "to_id", NotFound),
        ({"type": "KNOWS", "from_id": "ghost", "to_id": "cust-1"}, "from_id", NotFound),
        ({"type": "KNOWS", "from_id": "emp-1", "to_id": "cust-1", "role": "USER"}, None, BadUserInput),
        ({"type": "KNOWS", "from_id": "emp-1", "to_id": "cust-1", "started_at": "2026-02-30"}, "started_at", BadUserInput),
    ],
)
async def test_bad_relationship_input(network: GraphStore, data: dict[str, Any], field: str | None, error: type) -> None:
    with pytest.raises(error) as err:
        await network.relate(data)
    if field:
        assert err.value.field == field
    assert await count_relationships(network) == 0


async def test_duplicate_active_relationship_and_taken_id(network: GraphStore) -> None:
    await network.relate({"id": "k1", "type": "KNOWS", "from_id": "emp-1", "to_id": "contact-1"})
    with pytest.raises(Conflict):
        await network.relate({"type": "KNOWS", "from_id": "emp-1", "to_id": "contact-1"})
    with pytest.raises(Conflict):
        await network.relate({"id": "k1", "type": "KNOWS", "from_id": "emp-1", "to_id": "cust-1"})
    assert await count_relationships(network) == 1


async def test_end_relationship_errors(network: GraphStore) -> None:
    await network.relate({"id": "k1", "type": "KNOWS", "from_id": "emp-1", "to_id": "contact-1", "started_at": T0})
    with pytest.raises(NotFound):
        await network.end_relationship("ghost")
    with pytest.raises(BadUserInput):
        await network.end_relationship("k1", at=T0 - timedelta(days=1))
    await network.end_relationship("k1", at=T0 + timedelta(days=1))
    with pytest.raises(Conflict):
        await network.end_relationship("k1")
    assert (await network.relationship("k1")).ended_at == T0 + timedelta(days=1)


async def test_upsert_relationships_in_batches(network: GraphStore) -> None:
    await network.upsert_stakeholders([person(f"p{i}") for i in range(50)])
    batch = [{"id": f"w{i}", "type": "WORKS_FOR", "from_id": f"p{i}", "to_id": "cust-1", "role": "USER"} for i in range(50)]
    batch += [{"id": f"k{i}", "type": "KNOWS", "from_id": "emp-1", "to_id": f"p{i}"} for i in range(50)]
    assert await network.upsert_relationships(batch) == 100
    assert await network.upsert_relationships(batch) == 100
    assert await count_relationships(network) == 100
    with pytest.raises(NotFound) as err:
        await network.upsert_relationships([{"type": "KNOWS", "from_id": "emp-1", "to_id": "ghost"}])
    assert err.value.field == "to_id"
    assert await count_relationships(network) == 100


# -- interactions ------------------------------------------------------------------------


def meeting(id: str, at: datetime, **extra: Any) -> dict[str, Any]:
    return {"id": id, "type": "MEETING", "at": at, "initiator_id": "emp-1", "participant_ids": ["contact-1"], **extra}


async def test_record_interactions_one_and_batch(network: GraphStore) -> None:
    (one,) = await network.record_interactions([meeting("i0", T0, sentiment=0.5, subject="kick-off")])
    assert one.participant_ids == ["emp-1", "contact-1"] and one.sentiment == 0.5
    batch = [meeting(f"i{n}", T0 + timedelta(days=n)) for n in range(1, 31)]
    batch.append({"id": "order-1", "type": "ORDER", "at": T0, "initiator_id": "cust-1", "participant_ids": ["us"], "value": 1234.5})
    assert len(await network.record_interactions(batch)) == 31
    assert await count(network, "Interaction") == 32
    latest = (await network.interactions_of(["contact-1"], limit=3))["contact-1"]
    assert [i.id for i in latest] == ["i30", "i29", "i28"]
    window = await network.interactions_of(["emp-1"], since=T0 + timedelta(days=5), until=T0 + timedelta(days=7), limit=50)
    assert [i.id for i in window["emp-1"]] == ["i6", "i5"]
    (order,) = await network.interactions(["order-1"])
    assert order is not None and order.value == 1234.5


async def test_record_interactions_is_idempotent_by_id(network: GraphStore) -> None:
    batch = [meeting("same", T0)]
    await network.record_interactions(batch)
    await network.record_interactions(batch)
    assert await count(network, "Interaction") == 1


@pytest.mark.parametrize(
    ("change", "field", "error"),
    [
        ({"type": "DINNER"}, "interactions[1].type", BadUserInput),
        ({"at": "2026-13-01T00:00:00Z"}, "interactions[1].at", BadUserInput),
        ({"at": "not a time"}, "interactions[1].at", BadUserInput),
        ({"sentiment": 1.5}, "interactions[1].sentiment", BadUserInput),
        ({"sentiment": -1.01}, "interactions[1].sentiment", BadUserInput),
        ({"participant_ids": []}, "interactions[1].participant_ids", BadUserInput),
        ({"participant_ids": ["ghost"]}, "interactions[1].participant_ids", NotFound),
        ({"initiator_id": "ghost"}, "interactions[1].initiator_id", NotFound),
    ],
)
async def test_bad_interaction_fails_the_whole_batch(
    network: GraphStore, change: dict[str, Any], field: str, error: type
) -> None:
    good = meeting("good", T0)
    bad = {**meeting("bad", T0), **change}
    with pytest.raises(error) as err:
        await network.record_interactions([good, bad])
    assert err.value.field == field
    assert await count(network, "Interaction") == 0


# -- complaints --------------------------------------------------------------------------


async def test_complaint_lifecycle(network: GraphStore) -> None:
    filed = await network.file_complaint(
        {"id": "c1", "stakeholder_id": "cust-1", "channel": "PHONE", "category": "delivery", "severity": "HIGH", "owner_id": "emp-1", "received_at": T0}
    )
    assert filed.status is ComplaintStatus.RECEIVED
    assert filed.respond_by == T0 + timedelta(hours=24) and filed.resolve_by == T0 + timedelta(days=7)
    steps = [("ACKNOWLEDGED", None), ("ESCALATED", None), ("RESOLVED", 0.4), ("CLOSED", None)]
    for n, (status, satisfaction) in enumerate(steps, start=1):
        moved = await network.transition_complaint(
            {"id": "c1", "status": status, "at": T0 + timedelta(hours=n), "satisfaction": satisfaction}
        )
        assert moved.status.value == status
    done = (await network.complaints(["c1"]))[0]
    assert done is not None and done.closed_at == T0 + timedelta(hours=4) and done.satisfaction == 0.4
    assert [c.id for c in (await network.complaints_of(["cust-1"]))["cust-1"]] == ["c1"]


@pytest.mark.parametrize("illegal", ["CLOSED", "RECEIVED"])
async def test_illegal_complaint_transition_changes_nothing(network: GraphStore, illegal: str) -> None:
    await network.file_complaint({"id": "c1", "stakeholder_id": "cust-1", "channel": "LETTER", "category": "billing"})
    with pytest.raises(BadUserInput) as err:
        await network.transition_complaint({"id": "c1", "status": illegal})
    assert err.value.field == "status"
    assert (await network.complaints(["c1"]))[0].status is ComplaintStatus.RECEIVED  # type: ignore[union-attr]


async def test_complaint_errors(network: GraphStore) -> None:
    with pytest.raises(NotFound) as err:
        await network.file_complaint({"stakeholder_id": "ghost", "channel": "PHONE", "category": "x"})
    assert err.value.field == "stakeholder_id"
    with pytest.raises(NotFound) as err:
        await network.file_complaint({"stakeholder_id": "cust-1", "channel": "PHONE", "category": "x", "owner_id": "ghost"})
    assert err.value.field == "owner_id"
    with pytest.raises(BadUserInput) as err:
        await network.file_complaint({"stakeholder_id": "cust-1", "channel": "PIGEON", "category": "x"})
    assert err.value.field == "channel"
    await network.file_complaint({"id": "c1", "stakeholder_id": "cust-1", "channel": "PHONE", "category": "x"})
    with pytest.raises(Conflict):
        await network.file_complaint({"id": "c1", "stakeholder_id": "cust-1", "channel": "PHONE", "category": "y"})
    with pytest.raises(NotFound):
        await network.transition_complaint({"id": "ghost", "status": "ACKNOWLEDGED"})
    assert await count(network, "Complaint") == 1


# -- account plans -----------------------------------------------------------------------


async def test_account_plan_defaults_and_replacement(network: GraphStore) -> None:
    plan = await network.set_account_plan(
        {"account_id": "cust-1", "owner_id": "emp-1", "tier": "KEY", "actions": [{"what": "visit", "contact_id": "contact-1", "channel": "VISIT"}]}
    )
    assert plan.cadence_days == 14 and plan.tier is Tier.KEY
    assert plan.actions[0].contact_id == "contact-1"
    due = T0 + timedelta(days=3)
    again = await network.set_account_plan({"account_id": "cust-1", "owner_id": "emp-1", "cadence_days": 30, "next_contact_due": due})
    assert again.cadence_days == 30 and again.next_contact_due == due and again.actions == []
    assert await count(network, "AccountPlan") == 1
    assert (await network.account_plans(["cust-1"]))[0] == again


async def test_account_plan_errors(network: GraphStore) -> None:
    with pytest.raises(NotFound) as err:
        await network.set_account_plan({"account_id": "ghost", "owner_id": "emp-1"})
    assert err.value.field == "account_id"
    with pytest.raises(NotFound) as err:
        await network.set_account_plan({"account_id": "cust-1", "owner_id": "emp-1", "actions": [{"what": "x", "contact_id": "ghost"}]})
    assert err.value.field == "actions.contact_id"
    with pytest.raises(BadUserInput) as err:
        await network.set_account_plan({"account_id": "cust-1", "owner_id": "emp-1", "cadence_days": 0})
    assert err.value.field == "cadence_days"
    # the owner is one of our employees; the account a customer, and not a customer's contact person
    for owner in ("us", "contact-1", "comp-1"):
        with pytest.raises(BadUserInput) as err:
            await network.set_account_plan({"account_id": "cust-1", "owner_id": owner})
        assert err.value.field == "owner_id", owner
    await network.relate({"id": "r-c", "type": "WORKS_FOR", "from_id": "contact-1", "to_id": "cust-1", "started_at": T0})
    for account in ("comp-1", "emp-1", "us", "contact-1"):
        with pytest.raises(BadUserInput) as err:
            await network.set_account_plan({"account_id": account, "owner_id": "emp-1"})
        assert err.value.field == "account_id", account
    assert await count(network, "AccountPlan") == 0


async def test_schema_setup_is_idempotent(store: GraphStore) -> None:
    await store.setup()
    await store.setup()
    await store.ping()


# -- batch imports of complaints and plans -----------------------------------------------


async def test_upsert_complaints_keeps_their_state(network: GraphStore) -> None:
    batch = [
        {"id": "c1", "stakeholder_id": "cust-1", "channel": "PHONE", "category": "delivery", "received_at": T0,
         "status": "RESOLVED", "acknowledged_at": T0 + timedelta(hours=2), "resolved_at": T0 + timedelta(days=2), "satisfaction": 0.5},
        {"id": "c2", "stakeholder_id": "contact-1", "channel": "EMAIL", "category": "billing", "owner_id": "emp-1"},
    ]
    assert await network.upsert_complaints(batch) == 2
    assert await network.upsert_complaints(batch) == 2
    c1, c2 = await network.complaints(["c1", "c2"])
    assert c1 is not None and c1.status is ComplaintStatus.RESOLVED and c1.satisfaction == 0.5
    assert c2 is not None and c2.status is ComplaintStatus.RECEIVED
    assert await count(network, "Complaint") == 2
    with pytest.raises(NotFound):
        await network.upsert_complaints([{"stakeholder_id": "ghost", "channel": "PHONE", "category": "x"}])
    assert await count(network, "Complaint") == 2


async def test_set_account_plans_in_a_batch(network: GraphStore) -> None:
    await network.update_stakeholder("cust-1", {"tier": "SUITABLE"})
    with pytest.raises(BadUserInput) as err:  # a competitor is no account: the batch is refused whole
        await network.set_account_plans([
            {"account_id": "cust-1", "owner_id": "emp-1"},
            {"account_id": "comp-1", "owner_id": "emp-1", "tier": "KEY"},
        ])
    assert err.value.field == "account_id"
    assert await count(network, "AccountPlan") == 0
    assert await network.set_account_plans([
        {"account_id": "cust-1", "owner_id": "emp-1"},
        {"account_id": "contact-1", "owner_id": "emp-1", "tier": "KEY"},  # a customer on its own
    ]) == 2
    cust, solo = await network.account_plans(["cust-1", "contact-1"])
    assert cust is not None and cust.cadence_days == 30 and cust.tier is Tier.SUITABLE
    assert solo is not None and solo.cadence_days == 14
    assert await network.count_stakeholders() == 5
