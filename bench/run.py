"""Run every benchmark and write the results table to docs/benchmarks.md.

Each benchmark is a script in this folder that prints one JSON object (its results) to
a file named by `--out`. This runner starts them one by one, in fresh processes so that
peak-memory figures are their own, and renders the table with the machine and the date.

    bench/run                 # everything, full size
    bench/run --scale 0.1     # a quick pass at a tenth of the size
    bench/run --only bulk_load --backend falkordb
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DOCS = HERE.parent / "docs" / "benchmarks.md"
RESULTS = HERE / "results"

#: (script, takes --backend, extra args)
BENCHMARKS: list[tuple[str, bool]] = [
    ("bulk_load", True),
    ("strength", True),
    ("api_reads", True),
    ("pagerank", False),
    ("influence", True),  # 100k stakeholders / 1M ties at scale 1 (use --scale 0.1 for Neo4j)
    ("limits", True),  # refusals of over-limit requests; no data needed
    ("soak", True),  # 300 s × scale per backend; Neo4j is killed and restarted half-way
    ("accounts", False),  # key accounts, at-risk, CSV report on the embedded FalkorDB (xl demo at scale 1)
]


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def run_one(script: str, backend: str | None, scale: float) -> dict[str, Any] | None:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as tmp:
        out = Path(tmp.name)
    cmd = [sys.executable, str(HERE / f"{script}.py"), "--scale", str(scale), "--out", str(out)]
    if backend:
        cmd += ["--backend", backend]
    print(f"== {script} {backend or ''} (scale {scale})", flush=True)
    done = subprocess.run(cmd, cwd=HERE.parent)
    if done.returncode != 0 or not out.exists() or not out.read_text().strip():
        print(f"!! {script} {backend or ''} failed (exit {done.returncode})", flush=True)
        return None
    return json.loads(out.read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--only", action="append", help="run only these benchmarks")
    parser.add_argument("--backend", action="append", choices=["falkordb", "neo4j"])
    args = parser.parse_args()
    backends = args.backend or ["falkordb", "neo4j"]
    RESULTS.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.timezone.utc)
    for script, per_backend in BENCHMARKS:
        if args.only and script not in args.only:
            continue
        if not (HERE / f"{script}.py").exists():
            continue
        for backend in backends if per_backend else [None]:
            result = run_one(script, backend, args.scale)
            if result is None:
                continue
            result["_meta"] = {"date": stamp.isoformat(timespec="seconds"), "machine": machine(), "scale": args.scale}
            (RESULTS / f"{script}-{backend or 'all'}.json").write_text(json.dumps(result, indent=2) + "\n")
    render()


def render() -> None:
    """docs/benchmarks.md from every result file in bench/results/."""
    sys.path.insert(0, str(HERE))
    from tables import render_markdown

    results = {p.stem: json.loads(p.read_text()) for p in sorted(RESULTS.glob("*.json"))}
    DOCS.write_text(render_markdown(results))
    print(f"wrote {DOCS}")


if __name__ == "__main__":
    main()
