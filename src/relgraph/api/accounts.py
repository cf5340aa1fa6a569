"""Key accounts and account care in the API (DOMAIN.md §4, §5).

Resolvers check their arguments and call `relgraph.services.accounts`, which hands
every calculation to the pure scoring modules; nothing is computed here.
"""

from __future__ import annotations

import math
from datetime import datetime
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Annotated

import strawberry

from relgraph.account_config import clv_discount, tier_thresholds
from relgraph.api.context import Info
from relgraph.api.loaders import WaveLoader
from relgraph.domain.enums import ChannelState, Demand, Tier
from relgraph.domain.time import from_ms, utcnow
from relgraph.errors import BadUserInput
from relgraph.scoring import accounts as ka
from relgraph.scoring import care, listening
from relgraph.services import accounts as service
from relgraph.services.account_cache import as_of_problem
from relgraph.services import prospects as prospect_service
from relgraph.services import suppliers as supplier_service

if TYPE_CHECKING:
    from relgraph.api.types import Stakeholder

StakeholderRef = Annotated["Stakeholder", strawberry.lazy("relgraph.api.types")]


async def _stakeholder(info: Info, key: str) -> StakeholderRef:
    from relgraph.api.types import _stakeholder as load

    return await load(info, key)


#: The `asOf` argument of every list here: the moment the answer is computed as of.
AsOf = Annotated[
    datetime | None,
    strawberry.argument(description="Answer as of this moment (default: now): revenue, strengths, complaint "
                        "status and deadlines as they stood then. Not later than now."),
]


def checked_as_of(at: datetime | None) -> datetime | None:
    """`asOf` checked: no later than now (give or take a little clock skew)."""
    if at is None:
        return None
    problem = as_of_problem(at)
    if problem is not None:
        raise BadUserInput(f"asOf: {problem}", field="asOf")
    return at


@strawberry.type(description="What an account has been telling us lately: the sentiment (-1 to 1) of its "
                 "interactions, and of its people's, over the last windowDays, against the windowDays before.")
class RecentSentiment:
    average: float | None = strawberry.field(description="Mean sentiment in the window; null when none was recorded.")
    count: int = strawberry.field(description="Interactions with a sentiment in the window.")
    previous_average: float | None = strawberry.field(description="Mean sentiment in the window before; null when none.")
    previous_count: int = strawberry.field(description="Interactions with a sentiment in the window before.")
    change: float | None = strawberry.field(
        description="average - previousAverage (positive: warming); null unless both are known."
    )
    window_days: float
    as_of: datetime = strawberry.field(description="The moment the window ends.")

    @classmethod
    def of(cls, r: listening.RecentSentiment, at: datetime) -> RecentSentiment:
        return cls(average=r.average, count=r.count, previous_average=r.previous_average,
                   previous_count=r.previous_count, change=r.change, window_days=r.window_days, as_of=at)


class _SentimentLoaders:
    """A request's recent-sentiment loaders, one per moment, and the request's one "now"
    (so that every row of a page asked without a moment lands in the same batch)."""

    def __init__(self, info: Info) -> None:
        self.store = info.context.store
        self.wave = info.context.loaders.wave
        self.now = utcnow()
        self.by_moment: dict[datetime, WaveLoader[str, listening.RecentSentiment]] = {}

    def at(self, moment: datetime) -> WaveLoader[str, listening.RecentSentiment]:
        loader = self.by_moment.get(moment)
        if loader is None:
            store = self.store

            async def load(ids: list[str]) -> list[listening.RecentSentiment]:
                found = await service.recent_sentiments(store, ids, moment)
                return [found[i] for i in ids]

            loader = self.by_moment[moment] = WaveLoader(self.wave, load)
        return loader


async def recent_sentiment_of(info: Info, key: str, at: datetime | None) -> RecentSentiment:
    """A stakeholder's recent sentiment as of `at` (None: this request's now), batched per
    request and moment: a page of accounts costs one read, whatever its length.

    For `Stakeholder.recentSentiment` in `relgraph.api.types` and `KeyAccount.recentSentiment`.
    """
    loaders = info.context.loaders
    state: _SentimentLoaders | None = getattr(loaders, "_recent_sentiment", None)
    if state is None:
        # kept on the request's loaders: dropped with them after a mutation
        state = loaders._recent_sentiment = _SentimentLoaders(info)  # type: ignore[attr-defined]
    moment = at or state.now
    return RecentSentiment.of(await state.at(moment).load(key), moment)


@strawberry.input(description="Relative weights of the five key-account criteria (equal by default); >= 0, positive sum.")
class KeyAccountWeightsInput:
    stability: float = 1.0
    revenue_share: float = 1.0
    dependency: float = 1.0
    potential: float = 1.0
    influence: float = 1.0


_CRITERIA_FIELDS = {
    "stability": "stability", "revenue_share": "revenueShare", "dependency": "dependency",
    "potential": "potential", "influence": "influence",
}


def _weights(given: KeyAccountWeightsInput | None) -> ka.KeyAccountWeights:
    if given is None:
        return ka.DEFAULT_KEY_WEIGHTS
    values = {name: getattr(given, name) for name in _CRITERIA_FIELDS}
    for name, value in values.items():
        if not (math.isfinite(value) and value >= 0):
            field = f"weights.{_CRITERIA_FIELDS[name]}"
            raise BadUserInput(f"{field}: must be finite and >= 0", field=field)
    if sum(values.values()) <= 0:
        raise BadUserInput("weights: at least one weight must be positive", field="weights")
    try:
        return ka.KeyAccountWeights(**values)
    except ValueError as exc:  # the weights together: their sum must be finite
        raise BadUserInput(f"weights: {exc}", field="weights") from None


def _first(info: Info, first: int) -> None:
    limit = info.context.settings.max_page_size
    if not 1 <= first <= limit:
        raise BadUserInput(f"first: between 1 and {limit}", field="first")


def _after(account_ids: Callable[[], Sequence[str]], after: str | None) -> int:
    """Where a page continues: just past the row whose account id is `after`, which must
    be in the list (the ids are not even listed for a first page)."""
    if after is None:
        return 0
    try:
        return account_ids().index(after) + 1
    except ValueError:
        raise BadUserInput(f"after: {after!r} is not in this list", field="after") from None


@strawberry.type(description="The five key-account criteria of one account, each in [0, 1].")
class KeyAccountBreakdown:
    stability: float = strawberry.field(description="Tenure x steadiness over 90 days x cooperation.")
    revenue_share: float = strawberry.field(description="Trailing 12-month revenue, log-scaled against the largest.")
    dependency: float = strawberry.field(description="Loss impact (own plus referred revenue), log-scaled.")
    potential: float = strawberry.field(description="potential / (potential + revenue12m).")
    influence: float = strawberry.field(description="Influence percentile / 100.")


@strawberry.type(description="A customer organisation's key-account score, its breakdown and the figures behind it.")
class KeyAccount:
    account_key: str
    score: float
    tier: Tier = strawberry.field(description="The tier this score falls in.")
    stored_tier: Tier | None = strawberry.field(description="The tier recorded on the stakeholder.")
    breakdown: KeyAccountBreakdown
    abc_class: str = strawberry.field(description="A, B or C by cumulative 12-month revenue (Pareto).")
    revenue_12m: float = strawberry.field(name="revenue12m")
    revenue_total: float
    revenue_share: float = strawberry.field(description="Plain share of all customers' 12-month revenue.")
    loss_impact: float = strawberry.field(description="Revenue lost with the account, referred revenue included.")
    loss_share: float
    potential: float
    tenure_days: float
    strength_now: float
    strength_90d_ago: float = strawberry.field(name="strength90dAgo")
    influence_percentile: float
    referred_revenue: float = strawberry.field(description="Weighted revenue of those it referred or influences.")
    clv: float | None = strawberry.field(
        description="m*r/(1+d-r) with m = margin x 12-month revenue and d the configured discount rate; null without "
        "margin and retention."
    )
    single_threaded: bool
    transactional: bool = strawberry.field(description="Price-driven, easy to switch, tied to competitors or one-way: flagged, not courted.")
    transactional_reasons: list[str] = strawberry.field(
        description="PRICE_DRIVEN, LOW_SWITCHING_COST, TIES_TO_COMPETITORS, ONE_WAY_CONTACT (those that hold)."
    )
    as_of: datetime = strawberry.field(description="The moment the account was scored as of.")

    @strawberry.field
    async def account(self, info: Info) -> StakeholderRef:
        return await _stakeholder(info, self.account_key)

    @strawberry.field(description="Its recent sentiment, as of the moment it was scored.")
    async def recent_sentiment(self, info: Info) -> RecentSentiment:
        return await recent_sentiment_of(info, self.account_key, self.as_of)

    @classmethod
    def of(cls, k: service.KeyAccount) -> KeyAccount:
        b = k.score.breakdown
        return cls(
            account_key=k.account_id, score=k.score.score, tier=k.tier, stored_tier=k.stored_tier,
            breakdown=KeyAccountBreakdown(stability=b.stability, revenue_share=b.revenue_share,
                                          dependency=b.dependency, potential=b.potential, influence=b.influence),
            abc_class=k.abc, revenue_12m=k.revenue_12m, revenue_total=k.revenue_total,
            revenue_share=k.score.revenue_share_raw, loss_impact=k.score.loss_impact, loss_share=k.score.loss_share,
            potential=k.potential, tenure_days=k.tenure_days, strength_now=k.strength_now,
            strength_90d_ago=k.strength_90d_ago, influence_percentile=k.influence_percentile,
            referred_revenue=k.referred_revenue, clv=k.clv, single_threaded=k.single_threaded,
            transactional=k.transactional, transactional_reasons=list(k.transactional_reasons),
            as_of=from_ms(k.at_ms),
        )


@strawberry.type(description="A key account at risk, with its reasons.")
class AtRiskAccount:
    key_account: KeyAccount
    reasons: list[str] = strawberry.field(
        description="FALLING_STRENGTH, OPEN_COMPLAINTS, OVERDUE_COMPLAINTS, COMPETITOR_STRONGER, SINGLE_THREADED."
    )
    open_complaints: int
    overdue_complaints: int
    best_competitor_key: str | None
    best_competitor_strength: float | None


@strawberry.type(description="One competitor's tie to an account, beside ours (margin = theirs - ours).")
class CompetitorStrength:
    competitor_key: str
    strength: float
    margin: float
    stronger: bool

    @strawberry.field
    async def competitor(self, info: Info) -> StakeholderRef:
        return await _stakeholder(info, self.competitor_key)


@strawberry.type(description="A customer tied to competitors, with their strength beside ours.")
class ContestedAccount:
    account_key: str
    our_strength: float
    competitors: list[CompetitorStrength]
    best_competitor_key: str | None
    best_competitor_strength: float | None
    lead: float | None = strawberry.field(description="Ours minus the best competitor's (negative when behind).")
    our_rank: int

    @strawberry.field
    async def account(self, info: Info) -> StakeholderRef:
        return await _stakeholder(info, self.account_key)


@strawberry.type(description="An account plan whose next contact is past due.")
class OverdueContact:
    account_key: str
    owner_key: str | None
    tier: Tier | None
    due_at: datetime | None
    overdue_days: float | None
    last_contact_at: datetime | None = strawberry.field(
        description="Our last contact with the account or its people (null: never contacted).")

    @strawberry.field
    async def account(self, info: Info) -> StakeholderRef:
        return await _stakeholder(info, self.account_key)


@strawberry.type(description="One complaint category raised by several distinct customers within a window; a "
                  "person's complaint counts for the organisation it works for.")
class SystemicIssue:
    category: str
    customer_keys: list[str] = strawberry.field(
        description="The distinct customers: organisations, and persons who work for none.")
    customer_count: int = strawberry.field(description="How many distinct customers: the size of customerKeys.")
    complainant_keys: list[str] = strawberry.field(description="Who complained: organisations and their people.")
    count: int = strawberry.field(description="How many complaints.")
    first_at: datetime
    last_at: datetime


@strawberry.type
class KindCount:
    kind: str
    count: int


@strawberry.type
class TierCount:
    tier: Tier
    count: int


@strawberry.type(description="12-month revenue and number of customer accounts in one ABC class.")
class AbcRevenue:
    abc_class: str
    revenue: float
    accounts: int


@strawberry.type(description="Ties (pairs of stakeholders in contact) in one channel state.")
class ChannelCount:
    channel_state: ChannelState
    count: int


@strawberry.type(description="Satisfaction after resolution: the follow-up's rating (-1 to 1) of complaints resolved in the window.")
class ComplaintSatisfaction:
    window_days: float
    resolved: int = strawberry.field(description="Complaints resolved in the window (and not reopened).")
    rated: int = strawberry.field(description="Of those, how many carry a satisfaction rating.")
    average: float | None = strawberry.field(description="Mean rating; null when none is rated.")


@strawberry.type(description="Dashboard counts over the whole network.")
class NetworkSummary:
    by_kind: list[KindCount]
    by_tier: list[TierCount]
    by_channel_state: list[ChannelCount] = strawberry.field(description="Ties by channel state: OPEN, BLOCKED, BROKEN.")
    revenue_by_abc: list[AbcRevenue]
    open_complaints: int
    overdue_complaints: int
    overdue_contacts: int
    complaint_satisfaction: ComplaintSatisfaction


@strawberry.type(description="Counts of a prospect's demand signals over the last 90 days of contact with us.")
class DemandSignals:
    enquiries: int = strawberry.field(description="Calls, e-mails, messages, visits, meetings or orders the prospect started.")
    feedback: int = strawberry.field(description="Feedback or complaints the prospect started.")
    engagement: int = strawberry.field(description="Events, meetings, visits or service it took part in, or other contact it started.")


@strawberry.type(description="A customer organisation that has not bought from us yet, with its demand class (seed 001).")
class Prospect:
    account_key: str
    name: str
    demand: Demand = strawberry.field(description="The recorded demand when set, else CLEAR / LATENT / NONE from the signals.")
    recorded_demand: Demand | None = strawberry.field(description="The analyst's demand recorded on the stakeholder.")
    signals: DemandSignals
    potential: float

    @strawberry.field
    async def account(self, info: Info) -> StakeholderRef:
        return await _stakeholder(info, self.account_key)


@strawberry.type(description="How much we depend on one supplier (issue 6 §2).")
class SupplierDependency:
    supplier_key: str
    name: str
    spend: float = strawberry.field(description="Value of our orders with it over the trailing 12 months.")
    orders: int
    active: bool = strawberry.field(description="It has an active SUPPLIES relationship to us.")
    share: float = strawberry.field(description="Its share of our spend.")
    category: str | None = strawberry.field(description="Its industry: suppliers of one category can stand in for each other.")
    category_share: float = strawberry.field(description="Its share of the spend in its category.")
    loss_impact: float = strawberry.field(description="share x categoryShare: the part of our spend no other supplier of its category covers.")
    sole_source: bool = strawberry.field(description="The only supplier in its category.")

    @strawberry.field
    async def supplier(self, info: Info) -> StakeholderRef:
        return await _stakeholder(info, self.supplier_key)


@strawberry.type(description="Our dependency on our suppliers, and how concentrated our spend is.")
class SupplierDependencies:
    total_spend: float
    hhi: float = strawberry.field(description="Herfindahl index of the spend shares: 1 = one supplier, 1/n = n equal ones.")
    effective_suppliers: float = strawberry.field(description="1 / hhi: the number of equal suppliers the spread is worth.")
    suppliers: list[SupplierDependency] = strawberry.field(description="Most depended on first (loss impact, share, key).")


def _overdue(o: care.OverdueContact) -> OverdueContact:
    return OverdueContact(
        account_key=o.plan.account_id, owner_key=o.plan.owner_id, tier=o.plan.tier,
        due_at=from_ms(o.due_ms), overdue_days=o.overdue_days, last_contact_at=from_ms(o.plan.last_contact_ms),
    )


@strawberry.type
class AccountsQuery:
    @strawberry.field(description="Customer organisations by key-account score (best first), with the breakdown.")
    async def key_accounts(
        self,
        info: Info,
        tier: Tier | None = None,
        first: int = 50,
        after: Annotated[
            str | None,
            strawberry.argument(description="The accountKey of the last row already seen: the page continues after it."),
        ] = None,
        weights: KeyAccountWeightsInput | None = None,
        as_of: AsOf = None,
    ) -> list[KeyAccount]:
        _first(info, first)
        settings, at = info.context.settings, checked_as_of(as_of)
        scored = service.by_tier(
            await service.key_accounts(info.context.store, _weights(weights), tier_thresholds(settings), at,
                                       discount=clv_discount(settings)),
            tier,
        )
        start = _after(scored.account_ids, after)
        return [KeyAccount.of(k) for k in scored[start : start + first]]

    @strawberry.field(description="Key accounts at risk, with their reasons (most valuable first).")
    async def at_risk_accounts(self, info: Info, first: int = 50, as_of: AsOf = None) -> list[AtRiskAccount]:
        _first(info, first)
        settings, at = info.context.settings, checked_as_of(as_of)
        at_risk = await service.at_risk(info.context.store, first, at, thresholds=tier_thresholds(settings),
                                        discount=clv_discount(settings))
        return [
            AtRiskAccount(
                key_account=KeyAccount.of(r.account), reasons=list(r.reasons), open_complaints=r.open_complaints,
                overdue_complaints=r.overdue_complaints, best_competitor_key=r.best_competitor_id,
                best_competitor_strength=r.best_competitor_strength,
            )
            for r in at_risk
        ]

    @strawberry.field(description="Customers tied to competitors, furthest behind first.")
    async def contested_accounts(self, info: Info, first: int = 50, as_of: AsOf = None) -> list[ContestedAccount]:
        _first(info, first)
        out = []
        for c in await service.contested(info.context.store, first, checked_as_of(as_of)):
            k = c.contest
            out.append(ContestedAccount(
                account_key=c.account_id, our_strength=k.our_strength,
                competitors=[CompetitorStrength(competitor_key=t.competitor_id, strength=t.strength, margin=t.margin,
                                                stronger=t.stronger) for t in k.competitors],
                best_competitor_key=k.best_competitor_id, best_competitor_strength=k.best_competitor_strength,
                lead=k.lead, our_rank=k.our_rank,
            ))
        return out

    @strawberry.field(description="Account plans whose next contact is past due, most overdue first.")
    async def overdue_contacts(self, info: Info, first: int = 50, as_of: AsOf = None) -> list[OverdueContact]:
        _first(info, first)
        return [_overdue(o) for o in await service.overdue_contacts(info.context.store, first, checked_as_of(as_of))]

    @strawberry.field(description="Complaint categories raised by at least minCustomers distinct customers (a person "
                      "counting for its organisation) within the last windowDays.")
    async def systemic_issues(
        self, info: Info, window_days: int = 30, min_customers: int = 3, as_of: AsOf = None
    ) -> list[SystemicIssue]:
        if not 1 <= window_days <= 3650:
            raise BadUserInput("windowDays: between 1 and 3650", field="windowDays")
        if not 1 <= min_customers <= 100_000:
            raise BadUserInput("minCustomers: between 1 and 100000", field="minCustomers")
        at = checked_as_of(as_of)
        return [
            SystemicIssue(category=s.category, customer_keys=list(s.customers), customer_count=len(s.customers),
                          complainant_keys=list(s.complainants), count=s.count,
                          first_at=from_ms(s.first_ms), last_at=from_ms(s.last_ms))  # type: ignore[arg-type]
            for s in await service.systemic_issues(info.context.store, window_days, min_customers, at)
        ]

    @strawberry.field(description="Dashboard counts: stakeholders by kind and tier, ties by channel state, revenue by "
                      "ABC class, complaints and satisfaction after resolution, contacts.")
    async def network_summary(
        self,
        info: Info,
        satisfaction_window_days: Annotated[
            int, strawberry.argument(description="complaintSatisfaction covers complaints resolved in this many days.")
        ] = service.SATISFACTION_WINDOW_DAYS,
        as_of: AsOf = None,
    ) -> NetworkSummary:
        if not 1 <= satisfaction_window_days <= 3650:
            raise BadUserInput("satisfactionWindowDays: between 1 and 3650", field="satisfactionWindowDays")
        s = await service.network_summary(info.context.store, checked_as_of(as_of), satisfaction_days=satisfaction_window_days)
        sat = s.satisfaction
        return NetworkSummary(
            by_kind=[KindCount(kind=k, count=n) for k, n in sorted(s.by_kind.items())],
            by_tier=[TierCount(tier=Tier(t), count=n) for t, n in sorted(s.by_tier.items())],
            by_channel_state=[ChannelCount(channel_state=c, count=s.by_channel.get(c.value, 0)) for c in ChannelState],
            revenue_by_abc=[AbcRevenue(abc_class=c, revenue=s.revenue_by_abc[c], accounts=s.accounts_by_abc[c])
                            for c in ("A", "B", "C")],
            open_complaints=s.open_complaints, overdue_complaints=s.overdue_complaints,
            overdue_contacts=s.overdue_contacts,
            complaint_satisfaction=ComplaintSatisfaction(window_days=sat.window_days, resolved=sat.resolved,
                                                         rated=sat.rated, average=sat.average),
        )

    @strawberry.field(description="Prospects (customers that have not bought yet) by demand: CLEAR, LATENT, NONE, "
                      "then by potential.")
    async def prospects(
        self,
        info: Info,
        demand: list[Demand] | None = None,
        first: int = 50,
        after: Annotated[
            str | None,
            strawberry.argument(description="The accountKey of the last row already seen: the page continues after it."),
        ] = None,
        as_of: AsOf = None,
    ) -> list[Prospect]:
        _first(info, first)
        rows = await prospect_service.prospects(info.context.store, demand, checked_as_of(as_of))
        start = _after(lambda: [p.account_id for p in rows], after)
        return [
            Prospect(account_key=p.account_id, name=p.name, demand=p.demand, recorded_demand=p.recorded_demand,
                     signals=DemandSignals(enquiries=p.signals.enquiries, feedback=p.signals.feedback,
                                           engagement=p.signals.engagement),
                     potential=p.potential)
            for p in rows[start : start + first]
        ]

    @strawberry.field(description="Our dependency on our suppliers: spend share, concentration, sole sources, loss impact.")
    async def supplier_dependency(self, info: Info, first: int = 50, as_of: AsOf = None) -> SupplierDependencies:
        _first(info, first)
        d = await supplier_service.supplier_dependency(info.context.store, checked_as_of(as_of))
        return SupplierDependencies(
            total_spend=d.total_spend, hhi=d.hhi, effective_suppliers=d.effective_suppliers,
            suppliers=[
                SupplierDependency(
                    supplier_key=r.dependency.supplier_id, name=r.name, spend=r.dependency.spend, orders=r.orders,
                    active=r.active, share=r.dependency.share, category=r.dependency.category,
                    category_share=r.dependency.category_share, loss_impact=r.dependency.loss_impact,
                    sole_source=r.dependency.sole_source,
                )
                for r in d.suppliers[:first]
            ],
        )
