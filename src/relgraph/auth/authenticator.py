"""From an `Authorization` header to a principal, with short per-process caches.

Credentials are asked for when access control is on: some API key is in force or JWT is
configured. Without that, a server that may run open (see `exposure`) lets requests
in as admin, but only requests that come for a loopback name and not from a web page
of another site (see `exposure.foreign_caller`), unless the operator chose `--insecure`.
A request that presents a token is always checked, open server or not.

Two answers are cached for `auth_cache_s` seconds (2 by default) so that most
requests cost no database round trip: whether any key is in force, and each presented
key's verdict. A key revoked or expired, or the first key created, takes effect within that time
on every worker; with `auth_cache_s` 0 every request asks the database. Refusing a
request for want of credentials is always confirmed by the database (one small read),
so a server never refuses on the strength of keys that no longer exist.
"""

from __future__ import annotations

import time
from typing import Callable, Protocol

from relgraph.auth import keys
from relgraph.auth.exposure import may_run_open
from relgraph.auth.jwt import JwtVerifier
from relgraph.auth.principal import OPEN, Principal
from relgraph.config import Settings
from relgraph.domain.time import utcnow
from relgraph.errors import Forbidden, Unauthenticated

#: Verdicts kept at most; beyond that the cache starts afresh (bounds memory under floods).
MAX_CACHED = 4096


class KeyReader(Protocol):
    async def api_key(self, key_id: str) -> keys.ApiKey | None: ...

    async def has_active_api_keys(self) -> bool: ...


class Unauthorized(Unauthenticated):
    """UNAUTHENTICATED, remembering whether a token was presented (for WWW-Authenticate)."""

    def __init__(self, message: str, *, presented: bool) -> None:
        super().__init__(message)
        self.presented = presented


def bearer_token(authorization: str | None) -> str | None:
    """The token of `Bearer <token>`, None without a header; UNAUTHENTICATED otherwise."""
    if authorization is None or not authorization.strip():
        return None
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("send credentials as `Authorization: Bearer <API key or JWT>`", presented=True)
    return token.strip()


def web_page_refused(reason: str) -> Forbidden:
    """FORBIDDEN for a request to an open server that may come from a web page."""
    return Forbidden(
        "this server runs without credentials, so it answers only this machine's own programs, "
        f"at a loopback name (localhost, 127.0.0.1, [::1]); this request is refused because {reason}. "
        "Use http://localhost:<port>, or turn access control on (`relgraph keys create --role admin`, "
        "or JWT) to serve other names and web pages."
    )


class Authenticator:
    """One per process: settings, the JWT verifier and the caches."""

    def __init__(self, settings: Settings, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.jwt = JwtVerifier.from_settings(settings)
        self.open_allowed = may_run_open(settings)
        #: An open server answers loopback names only (`--insecure` lifts this).
        self.loopback_names_only = not settings.insecure
        self.ttl = settings.auth_cache_s
        self.clock = clock
        self._in_force: tuple[float, bool] | None = None
        self._verdicts: dict[str, tuple[float, Principal | str]] = {}

    async def authenticate(self, authorization: str | None, store: KeyReader, *, foreign: str | None = None) -> Principal:
        """The caller's principal. `foreign`: why the request may come from a web page
        (`exposure.foreign_caller`); such a request is never let in as OPEN."""
        token = bearer_token(authorization)
        if token is not None:
            return await self._check(token, store)
        if self.jwt is not None or await self.keys_in_force(store, confirm=True):
            raise Unauthorized("credentials required: send `Authorization: Bearer <API key or JWT>`", presented=False)
        if self.open_allowed:
            if foreign is not None and self.loopback_names_only:
                raise web_page_refused(foreign)
            return OPEN
        raise Unauthorized(
            "no credentials are configured, and this server is not on a loopback address: "
            "create an API key with `relgraph keys create`",
            presented=False,
        )

    async def runs_open(self, store: KeyReader) -> bool:
        """Whether a request without credentials would now be let in as OPEN."""
        return self.jwt is None and self.open_allowed and not await self.keys_in_force(store, confirm=True)

    async def keys_in_force(self, store: KeyReader, *, confirm: bool = False) -> bool:
        """Whether some key is in force. `confirm`: a cached "yes" is asked again, so that
        a refusal never rests on keys that have since gone (a cached "no" stands)."""
        now = self.clock()
        cached = self._in_force
        if cached is not None and cached[0] > now and not (confirm and cached[1]):
            return cached[1]
        found = await store.has_active_api_keys()
        self._in_force = (now + self.ttl, found)
        return found

    async def _check(self, token: str, store: KeyReader) -> Principal:
        key_id = keys.key_id_of(token)
        if key_id is None:
            if self.jwt is None:
                raise Unauthorized("the bearer token is not an API key (and JWT is not configured)", presented=True)
            try:
                return self.jwt.verify(token)
            except Unauthenticated as exc:
                raise Unauthorized(exc.message, presented=True) from None
        verdict = await self._key_verdict(key_id, token, store)
        if isinstance(verdict, str):
            raise Unauthorized(verdict, presented=True)
        return verdict

    async def _key_verdict(self, key_id: str, token: str, store: KeyReader) -> Principal | str:
        """The key's principal, or why it is refused; cached by the token's hash."""
        digest = keys.hash_key(token)
        now = self.clock()
        cached = self._verdicts.get(digest)
        if cached is not None and cached[0] > now:
            return cached[1]
        record = await store.api_key(key_id)
        verdict: Principal | str
        if record is None or not keys.matches(record, token):
            verdict = "the API key is not valid"
        elif record.revoked:
            verdict = "the API key has been revoked"
        elif record.expired(utcnow()):
            verdict = f"the API key expired at {record.expires_at:%Y-%m-%d %H:%M:%S} UTC"
        else:
            verdict = Principal(record.role, f"key:{record.id}", "api_key")
        if len(self._verdicts) >= MAX_CACHED:
            self._verdicts.clear()
        if self.ttl > 0:
            self._verdicts[digest] = (now + self.ttl, verdict)
        return verdict
