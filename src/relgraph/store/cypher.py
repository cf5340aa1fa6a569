"""The named Cypher the app runs, loaded from `cypher/`.

Each query is a file, `cypher/<name>.cypher`, shared by both backends. Where a backend's
dialect differs, `cypher/<dialect>/<name>.cypher` overrides it; each override says why in
its first comment. Relationship types cannot be parameters in Cypher, so a few files hold
`{{TYPE}}` or `{{TYPES}}` placeholders, filled here from `RelationshipType` members only.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Iterable
from pathlib import Path

from relgraph.domain.enums import RelationshipType

ALL_TYPES = "|".join(t.value for t in RelationshipType)


def cypher_dir() -> Path:
    """`cypher/` of the source tree, or the copy installed inside the package."""
    override = os.environ.get("RELGRAPH_CYPHER_DIR")
    if override:
        return Path(override)
    packaged = Path(__file__).resolve().parent.parent / "cypher"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "cypher"


class CypherLibrary:
    """Named queries for one dialect ("falkordb" or "neo4j")."""

    def __init__(self, dialect: str, root: Path | None = None) -> None:
        self.dialect = dialect
        self.root = root or cypher_dir()

    @cache
    def source(self, name: str) -> str:
        override = self.root / self.dialect / f"{name}.cypher"
        return self._read(override if override.exists() else self.root / f"{name}.cypher", name)

    def shared(self, name: str) -> str:
        """The dialect-neutral text of a named query, ignoring this dialect's override: the
        fallback for the rare case an override's shortcut cannot answer (it says which)."""
        return self._read(self.root / f"{name}.cypher", name)

    def _read(self, path: Path, name: str) -> str:
        if not path.exists():
            raise KeyError(f"no Cypher named {name!r} in {self.root}")
        return path.read_text(encoding="utf-8").replace("{{TYPES}}", ALL_TYPES)

    def query(self, name: str, rel_type: RelationshipType | None = None, **fragments: str) -> str:
        """The text of a named query, with its relationship type filled in.

        `fragments` are pieces built by `relgraph.store.filters` from allowlisted
        names only; user values never appear in them.
        """
        text = self.source(name)
        if "{{TYPE}}" in text:
            if not isinstance(rel_type, RelationshipType):
                raise TypeError(f"{name} needs a RelationshipType")
            text = text.replace("{{TYPE}}", rel_type.value)
        for key, fragment in fragments.items():
            text = text.replace("{{" + key + "}}", fragment)
        return text

    def over_all_types(self, name: str) -> str:
        """One copy of a `{{TYPE}}` query per relationship type, joined by UNION ALL.

        A pattern over several types makes both engines scan; a union keeps every
        branch an index seek on its own type.
        """
        return self.over_types(name, RelationshipType)

    def over_types(self, name: str, types: Iterable[RelationshipType]) -> str:
        """`over_all_types` for some types only (in enum order, so the text is stable)."""
        chosen = set(types)
        return "\nUNION ALL\n".join(self.query(name, t) for t in RelationshipType if t in chosen)

    def statements(self, name: str) -> list[str]:
        """A file of statements separated by `;`, comments dropped (schema setup).

        A statement with `{{TYPE}}` is repeated for every relationship type.
        """
        lines = [ln for ln in self.source(name).splitlines() if not ln.strip().startswith("//")]
        out: list[str] = []
        for statement in "\n".join(lines).split(";"):
            statement = statement.strip()
            if "{{TYPE}}" in statement:
                out.extend(statement.replace("{{TYPE}}", t.value) for t in RelationshipType)
            elif statement:
                out.append(statement)
        return out
