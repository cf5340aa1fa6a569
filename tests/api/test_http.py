"""/graphql as the GraphQL-over-HTTP spec asks, /healthz and /readyz, over real uvicorn."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from relgraph.api.http_json import nesting, too_deep as nests_too_deep

from .support import Api

QUERY = "{ stakeholders(first: 1) { totalCount } }"
MUTATION = 'mutation { createStakeholder(input: {kind: CUSTOMER, form: PERSON, name: "X"}) { stakeholder { key } } }'


async def test_healthz_and_readyz(api: Api) -> None:
    assert (await api.client.get(f"{api.base_url}/healthz")).status_code == 200
    ready = await api.client.get(f"{api.base_url}/readyz")
    assert ready.status_code == 200 and ready.json() == {"status": "ready"}


async def test_post_json(api: Api) -> None:
    response = await api.post(QUERY)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == {"data": {"stakeholders": {"totalCount": 0}}}


async def test_get_runs_queries(api: Api) -> None:
    response = await api.client.get(f"{api.base_url}/graphql", params={"query": QUERY},
                                    headers={"accept": "application/json"})
    assert response.status_code == 200
    assert response.json()["data"]["stakeholders"]["totalCount"] == 0


async def test_get_refuses_mutations(api: Api) -> None:
    response = await api.client.get(f"{api.base_url}/graphql", params={"query": MUTATION},
                                    headers={"accept": "application/json"})
    assert response.status_code == 405
    assert (await api.data(QUERY))["stakeholders"]["totalCount"] == 0, "nothing was written"


async def test_graphql_response_json_when_preferred(api: Api) -> None:
    accept = "application/graphql-response+json, application/json;q=0.9"
    response = await api.post(QUERY, accept=accept)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/graphql-response+json")
    assert json.loads(response.content)["data"]["stakeholders"]["totalCount"] == 0


async def test_application_json_when_preferred_or_unspecified(api: Api) -> None:
    for accept in ("application/json", "application/json, application/graphql-response+json;q=0.5", "*/*"):
        response = await api.post(QUERY, accept=accept)
        assert response.headers["content-type"].startswith("application/json"), accept


async def test_request_errors_by_media_type(api: Api) -> None:
    """A request that cannot run: 200 under application/json (legacy), 400 and no `data`
    under application/graphql-response+json."""
    legacy = await api.post("{ stakeholders { nope } }", accept="application/json")
    assert legacy.status_code == 200
    assert legacy.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"

    modern = await api.post("{ stakeholders {", accept="application/graphql-response+json")
    assert modern.status_code == 400
    body = json.loads(modern.content)
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"


async def test_field_errors_keep_200_and_data(api: Api) -> None:
    response = await api.post('{ stakeholder(id: "nobody") { key } }',
                              accept="application/graphql-response+json")
    assert response.status_code == 200
    assert json.loads(response.content) == {"data": {"stakeholder": None}}


async def test_graphiql_for_browsers(api: Api) -> None:
    response = await api.client.get(f"{api.base_url}/graphql", headers={"accept": "text/html,*/*;q=0.8"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "graphiql" in response.text.lower()


async def test_unsupported_content_type(api: Api) -> None:
    response = await api.client.post(f"{api.base_url}/graphql", content=QUERY,
                                     headers={"content-type": "text/plain"})
    assert response.status_code in (400, 415)


# -- JSON nested too deeply ----------------------------------------------------------------

DEPTH_LIMIT = 64  # the default of `max_json_depth`
FILTERED = "query($v: StakeholderFilter) { stakeholders(filter: $v) { totalCount } }"


def nested(levels: int) -> str:
    """A JSON value `levels` arrays deep."""
    return "[" * levels + "1" + "]" * levels


def body_with(variables: str, *, before: str = "") -> str:
    return '{%s"query": %s, "variables": {"v": %s}}' % (before, json.dumps(FILTERED), variables)


def too_deep(response) -> None:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/json")
    (error,) = response.json()["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "limit": "max_json_depth"}
    assert f"deeper than {DEPTH_LIMIT} levels" in error["message"]


async def test_a_body_nested_100000_deep_is_a_graphql_400(api: Api) -> None:
    for levels in (DEPTH_LIMIT, 1_000, 100_000):
        response = await api.client.post(f"{api.base_url}/graphql", content=body_with(nested(levels)),
                                         headers={"content-type": "application/json"})
        too_deep(response)
    # Python's parser reads NaN, which orjson refuses: the depth is still found.
    response = await api.client.post(f"{api.base_url}/graphql", content=body_with(nested(100_000), before='"x": NaN, '),
                                     headers={"content-type": "application/json"})
    too_deep(response)
    assert (await api.client.get(f"{api.base_url}/healthz")).status_code == 200  # the worker is fine


async def test_the_depth_limit_counts_from_the_body(api: Api) -> None:
    """The body and `variables` are two levels: `v` may nest 62 more, not 63."""
    at_limit = await api.client.post(f"{api.base_url}/graphql", content=body_with(nested(DEPTH_LIMIT - 2)),
                                     headers={"content-type": "application/json"})
    assert at_limit.status_code == 200
    assert at_limit.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"  # a list is no filter
    too_deep(await api.client.post(f"{api.base_url}/graphql", content=body_with(nested(DEPTH_LIMIT - 1)),
                                   headers={"content-type": "application/json"}))
    filtered = await api.post(FILTERED, {"v": {"and": [{"or": [{"kind": ["CUSTOMER"]}]}]}})
    assert filtered.json() == {"data": {"stakeholders": {"totalCount": 0}}}


async def test_get_variables_nested_too_deep_are_a_graphql_400(api: Api) -> None:
    for levels in (DEPTH_LIMIT + 1, 5_000):
        too_deep(await api.client.get(f"{api.base_url}/graphql", params={"query": FILTERED, "variables": '{"v": %s}' % nested(levels)},
                                      headers={"accept": "application/json"}))
    fine = await api.client.get(f"{api.base_url}/graphql", params={"query": FILTERED, "variables": '{"v": {"kind": ["CUSTOMER"]}}'},
                                headers={"accept": "application/json"})
    assert fine.status_code == 200 and fine.json() == {"data": {"stakeholders": {"totalCount": 0}}}


async def test_a_body_that_is_not_json_is_still_the_routers_400(api: Api) -> None:
    response = await api.client.post(f"{api.base_url}/graphql", content='{"query": ', headers={"content-type": "application/json"})
    assert response.status_code == 400 and "JSON" in response.text


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=2), inner, max_size=3),
    max_leaves=30,
)


def reference_depth(value) -> int:
    if isinstance(value, list):
        return 1 + max(map(reference_depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(reference_depth, value.values()), default=0)
    return 0


@given(json_values, st.integers(0, 8))
def test_nesting_is_the_depth_of_arrays_and_objects(value, limit) -> None:
    depth = reference_depth(value)
    assert nesting(value, 100) == depth
    assert (nesting(value, limit) > limit) == (depth > limit)
    text = json.dumps(value)
    assert nests_too_deep(text, limit) == nests_too_deep(text.encode(), limit) == (depth > limit)
