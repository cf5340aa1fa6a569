"""An open server answers this machine's own programs only, through a real uvicorn per
backend: a request for a non-loopback `Host` (a web page whose name rebinds to 127.0.0.1)
or from a non-loopback `Origin` is refused with 403, until credentials are configured."""

from __future__ import annotations

import asyncio
import json
from typing import AsyncIterator, Iterator
from urllib.parse import urlsplit

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from api.support import BACKENDS
from relgraph.auth import keys
from relgraph.auth.exposure import foreign_caller, loopback_authority, loopback_origin
from relgraph.auth.roles import Role
from relgraph.domain.time import utcnow

from .api_support import CACHE_S, AuthApi, codes, start, wait_for
from .conftest import drop_keys

GRAPH = "relgraph_rebinding_test"
KEYS = "{ apiKeys { keyId } }"


@pytest.mark.parametrize("host", ["localhost", "localhost:8000", "127.0.0.1", "127.0.0.1:8000", "127.9.9.9:1",
                                  "[::1]", "[::1]:8000", "LocalHost:80"])
def test_loopback_hosts(host: str) -> None:
    assert loopback_authority(host) and foreign_caller(host, None) is None


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.nip.io", "localhost.evil.example",
                                  "10.0.0.1:8000", "[::1", "[::1]x", "[::1]:x", "127.0.0.1:80:80", "::1", "",
                                  "localhost:", "0.0.0.0:8000"])
def test_foreign_hosts(host: str) -> None:
    assert not loopback_authority(host)
    assert "sent for the host" in (foreign_caller(host, None) or "")


@pytest.mark.parametrize("origin", ["http://localhost:3000", "https://127.0.0.1", "http://[::1]:8000"])
def test_loopback_origins(origin: str) -> None:
    assert loopback_origin(origin) and foreign_caller("localhost", origin) is None


@pytest.mark.parametrize("origin", ["http://evil.example", "null", "", "file://", "http://localhost:x",
                                    "chrome-extension://localhost", "http://127.0.0.1.nip.io"])
def test_foreign_origins(origin: str) -> None:
    assert not loopback_origin(origin)
    assert "web page" in (foreign_caller("localhost:8000", origin) or "")


def test_no_host_and_no_origin_is_not_a_web_page() -> None:
    assert foreign_caller(None, None) is None


# -- through a real server ------------------------------------------------------------------


@pytest.fixture(scope="module", params=BACKENDS)
def open_api(request: pytest.FixtureRequest) -> Iterator[AuthApi]:
    """A server with no key and no JWT, on 127.0.0.1: it runs open."""
    server, store = start(request, request.param, GRAPH)
    try:
        yield AuthApi(request.param, server, store)
    finally:
        server.stop()


@pytest.fixture(autouse=True)
async def _no_keys(open_api: AuthApi) -> AsyncIterator[None]:
    await drop_keys(open_api.store)
    yield
    await drop_keys(open_api.store)


def port_of(api: AuthApi) -> int:
    return urlsplit(api.server.base_url).port or 80


def refused(response: httpx.Response, because: str) -> None:
    assert response.status_code == 403, response.text
    body = response.json()
    assert codes(body) == ["FORBIDDEN"] and "data" not in body
    assert because in body["errors"][0]["message"] and "loopback" in body["errors"][0]["message"]


def test_loopback_names_are_served(open_api: AuthApi) -> None:
    port = port_of(open_api)
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", "localhost", f"[::1]:{port}"):
        response = open_api.post(KEYS, host=host, origin=f"http://localhost:{port}")
        assert response.status_code == 200 and response.json() == {"data": {"apiKeys": []}}, (host, response.text)


def test_a_rebound_name_is_refused(open_api: AuthApi) -> None:
    port = port_of(open_api)
    for host in (f"evil.example:{port}", "127.0.0.1.nip.io"):
        refused(open_api.post(KEYS, host=host), f"sent for the host '{host}'")
    create = 'mutation { createApiKey(input: {role: ADMIN}) { secret } }'
    refused(open_api.post(create, host=f"evil.example:{port}", origin=f"http://evil.example:{port}"), "evil.example")


def test_a_foreign_origin_is_refused(open_api: AuthApi) -> None:
    for origin in ("http://evil.example", "null"):
        refused(open_api.post(KEYS, origin=origin), f"web page of '{origin}'")


def test_every_graphql_route_is_refused_but_health_is_not(open_api: AuthApi) -> None:
    base, evil = open_api.server.base_url, {"host": "evil.example"}
    refused(httpx.get(f"{base}/graphql", params={"query": KEYS}, headers=evil), "evil.example")
    refused(httpx.get(f"{base}/graphql", headers={**evil, "accept": "text/html"}), "evil.example")  # GraphiQL
    assert httpx.get(f"{base}/graphql", headers={"accept": "text/html"}).status_code == 200
    for path in ("/healthz", "/readyz"):
        assert httpx.get(base + path, headers=evil).status_code == 200


def test_a_websocket_for_a_rebound_name_is_refused(open_api: AuthApi) -> None:
    port = port_of(open_api)

    async def ask(name: str, origin: str | None) -> object:
        async with connect(f"ws://{name}:{port}/graphql", host="127.0.0.1", port=port, origin=origin,
                           subprotocols=["graphql-transport-ws"]) as ws:
            await ws.send(json.dumps({"type": "connection_init"}))
            await ws.recv()
            await ws.send(json.dumps({"type": "subscribe", "id": "1", "payload": {"query": KEYS}}))
            return json.loads(await ws.recv())["payload"]

    assert asyncio.run(ask("localhost", None)) == {"data": {"apiKeys": []}}
    for name, origin in (("evil.example", None), ("evil.example", f"http://evil.example:{port}")):
        with pytest.raises(InvalidStatus) as refusal:
            asyncio.run(ask(name, origin))
        assert refusal.value.response.status_code == 403


async def test_with_credentials_any_name_is_served(open_api: AuthApi) -> None:
    """Once a key is in force, the name no longer matters: credentials decide, as anywhere."""
    record, token = keys.generate(Role.ADMIN, now=utcnow())
    await open_api.store.add_api_key(record)
    wait_for(lambda: open_api.post(KEYS, host="evil.example").status_code == 401, within=CACHE_S + 5)
    served = open_api.post(KEYS, token=token, host="evil.example", origin="http://evil.example")
    assert served.status_code == 200 and served.json()["data"]["apiKeys"] == [{"keyId": record.id}]


def test_insecure_serves_any_name(request: pytest.FixtureRequest, open_api: AuthApi) -> None:
    """`--insecure` opens the server to whoever reaches it, by any name."""
    server, store = start(request, open_api.backend, GRAPH, RELGRAPH_INSECURE="true")
    try:
        api = AuthApi(open_api.backend, server, store)
        response = api.post(KEYS, host="crm.example", origin="http://crm.example")
        assert response.status_code == 200 and response.json() == {"data": {"apiKeys": []}}
    finally:
        server.stop()
