"""API key management over GraphQL: list, create (the secret shown once), revoke.

Admins only: `relgraph.auth.policy.KEY_FIELDS` names these fields, and the access
guard refuses them to every other role before they run.
"""

from __future__ import annotations

from datetime import datetime

import strawberry

from relgraph.api.context import Info
from relgraph.api.errors import under
from relgraph.auth import keys
from relgraph.auth.roles import Role
from relgraph.domain.time import utcnow
from relgraph.errors import BadUserInput

AccessRole = strawberry.enum(Role, name="AccessRole", description="What a caller may do: viewer < analyst < editor < admin.")


@strawberry.type(description="An API key, without its secret (which only its creator ever saw).")
class ApiKey:
    key_id: str = strawberry.field(description="The key's id: the part after `rg_` of the key, not secret.")
    role: AccessRole  # type: ignore[valid-type]
    name: str | None
    created_at: datetime
    revoked_at: datetime | None
    expires_at: datetime | None = strawberry.field(description="After this moment the key lets no one in; null: never.")
    expired: bool = strawberry.field(description="True once past `expiresAt`: the key no longer lets anyone in.")

    @strawberry.field(description="True once revoked: the key no longer lets anyone in.")
    def revoked(self) -> bool:
        return self.revoked_at is not None

    @classmethod
    def of(cls, key: keys.ApiKey) -> ApiKey:
        return cls(key_id=key.id, role=key.role, name=key.name, created_at=key.created_at, revoked_at=key.revoked_at,
                   expires_at=key.expires_at, expired=key.expired(utcnow()))


@strawberry.input(description="A new API key.")
class CreateApiKeyInput:
    role: AccessRole  # type: ignore[valid-type]
    name: str | None = strawberry.field(default=None, description="What the key is for, for `apiKeys`.")
    expires_at: datetime | None = strawberry.field(
        default=None, description="After this moment (in the future; UTC when no offset is given) the key lets no one in."
    )


@strawberry.input(description="The API key to revoke (kept, marked revoked).")
class RevokeApiKeyInput:
    key_id: str


@strawberry.type
class CreateApiKeyPayload:
    api_key: ApiKey
    secret: str = strawberry.field(
        description="The key itself, to send as `Authorization: Bearer <secret>`. Shown only this once."
    )


@strawberry.type
class RevokeApiKeyPayload:
    api_key: ApiKey


@strawberry.type
class KeysQuery:
    @strawberry.field(description="Every API key, revoked ones too, oldest first (admin only).")
    async def api_keys(self, info: Info) -> list[ApiKey]:
        return [ApiKey.of(k) for k in await info.context.store.api_keys()]


@strawberry.type
class KeysMutation:
    @strawberry.mutation(description="Create an API key; its secret is in the answer and nowhere else (admin only).")
    async def create_api_key(self, info: Info, input: CreateApiKeyInput) -> CreateApiKeyPayload:
        now, expires = utcnow(), input.expires_at  # the DateTime scalar gives aware UTC
        if expires is not None and expires <= now:
            raise BadUserInput("expiresAt must be in the future", field="input.expiresAt")
        record, secret = keys.generate(Role(input.role), now=now, name=input.name, expires_at=expires)
        stored = await under("input", lambda: info.context.store.add_api_key(record))
        return CreateApiKeyPayload(api_key=ApiKey.of(stored), secret=secret)

    @strawberry.mutation(description="Revoke an API key at once (every server stops taking it within seconds; admin only).")
    async def revoke_api_key(self, info: Info, input: RevokeApiKeyInput) -> RevokeApiKeyPayload:
        stored = await under("input", lambda: info.context.store.revoke_api_key(input.key_id))
        return RevokeApiKeyPayload(api_key=ApiKey.of(stored))
