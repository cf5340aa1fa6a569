"""Drift guard: every field that sounds like money is classified, and the lists are real.

A new field named like revenue, value, CLV, price, amount, cost, margin, potential,
loss, spend, budget, profit or income must be added to `MONEY_FIELDS` (analysts and
above) or to `NOT_MONEY` with a reason; otherwise this test fails.
"""

from __future__ import annotations

import re

from graphql import GraphQLInterfaceType, GraphQLObjectType

from relgraph.api.schema import schema
from relgraph.auth.policy import KEY_FIELDS, MONEY_FIELDS, NOT_MONEY

MONEY_WORDS = frozenset("revenue value clv ltv price amount cost margin potential loss spend budget profit income "
                        "salary fee invoice payment money worth currency turnover sales".split())


def sounds_like_money(name: str) -> bool:
    """Whether a camelCase name holds a money word (`totalSpend`, `revenue12m`; not `feedback`)."""
    words = [w.lower() for w in re.findall(r"[a-z]+|[A-Z][a-z]*|\d+", name)]
    return any(w in MONEY_WORDS or w.removesuffix("s") in MONEY_WORDS for w in words)


def output_fields() -> set[tuple[str, str]]:
    out = set()
    for name, kind in schema._schema.type_map.items():
        if name.startswith("__") or not isinstance(kind, (GraphQLObjectType, GraphQLInterfaceType)):
            continue
        out.update((name, field) for field in kind.fields)
    return out


def test_every_money_sounding_field_is_classified() -> None:
    sounding = {f for f in output_fields() if sounds_like_money(f[1])}
    unclassified = sorted(sounding - MONEY_FIELDS.keys() - NOT_MONEY.keys())
    assert not unclassified, f"classify these in relgraph.auth.policy (MONEY_FIELDS or NOT_MONEY): {unclassified}"


def test_the_lists_name_real_fields_only() -> None:
    fields = output_fields()
    for listed in (MONEY_FIELDS.keys(), NOT_MONEY.keys(), KEY_FIELDS):
        assert set(listed) <= fields, set(listed) - fields
    assert not MONEY_FIELDS.keys() & NOT_MONEY.keys()


def test_word_matching() -> None:
    assert all(map(sounds_like_money, ["revenue12m", "totalSpend", "lossImpact", "clv", "value", "orderValues"]))
    assert not any(map(sounds_like_money, ["feedback", "evaluation", "score", "lossy"]))


def test_the_issue_s_examples_are_money() -> None:
    assert {("KeyAccount", "revenue12m"), ("KeyAccount", "clv"), ("Interaction", "value"),
            ("AbcRevenue", "revenue")} <= MONEY_FIELDS.keys()
