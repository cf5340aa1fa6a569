"""The schema's SDL, kept in `schema/schema.graphql` for clients and code generators.

The file is generated from the code, never edited by hand:

    python -m relgraph.api.sdl            # rewrite schema/schema.graphql
    python -m relgraph.api.sdl --check    # exit 1 when the file and the code differ

A test runs the check, so the two cannot drift apart unnoticed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from strawberry.printer import print_schema

from relgraph.api.schema import schema


def render() -> str:
    return print_schema(schema).rstrip("\n") + "\n"


def default_path() -> Path:
    """`schema/schema.graphql` of the source tree (found from this file), else of the cwd."""
    for parent in Path(__file__).resolve().parents:
        if (parent / "pyproject.toml").is_file():
            return parent / "schema" / "schema.graphql"
    return Path.cwd() / "schema" / "schema.graphql"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m relgraph.api.sdl", description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=None, help="SDL file [default: schema/schema.graphql]")
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 when they differ")
    args = parser.parse_args(argv)
    path: Path = args.path or default_path()
    text = render()
    if args.check:
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != text:
            print(f"{path} is out of date: run `python -m relgraph.api.sdl`", file=sys.stderr)
            return 1
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
