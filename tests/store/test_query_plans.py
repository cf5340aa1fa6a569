"""Every named query starts from an index on FalkorDB, never from a scan of the whole graph.

FalkorDB's planner starts from whatever index it can use, so a label on the wrong end of
a pattern can turn a lookup into a walk over every interaction. This test asks FalkorDB
for each query's plan and refuses full scans, except in queries that read everything on
purpose (exports, unfiltered lists, counts).
"""

from __future__ import annotations

import pytest

from relgraph.domain.enums import RelationshipType
from relgraph.store.cypher import CypherLibrary, cypher_dir
from relgraph.store.falkordb_runner import FalkorRunner, params_header
from relgraph.store.embedded import EmbeddedFalkorDB
from relgraph.store.graph_store import GraphStore

#: Queries that read a whole label by design, with the reason.
SCANS_ON_PURPOSE = {
    "ping": "no graph access",
    "schema": "DDL",
}
SCAN_PREFIXES = ("export_", "list_", "stakeholders_count", "network_", "all_")
SCANS = ("All Node Scan", "Label Scan | (i:Interaction", "Label Scan | (c:Complaint", "Label Scan | (s:Stakeholder", "Node By Label Scan")

PARAMS = {
    "ids": ["a"], "id": "a", "pairs": [["a", "b"]], "until": 1, "since": 0, "now": 1, "open": ["RECEIVED"],
    "a": "a", "b": "b", "org": "a", "from_id": "a", "to_id": "b", "limit": 5, "rows": [], "props": {},
    "half_life_ms": 1.0, "account_id": "a", "stakeholder_id": "a", "from_statuses": ["RECEIVED"],
    "changes": {}, "at": 1, "reason": "x", "strength": 0.5, "by": "x",
}


def named_queries() -> list[str]:
    """Every query that looks things up (those that read everything are left out)."""
    names = sorted(p.stem for p in cypher_dir().glob("*.cypher"))
    return [n for n in names if n not in SCANS_ON_PURPOSE and not n.startswith(SCAN_PREFIXES)]


@pytest.fixture(scope="module")
async def falkor(falkordb_server: EmbeddedFalkorDB) -> FalkorRunner:
    runner = FalkorRunner(unix_socket_path=str(falkordb_server.socket_path))
    await GraphStore(runner).setup()
    return runner


@pytest.mark.parametrize("name", named_queries())
async def test_named_query_uses_an_index(falkor: FalkorRunner, name: str) -> None:
    library = CypherLibrary("falkordb")
    text = library.query(name, RelationshipType.KNOWS, WHERE="true", ORDER="s.id")
    plan = "\n".join(await falkor.graph.explain(params_header(PARAMS) + text))
    assert not [s for s in SCANS if s in plan], f"{name} scans:\n{plan}"
