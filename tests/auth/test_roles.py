"""The role table: ordered, each role may what the one below may, and the policy's fields."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relgraph.auth.policy import KEY_FIELDS, MONEY_FIELDS, required_permission
from relgraph.auth.roles import ORDER, PERMISSIONS, Permission, Role, highest, lowest_role_with, role_named

roles = st.sampled_from(list(Role))


@given(roles, roles)
def test_a_higher_role_may_everything_a_lower_one_may(a: Role, b: Role) -> None:
    low, high = sorted((a, b), key=lambda r: r.rank)
    assert PERMISSIONS[low] <= PERMISSIONS[high]


def test_the_table_says_what_the_issue_says() -> None:
    may = {role: {p for p in Permission if role.may(p)} for role in ORDER}
    assert may[Role.VIEWER] == {Permission.READ}
    assert may[Role.ANALYST] == {Permission.READ, Permission.READ_MONEY}
    assert may[Role.EDITOR] == {Permission.READ, Permission.READ_MONEY, Permission.WRITE}
    assert may[Role.ADMIN] == set(Permission)
    assert [r.rank for r in ORDER] == [0, 1, 2, 3]
    assert lowest_role_with(Permission.READ_MONEY) is Role.ANALYST
    assert lowest_role_with(Permission.MANAGE_KEYS) is Role.ADMIN


@given(st.lists(roles))
def test_highest_is_the_max_by_rank(given_roles: list[Role]) -> None:
    top = highest(given_roles)
    if not given_roles:
        assert top is None
    else:
        assert top in given_roles and all(r.rank <= top.rank for r in given_roles)


@pytest.mark.parametrize("name", ["viewer", "ANALYST", " Editor ", "admin"])
def test_role_names_are_case_insensitive(name: str) -> None:
    assert role_named(name).value == name.strip().lower()


def test_an_unknown_role_names_the_choices() -> None:
    with pytest.raises(ValueError, match="viewer, analyst, editor, admin"):
        role_named("owner")


def test_policy_fields() -> None:
    assert required_permission("Mutation", "createStakeholder") is Permission.WRITE
    assert required_permission("Mutation", "createApiKey") is Permission.MANAGE_KEYS
    assert required_permission("Query", "apiKeys") is Permission.MANAGE_KEYS
    assert required_permission("Query", "stakeholders") is Permission.READ
    assert required_permission("KeyAccount", "clv") is Permission.READ_MONEY
    assert required_permission("Stakeholder", "name") is None
    assert all(required_permission(*f) is Permission.READ_MONEY for f in MONEY_FIELDS)
    assert all(required_permission(*f) is Permission.MANAGE_KEYS for f in KEY_FIELDS)
