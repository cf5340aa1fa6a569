"""Every customer's key-account result, kept as columns and made into objects on demand.

A page of `keyAccounts` shows 50 accounts and a CSV report wants figures, not objects, yet
the whole population must be scored (revenue and dependency are relative to it). At 100k
customers a frozen `KeyAccount` with its `KeyAccountScore` and `Criteria` costs seconds on
its own, so the scores stay in columns (`KeyAccountColumns`) and `RankedAccounts` builds a
`KeyAccount` only for the rows someone reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, overload

import numpy as np
import numpy.typing as npt

from relgraph.domain.enums import Tier
from relgraph.scoring import accounts as ka

Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class KeyAccount:
    """One customer organisation's key-account score, with the figures it came from."""

    account_id: str
    name: str
    score: ka.KeyAccountScore
    abc: str
    revenue_12m: float
    revenue_total: float
    potential: float
    tenure_days: float
    strength_now: float
    strength_90d_ago: float
    influence_percentile: float
    referred_revenue: float
    clv: float | None
    stored_tier: Tier | None
    single_threaded: bool
    top_employee_id: str | None
    #: the moment it was scored as of, epoch ms (its recent sentiment is read as of then)
    at_ms: int
    transactional: bool = False
    transactional_reasons: tuple[str, ...] = ()

    @property
    def tier(self) -> Tier:
        return self.score.tier

    @property
    def strength_delta_90d(self) -> float:
        return self.strength_now - self.strength_90d_ago


@dataclass(frozen=True, repr=False)
class KeyAccountColumns:
    """Every scored customer's figures, one column each, in the customers' read order.

    Row k of every column is one account; `KeyAccount` and `KeyAccountScore` hold the
    meaning of each figure. `scores` carries the score, the criteria, the raw shares, the
    loss impact and the tier; `at_ms` is the moment they were all computed as of.
    """

    ids: Sequence[str]
    names: Sequence[str]
    scores: ka.ScoreColumns
    abc: Sequence[str]
    revenue_12m: Floats
    revenue_total: Floats
    potential: Floats
    tenure_days: Floats
    strength_now: Floats
    strength_90d_ago: Floats
    influence_percentile: Floats
    referred_revenue: Floats
    clv: Sequence[float | None]
    stored_tier: Sequence[Tier | None]
    single_threaded: Sequence[bool]
    top_employee_id: Sequence[str | None]
    transactional: Sequence[bool]
    transactional_reasons: Sequence[tuple[str, ...]]
    at_ms: int

    def __post_init__(self) -> None:
        """Read-only from here on: one result is cached and shared by concurrent requests."""
        for name, value in vars(self).items():
            if isinstance(value, np.ndarray):
                value.setflags(write=False)
            elif isinstance(value, list):
                object.__setattr__(self, name, tuple(value))
        s = self.scores
        for array in (s.score, s.loss_impact, s.revenue_share_raw, s.loss_share, *s.criteria.values()):
            array.setflags(write=False)

    def __len__(self) -> int:
        return len(self.ids)

    def __repr__(self) -> str:  # not 100k rows of figures in a log line or a task's repr
        return f"KeyAccountColumns({len(self)} accounts)"

    def account(self, k: int) -> KeyAccount:
        """Row k as the one-account form."""
        s = self.scores
        score = ka.KeyAccountScore(
            account_id=self.ids[k], score=float(s.score[k]), tier=s.tiers[k],
            breakdown=ka.Criteria(*(float(s.criteria[name][k]) for name in ka.CRITERIA)),
            revenue_share_raw=float(s.revenue_share_raw[k]), loss_impact=float(s.loss_impact[k]),
            loss_share=float(s.loss_share[k]),
        )
        return KeyAccount(
            account_id=self.ids[k], name=self.names[k], score=score, abc=self.abc[k],
            revenue_12m=float(self.revenue_12m[k]), revenue_total=float(self.revenue_total[k]),
            potential=float(self.potential[k]), tenure_days=float(self.tenure_days[k]),
            strength_now=float(self.strength_now[k]), strength_90d_ago=float(self.strength_90d_ago[k]),
            influence_percentile=float(self.influence_percentile[k]),
            referred_revenue=float(self.referred_revenue[k]), clv=self.clv[k], stored_tier=self.stored_tier[k],
            single_threaded=self.single_threaded[k], top_employee_id=self.top_employee_id[k], at_ms=self.at_ms,
            transactional=self.transactional[k], transactional_reasons=self.transactional_reasons[k],
        )

    def ranked(self) -> RankedAccounts:
        """Best score first, then by id (a total order, so pages are stable)."""
        ids = np.array(self.ids)
        # lexsort's last key is the primary one: score descending, then id ascending
        order = np.lexsort((ids, -self.scores.score)) if len(self) else np.zeros(0, dtype=np.intp)
        return RankedAccounts(self, order)


class RankedAccounts(Sequence[KeyAccount]):
    """Scored accounts in rank order, a `KeyAccount` built for each row read.

    Immutable: filters (`of_tier`, `key`) return new views over the same columns.
    """

    __slots__ = ("columns", "_order")

    def __init__(self, columns: KeyAccountColumns, order: npt.NDArray[np.intp]) -> None:
        self.columns = columns
        self._order = order
        order.setflags(write=False)

    def __len__(self) -> int:
        return len(self._order)

    @overload
    def __getitem__(self, i: int) -> KeyAccount: ...

    @overload
    def __getitem__(self, i: slice) -> list[KeyAccount]: ...

    def __getitem__(self, i: int | slice) -> KeyAccount | list[KeyAccount]:
        if isinstance(i, slice):
            return [self.columns.account(k) for k in self._order[i].tolist()]
        return self.columns.account(int(self._order[i]))

    def __repr__(self) -> str:
        return f"RankedAccounts({len(self)} of {len(self.columns)} accounts)"

    def _where(self, keep: npt.NDArray[np.bool_]) -> RankedAccounts:
        return RankedAccounts(self.columns, self._order[keep[self._order]])

    def of_tier(self, tier: Tier | None) -> RankedAccounts:
        """The accounts scored in `tier` (all of them for None), still in rank order."""
        if tier is None:
            return RankedAccounts(self.columns, self._order)
        return self._where(np.fromiter((t is tier for t in self.columns.scores.tiers), bool, len(self.columns)))

    def key(self) -> RankedAccounts:
        """The key accounts: scored KEY, or recorded as KEY by an analyst."""
        c = self.columns
        keep = np.fromiter(
            (t is Tier.KEY or s is Tier.KEY for t, s in zip(c.scores.tiers, c.stored_tier)), bool, len(c)
        )
        return self._where(keep)

    def head(self, first: int | None) -> RankedAccounts:
        """The first `first` accounts (all for None)."""
        return RankedAccounts(self.columns, self._order[:first])

    def account_ids(self) -> list[str]:
        return self.column("ids")

    def column(self, name: str) -> list[Any]:
        """One figure of every account here, in rank order: a `KeyAccountColumns` field,
        or `score`, `tier`, `revenue_share_raw`, `loss_impact`, `loss_share`, or a criterion."""
        c, s = self.columns, self.columns.scores
        values: Any
        if name in ka.CRITERIA:
            values = s.criteria[name]
        elif name == "tier":
            values = s.tiers
        elif name in ("score", "revenue_share_raw", "loss_impact", "loss_share"):
            values = getattr(s, name)
        else:
            values = getattr(c, name)
        if isinstance(values, np.ndarray):
            return values[self._order].tolist()  # type: ignore[no-any-return]
        return [values[k] for k in self._order.tolist()]
