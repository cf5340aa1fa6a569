"""Strength parameters from settings: the bridge between `RELGRAPH_STRENGTH_*` and scoring."""

from __future__ import annotations

from relgraph.config import Settings
from relgraph.domain.enums import InteractionType
from relgraph.scoring.strength import DEFAULT_WEIGHTS, StrengthParams


def parse_weights(spec: str) -> dict[InteractionType, float]:
    """`MEETING=3,EMAIL=0.5` over the default weights; unknown types are an error."""
    weights = dict(DEFAULT_WEIGHTS)
    for item in filter(None, (part.strip() for part in spec.split(","))):
        name, _, value = item.partition("=")
        try:
            weights[InteractionType(name.strip().upper())] = float(value)
        except ValueError:
            raise ValueError(f"strength weight {item!r}: expected TYPE=number with a known TYPE") from None
    return weights


def strength_params(settings: Settings) -> StrengthParams:
    excellent, good, fair = (float(x) for x in settings.health_thresholds.split(","))
    return StrengthParams(
        weights=parse_weights(settings.strength_weights),
        half_life_days=settings.strength_half_life_days,
        saturation_k=settings.strength_saturation_k,
        excellent=excellent,
        good=good,
        fair=fair,
    )
