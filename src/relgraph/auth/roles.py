"""The roles and what each may do: the one table every check reads.

Roles are ordered (viewer < analyst < editor < admin) and each may do everything the
one below it may, plus more; a test holds the table to that.
"""

from __future__ import annotations

from enum import Enum


class Permission(str, Enum):
    """What a request may need beyond being let in."""

    READ = "read"
    """Every query field that is not money."""
    READ_MONEY = "read_money"
    """Revenue, order values, CLV and the other amounts listed in `policy.MONEY_FIELDS`."""
    WRITE = "write"
    """Every mutation."""
    MANAGE_KEYS = "manage_keys"
    """Listing, creating and revoking API keys."""


class Role(str, Enum):
    VIEWER = "viewer"
    ANALYST = "analyst"
    EDITOR = "editor"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return ORDER.index(self)

    def may(self, permission: Permission) -> bool:
        return permission in PERMISSIONS[self]


#: Lowest first.
ORDER = (Role.VIEWER, Role.ANALYST, Role.EDITOR, Role.ADMIN)

#: What each role may: the central policy table.
PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.VIEWER: frozenset({Permission.READ}),
    Role.ANALYST: frozenset({Permission.READ, Permission.READ_MONEY}),
    Role.EDITOR: frozenset({Permission.READ, Permission.READ_MONEY, Permission.WRITE}),
    Role.ADMIN: frozenset(Permission),
}


def lowest_role_with(permission: Permission) -> Role:
    """The least role that may `permission` (named in FORBIDDEN messages)."""
    return next(role for role in ORDER if role.may(permission))


def role_named(name: str) -> Role:
    """A role by its name, case-insensitively; ValueError naming the choices otherwise."""
    try:
        return Role(name.strip().lower())
    except ValueError:
        choices = ", ".join(r.value for r in ORDER)
        raise ValueError(f"unknown role {name!r} (one of {choices})") from None


def highest(roles: list[Role]) -> Role | None:
    return max(roles, key=lambda r: r.rank) if roles else None
