"""Access control through a real uvicorn, per backend: the role matrix over every query and
mutation, money hidden from viewers, 401s, and keys managed over GraphQL.

The matrix takes its fields from the schema itself: a new query or mutation without a
case here fails `test_every_field_has_a_case`, so none escapes the policy's test.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any, AsyncIterator, Awaitable, Callable

import pytest

from api.support import BACKENDS, seed_network
from relgraph.api.ids import global_id
from relgraph.api.schema import schema
from relgraph.auth import keys
from relgraph.auth.policy import MONEY_FIELDS, required_permission
from relgraph.auth.roles import ORDER, Role
from relgraph.domain.time import utcnow
from relgraph.store.graph_store import GraphStore

from .api_support import CACHE_S, AuthApi, codes, start, wait_for
from .conftest import drop_keys

GRAPH = "relgraph_auth_test"
PRINCIPALS = [r.value for r in ORDER] + [None]

Prepare = Callable[[GraphStore, str], Awaitable[None]]


async def nothing(store: GraphStore, tag: str) -> None:
    """No data of its own: the case works on the seeded network."""


async def person(store: GraphStore, tag: str) -> None:
    """A customer person `x-<tag>`, known to e1 (`r-<tag>`), with a complaint `k-<tag>`."""
    await store.upsert_stakeholders([{"id": f"x-{tag}", "kind": "CUSTOMER", "form": "PERSON", "name": f"X {tag}"}])
    await store.upsert_relationships([{"id": f"r-{tag}", "type": "KNOWS", "from_id": "e1", "to_id": f"x-{tag}"}])
    await store.upsert_complaints([{"id": f"k-{tag}", "stakeholder_id": f"x-{tag}", "channel": "EMAIL",
                                    "category": "billing", "status": "RECEIVED"}])


def key_of_tag(tag: str) -> str:
    """A key id of the tag's own, so that the revoke case knows which key it revokes."""
    return hashlib.sha256(tag.encode()).hexdigest()[:12]


async def api_key(store: GraphStore, tag: str) -> None:
    record, _ = keys.generate(Role.VIEWER, now=utcnow(), name=tag)
    await store.add_api_key(replace(record, id=key_of_tag(tag)))


# field -> (document, variables for a tag, what to prepare for that tag)
QUERIES: dict[str, tuple[str, dict[str, Any]]] = {
    "deterioratingRelationships": ("{ deterioratingRelationships(first: 2) { aKey } }", {}),
    "ties": ("{ ties(first: 2) { aKey strength } }", {}),
    "strength": ('{ strength(between: "e1", and: "p1") { strength } }', {}),
    "accountStrength": ('{ accountStrength(account: "c1") { strength } }', {}),
    "stakeholderInfluence": ('{ stakeholderInfluence(id: "c1") { score } }', {}),
    "decisionMakers": ('{ decisionMakers(organization: "c1") { key } }', {}),
    "topInfluencers": ("{ topInfluencers(first: 2) { key } }", {}),
    "influencersOf": ('{ influencersOf(target: "c1", first: 2) { key } }', {}),
    "introductionPaths": ('{ introductionPaths(to: "p1") { strength } }', {}),
    "departureImpact": ('{ departureImpact(employee: "e1") { accountKey } }', {}),
    "keyAccounts": ("{ keyAccounts(first: 3) { accountKey score tier abcClass } }", {}),
    "atRiskAccounts": ("{ atRiskAccounts(first: 3) { reasons } }", {}),
    "contestedAccounts": ("{ contestedAccounts(first: 3) { accountKey } }", {}),
    "overdueContacts": ("{ overdueContacts(first: 3) { accountKey } }", {}),
    "systemicIssues": ("{ systemicIssues { category } }", {}),
    "networkSummary": ("{ networkSummary { openComplaints byKind { kind count } } }", {}),
    "prospects": ("{ prospects(first: 3) { __typename } }", {}),
    "supplierDependency": ("{ supplierDependency(first: 3) { hhi } }", {}),
    "apiKeys": ("{ apiKeys { keyId role revoked } }", {}),
    "node": ("query($id: ID!) { node(id: $id) { id } }", {"id": global_id("Stakeholder", "c1")}),
    "nodes": ("query($id: ID!) { nodes(ids: [$id]) { id } }", {"id": global_id("Complaint", "k-1")}),
    "stakeholder": ('{ stakeholder(id: "c1") { name } }', {}),
    "stakeholders": ("{ stakeholders(first: 2) { totalCount } }", {}),
    "relationship": ('{ relationship(id: "r-c1") { type } }', {}),
    "relationships": ("{ relationships(first: 2) { totalCount } }", {}),
    "interaction": ('{ interaction(id: "i1") { type } }', {}),
    "complaint": ('{ complaint(id: "k-1") { status } }', {}),
    "complaints": ("{ complaints(first: 2) { totalCount } }", {}),
    "accountPlan": ('{ accountPlan(account: "c1") { cadenceDays } }', {}),
}

MUTATIONS: dict[str, tuple[str, Callable[[str], dict[str, Any]], Prepare]] = {
    "refreshInfluence": ("mutation { refreshInfluence { nodes } }", lambda t: {}, nothing),
    "createApiKey": ("mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }",
                     lambda t: {"i": {"role": "VIEWER", "name": t}}, nothing),
    "revokeApiKey": ("mutation($i: RevokeApiKeyInput!) { revokeApiKey(input: $i) { apiKey { revoked } } }",
                     lambda t: {"i": {"keyId": key_of_tag(t)}}, api_key),
    "createStakeholder": ("mutation($i: CreateStakeholderInput!) { createStakeholder(input: $i) { stakeholder { key } } }",
                          lambda t: {"i": {"key": f"new-{t}", "kind": "CUSTOMER", "form": "PERSON", "name": t}}, nothing),
    "updateStakeholder": ("mutation($i: UpdateStakeholderInput!) { updateStakeholder(input: $i) { stakeholder { name } } }",
                          lambda t: {"i": {"id": f"x-{t}", "name": f"Renamed {t}"}}, person),
    "archiveStakeholder": ("mutation($i: ArchiveStakeholderInput!) { archiveStakeholder(input: $i) { stakeholder { archived } } }",
                           lambda t: {"i": {"id": f"x-{t}"}}, person),
    "relate": ("mutation($i: RelateInput!) { relate(input: $i) { relationship { key } } }",
               lambda t: {"i": {"type": "KNOWS", "from": "e2", "to": f"x-{t}", "key": f"rel-{t}"}}, person),
    "endRelationship": ("mutation($i: EndRelationshipInput!) { endRelationship(input: $i) { relationship { active } } }",
                        lambda t: {"i": {"id": f"r-{t}", "reason": "test"}}, person),
    "assessRelationship": ("mutation($i: AssessRelationshipInput!) { assessRelationship(input: $i) { relationship { key } } }",
                           lambda t: {"i": {"id": f"r-{t}", "strength": 0.5, "by": t}}, person),
    "recordInteractions": ("mutation($i: RecordInteractionsInput!) { recordInteractions(input: $i) { interactions { key } } }",
                           lambda t: {"i": {"interactions": [{"key": f"i-{t}", "type": "CALL", "at": "2025-01-01T10:00:00Z",
                                                              "initiator": "e1", "participants": [f"x-{t}"]}]}}, person),
    "fileComplaint": ("mutation($i: FileComplaintInput!) { fileComplaint(input: $i) { complaint { key } } }",
                      lambda t: {"i": {"key": f"fc-{t}", "stakeholder": f"x-{t}", "channel": "PHONE", "category": "x"}}, person),
    "transitionComplaint": ("mutation($i: TransitionComplaintInput!) { transitionComplaint(input: $i) { complaint { status } } }",
                            lambda t: {"i": {"id": f"k-{t}", "status": "ACKNOWLEDGED"}}, person),
    "setAccountPlan": ("mutation($i: SetAccountPlanInput!) { setAccountPlan(input: $i) { accountPlan { cadenceDays } } }",
                       lambda t: {"i": {"account": "c1", "owner": "e1", "notes": t}}, nothing),
}


def schema_fields() -> list[tuple[str, str]]:
    return [(root, name) for root in ("Query", "Mutation") for name in schema._schema.type_map[root].fields]


@pytest.fixture(scope="module", params=BACKENDS)
async def access(request: pytest.FixtureRequest) -> AsyncIterator[AuthApi]:
    """Our own server per backend on the seeded network, with a key for each role.

    It starts with no key, so it runs open (loopback); the fixture then stores the keys
    and measures how long the server takes to ask for credentials."""
    server, store = start(request, request.param, GRAPH)
    try:
        await store.runner.clear()
        await seed_network(store)
        await store.record_interactions([{"id": "i-order", "type": "ORDER", "at": utcnow(), "initiator_id": "c1",
                                          "participant_ids": ["us"], "value": 12500.0}])
        await store.upsert_stakeholders([{"id": "c9", "kind": "CUSTOMER", "form": "ORGANIZATION",
                                          "name": "Prospective Ltd", "potential": 40000.0}])  # a prospect
        await store.update_stakeholder("c1", {"margin": 0.2, "retention": 0.8, "potential": 10000.0})  # for CLV
        api = AuthApi(request.param, server, store)
        assert api.post("{ stakeholders { totalCount } }").status_code == 200  # open: no key yet
        for role in ORDER:
            record, token = keys.generate(role, now=utcnow(), name=f"test {role.value}")
            await store.add_api_key(record)
            api.tokens[role.value] = token
        api.closed_after_s = wait_for(lambda: api.post("{ stakeholders { totalCount } }").status_code == 401,
                                      within=CACHE_S + 1.5)
        yield api
    finally:
        await drop_keys(store)
        if request.param == "falkordb":
            await store.runner.clear()
        await store.close()
        server.stop()


def test_every_field_has_a_case() -> None:
    missing = [f"{root}.{name}" for root, name in schema_fields()
               if name not in (QUERIES if root == "Query" else MUTATIONS)]
    assert not missing, f"add a role-matrix case for {missing}"
    stale = (QUERIES.keys() | MUTATIONS.keys()) - {name for _, name in schema_fields()}
    assert not stale


def test_the_first_key_closes_an_open_server_within_the_cache_time(access: AuthApi) -> None:
    assert access.closed_after_s is not None and access.closed_after_s <= CACHE_S + 1.0


@pytest.mark.parametrize(("root", "name"), schema_fields(), ids=[f"{r}.{n}" for r, n in schema_fields()])
async def test_role_matrix(access: AuthApi, root: str, name: str) -> None:
    needed = required_permission(root, name)
    assert needed is not None
    for principal in PRINCIPALS:
        tag = f"{name}-{principal or 'none'}"
        if root == "Query":
            document, variables = QUERIES[name]
        else:
            document, make, prepare = MUTATIONS[name]
            variables = make(tag)
            await prepare(access.store, tag)
        before = await node_count(access.store)
        response = access.as_role(principal, document, variables or None)
        body = response.json()
        if principal is None:
            assert response.status_code == 401, body
            assert codes(body) == ["UNAUTHENTICATED"] and "data" not in body
            assert response.headers["www-authenticate"].startswith("Bearer")
        elif Role(principal).may(needed):
            assert response.status_code == 200 and not body.get("errors"), (principal, body)
            assert body["data"][name] is not None or name in ("stakeholderInfluence",), (principal, body)
        else:
            assert response.status_code == 200, body
            assert codes(body) == ["FORBIDDEN"], (principal, body)
            error = body["errors"][0]
            assert error["path"] == [name] and f"{principal} may not" in error["message"]
            assert body["data"] is None or body["data"].get(name) is None
            if root == "Mutation":
                assert await node_count(access.store) == before, "a refused mutation wrote"


async def node_count(store: GraphStore) -> int:
    rows = await store.runner.read("MATCH (n) RETURN count(n) AS n")
    return int(rows[0]["n"])


# -- money ----------------------------------------------------------------------------------

REACH = {
    "Interaction": '{ interaction(id: "i-order") { key %s } }',
    "AbcRevenue": "{ networkSummary { openComplaints revenueByAbc { abcClass accounts %s } } }",
    "KeyAccount": "{ keyAccounts(first: 3) { accountKey %s } }",
    "Stakeholder": '{ stakeholder(id: "c1") { key %s } }',
    "Prospect": "{ prospects(first: 3) { accountKey %s } }",
    "SupplierDependency": "{ supplierDependency(first: 3) { hhi suppliers { supplierKey %s } } }",
    "SupplierDependencies": "{ supplierDependency(first: 3) { hhi %s } }",
}


def test_every_money_type_is_reached() -> None:
    assert {t for t, _ in MONEY_FIELDS} <= REACH.keys()


@pytest.mark.parametrize(("type_name", "field"), sorted(MONEY_FIELDS), ids=[f"{t}.{f}" for t, f in sorted(MONEY_FIELDS)])
async def test_money_is_hidden_from_viewers(access: AuthApi, type_name: str, field: str) -> None:
    query = REACH[type_name] % field
    allowed = access.as_role("analyst", query).json()
    assert not allowed.get("errors"), allowed
    denied = access.as_role("viewer", query).json()
    assert _reaches(allowed["data"], field, non_null=True), f"the seeded network has no {type_name} to read {field} from"
    assert denied["errors"] and set(codes(denied)) == {"FORBIDDEN"}, denied
    assert all(e["path"][-1] == field for e in denied["errors"])
    assert not _reaches(denied["data"], field, non_null=True), "a money figure reached a viewer"


def _reaches(data: Any, field: str, *, non_null: bool = False) -> bool:
    """Whether `field` appears anywhere in `data` (with a value, when `non_null`)."""
    if isinstance(data, dict):
        return any((k == field and (v is not None or not non_null)) or _reaches(v, field, non_null=non_null)
                   for k, v in data.items())
    if isinstance(data, list):
        return any(_reaches(v, field, non_null=non_null) for v in data)
    return False


def test_money_behind_the_node_interface_is_hidden(access: AuthApi) -> None:
    query = "query($id: ID!) { node(id: $id) { id ... on Interaction { type value } } }"
    variables = {"id": global_id("Interaction", "i-order")}
    denied = access.as_role("viewer", query, variables).json()
    assert codes(denied) == ["FORBIDDEN"] and denied["errors"][0]["path"] == ["node", "value"]
    assert denied["data"]["node"]["type"] == "ORDER" and denied["data"]["node"]["value"] is None
    assert access.as_role("analyst", query, variables).json()["data"]["node"]["value"] == 12500.0


def test_a_viewer_keeps_the_rest_of_an_answer(access: AuthApi) -> None:
    body = access.as_role("viewer", '{ stakeholder(id: "c1") { name tier potential } interaction(id: "i-order") { type value } }').json()
    assert codes(body) == ["FORBIDDEN", "FORBIDDEN"]
    assert body["data"]["stakeholder"]["name"] == "Acme Steel" and body["data"]["interaction"]["type"] == "ORDER"
    assert "12500" not in str(body)


# -- the HTTP edge --------------------------------------------------------------------------


@pytest.mark.parametrize("header", ["Bearer rg_0123456789ab_" + "A" * 43, "Bearer nonsense", "Basic dXNlcjpwdw=="])
def test_bad_credentials_are_401_with_a_graphql_body(access: AuthApi, header: str) -> None:
    response = access.post("{ stakeholders { totalCount } }", authorization=header)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer realm="relgraph", error="invalid_token"'
    body = response.json()
    assert codes(body) == ["UNAUTHENTICATED"] and body["errors"][0]["message"]
    assert "Traceback" not in response.text and "MATCH" not in response.text


def test_no_credentials_is_401(access: AuthApi) -> None:
    response = access.post("{ stakeholders { totalCount } }")
    assert response.status_code == 401 and response.headers["www-authenticate"] == 'Bearer realm="relgraph"'
    assert codes(response.json()) == ["UNAUTHENTICATED"]


def test_probes_and_graphiql_need_no_credentials(access: AuthApi) -> None:
    import httpx

    base = access.server.base_url
    assert httpx.get(f"{base}/healthz").status_code == 200
    assert httpx.get(f"{base}/readyz").status_code == 200
    page = httpx.get(f"{base}/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()
    # A query by GET is a request like any other.
    query = httpx.get(f"{base}/graphql", params={"query": "{ stakeholders { totalCount } }"}, headers={"accept": "text/html"})
    assert query.status_code == 401


# -- keys over GraphQL ----------------------------------------------------------------------


def test_admin_manages_keys_over_graphql(access: AuthApi) -> None:
    made = access.as_role("admin", 'mutation { createApiKey(input: {role: ANALYST, name: "script"}) '
                                   "{ secret apiKey { keyId role name revoked createdAt } } }").json()
    assert not made.get("errors"), made
    payload = made["data"]["createApiKey"]
    secret, key_id = payload["secret"], payload["apiKey"]["keyId"]
    assert payload["apiKey"]["role"] == "ANALYST" and keys.key_id_of(secret) == key_id
    assert access.post('{ stakeholder(id: "c1") { potential } }', token=secret).json()["data"]["stakeholder"]

    listed = access.as_role("admin", "{ apiKeys { keyId role name revoked } }")
    assert {"keyId": key_id, "role": "ANALYST", "name": "script", "revoked": False} in listed.json()["data"]["apiKeys"]
    assert secret not in listed.text and keys.hash_key(secret) not in listed.text

    revoked = access.as_role("admin", "mutation($i: RevokeApiKeyInput!) { revokeApiKey(input: $i) "
                                      "{ apiKey { revoked revokedAt } } }", {"i": {"keyId": key_id}}).json()
    assert revoked["data"]["revokeApiKey"]["apiKey"]["revoked"] is True
    took = wait_for(lambda: access.post("{ stakeholders { totalCount } }", token=secret).status_code == 401,
                    within=CACHE_S + 1.0)
    assert took <= CACHE_S + 1.0


def test_a_key_made_over_graphql_can_expire(access: AuthApi) -> None:
    soon = (datetime.now(timezone.utc) + timedelta(days=7)).replace(microsecond=0)
    made = access.as_role("admin", "mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) "
                                   "{ apiKey { expiresAt expired } } }",
                          {"i": {"role": "VIEWER", "expiresAt": soon.isoformat()}}).json()
    assert not made.get("errors"), made
    key = made["data"]["createApiKey"]["apiKey"]
    assert datetime.fromisoformat(key["expiresAt"]) == soon and key["expired"] is False
    past = access.as_role("admin", 'mutation { createApiKey(input: {role: VIEWER, expiresAt: "2020-01-01T00:00:00Z"}) '
                                   "{ secret } }").json()
    assert codes(past) == ["BAD_USER_INPUT"] and past["errors"][0]["extensions"]["field"] == "input.expiresAt"


def test_revoking_an_unknown_key_is_not_found(access: AuthApi) -> None:
    body = access.as_role("admin", 'mutation { revokeApiKey(input: {keyId: "ffffffffffff"}) { apiKey { keyId } } }').json()
    assert codes(body) == ["NOT_FOUND"] and body["errors"][0]["extensions"]["field"] == "input.keyId"
