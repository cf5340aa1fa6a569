"""The one place access is enforced: every resolved field is checked against the policy.

A denied field resolves to an error with `extensions.code` FORBIDDEN and null, as
GraphQL does for any failed field; the rest of the answer is unaffected (unless the
field is non-null, when the null moves up to the nearest nullable parent). A denied
mutation is refused before its resolver runs, so nothing is written.
"""

from __future__ import annotations

from typing import Any, Callable

from graphql import GraphQLResolveInfo
from strawberry.extensions import SchemaExtension

from relgraph.auth.policy import required_permission
from relgraph.auth.principal import NOBODY, Principal
from relgraph.auth.roles import Permission, lowest_role_with
from relgraph.errors import Forbidden

_WHAT = {
    Permission.READ: "read",
    Permission.READ_MONEY: "read money figures such as",
    Permission.WRITE: "write:",
    Permission.MANAGE_KEYS: "manage API keys:",
}


def denial(principal: Principal, permission: Permission, type_name: str, field_name: str) -> Forbidden:
    who = principal.role.value if principal.role else "this caller"
    needs = lowest_role_with(permission).value
    return Forbidden(f"{who} may not {_WHAT[permission]} {type_name}.{field_name} (needs {needs} or above)")


class AccessControl(SchemaExtension):
    """Checks each field against `relgraph.auth.policy` for the request's principal."""

    def resolve(self, _next: Callable[..., Any], root: Any, info: GraphQLResolveInfo, *args: Any, **kwargs: Any) -> Any:
        type_name = info.parent_type.name
        permission = required_permission(type_name, info.field_name)
        if permission is not None:
            principal: Principal = getattr(info.context, "principal", NOBODY)
            if not principal.may(permission):
                raise denial(principal, permission, type_name, info.field_name)
        return _next(root, info, *args, **kwargs)
