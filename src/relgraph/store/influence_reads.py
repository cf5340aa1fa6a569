"""The store's reads and writes for influence (DOMAIN.md §3): projection and write-back."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence


if TYPE_CHECKING:
    from relgraph.store.cypher import CypherLibrary
    from relgraph.store.runner import Runner

#: Rows per write-back call: one positional row per stakeholder.
WRITE_CHUNK = 5_000

#: The written-back influence of one stakeholder, as read: id -> row (see `influence_of`).
InfluenceRow = dict[str, Any]


class InfluenceStore:
    """Mixed into GraphStore; uses its `runner` and `cypher`."""

    runner: Runner
    cypher: CypherLibrary

    async def stakeholder_kinds(self, page: int = 20_000) -> list[tuple[str, str]]:
        """Every stakeholder's (id, kind), read in id-ordered pages: the projection's nodes."""
        out: list[tuple[str, str]] = []
        after = ""
        while True:
            rows = await self.runner.read(self.cypher.query("all_stakeholder_kinds"), {"after": after, "limit": page})
            if not rows:
                return out
            out.extend((r["id"], r["kind"]) for r in rows)
            if len(rows) < page:
                return out
            after = rows[-1]["id"]

    async def write_influence(self, rows: Sequence[list[Any]], chunk: int = WRITE_CHUNK) -> int:
        """Write [id, score, rank, percentile, brokerage, computed_at, version] rows in chunks."""
        written = 0
        query = self.cypher.query("influence_write")
        for start in range(0, len(rows), chunk):
            result = await self._write(query, {"rows": list(rows[start : start + chunk])})
            written += int(result[0]["n"]) if result else 0
        return written

    async def influence_of(self, ids: Sequence[str]) -> dict[str, InfluenceRow]:
        """The written-back influence of these stakeholders; absent before the first refresh."""
        if not ids:
            return {}
        rows = await self.runner.read(self.cypher.query("influence_of"), {"ids": list(dict.fromkeys(ids))})
        return {r["id"]: dict(r) for r in rows if r["score"] is not None}

    async def top_influence(self, kinds: Sequence[str] | None, limit: int) -> list[InfluenceRow]:
        """The best-ranked stakeholders (of these kinds), from the written-back results."""
        rows = await self.runner.read(
            self.cypher.query("all_influence_top"), {"kinds": list(kinds) if kinds else None, "limit": limit}
        )
        return [dict(r) for r in rows]

    async def influence_computed_at(self) -> int | None:
        """Epoch ms of the last write-back, None if influence was never computed."""
        rows = await self.runner.read(self.cypher.query("all_influence_computed_at"))
        return rows[0]["at"] if rows else None

    async def our_employees(self) -> list[str]:
        """Ids of the EMPLOYEE persons who currently work for us."""
        rows = await self.runner.read(self.cypher.query("influence_employees"))
        return [r["id"] for r in rows]

    async def employee_accounts(self, employee_id: str) -> list[str]:
        """Organisations the employee is tied to, directly or through their current people."""
        rows = await self.runner.read(self.cypher.query("influence_employee_accounts"), {"id": employee_id})
        return [r["id"] for r in rows]

    async def organisation_people(self, org_id: str) -> list[tuple[str, str | None, list[str], float | None]]:
        """(person, role, current managers, influence score) of the organisation's current people."""
        rows = await self.runner.read(self.cypher.query("influence_org_people"), {"org": org_id})
        return [(r["id"], r["role"], sorted(b for b in r["bosses"] if b), r["score"]) for r in rows]
