"""Key-account settings for the scoring: the bridge between `RELGRAPH_TIER_*`,
`RELGRAPH_CLV_DISCOUNT_RATE` and `relgraph.scoring.accounts` (as `strength_config` is for strength)."""

from __future__ import annotations

from relgraph.config import Settings
from relgraph.scoring.accounts import TierThresholds


def tier_thresholds(settings: Settings) -> TierThresholds:
    """The KEY and SUITABLE score cut-offs (validated by `Settings`: in [0, 1], KEY above SUITABLE)."""
    return TierThresholds(key=settings.tier_key_threshold, suitable=settings.tier_suitable_threshold)


def clv_discount(settings: Settings) -> float:
    """The discount rate d of CLV = m * r / (1 + d - r)."""
    return settings.clv_discount_rate
