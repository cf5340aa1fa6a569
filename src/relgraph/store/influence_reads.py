"""The store's reads and writes for influence (DOMAIN.md §3): projection and write-back."""

from __future__ import annotations

import asyncio
import json
import math
from typing import TYPE_CHECKING, Any, Sequence

from relgraph.scoring.tie_columns import NEVER


if TYPE_CHECKING:
    from relgraph.store.cypher import CypherLibrary
    from relgraph.store.runner import Runner

#: Rows per write-back call: one positional row per stakeholder. Each call is one write
#: transaction (and one network-version step); 25k rows of five values are ~1 MB of query.
WRITE_CHUNK = 25_000

#: Id ranges the full tie read is split into, read concurrently, per engine. FalkorDB
#: spends most of that read formatting JSON on one thread per query and runs read queries
#: on several threads; Neo4j ships columns fast enough in one read.
TIE_READ_PARTS = {"falkordb": 4}

#: One id range [lo, hi) of `a` (hi None: no upper end).
IdRange = tuple[str, str | None]

#: The written-back influence of one stakeholder, as read: id -> row (see `influence_of`).
InfluenceRow = dict[str, Any]


def id_ranges(ids: Sequence[str], parts: int) -> list[IdRange]:
    """``parts`` consecutive ranges of ids that split the ties about evenly.

    A tie is stored under its smaller id, so low ids carry more ties: with ties spread
    evenly over pairs, the ids below quantile ``q`` hold a ``1 - (1 - q)^2`` share of
    them, and the cut for part ``i`` of ``k`` sits at ``q = 1 - sqrt(1 - i/k)``.
    """
    ordered = sorted(set(ids))
    if parts <= 1 or len(ordered) < 2 * parts:
        return [("", None)]
    cuts = sorted({ordered[int(len(ordered) * (1 - math.sqrt(1 - i / parts)))] for i in range(1, parts)})
    return list(zip(["", *cuts], [*cuts, None]))


class InfluenceStore:
    """Mixed into GraphStore; uses its `runner` and `cypher`."""

    runner: Runner
    cypher: CypherLibrary

    async def stakeholder_kinds(self, page: int = 20_000) -> list[tuple[str, str]]:
        """Every stakeholder's (id, kind) in id order: the projection's nodes.

        Read in keyset pages, or -- FalkorDB's override -- as one JSON text of two columns,
        which is ~20x faster there (one read, no per-page sort, no value-by-value reply).
        """
        out: list[tuple[str, str]] = []
        after = ""
        while True:
            rows = await self.runner.read(self.cypher.query("all_stakeholder_kinds"), {"after": after, "limit": page})
            if rows and "nodes" in rows[0]:  # FalkorDB: JSON text, or lists for ids JSON cannot carry
                value = rows[0]["nodes"]
                ids, kinds = json.loads(value) if isinstance(value, str) else value
                return sorted(zip(ids, kinds))
            if not rows:
                return out
            out.extend((r["id"], r["kind"]) for r in rows)
            if len(rows) < page:
                return out
            after = rows[-1]["id"]

    async def tie_state_columns(self, parts: int | None = None) -> list[list[list[Any]]]:
        """Every pair's running state as eleven columns ``[a, b, *tie_columns.FIELDS]``
        (absent times as ``tie_columns.NEVER``), one such list per id range read.

        The same states as `GraphStore.all_tie_rows`, for the tie snapshot's full read:
        columns convert to arrays in one numpy call each instead of a list per tie, and the
        ranges of ``a`` are read concurrently (`TIE_READ_PARTS`), parsed in worker threads
        while the database still formats the others. The ranges are separate reads, so a
        write landing between them is not in every part; that is the same case as a write
        landing during one read, and the snapshot's version (read before) catches it up.
        """
        count = TIE_READ_PARTS.get(self.runner.dialect, 1) if parts is None else parts
        ranges = id_ranges([i for i, _ in await self.stakeholder_kinds()], count) if count > 1 else [("", None)]
        query = self.cypher.query("all_tie_columns")

        async def read(lo: str, hi: str | None) -> list[list[Any]]:
            rows = await self.runner.read(query, {"lo": lo, "hi": hi, "never": NEVER})
            if not rows:
                return [[] for _ in range(11)]
            if "ties" in rows[0]:  # FalkorDB: one JSON text, or lists for ids JSON cannot carry
                value = rows[0]["ties"]
                return await asyncio.to_thread(json.loads, value) if isinstance(value, str) else value
            return [list(v) for v in rows[0].values()]

        return list(await asyncio.gather(*(read(lo, hi) for lo, hi in ranges)))

    async def write_influence(
        self, rows: Sequence[list[Any]], at: int, version: str, chunk: int = WRITE_CHUNK
    ) -> int:
        """Write [id, score, rank, percentile, brokerage] rows, all computed at ``at`` (epoch
        ms) by method ``version``, in chunks; each chunk is one write transaction."""
        written = 0
        query = self.cypher.query("influence_write")
        for start in range(0, len(rows), chunk):
            result = await self._write(query, {"rows": list(rows[start : start + chunk]), "at": at, "version": version})
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
