"""Ids on the wire: Relay global ids out, and raw keys or global ids in.

Every object has a stable raw key (the store's id) and a global id, base64 of
`Type:key`. References in inputs accept either, so that scripts can use the keys they
imported with while front ends pass the global ids they were given.
"""

from __future__ import annotations

from strawberry.relay import GlobalID, GlobalIDValueError

from relgraph.errors import BadUserInput

NODE_TYPES = frozenset({"Stakeholder", "Relationship", "Interaction", "Complaint", "AccountPlan"})


def global_id(type_name: str, key: str) -> str:
    return str(GlobalID(type_name=type_name, node_id=key))


def parse_global(value: str) -> tuple[str, str] | None:
    """(type, key) when `value` is a global id of one of our types, else None."""
    try:
        gid = GlobalID.from_id(value)
    except (GlobalIDValueError, ValueError):
        return None
    if gid.type_name not in NODE_TYPES or not gid.node_id:
        return None
    return gid.type_name, gid.node_id


def key_of(value: str, type_name: str, *, field: str) -> str:
    """The raw key a reference names; BAD_USER_INPUT when it is another type's global id."""
    parsed = parse_global(value)
    if parsed is None:
        return value
    found, key = parsed
    if found != type_name:
        raise BadUserInput(f"{field}: expects a {type_name} id, got a {found} id", field=field)
    return key
