"""The store's paged lists directly: keyset pages in every order, nulls, and the allowlist rule."""

from __future__ import annotations

import pytest

from relgraph.errors import BadUserInput
from relgraph.store.graph_store import GraphStore
from relgraph.store.listing import (
    Binder,
    Direction,
    Order,
    RelationshipOrderField,
    StakeholderFilter,
    StakeholderOrderField,
    STAKEHOLDERS,
    where_of,
)


async def seed(store: GraphStore) -> None:
    """Ties in names and nulls in industry, so that pages must rely on the id tie-breaker."""
    await store.upsert_stakeholders([
        {"id": f"s{n:02}", "kind": ["CUSTOMER", "SUPPLIER", "AGENCY"][n % 3], "form": "ORGANIZATION",
         "name": f"Name {n % 4}", "industry": None if n % 2 else f"ind{n % 5}", "tags": [f"t{n % 3}"]}
        for n in range(23)
    ])


async def walk(store: GraphStore, order: Order, size: int, flt: StakeholderFilter | None = None) -> list[str]:
    seen: list[str] = []
    after = None
    while True:
        page = await store.listing.stakeholders(flt, order, first=size, after=after)
        seen += [s.id for s in page.items]
        if not page.has_next:
            return seen
        after = page.cursors[-1]


@pytest.mark.parametrize("field", list(StakeholderOrderField))
async def test_pages_join_up_in_every_order(store: GraphStore, field: StakeholderOrderField) -> None:
    await seed(store)
    for direction in Direction:
        order = Order(field, direction)
        whole = [s.id for s in (await store.listing.stakeholders(None, order, first=100)).items]
        assert sorted(whole) == [f"s{n:02}" for n in range(23)]
        assert await walk(store, order, 4) == whole, order
        assert await walk(store, order, 1, StakeholderFilter(kind=["CUSTOMER"])) == [
            i for i in whole if int(i[1:]) % 3 == 0
        ]


async def test_counts_and_empty_pages(store: GraphStore) -> None:
    await seed(store)
    assert await store.listing.count_stakeholders() == 23
    assert await store.listing.count_stakeholders(StakeholderFilter(tags={"any": ["t1"]})) == 8
    page = await store.listing.stakeholders(StakeholderFilter(keys=["ghost"]))
    assert page.items == [] and not page.has_next
    empty = await store.listing.stakeholders(first=0)
    assert empty.items == [] and empty.has_next


async def test_cursor_of_another_order_is_refused(store: GraphStore) -> None:
    await seed(store)
    page = await store.listing.stakeholders(first=2)
    with pytest.raises(BadUserInput) as err:
        await store.listing.stakeholders(order=Order(StakeholderOrderField.KIND), after=page.cursors[-1])
    assert err.value.field == "after"
    with pytest.raises(BadUserInput):
        await store.listing.relationships(order=Order(StakeholderOrderField.NAME))
    assert (await store.listing.relationships(order=Order(RelationshipOrderField.TYPE))).items == []


def test_values_only_ever_travel_as_parameters() -> None:
    hostile = "x') RETURN 1 //"
    flt = StakeholderFilter(
        name_contains=hostile, industry=[hostile], tags={"all": [hostile]},
        or_=[StakeholderFilter(region=[hostile]), StakeholderFilter(not_=StakeholderFilter(keys=[hostile]))],
    )
    bind = Binder()
    where = where_of(STAKEHOLDERS, flt, bind)
    assert where is not None and hostile not in where and "RETURN" not in where
    assert hostile.casefold() in bind.params.values()
    assert all(name.startswith("f") for name in bind.params)


def test_filter_size_is_bounded() -> None:
    wide = StakeholderFilter(or_=[StakeholderFilter(kind=["CUSTOMER"], region=["x"])] * 60)
    with pytest.raises(BadUserInput):
        where_of(STAKEHOLDERS, wide, Binder())
