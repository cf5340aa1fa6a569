"""Cursor connections: one shape (edges, nodes, pageInfo, totalCount) for every list.

Top-level lists are paged in the database with keyset cursors (`relgraph.store.listing`);
a stakeholder's own lists arrive whole from one batched store call and are paged here
with offset cursors. Both kinds of cursor are opaque to clients.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Awaitable, Callable, Generic, Sequence, TypeVar

import strawberry
from strawberry import relay

from relgraph.config import Settings
from relgraph.errors import BadUserInput
from relgraph.store.listing import Page

Item = TypeVar("Item")
T = TypeVar("T")
Counter = Callable[[], Awaitable[int]]

#: Items per page when a client gives no `first` (never above the configured maximum).
DEFAULT_PAGE_SIZE = 50

_OFFSET_PREFIX = "offset:"


@strawberry.type(name="Edge", description="An item of a list, with its cursor.")
class Edge(Generic[Item]):
    cursor: str = strawberry.field(description="Pass as `after` to continue after this item.")
    node: Item


@strawberry.type(name="Connection", description="A page of a list, with cursors and the list's total size.")
class Connection(Generic[Item]):
    edges: list[Edge[Item]]
    nodes: list[Item] = strawberry.field(description="The page's items, without cursors.")
    page_info: relay.PageInfo
    count: strawberry.Private[Counter]

    @strawberry.field(description="How many items the whole list holds, across all pages.")
    async def total_count(self) -> int:
        return await self.count()


def constant(value: int) -> Counter:
    async def count() -> int:
        return value

    return count


def page_size(first: int | None, settings: Settings) -> int:
    """`first`, checked against the configured maximum page size."""
    if first is None:
        return min(DEFAULT_PAGE_SIZE, settings.max_page_size)
    if first < 0:
        raise BadUserInput("first: must not be negative", field="first")
    if first > settings.max_page_size:
        raise BadUserInput(f"first: at most {settings.max_page_size} items per page", field="first")
    return first


def from_page(page: Page[T], convert: Callable[[T], Item], count: Counter) -> Connection[Item]:
    """A connection from a database page (keyset cursors)."""
    edges = [Edge(cursor=c, node=convert(i)) for i, c in zip(page.items, page.cursors)]
    return _connection(edges, page.has_next, page.has_previous, count)


def offset_cursor(index: int) -> str:
    return base64.urlsafe_b64encode(f"{_OFFSET_PREFIX}{index}".encode()).decode().rstrip("=")


def _offset_after(after: str | None) -> int:
    """The index of the first item after `after`."""
    if after is None:
        return 0
    try:
        text = base64.urlsafe_b64decode(after + "=" * (-len(after) % 4)).decode()
        if text.startswith(_OFFSET_PREFIX):
            return int(text[len(_OFFSET_PREFIX):]) + 1
    except (ValueError, binascii.Error):
        pass
    raise BadUserInput("after: not a cursor of this list", field="after")


@dataclass(frozen=True)
class Window:
    """Which slice of an in-memory list a client asked for."""

    start: int
    size: int

    @classmethod
    def of(cls, first: int | None, after: str | None, settings: Settings) -> "Window":
        return cls(start=_offset_after(after), size=page_size(first, settings))

    @property
    def stop(self) -> int:
        return self.start + self.size


def from_list(items: Sequence[T], window: Window, convert: Callable[[T], Item], count: Counter | None = None) -> Connection[Item]:
    """A connection over a list held in memory (offset cursors).

    `items` may be a prefix of the list (one more than the window asks for tells whether
    there is a next page); then `count` gives the full size.
    """
    chosen = items[window.start : window.stop]
    edges = [Edge(cursor=offset_cursor(window.start + n), node=convert(i)) for n, i in enumerate(chosen)]
    return _connection(edges, len(items) > window.stop, window.start > 0, count or constant(len(items)))


def _connection(edges: list[Edge[Item]], has_next: bool, has_previous: bool, count: Counter) -> Connection[Item]:
    info = relay.PageInfo(
        has_next_page=has_next,
        has_previous_page=has_previous,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
    return Connection(edges=edges, nodes=[e.node for e in edges], page_info=info, count=count)
