"""Production mode through a real uvicorn on both backends: no introspection, no GraphiQL,
no "Did you mean ...?", and internal errors masked.

Each check also runs against the session's shared server (development mode), where the
same request does get the answer production hides, so that no check here passes by
accident.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import AsyncIterator, Iterator

import httpx
import pytest

from relgraph.api.errors import GENERIC_MESSAGE
from relgraph.store.cypher import cypher_dir

from .support import BACKENDS, UvicornProcess, backend_env, fixture_store, start_uvicorn

LEAKS = ("MATCH", "RETURN", "nonsense", "Traceback", "redis", "falkordb", "neo4j", "Cypher", 'File "', "line ")


@pytest.fixture(scope="module", params=BACKENDS)
def servers(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[tuple[str, UvicornProcess, UvicornProcess]]:
    """A production-mode server whose stakeholder list query is broken (for masking), and
    a development-mode one, over the same backend."""
    backend = request.param
    broken = tmp_path_factory.mktemp("cypher") / "cypher"
    shutil.copytree(cypher_dir(), broken)
    for path in [broken / "list_stakeholders.cypher", *broken.glob("*/list_stakeholders.cypher")]:
        path.write_text("MATCH (s:Stakeholder) RETURN s.id AS sort_key ORDER BY nonsense(((( LIMIT $limit\n")
    env = backend_env(request, backend)
    production = start_uvicorn(env | {"RELGRAPH_PRODUCTION": "true", "RELGRAPH_CYPHER_DIR": str(broken)})
    try:
        development = start_uvicorn(env)
    except BaseException:
        production.stop()
        raise
    yield backend, production, development
    production.stop()
    development.stop()


@pytest.fixture
async def urls(request: pytest.FixtureRequest, servers: tuple[str, UvicornProcess, UvicornProcess]
               ) -> AsyncIterator[tuple[httpx.AsyncClient, str, str]]:
    """A client, and /graphql of the production and the development server."""
    backend, production, development = servers
    store = fixture_store(request, backend)
    await store.runner.clear()
    await store.create_stakeholder({"id": "s", "kind": "CUSTOMER", "form": "PERSON", "name": "Sam"})
    async with httpx.AsyncClient(timeout=30.0) as client:
        yield client, f"{production.base_url}/graphql", f"{development.base_url}/graphql"
    await store.close()


async def errors_of(client: httpx.AsyncClient, url: str, query: str, variables: dict | None = None) -> list[dict]:
    response = await client.post(url, json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body.get("errors"), body
    return body["errors"]


INTROSPECTION = [
    "{ __schema { queryType { name } } }",
    '{ __type(name: "Stakeholder") { fields { name } } }',
    "query IntrospectionQuery { __schema { types { name fields { name } } } }",
]


@pytest.mark.parametrize("query", INTROSPECTION)
async def test_introspection_is_refused(urls: tuple[httpx.AsyncClient, str, str], query: str) -> None:
    client, production, development = urls
    open_ = (await client.post(development, json={"query": query})).json()
    assert open_.get("data") and not open_.get("errors"), open_
    response = await client.post(production, json={"query": query})
    body = response.json()
    assert body["data"] is None
    assert {e["extensions"]["code"] for e in body["errors"]} == {"GRAPHQL_VALIDATION_FAILED"}
    assert all("introspection" in e["message"] for e in body["errors"])


async def test_typename_still_answers(urls: tuple[httpx.AsyncClient, str, str]) -> None:
    client, production, _ = urls
    response = await client.post(production, json={"query": '{ __typename stakeholder(id: "s") { __typename name } }'})
    assert response.json() == {"data": {"__typename": "Query", "stakeholder": {"__typename": "Stakeholder", "name": "Sam"}}}


async def test_no_graphiql(urls: tuple[httpx.AsyncClient, str, str]) -> None:
    client, production, development = urls
    browser = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    served = await client.get(development, headers=browser)
    assert served.status_code == 200 and "graphiql" in served.text.lower()
    refused = await client.get(production, headers=browser)
    assert refused.status_code == 404
    assert "graphiql" not in refused.text.lower() and not refused.headers["content-type"].startswith("text/html")
    by_get = await client.get(production, params={"query": "{ __typename }"}, headers={"accept": "application/json"})
    assert by_get.json() == {"data": {"__typename": "Query"}}, "queries by GET still work"


#: Requests graphql-core answers with a suggestion, and the name it would suggest.
TYPOS = [
    ("{ stakeholderz(first: 1) { totalCount } }", None, "'stakeholders'"),
    ("{ stakeholders(firts: 1) { totalCount } }", None, "'first'"),
    ("{ stakeholders(first: 1, filter: {kind: [CUSTOMR]}) { totalCount } }", None, "'CUSTOMER'"),
    ("{ stakeholders(first: 1, filter: {kinds: [CUSTOMER]}) { totalCount } }", None, "'kind'"),
    ("query($f: StakeholderFiltr) { stakeholders(first: 1, filter: $f) { totalCount } }", None, "'StakeholderFilter'"),
    ("query($k: [StakeholderKind!]) { stakeholders(first: 1, filter: {kind: $k}) { totalCount } }",
     {"k": ["CUSTOMR"]}, "'CUSTOMER'"),
    ('{ stakeholder(id: "s") { ... on Stakeholdr { name } } }', None, "'Stakeholder'"),
]


@pytest.mark.parametrize("query, variables, suggested", TYPOS)
async def test_no_suggestions(urls: tuple[httpx.AsyncClient, str, str], query: str, variables: dict | None,
                              suggested: str) -> None:
    client, production, development = urls
    hinted = " ".join(e["message"] for e in await errors_of(client, development, query, variables))
    assert "Did you mean" in hinted and suggested in hinted, hinted
    errors = await errors_of(client, production, query, variables)
    said = " ".join(e["message"] for e in errors)
    assert "Did you mean" not in said and suggested not in said, said
    assert all(e["extensions"]["code"] in ("GRAPHQL_VALIDATION_FAILED", "BAD_USER_INPUT") for e in errors)


async def test_internal_errors_are_masked(urls: tuple[httpx.AsyncClient, str, str],
                                          servers: tuple[str, UvicornProcess, UvicornProcess]) -> None:
    client, production, _ = urls
    response = await client.post(production, json={"query": "{ stakeholders(first: 5) { totalCount nodes { key } } }"})
    assert response.status_code == 200
    body = response.json()
    (error,) = body["errors"]
    assert error["message"] == GENERIC_MESSAGE
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR"}
    assert [word for word in LEAKS if word.lower() in response.text.lower()] == []
    log = servers[1].log()
    assert "Traceback" in log and "nonsense" in log, "the operator still sees the real error"


async def test_bad_requests_leak_nothing(urls: tuple[httpx.AsyncClient, str, str]) -> None:
    client, production, _ = urls
    for content in (b"{not json", b'{"query": 12}', b'{"query": "{ stakeholders(first: \\"x\\") { totalCount } }"}',
                    b'{"query": "{ stakeholder(id: \\"\\u0000\\") { name } }"}', b'[{"query": "{ __typename }"}]',
                    b'{"query": "{ __typename }", "variables": [1]}', "\u00ff".encode("latin-1")):
        response = await client.post(production, content=content, headers={"content-type": "application/json"})
        assert response.status_code < 500, (content, response.text)
        assert "INTERNAL_SERVER_ERROR" not in response.text, (content, response.text)
        assert [word for word in LEAKS if word.lower() in response.text.lower()] == [], (content, response.text)
