"""API keys: random, parseable, checked by hash, never recoverable from the record."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relgraph.auth import keys
from relgraph.auth.roles import Role

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


def test_a_key_names_its_record_and_matches_it() -> None:
    record, token = keys.generate(Role.ANALYST, now=NOW, name="reports")
    assert token.startswith("rg_") and len(token) == 3 + 12 + 1 + 43
    assert keys.key_id_of(token) == record.id
    assert keys.matches(record, token)
    assert token not in repr(record) and record.hash == keys.hash_key(token)
    assert (record.role, record.name, record.created_at, record.revoked) == (Role.ANALYST, "reports", NOW, False)


def test_keys_are_unique() -> None:
    made = [keys.generate(Role.VIEWER, now=NOW) for _ in range(200)]
    assert len({r.id for r, _ in made}) == 200 and len({t for _, t in made}) == 200


@given(st.text(max_size=80))
def test_no_other_string_matches(other: str) -> None:
    record, token = keys.generate(Role.ADMIN, now=NOW)
    if other != token:
        assert not keys.matches(record, other)


@given(st.text(max_size=80))
def test_only_well_formed_keys_have_an_id(text: str) -> None:
    key_id = keys.key_id_of(text)
    if key_id is not None:
        assert text.startswith(f"rg_{key_id}_") and len(text) == 59


def test_a_changed_character_does_not_match() -> None:
    record, token = keys.generate(Role.EDITOR, now=NOW)
    for i in range(len(token)):
        changed = token[:i] + ("A" if token[i] != "A" else "B") + token[i + 1 :]
        assert not keys.matches(record, changed)


def test_revoking_keeps_the_first_time() -> None:
    record, _ = keys.generate(Role.VIEWER, now=NOW)
    first = record.revoke(NOW + timedelta(hours=1))
    assert first.revoked and first.revoked_at == NOW + timedelta(hours=1)
    assert first.revoke(NOW + timedelta(hours=2)) == first


def test_a_key_expires_at_its_moment() -> None:
    record, _ = keys.generate(Role.VIEWER, now=NOW, expires_at=NOW + timedelta(days=30))
    assert record.in_force(NOW + timedelta(days=30) - timedelta(microseconds=1))
    assert record.expired(NOW + timedelta(days=30)) and not record.in_force(NOW + timedelta(days=30))
    forever, _ = keys.generate(Role.VIEWER, now=NOW)
    assert forever.in_force(NOW + timedelta(days=36500)) and not forever.expired(NOW + timedelta(days=36500))
    assert not record.revoke(NOW).in_force(NOW)
    with pytest.raises(ValueError, match="future"):
        keys.generate(Role.VIEWER, now=NOW, expires_at=NOW)
