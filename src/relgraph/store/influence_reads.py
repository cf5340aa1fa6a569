"""The store's reads and writes for influence (DOMAIN.md §3): projection and write-back."""

from __future__ import annotations

import asyncio
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np
import orjson

from relgraph.scoring.tie_columns import NEVER


if TYPE_CHECKING:
    from relgraph.store.cypher import CypherLibrary
    from relgraph.store.runner import Runner

#: Rows per write-back call: one positional row per stakeholder. Each call is one write
#: transaction (and one network-version step); 25k rows of five values are ~1 MB of query.
WRITE_CHUNK = 25_000

#: Parts the full tie read is split into, read concurrently, per engine. FalkorDB spends
#: most of that read evaluating and formatting values on one thread per query, and runs
#: read queries on several threads; with more parts than threads, the parsing of the parts
#: that are done overlaps the formatting of the rest. Neo4j ships columns fast enough in one.
TIE_READ_PARTS = {"falkordb": 8}

#: Engines whose tie read takes its part by internal node id (``$part`` of ``$parts``)
#: instead of an id range, so it needs no id-sorted node list to cut ranges from.
PARTS_BY_INTERNAL_ID = frozenset({"falkordb"})

#: One id range [lo, hi) of `a` (hi None: no upper end).
IdRange = tuple[str, str | None]

#: The written-back influence of one stakeholder, as read: id -> row (see `influence_of`).
InfluenceRow = dict[str, Any]


@dataclass(frozen=True)
class TieRead:
    """The full tie read: eleven columns ``[a, b, *tie_columns.FIELDS]`` per part read.

    ``a`` and ``b`` hold id strings, or -- with ``ids`` set (FalkorDB) -- int arrays of
    positions in ``ids``, every stakeholder's id in id order. Numbers ship, parse and map
    onto a projection's node indices far faster than 2M strings: a dict lookup of a
    freshly parsed string costs ~0.5 µs here, most of a projection's time at 1M ties.
    """

    parts: list[list[Any]]
    ids: list[str] | None = None

    def complete(self) -> bool:
        """Whether every column of every part has the same length (`collect` skips nulls)."""
        return all(len({len(column) for column in part}) == 1 for part in self.parts)

    def named(self) -> list[list[Any]]:
        """The parts with ``a`` and ``b`` as id strings."""
        if self.ids is None:
            return self.parts
        names = np.array(self.ids, dtype=object)
        return [[names[part[0]].tolist(), names[part[1]].tolist(), *part[2:]] for part in self.parts]


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

        Read in keyset pages, or -- FalkorDB's override -- as one JSON text of columns,
        which is ~20x faster there (one read, no per-page sort, no value-by-value reply).
        """
        out: list[tuple[str, str]] = []
        after = ""
        while True:
            rows = await self.runner.read(self.cypher.query("all_stakeholder_kinds"), {"after": after, "limit": page})
            if rows and "nodes" in rows[0]:  # FalkorDB: one read of columns
                ids, kinds, _ = _node_columns(rows[0]["nodes"])
                return sorted(zip(ids, kinds))
            if not rows:
                return out
            out.extend((r["id"], r["kind"]) for r in rows)
            if len(rows) < page:
                return out
            after = rows[-1]["id"]

    async def tie_state_columns(self, parts: int | None = None) -> TieRead:
        """Every pair's running state as eleven columns ``[a, b, *tie_columns.FIELDS]``
        (absent times as ``tie_columns.NEVER``), one such list per part read.

        The same states as `GraphStore.all_tie_rows`, for the tie snapshot's full read:
        columns convert to arrays in one numpy call each instead of a list per tie, and the
        parts are read concurrently (`TIE_READ_PARTS`), parsed in worker threads while the
        database still formats the others. The parts are separate reads, so a write landing
        between them is not in every part; that is the same case as a write landing during
        one read, and the snapshot's version (read before) catches it up.
        """
        count = TIE_READ_PARTS.get(self.runner.dialect, 1) if parts is None else parts
        if self.runner.dialect in PARTS_BY_INTERNAL_ID:
            read = await self._tie_state_by_node_id(count)
        else:
            ranges = id_ranges([i for i, _ in await self.stakeholder_kinds()], count) if count > 1 else [("", None)]
            query = self.cypher.query("all_tie_columns")
            read = TieRead(list(await asyncio.gather(*(
                self._tie_part(query, {"lo": lo, "hi": hi}) for lo, hi in ranges
            ))))
        if read is not None and read.complete():
            return read
        # A tie lacks a property the override does not coalesce (written outside relgraph),
        # or its end is no stakeholder the node list knows: the shared query, as id strings.
        return TieRead([await self._tie_part(self.cypher.shared("all_tie_columns"), {"lo": "", "hi": None})])

    async def _tie_part(self, query: str, part: dict[str, Any]) -> list[Any]:
        return await _columns(await self.runner.read(query, {**part, "never": NEVER}))

    async def _tie_state_by_node_id(self, count: int) -> TieRead | None:
        """The parts by internal node id, with their ends as positions in the id-ordered
        node list, read alongside them. A stakeholder created meanwhile is not in that
        list: it is read again once (stakeholders are never deleted, so nobody else can
        hold a node id the list gave to a stakeholder). None if an end stays unknown."""
        query = self.cypher.query("all_tie_columns")
        table, *parts = await asyncio.gather(
            self._node_table(), *(self._tie_part(query, {"part": i, "parts": count}) for i in range(count))
        )
        for attempt in range(2):
            ids, position = table
            ends = [(_positions(position, part[0]), _positions(position, part[1])) for part in parts]
            if all((a >= 0).all() and (b >= 0).all() for a, b in ends):
                return TieRead([[a, b, *part[2:]] for (a, b), part in zip(ends, parts)], ids)
            if attempt == 0:
                table = await self._node_table()
        return None

    async def _node_table(self) -> tuple[list[str], np.ndarray]:
        """(every stakeholder id in id order, internal node id -> position in it, -1: none)."""
        rows = await self.runner.read(self.cypher.query("all_stakeholder_kinds"), {"after": "", "limit": 0})
        if not rows:  # no stakeholder at all
            return [], np.full(0, -1, dtype=np.int64)
        ids, _, handles = _node_columns(rows[0]["nodes"])
        order = sorted(range(len(ids)), key=ids.__getitem__)
        position = np.full(max(handles, default=-1) + 1, -1, dtype=np.int64)
        position[np.asarray(handles, dtype=np.int64)[order]] = np.arange(len(order))
        return [ids[i] for i in order], position

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

    async def top_influence(self, kinds: Sequence[str] | None, limit: int, by: str = "pagerank") -> list[InfluenceRow]:
        """The best-ranked stakeholders (of these kinds), from the written-back results:
        by rank (``by="pagerank"``) or by brokerage, largest first (``by="brokerage"``)."""
        name = {"pagerank": "all_influence_top", "brokerage": "all_influence_top_brokerage"}[by]
        rows = await self.runner.read(self.cypher.query(name), {"kinds": list(kinds) if kinds else None, "limit": limit})
        return [dict(r) for r in rows]

    async def memberships(self) -> list[tuple[str, str]]:
        """(person, organisation) of every current WORKS_FOR: the projection's membership ties."""
        rows = await self.runner.read(self.cypher.query("all_influence_memberships"))
        return list(zip(rows[0]["a"], rows[0]["b"])) if rows else []

    async def unmeasured_relationships(self) -> list[tuple[str, str, float | None, int | None]]:
        """(a, b, assessed strength, assessed at ms) of every current relationship between a
        pair without interactions: what the projection can know of such a pair."""
        rows = await self.runner.read(self.cypher.over_all_types("all_influence_unmeasured"))
        return [
            (a, b, None if s is None or s < 0 else float(s), None if at is None or at < 0 else int(at))
            for r in rows
            for a, b, s, at in zip(r["a"], r["b"], r["assessed"], r["assessed_at"])
        ]

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


async def _columns(rows: list[dict[str, Any]]) -> list[list[Any]]:
    """The eleven columns of one tie-read reply: one JSON text (FalkorDB, parsed in a
    worker thread) or one list per column."""
    if not rows:
        return [[] for _ in range(11)]
    if "ties" in rows[0]:  # FalkorDB's override: numbers only, so always a JSON text
        return await asyncio.to_thread(orjson.loads, rows[0]["ties"])
    return [list(v) for v in rows[0].values()]


def _node_columns(value: Any) -> tuple[list[str], list[str], list[int]]:
    """(ids, kinds, internal node ids) of FalkorDB's node read: JSON text, or lists for ids
    JSON cannot carry."""
    ids, kinds, handles = orjson.loads(value) if isinstance(value, str) else value
    return ids, kinds, handles


def _positions(position: np.ndarray, handles: list[int]) -> np.ndarray:
    """Positions of these internal node ids in the node list (-1: not a stakeholder in it)."""
    ids = np.asarray(handles, dtype=np.int64)
    known = (ids >= 0) & (ids < len(position))
    return np.where(known, position[np.where(known, ids, 0)] if len(position) else -1, -1)
