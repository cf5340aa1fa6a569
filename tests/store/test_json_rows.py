"""Whole-network reads that FalkorDB's overrides send as one JSON text (store.json_rows).

FalkorDB's toJSON leaves '"' and '\\' inside strings as they are and raw newlines in
them; the overrides escape the first two and the parser is lenient about the rest. Each
test runs on both backends: Neo4j answers with plain rows, the same values."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from relgraph.store.cypher import CypherLibrary
from relgraph.store.graph_store import GraphStore
from relgraph.store.json_rows import parsed, read_rows

NOW = datetime(2026, 11, 1, tzinfo=timezone.utc)
NAMES = ['plain', 'q"uote', 'back\\slash', 'new\nline', 'tab\there', 'uni é 😀', 'ctl\x01x', "a\\b", '\\"', 'end\\']


def customer(i: int, name: str) -> dict[str, object]:
    return {"id": f'c{i}-{name[:3]}', "kind": "CUSTOMER", "form": "ORGANIZATION", "name": name,
            "potential": 21000.0, "margin": 0.25}


async def test_customers_revenue_and_events_carry_any_string(store: GraphStore) -> None:
    customers = [customer(i, name) for i, name in enumerate(NAMES)]
    await store.upsert_stakeholders([*customers, {"id": "emp", "kind": "EMPLOYEE", "form": "PERSON", "name": "E"}])
    await store.record_interactions([
        {"type": "ORDER", "at": NOW - timedelta(days=10), "initiator_id": c["id"], "participant_ids": ["emp"], "value": 100.0 + i}
        for i, c in enumerate(customers)
    ])
    read = {row["id"]: row for row in await store.customer_accounts()}
    assert {i: row["name"] for i, row in read.items()} == {c["id"]: c["name"] for c in customers}
    assert all(row["potential"] == 21000.0 and row["margin"] == 0.25 and row["tier"] is None for row in read.values())
    revenue = await store.order_revenue(NOW - timedelta(days=365), NOW)
    assert revenue == {c["id"]: (100.0 + i, 100.0 + i, 1) for i, c in enumerate(customers)}
    events = await store.recent_events(NOW - timedelta(days=90))
    assert {a if b == "emp" else b for a, b in events} == {c["id"] for c in customers}


async def test_a_text_nothing_can_parse_is_read_again_with_the_shared_query(store: GraphStore, tmp_path: Path) -> None:
    """FalkorDB refuses to store NaN, so no stored value makes its JSON unparseable today;
    the fallback is still there for one that might, and it runs the shared query."""
    (tmp_path / "falkordb").mkdir()
    (tmp_path / "probe.cypher").write_text("RETURN 1 AS n")
    (tmp_path / "falkordb" / "probe.cypher").write_text("RETURN '[{\"n\": nan}]' AS json_rows")
    (tmp_path / "parsed.cypher").write_text("RETURN 1 AS n")
    (tmp_path / "falkordb" / "parsed.cypher").write_text("RETURN '[{\"n\": 2}, {\"n\": \"a\\nb\"}]' AS json_rows")
    library = CypherLibrary(store.runner.dialect, tmp_path)
    assert await read_rows(store.runner, library, "probe") == [{"n": 1}]
    expected = [{"n": 2}, {"n": "a\nb"}] if store.runner.dialect == "falkordb" else [{"n": 1}]
    assert await read_rows(store.runner, library, "parsed") == expected


def test_the_parser_is_lenient_only_about_control_characters() -> None:
    assert parsed('[{"a": "x\ny"}]') == [{"a": "x\ny"}]
    assert parsed('[{"a": "q\\"u"}]') == [{"a": 'q"u'}]
    try:
        parsed('[{"a": nan}]')
    except ValueError:
        pass
    else:
        raise AssertionError("nan is not JSON")
