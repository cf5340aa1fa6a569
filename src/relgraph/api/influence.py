"""Influence in the API (DOMAIN.md §3): global influence, who moves a target, introductions, departures.

Resolvers check their arguments and call `relgraph.services.influence`, which runs the
algorithms of `relgraph.scoring`; nothing is computed here. Global influence is read
from the results written back by the last refresh (`refreshInfluence`, the CLI or the
background job), so reading it never waits for a computation.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Sequence

import strawberry

from relgraph.api.context import Info
from relgraph.api.ids import key_of
from relgraph.domain.enums import Role, StakeholderKind
from relgraph.errors import BadUserInput, NotFound
from relgraph.services import influence as service

if TYPE_CHECKING:
    from relgraph.api.types import Stakeholder

StakeholderRef = Annotated["Stakeholder", strawberry.lazy("relgraph.api.types")]

#: Bounds of `maxHops` in `introductionPaths`.
MIN_HOPS, MAX_HOPS = 1, 6


@strawberry.enum(description="How `topInfluencers` orders stakeholders.")
class InfluenceOrder(Enum):
    PAGERANK = strawberry.enum_value("pagerank", description="By global influence (strength-weighted PageRank): rank 1 first.")
    BROKERAGE = strawberry.enum_value(
        "brokerage", description="By brokerage, largest first: who sits on the strongest chains between others."
    )


@strawberry.type(description="A stakeholder's place in the network, from the last influence refresh.")
class Influence:
    score: float = strawberry.field(description="Strength-weighted PageRank (all scores sum to 1).")
    rank: int = strawberry.field(description="1 = most influential; equal scores share a rank.")
    percentile: float = strawberry.field(description="Share of the other stakeholders scoring lower, 0..100.")
    brokerage: float = strawberry.field(
        description="Normalised strength-weighted betweenness: the share of pairs whose strongest chain runs through it."
    )
    computed_at: datetime = strawberry.field(description="When the refresh that computed it ran.")
    version: str = strawberry.field(description="The algorithm and its parameters (exact or sampled brokerage).")

    @classmethod
    def of(cls, i: service.Influence) -> Influence:
        return cls(score=i.score, rank=i.rank, percentile=i.percentile, brokerage=i.brokerage,
                   computed_at=i.computed_at, version=i.version)


@strawberry.type(description="A stakeholder with its global influence.")
class RankedStakeholder:
    key: str
    influence: Influence

    @strawberry.field(description="The stakeholder.")
    async def stakeholder(self, info: Info) -> StakeholderRef:
        from relgraph.api.types import _stakeholder

        return await _stakeholder(info, self.key)


@strawberry.type(description="Someone who moves a target: personalised PageRank around it.")
class Influencer:
    key: str
    score: float = strawberry.field(
        description="Personalised PageRank restarting at the target (an organisation: at it or one of its people)."
    )
    tie_strength: float = strawberry.field(description="Their direct tie's strength with the target (0: none).")

    @strawberry.field(description="The influencer.")
    async def stakeholder(self, info: Info) -> StakeholderRef:
        from relgraph.api.types import _stakeholder

        return await _stakeholder(info, self.key)


@strawberry.type(description="One tie of an introduction path.")
class IntroductionHop:
    from_key: str
    to_key: str
    strength: float = strawberry.field(description="The tie's strength now.")

    @strawberry.field(name="from", description="Who introduces.")
    async def from_(self, info: Info) -> StakeholderRef:
        from relgraph.api.types import _stakeholder

        return await _stakeholder(info, self.from_key)

    @strawberry.field(description="Who is introduced.")
    async def to(self, info: Info) -> StakeholderRef:
        from relgraph.api.types import _stakeholder

        return await _stakeholder(info, self.to_key)


@strawberry.type(description="A chain of relationships from one of our people to the person to reach.")
class IntroductionPath:
    strength: float = strawberry.field(description="The product of its ties' strengths.")
    keys: list[str] = strawberry.field(description="The stakeholders along it, source first, target last.")
    hops: list[IntroductionHop]


@strawberry.type(description="An account whose strength with us would fall if an employee left.")
class DepartureImpact:
    account_key: str
    before: float = strawberry.field(description="Its rolled-up strength now.")
    after: float = strawberry.field(description="Its rolled-up strength without this employee.")
    drop: float = strawberry.field(description="before − after.")

    @strawberry.field(description="The account.")
    async def account(self, info: Info) -> StakeholderRef:
        from relgraph.api.types import _stakeholder

        return await _stakeholder(info, self.account_key)


@strawberry.type(description="What an influence refresh computed and wrote back.")
class InfluenceRefresh:
    nodes: int = strawberry.field(description="Stakeholders projected.")
    ties: int = strawberry.field(
        description="Ties with a positive strength projected: measured, memberships, and assessed pairs without interactions."
    )
    relationships_left_out: int = strawberry.field(
        description="Current relationships left out of the network for lack of any strength: their pair has no "
        "interactions, no assessed strength and is no membership."
    )
    written: int = strawberry.field(description="Stakeholders written back.")
    computed_at: datetime
    version: str
    brokerage_exact: bool = strawberry.field(description="False when brokerage was sampled (large networks).")
    samples: int = strawberry.field(description="Brokerage pivots (all stakeholders when exact).")
    seconds: float


@strawberry.type(description="One of an organisation's people, ranked as a decision maker.")
class DecisionMaker:
    key: str
    role: Role | None = strawberry.field(description="Their role at the organisation (WORKS_FOR).")
    reports_to_key: str | None = strawberry.field(description="Whom they currently report to.")
    influence_score: float = strawberry.field(description="Global influence from the last refresh (0 before it).")

    @strawberry.field(description="The person.")
    async def stakeholder(self, info: Info) -> StakeholderRef:
        from relgraph.api.types import _stakeholder

        return await _stakeholder(info, self.key)


def _first(info: Info, first: int) -> None:
    if not 1 <= first <= info.context.settings.max_page_size:
        raise BadUserInput(f"first: between 1 and {info.context.settings.max_page_size}", field="first")


async def _existing(info: Info, keys: Sequence[str], field: str) -> None:
    found = await info.context.loaders.stakeholders.load_many(list(keys))
    for key, record in zip(keys, found):
        if record is None:
            raise NotFound(f"no stakeholder with id {key!r}", field=field)


def _kinds(kinds: list[StakeholderKind] | None) -> list[str] | None:
    return [k.value for k in kinds] if kinds else None


async def influence_of(info: Info, key: str) -> Influence | None:
    """A stakeholder's written-back influence, batched per request; None before the first refresh.

    For `Stakeholder.influence` in `relgraph.api.types`.
    """
    loaders = info.context.loaders
    loader = getattr(loaders, "_influence", None)
    if loader is None:
        from relgraph.api.loaders import WaveLoader

        store = info.context.store

        async def load(ids: list[str]) -> list[service.Influence | None]:
            found = await service.influence_of(store, ids)
            return [found.get(i) for i in ids]

        loader = WaveLoader(loaders.wave, load)
        loaders._influence = loader  # type: ignore[attr-defined]  # one per request, dropped with the loaders
    found = await loader.load(key)
    return Influence.of(found) if found is not None else None


async def decision_makers_of(info: Info, key: str, first: int | None = None) -> list[DecisionMaker]:
    """An organisation's current people ranked by role, reporting lines and influence.

    For `Stakeholder.decisionMakers` in `relgraph.api.types` (empty for a person).
    """
    if first is not None:
        _first(info, first)
    found = await service.decision_makers(info.context.store, key)
    rows = found if first is None else found[:first]
    return [
        DecisionMaker(key=d.person_id, role=Role(d.role) if d.role else None, reports_to_key=d.reports_to,
                      influence_score=d.influence)
        for d in rows
    ]


@strawberry.type
class InfluenceQuery:
    @strawberry.field(description="One stakeholder's influence from the last refresh; null before it.")
    async def stakeholder_influence(self, info: Info, id: strawberry.ID) -> Influence | None:
        key = key_of(id, "Stakeholder", field="id")
        await _existing(info, [key], "id")
        return await influence_of(info, key)

    @strawberry.field(description="An organisation's people ranked by role, reporting lines and influence.")
    async def decision_makers(self, info: Info, organization: strawberry.ID, first: int = 20) -> list[DecisionMaker]:
        key = key_of(organization, "Stakeholder", field="organization")
        await _existing(info, [key], "organization")
        return await decision_makers_of(info, key, first)

    @strawberry.field(
        description="The most influential stakeholders, or the strongest brokers, from the last refresh (empty before it)."
    )
    async def top_influencers(
        self, info: Info, kinds: list[StakeholderKind] | None = None, first: int = 10,
        order_by: InfluenceOrder = InfluenceOrder.PAGERANK,
    ) -> list[RankedStakeholder]:
        _first(info, first)
        found = await service.top(info.context.store, _kinds(kinds), first, order_by.value)
        return [RankedStakeholder(key=i.stakeholder_id, influence=Influence.of(i)) for i in found]

    @strawberry.field(
        description="Who moves a target: personalised PageRank around it (an organisation together with its current "
        "people, who may be listed), the target excluded. Us and our employees are left out unless `includeOurs`."
    )
    async def influencers_of(
        self, info: Info, target: strawberry.ID, kinds: list[StakeholderKind] | None = None, first: int = 10,
        include_ours: Annotated[
            bool, strawberry.argument(description="Also list us (the company) and whoever works for us.")
        ] = False,
    ) -> list[Influencer]:
        _first(info, first)
        key = key_of(target, "Stakeholder", field="target")
        await _existing(info, [key], "target")
        found = await service.influencers(info.context.store, key, _kinds(kinds), first, include_ours)
        return [Influencer(key=f.stakeholder_id, score=f.score, tie_strength=f.tie_strength) for f in found]

    @strawberry.field(
        description="Who could introduce us, and who else: the strongest chain of relationships from each of our "
        "employees (or `from`) to a person, one per introducer, best first; no chain runs through another introducer "
        "or through us. A path's strength is the product of its ties' strengths."
    )
    async def introduction_paths(
        self,
        info: Info,
        to: strawberry.ID,
        from_: Annotated[list[strawberry.ID] | None, strawberry.argument(name="from")] = None,
        max_hops: int = 4,
        first: int = 3,
    ) -> list[IntroductionPath]:
        _first(info, first)
        if not MIN_HOPS <= max_hops <= MAX_HOPS:
            raise BadUserInput(f"maxHops: between {MIN_HOPS} and {MAX_HOPS}", field="maxHops")
        target = key_of(to, "Stakeholder", field="to")
        await _existing(info, [target], "to")
        sources = None
        if from_:
            sources = list(dict.fromkeys(key_of(f, "Stakeholder", field="from") for f in from_))
            await _existing(info, sources, "from")
        found = await service.paths(info.context.store, target, sources, max_hops, first)
        return [
            IntroductionPath(
                strength=p.strength,
                keys=list(p.nodes),
                hops=[IntroductionHop(from_key=a, to_key=b, strength=s) for a, b, s in zip(p.nodes, p.nodes[1:], p.strengths)],
            )
            for p in found
        ]

    @strawberry.field(description="The accounts whose strength with us would fall if this employee left, largest drop first.")
    async def departure_impact(self, info: Info, employee: strawberry.ID) -> list[DepartureImpact]:
        key = key_of(employee, "Stakeholder", field="employee")
        await _existing(info, [key], "employee")
        found = await service.departure(info.context.store, key)
        return [DepartureImpact(account_key=d.account_id, before=d.before, after=d.after, drop=d.drop) for d in found]


@strawberry.type
class InfluenceMutation:
    @strawberry.mutation(description="Recompute influence and brokerage now and write them back onto the stakeholders.")
    async def refresh_influence(self, info: Info) -> InfluenceRefresh:
        r = await service.refresh(info.context.store)
        info.context.wrote()
        return InfluenceRefresh(
            nodes=r.nodes, ties=r.ties, relationships_left_out=r.relationships_left_out, written=r.written,
            computed_at=r.computed_at, version=r.version,
            brokerage_exact=r.brokerage_exact, samples=r.samples, seconds=r.seconds,
        )
