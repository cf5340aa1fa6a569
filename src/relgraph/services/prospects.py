"""Prospects sorted by demand (DOMAIN.md §4; seed 001, step 2: CLEAR, LATENT, NONE).

A prospect is a customer organisation (not archived) that has not bought from us by the
moment asked about: no ORDER with us up to then and no BUYS_FROM to us started by then.
Its demand class is the analyst's recorded `demand` when there is one, else what its
last 90 days of contact with us say (`scoring.accounts.demand_signals`/`demand_class`).
The gathering choices are in `docs/key-accounts.md` ("Prospects and demand").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable

from relgraph.domain.enums import Demand, InteractionType
from relgraph.domain.time import DAY_MS, from_ms
from relgraph.scoring import accounts as ka
from relgraph.services.account_cache import View, view
from relgraph.store.graph_store import GraphStore

#: Demand signals count over this many days before the moment.
DEMAND_WINDOW_DAYS = 90
#: Prospects are listed by demand in this order (a stated need first).
DEMAND_ORDER = {Demand.CLEAR: 0, Demand.LATENT: 1, Demand.NONE: 2}


@dataclass(frozen=True)
class Prospect:
    """A prospect with its demand class, the analyst's call if any, and the signals seen."""

    account_id: str
    name: str
    demand: Demand
    recorded_demand: Demand | None
    signals: ka.DemandSignals
    potential: float


async def prospects(
    store: GraphStore, demand: Iterable[Demand] | None = None, at: datetime | None = None
) -> list[Prospect]:
    """Prospects by demand (CLEAR, LATENT, NONE), then by potential (largest first), then
    id; only the classes in `demand` when given. Cached while the network version stands."""
    v = await view(store, at)
    wanted = set(demand) if demand else None
    return [p for p in await v.get("prospects", (), lambda: _prospects(v)) if wanted is None or p.demand in wanted]


async def _prospects(v: View) -> list[Prospect]:
    store, at_ms = v.store, v.at_ms
    customers = await store.customer_accounts()
    revenue = await store.order_revenue(from_ms(at_ms), v.at)  # type: ignore[arg-type]
    buying = await store.buying_since()
    candidates = [
        c for c in customers
        if revenue.get(c["id"], (0.0, 0.0, 0))[2] == 0 and not (c["id"] in buying and buying[c["id"]] <= at_ms)
    ]
    events = await _events(v, [c["id"] for c in candidates])
    out = []
    for c in candidates:
        sid = c["id"]
        recorded = Demand(c["demand"]) if c.get("demand") else None
        signals = ka.demand_signals(events.get(sid, []), at_ms, DEMAND_WINDOW_DAYS)
        cls = ka.demand_class(recorded, enquiries=signals.enquiries, feedback=signals.feedback,
                              engagement=signals.engagement)
        potential = c.get("potential")
        out.append(Prospect(sid, c.get("name") or sid, cls, recorded, signals,
                            float(potential) if isinstance(potential, (int, float)) else 0.0))
    out.sort(key=lambda p: (DEMAND_ORDER[p.demand], -p.potential, p.account_id))
    return out


async def _events(v: View, org_ids: list[str]) -> dict[str, list[tuple[InteractionType, bool, int]]]:
    """Per prospect: (type, inbound, at) of each interaction with us in the window, once each.

    An interaction counts when one of our side (the company or anyone who works or
    worked for it) took part; it is inbound when the prospect's side started it.
    """
    since = from_ms(v.at_ms - DEMAND_WINDOW_DAYS * DAY_MS)
    rows = await v.store.prospect_interactions(org_ids, since, v.at)  # type: ignore[arg-type]
    ours = await v.store.our_side()
    sides: dict[str, set[str]] = {}
    for r in rows:
        sides.setdefault(r["org"], {r["org"]}).add(r["side"])
    seen: set[tuple[str, str]] = set()
    out: dict[str, list[tuple[InteractionType, bool, int]]] = {}
    for r in rows:
        org = r["org"]
        if (org, r["id"]) in seen or not ours.intersection(_ids(r["participant_ids"])):
            continue
        seen.add((org, r["id"]))
        inbound = r["initiator_id"] in sides[org]
        out.setdefault(org, []).append((InteractionType(r["type"]), inbound, int(r["at"])))
    return out


def _ids(value: Any) -> list[str]:
    return list(value) if isinstance(value, (list, tuple)) else []
