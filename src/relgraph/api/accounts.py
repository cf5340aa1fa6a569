"""Key accounts and account care in the API (DOMAIN.md §4, §5)."""

from __future__ import annotations

import strawberry


@strawberry.type
class AccountsQuery:
    pass
