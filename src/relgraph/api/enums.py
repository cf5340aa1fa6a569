"""GraphQL enums, generated from the domain's enums so that the two can never differ."""

from __future__ import annotations

from enum import Enum

import strawberry

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
from relgraph.store.listing import ComplaintOrderField, Direction, RelationshipOrderField, StakeholderOrderField

for _enum in (
    StakeholderKind,
    StakeholderForm,
    RelationshipType,
    Role,
    InteractionType,
    ComplaintStatus,
    ComplaintChannel,
    Severity,
    Tier,
    Demand,
    HealthBand,
    ChannelState,
    StakeholderOrderField,
    RelationshipOrderField,
    ComplaintOrderField,
):
    strawberry.enum(_enum)

strawberry.enum(Direction, name="OrderDirection")


@strawberry.enum(description="Which of a stakeholder's relationships: started by it, aimed at it, or both.")
class RelationshipDirection(Enum):
    OUTGOING = "OUTGOING"
    INCOMING = "INCOMING"
    BOTH = "BOTH"
