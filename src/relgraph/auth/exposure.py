"""Safe defaults: relgraph runs without credentials only where that harms no one.

On a loopback address with no API key and no JWT configured, it runs open (and says
so). Bound to any other address it refuses to start without credentials, unless the
operator insists with `--insecure`. The same rule holds at run time: a server on a
public address whose last key is revoked refuses every request rather than opening up.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from relgraph.config import Settings


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 and `localhost`; an empty host means every interface."""
    name = host.strip().strip("[]").lower()
    if name in ("localhost", "localhost.localdomain") or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def may_run_open(settings: Settings) -> bool:
    """Whether requests may run without credentials when none are configured."""
    return is_loopback(settings.host) or settings.insecure


@dataclass(frozen=True)
class StartDecision:
    start: bool
    message: str
    loud: bool = False


def start_decision(settings: Settings, *, keys_in_force: bool | None) -> StartDecision:
    """What `relgraph serve` does about access control. `keys_in_force` is None when the
    database could not be asked (it then starts; requests are checked when it answers)."""
    where = f"{settings.host}:{settings.port}"
    jwt = bool(settings.jwt_secret or settings.jwt_public_key)
    if jwt or keys_in_force:
        means = " and ".join(m for m, on in (("API keys", keys_in_force), ("JWT", jwt)) if on)
        return StartDecision(True, f"relgraph: access control on ({means})")
    if keys_in_force is None:
        then = ("requests run open until a key is found" if may_run_open(settings)
                else "every request is refused until a key is found")
        return StartDecision(
            True, f"relgraph: could not check for API keys (the database is not answering); {then}", loud=True
        )
    if is_loopback(settings.host):
        return StartDecision(
            True,
            "relgraph: no API keys or JWT configured: the API is OPEN to anyone on this machine "
            "(`relgraph keys create --role admin` turns access control on)",
        )
    if settings.insecure:
        return StartDecision(
            True,
            f"relgraph: WARNING: --insecure: the API on {where} is OPEN to anyone who can reach it, "
            "with full rights: reads, writes and API keys. Create a key (`relgraph keys create "
            "--role admin`) or configure JWT to close it.",
            loud=True,
        )
    return StartDecision(
        False,
        f"relgraph: refusing to serve on {where} without authentication: anyone who can reach it "
        "could read and change everything. Create an API key (`relgraph keys create --role admin`), "
        "set --jwt-secret or --jwt-public-key, bind to 127.0.0.1, or pass --insecure to serve "
        "open anyway.",
    )
