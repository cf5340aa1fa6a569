"""The memory of valid documents (`relgraph.api.validation.ValidDocuments`): bounded, LRU."""

from __future__ import annotations

from graphql.validation import specified_rules

from relgraph.api.validation import ValidDocuments

RULES = tuple(specified_rules)


def test_remembers_the_most_recently_used() -> None:
    valid = ValidDocuments(2)
    a, b, c = (ValidDocuments.key(q, RULES) for q in ("{ a }", "{ b }", "{ c }"))
    valid.add(a)
    valid.add(b)
    assert a in valid  # a is now the most recent
    valid.add(c)
    assert a in valid and c in valid and b not in valid


def test_keys_differ_by_text_and_rules() -> None:
    assert ValidDocuments.key("{ a }", RULES) != ValidDocuments.key("{ a } ", RULES)
    assert ValidDocuments.key("{ a }", RULES) != ValidDocuments.key("{ a }", RULES[:-1])
    digest, _ = ValidDocuments.key("{ a }" * 10_000, RULES)
    assert len(digest) == 16, "a digest, never the document's text"


def test_size_zero_remembers_nothing() -> None:
    valid = ValidDocuments(0)
    key = ValidDocuments.key("{ a }", RULES)
    valid.add(key)
    assert key not in valid
