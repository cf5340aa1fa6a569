"""API keys: random, stored only as a hash, shown to their owner once.

A key is `rg_<id>_<secret>`: `id` (12 hex digits) names the key in `relgraph keys list`
and `revoke` and is not secret; `secret` is 32 random bytes from `secrets`. The store
keeps the SHA-256 of the whole key. A fast unkeyed hash is enough here, unlike for
passwords: with 256 random bits there is nothing to guess, so a slow hash would only
slow every request. Checking compares hashes in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, replace
from datetime import datetime

from relgraph.auth.roles import Role

PREFIX = "rg_"
_KEY = re.compile(r"^rg_(?P<id>[0-9a-f]{12})_(?P<secret>[A-Za-z0-9_-]{43})$")


@dataclass(frozen=True)
class ApiKey:
    """A stored key: everything but the secret, which exists only in its hash."""

    id: str
    role: Role
    hash: str
    created_at: datetime
    name: str | None = None
    revoked_at: datetime | None = None
    #: After this moment the key lets no one in (None: it does not expire).
    expires_at: datetime | None = None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    def expired(self, now: datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= now

    def in_force(self, now: datetime) -> bool:
        """Neither revoked nor expired at `now`: the key lets its holder in."""
        return not self.revoked and not self.expired(now)

    def revoke(self, at: datetime) -> ApiKey:
        """Revoked at `at`, or unchanged when revoked already (the first time is kept)."""
        return self if self.revoked else replace(self, revoked_at=at)


def hash_key(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def generate(
    role: Role, *, now: datetime, name: str | None = None, expires_at: datetime | None = None
) -> tuple[ApiKey, str]:
    """A new key's record and its token, which is never stored and cannot be recovered.

    `expires_at` must be after `now` (ValueError): a key born expired is a mistake.
    """
    if expires_at is not None and expires_at <= now:
        raise ValueError("expires_at must be in the future")
    key_id = secrets.token_hex(6)
    token = f"{PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
    record = ApiKey(id=key_id, role=role, hash=hash_key(token), created_at=now, name=name, expires_at=expires_at)
    return record, token


def key_id_of(token: str) -> str | None:
    """The id inside a well-formed key, or None when `token` is not one."""
    match = _KEY.match(token)
    return match["id"] if match else None


def matches(key: ApiKey, token: str) -> bool:
    """Whether `token` is this key (constant time in the secret)."""
    return hmac.compare_digest(key.hash, hash_key(token))
