"""The `relgraph` command. Each subcommand lives in its own module of this package.

Every option is also a `RELGRAPH_*` environment variable: click reads the variable when
the flag is absent, and `settings_from` turns the flags into one `Settings`.
"""

from __future__ import annotations

import importlib
from typing import Any, Callable

import click

from relgraph import __version__
from relgraph.config import Settings

#: Subcommand modules, each exposing `commands` or `command` (click commands).
SUBCOMMANDS = ("serve", "demo", "transfer", "report", "influence", "keys", "strength")


def settings_from(**flags: Any) -> Settings:
    """Settings from the environment, with the flags that were given written over them."""
    given = {k: v for k, v in flags.items() if v is not None}
    return Settings(**given)


def storage_options(func: Any) -> Any:
    """The flags that choose and reach the database, shared by every command."""
    options = [
        click.option("--data-dir", envvar="RELGRAPH_DATA_DIR", type=click.Path(file_okay=False), default=None,
                     help="Embedded FalkorDB data directory [default: ./.relgraph]."),
        click.option("--falkordb-url", envvar="RELGRAPH_FALKORDB_URL", default=None,
                     help="External FalkorDB (redis://host:port or unix:///path) instead of the embedded one."),
        click.option("--neo4j-uri", envvar="RELGRAPH_NEO4J_URI", default=None,
                     help="Use Neo4j at this bolt:// or neo4j:// URI."),
        click.option("--neo4j-user", envvar="RELGRAPH_NEO4J_USER", default=None, help="Neo4j user."),
        click.option("--neo4j-password", envvar="RELGRAPH_NEO4J_PASSWORD", default=None, help="Neo4j password."),
        click.option("--neo4j-database", envvar="RELGRAPH_NEO4J_DATABASE", default=None, help="Neo4j database."),
        click.option("--graph", envvar="RELGRAPH_GRAPH", default=None, help="Graph name inside FalkorDB [default: relgraph]."),
        click.option("--db-timeout", envvar="RELGRAPH_DB_TIMEOUT", type=float, default=None,
                     help="Seconds a database call may take [default: 30]."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def policy_options(func: Any) -> Any:
    """The flags of the scoring and care model (strength, health, complaint deadlines)."""
    options = [
        click.option("--strength-half-life-days", envvar="RELGRAPH_STRENGTH_HALF_LIFE_DAYS", type=float, default=None,
                     help="Half-life H of an interaction's weight, in days [default: 90]."),
        click.option("--strength-saturation-k", envvar="RELGRAPH_STRENGTH_SATURATION_K", type=float, default=None,
                     help="Saturation constant k of the strength formula [default: 6]."),
        click.option("--strength-weights", envvar="RELGRAPH_STRENGTH_WEIGHTS", default=None,
                     help="Interaction weights over the defaults, e.g. MEETING=3,EMAIL=0.5."),
        click.option("--health-thresholds", envvar="RELGRAPH_HEALTH_THRESHOLDS", default=None,
                     help="Strength at which EXCELLENT, GOOD and FAIR begin [default: 0.75,0.5,0.25]."),
        click.option("--complaint-respond-hours", envvar="RELGRAPH_COMPLAINT_RESPOND_HOURS", type=float, default=None,
                     help="A complaint's first response is due after this many hours [default: 24]."),
        click.option("--complaint-resolve-days", envvar="RELGRAPH_COMPLAINT_RESOLVE_DAYS", type=float, default=None,
                     help="A complaint's resolution is due after this many days [default: 7]."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _click_type(annotation: Any) -> Any:
    """The click type of a simple Settings annotation (`int`, `float`, `str`, optional ones)."""
    for kind in (bool, int, float):
        if annotation is kind or annotation == kind | None:
            return kind
    return str


def options_for(*names: str) -> Callable[[Any], Any]:
    """Flags for Settings fields, built from the field's own type, default and description."""
    from relgraph.config import env_name, flag_name

    def decorate(func: Any) -> Any:
        for name in reversed(names):
            field = Settings.model_fields[name]
            kind = _click_type(field.annotation)
            shown = "unset" if field.default is None else field.default
            help_text = f"{field.description} [default: {shown}]"
            flag = flag_name(name)
            if kind is bool:
                option = click.option(f"{flag}/--no-{flag[2:]}", name, envvar=env_name(name), default=None, help=help_text)
            else:
                option = click.option(flag, name, envvar=env_name(name), type=kind, default=None, help=help_text)
            func = option(func)
        return func

    return decorate


#: The access-control, query-limit and fault-tolerance flags of `relgraph serve`.
security_options = options_for(
    "production", "insecure",
    "jwt_secret", "jwt_public_key", "jwt_issuer", "jwt_audience", "jwt_role_claim", "jwt_role_map", "auth_cache_s",
    "max_depth", "max_aliases", "max_selections", "max_tokens", "max_cost", "max_body_bytes", "max_string_length", "max_operations",
    "validated_documents", "db_connect_timeout", "db_retries",
)


@click.group()
@click.version_option(__version__, prog_name="relgraph")
def main() -> None:
    """relgraph: relationship marketing on a stakeholder graph."""


for _name in SUBCOMMANDS:
    _module = importlib.import_module(f"relgraph.cli.{_name}")
    for _command in getattr(_module, "commands", (getattr(_module, "command", None),)):
        main.add_command(_command)
