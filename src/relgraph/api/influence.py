"""Influence in the API (DOMAIN.md §3)."""

from __future__ import annotations

import strawberry


@strawberry.type
class InfluenceQuery:
    pass


@strawberry.type
class InfluenceMutation:
    pass
