"""What `relgraph serve` checks about access control before it starts uvicorn."""

from __future__ import annotations

import asyncio
import logging

from relgraph.auth.exposure import StartDecision, start_decision
from relgraph.auth.jwt import JwtVerifier
from relgraph.config import Settings
from relgraph.store.graph_store import GraphStore

log = logging.getLogger("relgraph.auth")


async def _keys_in_force(settings: Settings) -> bool | None:
    """Whether the store holds a key in force; None when the database does not answer."""
    from relgraph.store.factory import make_store

    store = None
    try:
        store = await asyncio.to_thread(make_store, settings)
        return await asyncio.wait_for(_ask(store), timeout=2 * settings.db_connect_timeout + 5)
    except Exception as exc:  # noqa: BLE001 - "could not ask" is an answer here
        log.warning("could not check for API keys: %s", type(exc).__name__)
        return None
    finally:
        if store is not None:
            await store.close()


async def _ask(store: GraphStore) -> bool:
    await store.setup()  # a fresh FalkorDB graph answers no query before it exists
    return await store.has_active_api_keys()


def access_at_start(settings: Settings) -> StartDecision:
    """The decision for this server; ValueError when the JWT settings are unusable."""
    JwtVerifier.from_settings(settings)  # fail now, not in every worker
    return start_decision(settings, keys_in_force=asyncio.run(_keys_in_force(settings)))
