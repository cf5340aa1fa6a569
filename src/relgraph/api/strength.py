"""Relationship strength in the API (DOMAIN.md §2): scores, explanations, trends, channels.

Resolvers fetch through the request's loaders and `relgraph.services.strength`, which
hands every calculation to the pure scoring module; nothing is computed here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from relgraph.api.context import Info
from relgraph.api.ids import key_of
from relgraph.domain.enums import ChannelState, HealthBand
from relgraph.domain.time import now_ms
from relgraph.errors import NotFound
from relgraph.scoring import strength as scoring
from relgraph.services import strength as service
from relgraph.services.strength import pair_of


@strawberry.type(description="What a strength is made of, so that every score can be explained.")
class StrengthBreakdown:
    strength: float
    intensity_ab: float = strawberry.field(description="Decayed intensity started by the first stakeholder of the pair.")
    intensity_ba: float = strawberry.field(description="Decayed intensity started by the second.")
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
    channel_state: ChannelState
    channel_reasons: list[str] = strawberry.field(
        description="Why the channel is not OPEN: SILENT, ENDED, WEAK, FALLING, ONE_WAY, OVERDUE_COMPLAINT."
    )
    trend: StrengthTrend
    breakdown: StrengthBreakdown
    assessed_strength: float | None = strawberry.field(description="An analyst's judgement, kept beside the computed one.")

    @classmethod
    def of(cls, r: service.PairStrength) -> TieStrength:
        return cls(
            a_key=r.a, b_key=r.b, as_of=r.at, strength=r.breakdown.strength, health=r.breakdown.health,
            reciprocity=r.breakdown.reciprocity, channel_state=r.channel, channel_reasons=list(r.reasons),
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


@strawberry.type
class StrengthQuery:
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


async def report(info: Info, a: str, b: str, *, ended: bool, assessed: float | None) -> service.PairStrength:
    """The full report of a pair now: trend and channel state need its history (batched)."""
    return await info.context.loaders.tie_reports.load((pair_of(a, b), ended, assessed))
