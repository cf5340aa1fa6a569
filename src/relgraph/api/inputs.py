"""GraphQL inputs: filters and orders for lists, and the mutations' inputs.

Each input turns itself into the plain data the store validates (`to_store`). References
to other objects accept a raw key or a global id (`relgraph.api.ids`); the store's
pydantic models then check every value, so the rules live in one place, the domain.
"""

from __future__ import annotations

import dataclasses
import uuid
from datetime import datetime
from typing import Any, ClassVar

import strawberry

from relgraph.api.ids import key_of
from relgraph.domain.enums import (
    ComplaintChannel,
    ComplaintStatus,
    Demand,
    InteractionType,
    RelationshipType,
    Role,
    Severity,
    StakeholderForm,
    StakeholderKind,
    Tier,
)
from relgraph.errors import BadUserInput
from relgraph.store import listing
from relgraph.store.graph_store import validated

#: Namespace of the interaction ids derived from an idempotency key (uuid5).
IDEMPOTENCY_NAMESPACE = uuid.UUID("5b0e6a4e-8f7d-5c1e-9a53-7f2d1c0b9e41")
MAX_IDEMPOTENCY_KEY = 200


def plain(value: Any, path: str) -> Any:
    """An input as plain data: unset fields dropped, references turned into raw keys.

    An input class lists its reference fields in `REFS` (field -> node type).
    """
    if isinstance(value, list):
        return [plain(v, f"{path}.{i}") for i, v in enumerate(value)]
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        return value
    refs: dict[str, str] = getattr(type(value), "REFS", {})
    out: dict[str, Any] = {}
    for f in dataclasses.fields(value):
        item = getattr(value, f.name)
        if item is None or item is strawberry.UNSET:
            continue
        where = f"{path}.{f.name}"
        if f.name in refs:
            item = _keys(item, refs[f.name], where)
        out[f.name] = plain(item, where)
    return out


def _keys(value: str | list[str], type_name: str, path: str) -> str | list[str]:
    if isinstance(value, list):
        return [key_of(v, type_name, field=f"{path}.{i}") for i, v in enumerate(value)]
    return key_of(value, type_name, field=path)


def _drop_none(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None}


# -- filters and orders --------------------------------------------------------------------


@strawberry.input(description="A time span: from `from` (inclusive) to `to` (exclusive); either end may be open.")
class TimeRange:
    from_: datetime | None = strawberry.field(name="from", default=None)
    to: datetime | None = None


@strawberry.input(description="Tags to look for: at least one of `any`, and all of `all`.")
class TagMatch:
    any: list[str] | None = None
    all: list[str] | None = None


@strawberry.input(description="Which stakeholders to list. Fields are ANDed; list values mean \"any of\"; "
                  "`and`, `or` and `not` combine whole filters.")
class StakeholderFilter:
    keys: list[str] | None = strawberry.field(default=None, description="Raw ids.")
    kind: list[StakeholderKind] | None = None
    form: StakeholderForm | None = strawberry.field(default=None, description="Organisations or persons.")
    industry: list[str] | None = None
    region: list[str] | None = None
    tier: list[Tier] | None = None
    tags: TagMatch | None = None
    name_contains: str | None = strawberry.field(default=None, description="Case-insensitive part of the name.")
    is_us: bool | None = None
    archived: bool | None = None
    created_at: TimeRange | None = None
    since: TimeRange | None = None
    and_: list[StakeholderFilter] | None = strawberry.field(name="and", default=None)
    or_: list[StakeholderFilter] | None = strawberry.field(name="or", default=None)
    not_: StakeholderFilter | None = strawberry.field(name="not", default=None)

    def to_store(self, path: str = "filter") -> listing.StakeholderFilter:
        return validated(listing.StakeholderFilter, plain(self, path))


@strawberry.input(description="Which relationships to list; combined like StakeholderFilter.")
class RelationshipFilter:
    REFS: ClassVar[dict[str, str]] = {"stakeholder": "Stakeholder", "from_": "Stakeholder", "to": "Stakeholder"}

    type: list[RelationshipType] | None = None
    role: list[Role] | None = None
    active: bool | None = strawberry.field(default=None, description="True: not ended; false: ended.")
    stakeholder: list[strawberry.ID] | None = strawberry.field(default=None, description="At either end.")
    from_: list[strawberry.ID] | None = strawberry.field(name="from", default=None)
    to: list[strawberry.ID] | None = None
    started_at: TimeRange | None = None
    ended_at: TimeRange | None = None
    and_: list[RelationshipFilter] | None = strawberry.field(name="and", default=None)
    or_: list[RelationshipFilter] | None = strawberry.field(name="or", default=None)
    not_: RelationshipFilter | None = strawberry.field(name="not", default=None)

    def to_store(self, path: str = "filter") -> listing.RelationshipFilter:
        return validated(listing.RelationshipFilter, plain(self, path))


@strawberry.input(description="Which complaints to list; combined like StakeholderFilter.")
class ComplaintFilter:
    REFS: ClassVar[dict[str, str]] = {"stakeholder": "Stakeholder", "owner": "Stakeholder"}

    status: list[ComplaintStatus] | None = None
    category: list[str] | None = None
    severity: list[Severity] | None = None
    channel: list[ComplaintChannel] | None = None
    stakeholder: list[strawberry.ID] | None = strawberry.field(default=None, description="Who complained.")
    owner: list[strawberry.ID] | None = None
    received_at: TimeRange | None = None
    and_: list[ComplaintFilter] | None = strawberry.field(name="and", default=None)
    or_: list[ComplaintFilter] | None = strawberry.field(name="or", default=None)
    not_: ComplaintFilter | None = strawberry.field(name="not", default=None)

    def to_store(self, path: str = "filter") -> listing.ComplaintFilter:
        return validated(listing.ComplaintFilter, plain(self, path))


class _Order:
    """What the three sort inputs share: becoming the store's `Order` (a plain mixin)."""

    def to_store(self) -> listing.Order:
        return listing.Order(self.field, self.direction)  # type: ignore[attr-defined]


@strawberry.input(description="Sort order; ties are broken by id, in the same direction.")
class StakeholderOrder(_Order):
    field: listing.StakeholderOrderField
    direction: listing.Direction = listing.Direction.ASC


@strawberry.input(description="Sort order; ties are broken by id, in the same direction.")
class RelationshipOrder(_Order):
    field: listing.RelationshipOrderField
    direction: listing.Direction = listing.Direction.ASC


@strawberry.input(description="Sort order; ties are broken by id, in the same direction.")
class ComplaintOrder(_Order):
    field: listing.ComplaintOrderField
    direction: listing.Direction = listing.Direction.DESC


# -- mutation inputs -------------------------------------------------------------------------


@strawberry.input(description="A new stakeholder. `key` is generated when not given.")
class CreateStakeholderInput:
    kind: StakeholderKind
    form: StakeholderForm
    name: str
    key: str | None = None
    is_us: bool | None = None
    since: datetime | None = None
    industry: str | None = None
    region: str | None = None
    tags: list[str] | None = None
    email: str | None = None
    phone: str | None = None
    title: str | None = None
    notes: str | None = None
    tier: Tier | None = None
    demand: Demand | None = None
    potential: float | None = None
    margin: float | None = None
    retention: float | None = None

    def to_store(self) -> dict[str, Any]:
        data = plain(self, "")
        if "key" in data:
            data["id"] = data.pop("key")
        return data


@strawberry.input(description="A partial update: only the fields given change; kind and key never change.")
class UpdateStakeholderInput:
    id: strawberry.ID = strawberry.field(description="Raw key or global id.")
    name: str | None = None
    industry: str | None = None
    region: str | None = None
    tags: list[str] | None = None
    email: str | None = None
    phone: str | None = None
    title: str | None = None
    notes: str | None = None
    tier: Tier | None = None
    demand: Demand | None = None
    potential: float | None = None
    margin: float | None = None
    retention: float | None = None

    def target(self) -> str:
        return key_of(self.id, "Stakeholder", field="id")

    def to_store(self) -> dict[str, Any]:
        data = plain(self, "")
        data.pop("id")
        return data


@strawberry.input(description="The stakeholder to archive (kept, with its history).")
class ArchiveStakeholderInput:
    id: strawberry.ID

    def target(self) -> str:
        return key_of(self.id, "Stakeholder", field="id")


@strawberry.input(description="A new relationship from one stakeholder to another.")
class RelateInput:
    type: RelationshipType
    from_: strawberry.ID = strawberry.field(name="from", description="Raw key or global id.")
    to: strawberry.ID = strawberry.field(description="Raw key or global id.")
    key: str | None = None
    role: Role | None = strawberry.field(default=None, description="On WORKS_FOR only.")
    started_at: datetime | None = None
    note: str | None = None

    def to_store(self) -> dict[str, Any]:
        return _drop_none({
            "id": self.key,
            "type": self.type,
            "from_id": key_of(self.from_, "Stakeholder", field="from"),
            "to_id": key_of(self.to, "Stakeholder", field="to"),
            "role": self.role,
            "started_at": self.started_at,
            "note": self.note,
        })


@strawberry.input(description="End a relationship; it is kept, with its end and reason.")
class EndRelationshipInput:
    id: strawberry.ID
    at: datetime | None = strawberry.field(default=None, description="Default: now.")
    reason: str | None = None

    def target(self) -> str:
        return key_of(self.id, "Relationship", field="id")


@strawberry.input(description="An analyst's judgement of a relationship's strength, kept beside the computed one.")
class AssessRelationshipInput:
    id: strawberry.ID
    strength: float = strawberry.field(description="0 to 1.")
    by: str | None = strawberry.field(default=None, description="Who assessed it.")
    at: datetime | None = strawberry.field(default=None, description="Default: now.")

    def target(self) -> str:
        return key_of(self.id, "Relationship", field="id")


@strawberry.input(description="One interaction to record.")
class InteractionInput:
    type: InteractionType
    at: datetime
    initiator: strawberry.ID = strawberry.field(description="Who started it.")
    participants: list[strawberry.ID] = strawberry.field(description="Everyone else who took part.")
    key: str | None = strawberry.field(default=None, description="Makes retries idempotent.")
    sentiment: float | None = None
    value: float | None = None
    subject: str | None = None

    def to_store(self, path: str) -> dict[str, Any]:
        return _drop_none({
            "id": self.key,
            "type": self.type,
            "at": self.at,
            "initiator_id": key_of(self.initiator, "Stakeholder", field=f"{path}.initiator"),
            "participant_ids": _keys(self.participants, "Stakeholder", f"{path}.participants"),
            "sentiment": self.sentiment,
            "value": self.value,
            "subject": self.subject,
        })


@strawberry.input(description="A batch of interactions, recorded all or nothing.")
class RecordInteractionsInput:
    interactions: list[InteractionInput]
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="Makes a retried request safe: a request repeated with the same key is recorded "
        "once, even when its interactions have no `key`. Reusing a key for a different batch is CONFLICT.",
    )

    def to_store(self) -> list[dict[str, Any]]:
        rows = [item.to_store(f"interactions[{i}]") for i, item in enumerate(self.interactions)]
        key = self.idempotency_key
        if key is not None:
            if not key.strip() or len(key) > MAX_IDEMPOTENCY_KEY:
                raise BadUserInput(
                    f"input.idempotencyKey: 1 to {MAX_IDEMPOTENCY_KEY} characters", field="idempotency_key"
                )
            for index, row in enumerate(rows):
                row.setdefault("id", derived_id(key, index))
        return rows


def derived_id(idempotency_key: str, index: int) -> str:
    """The id of a keyed batch's `index`-th interaction when it has no `key`: the same for
    every retry of the request, so that the store's idempotency by id catches the retry."""
    return uuid.uuid5(IDEMPOTENCY_NAMESPACE, f"{idempotency_key}\x00{index}").hex


@strawberry.input(description="A complaint a stakeholder made.")
class FileComplaintInput:
    stakeholder: strawberry.ID = strawberry.field(description="Who complained.")
    channel: ComplaintChannel
    category: str
    severity: Severity | None = None
    key: str | None = None
    owner: strawberry.ID | None = strawberry.field(default=None, description="Who handles it.")
    description: str | None = None
    received_at: datetime | None = strawberry.field(default=None, description="Default: now.")

    def to_store(self) -> dict[str, Any]:
        return _drop_none({
            "id": self.key,
            "stakeholder_id": key_of(self.stakeholder, "Stakeholder", field="stakeholder"),
            "channel": self.channel,
            "category": self.category,
            "severity": self.severity,
            "owner_id": key_of(self.owner, "Stakeholder", field="owner") if self.owner else None,
            "description": self.description,
            "received_at": self.received_at,
        })


@strawberry.input(description="Move a complaint to its next status; only legal moves are accepted.")
class TransitionComplaintInput:
    id: strawberry.ID
    status: ComplaintStatus
    at: datetime | None = strawberry.field(default=None, description="Default: now.")
    note: str | None = None
    satisfaction: float | None = strawberry.field(default=None, description="On RESOLVED or CLOSED, -1 to 1.")

    def to_store(self) -> dict[str, Any]:
        return _drop_none({
            "id": key_of(self.id, "Complaint", field="id"),
            "status": self.status,
            "at": self.at,
            "note": self.note,
            "satisfaction": self.satisfaction,
        })


@strawberry.input(description="One planned step of an account plan.")
class PlannedActionInput:
    what: str
    due: datetime | None = None
    channel: InteractionType | None = None
    contact: strawberry.ID | None = None
    done: bool = False

    def to_store(self, path: str) -> dict[str, Any]:
        return _drop_none({
            "what": self.what,
            "due": self.due,
            "channel": self.channel,
            "contact_id": key_of(self.contact, "Stakeholder", field=f"{path}.contact") if self.contact else None,
            "done": self.done,
        })


@strawberry.input(description="An account's plan, set as a whole. Cadence and next contact default by tier.")
class SetAccountPlanInput:
    account: strawberry.ID = strawberry.field(
        description="A customer: an organisation, or a person who works for no customer organisation.")
    owner: strawberry.ID = strawberry.field(description="Our employee (an EMPLOYEE person) who owns the account.")
    tier: Tier | None = None
    cadence_days: int | None = None
    next_contact_due: datetime | None = strawberry.field(
        default=None, description="The owner's date for the next contact; a contact recorded later replaces it.")
    actions: list[PlannedActionInput] | None = None
    notes: str | None = None

    def to_store(self) -> dict[str, Any]:
        return _drop_none({
            "account_id": key_of(self.account, "Stakeholder", field="account"),
            "owner_id": key_of(self.owner, "Stakeholder", field="owner"),
            "tier": self.tier,
            "cadence_days": self.cadence_days,
            "next_contact_due": self.next_contact_due,
            "actions": [a.to_store(f"actions[{i}]") for i, a in enumerate(self.actions or [])],
            "notes": self.notes,
        })
