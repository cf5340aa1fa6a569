"""Filtered, sorted, paged lists of stakeholders, relationships and complaints."""

from __future__ import annotations

from relgraph.store.cypher import CypherLibrary
from relgraph.store.runner import Runner


class Listing:
    """Paged list queries; filters become Cypher predicates over allowlisted keys only."""

    def __init__(self, runner: Runner, cypher: CypherLibrary) -> None:
        self.runner = runner
        self.cypher = cypher
