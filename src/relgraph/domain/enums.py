"""The closed vocabularies of the stakeholder network (DOMAIN.md §1).

Every label, relationship type and property key that reaches Cypher comes from one
of these enums, never from a user's string: they are the allowlists.
"""

from __future__ import annotations

from enum import Enum


class StakeholderKind(str, Enum):
    """Who a stakeholder is to the company."""

    CUSTOMER = "CUSTOMER"
    SUPPLIER = "SUPPLIER"
    COMPETITOR = "COMPETITOR"
    AGENCY = "AGENCY"
    EMPLOYEE = "EMPLOYEE"


class StakeholderForm(str, Enum):
    """Whether a stakeholder is an organisation or a person."""

    ORGANIZATION = "ORGANIZATION"
    PERSON = "PERSON"


class RelationshipType(str, Enum):
    """Typed, directed ties between stakeholders."""

    BUYS_FROM = "BUYS_FROM"
    SUPPLIES = "SUPPLIES"
    COMPETES_WITH = "COMPETES_WITH"
    REGULATES = "REGULATES"
    DISTRIBUTES_FOR = "DISTRIBUTES_FOR"
    PARTNERS_WITH = "PARTNERS_WITH"
    WORKS_FOR = "WORKS_FOR"
    REPORTS_TO = "REPORTS_TO"
    COLLEAGUE_OF = "COLLEAGUE_OF"
    MANAGES_ACCOUNT = "MANAGES_ACCOUNT"
    KNOWS = "KNOWS"
    REFERRED = "REFERRED"
    INFLUENCES = "INFLUENCES"


#: Relationships that are a channel of their own: people who know each other, an account
#: manager and the account, buying, supplying, partnering and distributing all mean the two
#: sides talk. A pair joined by one of these (or with interactions) is a *communication
#: tie* and has a channel state. The other types (WORKS_FOR, REPORTS_TO, COLLEAGUE_OF,
#: COMPETES_WITH, REGULATES, REFERRED, INFLUENCES) say who is what to whom; they have no
#: channel unless their pair also talks.
COMMUNICATING_RELATIONSHIPS: frozenset[RelationshipType] = frozenset({
    RelationshipType.KNOWS,
    RelationshipType.MANAGES_ACCOUNT,
    RelationshipType.BUYS_FROM,
    RelationshipType.SUPPLIES,
    RelationshipType.PARTNERS_WITH,
    RelationshipType.DISTRIBUTES_FOR,
})


class Role(str, Enum):
    """A person's role inside the organisation they work for (WORKS_FOR only)."""

    DECISION_MAKER = "DECISION_MAKER"
    INFLUENCER = "INFLUENCER"
    USER = "USER"
    GATEKEEPER = "GATEKEEPER"


class InteractionType(str, Enum):
    """The events that keep a relationship alive."""

    VISIT = "VISIT"
    MEETING = "MEETING"
    CALL = "CALL"
    EMAIL = "EMAIL"
    MESSAGE = "MESSAGE"
    ORDER = "ORDER"
    FEEDBACK = "FEEDBACK"
    EVENT = "EVENT"
    SERVICE = "SERVICE"
    COMPLAINT = "COMPLAINT"


class ComplaintStatus(str, Enum):
    """Where a complaint is in its lifecycle (seeds 001, 003)."""

    RECEIVED = "RECEIVED"
    ACKNOWLEDGED = "ACKNOWLEDGED"
    ESCALATED = "ESCALATED"
    RESOLVED = "RESOLVED"
    CLOSED = "CLOSED"


class ComplaintChannel(str, Enum):
    """How a complaint reached us."""

    PHONE = "PHONE"
    LETTER = "LETTER"
    IN_PERSON = "IN_PERSON"
    EMAIL = "EMAIL"
    MEDIA = "MEDIA"
    LEGAL = "LEGAL"


class Severity(str, Enum):
    """How badly a complaint hurts the relationship."""

    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"
    CRITICAL = "CRITICAL"


class Tier(str, Enum):
    """Customer tiers (seed 004: general, suitable, key customers)."""

    KEY = "KEY"
    SUITABLE = "SUITABLE"
    GENERAL = "GENERAL"


class HealthBand(str, Enum):
    """Relationship health by strength."""

    EXCELLENT = "EXCELLENT"
    GOOD = "GOOD"
    FAIR = "FAIR"
    POOR = "POOR"


class ChannelState(str, Enum):
    """Seed 002: an open, a blocked or a severed channel."""

    OPEN = "OPEN"
    BLOCKED = "BLOCKED"
    BROKEN = "BROKEN"


class Demand(str, Enum):
    """A prospect's demand (seed 001, step 2)."""

    CLEAR = "CLEAR"
    LATENT = "LATENT"
    NONE = "NONE"
