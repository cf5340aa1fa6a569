"""The GraphQL object types: the network's records, with their links resolved by loaders.

Each type is built from the store's record (`of`). Links to other objects (a
relationship's ends, a stakeholder's relationships) resolve through the request's
DataLoaders, so a page of fifty stakeholders costs one store call per level, not fifty.
Resolvers here select and page what the store returned; they hold no Cypher and no
scoring formulas.
"""

from __future__ import annotations

import dataclasses
import functools
from datetime import datetime
from typing import Annotated, Any, ClassVar, Iterable, Sequence, TypeVar

import strawberry
from pydantic import BaseModel
from strawberry import relay

from relgraph.api import strength as tie_strength
from relgraph.api.context import Info
from relgraph.api.enums import RelationshipDirection
from relgraph.api.pagination import Connection, Window, from_list
from relgraph.domain import model as m
from relgraph.domain.enums import (
    ChannelState,
    ComplaintChannel,
    ComplaintStatus,
    Demand,
    HealthBand,
    InteractionType,
    RelationshipType,
    Role,
    Severity,
    StakeholderForm,
    StakeholderKind,
    Tier,
)
from relgraph.errors import NotFound

T = TypeVar("T")

KEY_DESCRIPTION = "The stable raw id (the store's key); inputs accept it wherever they accept `id`."


@functools.cache
def _shared_fields(cls: type, model: type[BaseModel]) -> tuple[str, ...]:
    declared = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    return tuple(name for name in model.model_fields if name in declared)


def _build(cls: type[T], record: BaseModel, **extra: Any) -> T:
    """`cls` from the record's fields that `cls` declares, so that new domain fields
    stay out of the API until the schema is given them on purpose."""
    data = {name: getattr(record, name) for name in _shared_fields(cls, type(record)) if name not in extra}
    return cls(**data, **extra)


async def _stakeholder(info: Info, key: str) -> Stakeholder:
    """A stakeholder another object points at; stakeholders are archived, never deleted."""
    record = await info.context.loaders.stakeholders.load(key)
    if record is None:
        raise NotFound(f"no stakeholder with id {key!r}")
    return Stakeholder.of(record)


async def _stakeholders(info: Info, keys: Sequence[str]) -> list[Stakeholder]:
    records = await info.context.loaders.stakeholders.load_many(list(keys))
    return [Stakeholder.of(r) for r in records if r is not None]


def _direction(rel: m.Relationship, me: str) -> RelationshipDirection:
    return RelationshipDirection.OUTGOING if rel.from_id == me else RelationshipDirection.INCOMING


def pick_relationships(
    rels: Iterable[m.Relationship],
    me: str,
    types: list[RelationshipType] | None,
    active: bool | None,
    direction: RelationshipDirection,
) -> list[m.Relationship]:
    """A stakeholder's relationships narrowed by type, activity and direction."""
    return [
        r
        for r in rels
        if (types is None or r.type in types)
        and (active is None or r.active is active)
        and (direction is RelationshipDirection.BOTH or _direction(r, me) is direction)
    ]


class KeyedNode:
    """How every node of this API is found: its global id carries its key, and the request's
    loader named by `loader` fetches it (batched), so `node`/`nodes` and the typed lookups
    share one path. A plain mixin (not a GraphQL type); `loader` is no field."""

    loader: ClassVar[str]

    @classmethod
    def resolve_id(cls, root: Any, *, info: Info) -> str:
        return root.key

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        records = await getattr(info.context.loaders, cls.loader).load_many(list(node_ids))
        return [cls.of(r) if r else None for r in records]  # type: ignore[attr-defined]


@strawberry.type(description="A node of the network: a customer, supplier, competitor, agency or "
                 "employee; an organisation or a person. Archived stakeholders are kept with their history.")
class Stakeholder(KeyedNode, relay.Node):
    loader = "stakeholders"  # the request loader that fetches it by key

    key: str = strawberry.field(description=KEY_DESCRIPTION)
    kind: StakeholderKind
    form: StakeholderForm
    name: str
    is_us: bool = strawberry.field(description="True for the company itself (\"us\").")
    industry: str | None
    region: str | None
    tags: list[str]
    email: str | None
    phone: str | None
    title: str | None
    notes: str | None
    tier: Tier | None
    demand: Demand | None
    potential: float | None = strawberry.field(description="Estimated future business potential.")
    margin: float | None
    retention: float | None
    since: datetime | None = strawberry.field(description="When the company first dealt with this stakeholder.")
    created_at: datetime
    updated_at: datetime
    archived: bool
    archived_at: datetime | None

    @classmethod
    def of(cls, record: m.Stakeholder) -> Stakeholder:
        return _build(cls, record, key=record.id)

    @strawberry.field(description="Its relationships, oldest first, narrowed by type, activity and direction.")
    async def relationships(
        self,
        info: Info,
        type: list[RelationshipType] | None = None,
        active: bool | None = None,
        direction: RelationshipDirection = RelationshipDirection.BOTH,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Relationship]:
        window = Window.of(first, after, info.context.settings)
        rels = await info.context.loaders.relationships_of.load(self.key)
        return from_list(pick_relationships(rels, self.key, type, active, direction), window, Relationship.of)

    @strawberry.field(description="Who is on the other side of its relationships, each with the relationship.")
    async def counterparts(
        self,
        info: Info,
        type: list[RelationshipType] | None = None,
        active: bool | None = None,
        direction: RelationshipDirection = RelationshipDirection.BOTH,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Counterpart]:
        window = Window.of(first, after, info.context.settings)
        rels = await info.context.loaders.relationships_of.load(self.key)
        chosen = pick_relationships(rels, self.key, type, active, direction)
        return from_list(chosen, window, lambda r: Counterpart.of(r, self.key))

    @strawberry.field(description="The interactions it took part in, newest first, in an optional time window "
                      "(`since` inclusive, `until` exclusive).")
    async def interactions(
        self,
        info: Info,
        since: datetime | None = None,
        until: datetime | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Interaction]:
        window = Window.of(first, after, info.context.settings)
        loaders = info.context.loaders
        items = await loaders.interactions_of(since, until, window.stop + 1).load(self.key)

        async def count() -> int:
            return await loaders.interaction_counts(since, until).load(self.key)

        return from_list(items, window, Interaction.of, count)

    @strawberry.field(description="Its most recent interaction, if any.")
    async def last_interaction(self, info: Info) -> Interaction | None:
        latest = await info.context.loaders.interactions_of(None, None, 1).load(self.key)
        return Interaction.of(latest[0]) if latest else None

    @strawberry.field(description="The complaints it filed, newest first.")
    async def complaints(
        self,
        info: Info,
        status: list[ComplaintStatus] | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Complaint]:
        window = Window.of(first, after, info.context.settings)
        filed = await info.context.loaders.complaints_of.load(self.key)
        chosen = [c for c in filed if status is None or c.status in status]
        return from_list(chosen, window, Complaint.of)

    @strawberry.field(description="Its account plan, when it is an account with one.")
    async def account_plan(self, info: Info) -> AccountPlan | None:
        plan = await info.context.loaders.account_plans.load(self.key)
        return AccountPlan.of(plan) if plan else None

    @strawberry.field(description="Its network influence from the last refresh; null before the first one.")
    async def influence(self, info: Info) -> Annotated["Influence", strawberry.lazy("relgraph.api.influence")] | None:
        from relgraph.api.influence import influence_of

        return await influence_of(info, self.key)

    @strawberry.field(description="What it has been telling us lately: the sentiment of its interactions (for an "
                      "organisation, its people's too) over the last 90 days, against the 90 days before.")
    async def recent_sentiment(
        self,
        info: Info,
        as_of: Annotated[
            datetime | None, strawberry.argument(description="The moment the window ends (default: now).")
        ] = None,
    ) -> Annotated["RecentSentiment", strawberry.lazy("relgraph.api.accounts")]:
        from relgraph.api.accounts import checked_as_of, recent_sentiment_of

        return await recent_sentiment_of(info, self.key, checked_as_of(as_of))

    @strawberry.field(description="For an organisation: its current people ranked by role, reporting lines and influence.")
    async def decision_makers(
        self, info: Info, first: int = 20
    ) -> list[Annotated["DecisionMaker", strawberry.lazy("relgraph.api.influence")]]:
        from relgraph.api.influence import decision_makers_of

        return await decision_makers_of(info, self.key, first)


@strawberry.type(description="A typed, directed tie from one stakeholder to another. Ended ties are kept.")
class Relationship(KeyedNode, relay.Node):
    loader = "relationships"  # the request loader that fetches it by key

    key: str = strawberry.field(description=KEY_DESCRIPTION)
    type: RelationshipType
    role: Role | None = strawberry.field(description="The person's role, on WORKS_FOR only.")
    started_at: datetime
    ended_at: datetime | None
    end_reason: str | None
    note: str | None
    assessed_strength: float | None = strawberry.field(
        description="A strength an analyst recorded, kept beside the computed one."
    )
    assessed_at: datetime | None
    assessed_by: str | None
    created_at: datetime
    active: bool = strawberry.field(description="True until the relationship is ended.")
    from_key: strawberry.Private[str]
    to_key: strawberry.Private[str]

    @classmethod
    def of(cls, record: m.Relationship) -> Relationship:
        return _build(cls, record, key=record.id, from_key=record.from_id, to_key=record.to_id, active=record.active)

    @strawberry.field(name="from", description="The stakeholder the relationship starts from.")
    async def from_(self, info: Info) -> Stakeholder:
        return await _stakeholder(info, self.from_key)

    @strawberry.field(description="The stakeholder the relationship points to.")
    async def to(self, info: Info) -> Stakeholder:
        return await _stakeholder(info, self.to_key)

    @strawberry.field(description="How strong the tie between the two stakeholders is now, 0 to 1.")
    async def strength(self, info: Info) -> float:
        return (await tie_strength.current(info, self.from_key, self.to_key)).strength

    @strawberry.field(description="The strength's band: EXCELLENT, GOOD, FAIR or POOR.")
    async def health(self, info: Info) -> HealthBand:
        return (await tie_strength.current(info, self.from_key, self.to_key)).health

    @strawberry.field(description="1 when contact runs both ways in balance, 0 when one-way.")
    async def reciprocity(self, info: Info) -> float:
        return (await tie_strength.current(info, self.from_key, self.to_key)).reciprocity

    @strawberry.field(
        description="The pair's channel: OPEN, BLOCKED or BROKEN. Null when the pair is no communication tie: "
        "it never interacted and is joined only by structural records (WORKS_FOR, REPORTS_TO, COLLEAGUE_OF, "
        "COMPETES_WITH, REGULATES, REFERRED, INFLUENCES)."
    )
    async def channel_state(self, info: Info) -> ChannelState | None:
        return (await self._report(info)).channel

    @strawberry.field(description="Why the channel is not OPEN (empty when it is; null when there is no channel).")
    async def channel_reasons(self, info: Info) -> list[str] | None:
        report = await self._report(info)
        return list(report.reasons) if report.channel is not None else None

    @strawberry.field(description="The strength's change over the last 30 and 90 days.")
    async def trend(self, info: Info) -> tie_strength.StrengthTrend:
        t = (await self._report(info)).trend
        return tie_strength.StrengthTrend(now=t.now, delta_30d=t.delta_30d, delta_90d=t.delta_90d)

    @strawberry.field(description="The parts of the strength: intensity per direction, recency, reciprocity, duration, sentiment.")
    async def breakdown(self, info: Info) -> tie_strength.StrengthBreakdown:
        return tie_strength.StrengthBreakdown.of((await self._report(info)).breakdown)

    async def _report(self, info: Info) -> Any:
        return await tie_strength.report(info, self.from_key, self.to_key)


@strawberry.type(description="The stakeholder on the other side of a relationship, with that relationship.")
class Counterpart:
    relationship: Relationship
    direction: RelationshipDirection = strawberry.field(
        description="OUTGOING when the stakeholder asked about started the relationship."
    )
    other_key: strawberry.Private[str]

    @classmethod
    def of(cls, record: m.Relationship, me: str) -> Counterpart:
        other = record.to_id if record.from_id == me else record.from_id
        return cls(relationship=Relationship.of(record), direction=_direction(record, me), other_key=other)

    @strawberry.field(description="The stakeholder on the other side.")
    async def stakeholder(self, info: Info) -> Stakeholder:
        return await _stakeholder(info, self.other_key)


@strawberry.type(description="An event that keeps relationships alive: a visit, call, order, complaint...")
class Interaction(KeyedNode, relay.Node):
    loader = "interactions"  # the request loader that fetches it by key

    key: str = strawberry.field(description=KEY_DESCRIPTION)
    type: InteractionType
    at: datetime
    sentiment: float | None = strawberry.field(description="From -1 (negative) to 1 (positive).")
    value: float | None = strawberry.field(description="Monetary value (orders).")
    subject: str | None
    recorded_at: datetime
    initiator_key: strawberry.Private[str]
    participant_keys: strawberry.Private[list[str]]

    @classmethod
    def of(cls, record: m.Interaction) -> Interaction:
        return _build(cls, record, key=record.id, initiator_key=record.initiator_id,
                      participant_keys=record.participant_ids)

    @strawberry.field(description="Who started it: communication must run both ways.")
    async def initiator(self, info: Info) -> Stakeholder:
        return await _stakeholder(info, self.initiator_key)

    @strawberry.field(description="Everyone who took part, the initiator first.")
    async def participants(self, info: Info) -> list[Stakeholder]:
        return await _stakeholders(info, self.participant_keys)


@strawberry.type(description="A complaint from a stakeholder, handled through RECEIVED, ACKNOWLEDGED, "
                 "ESCALATED, RESOLVED and CLOSED, with deadlines to respond and resolve.")
class Complaint(KeyedNode, relay.Node):
    loader = "complaints"  # the request loader that fetches it by key

    key: str = strawberry.field(description=KEY_DESCRIPTION)
    status: ComplaintStatus
    channel: ComplaintChannel
    category: str
    severity: Severity
    description: str | None
    received_at: datetime
    acknowledged_at: datetime | None
    escalated_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    respond_by: datetime = strawberry.field(description="When the first response is due.")
    resolve_by: datetime = strawberry.field(description="When the resolution is due.")
    satisfaction: float | None = strawberry.field(description="The follow-up's verdict, from -1 to 1.")
    note: str | None
    updated_at: datetime
    stakeholder_key: strawberry.Private[str]
    owner_key: strawberry.Private[str | None]

    @classmethod
    def of(cls, record: m.Complaint) -> Complaint:
        return _build(cls, record, key=record.id, stakeholder_key=record.stakeholder_id, owner_key=record.owner_id)

    @strawberry.field(description="Who complained.")
    async def stakeholder(self, info: Info) -> Stakeholder:
        return await _stakeholder(info, self.stakeholder_key)

    @strawberry.field(description="Who handles it.")
    async def owner(self, info: Info) -> Stakeholder | None:
        return await _stakeholder(info, self.owner_key) if self.owner_key else None


@strawberry.type(description="One step of an account plan: whom to contact, when and how.")
class PlannedAction:
    what: str
    due: datetime | None
    channel: InteractionType | None
    done: bool
    contact_key: strawberry.Private[str | None]

    @classmethod
    def of(cls, record: m.PlannedAction) -> PlannedAction:
        return _build(cls, record, contact_key=record.contact_id)

    @strawberry.field(description="Whom to contact.")
    async def contact(self, info: Info) -> Stakeholder | None:
        return await _stakeholder(info, self.contact_key) if self.contact_key else None


@strawberry.type(description="The long-term plan for one key account: owner, contact cadence, next contact, actions.")
class AccountPlan(KeyedNode, relay.Node):
    loader = "account_plans"  # the request loader that fetches it by key

    key: str = strawberry.field(description="The account's raw id: an account has one plan.")
    tier: Tier | None
    cadence_days: int = strawberry.field(description="Days between planned contacts.")
    next_contact_due: datetime = strawberry.field(
        description="One cadence after our last contact with the account or its people; the owner's own date stands "
        "until a contact comes after the plan was set; never contacted: one cadence after the plan was set.")
    last_contact_at: datetime | None = strawberry.field(
        description="Our last contact (a visit, meeting, call, event or service, or an e-mail, message or feedback "
        "we started) with the account or its people; null when there was none.")
    actions: list[PlannedAction]
    notes: str | None
    updated_at: datetime
    owner_key: strawberry.Private[str]

    @classmethod
    def of(cls, record: m.AccountPlan) -> AccountPlan:
        return cls(
            key=record.account_id,
            tier=record.tier,
            cadence_days=record.cadence_days,
            next_contact_due=record.next_contact_due,
            last_contact_at=record.last_contact_at,
            actions=[PlannedAction.of(a) for a in record.actions],
            notes=record.notes,
            updated_at=record.updated_at,
            owner_key=record.owner_id,
        )

    @strawberry.field(description="The account the plan is for.")
    async def account(self, info: Info) -> Stakeholder:
        return await _stakeholder(info, self.key)

    @strawberry.field(description="Our employee who owns the account.")
    async def owner(self, info: Info) -> Stakeholder:
        return await _stakeholder(info, self.owner_key)


NODE_CLASSES: dict[str, type[relay.Node]] = {
    cls.__name__: cls for cls in (Stakeholder, Relationship, Interaction, Complaint, AccountPlan)
}
