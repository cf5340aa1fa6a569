"""A fresh store on either backend, in a temporary folder, for one benchmark run."""

from __future__ import annotations

import json
import sys
import tempfile
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, AsyncIterator, Awaitable, Callable

from relgraph.store.embedded import EmbeddedFalkorDB
from relgraph.store.falkordb_runner import FalkorRunner
from relgraph.store.graph_store import GraphStore
from relgraph.store.neo4j_runner import Neo4jRunner
from relgraph.testing.neo4j_server import Neo4jTestServer


@asynccontextmanager
async def fresh_store(backend: str) -> AsyncIterator[tuple[GraphStore, dict[str, str], EmbeddedFalkorDB | None]]:
    """(store, the RELGRAPH_* variables that reach it, the embedded child if any), set up."""
    with tempfile.TemporaryDirectory(prefix="relgraph-bench-") as tmp:
        embedded: EmbeddedFalkorDB | None = None
        neo4j: Neo4jTestServer | None = None
        if backend == "falkordb":
            embedded = EmbeddedFalkorDB(Path(tmp)).start()
            store = GraphStore(FalkorRunner(unix_socket_path=str(embedded.socket_path)))
            env = {"RELGRAPH_FALKORDB_URL": f"unix://{embedded.socket_path}"}
        else:
            neo4j = Neo4jTestServer(data_dir=Path(tmp) / "neo4j").start()
            store = GraphStore(Neo4jRunner(neo4j.bolt_uri))
            env = {"RELGRAPH_NEO4J_URI": neo4j.bolt_uri}
        try:
            await store.setup()
            yield store, env, embedded
        finally:
            await store.close()
            if embedded:
                embedded.stop()
            if neo4j:
                neo4j.stop()


def emit(result: Any, out: Path | None) -> None:
    """A benchmark's result: as JSON into `out` (for bench/run) and on stderr (for people)."""
    text = json.dumps(result, indent=2, ensure_ascii=False)
    if out:
        out.write_text(text)
    print(text, file=sys.stderr)


def store_bench(doc: str, measure: Callable[[GraphStore, float], Awaitable[list[dict[str, Any]]]]) -> None:
    """The command line of a benchmark that measures one fresh store: `--backend`,
    `--scale`, `--out`; its rows go out through `emit`."""
    import argparse
    import asyncio

    parser = argparse.ArgumentParser(description=doc)
    parser.add_argument("--backend", choices=["falkordb", "neo4j"], required=True)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    async def run() -> dict[str, Any]:
        async with fresh_store(args.backend) as (store, _env, _embedded):
            return {"backend": args.backend, "rows": await measure(store, args.scale)}

    emit(asyncio.run(run()), args.out)
