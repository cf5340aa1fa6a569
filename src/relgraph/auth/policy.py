"""Which GraphQL fields need which permission: money, writes and key management.

Everything not listed here needs only `READ`, which every role has. The money fields
are listed once, below, by GraphQL type and field name; a test walks the schema and
fails when a field whose name sounds like money is in neither `MONEY_FIELDS` nor
`NOT_MONEY`, so a new revenue figure cannot slip past the viewer role unnoticed.
"""

from __future__ import annotations

from relgraph.auth.roles import Permission

#: Amounts of money: analysts and above only. Ratios (shares, margins, 0-1 criteria) are
#: not money: without an amount beside them they reveal none.
MONEY_FIELDS: dict[tuple[str, str], str] = {
    ("Interaction", "value"): "an order's value",
    ("AbcRevenue", "revenue"): "12-month revenue of an ABC class",
    ("KeyAccount", "revenue12m"): "12-month revenue",
    ("KeyAccount", "revenueTotal"): "all-time revenue",
    ("KeyAccount", "lossImpact"): "revenue lost with the account",
    ("KeyAccount", "referredRevenue"): "revenue of those it referred",
    ("KeyAccount", "clv"): "customer lifetime value",
    ("KeyAccount", "potential"): "estimated future business, in revenue's units",
    ("Stakeholder", "potential"): "estimated future business, in revenue's units",
    ("Prospect", "potential"): "estimated future business, in revenue's units",
    ("SupplierDependency", "spend"): "what we spent with a supplier",
    ("SupplierDependencies", "totalSpend"): "what we spent with all suppliers",
}

#: Fields whose names sound like money but are not, with the reason.
NOT_MONEY: dict[tuple[str, str], str] = {
    ("NetworkSummary", "revenueByAbc"): "a list of classes and account counts; its `revenue` is guarded",
    ("KeyAccount", "revenueShare"): "a share of all revenue: a ratio",
    ("KeyAccount", "lossShare"): "a share of all revenue: a ratio",
    ("KeyAccountBreakdown", "revenueShare"): "a 0-1 criterion, log-scaled against the largest account",
    ("KeyAccountBreakdown", "potential"): "a 0-1 ratio, potential / (potential + revenue)",
    ("Stakeholder", "margin"): "a ratio: profit per unit of revenue",
    ("CompetitorStrength", "margin"): "a difference of two tie strengths",
    ("SupplierDependency", "lossImpact"): "share x category share: a ratio",
}

#: API key management: admins only.
KEY_FIELDS = frozenset({("Query", "apiKeys"), ("Mutation", "createApiKey"), ("Mutation", "revokeApiKey")})

#: Root types whose every field needs a permission of its own.
ROOT_PERMISSIONS = {"Query": Permission.READ, "Mutation": Permission.WRITE}

FIELD_PERMISSIONS: dict[tuple[str, str], Permission] = {
    **{field: Permission.READ_MONEY for field in MONEY_FIELDS},
    **{field: Permission.MANAGE_KEYS for field in KEY_FIELDS},
}


def required_permission(type_name: str, field_name: str) -> Permission | None:
    """The permission a field needs beyond being let in, or None for plain fields."""
    return FIELD_PERMISSIONS.get((type_name, field_name)) or ROOT_PERMISSIONS.get(type_name)
