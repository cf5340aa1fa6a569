"""relgraph's settings: every option is a `RELGRAPH_*` environment variable and a CLI flag.

The CLI writes its flags over these, so one `Settings` object is the truth for a process,
and worker processes started by uvicorn read the same variables.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RELGRAPH_", extra="ignore")

    # storage
    data_dir: Path = Field(Path(".relgraph"), description="Embedded FalkorDB data directory.")
    falkordb_url: str | None = Field(
        None,
        description="Use an external FalkorDB (redis://host:port or unix:///path) instead of "
        "starting the embedded one.",
    )
    graph: str = Field("relgraph", description="Graph name inside FalkorDB.")
    neo4j_uri: str | None = Field(None, description="bolt:// or neo4j:// URI; set it to use Neo4j.")
    neo4j_user: str | None = Field(None, description="Neo4j user (none: no auth).")
    neo4j_password: str | None = Field(None, description="Neo4j password.")
    neo4j_database: str | None = Field(None, description="Neo4j database (default: the server's).")
    db_timeout: float = Field(30.0, description="Seconds a database call may take.")

    # serving
    host: str = Field("127.0.0.1", description="Address to bind.")
    port: int = Field(8000, description="Port to bind.")
    workers: int = Field(1, ge=1, description="uvicorn worker processes.")
    demo: bool = Field(False, description="Load the demo network into an empty store at start.")
    demo_seed: int = Field(7, description="Seed of the demo network.")
    demo_size: Literal["tiny", "small", "medium", "large", "xl"] = Field("small", description="Demo size.")
    demo_as_of: datetime | None = Field(
        None, description="Moment (UTC, ISO 8601) the demo's history ends at (unset: the moment it is first loaded)."
    )
    max_page_size: int = Field(500, ge=1, description="Largest `first` a list accepts.")
    max_batch: int = Field(1000, ge=1, description="Largest recordInteractions batch.")
    production: bool = Field(
        False, description="Production mode: no introspection, no GraphiQL, no field suggestions."
    )
    insecure: bool = Field(
        False, description="Serve without authentication on a non-loopback address (refused otherwise)."
    )

    # access control
    jwt_secret: str | None = Field(None, description="Verify JWT bearer tokens with this shared secret (HS256).")
    jwt_public_key: str | None = Field(
        None, description="Verify JWT bearer tokens with this PEM public key, or the path of a PEM file (RS256/ES256)."
    )
    jwt_issuer: str | None = Field(None, description="Required `iss` of JWT bearer tokens.")
    jwt_audience: str | None = Field(None, description="Required `aud` of JWT bearer tokens.")
    jwt_role_claim: str = Field("role", description="JWT claim that holds the role (a string or a list of strings).")
    jwt_role_map: str = Field(
        "", description="Claim values to roles, as value=role pairs: `crm-admins=admin,sales=editor`."
    )
    jwt_role_map_passthrough: bool = Field(
        False, description="With a role map, also take claim values that are role names (`admin`, `viewer`, ...) "
        "as those roles (off: only the map's values grant roles).",
    )
    auth_cache_s: float = Field(
        2.0, ge=0, description="Seconds each process caches a checked API key and whether any key is in force: "
        "a revoked key stops working within this time (0: ask the database on every request)."
    )

    # query limits
    max_depth: int = Field(12, ge=1, description="Deepest selection a query may nest.")
    max_aliases: int = Field(30, ge=1, description="Most aliases in one operation.")
    max_selections: int = Field(
        10_000, ge=1, description="Most field selections one document may stand for once every fragment spread is "
        "written out (a fragment spread n times counts n times)."
    )
    max_tokens: int = Field(2000, ge=1, description="Most tokens in one query document (parsing and validating cost CPU per token).")
    max_cost: int = Field(
        50_000, ge=1, description="Highest estimated cost of one operation (list sizes multiplied along each path)."
    )
    max_body_bytes: int = Field(1_000_000, ge=1, description="Largest request body, in bytes.")
    max_json_depth: int = Field(
        64, ge=1, description="Deepest a request's JSON (a POST body, or a GET's `variables`) may nest, in arrays and objects."
    )
    max_string_length: int = Field(10_000, ge=1, description="Longest string a client may write.")
    max_operations: int = Field(
        0, ge=0, description="Most operations in one batched request (0: batching off)."
    )
    validated_documents: int = Field(
        1024, ge=0, description="How many distinct valid query documents each process remembers (by digest) so that "
        "GraphQL's own checks run once per document; the limits are checked on every request (0: check everything every time)."
    )

    # fault tolerance
    db_connect_timeout: float = Field(
        5.0, gt=0, description="Seconds to wait for a database connection before SERVICE_UNAVAILABLE."
    )
    db_retries: int = Field(2, ge=0, description="Retries of a transient database failure before giving up.")

    # care policy
    complaint_respond_hours: float = Field(24.0, gt=0, description="First response due after.")
    complaint_resolve_days: float = Field(7.0, gt=0, description="Resolution due after.")

    # key accounts (DOMAIN.md §4)
    tier_key_threshold: float = Field(
        0.6, ge=0, le=1, allow_inf_nan=False, description="Key-account score from which an account is KEY (0 to 1)."
    )
    tier_suitable_threshold: float = Field(
        0.35, ge=0, le=1, allow_inf_nan=False,
        description="Key-account score from which an account is SUITABLE (0 to 1, below the KEY threshold).",
    )
    clv_discount_rate: float = Field(
        0.1, ge=0, allow_inf_nan=False, description="Discount rate d per period in CLV = m*r/(1+d-r) (finite, >= 0)."
    )

    influence_max_age_s: float | None = Field(
        None, gt=0, description="Refresh influence in the background when older than this many seconds (unset: off)."
    )

    # strength model (DOMAIN.md §2); changing the half-life needs `relgraph strength rebuild`
    strength_half_life_days: float = Field(90.0, gt=0, description="Half-life H of an interaction's weight, in days.")
    strength_saturation_k: float = Field(6.0, gt=0, description="Saturation constant k of the strength formula.")
    strength_weights: str = Field(
        "",
        description="Interaction weights over the defaults, as TYPE=weight pairs: `MEETING=3,EMAIL=0.5`.",
    )
    health_thresholds: str = Field("0.75,0.5,0.25", description="Strength at which EXCELLENT, GOOD and FAIR begin.")

    @model_validator(mode="after")
    def _tiers_in_order(self) -> Settings:
        """KEY must ask for more than SUITABLE, else no account could be SUITABLE."""
        if not self.tier_key_threshold > self.tier_suitable_threshold:
            raise ValueError(
                f"tier_key_threshold ({self.tier_key_threshold}) must be above "
                f"tier_suitable_threshold ({self.tier_suitable_threshold})"
            )
        return self

    @property
    def backend(self) -> str:
        return "neo4j" if self.neo4j_uri else "falkordb"


def env_name(field: str) -> str:
    return f"RELGRAPH_{field.upper()}"


def flag_name(field: str) -> str:
    return "--" + field.replace("_", "-")


def options_markdown() -> str:
    """docs/configuration.md, generated from `Settings` so that the two never drift."""
    lines = [
        "# Configuration",
        "",
        "Every option is an environment variable and a flag of `relgraph serve` (the storage",
        "options are flags of every command that opens the store). Flags win over variables.",
        "This page is generated from `relgraph.config.Settings` (`python -m relgraph.config`);",
        "a test fails when they differ.",
        "",
        "| variable | flag | default | meaning |",
        "|---|---|---|---|",
    ]
    for name, field in Settings.model_fields.items():
        default = field.default
        shown = "–" if default is None else f"`{default}`"
        lines.append(f"| `{env_name(name)}` | `{flag_name(name)}` | {shown} | {field.description or ''} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(options_markdown(), end="")
