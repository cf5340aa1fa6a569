"""From a header to a principal, over the real stores; caches bounded by `auth_cache_s`.

The clock is the test's own, so that "within the cache time" is exact rather than slept.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from relgraph.auth import keys
from relgraph.auth.authenticator import Authenticator, Unauthorized, bearer_token
from relgraph.auth.principal import OPEN
from relgraph.auth.roles import Role
from relgraph.config import Settings
from relgraph.domain.time import utcnow
from relgraph.errors import Unauthenticated
from relgraph.store.graph_store import GraphStore

from .jwt_support import SECRET, hs256


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def authenticator(clock: Clock, **settings: object) -> Authenticator:
    return Authenticator(Settings(**settings), clock=clock)


@pytest.mark.parametrize("header", ["Basic YWxhZGRpbjpvcGVuc2VzYW1l", "Bearer", "Bearer   ", "token abc"])
def test_malformed_headers_are_unauthenticated(header: str) -> None:
    with pytest.raises(Unauthorized) as caught:
        bearer_token(header)
    assert caught.value.presented and caught.value.code == "UNAUTHENTICATED"


def test_bearer_is_case_insensitive() -> None:
    assert bearer_token("bearer abc") == bearer_token("Bearer  abc ") == "abc"
    assert bearer_token(None) is None and bearer_token("  ") is None


async def test_open_on_loopback_until_a_key_exists(keystore: GraphStore) -> None:
    clock = Clock()
    auth = authenticator(clock)
    assert await auth.authenticate(None, keystore) is OPEN
    record, token = keys.generate(Role.VIEWER, now=utcnow())
    await keystore.add_api_key(record)
    assert await auth.authenticate(None, keystore) is OPEN  # cached "no keys"
    clock.now += 2.01
    with pytest.raises(Unauthorized, match="credentials required"):
        await auth.authenticate(None, keystore)
    principal = await auth.authenticate(f"Bearer {token}", keystore)
    assert (principal.role, principal.subject, principal.via) == (Role.VIEWER, f"key:{record.id}", "api_key")


async def test_a_refusal_is_confirmed_by_the_database(keystore: GraphStore) -> None:
    """A cached "keys in force" never refuses a request once the keys are gone."""
    clock = Clock()
    auth = authenticator(clock)
    record, _ = keys.generate(Role.VIEWER, now=utcnow())
    await keystore.add_api_key(record)
    with pytest.raises(Unauthorized, match="credentials required"):
        await auth.authenticate(None, keystore)
    await keystore.runner.write("MATCH (k:ApiKey) DETACH DELETE k")
    assert await auth.authenticate(None, keystore) is OPEN  # at once, within the cache time


async def test_never_open_beyond_loopback(keystore: GraphStore) -> None:
    auth = authenticator(Clock(), host="0.0.0.0")
    with pytest.raises(Unauthorized, match="not on a loopback address"):
        await auth.authenticate(None, keystore)
    assert await authenticator(Clock(), host="0.0.0.0", insecure=True).authenticate(None, keystore) is OPEN


async def test_revocation_takes_effect_within_the_cache_time(keystore: GraphStore) -> None:
    clock = Clock()
    auth = authenticator(clock, auth_cache_s=5)
    record, token = keys.generate(Role.EDITOR, now=utcnow())
    await keystore.add_api_key(record)
    assert (await auth.authenticate(f"Bearer {token}", keystore)).role is Role.EDITOR
    await keystore.revoke_api_key(record.id)
    clock.now += 4.9
    assert (await auth.authenticate(f"Bearer {token}", keystore)).role is Role.EDITOR
    clock.now += 0.2
    with pytest.raises(Unauthorized, match="revoked"):
        await auth.authenticate(f"Bearer {token}", keystore)


async def test_an_expired_key_is_refused_and_says_when(keystore: GraphStore) -> None:
    auth = authenticator(Clock(), auth_cache_s=0)
    now = utcnow()
    live, live_token = keys.generate(Role.EDITOR, now=now - timedelta(days=1), expires_at=now + timedelta(hours=1))
    lapsed, lapsed_token = keys.generate(Role.ADMIN, now=now - timedelta(days=1), expires_at=now - timedelta(minutes=1))
    await keystore.add_api_key(live)
    await keystore.add_api_key(lapsed)
    assert (await auth.authenticate(f"Bearer {live_token}", keystore)).role is Role.EDITOR
    with pytest.raises(Unauthorized, match=f"expired at {lapsed.expires_at:%Y-%m-%d %H:%M:%S} UTC"):
        await auth.authenticate(f"Bearer {lapsed_token}", keystore)


async def test_without_a_cache_every_request_asks(keystore: GraphStore) -> None:
    auth = authenticator(Clock(), auth_cache_s=0)
    record, token = keys.generate(Role.ADMIN, now=utcnow())
    await keystore.add_api_key(record)
    before = keystore.runner.round_trips
    for _ in range(3):
        assert (await auth.authenticate(f"Bearer {token}", keystore)).role is Role.ADMIN
    assert keystore.runner.round_trips - before == 3
    await keystore.revoke_api_key(record.id)
    with pytest.raises(Unauthorized, match="revoked"):
        await auth.authenticate(f"Bearer {token}", keystore)


async def test_cached_requests_cost_no_round_trip(keystore: GraphStore) -> None:
    auth = authenticator(Clock())
    record, token = keys.generate(Role.ANALYST, now=utcnow())
    await keystore.add_api_key(record)
    await auth.authenticate(f"Bearer {token}", keystore)
    before = keystore.runner.round_trips
    for _ in range(5):
        await auth.authenticate(f"Bearer {token}", keystore)
    assert keystore.runner.round_trips == before


@pytest.mark.parametrize("bad", ["rg_0123456789ab_" + "A" * 43, "not-a-key", "rg_short"])
async def test_unknown_or_wrong_keys(keystore: GraphStore, bad: str) -> None:
    record, token = keys.generate(Role.VIEWER, now=utcnow())
    await keystore.add_api_key(record)
    with pytest.raises(Unauthorized) as caught:
        await authenticator(Clock()).authenticate(f"Bearer {bad}", keystore)
    assert caught.value.presented
    wrong_secret = token[:-1] + ("A" if token[-1] != "A" else "B")
    with pytest.raises(Unauthorized, match="not valid"):
        await authenticator(Clock()).authenticate(f"Bearer {wrong_secret}", keystore)


async def test_jwt_beside_keys(keystore: GraphStore) -> None:
    auth = authenticator(Clock(), jwt_secret=SECRET, jwt_issuer="", jwt_audience="")
    with pytest.raises(Unauthorized, match="credentials required"):
        await auth.authenticate(None, keystore)  # JWT configured: never open, keys or not
    assert (await auth.authenticate(f"Bearer {hs256(role='editor', aud=None)}", keystore)).role is Role.EDITOR
    with pytest.raises(Unauthenticated, match="audience"):  # a token for some audience, when none is set
        await auth.authenticate(f"Bearer {hs256(role='editor')}", keystore)
    with pytest.raises(Unauthenticated, match="expired"):
        await auth.authenticate(f"Bearer {hs256(exp=1)}", keystore)
