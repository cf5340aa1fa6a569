"""The stakeholder network in code (DOMAIN.md §1): what callers send and what they get back.

Inputs are validated here, before anything reaches a database, so that a bad value is
reported with the name of its field and nothing is written. Records are what the store
returns; times are aware UTC datetimes on both sides.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

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

MAX_TEXT = 2_000
MAX_NAME = 300
MAX_TAGS = 50


def new_id() -> str:
    """A fresh stable id, for callers that don't bring their own."""
    return uuid.uuid4().hex


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def _no_controls(value: str) -> str:
    """Ids are names, never control characters: FalkorDB 4.16 crashes outright when one
    (e.g. U+0001) is written to a property under a unique constraint, as every id is."""
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        raise ValueError("must not contain control characters")
    return value


def _no_nul(value: str) -> str:
    """FalkorDB reads strings as C strings, so a NUL would silently cut the text short. The
    API refuses NUL before a model sees it; this holds the same rule for file imports."""
    if "\x00" in value:
        raise ValueError("must not contain NUL (U+0000)")
    return value


Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128), AfterValidator(_no_controls)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_NAME), AfterValidator(_no_nul)]
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT), AfterValidator(_no_nul)]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), AfterValidator(_no_nul)]
UtcDateTime = Annotated[datetime, AfterValidator(_utc)]
#: The largest amount of money, either sign, in the currency's units. Far above any real
#: order or potential, and low enough that sums and products of amounts over any network
#: (revenue, loss impact, CLV) stay finite: floats overflow past 1.8e308, and a network's
#: figures would otherwise break on two stored amounts of 1e308.
MAX_AMOUNT = 1e15
Money = Annotated[float, Field(ge=-MAX_AMOUNT, le=MAX_AMOUNT, allow_inf_nan=False)]
Sentiment = Annotated[float, Field(ge=-1.0, le=1.0, allow_inf_nan=False)]
Unit = Annotated[float, Field(ge=0.0, le=1.0)]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# -- stakeholders ---------------------------------------------------------------------


class StakeholderFields(_Input):
    """What may be said about any stakeholder, besides its identity."""

    industry: Name | None = None
    region: Name | None = None
    tags: Annotated[list[Tag], Field(max_length=MAX_TAGS)] = Field(default_factory=list)
    email: Name | None = None
    phone: Name | None = None
    title: Name | None = None
    notes: Text | None = None
    tier: Tier | None = None
    demand: Demand | None = None
    potential: Money | None = Field(default=None, ge=0)
    margin: Unit | None = None
    retention: Unit | None = None


class NewStakeholder(StakeholderFields):
    """A stakeholder to create; `id` is generated when the caller gives none."""

    id: Id = Field(default_factory=new_id)
    kind: StakeholderKind
    form: StakeholderForm
    name: Name
    is_us: bool = False
    since: UtcDateTime | None = None


class StakeholderPatch(_Input):
    """A partial update: only the fields given are changed; kind and id never change."""

    name: Name | None = None
    industry: Name | None = None
    region: Name | None = None
    tags: Annotated[list[Tag], Field(max_length=MAX_TAGS)] | None = None
    email: Name | None = None
    phone: Name | None = None
    title: Name | None = None
    notes: Text | None = None
    tier: Tier | None = None
    demand: Demand | None = None
    potential: Money | None = Field(default=None, ge=0)
    margin: Unit | None = None
    retention: Unit | None = None


class Stakeholder(BaseModel):
    """A node of the network, as stored."""

    id: str
    kind: StakeholderKind
    form: StakeholderForm
    name: str
    is_us: bool = False
    industry: str | None = None
    region: str | None = None
    tags: list[str] = Field(default_factory=list)
    email: str | None = None
    phone: str | None = None
    title: str | None = None
    notes: str | None = None
    tier: Tier | None = None
    demand: Demand | None = None
    potential: float | None = None
    margin: float | None = None
    retention: float | None = None
    since: datetime | None = None
    created_at: datetime
    updated_at: datetime
    archived: bool = False
    archived_at: datetime | None = None


# -- relationships --------------------------------------------------------------------


class NewRelationship(_Input):
    """A directed, typed tie from one stakeholder to another."""

    id: Id = Field(default_factory=new_id)
    type: RelationshipType
    from_id: Id
    to_id: Id
    role: Role | None = None
    started_at: UtcDateTime | None = None
    ended_at: UtcDateTime | None = None
    end_reason: Text | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _role_only_on_works_for(self) -> "NewRelationship":
        if self.ended_at is not None and self.started_at is not None and self.ended_at < self.started_at:
            raise ValueError("ended_at is before started_at")
        if self.role is not None and self.type is not RelationshipType.WORKS_FOR:
            raise ValueError("role is only allowed on WORKS_FOR relationships")
        if self.from_id == self.to_id:
            raise ValueError("a relationship needs two different stakeholders")
        return self


class Relationship(BaseModel):
    id: str
    type: RelationshipType
    from_id: str
    to_id: str
    role: Role | None = None
    started_at: datetime
    ended_at: datetime | None = None
    end_reason: str | None = None
    note: str | None = None
    assessed_strength: float | None = None
    assessed_at: datetime | None = None
    assessed_by: str | None = None
    created_at: datetime

    @property
    def active(self) -> bool:
        return self.ended_at is None


# -- interactions ---------------------------------------------------------------------


class NewInteraction(_Input):
    """An event between stakeholders; `initiator_id` is the side that started it."""

    id: Id = Field(default_factory=new_id)
    type: InteractionType
    at: UtcDateTime
    initiator_id: Id
    participant_ids: Annotated[list[Id], Field(min_length=1, max_length=50)]
    sentiment: Sentiment | None = None
    value: Money | None = None
    subject: Text | None = None

    @model_validator(mode="after")
    def _someone_else(self) -> "NewInteraction":
        for participant in self.participant_ids:
            if participant != self.initiator_id:
                return self
        raise ValueError("participant_ids must name someone besides the initiator")


class Interaction(BaseModel):
    id: str
    type: InteractionType
    at: datetime
    initiator_id: str
    participant_ids: list[str]
    sentiment: float | None = None
    value: float | None = None
    subject: str | None = None
    recorded_at: datetime


# -- complaints -----------------------------------------------------------------------


class NewComplaint(_Input):
    """A complaint from a stakeholder (usually a customer), to be handled in time."""

    id: Id = Field(default_factory=new_id)
    stakeholder_id: Id
    channel: ComplaintChannel
    category: Name
    severity: Severity = Severity.MEDIUM
    owner_id: Id | None = None
    description: Text | None = None
    received_at: UtcDateTime | None = None


class ComplaintRecordInput(NewComplaint):
    """A complaint with its whole history so far, for imports and demo data."""

    status: ComplaintStatus = ComplaintStatus.RECEIVED
    acknowledged_at: UtcDateTime | None = None
    escalated_at: UtcDateTime | None = None
    resolved_at: UtcDateTime | None = None
    closed_at: UtcDateTime | None = None
    satisfaction: Sentiment | None = None
    note: Text | None = None


class ComplaintMove(_Input):
    """A step in the complaint lifecycle."""

    id: Id
    status: ComplaintStatus
    at: UtcDateTime | None = None
    note: Text | None = None
    satisfaction: Sentiment | None = None


class Complaint(BaseModel):
    id: str
    stakeholder_id: str
    status: ComplaintStatus
    channel: ComplaintChannel
    category: str
    severity: Severity
    owner_id: str | None = None
    description: str | None = None
    received_at: datetime
    acknowledged_at: datetime | None = None
    escalated_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    respond_by: datetime
    resolve_by: datetime
    satisfaction: float | None = None
    note: str | None = None
    updated_at: datetime


# -- account plans --------------------------------------------------------------------


class PlannedAction(BaseModel):
    """One step of an account plan: whom to contact, when and how."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    what: Name
    due: UtcDateTime | None = None
    channel: InteractionType | None = None
    contact_id: Id | None = None
    done: bool = False


class AccountPlanInput(_Input):
    """The long-term plan for one account (seed 001, step 4); one plan per account."""

    account_id: Id
    owner_id: Id
    tier: Tier | None = None
    cadence_days: int | None = Field(default=None, ge=1, le=3650)
    next_contact_due: UtcDateTime | None = None
    actions: Annotated[list[PlannedAction], Field(max_length=200)] = Field(default_factory=list)
    notes: Text | None = None


class AccountPlan(BaseModel):
    id: str
    account_id: str
    owner_id: str
    tier: Tier | None = None
    cadence_days: int
    #: one cadence after the last contact, or the owner's date while no contact came since
    #: (relgraph.scoring.care.plan_due); computed when read
    next_contact_due: datetime
    #: our last real contact with the account or its people, when there was one
    last_contact_at: datetime | None = None
    actions: list[PlannedAction] = Field(default_factory=list)
    notes: str | None = None
    updated_at: datetime


def jsonable(model: BaseModel) -> dict[str, Any]:
    """A model as plain JSON-compatible data."""
    return model.model_dump(mode="json")
