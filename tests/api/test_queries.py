"""Every query over HTTP: lookups, Relay nodes, lists with filters, order and pages, and a
stakeholder's own lists."""

from __future__ import annotations

import base64

from relgraph.api.ids import global_id

from .support import Api


def keys(connection: dict) -> list[str]:
    return [node["key"] for node in connection["nodes"]]


async def all_pages(api: Api, query: str, field: str, first: int, **variables: object) -> tuple[list[str], int]:
    """Walk a list page by page; every page must report the same totalCount."""
    seen: list[str] = []
    totals: set[int] = set()
    after = None
    while True:
        page = (await api.data(query, first=first, after=after, **variables))[field]
        totals.add(page["totalCount"])
        seen += keys(page)
        assert len(page["nodes"]) <= first
        assert [e["node"]["key"] for e in page["edges"]] == keys(page)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
        assert after == page["edges"][-1]["cursor"]
    assert len(totals) == 1
    return seen, totals.pop()


STAKEHOLDERS = """
query($filter: StakeholderFilter, $orderBy: StakeholderOrder, $first: Int, $after: String) {
  stakeholders(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { key } }
    nodes { key }
  }
}"""


async def stakeholder_keys(api: Api, flt: dict | None = None, order: dict | None = None) -> list[str]:
    data = await api.data(STAKEHOLDERS, filter=flt, orderBy=order, first=100)
    assert data["stakeholders"]["totalCount"] == len(data["stakeholders"]["nodes"])
    return keys(data["stakeholders"])


# -- lookups ---------------------------------------------------------------------------------


async def test_stakeholder_by_key_or_global_id(network: Api) -> None:
    query = "query($id: ID!) { stakeholder(id: $id) { id key name kind form isUs industry region tags tier since createdAt archived } }"
    by_key = (await network.data(query, id="c1"))["stakeholder"]
    assert by_key["id"] == global_id("Stakeholder", "c1")
    assert by_key == (await network.data(query, id=by_key["id"]))["stakeholder"]
    assert by_key | {"createdAt": None} == {
        "id": by_key["id"], "key": "c1", "name": "Acme Steel", "kind": "CUSTOMER", "form": "ORGANIZATION",
        "isUs": False, "industry": "steel", "region": "north", "tags": ["key", "steel"], "tier": "KEY",
        "since": "2020-03-01T00:00:00.000Z", "createdAt": None, "archived": False,
    }
    assert by_key["createdAt"].endswith("Z")
    assert (await network.data(query, id="nobody"))["stakeholder"] is None


async def test_relay_node_for_every_type(network: Api) -> None:
    cases = {
        "Stakeholder": "c1", "Relationship": "r-c1", "Interaction": "i1", "Complaint": "k-1", "AccountPlan": "c1",
    }
    query = "query($id: ID!) { node(id: $id) { __typename id ... on Stakeholder { key } ... on Relationship { key } " \
            "... on Interaction { key } ... on Complaint { key } ... on AccountPlan { key } } }"
    for type_name, key in cases.items():
        gid = global_id(type_name, key)
        node = (await network.data(query, id=gid))["node"]
        assert node == {"__typename": type_name, "id": gid, "key": key}
    assert (await network.data(query, id=global_id("Complaint", "nope")))["node"] is None
    both = await network.data("query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
                              ids=[global_id("Stakeholder", "c2"), global_id("Relationship", "nope")])
    assert both["nodes"] == [{"id": global_id("Stakeholder", "c2")}, None]


async def test_relationship_interaction_complaint_plan_lookups(network: Api) -> None:
    data = await network.data("""{
      relationship(id: "r-p1") { key type role active startedAt endedAt from { key } to { key } }
      ended: relationship(id: "r-c3") { active endedAt endReason }
      interaction(id: "i2") { key type at sentiment initiator { key } participants { key } }
      complaint(id: "k-1") { key status category severity channel stakeholder { key } owner { key } respondBy resolveBy }
      accountPlan(account: "c1") { key tier cadenceDays account { key } owner { key } actions { what done contact { key } } }
      none: accountPlan(account: "c2") { key }
    }""")
    assert data["relationship"] == {
        "key": "r-p1", "type": "WORKS_FOR", "role": "DECISION_MAKER", "active": True,
        "startedAt": "2020-01-01T00:00:00.000Z", "endedAt": None, "from": {"key": "p1"}, "to": {"key": "c1"},
    }
    assert data["ended"]["active"] is False and data["ended"]["endReason"] == "moved to a competitor"
    assert data["interaction"] == {
        "key": "i2", "type": "CALL", "at": "2024-02-15T10:00:00.000Z", "sentiment": 0.5,
        "initiator": {"key": "p1"}, "participants": [{"key": "p1"}, {"key": "e1"}],
    }
    complaint = data["complaint"]
    assert complaint["status"] == "RECEIVED" and complaint["severity"] == "HIGH"
    assert complaint["stakeholder"] == {"key": "c2"} and complaint["owner"] == {"key": "e2"}
    assert complaint["respondBy"] == "2024-03-02T09:00:00.000Z" and complaint["resolveBy"] == "2024-03-08T09:00:00.000Z"
    assert data["accountPlan"] == {
        "key": "c1", "tier": "KEY", "cadenceDays": 14, "account": {"key": "c1"}, "owner": {"key": "e1"},
        "actions": [{"what": "quarterly review", "done": False, "contact": {"key": "p1"}}],
    }
    assert data["none"] is None


# -- a stakeholder's own lists -----------------------------------------------------------------


async def test_stakeholder_relationships_counterparts_and_filters(network: Api) -> None:
    data = (await network.data("""{ stakeholder(id: "c1") {
      all: relationships { totalCount nodes { key } }
      outgoing: relationships(direction: OUTGOING) { nodes { key } }
      incoming: relationships(direction: INCOMING, type: [WORKS_FOR]) { nodes { key role } }
      active: relationships(active: true) { totalCount }
      counterparts { totalCount nodes { direction relationship { key type } stakeholder { key name } } }
    } }"""))["stakeholder"]
    assert sorted(keys(data["all"])) == ["r-c1", "r-m1", "r-p1"] and data["all"]["totalCount"] == 3
    assert keys(data["outgoing"]) == ["r-c1"]
    assert data["incoming"]["nodes"] == [{"key": "r-p1", "role": "DECISION_MAKER"}]
    assert data["active"]["totalCount"] == 3
    others = {(c["stakeholder"]["key"], c["direction"], c["relationship"]["type"]) for c in data["counterparts"]["nodes"]}
    assert others == {("us", "OUTGOING", "BUYS_FROM"), ("p1", "INCOMING", "WORKS_FOR"), ("e1", "INCOMING", "MANAGES_ACCOUNT")}


async def test_stakeholder_interactions_pages_window_and_last(network: Api) -> None:
    query = """query($since: DateTime, $until: DateTime, $after: String) { stakeholder(id: "e1") {
      lastInteraction { key at }
      interactions(first: 2, after: $after, since: $since, until: $until) {
        totalCount pageInfo { hasNextPage hasPreviousPage endCursor } nodes { key initiator { key } }
      }
    } }"""
    first = (await network.data(query))["stakeholder"]
    assert first["lastInteraction"] == {"key": "i3", "at": "2024-03-15T10:00:00.000Z"}
    page = first["interactions"]
    assert keys(page) == ["i3", "i2"] and page["totalCount"] == 3
    assert page["pageInfo"]["hasNextPage"] and not page["pageInfo"]["hasPreviousPage"]
    rest = (await network.data(query, after=page["pageInfo"]["endCursor"]))["stakeholder"]["interactions"]
    assert keys(rest) == ["i1"] and not rest["pageInfo"]["hasNextPage"] and rest["pageInfo"]["hasPreviousPage"]
    window = (await network.data(query, since="2024-02-01T00:00:00Z", until="2024-03-01T00:00:00+00:00"))
    assert keys(window["stakeholder"]["interactions"]) == ["i2"]
    assert window["stakeholder"]["interactions"]["totalCount"] == 1


async def test_stakeholder_complaints_and_plan(network: Api) -> None:
    data = await network.data("""{
      c2: stakeholder(id: "c2") { complaints { totalCount nodes { key status } } open: complaints(status: [RECEIVED]) { totalCount } closed: complaints(status: [CLOSED]) { totalCount } accountPlan { key } }
      c1: stakeholder(id: "c1") { accountPlan { cadenceDays owner { key } } }
    }""")
    assert data["c2"]["complaints"] == {"totalCount": 1, "nodes": [{"key": "k-1", "status": "RECEIVED"}]}
    assert data["c2"]["open"]["totalCount"] == 1 and data["c2"]["closed"]["totalCount"] == 0
    assert data["c2"]["accountPlan"] is None
    assert data["c1"]["accountPlan"] == {"cadenceDays": 14, "owner": {"key": "e1"}}


# -- top-level lists -------------------------------------------------------------------------


async def test_stakeholder_filters(network: Api) -> None:
    assert await stakeholder_keys(network, {"kind": ["SUPPLIER", "COMPETITOR"]}) == ["k1", "s1"]
    assert await stakeholder_keys(network, {"form": "PERSON", "kind": ["CUSTOMER"]}) == ["p1"]
    assert await stakeholder_keys(network, {"industry": ["steel"], "region": ["north"]}) == ["c1"]
    assert await stakeholder_keys(network, {"tags": {"any": ["export", "food"]}}) == ["c2", "c3"]
    assert await stakeholder_keys(network, {"tags": {"all": ["steel", "key"]}}) == ["c1"]
    assert await stakeholder_keys(network, {"nameContains": "STEEL"}) == ["c1"]
    assert await stakeholder_keys(network, {"isUs": True}) == ["us"]
    assert await stakeholder_keys(network, {"tier": ["KEY", "SUITABLE"]}) == ["c1", "c3"]
    assert await stakeholder_keys(network, {"since": {"from": "2021-01-01T00:00:00Z"}}) == ["c2"]
    assert await stakeholder_keys(network, {"since": {"to": "2021-01-01T00:00:00Z"}}) == ["c1"]
    assert len(await stakeholder_keys(network, {"createdAt": {"from": "2000-01-01T00:00:00Z"}})) == 10
    assert await stakeholder_keys(network, {"createdAt": {"to": "2000-01-01T00:00:00Z"}}) == []
    assert await stakeholder_keys(network, {"keys": ["c2", "a1", "ghost"]}) == ["c2", "a1"]


async def test_stakeholder_filters_and_or_not(network: Api) -> None:
    either = {"or": [{"kind": ["AGENCY"]}, {"form": "PERSON", "region": ["south"]}]}
    assert await stakeholder_keys(network, either) == ["e2", "a1"]
    both = {"and": [{"kind": ["CUSTOMER"]}, {"not": {"form": "PERSON"}}], "not": {"tags": {"any": ["food"]}}}
    assert await stakeholder_keys(network, both) == ["c1", "c3"]
    nested = {"or": [{"and": [{"kind": ["EMPLOYEE"]}, {"form": "PERSON"}]}, {"nameContains": "kappa"}]}
    assert sorted(await stakeholder_keys(network, nested)) == ["e1", "e2", "k1"]
    assert await stakeholder_keys(network, {"or": []}) == []


async def test_archived_filter(network: Api) -> None:
    await network.store.archive_stakeholder("c3")
    assert await stakeholder_keys(network, {"archived": True}) == ["c3"]
    assert "c3" not in await stakeholder_keys(network, {"archived": False})


async def test_stakeholder_order_and_pages(network: Api) -> None:
    by_name = await stakeholder_keys(network, order={"field": "NAME"})
    assert by_name == ["c1", "c2", "c3", "e2", "e1", "k1", "p1", "us", "s1", "a1"]
    seen, total = await all_pages(network, STAKEHOLDERS, "stakeholders", 3, orderBy={"field": "NAME"})
    assert seen == by_name and total == 10
    for order in ({"field": "NAME", "direction": "DESC"}, {"field": "KIND"}, {"field": "INDUSTRY", "direction": "DESC"},
                  {"field": "SINCE"}, {"field": "TIER"}, {"field": "CREATED_AT", "direction": "DESC"}, {"field": "REGION"}):
        whole = await stakeholder_keys(network, order=order)
        paged, total = await all_pages(network, STAKEHOLDERS, "stakeholders", 4, orderBy=order)
        assert paged == whole and total == 10 and len(set(paged)) == 10, order
    assert (await stakeholder_keys(network, order={"field": "NAME", "direction": "DESC"})) == by_name[::-1]
    tiers = await stakeholder_keys(network, {"kind": ["CUSTOMER"], "form": "ORGANIZATION"}, {"field": "TIER"})
    assert tiers == ["c1", "c3", "c2"], "KEY, SUITABLE, GENERAL: the tier's own order"


async def test_filtered_pages_keep_total(network: Api) -> None:
    seen, total = await all_pages(network, STAKEHOLDERS, "stakeholders", 2, filter={"kind": ["CUSTOMER"]})
    assert total == 4 and sorted(seen) == ["c1", "c2", "c3", "p1"]


RELATIONSHIPS = """
query($filter: RelationshipFilter, $orderBy: RelationshipOrder, $first: Int, $after: String) {
  relationships(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { key } } nodes { key }
  }
}"""


async def test_relationships_list(network: Api) -> None:
    async def rels(flt: dict | None = None, order: dict | None = None) -> list[str]:
        return keys((await network.data(RELATIONSHIPS, filter=flt, orderBy=order, first=50))["relationships"])

    assert len(await rels()) == 10
    assert await rels(order={"field": "STARTED_AT"}) == [
        "r-a1", "r-e1", "r-k1", "r-s1", "r-c3", "r-p1", "r-c1", "r-m1", "r-c2", "r-e2"]
    assert await rels({"type": ["WORKS_FOR"], "role": ["DECISION_MAKER"]}) == ["r-p1"]
    assert await rels({"active": False}) == ["r-c3"]
    assert sorted(await rels({"stakeholder": ["c1"]})) == ["r-c1", "r-m1", "r-p1"]
    assert await rels({"from": [global_id("Stakeholder", "e1")], "to": ["c1"]}) == ["r-m1"]
    assert await rels({"startedAt": {"from": "2021-01-01T00:00:00Z", "to": "2022-01-01T00:00:00Z"}}) == ["r-c1", "r-m1"]
    assert await rels({"endedAt": {"from": "2000-01-01T00:00:00Z"}}) == ["r-c3"]
    assert await rels({"or": [{"type": ["SUPPLIES"]}, {"type": ["REGULATES"]}]}, {"field": "TYPE"}) == ["r-a1", "r-s1"]
    assert await rels({"type": ["BUYS_FROM"], "not": {"active": False}}, {"field": "STARTED_AT", "direction": "DESC"}) == [
        "r-c2", "r-c1"]
    seen, total = await all_pages(network, RELATIONSHIPS, "relationships", 3, orderBy={"field": "TYPE"})
    assert total == 10 and sorted(seen) == sorted(await rels())


COMPLAINTS = """
query($filter: ComplaintFilter, $orderBy: ComplaintOrder, $first: Int, $after: String) {
  complaints(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { key } } nodes { key }
  }
}"""


async def test_complaints_list(network: Api) -> None:
    async def complaints(flt: dict | None = None, order: dict | None = None) -> list[str]:
        return keys((await network.data(COMPLAINTS, filter=flt, orderBy=order, first=50))["complaints"])

    assert await complaints() == ["k-2", "k-1"], "newest first by default"
    assert await complaints(order={"field": "SEVERITY", "direction": "ASC"}) == ["k-2", "k-1"]
    assert await complaints(order={"field": "SEVERITY"}) == ["k-1", "k-2"], "CRITICAL..LOW when DESC"
    assert await complaints({"status": ["RECEIVED"], "severity": ["HIGH"]}) == ["k-1"]
    assert await complaints({"category": ["invoice"]}) == ["k-2"]
    assert await complaints({"stakeholder": [global_id("Stakeholder", "c2")]}) == ["k-1"]
    assert await complaints({"owner": ["e2"], "channel": ["PHONE"]}) == ["k-1"]
    assert await complaints({"receivedAt": {"from": "2024-03-15T00:00:00Z"}}) == ["k-2"]
    assert await complaints({"or": [{"severity": ["LOW"]}, {"category": ["late delivery"]}]}) == ["k-2", "k-1"]
    seen, total = await all_pages(network, COMPLAINTS, "complaints", 1)
    assert seen == ["k-2", "k-1"] and total == 2


async def test_cursors_are_opaque_and_checked(network: Api) -> None:
    page = (await network.data(STAKEHOLDERS, first=2, orderBy={"field": "NAME"}))["stakeholders"]
    cursor = page["pageInfo"]["endCursor"]
    base64.urlsafe_b64decode(cursor + "==")  # opaque, but not secret
    error = await network.error(STAKEHOLDERS, first=2, after=cursor, orderBy={"field": "KIND"})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "after"}
    error = await network.error(STAKEHOLDERS, first=2, after="not-a-cursor")
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "after"}
