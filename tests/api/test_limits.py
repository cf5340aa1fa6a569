"""Every query limit, through a real uvicorn on both backends: the limit itself is accepted,
one more is refused, with its code (and `extensions.limit` or `extensions.field`).

The server here runs with its own small limits (`LIMITS`), so that each can be reached
with a small request; the session's shared servers keep theirs.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import AsyncIterator, Iterator

import httpx
import pytest
from graphql.language import Lexer, Source, TokenKind

from relgraph.api.ids import global_id
from relgraph.store.cypher import cypher_dir

from .support import BACKENDS, Api, UvicornProcess, backend_env, fixture_store, start_uvicorn

MAX_DEPTH = 4
MAX_ALIASES = 3
MAX_TOKENS = 60
MAX_COST = 50
MAX_PAGE_SIZE = 20
MAX_BODY_BYTES = 1500
MAX_STRING_LENGTH = 40
MAX_BATCH = 5
MAX_OPERATIONS = 3
MAX_SELECTIONS = 64

LIMITS = {
    "RELGRAPH_MAX_DEPTH": MAX_DEPTH, "RELGRAPH_MAX_ALIASES": MAX_ALIASES, "RELGRAPH_MAX_TOKENS": MAX_TOKENS,
    "RELGRAPH_MAX_COST": MAX_COST, "RELGRAPH_MAX_PAGE_SIZE": MAX_PAGE_SIZE, "RELGRAPH_MAX_BODY_BYTES": MAX_BODY_BYTES,
    "RELGRAPH_MAX_STRING_LENGTH": MAX_STRING_LENGTH, "RELGRAPH_MAX_BATCH": MAX_BATCH,
    "RELGRAPH_MAX_OPERATIONS": MAX_OPERATIONS, "RELGRAPH_MAX_SELECTIONS": MAX_SELECTIONS,
}

SHAPE = "GRAPHQL_VALIDATION_FAILED"


def limited_env(request: pytest.FixtureRequest, backend: str) -> dict[str, str]:
    return backend_env(request, backend) | {name: str(value) for name, value in LIMITS.items()}


@pytest.fixture(scope="module", params=BACKENDS)
def limited_server(request: pytest.FixtureRequest) -> Iterator[tuple[str, UvicornProcess]]:
    backend = request.param
    server = start_uvicorn(limited_env(request, backend))
    yield backend, server
    server.stop()


@pytest.fixture
async def api(request: pytest.FixtureRequest, limited_server: tuple[str, UvicornProcess]) -> AsyncIterator[Api]:
    """The small-limits server, on an empty graph but for one stakeholder `s`."""
    backend, server = limited_server
    store = fixture_store(request, backend)
    await store.runner.clear()
    await store.create_stakeholder({"id": "s", "kind": "CUSTOMER", "form": "ORGANIZATION", "name": "S"})
    async with httpx.AsyncClient(timeout=30.0) as client:
        yield Api(backend, server.base_url, client, store, server)
    await store.close()


def tokens(query: str) -> int:
    """Lexical tokens of a document, counted as graphql-core's parser counts them."""
    lexer, count = Lexer(Source(query)), 0
    while lexer.advance().kind != TokenKind.EOF:
        count += 1
    return count


def refusal(error: dict, limit: str) -> None:
    assert error["extensions"] == {"code": SHAPE, "limit": limit}, error
    assert "path" not in error, "refused before execution"


# -- depth ------------------------------------------------------------------------------

CHAIN = ["stakeholder(id: \"s\")", "counterparts(first: 1)", "nodes", "stakeholder"]
LEAF = {0: "key", 1: "totalCount", 2: "direction"}


def nested(depth: int) -> str:
    """A query whose deepest field sits `depth` levels below the top-level field
    (`{ a { b } }` has depth 1), walking stakeholder -> counterparts -> nodes -> ..."""
    fields = [CHAIN[0]] + [CHAIN[1 + i % 3] for i in range(depth - 1)]
    body = LEAF[(depth - 1) % 3]
    for field in reversed(fields):
        body = f"{field} {{ {body} }}"
    return "{ " + body + " }"


async def test_depth(api: Api) -> None:
    assert await api.data(nested(MAX_DEPTH))
    (error, *_) = await api.errors(nested(MAX_DEPTH + 1))
    refusal(error, "max_depth")
    assert f"maximum operation depth of {MAX_DEPTH}" in error["message"]
    assert api.last["data"] is None


# -- aliases ----------------------------------------------------------------------------


def aliased(count: int) -> str:
    return "{ " + " ".join(f"a{n}: __typename" for n in range(count)) + " }"


async def test_aliases(api: Api) -> None:
    assert await api.data(aliased(MAX_ALIASES)) == {f"a{n}": "Query" for n in range(MAX_ALIASES)}
    refusal(await api.error(aliased(MAX_ALIASES + 1)), "max_aliases")


# -- selections --------------------------------------------------------------------------


def doubled(levels: int, leaves: int) -> str:
    """`{ ...F0 }`, each fragment spreading the next twice: 2^levels x `leaves` selections."""
    body = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels))
    return f"{{ ...F0 }} {body} fragment F{levels} on Query {{ {'__typename ' * leaves}}}"


async def test_selections(api: Api) -> None:
    """A document is sized by what its fragments expand to: 64 selections pass, 80 do not."""
    assert tokens(doubled(4, 5)) <= MAX_TOKENS
    assert await api.data(doubled(4, 4)) == {"__typename": "Query"}
    error = await api.error(doubled(4, 5))
    refusal(error, "max_selections")
    assert "80 selections" in error["message"]


# -- tokens -----------------------------------------------------------------------------


def of_tokens(count: int) -> str:
    query = "{ " + "__typename " * (count - 2) + "}"
    assert tokens(query) == count
    return query


async def test_tokens(api: Api) -> None:
    assert await api.data(of_tokens(MAX_TOKENS)) == {"__typename": "Query"}
    error = await api.error(of_tokens(MAX_TOKENS + 1))
    refusal(error, "max_tokens")


# -- cost -------------------------------------------------------------------------------

COST = "query($a: Int, $b: Int) { stakeholders(first: $a) { nodes { counterparts(first: $b) { nodes { direction } } } } }"


def cost(a: int, b: int) -> int:
    """stakeholders and nodes once, counterparts and its nodes `a` times, key `a * b` times."""
    return 2 + 2 * a + a * b


#: Cost 51 (7 stakeholders with 5 counterparts each), as a literal.
COST_51 = "{ stakeholders(first: 7) { nodes { counterparts(first: 5) { nodes { direction } } } } }"


async def test_cost(api: Api) -> None:
    assert cost(6, 6) == MAX_COST and cost(7, 5) == MAX_COST + 1
    assert await api.data(COST, a=6, b=6)
    error = await api.error(COST, a=7, b=5)
    refusal(error, "max_cost")
    assert f"cost {MAX_COST + 1} " in error["message"]
    refusal(await api.error(COST_51), "max_cost")


async def test_cost_of_default_pages(api: Api) -> None:
    """Without `first`, a connection counts as a default page (50, capped at MAX_PAGE_SIZE = 20)."""
    assert await api.data("{ stakeholders { nodes { key name } } }")  # 2 + 2 * 20 = 42
    refusal(await api.error("{ stakeholders { nodes { key name kind } } }"), "max_cost")  # 62


# -- page size (enforced by the resolvers) -------------------------------------------------


async def test_page_size(api: Api) -> None:
    query = "query($n: Int) { stakeholders(first: $n) { nodes { key } } }"
    assert (await api.data(query, n=MAX_PAGE_SIZE))["stakeholders"]["nodes"] == [{"key": "s"}]
    error = await api.error(query, n=MAX_PAGE_SIZE + 1)
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "first"}


# -- body size --------------------------------------------------------------------------


def body_of(size: int) -> bytes:
    """A valid request body of exactly `size` bytes (the query padded with spaces)."""
    bare = json.dumps({"query": "{ __typename}"}).encode()
    padded = json.dumps({"query": "{ __typename" + " " * (size - len(bare)) + "}"}).encode()
    assert len(padded) == size
    return padded


async def post_body(api: Api, body: bytes, *, chunked: bool = False) -> httpx.Response:
    headers = {"content-type": "application/json"}
    if not chunked:
        return await api.client.post(f"{api.base_url}/graphql", content=body, headers=headers)

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(body), 100):
            yield body[start:start + 100]

    return await api.client.post(f"{api.base_url}/graphql", content=chunks(), headers=headers)


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
async def test_body_size(api: Api, chunked: bool) -> None:
    accepted = await post_body(api, body_of(MAX_BODY_BYTES), chunked=chunked)
    assert accepted.status_code == 200 and accepted.json() == {"data": {"__typename": "Query"}}
    refused = await post_body(api, body_of(MAX_BODY_BYTES + 1), chunked=chunked)
    assert refused.status_code == 413
    (error,) = refused.json()["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "limit": "max_body_bytes"}
    assert str(MAX_BODY_BYTES) in error["message"]


async def test_body_size_refused_unread(api: Api) -> None:
    """A body announced too large is refused on its Content-Length, before it is sent."""
    response = await api.client.post(f"{api.base_url}/graphql", content=b"x" * (MAX_BODY_BYTES + 1),
                                     headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["limit"] == "max_body_bytes"


# -- string length ------------------------------------------------------------------------

CREATE = "mutation($input: CreateStakeholderInput!) { createStakeholder(input: $input) { stakeholder { key name } } }"


@pytest.mark.parametrize("char", ["x", "é", "😀"], ids=["ascii", "latin", "astral"])
async def test_string_length(api: Api, char: str) -> None:
    """Characters (code points) are counted, not bytes."""
    name = char * MAX_STRING_LENGTH
    made = await api.data(CREATE, input={"kind": "CUSTOMER", "form": "PERSON", "name": name})
    assert made["createStakeholder"]["stakeholder"]["name"] == name
    error = await api.error(CREATE, input={"kind": "CUSTOMER", "form": "PERSON", "name": name + char})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "input.name"}
    assert str(MAX_STRING_LENGTH) in error["message"]


async def test_string_length_of_literals_and_nested_values(api: Api) -> None:
    ok, over = "n" * MAX_STRING_LENGTH, "n" * (MAX_STRING_LENGTH + 1)
    query = '{ stakeholders(first: 1, filter: {nameContains: "%s"}) { totalCount } }'
    assert (await api.data(query % ok))["stakeholders"]["totalCount"] == 0
    assert (await api.error(query % over))["extensions"] == {"code": "BAD_USER_INPUT", "field": "filter.nameContains"}
    tags = {"kind": "CUSTOMER", "form": "PERSON", "name": "T", "tags": ["a", over]}
    assert (await api.error(CREATE, input=tags))["extensions"] == {"code": "BAD_USER_INPUT", "field": "input.tags[1]"}
    before = (await api.data("{ stakeholders(first: 1) { totalCount } }"))["stakeholders"]["totalCount"]
    assert before == 1, "the refused writes wrote nothing"


# -- batch size (list inputs) ---------------------------------------------------------------

RECORD = "mutation($input: RecordInteractionsInput!) { recordInteractions(input: $input) { interactions { key } } }"


async def test_batch_size(api: Api) -> None:
    await api.store.create_stakeholder({"id": "e", "kind": "EMPLOYEE", "form": "PERSON", "name": "E"})
    one = {"type": "CALL", "at": "2024-05-01T10:00:00Z", "initiator": "e", "participants": ["s"]}
    batch = [one | {"key": f"i{n}"} for n in range(MAX_BATCH + 1)]
    error = await api.error(RECORD, input={"interactions": batch})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "input.interactions"}
    assert "path" not in error, "refused before execution"
    done = await api.data(RECORD, input={"interactions": batch[:MAX_BATCH]})
    assert len(done["recordInteractions"]["interactions"]) == MAX_BATCH


@pytest.mark.parametrize("query, field", [
    ("query($v: [String!]) { stakeholders(first: 1, filter: {industry: $v}) { totalCount } }", "filter.industry"),
    ("query($v: [ID!]!) { nodes(ids: $v) { id } }", "ids"),
])
async def test_other_lists(api: Api, query: str, field: str) -> None:
    items = [global_id("Stakeholder", f"x{n}") for n in range(MAX_BATCH + 1)]
    assert await api.data(query, v=items[:MAX_BATCH])
    error = await api.error(query, v=items)
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}


async def test_literal_lists(api: Api) -> None:
    listed = ", ".join(f'"x{n}"' for n in range(MAX_BATCH))
    query = "{ stakeholders(first: 1, filter: {region: [%s]}) { totalCount } }"
    assert (await api.data(query % listed))["stakeholders"]["totalCount"] == 0
    error = await api.error(query % (listed + ', "y"'))
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "filter.region"}


# -- operations per batched request -------------------------------------------------------------


async def test_operations_per_batch(api: Api) -> None:
    url = f"{api.base_url}/graphql"
    ops = [{"query": "{ n%d: __typename }" % n} for n in range(MAX_OPERATIONS + 1)]
    accepted = await api.client.post(url, json=ops[:MAX_OPERATIONS])
    assert accepted.status_code == 200
    assert accepted.json() == [{"data": {f"n{n}": "Query"}} for n in range(MAX_OPERATIONS)]
    refused = await api.client.post(url, json=ops)
    assert refused.status_code == 400
    (error,) = refused.json()["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "limit": "max_operations"}
    malformed = await api.client.post(url, json=[{"query": "{ __typename }"}, 7])
    assert malformed.status_code == 400 and malformed.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_batching_is_off_by_default(api_server: tuple[str, UvicornProcess]) -> None:
    """The shared servers run with the default `max_operations` = 0."""
    _, server = api_server
    async with httpx.AsyncClient(timeout=30.0) as client:
        refused = await client.post(f"{server.base_url}/graphql", json=[{"query": "{ __typename }"}])
    assert refused.status_code == 400
    (error,) = refused.json()["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "limit": "max_operations"}


# -- validation order and memory (relgraph.api.validation) ----------------------------------------


async def test_limits_run_on_every_request_of_a_remembered_document(api: Api) -> None:
    """The same valid document, remembered after its first request, is still sized up by
    each request's own variables."""
    for _ in range(2):
        assert await api.data(COST, a=6, b=6)
    refusal(await api.error(COST, a=7, b=5), "max_cost")
    assert await api.data(COST, a=6, b=6)
    refusal(await api.error(COST, a=7, b=5), "max_cost")


async def test_an_invalid_document_is_refused_every_time(api: Api) -> None:
    for _ in range(3):
        error = await api.error("{ stakeholder(id: \"s\") { nope } }")
        assert error["extensions"] == {"code": SHAPE} and "nope" in error["message"]


async def test_unknown_fragment(api: Api) -> None:
    """The depth limit can't follow a spread to a missing fragment; GraphQL's own rule
    names it (it used to escape as a bare KeyError)."""
    error = await api.error("{ ...Nope }")
    assert error == {"message": "Unknown fragment 'Nope'.", "locations": [{"line": 1, "column": 6}],
                     "extensions": {"code": SHAPE}}


async def test_a_request_over_a_limit_gets_only_the_limit_error(api: Api) -> None:
    """Limits are checked first; a refused request is not also checked by GraphQL's rules."""
    query = "{ nope " + nested(MAX_DEPTH + 1)[1:]
    refusal(await api.error(query), "max_depth")


# -- refused before execution ------------------------------------------------------------------


async def test_refusals_never_execute(request: pytest.FixtureRequest, limited_server: tuple[str, UvicornProcess],
                                      tmp_path: Path) -> None:
    """Over a server whose every list query is broken, an over-limit query still gets its
    limit error, never the broken query's INTERNAL_SERVER_ERROR: it never ran."""
    backend, _ = limited_server
    broken = tmp_path / "cypher"
    shutil.copytree(cypher_dir(), broken)
    for path in [*broken.glob("list_stakeholders*.cypher"), *broken.glob("*/list_stakeholders*.cypher")]:
        path.write_text("MATCH (s:Stakeholder) RETURN s.id AS sort_key ORDER BY nonsense(((( LIMIT $limit\n")
    server = start_uvicorn(limited_env(request, backend) | {"RELGRAPH_CYPHER_DIR": str(broken)})
    try:
        async with httpx.AsyncClient(timeout=30.0) as client:
            async def first_error(query: str) -> dict:
                return (await client.post(f"{server.base_url}/graphql", json={"query": query})).json()["errors"][0]

            assert (await first_error("{ stakeholders(first: 1) { totalCount } }"))["extensions"]["code"] \
                == "INTERNAL_SERVER_ERROR", "it is broken"
            refusal(await first_error(COST_51), "max_cost")
            listing = "{ stakeholders(first: 1) { nodes { %s } } }"
            aliases = " ".join(f"k{n}: key" for n in range(MAX_ALIASES + 1))
            refusal(await first_error(listing % aliases), "max_aliases")
    finally:
        server.stop()
