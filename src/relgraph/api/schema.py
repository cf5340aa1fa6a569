"""The GraphQL schema: queries and mutations over the stakeholder network.

Resolvers are thin on purpose: they turn arguments into store calls and records into
types. Each mutation is one store call, so one transaction; its payload carries the
changed objects. Errors are raised, never returned, and `relgraph.api.errors` gives
each one its `extensions.code`.
"""

from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Callable, TypeVar

import strawberry
from graphql import GraphQLError
from strawberry import relay
from strawberry.schema.config import StrawberryConfig
from strawberry.types.execution import ExecutionContext

from relgraph.api import enums as _enums  # noqa: F401 - registers the GraphQL enums
from relgraph.api.context import Info
from relgraph.api.errors import ErrorCodes, log_errors, under
from relgraph.api.ids import key_of, parse_global
from relgraph.api.limits import limit_extensions
from relgraph.api.production import production_extensions
from relgraph.api.inputs import (
    ArchiveStakeholderInput,
    AssessRelationshipInput,
    ComplaintFilter,
    ComplaintOrder,
    CreateStakeholderInput,
    EndRelationshipInput,
    FileComplaintInput,
    RecordInteractionsInput,
    RelateInput,
    RelationshipFilter,
    RelationshipOrder,
    SetAccountPlanInput,
    StakeholderFilter,
    StakeholderOrder,
    TransitionComplaintInput,
    UpdateStakeholderInput,
)
from relgraph.api.pagination import Connection, from_page, page_size
from relgraph.api.scalars import SCALARS
from relgraph.api.accounts import AccountsQuery
from relgraph.api.influence import InfluenceMutation, InfluenceQuery
from relgraph.api.keys import KeysMutation, KeysQuery
from relgraph.api.strength import StrengthQuery, needs_strength, ranked_relationships
from relgraph.auth.guard import AccessControl
from relgraph.api.types import NODE_CLASSES, AccountPlan, Complaint, Interaction, Relationship, Stakeholder
from relgraph.config import Settings
from relgraph.domain.enums import ChannelState
from relgraph.errors import BadUserInput

T = TypeVar("T")


async def _node(info: Info, type_name: str, key: str) -> Any:
    (found,) = await NODE_CLASSES[type_name].resolve_nodes(info=info, node_ids=[key])
    return found


async def _lookup(info: Info, type_name: str, value: str) -> Any:
    return await _node(info, type_name, key_of(value, type_name, field="id"))


async def _value(value: T) -> T:
    return value


async def _argument(name: str, convert: Callable[[], T]) -> T:
    async def work() -> T:
        return convert()

    return await under(name, work)


@strawberry.type(description="Reads of the stakeholder network.")
class Query(StrengthQuery, InfluenceQuery, AccountsQuery, KeysQuery):
    @strawberry.field(description="Any object by its global id; null when there is none.")
    async def node(self, info: Info, id: strawberry.ID) -> relay.Node | None:
        parsed = parse_global(id)
        if parsed is None:
            raise BadUserInput("id: not a global id", field="id")
        return await _node(info, *parsed)

    @strawberry.field(description="Objects by global id, in order; null where there is none.")
    async def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[relay.Node | None]:
        parsed = [parse_global(i) for i in ids]
        if None in parsed:
            raise BadUserInput(f"ids: {ids[parsed.index(None)]!r} is not a global id", field="ids")
        return list(await asyncio.gather(*(_node(info, *p) for p in parsed if p)))

    @strawberry.field(description="A stakeholder by raw key or global id; null when there is none.")
    async def stakeholder(self, info: Info, id: strawberry.ID) -> Stakeholder | None:
        return await _lookup(info, "Stakeholder", id)

    @strawberry.field(description="Stakeholders, filtered, sorted (by name by default) and paged.")
    async def stakeholders(
        self,
        info: Info,
        filter: StakeholderFilter | None = None,
        order_by: StakeholderOrder | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Stakeholder]:
        listing = info.context.store.listing
        size = page_size(first, info.context.settings)
        flt = await _argument("filter", filter.to_store) if filter else None
        page = await listing.stakeholders(flt, order_by.to_store() if order_by else None, first=size, after=after)
        info.context.loaders.stakeholders.prime_many({s.id: s for s in page.items})
        return from_page(page, Stakeholder.of, lambda: listing.count_stakeholders(flt))

    @strawberry.field(description="A relationship by raw key or global id; null when there is none.")
    async def relationship(self, info: Info, id: strawberry.ID) -> Relationship | None:
        return await _lookup(info, "Relationship", id)

    @strawberry.field(
        description="Relationships, filtered, sorted (by start by default) and paged. `minStrength`, "
        "`maxStrength` and `channelState` filter by the pair's current strength and channel state."
    )
    async def relationships(
        self,
        info: Info,
        filter: RelationshipFilter | None = None,
        order_by: RelationshipOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        min_strength: float | None = None,
        max_strength: float | None = None,
        channel_state: list[ChannelState] | None = None,
    ) -> Connection[Relationship]:
        listing = info.context.store.listing
        size = page_size(first, info.context.settings)
        flt = await _argument("filter", filter.to_store) if filter else None
        order = order_by.to_store() if order_by else None
        if needs_strength(order, min_strength, max_strength, channel_state):
            page, total = await ranked_relationships(info, flt, order, size, after, min_strength, max_strength, channel_state)
            return from_page(page, Relationship.of, lambda: _value(total))
        page = await listing.relationships(flt, order, first=size, after=after)
        return from_page(page, Relationship.of, lambda: listing.count_relationships(flt))

    @strawberry.field(description="An interaction by raw key or global id; null when there is none.")
    async def interaction(self, info: Info, id: strawberry.ID) -> Interaction | None:
        return await _lookup(info, "Interaction", id)

    @strawberry.field(description="A complaint by raw key or global id; null when there is none.")
    async def complaint(self, info: Info, id: strawberry.ID) -> Complaint | None:
        return await _lookup(info, "Complaint", id)

    @strawberry.field(description="Complaints, filtered, sorted (newest first by default) and paged.")
    async def complaints(
        self,
        info: Info,
        filter: ComplaintFilter | None = None,
        order_by: ComplaintOrder | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Complaint]:
        listing = info.context.store.listing
        size = page_size(first, info.context.settings)
        flt = await _argument("filter", filter.to_store) if filter else None
        page = await listing.complaints(flt, order_by.to_store() if order_by else None, first=size, after=after)
        return from_page(page, Complaint.of, lambda: listing.count_complaints(flt))

    @strawberry.field(description="The plan of an account (raw key or global id of the stakeholder).")
    async def account_plan(self, info: Info, account: strawberry.ID) -> AccountPlan | None:
        key = key_of(account, "Stakeholder", field="account")
        plan = await info.context.loaders.account_plans.load(key)
        return AccountPlan.of(plan) if plan else None


# -- mutations -------------------------------------------------------------------------------


@strawberry.type
class StakeholderPayload:
    stakeholder: Stakeholder


@strawberry.type
class RelationshipPayload:
    relationship: Relationship


@strawberry.type
class RecordInteractionsPayload:
    interactions: list[Interaction] = strawberry.field(description="The batch, as recorded (retries included).")


@strawberry.type
class ComplaintPayload:
    complaint: Complaint


@strawberry.type
class AccountPlanPayload:
    account_plan: AccountPlan


async def _write(info: Info, work: Callable[[], Awaitable[T]], *, creates: bool = False) -> T:
    """One store call on the mutation's `input`; then the request's cached reads are dropped."""
    result = await under("input", work, creates=creates)
    info.context.wrote()
    return result


@strawberry.type(description="Writes. Each mutation is one transaction.")
class Mutation(InfluenceMutation, KeysMutation):
    @strawberry.mutation(description="Add a stakeholder; CONFLICT when its key is taken.")
    async def create_stakeholder(self, info: Info, input: CreateStakeholderInput) -> StakeholderPayload:
        store = info.context.store
        record = await _write(info, lambda: store.create_stakeholder(input.to_store()), creates=True)
        return StakeholderPayload(stakeholder=Stakeholder.of(record))

    @strawberry.mutation(description="Change some of a stakeholder's fields.")
    async def update_stakeholder(self, info: Info, input: UpdateStakeholderInput) -> StakeholderPayload:
        store = info.context.store
        record = await _write(info, lambda: store.update_stakeholder(input.target(), input.to_store()))
        return StakeholderPayload(stakeholder=Stakeholder.of(record))

    @strawberry.mutation(description="Archive a stakeholder: kept, with its history, and marked archived.")
    async def archive_stakeholder(self, info: Info, input: ArchiveStakeholderInput) -> StakeholderPayload:
        store = info.context.store
        record = await _write(info, lambda: store.archive_stakeholder(input.target()))
        return StakeholderPayload(stakeholder=Stakeholder.of(record))

    @strawberry.mutation(description="Start a relationship; CONFLICT when the same active tie exists.")
    async def relate(self, info: Info, input: RelateInput) -> RelationshipPayload:
        store = info.context.store
        record = await _write(info, lambda: store.relate(input.to_store()), creates=True)
        return RelationshipPayload(relationship=Relationship.of(record))

    @strawberry.mutation(description="End a relationship (it is kept); CONFLICT when it has ended already.")
    async def end_relationship(self, info: Info, input: EndRelationshipInput) -> RelationshipPayload:
        store = info.context.store
        record = await _write(
            info, lambda: store.end_relationship(input.target(), at=input.at, reason=input.reason)
        )
        return RelationshipPayload(relationship=Relationship.of(record))

    @strawberry.mutation(description="Record an analyst's strength for a relationship, beside the computed one.")
    async def assess_relationship(self, info: Info, input: AssessRelationshipInput) -> RelationshipPayload:
        store = info.context.store
        record = await _write(
            info, lambda: store.assess_relationship(input.target(), input.strength, by=input.by, at=input.at)
        )
        return RelationshipPayload(relationship=Relationship.of(record))

    @strawberry.mutation(
        description="Record a batch of interactions, all or nothing; an idempotencyKey (or keys) makes retries safe."
    )
    async def record_interactions(self, info: Info, input: RecordInteractionsInput) -> RecordInteractionsPayload:
        store, limit = info.context.store, info.context.settings.max_batch
        if len(input.interactions) > limit:
            raise BadUserInput(f"input.interactions: at most {limit} per batch", field="input.interactions")
        keyed = input.idempotency_key is not None
        records = await _write(info, lambda: store.record_interactions(input.to_store(), keyed=keyed), creates=True)
        return RecordInteractionsPayload(interactions=[Interaction.of(r) for r in records])

    @strawberry.mutation(description="File a complaint, with its response and resolution deadlines.")
    async def file_complaint(self, info: Info, input: FileComplaintInput) -> ComplaintPayload:
        store = info.context.store
        record = await _write(info, lambda: store.file_complaint(input.to_store()), creates=True)
        return ComplaintPayload(complaint=Complaint.of(record))

    @strawberry.mutation(description="Move a complaint on; an illegal move is BAD_USER_INPUT on `input.status`.")
    async def transition_complaint(self, info: Info, input: TransitionComplaintInput) -> ComplaintPayload:
        store = info.context.store
        record = await _write(info, lambda: store.transition_complaint(input.to_store()))
        return ComplaintPayload(complaint=Complaint.of(record))

    @strawberry.mutation(description="Set an account's plan as a whole.")
    async def set_account_plan(self, info: Info, input: SetAccountPlanInput) -> AccountPlanPayload:
        store = info.context.store
        record = await _write(info, lambda: store.set_account_plan(input.to_store()))
        return AccountPlanPayload(account_plan=AccountPlan.of(record))


class RelgraphSchema(strawberry.Schema):
    """The schema, logging unexpected errors with their traceback (clients never see them)."""

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        log_errors(errors)


def build_schema(settings: Settings) -> RelgraphSchema:
    """The schema with the query limits, batching and mode of `settings`."""
    operations = settings.max_operations
    return RelgraphSchema(
        query=Query,
        mutation=Mutation,
        types=list(NODE_CLASSES.values()),
        extensions=[ErrorCodes, AccessControl, *limit_extensions(settings), *production_extensions(settings)],
        config=StrawberryConfig(
            scalar_map=SCALARS,
            batching_config={"max_operations": operations} if operations else None,
        ),
    )


#: The schema with the default settings (not the environment's): the SDL, in-process use.
schema = build_schema(Settings.model_construct())
