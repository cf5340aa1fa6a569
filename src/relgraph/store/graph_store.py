"""The store: the stakeholder network's reads and writes, on either backend.

Every operation validates its input before the database sees it, runs as one unit of
work, and reads or writes through named Cypher from `cypher/`. The backend is a
`Runner`; this module never knows which one it has.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime
from typing import Any, Awaitable, Callable, Iterable, Sequence, TypeVar

from pydantic import BaseModel, ValidationError

from relgraph.domain import complaints as lifecycle
from relgraph.domain.enums import COMMUNICATING_RELATIONSHIPS, ComplaintStatus, RelationshipType, Tier
from relgraph.domain.model import (
    AccountPlan,
    AccountPlanInput,
    Complaint,
    ComplaintMove,
    ComplaintRecordInput,
    Interaction,
    NewComplaint,
    NewInteraction,
    NewRelationship,
    NewStakeholder,
    Relationship,
    Stakeholder,
    StakeholderPatch,
)
from relgraph.domain.plans import Cadence
from relgraph.domain.time import to_ms, utcnow
from relgraph.errors import BadUserInput, Conflict, NotFound
from relgraph.scoring import care
from relgraph.scoring.strength import (
    DEFAULT_PARAMS,
    STRENGTH_RULE_VERSION,
    Event,
    PairState,
    StrengthParams,
    batch_states,
    pair_events,
)
from relgraph.scoring.tie_columns import TieColumns
from relgraph.store.codec import decode, encode
from relgraph.store.cypher import CypherLibrary
from relgraph.store.account_reads import AccountStore, last_contact_params, plan_view
from relgraph.store.influence_reads import InfluenceStore
from relgraph.store.json_rows import read_rows
from relgraph.store.key_store import KEY_SCHEMA, KeyStore
from relgraph.store.listing import Listing
from relgraph.store.runner import Row, Runner, Tx

T = TypeVar("T")

#: Rows per database call in batch writes: large enough to amortise a round trip,
#: small enough to keep one query's parameters modest.
CHUNK = 5_000


def validated(model: type[BaseModel], data: Any) -> Any:
    """`data` as a `model`, or a BadUserInput naming the first field at fault."""
    if isinstance(data, model):
        return data
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or None
        raise BadUserInput(f"{field or 'input'}: {first['msg']}", field=field) from None


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _relationship_row(rel: NewRelationship, now_ms: int) -> list[Any]:
    """The positional row of `relationships_create.cypher`."""
    return [
        rel.id,
        rel.from_id,
        rel.to_id,
        to_ms(rel.started_at) if rel.started_at else now_ms,
        now_ms,
        rel.role.value if rel.role else None,
        rel.note,
        to_ms(rel.ended_at) if rel.ended_at else None,
        rel.end_reason,
    ]


def _interaction_row(new: NewInteraction, now_ms: int) -> list[Any]:
    """The positional row of `interactions_record.cypher`; the initiator comes first."""
    participants = [new.initiator_id] + [p for p in dict.fromkeys(new.participant_ids) if p != new.initiator_id]
    return [
        new.id,
        new.type.value,
        to_ms(new.at),
        new.initiator_id,
        participants,
        new.sentiment,
        new.value,
        new.subject,
        now_ms,
    ]


def _same_interaction(stored: dict[str, Any] | None, row: list[Any]) -> bool:
    """Whether a recorded interaction is the one `row` (of `_interaction_row`) describes."""
    if stored is None:
        return False
    mine = dict(zip(INTERACTION_COLUMNS, row))
    return all(stored.get(name) == mine[name] for name in INTERACTION_COLUMNS[1:-1])


def _tie_row(state: PairState) -> list[Any]:
    """A batch state as the tail of an `interactions_record.cypher` (or `ties_rebuild.cypher`) pair row."""
    return [
        state.intensity_ab, state.last_ab_ms, state.intensity_ba, state.last_ba_ms,
        state.first_ms, state.last_ms, state.count, state.sentiment_sum, state.sentiment_count,
    ]


def _pair_state(props: dict[str, Any]) -> PairState:
    return PairState(
        intensity_ab=float(props.get("i_ab") or 0.0),
        last_ab_ms=props.get("last_ab"),
        intensity_ba=float(props.get("i_ba") or 0.0),
        last_ba_ms=props.get("last_ba"),
        first_ms=props.get("first"),
        last_ms=props.get("last"),
        count=int(props.get("count") or 0),
        sentiment_sum=float(props.get("sentiment_sum") or 0.0),
        sentiment_count=int(props.get("sentiment_count") or 0),
    )


INTERACTION_COLUMNS = ("id", "type", "at", "initiator_id", "participant_ids", "sentiment", "value", "subject", "recorded_at")


def _relationship(row: Row) -> Relationship:
    props = dict(row["r"])
    props.update(type=row["type"], from_id=row["from_id"], to_id=row["to_id"])
    return decode(Relationship, props)


#: A write naming more changed pairs than this makes tie snapshots reread every tie.
MAX_NAMED_TIES = 2_000
#: How far a tie snapshot walks the change chain before rereading every tie instead.
MAX_CHANGE_STEPS = 64
#: How long network changes are kept for snapshots to catch up with, and how often a
#: process prunes older ones.
CHANGE_RETENTION_MS = 5 * 60_000
CHANGE_PRUNE_EVERY_MS = 10_000


class GraphStore(InfluenceStore, AccountStore, KeyStore):
    """The one store interface; FalkorDB and Neo4j differ only in their `Runner`.

    Influence and key-account reads live in their own mixins (`influence_reads`,
    `account_reads`), to keep each module to one idea."""

    def __init__(
        self,
        runner: Runner,
        *,
        deadlines: lifecycle.Deadlines | None = None,
        cadence: Cadence | None = None,
        strength: StrengthParams = DEFAULT_PARAMS,
    ) -> None:
        self.runner = runner
        self.strength_params = strength
        self.cypher = CypherLibrary(runner.dialect)
        self.deadlines = deadlines or lifecycle.Deadlines()
        self.cadence = cadence or Cadence()
        self.listing = Listing(runner, self.cypher)
        self._pruned_at = 0

    @property
    def backend(self) -> str:
        return self.runner.dialect

    # -- lifecycle ---------------------------------------------------------------------

    async def setup(self) -> None:
        """Create constraints and indexes, and bring the running strengths up to the current
        rule; safe to run at every start."""
        await self.runner.setup_schema(self.cypher.statements("schema") + self.cypher.statements(KEY_SCHEMA))
        await self.upgrade_strength_rule()

    async def strength_rule_version(self) -> int | None:
        """The strength rule the stored running states were built under (None: never stamped)."""
        rows = await self.runner.read(self.cypher.query("strength_rule"))
        return int(rows[0]["version"]) if rows and rows[0]["version"] is not None else None

    async def upgrade_strength_rule(self) -> int | None:
        """Rebuild every pair's running state when it was built under an older strength rule
        (or was never stamped), so that a store written before the rule changed answers by
        the rule now in force. Returns the pairs replayed, or None when already current.

        A store the current code has stamped is left alone: the check is one small read.
        An unstamped store with no interactions costs one empty read and the stamp.
        """
        stamped = await self.strength_rule_version()
        if stamped is not None and stamped >= STRENGTH_RULE_VERSION:
            return None
        return await self.rebuild_ties()

    async def ping(self) -> None:
        await self.runner.read(self.cypher.query("ping"))

    async def close(self) -> None:
        await self.runner.close()

    async def compact(self) -> None:
        """Let the database tidy its logs after a bulk load."""
        await self.runner.compact()

    # -- writes and the network version ------------------------------------------------

    async def network_version(self) -> str | None:
        """A token that changes with every write through this store (None: never written).

        Whole-network views cache what they read under this token and reuse it while the
        token stands, so a dashboard over 100k ties reads them once, not per request. A
        random token, not a counter, so that a cleared and refilled graph never repeats one.
        """
        rows = await self.runner.read(self.cypher.query("network_version"))
        return rows[0]["token"] if rows else None

    async def _transaction(
        self, work: Callable[[Tx], Awaitable[T]], *, ties: Sequence[tuple[str, str]] | None = ()
    ) -> T:
        """`work` in one transaction that also moves the network version on.

        `ties` names the pairs (a < b) whose running strength the write may change, so that
        tie snapshots catch up by rereading just those; None means "too many to name".
        """
        change = self._change(ties)

        async def versioned(tx: Tx) -> T:
            result = await work(tx)
            await tx.run(self.cypher.query("network_version_bump"), change)
            if change["at"] - self._pruned_at > CHANGE_PRUNE_EVERY_MS:
                await tx.run(self.cypher.query("network_changes_prune"), {"before": change["at"] - CHANGE_RETENTION_MS})
                self._pruned_at = change["at"]
            return result

        return await self.runner.transaction(versioned)

    @staticmethod
    def _change(ties: Sequence[tuple[str, str]] | None) -> dict[str, Any]:
        named = ties is not None and len(ties) <= MAX_NAMED_TIES
        pairs = sorted(set(ties)) if named and ties else []
        return {
            "token": uuid.uuid4().hex,
            "at": to_ms(utcnow()),
            "pairs_a": [a for a, _ in pairs],
            "pairs_b": [b for _, b in pairs],
            "all_ties": not named,
        }

    async def tie_changes(self, since: str | None, until: str | None) -> set[tuple[str, str]] | None:
        """The pairs whose running strength changed between two network versions, or None
        when that is unknown (the chain was pruned, forked or cleared, or a write changed
        too many ties to name): then the caller rereads every tie."""
        token, changed = since or "", set()
        for _ in range(MAX_CHANGE_STEPS):
            if token == (until or ""):
                return changed
            rows = await self.runner.read(self.cypher.query("network_changes_after"), {"token": token})
            if len(rows) != 1 or rows[0]["all_ties"]:
                return None
            changed.update(zip(rows[0]["pairs_a"] or [], rows[0]["pairs_b"] or []))
            token = rows[0]["token"]
        return None

    async def _write(self, query: str, params: dict[str, Any] | None = None) -> list[Row]:
        """One write query, as a transaction that moves the network version on."""
        return await self._transaction(lambda tx: tx.run(query, params))

    async def count_stakeholders(self) -> int:
        rows = await self.runner.read(self.cypher.query("stakeholders_count"))
        return int(rows[0]["n"]) if rows else 0

    async def demo_network(self) -> dict[str, Any] | None:
        """The demo loaded into this graph (`seed`, `size`, `as_of` in epoch ms), if any."""
        rows = await self.runner.read(self.cypher.query("network_demo"))
        return dict(rows[0]) if rows else None

    async def record_demo_network(self, seed: int, size: str, as_of_ms: int) -> None:
        await self.runner.write(self.cypher.query("network_demo_set"), {"seed": seed, "size": size, "as_of": as_of_ms})

    # -- shared checks -----------------------------------------------------------------

    async def _require_stakeholders(self, tx: Tx, ids_by_field: dict[str, Iterable[str]]) -> None:
        """NOT_FOUND naming the first field whose stakeholder id is unknown."""
        wanted = {i for ids in ids_by_field.values() for i in ids}
        if not wanted:
            return
        rows = await tx.run(self.cypher.query("stakeholders_missing"), {"ids": sorted(wanted)})
        missing = {row["id"] for row in rows}
        for field, ids in ids_by_field.items():
            for i in ids:
                if i in missing:
                    raise NotFound(f"no stakeholder with id {i!r}", field=field)

    # -- stakeholders ------------------------------------------------------------------

    async def create_stakeholder(self, data: NewStakeholder | dict[str, Any]) -> Stakeholder:
        new: NewStakeholder = validated(NewStakeholder, data)
        now = utcnow()
        props = self._stakeholder_props(new, now)
        rows = await self._write(
            self.cypher.query("stakeholder_create"), {"id": new.id, "props": props}
        )
        if not rows:
            raise Conflict(f"a stakeholder with id {new.id!r} already exists", field="id")
        return decode(Stakeholder, rows[0]["s"])

    def _stakeholder_props(self, new: NewStakeholder, now: datetime) -> dict[str, Any]:
        props = encode(new)
        props.update(
            name_key=new.name.casefold(),
            created_at=to_ms(now),
            updated_at=to_ms(now),
            archived=False,
        )
        return props

    async def upsert_stakeholders(self, batch: Sequence[NewStakeholder | dict[str, Any]]) -> int:
        """Idempotent by id: a row that exists is updated, never duplicated."""
        items = [validated(NewStakeholder, d) for d in batch]
        now = utcnow()
        written = 0
        for part in chunks(items):
            rows = []
            for new in part:
                props = self._stakeholder_props(new, now)
                created = props.pop("created_at")
                rows.append({"id": new.id, "created_at": created, "props": props})
            result = await self._write(self.cypher.query("stakeholders_upsert"), {"rows": rows})
            written += result[0]["n"] if result else 0
        return written

    async def update_stakeholder(self, stakeholder_id: str, patch: StakeholderPatch | dict[str, Any]) -> Stakeholder:
        change: StakeholderPatch = validated(StakeholderPatch, patch)
        props = encode(change)
        if change.name is not None:
            props["name_key"] = change.name.casefold()
        props["updated_at"] = to_ms(utcnow())
        rows = await self._write(
            self.cypher.query("stakeholder_update"), {"id": stakeholder_id, "props": props}
        )
        if not rows:
            raise NotFound(f"no stakeholder with id {stakeholder_id!r}", field="id")
        return decode(Stakeholder, rows[0]["s"])

    async def archive_stakeholder(self, stakeholder_id: str) -> Stakeholder:
        rows = await self._write(
            self.cypher.query("stakeholder_archive"), {"id": stakeholder_id, "now": to_ms(utcnow())}
        )
        if not rows:
            raise NotFound(f"no stakeholder with id {stakeholder_id!r}", field="id")
        return decode(Stakeholder, rows[0]["s"])

    async def stakeholders(self, ids: Sequence[str]) -> list[Stakeholder | None]:
        """Stakeholders in the order of `ids`, None where an id is unknown."""
        if not ids:
            return []
        rows = await self.runner.read(self.cypher.query("stakeholders_by_id"), {"ids": list(dict.fromkeys(ids))})
        found = {row["s"]["id"]: decode(Stakeholder, row["s"]) for row in rows}
        return [found.get(i) for i in ids]

    async def stakeholder(self, stakeholder_id: str) -> Stakeholder:
        (found,) = await self.stakeholders([stakeholder_id])
        if found is None:
            raise NotFound(f"no stakeholder with id {stakeholder_id!r}", field="id")
        return found

    # -- relationships -----------------------------------------------------------------

    async def relate(self, data: NewRelationship | dict[str, Any]) -> Relationship:
        """Start a relationship. Idempotent by id; a second active tie of the same type
        between the same two stakeholders is a CONFLICT."""
        new: NewRelationship = validated(NewRelationship, data)
        now = utcnow()

        async def work(tx: Tx) -> Relationship:
            existing = await self._relationships_by_id(tx, [new.id])
            if existing:
                return self._same_relationship(existing[0], new)
            await self._require_stakeholders(tx, {"from_id": [new.from_id], "to_id": [new.to_id]})
            params = {"from_id": new.from_id, "to_id": new.to_id}
            active = await tx.run(self.cypher.query("relationship_active", new.type), params)
            if active:
                raise Conflict(
                    f"an active {new.type.value} relationship from {new.from_id!r} to "
                    f"{new.to_id!r} exists already (id {active[0]['r']['id']!r})",
                    field="type",
                )
            props = encode(new, exclude={"type", "from_id", "to_id"})
            props.setdefault("started_at", to_ms(now))
            props["created_at"] = to_ms(now)
            rows = await tx.run(
                self.cypher.query("relationship_create", new.type), {**params, "props": props}
            )
            return _relationship(rows[0])

        return await self._transaction(work)

    @staticmethod
    def _same_relationship(found: Relationship, new: NewRelationship) -> Relationship:
        if (found.type, found.from_id, found.to_id) != (new.type, new.from_id, new.to_id):
            raise Conflict(f"relationship id {new.id!r} is taken by another relationship", field="id")
        return found

    async def upsert_relationships(self, batch: Sequence[NewRelationship | dict[str, Any]]) -> int:
        """Idempotent by id, for imports; rows whose stakeholders are unknown fail the batch."""
        items: list[NewRelationship] = [validated(NewRelationship, d) for d in batch]
        now = to_ms(utcnow())
        written = 0
        for part in chunks(items):

            async def work(tx: Tx, part: Sequence[NewRelationship] = part) -> int:
                await self._require_stakeholders(
                    tx, {"from_id": [r.from_id for r in part], "to_id": [r.to_id for r in part]}
                )
                by_type: dict[RelationshipType, list[list[Any]]] = defaultdict(list)
                for rel in part:
                    by_type[rel.type].append(_relationship_row(rel, now))
                count = 0
                for rel_type, rows in by_type.items():
                    count += await self._write_relationships(tx, rel_type, rows)
                return count

            written += await self._transaction(work)
        return written

    async def _write_relationships(self, tx: Tx, rel_type: RelationshipType, rows: list[list[Any]]) -> int:
        """Create the new rows of one type and update the ones already there."""
        found = await tx.run(
            self.cypher.query("relationship_ids_existing", rel_type), {"ids": [row[0] for row in rows]}
        )
        existing = {r["id"] for r in found}
        fresh = [row for row in rows if row[0] not in existing]
        known = [row for row in rows if row[0] in existing]
        count = 0
        for name, subset in (("relationships_create", fresh), ("relationships_upsert", known)):
            if subset:
                result = await tx.run(self.cypher.query(name, rel_type), {"rows": subset})
                count += result[0]["n"] if result else 0
        return count

    async def _relationships_by_id(self, tx: Tx, ids: Sequence[str]) -> list[Relationship]:
        rows = await tx.run(self.cypher.over_all_types("relationships_by_id"), {"ids": list(ids)})
        return [_relationship(row) for row in rows]

    async def relationships(self, ids: Sequence[str]) -> list[Relationship | None]:
        """Relationships in the order of `ids`, None where an id is unknown."""
        if not ids:
            return []
        rows = await self.runner.read(
            self.cypher.over_all_types("relationships_by_id"), {"ids": list(dict.fromkeys(ids))}
        )
        found = {row["r"]["id"]: _relationship(row) for row in rows}
        return [found.get(i) for i in ids]

    async def relationship(self, relationship_id: str) -> Relationship:
        (found,) = await self.relationships([relationship_id])
        if found is None:
            raise NotFound(f"no relationship with id {relationship_id!r}", field="id")
        return found

    async def end_relationship(
        self, relationship_id: str, *, at: datetime | None = None, reason: str | None = None
    ) -> Relationship:
        """End a relationship (it is kept, with its end time and reason)."""
        ended = at or utcnow()
        if reason is not None and len(reason) > 2000:
            raise BadUserInput("reason: at most 2000 characters", field="reason")

        async def work(tx: Tx) -> Relationship:
            found = await self._relationships_by_id(tx, [relationship_id])
            if not found:
                raise NotFound(f"no relationship with id {relationship_id!r}", field="id")
            rel = found[0]
            if rel.ended_at is not None:
                raise Conflict(f"relationship {relationship_id!r} has ended already", field="id")
            if ended < rel.started_at:
                raise BadUserInput("at: a relationship cannot end before it started", field="at")
            rows = await tx.run(
                self.cypher.query("relationship_end", rel.type),
                {"id": relationship_id, "at": to_ms(ended), "reason": reason},
            )
            if not rows:
                raise Conflict(f"relationship {relationship_id!r} has ended already", field="id")
            return _relationship(rows[0])

        return await self._transaction(work)

    async def relationships_of(self, stakeholder_ids: Sequence[str]) -> dict[str, list[Relationship]]:
        """All relationships touching each stakeholder, in one round trip."""
        out: dict[str, list[Relationship]] = {i: [] for i in stakeholder_ids}
        if not stakeholder_ids:
            return out
        rows = await self.runner.read(
            self.cypher.query("relationships_of"), {"ids": list(dict.fromkeys(stakeholder_ids))}
        )
        for row in rows:
            out[row["sid"]].append(_relationship(row))
        for rels in out.values():
            rels.sort(key=lambda r: (r.started_at, r.id))
        return out

    # -- interactions ------------------------------------------------------------------

    async def record_interactions(
        self, batch: Sequence[NewInteraction | dict[str, Any]], *, keyed: bool = False
    ) -> list[Interaction]:
        """Record interactions; idempotent by id, all-or-nothing for the batch.

        `keyed`: the batch came under an idempotency key (its ids derive from it), so a
        batch that meets recorded ids must be an exact repeat, else CONFLICT.
        """
        rows = await self._record(batch, keyed=keyed)
        return [decode(Interaction, dict(zip(INTERACTION_COLUMNS, row))) for row in rows]

    async def import_interactions(self, batch: Sequence[NewInteraction | dict[str, Any]]) -> int:
        """`record_interactions` for bulk loads: the same checks and writes, no records back."""
        return len(await self._record(batch))

    async def _record(self, batch: Sequence[NewInteraction | dict[str, Any]], *, keyed: bool = False) -> list[list[Any]]:
        items: list[NewInteraction] = []
        for index, data in enumerate(batch):
            try:
                items.append(validated(NewInteraction, data))
            except BadUserInput as exc:
                raise BadUserInput(f"interactions[{index}].{exc.message}", field=f"interactions[{index}].{exc.field}") from None
        if not items:
            return []
        items = list({i.id: i for i in items}.values())
        now = to_ms(utcnow())
        rows = [_interaction_row(i, now) for i in items]
        touched = [(min(r[3], p), max(r[3], p)) for r in rows for p in r[4] if p != r[3]]

        async def work(tx: Tx) -> list[list[Any]]:
            wanted = sorted({p for i in items for p in (i.initiator_id, *i.participant_ids)})
            missing = {r["id"] for r in await tx.run(self.cypher.query("stakeholders_missing"), {"ids": wanted})}
            if missing:
                self._raise_missing_participant(items, missing)
            done = await tx.run(self.cypher.query("interaction_ids_existing"), {"ids": [row[0] for row in rows]})
            seen = {row["id"] for row in done}
            if keyed and seen:
                await self._require_repeat(tx, rows, seen)
            fresh = [row for row in rows if row[0] not in seen]
            for part in chunks(fresh):
                await tx.run(
                    self.cypher.query("interactions_record"),
                    {"rows": list(part), "pairs": self._tie_deltas(part), "half_life_ms": self.strength_params.half_life_ms},
                )
            return rows

        try:
            return await self._transaction(work, ties=touched)
        except Conflict as exc:
            if exc.field != "id":  # the unique constraint on ids speaks of `id`
                raise
            # A concurrent retry recorded these ids between our check and our write (its
            # write won the unique constraint; ours was undone). Once more, the check sees
            # them and skips them: the batch counts once, and this request succeeds too.
            return await self._transaction(work, ties=touched)

    async def _require_repeat(self, tx: Tx, rows: Sequence[list[Any]], seen: set[str]) -> None:
        """CONFLICT unless a keyed batch repeats, unchanged, one that was recorded whole."""
        if len(seen) == len(rows):
            found = await tx.run(self.cypher.query("interactions_by_id"), {"ids": sorted(seen)})
            stored = {r["i"]["id"]: r["i"] for r in found}
            if all(_same_interaction(stored.get(row[0]), row) for row in rows):
                return
        raise Conflict(
            "this idempotency key was used for a different batch of interactions", field="idempotency_key"
        )

    @staticmethod
    def _raise_missing_participant(items: Sequence[NewInteraction], missing: set[str]) -> None:
        """NOT_FOUND naming the first interaction and field that points at no one."""
        for n, item in enumerate(items):
            for field, ids in (("initiator_id", [item.initiator_id]), ("participant_ids", item.participant_ids)):
                for i in ids:
                    if i in missing:
                        raise NotFound(f"no stakeholder with id {i!r}", field=f"interactions[{n}].{field}")

    def _tie_deltas(self, rows: Sequence[list[Any]]) -> list[list[Any]]:
        """A batch reduced to one state per pair it touches (exact, whatever the order),
        so the database folds each pair in O(1)."""
        states = batch_states(((r[1], r[2], r[3], r[4], r[5]) for r in rows), self.strength_params)
        return [[a, b, *_tie_row(state)] for (a, b), state in states.items()]

    async def ties(self, pairs: Sequence[tuple[str, str]]) -> dict[tuple[str, str], PairState]:
        """The running state of each pair (a < b by id); pairs never in contact are absent."""
        if not pairs:
            return {}
        rows = await self.runner.read(self.cypher.query("ties_of_pairs"), {"pairs": [list(p) for p in dict.fromkeys(pairs)]})
        return {(row["a"], row["b"]): _pair_state(row["t"]) for row in rows}

    async def pair_history(self, a: str, b: str, until: datetime) -> list[Event]:
        """One pair's events up to `until`, for as-of, trend and channel questions."""
        pair = (a, b) if a < b else (b, a)
        return (await self.pair_histories([pair], until))[pair]

    async def all_tie_rows(self) -> list[list[Any]]:
        """Every pair's running state as a row `[a, b, *tie_columns.FIELDS]`, absent times as
        `tie_columns.NEVER`: the tie snapshot's own column read (`tie_state_columns`), as rows."""
        return [list(row) for part in (await self.tie_state_columns()).named() for row in zip(*part)]

    async def all_ties(self) -> list[tuple[str, str, PairState]]:
        """Every pair's running state (a < b), as one-tie states."""
        columns = TieColumns.from_rows(await self.all_tie_rows())
        return [(a, b, columns.state(i)) for i, (a, b) in enumerate(columns.pairs)]

    async def rebuild_ties(self) -> int:
        """Replay every interaction under the current strength parameters and rule and
        overwrite each pair's running state: what a changed half-life or weight table needs,
        since the stored intensities were decayed and weighted under the old ones, and what
        a store built under an older rule needs (`upgrade_strength_rule`). Stamps the rule's
        version when done. Returns the pairs.

        Each chunk of pairs is overwritten atomically; readers meanwhile see every pair
        either before or after, never half-written.
        """
        rows = await read_rows(self.runner, self.cypher, "interactions_since", {"since": -(2**62)})
        states = batch_states(
            ((r["type"], r["at"], r["initiator_id"], r["participant_ids"], r["sentiment"]) for r in rows),
            self.strength_params,
        )
        pairs = [[a, b, *_tie_row(state)] for (a, b), state in states.items()]
        for part in chunks(pairs):
            query = self.cypher.query("ties_rebuild")
            await self._transaction(lambda tx: tx.run(query, {"pairs": list(part)}), ties=None)
        await self.runner.write(self.cypher.query("strength_rule_set"), {"version": STRENGTH_RULE_VERSION})
        return len(pairs)

    async def recent_events(self, since: datetime) -> dict[tuple[str, str], list[Event]]:
        """Every pair's events after `since`, from one range read of the interactions."""
        out: dict[tuple[str, str], list[Event]] = defaultdict(list)
        rows = await read_rows(self.runner, self.cypher, "interactions_since", {"since": to_ms(since)})
        for row in rows:
            for pair, event in pair_events(
                row["type"], row["at"], row["initiator_id"], row["participant_ids"], row["sentiment"], self.strength_params
            ):
                out[pair].append(event)
        return out

    async def ended_pairs(self) -> set[tuple[str, str]]:
        """Pairs (a < b) whose communicating relationships (`COMMUNICATING_RELATIONSHIPS`)
        have all ended, across the network: their channel is BROKEN. Structural records
        (WORKS_FOR, REPORTS_TO, ...) are no channel, so their ending does not count."""
        rows = await self.runner.read(self.cypher.over_types("all_ended_relationship_pairs", COMMUNICATING_RELATIONSHIPS))
        candidates = sorted({(r["a"], r["b"]) if r["a"] < r["b"] else (r["b"], r["a"]) for r in rows})
        ended = set()
        for pair, rels in (await self.relationships_between_pairs(candidates)).items():
            talking = [r for r in rels if r.type in COMMUNICATING_RELATIONSHIPS]
            if talking and all(r.ended_at is not None for r in talking):
                ended.add(pair)
        return ended

    async def silent_communicating_pairs(self, at: datetime) -> set[tuple[str, str]]:
        """Pairs (a < b) joined by a communicating relationship started by `at` that had not
        interacted by then: communication ties whose channel was never used (BROKEN)."""
        rows = await self.runner.read(
            self.cypher.over_types("all_silent_communicating_pairs", COMMUNICATING_RELATIONSHIPS), {"at": to_ms(at)}
        )
        return {(r["a"], r["b"]) if r["a"] < r["b"] else (r["b"], r["a"]) for r in rows}

    async def stakeholders_with_overdue_complaints(self, at: datetime) -> set[str]:
        rows = await self.runner.read(
            self.cypher.query("all_overdue_complaint_stakeholders"),
            {"now": to_ms(at), "open": sorted(s.value for s in lifecycle.OPEN_STATUSES)},
        )
        return {row["id"] for row in rows}

    async def relationships_between_pairs(self, pairs: Sequence[tuple[str, str]]) -> dict[tuple[str, str], list[Relationship]]:
        out: dict[tuple[str, str], list[Relationship]] = {p: [] for p in pairs}
        if not pairs:
            return out
        rows = await self.runner.read(self.cypher.query("relationships_between_pairs"), {"pairs": [list(p) for p in pairs]})
        for row in rows:
            out[(row["a"], row["b"])].append(_relationship(row))
        return out

    async def pair_histories(
        self, pairs: Sequence[tuple[str, str]], until: datetime
    ) -> dict[tuple[str, str], list[Event]]:
        """The histories of many pairs (a < b) in one round trip, oldest event first."""
        out: dict[tuple[str, str], list[Event]] = {p: [] for p in pairs}
        if not pairs:
            return out
        rows = await self.runner.read(
            self.cypher.query("pair_histories"),
            {"pairs": [list(p) for p in dict.fromkeys(pairs)], "until": to_ms(until)},
        )
        for row in sorted(rows, key=lambda r: r["at"]):
            a, b = row["a"], row["b"]
            other = b if row["initiator_id"] == a else a
            for pair, event in pair_events(row["type"], row["at"], row["initiator_id"], [other], row["sentiment"], self.strength_params):
                if pair == (a, b):
                    out[pair].append(event)
        return out

    async def account_ties(self, org_ids: Sequence[str]) -> dict[str, list[tuple[str, str, str, PairState]]]:
        """Per organisation, (level, employee, side, state) for every tie its strength rolls
        up from; one round trip for any number of organisations."""
        out: dict[str, list[tuple[str, str, str, PairState]]] = {org: [] for org in org_ids}
        if not org_ids:
            return out
        rows = await self.runner.read(self.cypher.query("account_ties"), {"orgs": list(out)})
        for row in rows:
            out[row["org"]].append((row["level"], row["employee"], row["side"], _pair_state(row["t"])))
        return out

    async def overdue_complaints_of(self, stakeholder_ids: Sequence[str], at: datetime) -> dict[str, list[str]]:
        """Ids of each stakeholder's open complaints that are past a deadline at `at`."""
        out: dict[str, list[str]] = {i: [] for i in stakeholder_ids}
        if not stakeholder_ids:
            return out
        rows = await self.runner.read(
            self.cypher.query("complaints_overdue_of"),
            {"ids": list(dict.fromkeys(stakeholder_ids)), "now": to_ms(at),
             "open": sorted(s.value for s in lifecycle.OPEN_STATUSES)},
        )
        for row in rows:
            out[row["sid"]] = list(row["ids"])
        return out

    async def relationships_between(self, a: str, b: str) -> list[Relationship]:
        pair = (a, b) if a < b else (b, a)
        return (await self.relationships_between_pairs([pair]))[pair]

    async def assess_relationship(
        self, relationship_id: str, strength: float, *, by: str | None = None, at: datetime | None = None
    ) -> Relationship:
        """Keep an analyst's judgement of a tie beside the computed strength."""
        if not (0.0 <= strength <= 1.0):
            raise BadUserInput("strength: must lie in [0, 1]", field="strength")
        if by is not None and len(by) > 300:
            raise BadUserInput("by: at most 300 characters", field="by")

        async def work(tx: Tx) -> Relationship:
            found = await self._relationships_by_id(tx, [relationship_id])
            if not found:
                raise NotFound(f"no relationship with id {relationship_id!r}", field="id")
            rows = await tx.run(
                self.cypher.query("relationship_assess", found[0].type),
                {"id": relationship_id, "strength": strength, "by": by, "at": to_ms(at or utcnow())},
            )
            return _relationship(rows[0])

        return await self._transaction(work)

    async def interactions(self, ids: Sequence[str]) -> list[Interaction | None]:
        if not ids:
            return []
        rows = await self.runner.read(self.cypher.query("interactions_by_id"), {"ids": list(dict.fromkeys(ids))})
        found = {row["i"]["id"]: decode(Interaction, row["i"]) for row in rows}
        return [found.get(i) for i in ids]

    async def interactions_of(
        self,
        stakeholder_ids: Sequence[str],
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 20,
    ) -> dict[str, list[Interaction]]:
        """The latest interactions of each stakeholder, newest first, in one round trip."""
        out: dict[str, list[Interaction]] = {i: [] for i in stakeholder_ids}
        if not stakeholder_ids:
            return out
        params = {
            "ids": list(dict.fromkeys(stakeholder_ids)),
            "since": to_ms(since) if since else -(2**62),
            "until": to_ms(until) if until else 2**62,
            "limit": limit,
        }
        for row in await self.runner.read(self.cypher.query("interactions_of"), params):
            out[row["sid"]] = [decode(Interaction, p) for p in row["items"]]
        return out

    # -- complaints --------------------------------------------------------------------

    async def file_complaint(self, data: NewComplaint | dict[str, Any]) -> Complaint:
        new: NewComplaint = validated(NewComplaint, data)
        now = utcnow()
        received = new.received_at or now
        props = encode(new)
        props.update(
            received_at=to_ms(received),
            status=ComplaintStatus.RECEIVED.value,
            respond_by=to_ms(self.deadlines.respond_by(received)),
            resolve_by=to_ms(self.deadlines.resolve_by(received)),
            updated_at=to_ms(now),
        )

        async def work(tx: Tx) -> Complaint:
            fields = {"stakeholder_id": [new.stakeholder_id]}
            if new.owner_id:
                fields["owner_id"] = [new.owner_id]
            await self._require_stakeholders(tx, fields)
            if await tx.run(self.cypher.query("complaints_by_id"), {"ids": [new.id]}):
                raise Conflict(f"a complaint with id {new.id!r} already exists", field="id")
            rows = await tx.run(
                self.cypher.query("complaint_file"),
                {"stakeholder_id": new.stakeholder_id, "props": props},
            )
            return decode(Complaint, rows[0]["c"])

        return await self._transaction(work)

    async def transition_complaint(self, data: ComplaintMove | dict[str, Any]) -> Complaint:
        """Move a complaint along its lifecycle; illegal moves are refused, nothing written."""
        move: ComplaintMove = validated(ComplaintMove, data)
        at = move.at or utcnow()
        changes: dict[str, Any] = {"status": move.status.value, "updated_at": to_ms(utcnow())}
        stamp = {
            ComplaintStatus.ACKNOWLEDGED: "acknowledged_at",
            ComplaintStatus.ESCALATED: "escalated_at",
            ComplaintStatus.RESOLVED: "resolved_at",
            ComplaintStatus.CLOSED: "closed_at",
        }.get(move.status)
        if stamp:
            changes[stamp] = to_ms(at)
        if move.note is not None:
            changes["note"] = move.note
        if move.satisfaction is not None:
            if move.status not in (ComplaintStatus.RESOLVED, ComplaintStatus.CLOSED):
                raise BadUserInput("satisfaction: only recorded on RESOLVED or CLOSED", field="satisfaction")
            changes["satisfaction"] = move.satisfaction
        sources = [s.value for s in lifecycle.sources_of(move.status)]

        async def work(tx: Tx) -> Complaint:
            rows = await tx.run(
                self.cypher.query("complaint_transition"),
                {"id": move.id, "from_statuses": sources, "changes": changes},
            )
            if rows:
                return decode(Complaint, rows[0]["c"])
            current = await tx.run(self.cypher.query("complaints_by_id"), {"ids": [move.id]})
            if not current:
                raise NotFound(f"no complaint with id {move.id!r}", field="id")
            status = ComplaintStatus(current[0]["c"]["status"])
            allowed = ", ".join(sorted(s.value for s in lifecycle.TRANSITIONS[status])) or "none"
            raise BadUserInput(
                f"status: a complaint cannot move from {status.value} to {move.status.value} "
                f"(allowed: {allowed})",
                field="status",
            )

        return await self._transaction(work)

    async def complaints(self, ids: Sequence[str]) -> list[Complaint | None]:
        if not ids:
            return []
        rows = await self.runner.read(self.cypher.query("complaints_by_id"), {"ids": list(dict.fromkeys(ids))})
        found = {row["c"]["id"]: decode(Complaint, row["c"]) for row in rows}
        return [found.get(i) for i in ids]

    async def complaints_of(self, stakeholder_ids: Sequence[str]) -> dict[str, list[Complaint]]:
        out: dict[str, list[Complaint]] = {i: [] for i in stakeholder_ids}
        if not stakeholder_ids:
            return out
        rows = await self.runner.read(self.cypher.query("complaints_of"), {"ids": list(dict.fromkeys(stakeholder_ids))})
        for row in rows:
            out[row["sid"]] = [decode(Complaint, c) for c in row["items"]]
        return out

    async def upsert_complaints(self, batch: Sequence[ComplaintRecordInput | dict[str, Any]]) -> int:
        """Complaints in whatever state they have reached, idempotent by id (imports, demo)."""
        items: list[ComplaintRecordInput] = [validated(ComplaintRecordInput, d) for d in batch]
        now = utcnow()
        written = 0
        for part in chunks(items):
            rows = []
            for c in part:
                received = c.received_at or now
                props = encode(c)
                props.update(
                    received_at=to_ms(received),
                    respond_by=to_ms(self.deadlines.respond_by(received)),
                    resolve_by=to_ms(self.deadlines.resolve_by(received)),
                    updated_at=to_ms(now),
                )
                rows.append({"id": c.id, "stakeholder_id": c.stakeholder_id, "props": props})

            async def work(tx: Tx, part: Sequence[ComplaintRecordInput] = part, rows: list[dict[str, Any]] = rows) -> int:
                fields = {"stakeholder_id": [c.stakeholder_id for c in part], "owner_id": [c.owner_id for c in part if c.owner_id]}
                await self._require_stakeholders(tx, fields)
                result = await tx.run(self.cypher.query("complaints_upsert"), {"rows": rows})
                return result[0]["n"] if result else 0

            written += await self._transaction(work)
        return written

    # -- account plans -----------------------------------------------------------------

    async def set_account_plan(self, data: AccountPlanInput | dict[str, Any]) -> AccountPlan:
        """Set an account's plan as a whole. The owner must be one of our employees and the
        account a customer (`_require_plan_parties`); the next contact is then due as
        `care.plan_due` says, from the last contact known now."""
        plan: AccountPlanInput = validated(AccountPlanInput, data)
        now = utcnow()

        async def work(tx: Tx) -> AccountPlan:
            await self._require_stakeholders(
                tx,
                {
                    "account_id": [plan.account_id],
                    "owner_id": [plan.owner_id],
                    "actions.contact_id": [a.contact_id for a in plan.actions if a.contact_id],
                },
            )
            await self._require_plan_parties(tx, [plan])
            account = (await tx.run(self.cypher.query("stakeholders_by_id"), {"ids": [plan.account_id]}))[0]["s"]
            props = self._plan_props(plan, account.get("tier"), now)
            rows = await tx.run(
                self.cypher.query("account_plan_set"), {"account_id": plan.account_id, "props": props}
            )
            last = await self._last_contacts(tx, [plan.account_id], now)
            return self._plan_record(rows[0]["p"], last.get(plan.account_id))

        return await self._transaction(work)

    async def set_account_plans(self, batch: Sequence[AccountPlanInput | dict[str, Any]]) -> int:
        """Set many plans at once (imports, demo); each as `set_account_plan` would."""
        plans: list[AccountPlanInput] = [validated(AccountPlanInput, d) for d in batch]
        now = utcnow()
        written = 0
        for part in chunks(plans):

            async def work(tx: Tx, part: Sequence[AccountPlanInput] = part) -> int:
                await self._require_stakeholders(
                    tx,
                    {
                        "account_id": [p.account_id for p in part],
                        "owner_id": [p.owner_id for p in part],
                        "actions.contact_id": [a.contact_id for p in part for a in p.actions if a.contact_id],
                    },
                )
                await self._require_plan_parties(tx, part)
                accounts = await tx.run(self.cypher.query("stakeholders_by_id"), {"ids": [p.account_id for p in part]})
                tiers = {row["s"]["id"]: row["s"].get("tier") for row in accounts}
                rows = [{"account_id": p.account_id, "props": self._plan_props(p, tiers.get(p.account_id), now)} for p in part]
                result = await tx.run(self.cypher.query("account_plans_set"), {"rows": rows})
                return result[0]["n"] if result else 0

            written += await self._transaction(work)
        return written

    async def _require_plan_parties(self, tx: Tx, plans: Sequence[AccountPlanInput]) -> None:
        """BAD_USER_INPUT unless each plan's owner is one of our employees (an EMPLOYEE
        person) and its account a customer: a customer organisation, or a customer person
        who works for no customer organisation (a contact person's account is its
        organisation, whose plan covers it)."""
        ids = sorted({i for p in plans for i in (p.account_id, p.owner_id)})
        rows = await tx.run(self.cypher.query("plan_parties"), {"ids": ids})
        parties = {r["id"]: r for r in rows}
        for p in plans:
            owner = parties[p.owner_id]
            if (owner["kind"], owner["form"]) != ("EMPLOYEE", "PERSON"):
                raise BadUserInput(
                    f"owner {p.owner_id!r} is a {owner['kind']} {owner['form']}: an account's owner is one of "
                    "our employees (an EMPLOYEE PERSON)",
                    field="owner_id",
                )
            account = parties[p.account_id]
            if account["kind"] != "CUSTOMER":
                raise BadUserInput(
                    f"account {p.account_id!r} is a {account['kind']}: only customers have account plans",
                    field="account_id",
                )
            orgs = sorted(o for o in account["orgs"] if o is not None)
            if account["form"] == "PERSON" and orgs:
                raise BadUserInput(
                    f"account {p.account_id!r} works for customer {orgs[0]!r}: plan that organisation, "
                    "whose plan counts contacts with its people",
                    field="account_id",
                )

    def _plan_props(self, plan: AccountPlanInput, account_tier: str | None, now: datetime) -> dict[str, Any]:
        tier = plan.tier or (Tier(account_tier) if account_tier else None)
        cadence = plan.cadence_days or self.cadence.for_tier(tier)
        props = encode(plan)
        props.update(
            id=plan.account_id,
            cadence_days=cadence,
            # the owner's date, or the cadence's from now; `next_contact_planned` tells them
            # apart, since a contact recorded later replaces the cadence's date at once
            next_contact_due=to_ms(plan.next_contact_due or self.cadence.next_due(tier, cadence, now)),
            next_contact_planned=plan.next_contact_due is not None,
            updated_at=to_ms(now),
        )
        if tier is not None:
            props["tier"] = tier.value
        return props

    async def _last_contacts(self, tx: Tx, account_ids: list[str], until: datetime) -> dict[str, int]:
        rows = await tx.run(self.cypher.query("plan_last_contacts"), last_contact_params(account_ids, to_ms(until)))
        return {r["account"]: int(r["last"]) for r in rows if r["last"] is not None}

    def _plan_record(self, props: dict[str, Any], last_contact_ms: int | None) -> AccountPlan:
        """A stored plan with its next contact due as of now (`care.plan_due`)."""
        due = care.plan_due(plan_view(props, last_contact_ms), self.cadence.days)
        return decode(AccountPlan, {**props, "next_contact_due": due, "last_contact_at": last_contact_ms})

    async def account_plans(self, account_ids: Sequence[str]) -> list[AccountPlan | None]:
        """Plans by account, each with its next contact due from the last contact known now."""
        if not account_ids:
            return []
        ids = list(dict.fromkeys(account_ids))
        rows = await self.runner.read(self.cypher.query("account_plans_of"), {"ids": ids})
        last = await self.last_contacts([row["p"]["id"] for row in rows], utcnow())
        found = {row["p"]["id"]: self._plan_record(row["p"], last.get(row["p"]["id"])) for row in rows}
        return [found.get(i) for i in account_ids]
