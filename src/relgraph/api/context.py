"""What every resolver reaches through `info.context`: the store, the settings, the
loaders, and the principal (who is calling; see `relgraph.auth`)."""

from __future__ import annotations

from strawberry.fastapi import BaseContext
from strawberry.types import Info as StrawberryInfo

from relgraph.api.loaders import Loaders
from relgraph.auth.principal import LOCAL, Principal
from relgraph.config import Settings
from relgraph.store.graph_store import GraphStore


class Context(BaseContext):
    """One request's context; also built directly for in-process execution (tests,
    scripts), which runs as the trusted `LOCAL` principal unless told otherwise."""

    def __init__(self, store: GraphStore, settings: Settings, principal: Principal = LOCAL) -> None:
        super().__init__()
        self.store = store
        self.settings = settings
        self.principal = principal
        self.loaders = Loaders(store)

    def wrote(self) -> None:
        """After a mutation: drop cached reads, so its payload shows the new state."""
        self.loaders = Loaders(self.store)


Info = StrawberryInfo[Context, None]
