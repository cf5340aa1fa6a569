"""The store's reads and writes for influence (DOMAIN.md §3): projection and write-back."""

from __future__ import annotations


class InfluenceStore:
    """Mixed into GraphStore; uses its `runner` and `cypher`."""
