"""Influence for a freshly loaded demo network.

Influence is computed on demand (`refreshInfluence`, `relgraph influence`) or on a
schedule (RELGRAPH_INFLUENCE_MAX_AGE_S), and neither has run on a network just loaded:
`topInfluencers` would be empty and every key account's influence criterion 0. A demo is
for exploring, so loading one computes influence once, straight after.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from relgraph.services.influence import RefreshResult
    from relgraph.store.graph_store import GraphStore


async def refresh_demo_influence(store: GraphStore) -> RefreshResult:
    from relgraph.services import influence  # networkx and igraph: only when a demo is loaded

    return await influence.refresh(store)


def demo_influence_line(result: RefreshResult) -> str:
    return f"Influence computed for {result.nodes:,} stakeholders over {result.ties:,} ties in {result.seconds:.1f} s."
