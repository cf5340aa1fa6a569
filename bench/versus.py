"""Run one benchmark on two versions of relgraph, side by side, and write their ratio.

A time measured on a shared 2-core machine drifts with whatever else runs; the ratio of
two versions measured in turns, in one run, survives that much better. This script
checks out `--base` (a git ref) into a temporary worktree, then runs the benchmark
script of each version (its own `bench/<name>.py`, on its own `src/`) in turns, base
first, `--rounds` times, and keeps the median of each figure per version.

    .venv/bin/python bench/versus.py --base 3b15262 --only accounts --scale 0.3
    .venv/bin/python bench/versus.py --base main~5 --only strength --backend falkordb
    .venv/bin/python bench/versus.py --base 3b15262 --only accounts --customers 20000   # flags it does not know go to the script

The result goes to bench/results/versus-<name>-<backend>.json, rendered by bench/run into
docs/benchmarks.md: each figure as base → head, with head/base (below 1 is faster for
times, slower for rates).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


def numbers(value: Any) -> list[float]:
    """The figures in a result cell: `7.1`, `"1.07 / 2.82"`, `"5,628"`."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return [float(value)]
    return [float(n.replace(",", "")) for n in NUMBER.findall(str(value))]


def run_version(tree: Path, name: str, scale: float, backend: str | None, extra: list[str]) -> dict[str, Any]:
    """One run of `tree`'s own bench/<name>.py on `tree`'s own source (`extra`: more flags for it)."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as tmp:
        out = Path(tmp.name)
    cmd = [sys.executable, str(tree / "bench" / f"{name}.py"), "--scale", str(scale), "--out", str(out)]
    if backend:
        cmd += ["--backend", backend]
    cmd += extra
    env = {**os.environ, "PYTHONPATH": str(tree / "src"), "RELGRAPH_NEO4J_LAUNCHER_DIR": str(ROOT / "neo4j-launcher")}
    subprocess.run(cmd, cwd=tree, env=env, check=True)
    return json.loads(out.read_text())


def medians(runs: list[dict[str, Any]]) -> dict[str, tuple[list[float], str]]:
    """metric -> (median of each figure across runs, unit); metrics without figures are left out."""
    seen: dict[str, list[list[float]]] = {}
    units: dict[str, str] = {}
    for run in runs:
        for row in run.get("rows", []):
            figures = numbers(row["value"])
            if figures and "load average" not in row["metric"]:
                seen.setdefault(row["metric"], []).append(figures)
                units[row["metric"]] = row.get("unit", "")
    return {
        metric: ([statistics.median(column) for column in zip(*values)], units[metric])
        for metric, values in seen.items()
        if len({len(v) for v in values}) == 1
    }


def _shown(figures: list[float]) -> str:
    return " / ".join(f"{x:,.2f}".rstrip("0").rstrip(".") for x in figures)


def compare(base: dict[str, tuple[list[float], str]], head: dict[str, tuple[list[float], str]]) -> list[dict[str, str]]:
    rows = []
    for metric, (after, unit) in head.items():
        if metric not in base or len(base[metric][0]) != len(after):
            continue
        before = base[metric][0]
        ratios = " / ".join("–" if b == 0 else f"×{a / b:.2f}" for a, b in zip(after, before))
        rows.append({"metric": metric, "value": f"{_shown(before)} → {_shown(after)} {unit} ({ratios})",
                     "unit": "", "target": "head/base"})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", required=True, help="git ref of the version to compare against")
    parser.add_argument("--only", required=True, help="the benchmark: a script name in bench/ (accounts, strength, ...)")
    parser.add_argument("--backend", choices=["falkordb", "neo4j"], default=None)
    parser.add_argument("--scale", type=float, default=0.3)
    parser.add_argument("--rounds", type=int, default=2)
    args, extra = parser.parse_known_args()

    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="relgraph-base-") as tmp:
        base_tree = Path(tmp) / "tree"
        subprocess.run(["git", "worktree", "add", "--detach", str(base_tree), args.base], cwd=ROOT, check=True)
        try:
            base_commit = subprocess.run(["git", "rev-parse", "--short", args.base], cwd=ROOT, check=True,
                                         capture_output=True, text=True).stdout.strip()
            runs: dict[str, list[dict[str, Any]]] = {"base": [], "head": []}
            for _ in range(args.rounds):
                for version, tree in (("base", base_tree), ("head", ROOT)):
                    print(f"== {args.only} {version} ({tree})", flush=True)
                    runs[version].append(run_version(tree, args.only, args.scale, args.backend, extra))
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(base_tree)], cwd=ROOT, check=False)
    head_commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, check=True,
                                 capture_output=True, text=True).stdout.strip()
    load = {"metric": "load average (1/5/15 min, 2 cores) before / after",
            "value": f"{' / '.join(f'{x:.2f}' for x in load_before)} ; "
                     f"{' / '.join(f'{x:.2f}' for x in os.getloadavg())}", "unit": "", "target": ""}
    flags = " ".join(extra)
    versions = {"metric": "versions (base → head), rounds taken in turns, median of each",
                "value": f"{base_commit} → {head_commit}, {args.rounds} rounds{', ' + flags if flags else ''}",
                "unit": "", "target": ""}
    result = {"rows": [versions, load, *compare(medians(runs["base"]), medians(runs["head"]))],
              "_meta": {"date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "scale": args.scale}}
    sys.path.insert(0, str(HERE))
    from run import machine, render

    result["_meta"]["machine"] = machine()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"versus-{args.only}-{args.backend or 'all'}.json").write_text(json.dumps(result, indent=2) + "\n")
    render()


if __name__ == "__main__":
    main()
