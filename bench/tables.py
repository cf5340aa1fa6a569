"""Render benchmark results (bench/results/*.json) as the docs/benchmarks.md tables."""

from __future__ import annotations

from typing import Any

HEADER = """# Benchmarks

Measured by `bench/run` (one command; `bench/run --scale 0.1` for a quick pass). Every
figure is a measurement on the machine named under each table, on the date given; a
target is what the issue asked for. Results are kept in `bench/results/*.json`.

Conditions: the first figures were taken on a 2-core machine shared with the project's
test suites and other benchmark runs (load average 5 to 8 on 2 cores), so they are
pessimistic; each table says when and at what scale it was measured. The strength and
soak tables were rerun on 2026-11-28 between 03:29 and 04:05 UTC, the limits table
between 05:41 and 06:23 UTC, the influence table between 07:49 and 08:53 UTC and the
key-accounts table between 10:40 and 10:42 UTC, with nothing else running (load average about 1 when each began; 4.6 for the
last Neo4j soak, right after the one before). For the Neo4j strength runs the launcher's JVM ran with full JIT
(`RELGRAPH_NEO4J_JAVA_OPTS="-Xmx2g -XX:TieredStopAtLevel=4"`); the Neo4j influence,
limits and soak runs used the launcher's defaults (with full JIT its restart under load
took minutes to recover, see the closing notes). The Neo4j server is the embedded Neo4j
5.26 of the test launcher (1 GB heap unless `RELGRAPH_NEO4J_JAVA_OPTS` says otherwise),
not a tuned production server.

"""


def _meta(result: dict[str, Any]) -> str:
    meta = result.get("_meta", {})
    return f"{meta.get('date', '?')} · {meta.get('machine', '?')} · scale {meta.get('scale', '?')}"


def _rate(n: float | None) -> str:
    return "–" if n is None else f"{n:,.0f}"


def bulk_load(results: dict[str, Any]) -> str:
    rows = ["## Bulk load (issue 2)", "",
            "Stakeholders, relationships and interactions written through the store's batch API "
            "(5,000 rows a call), then single recorded interactions one at a time. Targets: "
            "embedded ≥ 100k relationships/s, Neo4j ≥ 30k relationships/s, a single interaction p50 ≤ 5 ms "
            "on the embedded store.", "",
            "| backend | stakeholders/s | relationships/s | interactions/s | single interaction p50 / p99 (ms) | peak RSS relgraph (MB) | RSS FalkorDB child (MB) |",
            "|---|---|---|---|---|---|---|"]
    metas = []
    for backend in ("falkordb", "neo4j"):
        r = results.get(f"bulk_load-{backend}")
        if not r:
            continue
        single = r.get("single_interaction_ms", {})
        rows.append(
            f"| {backend} | {_rate(r['load']['stakeholders']['rows_per_s'])} | {_rate(r['load']['relationships']['rows_per_s'])} "
            f"| {_rate(r['load']['interactions']['rows_per_s'])} | {single.get('p50', '–')} / {single.get('p99', '–')} "
            f"| {r.get('peak_rss_mb_relgraph', '–')} | {r.get('rss_mb_falkordb_child', '–')} |"
        )
        metas.append(f"{backend}: {r['counts']} — {_meta(r)}")
    rows += [""] + [f"- {m}" for m in metas] + [""]
    return "\n".join(rows)


def generic(name: str, title: str, results: dict[str, Any]) -> str:
    """A benchmark whose JSON has a `rows` list of {metric, value, unit, target}."""
    lines = [f"## {title}", "", "| backend | metric | value | target |", "|---|---|---|---|"]
    metas = []
    for backend in ("falkordb", "neo4j", "all"):
        r = results.get(f"{name}-{backend}")
        if not r:
            continue
        for row in r.get("rows", []):
            lines.append(f"| {backend} | {row['metric']} | {row['value']} {row.get('unit', '')} | {row.get('target', '')} |")
        metas.append(f"{backend}: {_meta(r)}")
    lines += [""] + [f"- {m}" for m in metas] + [""]
    return "\n".join(lines)


def render_markdown(results: dict[str, Any]) -> str:
    parts = [HEADER]
    if any(k.startswith("bulk_load-") for k in results):
        parts.append(bulk_load(results))
    if any(k.startswith("strength-") for k in results):
        parts.append(generic("strength", "Strength upkeep and reads (issue 4)", results))
    if any(k.startswith("api_reads-") for k in results):
        parts.append(generic("api_reads", "API reads over HTTP (issue 3)", results))
    if any(k.startswith("pagerank-") for k in results):
        parts.append(generic("pagerank", "Influence algorithms on 100k nodes / 1M ties (issue 5)", results))
    if any(k.startswith("influence-") for k in results):
        parts.append(generic("influence", "Influence end to end on a store (issue 5)", results))
    if any(k.startswith("limits-") for k in results):
        parts.append(generic("limits", "Refusing over-limit requests over HTTP (issue 7; timed with a bare HTTP/1.1 client, httpx beside it)", results))
    if any(k.startswith("accounts-") for k in results):
        parts.append(generic("accounts", "Key accounts and reports on the xl demo, and a 100k-row report (issue 6)", results))
    if any(k.startswith("soak-") for k in results):
        parts.append(generic("soak", "Soak and faults: relgraph serve --workers 2 at a fixed rate (issue 7)", results))
    for name in sorted({k.rsplit("-", 1)[0] for k in results if k.startswith("versus-")}):
        bench = name.removeprefix("versus-")
        parts.append(generic(name, f"Side by side: `{bench}` on two versions (bench/versus.py)", results))
    return "\n".join(parts)
