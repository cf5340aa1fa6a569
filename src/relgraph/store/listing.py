"""Filtered, sorted, paged lists of stakeholders, relationships and complaints.

A filter is a small tree (fields, AND, OR, NOT) validated by the models below. It becomes
a Cypher WHERE fragment here, and only here, under one rule: the fragment is assembled
from fixed property expressions (the `*_RULES` and `*_ORDER` tables) and every value a
caller gave travels as a `$parameter`. No user string is ever spliced into Cypher.

Pages use keyset cursors: a cursor holds the sort key and id of the last row seen, so the
next page starts right after that row (`ORDER BY ... LIMIT`, no skipping over earlier
rows), and rows inserted meanwhile do not shift later pages. Sort keys never compare
against null (absent values sort as the lowest value). `totalCount` is a separate
query, run only when a client asks for it.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Annotated, Any, Callable, Generic, Mapping, Sequence, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from relgraph.domain.enums import (
    ComplaintChannel,
    ComplaintStatus,
    RelationshipType,
    Role,
    Severity,
    StakeholderForm,
    StakeholderKind,
    Tier,
)
from relgraph.domain.model import Complaint, Id, Name, Relationship, Stakeholder, Tag, UtcDateTime
from relgraph.domain.time import to_ms
from relgraph.errors import BadUserInput
from relgraph.store.codec import decode
from relgraph.store.cypher import CypherLibrary
from relgraph.store.runner import Row, Runner

T = TypeVar("T")

#: How deep AND/OR/NOT may nest, and how many field tests one filter may hold: enough for
#: any front end, small enough that a hostile filter cannot make a huge query.
MAX_DEPTH = 6
MAX_PREDICATES = 100
MAX_VALUES = 200

#: Sort keys never compare against null (backends order nulls differently, and a keyset
#: comparison with null is never true), so absent values sort as these.
LOWEST_INT = -(2**62)
LOWEST_TEXT = ""


class _Filter(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TimeRange(_Filter):
    """From `from_` (inclusive) to `to` (exclusive); either end may be open."""

    from_: UtcDateTime | None = None
    to: UtcDateTime | None = None


class TagMatch(_Filter):
    """Tags a stakeholder carries: at least one of `any`, and every one of `all`."""

    any: Annotated[list[Tag], Field(max_length=MAX_VALUES)] | None = None
    all: Annotated[list[Tag], Field(max_length=MAX_VALUES)] | None = None


class StakeholderFilter(_Filter):
    """Fields are ANDed; a list means "any of"; and_/or_/not_ combine whole filters."""

    keys: Annotated[list[Id], Field(max_length=MAX_VALUES)] | None = None
    kind: Annotated[list[StakeholderKind], Field(max_length=MAX_VALUES)] | None = None
    form: StakeholderForm | None = None
    industry: Annotated[list[Name], Field(max_length=MAX_VALUES)] | None = None
    region: Annotated[list[Name], Field(max_length=MAX_VALUES)] | None = None
    tier: Annotated[list[Tier], Field(max_length=MAX_VALUES)] | None = None
    tags: TagMatch | None = None
    name_contains: Annotated[str, Field(min_length=1, max_length=300)] | None = None
    is_us: bool | None = None
    archived: bool | None = None
    created_at: TimeRange | None = None
    since: TimeRange | None = None
    and_: list[StakeholderFilter] | None = None
    or_: list[StakeholderFilter] | None = None
    not_: StakeholderFilter | None = None


class RelationshipFilter(_Filter):
    """As StakeholderFilter; `stakeholder` matches either end, `from_`/`to` one end."""

    type: Annotated[list[RelationshipType], Field(max_length=MAX_VALUES)] | None = None
    role: Annotated[list[Role], Field(max_length=MAX_VALUES)] | None = None
    active: bool | None = None
    stakeholder: Annotated[list[Id], Field(max_length=MAX_VALUES)] | None = None
    from_: Annotated[list[Id], Field(max_length=MAX_VALUES)] | None = None
    to: Annotated[list[Id], Field(max_length=MAX_VALUES)] | None = None
    started_at: TimeRange | None = None
    ended_at: TimeRange | None = None
    and_: list[RelationshipFilter] | None = None
    or_: list[RelationshipFilter] | None = None
    not_: RelationshipFilter | None = None


class ComplaintFilter(_Filter):
    """As StakeholderFilter; `stakeholder` is who complained, `owner` who handles it."""

    status: Annotated[list[ComplaintStatus], Field(max_length=MAX_VALUES)] | None = None
    category: Annotated[list[Name], Field(max_length=MAX_VALUES)] | None = None
    severity: Annotated[list[Severity], Field(max_length=MAX_VALUES)] | None = None
    channel: Annotated[list[ComplaintChannel], Field(max_length=MAX_VALUES)] | None = None
    stakeholder: Annotated[list[Id], Field(max_length=MAX_VALUES)] | None = None
    owner: Annotated[list[Id], Field(max_length=MAX_VALUES)] | None = None
    received_at: TimeRange | None = None
    and_: list[ComplaintFilter] | None = None
    or_: list[ComplaintFilter] | None = None
    not_: ComplaintFilter | None = None


class Direction(str, Enum):
    ASC = "ASC"
    DESC = "DESC"


class StakeholderOrderField(str, Enum):
    NAME = "NAME"
    KIND = "KIND"
    FORM = "FORM"
    INDUSTRY = "INDUSTRY"
    REGION = "REGION"
    TIER = "TIER"
    SINCE = "SINCE"
    CREATED_AT = "CREATED_AT"
    UPDATED_AT = "UPDATED_AT"


class RelationshipOrderField(str, Enum):
    STARTED_AT = "STARTED_AT"
    ENDED_AT = "ENDED_AT"
    CREATED_AT = "CREATED_AT"
    TYPE = "TYPE"
    #: The pair's current strength: computed, not stored, so ranked by the strength
    #: service (`relgraph.services.strength.relationships_by_strength`), not in Cypher.
    STRENGTH = "STRENGTH"


class ComplaintOrderField(str, Enum):
    RECEIVED_AT = "RECEIVED_AT"
    UPDATED_AT = "UPDATED_AT"
    RESOLVE_BY = "RESOLVE_BY"
    SEVERITY = "SEVERITY"
    STATUS = "STATUS"
    CATEGORY = "CATEGORY"


@dataclass(frozen=True)
class Order:
    """One sort field and its direction; the id always breaks ties, in the same direction."""

    field: Enum
    direction: Direction = Direction.ASC


# -- building predicates ---------------------------------------------------------------


class Binder:
    """Hands out `$f0, $f1, ...` for values, so that values never enter the query text."""

    def __init__(self) -> None:
        self.params: dict[str, Any] = {}

    def __call__(self, value: Any) -> str:
        name = f"f{len(self.params)}"
        self.params[name] = value
        return f"${name}"


Rule = Callable[[Any, Binder], str]


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return to_ms(value)
    return value


def one_of(expr: str) -> Rule:
    """`expr` equals one of the given values."""
    return lambda values, bind: f"{expr} IN {bind([_plain(v) for v in values])}"


def equals(expr: str) -> Rule:
    return lambda value, bind: f"{expr} = {bind(_plain(value))}"


def flag(expr: str) -> Rule:
    """A boolean property that is absent on older rows counts as false."""
    return lambda value, bind: f"coalesce({expr}, false) = {bind(bool(value))}"


def present(expr: str) -> Rule:
    """`true`: the property is absent (e.g. an active relationship has no end)."""
    return lambda value, _bind: f"{expr} IS NULL" if value else f"{expr} IS NOT NULL"


def contains_casefolded(expr: str) -> Rule:
    """Substring match on a casefolded key the store keeps beside the name."""
    return lambda value, bind: f"{expr} CONTAINS {bind(value.casefold())}"


def within(expr: str) -> Rule:
    def rule(span: TimeRange, bind: Binder) -> str:
        parts = [f"{expr} IS NOT NULL"]
        if span.from_ is not None:
            parts.append(f"{expr} >= {bind(to_ms(span.from_))}")
        if span.to is not None:
            parts.append(f"{expr} < {bind(to_ms(span.to))}")
        return " AND ".join(parts)

    return rule


def tagged(expr: str) -> Rule:
    """Pattern-free list tests, which both FalkorDB and Neo4j evaluate."""

    def rule(match: TagMatch, bind: Binder) -> str:
        tags = f"coalesce({expr}, [])"
        parts = []
        if match.any is not None:
            parts.append(f"size([t IN {tags} WHERE t IN {bind(match.any)}]) > 0")
        if match.all is not None:
            wanted = bind(sorted(set(match.all)))
            parts.append(f"size([t IN {wanted} WHERE t IN {tags}]) = size({wanted})")
        return " AND ".join(parts) or "true"

    return rule


def either_end(first: str, second: str) -> Rule:
    def rule(values: Sequence[str], bind: Binder) -> str:
        ids = bind(list(values))
        return f"({first} IN {ids} OR {second} IN {ids})"

    return rule


def rank(expr: str, members: type[Enum]) -> str:
    """Sort an enum property by the enum's own order (LOW < ... < CRITICAL), not by name."""
    whens = " ".join(f"WHEN '{m.value}' THEN {i}" for i, m in enumerate(members))
    return f"CASE {expr} {whens} ELSE {len(members)} END"


STAKEHOLDER_RULES: dict[str, Rule] = {
    "keys": one_of("s.id"),
    "kind": one_of("s.kind"),
    "form": equals("s.form"),
    "industry": one_of("s.industry"),
    "region": one_of("s.region"),
    "tier": one_of("s.tier"),
    "tags": tagged("s.tags"),
    "name_contains": contains_casefolded("s.name_key"),
    "is_us": flag("s.is_us"),
    "archived": flag("s.archived"),
    "created_at": within("s.created_at"),
    "since": within("s.since"),
}

RELATIONSHIP_RULES: dict[str, Rule] = {
    "type": one_of("type(r)"),
    "role": one_of("r.role"),
    "active": present("r.ended_at"),
    "stakeholder": either_end("a.id", "b.id"),
    "from_": one_of("a.id"),
    "to": one_of("b.id"),
    "started_at": within("r.started_at"),
    "ended_at": within("r.ended_at"),
}

COMPLAINT_RULES: dict[str, Rule] = {
    "status": one_of("c.status"),
    "category": one_of("c.category"),
    "severity": one_of("c.severity"),
    "channel": one_of("c.channel"),
    "stakeholder": one_of("s.id"),
    "owner": one_of("c.owner_id"),
    "received_at": within("c.received_at"),
}

STAKEHOLDER_ORDER: dict[Enum, str] = {
    StakeholderOrderField.NAME: "s.name_key",
    StakeholderOrderField.KIND: "s.kind",
    StakeholderOrderField.FORM: "s.form",
    StakeholderOrderField.INDUSTRY: f"coalesce(s.industry, '{LOWEST_TEXT}')",
    StakeholderOrderField.REGION: f"coalesce(s.region, '{LOWEST_TEXT}')",
    StakeholderOrderField.TIER: rank("s.tier", Tier),
    StakeholderOrderField.SINCE: f"coalesce(s.since, {LOWEST_INT})",
    StakeholderOrderField.CREATED_AT: "s.created_at",
    StakeholderOrderField.UPDATED_AT: "s.updated_at",
}

RELATIONSHIP_ORDER: dict[Enum, str] = {
    RelationshipOrderField.STARTED_AT: "r.started_at",
    RelationshipOrderField.ENDED_AT: f"coalesce(r.ended_at, {LOWEST_INT})",
    RelationshipOrderField.CREATED_AT: "r.created_at",
    RelationshipOrderField.TYPE: "type(r)",
}

COMPLAINT_ORDER: dict[Enum, str] = {
    ComplaintOrderField.RECEIVED_AT: "c.received_at",
    ComplaintOrderField.UPDATED_AT: "c.updated_at",
    ComplaintOrderField.RESOLVE_BY: "c.resolve_by",
    ComplaintOrderField.SEVERITY: rank("c.severity", Severity),
    ComplaintOrderField.STATUS: rank("c.status", ComplaintStatus),
    ComplaintOrderField.CATEGORY: "c.category",
}


@dataclass(frozen=True)
class ListSpec:
    """What differs between the three lists: query names, variables and allowlists."""

    query: str
    rules: Mapping[str, Rule]
    order: Mapping[Enum, str]
    default_order: Order


STAKEHOLDERS = ListSpec(
    "list_stakeholders", STAKEHOLDER_RULES, STAKEHOLDER_ORDER,
    Order(field=StakeholderOrderField.NAME),
)
RELATIONSHIPS = ListSpec(
    "list_relationships", RELATIONSHIP_RULES, RELATIONSHIP_ORDER,
    Order(field=RelationshipOrderField.STARTED_AT),
)
COMPLAINTS = ListSpec(
    "list_complaints", COMPLAINT_RULES, COMPLAINT_ORDER,
    Order(field=ComplaintOrderField.RECEIVED_AT, direction=Direction.DESC),
)

_COMBINATORS = ("and_", "or_", "not_")


class _Budget:
    """Counts field tests while compiling, to refuse oversized filters."""

    def __init__(self) -> None:
        self.used = 0

    def spend(self) -> None:
        self.used += 1
        if self.used > MAX_PREDICATES:
            raise BadUserInput(f"filter: at most {MAX_PREDICATES} conditions", field="filter")


def where_of(
    spec: ListSpec, flt: BaseModel | None, bind: Binder, *, budget: _Budget | None = None, depth: int = 0
) -> str | None:
    """The predicate of one filter node: its fields ANDed, then its AND/OR/NOT children."""
    if flt is None:
        return None
    if depth > MAX_DEPTH:
        raise BadUserInput(f"filter: AND/OR/NOT nest at most {MAX_DEPTH} deep", field="filter")
    budget = budget or _Budget()
    parts: list[str] = []
    for name in type(flt).model_fields:
        value = getattr(flt, name)
        if value is None or name in _COMBINATORS:
            continue
        budget.spend()
        parts.append(spec.rules[name](value, bind))

    def child(node: BaseModel) -> str:
        return where_of(spec, node, bind, budget=budget, depth=depth + 1) or "true"

    and_, or_, not_ = (getattr(flt, n) for n in _COMBINATORS)
    parts.extend(child(node) for node in and_ or [])
    if or_ is not None:
        parts.append(" OR ".join(f"({child(node)})" for node in or_) or "false")
    if not_ is not None:
        parts.append(f"NOT ({child(not_)})")
    return " AND ".join(f"({p})" for p in parts) if parts else None


# -- cursors ---------------------------------------------------------------------------


def _order_tag(order: Order) -> str:
    return f"{order.field.value}:{order.direction.value}"


def encode_cursor(order: Order, key: Any, tie: str) -> str:
    raw = json.dumps({"o": _order_tag(order), "k": key, "i": tie}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, order: Order) -> tuple[Any, str]:
    """The sort key and id a cursor points after; BAD_USER_INPUT for a foreign cursor."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        key, tie, tag = data["k"], data["i"], data["o"]
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise BadUserInput("after: not a cursor of this list", field="after") from None
    if tag != _order_tag(order) or not isinstance(tie, str) or not isinstance(key, (str, int)):
        raise BadUserInput("after: the cursor belongs to another order or list", field="after")
    return key, tie


# -- pages -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list, with each item's cursor."""

    items: list[T]
    cursors: list[str]
    has_next: bool
    has_previous: bool


def _relationship(row: Row) -> Relationship:
    props = dict(row["r"])
    props.update(type=row["type"], from_id=row["from_id"], to_id=row["to_id"])
    return decode(Relationship, props)


class Listing:
    """Paged list queries; filters become Cypher predicates over allowlisted keys only."""

    def __init__(self, runner: Runner, cypher: CypherLibrary) -> None:
        self.runner = runner
        self.cypher = cypher

    # -- the three lists ---------------------------------------------------------------

    async def stakeholders(
        self, flt: StakeholderFilter | None = None, order: Order | None = None, *, first: int = 50, after: str | None = None
    ) -> Page[Stakeholder]:
        return await self._page(STAKEHOLDERS, flt, order, first, after, lambda row: decode(Stakeholder, row["s"]))

    async def count_stakeholders(self, flt: StakeholderFilter | None = None) -> int:
        return await self._count(STAKEHOLDERS, flt)

    async def relationships(
        self, flt: RelationshipFilter | None = None, order: Order | None = None, *, first: int = 50, after: str | None = None
    ) -> Page[Relationship]:
        return await self._page(RELATIONSHIPS, flt, order, first, after, _relationship)

    async def count_relationships(self, flt: RelationshipFilter | None = None) -> int:
        return await self._count(RELATIONSHIPS, flt)

    async def relationship_ends(
        self, flt: RelationshipFilter | None = None, order: Order | None = None
    ) -> list[tuple[str, str, str, Any]]:
        """(id, from, to, sort key) of every relationship the filter matches, unsorted.

        For orders and filters the database cannot compute (strength, channel state): the
        caller ranks these rows and fetches only its page. The sort key is the order's,
        or the default order's when the order is computed.
        """
        if order is not None and order.field in RELATIONSHIP_ORDER:
            key = RELATIONSHIP_ORDER[order.field]
        else:
            key = RELATIONSHIP_ORDER[RELATIONSHIPS.default_order.field]
        bind = Binder()
        where = where_of(RELATIONSHIPS, flt, bind)
        text = self.cypher.query("list_relationship_ends", WHERE=f"WHERE {where}" if where else "", KEY=key)
        rows = await self.runner.read(text, bind.params)
        return [(row["id"], row["from_id"], row["to_id"], row["sort_key"]) for row in rows]

    async def complaints(
        self, flt: ComplaintFilter | None = None, order: Order | None = None, *, first: int = 50, after: str | None = None
    ) -> Page[Complaint]:
        return await self._page(COMPLAINTS, flt, order, first, after, lambda row: decode(Complaint, row["c"]))

    async def count_complaints(self, flt: ComplaintFilter | None = None) -> int:
        return await self._count(COMPLAINTS, flt)

    async def interaction_counts(
        self, stakeholder_ids: Sequence[str], *, since: datetime | None = None, until: datetime | None = None
    ) -> dict[str, int]:
        """How many interactions each stakeholder took part in, in one round trip."""
        if not stakeholder_ids:
            return {}
        params = {
            "ids": list(dict.fromkeys(stakeholder_ids)),
            "since": to_ms(since) if since else LOWEST_INT,
            "until": to_ms(until) if until else 2**62,
        }
        rows = await self.runner.read(self.cypher.query("list_interaction_counts"), params)
        counts = {row["sid"]: int(row["n"]) for row in rows}
        return {i: counts.get(i, 0) for i in stakeholder_ids}

    # -- shared machinery --------------------------------------------------------------

    def _order(self, spec: ListSpec, order: Order | None) -> tuple[Order, str]:
        order = order or spec.default_order
        if order.field not in spec.order:
            raise BadUserInput(f"orderBy: {order.field.value} does not sort this list", field="orderBy.field")
        return order, spec.order[order.field]

    async def _page(
        self,
        spec: ListSpec,
        flt: BaseModel | None,
        order: Order | None,
        first: int,
        after: str | None,
        to_item: Callable[[Row], T],
    ) -> Page[T]:
        if first < 0:
            raise BadUserInput("first: must not be negative", field="first")
        order, key = self._order(spec, order)
        bind = Binder()
        where = where_of(spec, flt, bind)
        position = self._after(order, decode_cursor(after, order), bind) if after is not None else ""
        direction = order.direction.value
        text = self.cypher.query(
            spec.query,
            WHERE=f"WHERE {where}" if where else "",
            KEY=key,
            AFTER=position,
            ORDER=f"sort_key {direction}, tie {direction}",
        )
        rows = await self.runner.read(text, {**bind.params, "limit": first + 1})
        items = [to_item(row) for row in rows[:first]]
        cursors = [encode_cursor(order, row["sort_key"], row["tie"]) for row in rows[:first]]
        return Page(
            items=items,
            cursors=cursors,
            has_next=len(rows) > first,
            has_previous=after is not None,
        )

    @staticmethod
    def _after(order: Order, position: tuple[Any, str], bind: Binder) -> str:
        """Keyset: rows strictly after (sort_key, tie) in the list's direction."""
        op = ">" if order.direction is Direction.ASC else "<"
        key, tie = bind(position[0]), bind(position[1])
        return f"WHERE sort_key {op} {key} OR (sort_key = {key} AND tie {op} {tie})"

    async def _count(self, spec: ListSpec, flt: BaseModel | None) -> int:
        bind = Binder()
        where = where_of(spec, flt, bind)
        text = self.cypher.query(f"{spec.query}_count", WHERE=f"WHERE {where}" if where else "")
        rows = await self.runner.read(text, bind.params)
        return int(rows[0]["n"]) if rows else 0
