"""Error codes over HTTP: bad input names its field, outages say so, and internals never leak."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from relgraph.api.errors import GENERIC_MESSAGE
from relgraph.api.ids import global_id
from relgraph.store.cypher import cypher_dir
from relgraph.testing.neo4j_server import free_port

from .support import MAX_PAGE_SIZE, Api, backend_env, clean_env, start_uvicorn

LIST = "query($first: Int, $filter: StakeholderFilter) { stakeholders(first: $first, filter: $filter) { totalCount } }"


async def test_bad_enum_names_its_field(api: Api) -> None:
    literal = await api.error('mutation { createStakeholder(input: {kind: FRIEND, form: PERSON, name: "x"}) { stakeholder { key } } }')
    assert literal["extensions"] == {"code": "BAD_USER_INPUT", "field": "input.kind"}
    assert "FRIEND" in literal["message"]

    variable = await api.error(
        "mutation($s: CreateStakeholderInput!) { createStakeholder(input: $s) { stakeholder { key } } }",
        s={"kind": "CUSTOMER", "form": "BLOB", "name": "x"},
    )
    assert variable["extensions"] == {"code": "BAD_USER_INPUT", "field": "input.form"}

    nested = await api.error(LIST, filter={"or": [{"kind": ["CUSTOMER"]}, {"kind": ["NOPE"]}]})
    assert nested["extensions"] == {"code": "BAD_USER_INPUT", "field": "filter.or[1].kind[0]"}


async def test_bad_values_name_their_field(api: Api) -> None:
    date = await api.error(LIST, filter={"createdAt": {"from": "last tuesday"}})
    assert date["extensions"] == {"code": "BAD_USER_INPUT", "field": "filter.createdAt.from"}

    missing = await api.error(
        "mutation($s: CreateStakeholderInput!) { createStakeholder(input: $s) { stakeholder { key } } }",
        s={"kind": "CUSTOMER", "name": "x"},
    )
    assert missing["extensions"] == {"code": "BAD_USER_INPUT", "field": "input.form"}

    blank = await api.error('mutation { createStakeholder(input: {kind: CUSTOMER, form: PERSON, name: "  "}) { stakeholder { key } } }')
    assert blank["extensions"] == {"code": "BAD_USER_INPUT", "field": "input.name"}

    search = await api.error(LIST, filter={"nameContains": ""})
    assert search["extensions"] == {"code": "BAD_USER_INPUT", "field": "filter.nameContains"}

    wrong_kind = await api.error('{ stakeholder(id: "%s") { key } }' % global_id("Complaint", "k"))
    assert wrong_kind["extensions"] == {"code": "BAD_USER_INPUT", "field": "id"}

    not_global = await api.error('{ node(id: "plain-key") { id } }')
    assert not_global["extensions"] == {"code": "BAD_USER_INPUT", "field": "id"}


async def test_page_size_is_enforced(api: Api) -> None:
    over = await api.error(LIST, first=MAX_PAGE_SIZE + 1)
    assert over["extensions"] == {"code": "BAD_USER_INPUT", "field": "first"}
    assert str(MAX_PAGE_SIZE) in over["message"]
    negative = await api.error(LIST, first=-1)
    assert negative["extensions"] == {"code": "BAD_USER_INPUT", "field": "first"}
    assert (await api.data(LIST, first=MAX_PAGE_SIZE))["stakeholders"]["totalCount"] == 0

    await api.store.create_stakeholder({"id": "s", "kind": "CUSTOMER", "form": "PERSON", "name": "S"})
    nested = await api.error('{ stakeholder(id: "s") { relationships(first: %d) { totalCount } } }' % (MAX_PAGE_SIZE + 1))
    assert nested["extensions"] == {"code": "BAD_USER_INPUT", "field": "first"}
    assert nested["path"] == ["stakeholder", "relationships"]


async def test_oversized_filters_are_refused(api: Api) -> None:
    deep: dict = {"kind": ["CUSTOMER"]}
    for _ in range(10):
        deep = {"not": deep}
    error = await api.error(LIST, filter=deep)
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "filter"}


async def test_values_never_become_cypher(api: Api) -> None:
    """A hostile search is only a value: it matches nothing and breaks nothing."""
    await api.store.create_stakeholder({"id": "s", "kind": "CUSTOMER", "form": "PERSON", "name": "Sam"})
    for attack in ("' OR 1=1 //", "x\") RETURN 1 //", "}) DETACH DELETE s //", "$f0"):
        data = await api.data(LIST, filter={"nameContains": attack, "industry": [attack], "tags": {"any": [attack]}})
        assert data["stakeholders"]["totalCount"] == 0
    assert await api.store.stakeholder("s")


def _leaks(text: str) -> list[str]:
    words = ("MATCH", "RETURN", "Traceback", "redis", "falkordb", "neo4j", "Cypher", "File \"", "line ")
    return [w for w in words if w.lower() in text.lower()]


async def test_internal_errors_are_masked_and_logged(api: Api, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """A server whose list query is broken: the database's error (with the Cypher text)
    goes to the log; the client gets INTERNAL_SERVER_ERROR and a generic message."""
    broken = tmp_path / "cypher"
    shutil.copytree(cypher_dir(), broken)
    for path in [broken / "list_stakeholders.cypher", *broken.glob("*/list_stakeholders.cypher")]:
        path.write_text("MATCH (s:Stakeholder) RETURN s.id AS sort_key ORDER BY nonsense(((( LIMIT $limit\n")
    env = backend_env(request, api.backend) | {"RELGRAPH_CYPHER_DIR": str(broken)}
    server = start_uvicorn(env)
    try:
        await api.store.create_stakeholder({"id": "s", "kind": "CUSTOMER", "form": "PERSON", "name": "Sam"})
        response = await api.client.post(f"{server.base_url}/graphql", json={
            "query": "{ stakeholders { totalCount nodes { key } } }"
        })
        assert response.status_code == 200
        body = response.json()
        assert body["data"] is None, "stakeholders is non-null, so its error nulls the whole result"
        (error,) = body["errors"]
        assert error == {
            "message": GENERIC_MESSAGE, "locations": error["locations"], "path": ["stakeholders"],
            "extensions": {"code": "INTERNAL_SERVER_ERROR"},
        }
        assert _leaks(response.text) == []
    finally:
        server.stop()
    log = server.log()
    assert "unexpected error at stakeholders" in log and "Traceback" in log and "nonsense" in log


@pytest.mark.parametrize("backend", ["falkordb", "neo4j"])
async def test_database_down(backend: str, tmp_path: Path) -> None:
    """No database: the process is healthy but not ready, and queries say SERVICE_UNAVAILABLE."""
    import httpx

    if backend == "falkordb":
        env = clean_env(RELGRAPH_FALKORDB_URL=f"unix://{tmp_path}/no.sock", RELGRAPH_DB_TIMEOUT="3")
    else:
        env = clean_env(RELGRAPH_NEO4J_URI=f"bolt://127.0.0.1:{free_port()}", RELGRAPH_DB_TIMEOUT="3")
    server = start_uvicorn(env, ready_path="/healthz")
    try:
        async with httpx.AsyncClient(timeout=30) as client:
            assert (await client.get(f"{server.base_url}/healthz")).status_code == 200
            ready = await client.get(f"{server.base_url}/readyz")
            assert ready.status_code == 503 and ready.json() == {"status": "unavailable"}
            response = await client.post(f"{server.base_url}/graphql", json={"query": LIST})
            assert response.status_code == 503
            (error,) = response.json()["errors"]
            assert error["extensions"] == {"code": "SERVICE_UNAVAILABLE"}
            assert _leaks(response.text) == []
    finally:
        server.stop()
