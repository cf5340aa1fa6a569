"""Account plans (DOMAIN.md §5): how often each tier of account is contacted."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from relgraph.domain.enums import Tier

DEFAULT_CADENCE_DAYS: dict[Tier, int] = {Tier.KEY: 14, Tier.SUITABLE: 30, Tier.GENERAL: 90}


@dataclass(frozen=True)
class Cadence:
    """Contact cadence by tier; an account without a tier is treated as GENERAL."""

    days: dict[Tier, int] = field(default_factory=lambda: dict(DEFAULT_CADENCE_DAYS))

    def for_tier(self, tier: Tier | None) -> int:
        return self.days[tier or Tier.GENERAL]

    def next_due(self, tier: Tier | None, cadence_days: int | None, after: datetime) -> datetime:
        """When the next contact is due, counting from the last contact (or now)."""
        return after + timedelta(days=cadence_days or self.for_tier(tier))
