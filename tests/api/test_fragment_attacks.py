"""Fragment reuse cannot make a small request expensive, through a real server with the
default limits on both backends.

A fragment spread twice in each of n fragments stands for 2^n selections. The server
measures each fragment once, so such a document is refused by `max_selections` after a
walk as long as the document; meanwhile the server keeps answering everyone else.
"""

from __future__ import annotations

import asyncio

import httpx

from .support import Api

SHAPE = "GRAPHQL_VALIDATION_FAILED"


def doubling(levels: int, fragment_type: str = "Query", leaf: str = "__typename") -> str:
    body = " ".join(f"fragment F{i} on {fragment_type} {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels))
    return f"{{ ...F0 }} {body} fragment F{levels} on {fragment_type} {{ {leaf} }}"


ATTACKS = {
    "doubling, 20 levels": doubling(20),
    "doubling, 40 levels": doubling(40),
    "doubling, 100 levels": doubling(100),
    "doubling with fields": doubling(60, leaf="stakeholders(first: 500) { totalCount }"),
    "doubling through inline fragments": "{ ...F0 } " + " ".join(
        f"fragment F{i} on Query {{ ... on Query {{ ...F{i + 1} }} ... {{ ...F{i + 1} }} }}" for i in range(80)
    ) + " fragment F80 on Query { __typename }",
    "doubling on an interface": "{ node(id: \"x\") { ...F0 } } " + " ".join(
        f"fragment F{i} on Node {{ ...F{i + 1} ... on Stakeholder {{ ...F{i + 1} }} }}" for i in range(80)
    ) + " fragment F80 on Node { id }",
}


async def test_fragment_doubling_is_refused_by_its_size(api: Api) -> None:
    for name, query in ATTACKS.items():
        errors = await api.errors(query)
        limits = {error["extensions"].get("limit") for error in errors}
        assert "max_selections" in limits, (name, errors)
        assert all(error["extensions"]["code"] == SHAPE for error in errors), (name, errors)
        assert api.last["data"] is None


async def test_the_server_stays_responsive_under_fragment_attacks(api: Api) -> None:
    """Twenty 100-level attacks at once, and `/healthz` and a real query still answer."""
    attack = doubling(100)

    async def attack_once(client: httpx.AsyncClient) -> int:
        response = await client.post(f"{api.base_url}/graphql", json={"query": attack})
        return response.status_code

    async with httpx.AsyncClient(timeout=10.0) as client:
        statuses = await asyncio.gather(*(attack_once(client) for _ in range(20)))
        health = await client.get(f"{api.base_url}/healthz")
    assert set(statuses) == {200} and health.status_code == 200
    assert await api.data("{ stakeholders(first: 1) { totalCount } }") == {"stakeholders": {"totalCount": 0}}
