"""Relationship strength in the API (DOMAIN.md §2): scores, explanations, trends, channels.

Resolvers fetch through the request's loaders and `relgraph.services.strength`, which
hands every calculation to the pure scoring module; nothing is computed here.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from relgraph.api.context import Info
from relgraph.api.ids import key_of
from relgraph.domain.enums import ChannelState, HealthBand
from relgraph.domain.time import now_ms, utcnow
from relgraph.errors import BadUserInput, NotFound
from relgraph.scoring import strength as scoring
from relgraph.services import strength as service
from relgraph.services.strength import pair_of
from relgraph.services.tie_snapshot import tie_snapshot
from relgraph.store import listing

if TYPE_CHECKING:
    from relgraph.api.types import Relationship, Stakeholder
    from relgraph.domain.model import Relationship as RelationshipRecord

StakeholderRef = Annotated["Stakeholder", strawberry.lazy("relgraph.api.types")]
RelationshipRef = Annotated["Relationship", strawberry.lazy("relgraph.api.types")]


@strawberry.type(description="What a strength is made of, so that every score can be explained.")
class StrengthBreakdown:
    strength: float
    intensity_ab: float = strawberry.field(
        description="Decayed intensity from the first stakeholder of the pair to the second: what the first started, "
        "plus half of the exchanges (meetings, visits, calls, events, service, orders) the second started."
    )
    intensity_ba: float = strawberry.field(description="The same from the second stakeholder to the first.")
    intensity: float = strawberry.field(description="Both directions together.")
    reciprocity: float = strawberry.field(description="1 balanced, 0 one-way: 2·min/sum of the two directions.")
    duration: float = strawberry.field(description="1 − e^(−days since first contact / 365).")
    recency_days: float | None = strawberry.field(description="Days since the last interaction.")
    recency: float = strawberry.field(description="2^(−recencyDays / half-life), 0 when never.")
    sentiment: float | None = strawberry.field(description="Mean sentiment of the rated interactions.")
    health: HealthBand

    @classmethod
    def of(cls, b: scoring.StrengthBreakdown) -> StrengthBreakdown:
        return cls(
            strength=b.strength, intensity_ab=b.intensity_ab, intensity_ba=b.intensity_ba, intensity=b.intensity,
            reciprocity=b.reciprocity, duration=b.duration, recency_days=b.recency_days, recency=b.recency,
            sentiment=b.sentiment, health=b.health,
        )


@strawberry.type(description="The strength now and its change over 30 and 90 days (now minus then).")
class StrengthTrend:
    now: float
    delta_30d: float = strawberry.field(name="delta30d")
    delta_90d: float = strawberry.field(name="delta90d")


@strawberry.type(description="One tie between two stakeholders at one moment, explained.")
class TieStrength:
    a_key: str = strawberry.field(description="The pair's first stakeholder (smaller key).")
    b_key: str = strawberry.field(description="The pair's second stakeholder.")
    as_of: datetime
    strength: float
    health: HealthBand
    reciprocity: float
    channel_state: ChannelState | None = strawberry.field(
        description="OPEN, BLOCKED or BROKEN; null when the pair is no communication tie (no interaction by then, "
        "and joined only by structural records such as WORKS_FOR or REPORTS_TO, or by nothing)."
    )
    channel_reasons: list[str] | None = strawberry.field(
        description="Why the channel is not OPEN: SILENT, ENDED, WEAK, FALLING, ONE_WAY, OVERDUE_COMPLAINT "
        "(null when there is no channel)."
    )
    trend: StrengthTrend
    breakdown: StrengthBreakdown
    assessed_strength: float | None = strawberry.field(description="An analyst's judgement, kept beside the computed one.")

    @classmethod
    def of(cls, r: service.PairStrength) -> TieStrength:
        return cls(
            a_key=r.a, b_key=r.b, as_of=r.at, strength=r.breakdown.strength, health=r.breakdown.health,
            reciprocity=r.breakdown.reciprocity, channel_state=r.channel,
            channel_reasons=list(r.reasons) if r.channel is not None else None,
            trend=StrengthTrend(now=r.trend.now, delta_30d=r.trend.delta_30d, delta_90d=r.trend.delta_90d),
            breakdown=StrengthBreakdown.of(r.breakdown), assessed_strength=r.assessed,
        )


@strawberry.type(description="One of our employees' combined tie with an account.")
class EmployeeShare:
    employee_key: str
    strength: float


@strawberry.type(description="An organisation's tie with us, rolled up from its people's ties and its own.")
class AccountStrength:
    account_key: str
    strength: float
    organization_level: float = strawberry.field(description="Our own organisation-level tie (orders and the like).")
    top_employee_key: str | None = strawberry.field(description="Our employee who carries most of the strength.")
    top_share: float = strawberry.field(description="That employee's share of all the ties' strength.")
    single_threaded: bool = strawberry.field(description="True when one employee carries most of it: a risk.")
    by_employee: list[EmployeeShare]

    @classmethod
    def of(cls, a: service.AccountStrength) -> AccountStrength:
        shares = sorted(a.by_employee.items(), key=lambda kv: (-kv[1], kv[0]))
        return cls(
            account_key=a.account_id, strength=a.strength, organization_level=a.organization_level,
            top_employee_key=a.top_employee_id, top_share=a.top_share, single_threaded=a.single_threaded,
            by_employee=[EmployeeShare(employee_key=e, strength=s) for e, s in shares],
        )


@strawberry.type(description="A tie between two stakeholders: the pair, its strength and its relationships.")
class Tie:
    a_key: str = strawberry.field(description="The pair's first stakeholder (smaller key).")
    b_key: str = strawberry.field(description="The pair's second stakeholder.")
    strength: float = strawberry.field(description="Strength now.")
    strength_then: float | None = strawberry.field(description="Strength at the start of the window asked about.")
    change: float | None = strawberry.field(description="strength − strengthThen.")
    health: HealthBand
    reciprocity: float
    channel_state: ChannelState = strawberry.field(
        description="OPEN, BLOCKED or BROKEN now (every listed tie has interacted, so it has a channel)."
    )
    channel_reasons: list[str] = strawberry.field(description="Why the channel is not OPEN (empty when it is).")

    @strawberry.field(description="The pair's first stakeholder.")
    async def a(self, info: Info) -> StakeholderRef:
        from relgraph.api.types import _stakeholder

        return await _stakeholder(info, self.a_key)

    @strawberry.field(description="The pair's second stakeholder.")
    async def b(self, info: Info) -> StakeholderRef:
        from relgraph.api.types import _stakeholder

        return await _stakeholder(info, self.b_key)

    @strawberry.field(description="The relationships between the two, either direction.")
    async def relationships(self, info: Info) -> list[RelationshipRef]:
        from relgraph.api.types import Relationship

        found = await info.context.loaders.relationships_of.load(self.a_key)
        return [Relationship.of(r) for r in found if {r.from_id, r.to_id} == {self.a_key, self.b_key}]


def _limits(info: Info, first: int) -> None:
    if not 1 <= first <= info.context.settings.max_page_size:
        raise BadUserInput(f"first: between 1 and {info.context.settings.max_page_size}", field="first")


@strawberry.enum(description="Which end of the strength scale comes first.")
class TieOrder(Enum):
    STRONGEST_FIRST = "STRONGEST_FIRST"
    WEAKEST_FIRST = "WEAKEST_FIRST"


@strawberry.type
class StrengthQuery:
    @strawberry.field(description="The ties that lost the most strength over the window, largest drop first.")
    async def deteriorating_relationships(self, info: Info, window_days: int = 90, first: int = 20) -> list[Tie]:
        _limits(info, first)
        if not 1 <= window_days <= 3650:
            raise BadUserInput("windowDays: between 1 and 3650", field="windowDays")
        at = utcnow()
        changes = await service.deteriorating(info.context.store, window_days, first, at)
        explained = await service.explained_ties(
            info.context.store, await tie_snapshot(info.context.store), [(c.a, c.b) for c in changes], at
        )
        return [
            Tie(a_key=c.a, b_key=c.b, strength=c.now, strength_then=c.then, change=c.change,
                health=scoring.health_band(c.now, info.context.store.strength_params),
                reciprocity=t.breakdown.reciprocity, channel_state=t.channel, channel_reasons=list(t.reasons))
            for c, t in zip(changes, explained)
        ]

    @strawberry.field(description="Ties sorted by their current strength, filtered by strength, health and channel state.")
    async def ties(
        self,
        info: Info,
        first: int = 20,
        order: TieOrder = TieOrder.STRONGEST_FIRST,
        min_strength: float = 0.0,
        max_strength: float = 1.0,
        health: list[HealthBand] | None = None,
        channel_state: list[ChannelState] | None = None,
    ) -> list[Tie]:
        _limits(info, first)
        ranked = await service.ranked_ties(
            info.context.store, first=first, descending=order is TieOrder.STRONGEST_FIRST,
            min_strength=min_strength, max_strength=max_strength, health={h.value for h in health or []} or None,
            channel=set(channel_state or []) or None,
        )
        return [
            Tie(a_key=t.pair[0], b_key=t.pair[1], strength=t.breakdown.strength, strength_then=None, change=None,
                health=t.breakdown.health, reciprocity=t.breakdown.reciprocity, channel_state=t.channel,
                channel_reasons=list(t.reasons))
            for t in ranked
        ]

    @strawberry.field(description="The tie between two stakeholders, now or as of a past moment, explained.")
    async def strength(
        self,
        info: Info,
        between: strawberry.ID,
        and_: Annotated[strawberry.ID, strawberry.argument(name="and")],
        as_of: datetime | None = None,
    ) -> TieStrength:
        a = key_of(between, "Stakeholder", field="between")
        b = key_of(and_, "Stakeholder", field="and")
        found = await info.context.loaders.stakeholders.load_many([a, b])
        for key, field, stakeholder in zip((a, b), ("between", "and"), found):
            if stakeholder is None:
                raise NotFound(f"no stakeholder with id {key!r}", field=field)
        return TieStrength.of(await service.between(info.context.store, a, b, as_of))

    @strawberry.field(description="An organisation's strength with us, rolled up, with its single-threading risk.")
    async def account_strength(self, info: Info, account: strawberry.ID) -> AccountStrength:
        key = key_of(account, "Stakeholder", field="account")
        await info.context.store.stakeholder(key)
        return AccountStrength.of(await service.account(info.context.store, key))


async def current(info: Info, a: str, b: str) -> scoring.StrengthBreakdown:
    """The strength of a pair now, from its running state (batched per request)."""
    state = await info.context.loaders.ties.load(pair_of(a, b))
    return scoring.explain(state, now_ms(), info.context.store.strength_params)


async def report(info: Info, a: str, b: str) -> service.PairStrength:
    """The full report of a pair now: trend and channel state need its history (batched by pair)."""
    return await info.context.loaders.tie_reports.load(pair_of(a, b))


def needs_strength(
    order: listing.Order | None, min_strength: float | None, max_strength: float | None,
    channel_state: list[ChannelState] | None,
) -> bool:
    """Whether a `relationships` request sorts or filters by what only the strength service knows."""
    by_strength = order is not None and order.field is listing.RelationshipOrderField.STRENGTH
    return by_strength or min_strength is not None or max_strength is not None or bool(channel_state)


async def ranked_relationships(
    info: Info,
    flt: listing.RelationshipFilter | None,
    order: listing.Order | None,
    first: int,
    after: str | None,
    min_strength: float | None,
    max_strength: float | None,
    channel_state: list[ChannelState] | None,
) -> tuple[listing.Page[RelationshipRecord], int]:
    """`relationships` by strength or channel state: checked here, ranked by the service."""
    for name, value in (("minStrength", min_strength), ("maxStrength", max_strength)):
        if value is not None and not 0.0 <= value <= 1.0:
            raise BadUserInput(f"{name}: between 0 and 1", field=name)
    return await service.relationships_ranked(
        info.context.store, flt, order, first=first, after=after,
        min_strength=min_strength, max_strength=max_strength, channel=set(channel_state or []) or None,
    )
