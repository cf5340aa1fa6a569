"""/graphql as the GraphQL-over-HTTP spec asks, /healthz and /readyz, over real uvicorn."""

from __future__ import annotations

import json

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
