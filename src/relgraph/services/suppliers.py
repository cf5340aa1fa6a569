"""Supplier dependency (issue 6 §2): how much we depend on each supplier, and how spread
our spend is (`scoring.accounts.supplier_dependency`).

Spend is the value of the ORDER interactions a supplier organisation took part in and
did not start (we ordered from it) over the trailing 12 months; a supplier's category is
its `industry` (suppliers of one industry can stand in for each other; none = no known
substitute). Suppliers with an active SUPPLIES to us but no spend are listed with zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from relgraph.domain.time import DAY_MS, from_ms
from relgraph.scoring import accounts as ka
from relgraph.services.account_cache import View, view
from relgraph.services.accounts import REVENUE_WINDOW_DAYS
from relgraph.store.graph_store import GraphStore


@dataclass(frozen=True)
class SupplierRow:
    """One supplier's dependency figures, with its name and order count."""

    name: str
    orders: int
    active: bool
    dependency: ka.SupplierDependency


@dataclass(frozen=True)
class SupplierDependencies:
    """Every supplier, most depended on first, and the concentration of our spend."""

    total_spend: float
    hhi: float
    effective_suppliers: float
    suppliers: list[SupplierRow]


async def supplier_dependency(store: GraphStore, at: datetime | None = None) -> SupplierDependencies:
    """Our dependency on each supplier at `at` (cached while the network version stands)."""
    v = await view(store, at)
    return await v.get("suppliers", (), lambda: _suppliers(v))


async def _suppliers(v: View) -> SupplierDependencies:
    since = from_ms(v.at_ms - REVENUE_WINDOW_DAYS * DAY_MS)
    rows = {r["id"]: r for r in await v.store.supplier_spend(since, v.at)}  # type: ignore[arg-type]
    spend = {sid: max(0.0, float(r["spend"] or 0.0)) for sid, r in rows.items()}
    categories = {sid: str(r["category"]) for sid, r in rows.items() if r["category"]}
    deps = ka.supplier_dependency(spend, categories)
    ranked = ka.top_suppliers(deps, len(deps))
    hhi = ka.herfindahl(spend.values())
    return SupplierDependencies(
        total_spend=sum(spend.values()),
        hhi=hhi,
        effective_suppliers=1.0 / hhi if hhi > 0 else 0.0,
        suppliers=[SupplierRow(rows[d.supplier_id]["name"] or d.supplier_id, int(rows[d.supplier_id]["orders"] or 0),
                               bool(rows[d.supplier_id]["active"]), d) for d in ranked],
    )
