"""JWT bearer tokens through a real uvicorn, per backend: HS256 and RS256, iss/aud/exp,
claims mapped to roles."""

from __future__ import annotations

import time
from typing import Iterator

import pytest

from api.support import BACKENDS

from .api_support import AuthApi, codes, start
from .conftest import drop_keys
from .jwt_support import AUDIENCE, ISSUER, ROLE_MAP, SECRET, hs256, public_pem, rs256

GRAPH = "relgraph_jwt_test"
CREATE = ('mutation($k: String!) { createStakeholder(input: {key: $k, kind: CUSTOMER, form: ORGANIZATION, '
          'name: "Jot", potential: 99000}) { stakeholder { key } } }')


@pytest.fixture(scope="module", params=BACKENDS)
def jwt_api(request: pytest.FixtureRequest) -> Iterator[AuthApi]:
    server, store = start(request, request.param, GRAPH, RELGRAPH_JWT_SECRET=SECRET,
                          RELGRAPH_JWT_PUBLIC_KEY=public_pem(), RELGRAPH_JWT_ISSUER=ISSUER,
                          RELGRAPH_JWT_AUDIENCE=AUDIENCE, RELGRAPH_JWT_ROLE_MAP=ROLE_MAP)
    try:
        yield AuthApi(request.param, server, store)
    finally:
        server.stop()


@pytest.fixture(autouse=True)
async def _tidy(jwt_api: AuthApi) -> Iterator[None]:
    await jwt_api.store.runner.write("MATCH (s:Stakeholder) WHERE s.id STARTS WITH 'jwt-' DETACH DELETE s")
    yield
    await drop_keys(jwt_api.store)


@pytest.mark.parametrize("sign", [hs256, rs256], ids=["HS256", "RS256"])
def test_roles_from_tokens(jwt_api: AuthApi, sign) -> None:
    key = f"jwt-{sign.__name__}"
    viewer = jwt_api.post(CREATE, {"k": key}, token=sign(role="staff")).json()  # mapped: staff=viewer
    assert codes(viewer) == ["FORBIDDEN"]
    editor = jwt_api.post(CREATE, {"k": key}, token=sign(role="sales")).json()  # mapped: sales=editor
    assert editor == {"data": {"createStakeholder": {"stakeholder": {"key": key}}}}
    read = '{ stakeholder(id: "%s") { name potential } }' % key
    hidden = jwt_api.post(read, token=sign(role="staff")).json()
    assert codes(hidden) == ["FORBIDDEN"] and hidden["data"]["stakeholder"] == {"name": "Jot", "potential": None}
    shown = jwt_api.post(read, token=sign(role=["staff", "finance"])).json()  # mapped: finance=analyst
    assert shown == {"data": {"stakeholder": {"name": "Jot", "potential": 99000.0}}}
    keys_list = jwt_api.post("{ apiKeys { keyId } }", token=sign(role="crm-admins")).json()
    assert keys_list == {"data": {"apiKeys": []}}


@pytest.mark.parametrize("sign", [hs256, rs256], ids=["HS256", "RS256"])
@pytest.mark.parametrize(
    ("change", "says"),
    [({"iss": "https://evil.example"}, "issuer"), ({"aud": "other"}, "audience"),
     ({"exp": int(time.time()) - 3600}, "expired"), ({"exp": None}, "exp")],
    ids=["wrong-issuer", "wrong-audience", "expired", "no-exp"],
)
def test_bad_tokens_are_401(jwt_api: AuthApi, sign, change: dict, says: str) -> None:
    response = jwt_api.post("{ stakeholders { totalCount } }", token=sign(role="admin", **change))
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"] == 'Bearer realm="relgraph", error="invalid_token"'
    body = response.json()
    assert codes(body) == ["UNAUTHENTICATED"] and says in body["errors"][0]["message"]


def test_a_token_without_a_role_is_403(jwt_api: AuthApi) -> None:
    response = jwt_api.post("{ stakeholders { totalCount } }", token=hs256(role="intern"))
    assert response.status_code == 403 and codes(response.json()) == ["FORBIDDEN"]


@pytest.mark.parametrize("named", ["admin", "viewer"])
def test_with_a_role_map_a_plain_role_name_is_403(jwt_api: AuthApi, named: str) -> None:
    """The server maps `crm-admins=admin`: a token whose claim reads plainly `admin` is no admin."""
    response = jwt_api.post("{ apiKeys { keyId } }", token=hs256(role=named))
    assert response.status_code == 403 and codes(response.json()) == ["FORBIDDEN"]
    assert "role map" in response.json()["errors"][0]["message"]


def test_any_name_is_served_with_credentials(jwt_api: AuthApi) -> None:
    """JWT configured: the server is not open, so a non-loopback Host is judged by its token."""
    response = jwt_api.post("{ apiKeys { keyId } }", token=hs256(role="crm-admins"), host="crm.example",
                            origin="https://crm.example")
    assert response.status_code == 200 and response.json() == {"data": {"apiKeys": []}}
    assert jwt_api.post("{ apiKeys { keyId } }", host="crm.example").status_code == 401


def test_jwt_means_credentials_are_required(jwt_api: AuthApi) -> None:
    """With JWT configured the server is never open, even on loopback with no API key."""
    response = jwt_api.post("{ stakeholders { totalCount } }")
    assert response.status_code == 401 and codes(response.json()) == ["UNAUTHENTICATED"]
