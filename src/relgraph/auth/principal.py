"""The caller of one request, as the policy and the resolvers see it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from relgraph.auth.roles import Permission, Role

Via = Literal["api_key", "jwt", "open", "local", "none"]


@dataclass(frozen=True)
class Principal:
    """Who is calling: a role (None: may nothing), a subject for logs, and how they got in."""

    role: Role | None
    subject: str
    via: Via

    def may(self, permission: Permission) -> bool:
        return self.role is not None and self.role.may(permission)


#: Code running in this process with a store of its own (tests, scripts): trusted as admin.
LOCAL = Principal(Role.ADMIN, "local", "local")

#: Anyone, on a server that runs open (loopback without credentials, or `--insecure`).
OPEN = Principal(Role.ADMIN, "anonymous", "open")

#: A request that executes nothing (the GraphiQL page): may nothing, should it ever execute.
NOBODY = Principal(None, "nobody", "none")
