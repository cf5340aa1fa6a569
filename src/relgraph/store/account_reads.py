"""The store's reads for key accounts and account care (DOMAIN.md §4, §5).

Every read here looks at the whole network on purpose (key accounts are scored relative
to all customers), so each one lives in a `cypher/network_*.cypher` file and returns
plain rows; `relgraph.services.accounts` turns them into scores and lists.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from relgraph.domain import complaints as lifecycle
from relgraph.domain.enums import Tier
from relgraph.domain.time import to_ms
from relgraph.scoring import care
from relgraph.store.json_rows import read_rows

if TYPE_CHECKING:
    from relgraph.store.cypher import CypherLibrary
    from relgraph.store.runner import Runner


def last_contact_params(account_ids: list[str], until_ms: int) -> dict[str, Any]:
    """Parameters of `plan_last_contacts.cypher`: which interaction types are contacts
    comes from `care` alone, so the query and the pure rule cannot drift apart."""
    return {
        "ids": account_ids,
        "until": until_ms,
        "exchanges": sorted(t.value for t in care.EXCHANGE_CONTACTS),
        "outreach": sorted(t.value for t in care.OUTREACH_CONTACTS),
    }


def plan_view(props: dict[str, Any], last_contact_ms: int | None) -> care.PlanView:
    """A stored plan as `care.plan_due` reads it. A plan stored before owners' dates were
    told apart from the cadence's default keeps its stored date as the owner's."""
    planned = props.get("next_contact_planned", True)
    due = props.get("next_contact_due")
    cadence = props.get("cadence_days")
    return care.PlanView(
        account_id=props.get("account_id") or props["id"],
        tier=Tier(props["tier"]) if props.get("tier") else None,
        owner_id=props.get("owner_id"),
        cadence_days=float(cadence) if cadence is not None else None,
        last_contact_ms=last_contact_ms,
        next_contact_ms=int(due) if planned and due is not None else None,
        since_ms=int(props["updated_at"]) if props.get("updated_at") is not None else None,
    )


class AccountStore:
    """Mixed into GraphStore; uses its `runner` and `cypher`."""

    runner: Runner
    cypher: CypherLibrary

    async def _network(self, name: str, **params: Any) -> list[dict[str, Any]]:
        return await read_rows(self.runner, self.cypher, name, params)

    async def customer_accounts(self) -> list[dict[str, Any]]:
        """Customer organisations (not archived): id, name, tier, potential, margin,
        retention, influence_percentile, since, price_sensitive, demand."""
        return await self._network("network_customers")

    async def order_revenue(self, since: datetime, until: datetime) -> dict[str, tuple[float, float, int]]:
        """Per customer: (ORDER value in (since, until], ORDER value up to until, ORDERs up to until)."""
        rows = await self._network("network_order_revenue", since=to_ms(since), until=to_ms(until))
        return {
            r["id"]: (float(r["revenue_window"] or 0.0), float(r["revenue_total"] or 0.0), int(r["orders_total"] or 0))
            for r in rows
        }

    async def customer_people(self) -> list[tuple[str, str]]:
        """(person, organisation) for every current person of a customer organisation."""
        return [(r["person"], r["org"]) for r in await self._network("network_customer_people")]

    async def our_staff(self) -> tuple[set[str], set[str]]:
        """(the organisations that are us, whoever currently works for one of them)."""
        rows = await self._network("network_our_staff")
        return {r["us"] for r in rows}, {e for r in rows for e in r["staff"] if e is not None}

    async def competitor_sides(self) -> list[tuple[str, str]]:
        """(stakeholder, competitor it counts for) for every COMPETITOR stakeholder."""
        return [(r["id"], r["competitor"]) for r in await self._network("network_competitor_sides")]

    async def competitor_buys(self) -> list[dict[str, Any]]:
        """Rows (org, competitor, assessed): active BUYS_FROM a competitor."""
        return await self._network("network_competitor_buys")

    async def buying_since(self) -> dict[str, int]:
        """When each customer started buying from us (earliest BUYS_FROM to us), epoch ms."""
        rows = await self._network("network_buys_from_us")
        return {r["org"]: int(r["started"]) for r in rows if r["started"] is not None}

    async def referrals(self) -> list[dict[str, Any]]:
        """Rows (a, b, assessed): active REFERRED / INFLUENCES from a to b."""
        return await self._network("network_referrals")

    async def complaints_received(self, since: datetime, until: datetime) -> list[dict[str, Any]]:
        """Rows (sid, c): complaints received in [since, until]."""
        return await self._network("network_complaints", since=to_ms(since), until=to_ms(until))

    async def open_complaints(self) -> list[dict[str, Any]]:
        """Rows (sid, c): complaints in an open status."""
        return await self._network(
            "network_open_complaints", open=sorted(s.value for s in lifecycle.OPEN_STATUSES)
        )

    async def all_account_plans(self) -> list[dict[str, Any]]:
        """The stored properties of every account plan."""
        return [r["p"] for r in await self._network("network_account_plans")]

    async def last_contacts(self, account_ids: list[str], until: datetime) -> dict[str, int]:
        """Per account: the time of our last real contact with it or its people up to
        `until` (`care.is_contact`); accounts never contacted are left out."""
        if not account_ids:
            return {}
        rows = await self.runner.read(
            self.cypher.query("plan_last_contacts"), last_contact_params(account_ids, to_ms(until))
        )
        return {r["account"]: int(r["last"]) for r in rows if r["last"] is not None}

    async def complaint_customers(self, since: datetime, until: datetime) -> list[dict[str, Any]]:
        """Rows (sid, id, category, received_at, org, org_kind): complaints received in
        [since, until], one row per organisation their complainant worked for then (org
        None when none)."""
        return await self._network("network_complaint_customers", since=to_ms(since), until=to_ms(until))

    async def stakeholder_counts(self) -> list[tuple[str, str | None, int]]:
        """(kind, tier, count) of stakeholders that are not archived."""
        return [(r["kind"], r["tier"], int(r["n"])) for r in await self._network("network_stakeholder_counts")]

    async def all_complaints(self, until: datetime) -> list[dict[str, Any]]:
        """Rows (sid, c): every complaint received up to `until` (as-of complaint views)."""
        return await self._network("network_complaints", since=0, until=to_ms(until))

    async def our_side(self) -> set[str]:
        """The company itself and everyone who works or worked for it."""
        rows = await self._network("network_our_people")
        return {i for r in rows for i in [r["us"], *r["people"]] if i is not None}

    async def prospect_interactions(self, org_ids: list[str], since: datetime, until: datetime) -> list[dict[str, Any]]:
        """Rows (org, side, id, type, at, initiator_id, participant_ids): interactions in
        (since, until] of these organisations and their people."""
        if not org_ids:
            return []
        return await self._network(
            "network_prospect_interactions", ids=org_ids, since=to_ms(since), until=to_ms(until)
        )

    async def supplier_spend(self, since: datetime, until: datetime) -> list[dict[str, Any]]:
        """Rows (id, name, category, spend, orders, active): our suppliers and our spend on
        each in (since, until]."""
        return await self._network("network_supplier_spend", since=to_ms(since), until=to_ms(until))

    async def sentiment_of(self, ids: list[str], since: datetime, until: datetime) -> dict[str, list[tuple[int, float]]]:
        """Per stakeholder: (at, sentiment) of each interaction with a sentiment in (since,
        until] that it, or for an organisation one of its people before leaving, took part in."""
        if not ids:
            return {}
        rows = await self._network("sentiment_of", ids=ids, since=to_ms(since), until=to_ms(until))
        seen: set[tuple[str, str]] = set()
        out: dict[str, list[tuple[int, float]]] = {}
        for r in rows:
            if (r["sid"], r["id"]) in seen or not isinstance(r["sentiment"], (int, float)):
                continue
            seen.add((r["sid"], r["id"]))
            out.setdefault(r["sid"], []).append((int(r["at"]), float(r["sentiment"])))
        return out
