"""Every mutation over HTTP: what it writes, what its payload returns, and how it refuses."""

from __future__ import annotations

from relgraph.api.ids import global_id

from .support import MAX_BATCH, Api

CREATE = """mutation($input: CreateStakeholderInput!) {
  createStakeholder(input: $input) { stakeholder { id key name kind form tags tier isUs archived createdAt } }
}"""
RELATE = """mutation($input: RelateInput!) {
  relate(input: $input) { relationship { id key type role active startedAt from { key } to { key } } }
}"""
RECORD = """mutation($input: RecordInteractionsInput!) {
  recordInteractions(input: $input) { interactions { key type at sentiment value initiator { key } participants { key } } }
}"""
FILE = """mutation($input: FileComplaintInput!) {
  fileComplaint(input: $input) { complaint { key status severity category channel stakeholder { key } owner { key } } }
}"""
MOVE = """mutation($input: TransitionComplaintInput!) {
  transitionComplaint(input: $input) { complaint { key status acknowledgedAt resolvedAt satisfaction note } }
}"""


async def create(api: Api, **fields: object) -> dict:
    base = {"kind": "CUSTOMER", "form": "ORGANIZATION", "name": "Acme"}
    return (await api.data(CREATE, input=base | fields))["createStakeholder"]["stakeholder"]


async def test_create_stakeholder(api: Api) -> None:
    made = await create(api, key="acme", tags=["steel", "key"], tier="KEY")
    assert made["id"] == global_id("Stakeholder", "acme")
    assert {k: made[k] for k in ("key", "name", "kind", "form", "tags", "tier", "isUs", "archived")} == {
        "key": "acme", "name": "Acme", "kind": "CUSTOMER", "form": "ORGANIZATION",
        "tags": ["steel", "key"], "tier": "KEY", "isUs": False, "archived": False,
    }
    generated = await create(api, name="No Key")
    assert len(generated["key"]) == 32
    stored = await api.store.stakeholder("acme")
    assert stored.name == "Acme" and stored.tier.value == "KEY"


async def test_create_duplicate_is_conflict(api: Api) -> None:
    await create(api, key="acme")
    error = await api.error(CREATE, input={"kind": "CUSTOMER", "form": "PERSON", "name": "Again", "key": "acme"})
    assert error["extensions"] == {"code": "CONFLICT", "field": "input.key"}
    assert error["path"] == ["createStakeholder"]


async def test_update_and_archive_stakeholder(api: Api) -> None:
    await create(api, key="acme", tags=["old"])
    updated = await api.data(
        """mutation($input: UpdateStakeholderInput!) { updateStakeholder(input: $input) {
             stakeholder { key name region tags margin kind } } }""",
        input={"id": global_id("Stakeholder", "acme"), "name": "Acme Group", "region": "east", "tags": ["new"], "margin": 0.25},
    )
    assert updated["updateStakeholder"]["stakeholder"] == {
        "key": "acme", "name": "Acme Group", "region": "east", "tags": ["new"], "margin": 0.25, "kind": "CUSTOMER",
    }
    archived = await api.data('mutation { archiveStakeholder(input: {id: "acme"}) { stakeholder { archived archivedAt } } }')
    assert archived["archiveStakeholder"]["stakeholder"]["archived"] is True
    assert archived["archiveStakeholder"]["stakeholder"]["archivedAt"].endswith("Z")


async def test_update_or_archive_unknown_is_not_found(api: Api) -> None:
    error = await api.error('mutation { updateStakeholder(input: {id: "ghost", name: "x"}) { stakeholder { key } } }')
    assert error["extensions"] == {"code": "NOT_FOUND", "field": "input.id"}
    error = await api.error('mutation { archiveStakeholder(input: {id: "ghost"}) { stakeholder { key } } }')
    assert error["extensions"] == {"code": "NOT_FOUND", "field": "input.id"}


async def test_relate_and_end_relationship(api: Api) -> None:
    await create(api, key="acme")
    await create(api, key="pat", form="PERSON", name="Pat")
    rel = (await api.data(RELATE, input={
        "type": "WORKS_FOR", "from": global_id("Stakeholder", "pat"), "to": "acme", "role": "INFLUENCER",
        "key": "job", "startedAt": "2023-05-01T08:00:00+02:00",
    }))["relate"]["relationship"]
    assert rel == {
        "id": global_id("Relationship", "job"), "key": "job", "type": "WORKS_FOR", "role": "INFLUENCER", "active": True,
        "startedAt": "2023-05-01T06:00:00.000Z", "from": {"key": "pat"}, "to": {"key": "acme"},
    }
    again = await api.error(RELATE, input={"type": "WORKS_FOR", "from": "pat", "to": "acme"})
    assert again["extensions"] == {"code": "CONFLICT", "field": "input.type"}

    end = """mutation($input: EndRelationshipInput!) { endRelationship(input: $input) {
               relationship { key active endedAt endReason } } }"""
    ended = (await api.data(end, input={"id": "job", "at": "2024-01-01T00:00:00Z", "reason": "left"}))
    assert ended["endRelationship"]["relationship"] == {
        "key": "job", "active": False, "endedAt": "2024-01-01T00:00:00.000Z", "endReason": "left",
    }
    twice = await api.error(end, input={"id": global_id("Relationship", "job")})
    assert twice["extensions"] == {"code": "CONFLICT", "field": "input.id"}
    unknown = await api.error(end, input={"id": "nope"})
    assert unknown["extensions"] == {"code": "NOT_FOUND", "field": "input.id"}
    await api.data(RELATE, input={"type": "WORKS_FOR", "from": "pat", "to": "acme", "key": "job2",
                                   "startedAt": "2024-02-01T00:00:00Z"})
    early = await api.error(end, input={"id": "job2", "at": "2024-01-01T00:00:00Z"})
    assert early["extensions"] == {"code": "BAD_USER_INPUT", "field": "input.at"}


async def test_relate_refusals(api: Api) -> None:
    await create(api, key="acme")
    missing = await api.error(RELATE, input={"type": "BUYS_FROM", "from": "acme", "to": "ghost"})
    assert missing["extensions"] == {"code": "NOT_FOUND", "field": "input.to"}
    role = await api.error(RELATE, input={"type": "BUYS_FROM", "from": "acme", "to": "acme", "role": "USER"})
    assert role["extensions"]["code"] == "BAD_USER_INPUT"
    wrong_type = await api.error(RELATE, input={"type": "KNOWS", "from": global_id("Complaint", "x"), "to": "acme"})
    assert wrong_type["extensions"] == {"code": "BAD_USER_INPUT", "field": "input.from"}


async def test_record_interactions(api: Api) -> None:
    await create(api, key="acme")
    await create(api, key="erin", kind="EMPLOYEE", form="PERSON", name="Erin")
    batch = [
        {"key": "call-1", "type": "CALL", "at": "2024-05-01T10:00:00Z", "initiator": "erin", "participants": ["acme"],
         "sentiment": 0.4},
        {"key": "order-1", "type": "ORDER", "at": "2024-05-02T10:00:00Z", "initiator": global_id("Stakeholder", "acme"),
         "participants": ["erin"], "value": 1200.5},
    ]
    recorded = (await api.data(RECORD, input={"interactions": batch}))["recordInteractions"]["interactions"]
    assert recorded == [
        {"key": "call-1", "type": "CALL", "at": "2024-05-01T10:00:00.000Z", "sentiment": 0.4, "value": None,
         "initiator": {"key": "erin"}, "participants": [{"key": "erin"}, {"key": "acme"}]},
        {"key": "order-1", "type": "ORDER", "at": "2024-05-02T10:00:00.000Z", "sentiment": None, "value": 1200.5,
         "initiator": {"key": "acme"}, "participants": [{"key": "acme"}, {"key": "erin"}]},
    ]
    retried = (await api.data(RECORD, input={"interactions": batch}))["recordInteractions"]["interactions"]
    assert [i["key"] for i in retried] == ["call-1", "order-1"]
    latest = await api.data('{ stakeholder(id: "acme") { interactions { totalCount } lastInteraction { key } } }')
    assert latest["stakeholder"] == {"interactions": {"totalCount": 2}, "lastInteraction": {"key": "order-1"}}


async def test_record_interactions_refusals_write_nothing(api: Api) -> None:
    await create(api, key="acme")
    await create(api, key="erin", kind="EMPLOYEE", form="PERSON", name="Erin")
    one = {"type": "CALL", "at": "2024-05-01T10:00:00Z", "initiator": "erin", "participants": ["acme"]}

    too_many = await api.error(RECORD, input={"interactions": [one] * (MAX_BATCH + 1)})
    assert too_many["extensions"] == {"code": "BAD_USER_INPUT", "field": "input.interactions"}

    bad = await api.error(RECORD, input={"interactions": [one, one | {"sentiment": 3}]})
    assert bad["extensions"] == {"code": "BAD_USER_INPUT", "field": "input.interactions[1].sentiment"}

    ghost = await api.error(RECORD, input={"interactions": [one, one | {"participants": ["ghost"]}]})
    assert ghost["extensions"]["code"] == "NOT_FOUND"
    assert ghost["extensions"]["field"].startswith("input.")

    alone = await api.error(RECORD, input={"interactions": [one | {"participants": ["erin"]}]})
    assert alone["extensions"]["code"] == "BAD_USER_INPUT"

    at_limit = (await api.data(RECORD, input={"interactions": [one] * MAX_BATCH}))["recordInteractions"]
    assert len(at_limit["interactions"]) == MAX_BATCH
    count = await api.data('{ stakeholder(id: "acme") { interactions { totalCount } } }')
    assert count["stakeholder"]["interactions"]["totalCount"] == MAX_BATCH, "only the good batch was written"


async def test_complaint_lifecycle(api: Api) -> None:
    await create(api, key="acme")
    await create(api, key="erin", kind="EMPLOYEE", form="PERSON", name="Erin")
    filed = (await api.data(FILE, input={
        "stakeholder": "acme", "channel": "LETTER", "category": "quality", "severity": "CRITICAL", "owner": "erin",
        "key": "q-1",
    }))["fileComplaint"]["complaint"]
    assert filed == {"key": "q-1", "status": "RECEIVED", "severity": "CRITICAL", "category": "quality",
                     "channel": "LETTER", "stakeholder": {"key": "acme"}, "owner": {"key": "erin"}}
    dup = await api.error(FILE, input={"stakeholder": "acme", "channel": "PHONE", "category": "x", "key": "q-1"})
    assert dup["extensions"] == {"code": "CONFLICT", "field": "input.key"}

    illegal = await api.error(MOVE, input={"id": "q-1", "status": "CLOSED"})
    assert illegal["extensions"] == {"code": "BAD_USER_INPUT", "field": "input.status"}
    assert "RECEIVED" in illegal["message"] and "CLOSED" in illegal["message"]

    acked = (await api.data(MOVE, input={"id": global_id("Complaint", "q-1"), "status": "ACKNOWLEDGED"}))
    assert acked["transitionComplaint"]["complaint"]["status"] == "ACKNOWLEDGED"
    assert acked["transitionComplaint"]["complaint"]["acknowledgedAt"].endswith("Z")
    resolved = (await api.data(MOVE, input={"id": "q-1", "status": "RESOLVED", "satisfaction": 0.8, "note": "refunded"}))
    assert resolved["transitionComplaint"]["complaint"] | {"acknowledgedAt": None, "resolvedAt": None} == {
        "key": "q-1", "status": "RESOLVED", "acknowledgedAt": None, "resolvedAt": None, "satisfaction": 0.8, "note": "refunded",
    }
    unknown = await api.error(MOVE, input={"id": "ghost", "status": "ACKNOWLEDGED"})
    assert unknown["extensions"] == {"code": "NOT_FOUND", "field": "input.id"}


async def test_file_complaint_for_unknown_stakeholder(api: Api) -> None:
    error = await api.error(FILE, input={"stakeholder": "ghost", "channel": "PHONE", "category": "x"})
    assert error["extensions"] == {"code": "NOT_FOUND", "field": "input.stakeholder"}


async def test_set_account_plan(api: Api) -> None:
    await create(api, key="acme", tier="SUITABLE")
    await create(api, key="erin", kind="EMPLOYEE", form="PERSON", name="Erin")
    plan = """mutation($input: SetAccountPlanInput!) { setAccountPlan(input: $input) { accountPlan {
                 id key tier cadenceDays nextContactDue notes account { key } owner { key }
                 actions { what due channel done contact { key } } } } }"""
    made = (await api.data(plan, input={
        "account": "acme", "owner": global_id("Stakeholder", "erin"), "notes": "grow",
        "nextContactDue": "2030-01-01T00:00:00Z",
        "actions": [{"what": "visit", "due": "2030-01-01T00:00:00Z", "channel": "VISIT", "contact": "erin"}],
    }))["setAccountPlan"]["accountPlan"]
    assert made == {
        "id": global_id("AccountPlan", "acme"), "key": "acme", "tier": "SUITABLE", "cadenceDays": 30,
        "nextContactDue": "2030-01-01T00:00:00.000Z", "notes": "grow", "account": {"key": "acme"}, "owner": {"key": "erin"},
        "actions": [{"what": "visit", "due": "2030-01-01T00:00:00.000Z", "channel": "VISIT", "done": False,
                     "contact": {"key": "erin"}}],
    }
    again = (await api.data(plan, input={"account": "acme", "owner": "erin", "tier": "KEY"}))["setAccountPlan"]
    assert again["accountPlan"]["cadenceDays"] == 14 and again["accountPlan"]["actions"] == []
    missing = await api.error(plan, input={"account": "acme", "owner": "ghost"})
    assert missing["extensions"] == {"code": "NOT_FOUND", "field": "input.owner"}
    contact = await api.error(plan, input={"account": "acme", "owner": "erin", "actions": [{"what": "x", "contact": "ghost"}]})
    assert contact["extensions"]["code"] == "NOT_FOUND"
    bad = await api.error(plan, input={"account": "acme", "owner": "erin", "cadenceDays": 0})
    assert bad["extensions"] == {"code": "BAD_USER_INPUT", "field": "input.cadenceDays"}


async def test_mutation_payload_reads_fresh_state(api: Api) -> None:
    """Reads cached earlier in a request are dropped by a mutation, so later fields see it."""
    await create(api, key="acme")
    data = await api.data("""mutation {
      a: updateStakeholder(input: {id: "acme", name: "First"}) { stakeholder { name } }
      b: updateStakeholder(input: {id: "acme", name: "Second"}) { stakeholder { name } }
    }""")
    assert data == {"a": {"stakeholder": {"name": "First"}}, "b": {"stakeholder": {"name": "Second"}}}
