"""The store's reads for key accounts and account care (DOMAIN.md §4, §5)."""

from __future__ import annotations


class AccountStore:
    """Mixed into GraphStore; uses its `runner` and `cypher`."""
