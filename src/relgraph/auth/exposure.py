"""Safe defaults: relgraph runs without credentials only where that harms no one.

On a loopback address with no API key and no JWT configured, it runs open (and says
so). Bound to any other address it refuses to start without credentials, unless the
operator insists with `--insecure`. The same rule holds at run time: a server on a
public address whose last key is revoked refuses every request rather than opening up.

Running open on loopback is safe only if what reaches the server really comes from this
machine's own programs. A web page can get there too: its name may resolve to 127.0.0.1
(DNS rebinding), so the browser sends the page's requests, and lets it read the answers,
to the local server. Such a request names the page's host in `Host`, and a page's
cross-site request names it in `Origin`, so an open server answers only requests whose
`Host` and `Origin` (when present) are loopback names (`foreign_caller`).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

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


def loopback_authority(host: str) -> bool:
    """Whether a `Host` header (`name`, `name:port`, `[v6]:port`) names a loopback address."""
    value = host.strip()
    if value.startswith("["):
        name, closed, rest = value[1:].partition("]")
        port_ok = closed and (not rest or (rest.startswith(":") and rest[1:].isdigit()))
    else:
        name, colon, port = value.partition(":")
        port_ok = not colon or port.isdigit()
    return bool(port_ok) and bool(name) and is_loopback(name)


def loopback_origin(origin: str) -> bool:
    """Whether an `Origin` header is a page served from a loopback name (`null`, the origin
    of sandboxed frames and local files, is not)."""
    try:
        parts = urlsplit(origin.strip())
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and is_loopback(parts.hostname or "")


def foreign_caller(host: str | None, origin: str | None) -> str | None:
    """Why a request may come from a web page rather than from this machine, or None.

    A request without `Host` (HTTP/1.0) cannot be a browser's, and one without `Origin`
    is not a cross-site request of a page: either header counts only when present.
    """
    if host is not None and not loopback_authority(host):
        return f"it was sent for the host {host.strip()[:100]!r}"
    if origin is not None and not loopback_origin(origin):
        return f"it comes from a web page of {origin.strip()[:100]!r}"
    return None


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
