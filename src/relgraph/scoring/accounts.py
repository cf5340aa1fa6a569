"""Key accounts and customer value (DOMAIN.md §4, seeds 001, 002 and 004).

This module is pure: plain functions over frozen dataclasses, no database, no I/O, no
clock and no mutable globals. Every time is an integer count of epoch milliseconds
(UTC); every duration is in days. The formulas, their defaults and the reasons for
them are in ``docs/key-accounts.md``; the docstrings here say *why* each piece is
shaped as it is.

Seed 001 gives key accounts five marks; each becomes a criterion in [0, 1]:

* ``stability``     -- a stable, cooperative relationship (tenure x steadiness x cooperation);
* ``revenue_share`` -- a large share of sales revenue over the trailing 12 months;
* ``dependency``    -- losing them would hurt, counting the revenue they bring in from
  the stakeholders they refer or influence (loss impact across the network);
* ``potential``     -- room to grow: estimated potential against current revenue;
* ``influence``     -- their place in the network (influence percentile).

The key-account score is their weighted mean, reported with its breakdown and a tier.
Revenue and dependency are *relative to the population scored*: score the whole
customer population, then filter (by tier, page, ...) afterwards.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

import numpy as np
import numpy.typing as npt

from relgraph.domain.enums import Demand, InteractionType, Tier
from relgraph.scoring.strength import DURATION_SCALE_DAYS, MS_PER_DAY

#: The five criteria, in the order of DOMAIN.md §4.
CRITERIA: tuple[str, ...] = ("stability", "revenue_share", "dependency", "potential", "influence")

# Machine-readable reasons returned by :func:`transactional`, in the order they are checked.
REASON_PRICE_DRIVEN = "PRICE_DRIVEN"
REASON_LOW_SWITCHING_COST = "LOW_SWITCHING_COST"
REASON_TIES_TO_COMPETITORS = "TIES_TO_COMPETITORS"
REASON_ONE_WAY_CONTACT = "ONE_WAY_CONTACT"
TRANSACTIONAL_REASONS: tuple[str, ...] = (
    REASON_PRICE_DRIVEN,
    REASON_LOW_SWITCHING_COST,
    REASON_TIES_TO_COMPETITORS,
    REASON_ONE_WAY_CONTACT,
)

AbcClass = Literal["A", "B", "C"]


# --------------------------------------------------------------------------- helpers


def _check(condition: bool, message: str) -> None:
    """Raise ValueError so a bad configuration or input fails early, not mid-score."""
    if not condition:
        raise ValueError(message)


def _finite(x: object) -> bool:
    """True for a real, finite number (rejects NaN and infinities that poison sums)."""
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _non_negative(name: str, x: float) -> None:
    if type(x) is float and 0.0 <= x < math.inf:  # the usual case, checked cheaply (NaN fails it)
        return
    _check(_finite(x) and x >= 0.0, f"{name} {x!r} must be finite and >= 0")


def _unit(name: str, x: float) -> None:
    if type(x) is float and 0.0 <= x <= 1.0:  # the usual case, checked cheaply (NaN fails it)
        return
    _check(_finite(x) and 0.0 <= x <= 1.0, f"{name} {x!r} not in [0, 1]")


def _clamp01(x: float) -> float:
    """Guard against float rounding pushing a ratio a hair outside [0, 1]."""
    return min(1.0, max(0.0, x))


def tenure_days(first_ms: int | None, at_ms: int) -> float:
    """Days from the first contact (or relationship start) to ``at_ms``; 0 when none or later."""
    if first_ms is None or at_ms <= first_ms:
        return 0.0
    return (at_ms - first_ms) / MS_PER_DAY


# --------------------------------------------------------------------------- configuration


@dataclass(frozen=True)
class KeyAccountWeights:
    """How much each criterion counts in the key-account score (equal by default).

    Weights are relative: they must be finite and >= 0 with a positive sum, and are
    normalised to sum to 1, so ``(2, 2, 2, 2, 2)`` means the same as the default and the
    score always stays in [0, 1]. A zero weight switches a criterion off.
    """

    stability: float = 1.0
    revenue_share: float = 1.0
    dependency: float = 1.0
    potential: float = 1.0
    influence: float = 1.0

    def __post_init__(self) -> None:
        for name in CRITERIA:
            _non_negative(f"weight {name}", getattr(self, name))
        try:  # each weight is finite, yet their sum may not be (5 x 1e308), and we divide by it
            total = math.fsum(getattr(self, n) for n in CRITERIA)
        except OverflowError:
            total = math.inf
        _check(math.isfinite(total), "weights must have a finite sum: they are relative, so scale them down")
        _check(total > 0.0, "weights must have a positive sum")

    def normalised(self) -> dict[str, float]:
        """The weights scaled to sum to 1, keyed by criterion name."""
        total = math.fsum(getattr(self, n) for n in CRITERIA)
        return {n: getattr(self, n) / total for n in CRITERIA}


@dataclass(frozen=True)
class TierThresholds:
    """Lower score bounds (inclusive) of the KEY and SUITABLE tiers; GENERAL below.

    Defaults KEY >= 0.6 and SUITABLE >= 0.35: with equal weights a KEY account must be
    well above the middle on most criteria (e.g. three at 1 and two at 0 is exactly 0.6),
    and a SUITABLE one must clearly beat a brand-new prospect, whose potential alone
    (1.0) and a median influence (0.5) give 0.3. See ``docs/key-accounts.md``.
    """

    key: float = 0.6
    suitable: float = 0.35

    def __post_init__(self) -> None:
        _check(_finite(self.key) and _finite(self.suitable), "thresholds must be finite")
        _check(0.0 <= self.suitable <= self.key <= 1.0, "need 0 <= suitable <= key <= 1")

    def tier(self, score: float) -> Tier:
        """KEY, SUITABLE or GENERAL for a score (lower bounds inclusive)."""
        if score >= self.key:
            return Tier.KEY
        if score >= self.suitable:
            return Tier.SUITABLE
        return Tier.GENERAL


@dataclass(frozen=True)
class KeyAccountParams:
    """Tunables of the stability criterion (see :func:`stability`)."""

    tenure_scale_days: float = DURATION_SCALE_DAYS
    drop_limit: float = 0.30
    cooperative_strength: float = 0.5

    def __post_init__(self) -> None:
        _check(_finite(self.tenure_scale_days) and self.tenure_scale_days > 0, "tenure_scale_days must be > 0")
        _check(_finite(self.drop_limit) and 0.0 < self.drop_limit <= 1.0, "drop_limit in (0, 1]")
        _unit("cooperative_strength", self.cooperative_strength)


DEFAULT_KEY_WEIGHTS = KeyAccountWeights()
DEFAULT_TIER_THRESHOLDS = TierThresholds()
DEFAULT_KEY_PARAMS = KeyAccountParams()


# --------------------------------------------------------------------------- criteria


def stability(
    tenure_days: float,
    strength_now: float,
    strength_90d_ago: float,
    params: KeyAccountParams = DEFAULT_KEY_PARAMS,
) -> float:
    """Seed 001's "stable, cooperative relationship": ``tenure * steadiness * cooperation``.

    * ``tenure = 1 - exp(-days / 365)`` -- the same curve as strength's duration, so a
      relationship is "long-standing" on one scale across the product;
    * ``steadiness = max(0, 1 - drop / drop_limit)`` with ``drop`` the relative fall
      ``(s_90 - s_now) / s_90`` (0 when it rose or ``s_90 = 0``): a fall of 30 % -- the
      fall that makes strength's channel BLOCKED -- leaves no credit; a rise is not
      instability, it is the "room to grow" the seed asks for;
    * ``cooperation = min(1, s_now / 0.5)`` -- a tie at GOOD health or better counts fully,
      so a long, flat but dead relationship is not called stable.

    A product, not a sum: each part is necessary (old but collapsing, or steady but new,
    is not "stable").
    """
    _non_negative("tenure_days", tenure_days)
    _unit("strength_now", strength_now)
    _unit("strength_90d_ago", strength_90d_ago)
    tenure = 1.0 - math.exp(-tenure_days / params.tenure_scale_days)
    drop = (strength_90d_ago - strength_now) / strength_90d_ago if strength_90d_ago > 0.0 else 0.0
    steadiness = max(0.0, 1.0 - max(0.0, drop) / params.drop_limit)
    if params.cooperative_strength > 0.0:
        cooperation = min(1.0, strength_now / params.cooperative_strength)
    else:
        cooperation = 1.0
    return _clamp01(tenure * steadiness * cooperation)


def log_scale(value: float, largest: float, unit: float) -> float:
    """``ln(1 + value/unit) / ln(1 + largest/unit)``: 1 for the largest, 0 for nothing.

    Used for revenue and loss impact. Raw shares are tiny when there are many customers,
    and dividing by the largest share lets one giant account flatten everybody else to
    ~0; the logarithm compresses the top while staying linear for small values.
    Measuring in ``unit`` (the mean positive revenue) makes it currency-free and not
    moved by zero-revenue prospects. 0 when ``largest`` is 0.
    """
    _non_negative("value", value)
    _non_negative("largest", largest)
    _check(value <= largest * (1 + 1e-12) + 1e-300, f"value {value!r} exceeds largest {largest!r}")
    if largest <= 0.0:
        return 0.0
    _check(_finite(unit) and unit > 0.0, f"unit {unit!r} must be > 0")
    return _clamp01(math.log1p(value / unit) / math.log1p(largest / unit))


def loss_impact(revenue_12m: float, referred_revenue: Mapping[str, tuple[float, float]]) -> float:
    """Revenue lost with the account: its own plus ``sum revenue_j * weight_j`` of those it brings.

    ``weight_j`` in [0, 1] is the chance stakeholder *j* follows the account out: the
    tie strength for a one-hop REFERRED/INFLUENCES tie, the product of strengths along
    the best path for two hops (see :func:`referral_weights`).
    """
    _non_negative("revenue_12m", revenue_12m)
    terms = [revenue_12m]
    for sid, (rev, w) in referred_revenue.items():
        _non_negative(f"referred revenue of {sid!r}", rev)
        _unit(f"referred weight of {sid!r}", w)
        terms.append(rev * w)
    return math.fsum(terms)


def potential_score(potential: float, revenue_12m: float) -> float:
    """``potential / (potential + revenue_12m)``: the share of the reachable business not yet won.

    ``potential`` is the estimated *additional* annual revenue. 0.5 when the potential
    equals current revenue; 0 when none is known (also when both are 0). A ratio, as
    DOMAIN.md §4 asks ("against current revenue"); the account's size is already
    counted by ``revenue_share`` and ``dependency``.
    """
    _non_negative("potential", potential)
    _non_negative("revenue_12m", revenue_12m)
    total = potential + revenue_12m
    return _clamp01(potential / total) if total > 0.0 else 0.0


def influence_score(influence_percentile: float) -> float:
    """The influence percentile (0..100, from the influence service) divided by 100."""
    _check(
        _finite(influence_percentile) and 0.0 <= influence_percentile <= 100.0,
        f"influence_percentile {influence_percentile!r} not in [0, 100]",
    )
    return influence_percentile / 100.0


def referral_weights(
    edges: Mapping[str, Mapping[str, float]], source: str, max_hops: int = 2
) -> dict[str, float]:
    """Best-path weights from ``source`` over REFERRED/INFLUENCES ties, up to ``max_hops``.

    ``edges[x][y]`` is the strength of x's tie to y. The weight of y is the largest
    product of strengths over paths of at most ``max_hops`` ties (a path is only as
    likely to carry a customer away as all its links together); ``source`` itself is
    excluded. The result is the ``weight`` half of ``KeyAccountInput.referred_revenue``.
    Two hops by default: beyond that the products are small and the attribution weak.
    """
    _check(isinstance(max_hops, int) and max_hops >= 1, "max_hops must be an int >= 1")
    best: dict[str, float] = {source: 1.0}
    frontier = {source: 1.0}
    for _ in range(max_hops):
        nxt: dict[str, float] = {}
        for x, wx in frontier.items():
            for y, s in edges.get(x, {}).items():
                _unit(f"tie strength {x!r}->{y!r}", s)
                w = wx * s
                if w > best.get(y, 0.0) and w > nxt.get(y, 0.0):
                    nxt[y] = w
        for y, w in nxt.items():
            best[y] = max(best.get(y, 0.0), w)
        frontier = nxt
    best.pop(source, None)
    return {k: v for k, v in best.items() if v > 0.0}


# --------------------------------------------------------------------------- scoring


@dataclass(frozen=True)
class KeyAccountInput:
    """Everything the key-account score needs about one account, already aggregated.

    ``referred_revenue`` maps a stakeholder the account referred or influences to
    ``(their revenue over 12 months, weight in [0, 1])`` -- see :func:`loss_impact`.
    ``potential`` is the estimated additional annual revenue.
    """

    account_id: str
    revenue_12m: float = 0.0
    potential: float = 0.0
    tenure_days: float = 0.0
    strength_now: float = 0.0
    strength_90d_ago: float = 0.0
    influence_percentile: float = 0.0
    referred_revenue: Mapping[str, tuple[float, float]] = field(
        default_factory=lambda: MappingProxyType({}), hash=False
    )

    def __post_init__(self) -> None:
        _check(isinstance(self.account_id, str) and self.account_id != "", "account_id must be a non-empty str")
        _non_negative("revenue_12m", self.revenue_12m)
        _non_negative("potential", self.potential)
        _non_negative("tenure_days", self.tenure_days)
        _unit("strength_now", self.strength_now)
        _unit("strength_90d_ago", self.strength_90d_ago)
        influence_score(self.influence_percentile)
        frozen = {str(k): (float(r), float(w)) for k, (r, w) in self.referred_revenue.items()}
        _check(self.account_id not in frozen, "an account cannot refer itself")
        loss_impact(0.0, frozen)  # validates every pair
        object.__setattr__(self, "referred_revenue", MappingProxyType(frozen))


@dataclass(frozen=True)
class Criteria:
    """The five criteria of one account, each in [0, 1]."""

    stability: float
    revenue_share: float
    dependency: float
    potential: float
    influence: float

    def __post_init__(self) -> None:
        for name in CRITERIA:
            _unit(name, getattr(self, name))

    def as_dict(self) -> dict[str, float]:
        return dict(zip(CRITERIA, self.values()))

    def values(self) -> tuple[float, float, float, float, float]:
        """The five criteria in `CRITERIA` order."""
        return (self.stability, self.revenue_share, self.dependency, self.potential, self.influence)


def weighted_score(criteria: Criteria, weights: KeyAccountWeights = DEFAULT_KEY_WEIGHTS) -> float:
    """``sum w_c * criterion_c`` with normalised weights: in [0, 1], monotone in every criterion."""
    w = weights.normalised()
    return _clamp01(math.fsum(w[n] * getattr(criteria, n) for n in CRITERIA))


@dataclass(frozen=True)
class KeyAccountScore:
    """One account's key-account score, its breakdown and tier, with the raw figures.

    ``revenue_share_raw`` and ``loss_share`` are plain shares of ``total_revenue``
    (the criteria are their normalised forms); ``loss_impact`` is in currency.
    """

    account_id: str
    score: float
    tier: Tier
    breakdown: Criteria
    revenue_share_raw: float
    loss_impact: float
    loss_share: float


def score_accounts(
    inputs: Iterable[KeyAccountInput],
    weights: KeyAccountWeights = DEFAULT_KEY_WEIGHTS,
    thresholds: TierThresholds = DEFAULT_TIER_THRESHOLDS,
    *,
    params: KeyAccountParams = DEFAULT_KEY_PARAMS,
    total_revenue: float | None = None,
) -> list[KeyAccountScore]:
    """Score a population of accounts; best first (score desc, then account id asc).

    Revenue and dependency are normalised within the population (see
    :func:`log_scale`), so pass every customer, not a page. ``total_revenue`` is the
    company's total for the raw shares; by default the population's own sum. Duplicate
    ids raise ValueError rather than be silently merged.
    """
    items = list(inputs)
    ids = [x.account_id for x in items]
    _check(len(set(ids)) == len(ids), "duplicate account_id in inputs")
    revenues = [x.revenue_12m for x in items]
    population_total = math.fsum(revenues)
    if total_revenue is None:
        total_revenue = population_total
    _non_negative("total_revenue", total_revenue)
    _check(total_revenue >= population_total * (1 - 1e-12), "total_revenue below the accounts' own revenue")
    losses = [loss_impact(x.revenue_12m, x.referred_revenue) for x in items]
    positive = [r for r in revenues if r > 0.0]
    unit = math.fsum(positive) / len(positive) if positive else 0.0
    if unit <= 0.0:  # no revenue at all: measure loss impact in its own mean
        pos_losses = [v for v in losses if v > 0.0]
        loss_unit = math.fsum(pos_losses) / len(pos_losses) if pos_losses else 0.0
    else:
        loss_unit = unit
    max_rev = max(revenues, default=0.0)
    max_loss = max(losses, default=0.0)
    out = []
    for x, loss in zip(items, losses):
        crit = Criteria(
            stability=stability(x.tenure_days, x.strength_now, x.strength_90d_ago, params),
            revenue_share=log_scale(x.revenue_12m, max_rev, unit),
            dependency=log_scale(loss, max_loss, loss_unit),
            potential=potential_score(x.potential, x.revenue_12m),
            influence=influence_score(x.influence_percentile),
        )
        score = weighted_score(crit, weights)
        out.append(
            KeyAccountScore(
                account_id=x.account_id,
                score=score,
                tier=thresholds.tier(score),
                breakdown=crit,
                revenue_share_raw=x.revenue_12m / total_revenue if total_revenue > 0 else 0.0,
                loss_impact=loss,
                loss_share=loss / total_revenue if total_revenue > 0 else 0.0,
            )
        )
    out.sort(key=lambda s: (-s.score, s.account_id))
    return out


# --------------------------------------------------------------------------- ABC


def abc_classes(revenue: Mapping[str, float], a: float = 0.8, b: float = 0.95) -> dict[str, AbcClass]:
    """Pareto classes by cumulative revenue share: A up to ``a``, B up to ``b``, C the rest.

    Accounts are taken by revenue, largest first. An account's class is decided by the
    cumulative share of the accounts *before* it: A while that is below ``a``, B while
    below ``b``, else C. So the account that crosses a boundary joins the higher class
    (the largest account is always A, even when it alone holds 90 %). Tie rule: accounts
    with equal revenue form one group, classed together by the share before the group,
    so a class never depends on ids. Zero revenue is always C.
    """
    _check(_finite(a) and _finite(b) and 0.0 < a <= b <= 1.0, "need 0 < a <= b <= 1")
    for k, v in revenue.items():
        if not (type(v) is float and 0.0 <= v < math.inf):  # the message only when it is needed
            _non_negative(f"revenue of {k!r}", v)
    total = math.fsum(revenue.values())
    out: dict[str, AbcClass] = {k: "C" for k in revenue}
    if total <= 0.0:
        return out
    groups: dict[float, list[str]] = {}
    for k, v in revenue.items():
        if v > 0.0:
            groups.setdefault(v, []).append(k)
    # The sum before each group is kept exactly, as an integer count of the smallest power
    # of two any revenue is a multiple of (floats are dyadic fractions): the same correctly
    # rounded value as fsum over the accounts before, in O(n) rather than O(n^2).
    ratios = {value: value.as_integer_ratio() for value in groups}
    scale = max(d for _, d in ratios.values())
    before = 0
    for value in sorted(groups, reverse=True):
        share_before = (before / scale) / total  # int / int is correctly rounded, as float(Fraction) is
        cls: AbcClass = "A" if share_before < a else "B" if share_before < b else "C"
        for k in groups[value]:
            out[k] = cls
        numerator, denominator = ratios[value]
        before += numerator * (scale // denominator) * len(groups[value])
    return out


# --------------------------------------------------------------------------- transactional


@dataclass(frozen=True)
class TransactionalParams:
    """Thresholds of the transactional flag (seed 004); see :func:`transactional`."""

    order_share: float = 0.8
    max_non_order_contacts: int = 2
    short_tenure_days: float = 180.0
    many_suppliers: int = 3
    one_way_reciprocity: float = 0.2
    min_reasons: int = 2

    def __post_init__(self) -> None:
        _unit("order_share", self.order_share)
        _check(isinstance(self.max_non_order_contacts, int) and self.max_non_order_contacts >= 0,
               "max_non_order_contacts must be an int >= 0")
        _non_negative("short_tenure_days", self.short_tenure_days)
        _check(isinstance(self.many_suppliers, int) and self.many_suppliers >= 2, "many_suppliers must be an int >= 2")
        _unit("one_way_reciprocity", self.one_way_reciprocity)
        _check(isinstance(self.min_reasons, int) and 1 <= self.min_reasons <= len(TRANSACTIONAL_REASONS),
               f"min_reasons must be an int in [1, {len(TRANSACTIONAL_REASONS)}]")


DEFAULT_TRANSACTIONAL_PARAMS = TransactionalParams()


def transactional(
    *,
    orders: int,
    non_order_contacts: int,
    tenure_days: float,
    buys_from_competitor: bool,
    reciprocity: float | None,
    price_sensitive: bool | None = None,
    supplier_count: int | None = None,
    params: TransactionalParams = DEFAULT_TRANSACTIONAL_PARAMS,
) -> tuple[bool, list[str]]:
    """Seed 004's transactional customer: flagged (not courted) when enough reasons hold.

    Reasons, in this order:

    * PRICE_DRIVEN -- ``price_sensitive`` when given (an analyst's call wins both ways);
      otherwise orders are at least ``order_share`` of the contacts *and* there are at
      most ``max_non_order_contacts`` other contacts: they buy, but never talk;
    * LOW_SWITCHING_COST -- tenure below ``short_tenure_days``, or they buy the same from
      ``many_suppliers`` suppliers or more (we are one of several);
    * TIES_TO_COMPETITORS -- they also buy from a competitor;
    * ONE_WAY_CONTACT -- reciprocity below ``one_way_reciprocity`` (strength's BLOCKED
      level); ``None`` (no contact measured) is no evidence either way.

    Flagged when at least ``min_reasons`` (default 2) hold: any one alone is common among
    good customers too (every new customer has a short tenure).
    """
    _check(isinstance(orders, int) and orders >= 0, "orders must be an int >= 0")
    _check(isinstance(non_order_contacts, int) and non_order_contacts >= 0, "non_order_contacts must be an int >= 0")
    _non_negative("tenure_days", tenure_days)
    if reciprocity is not None:
        _unit("reciprocity", reciprocity)
    if supplier_count is not None:
        _check(isinstance(supplier_count, int) and supplier_count >= 0, "supplier_count must be an int >= 0")
    reasons = []
    if price_sensitive is not None:
        price = bool(price_sensitive)
    else:
        contacts = orders + non_order_contacts
        price = (
            orders > 0
            and orders / contacts >= params.order_share
            and non_order_contacts <= params.max_non_order_contacts
        )
    if price:
        reasons.append(REASON_PRICE_DRIVEN)
    if tenure_days < params.short_tenure_days or (
        supplier_count is not None and supplier_count >= params.many_suppliers
    ):
        reasons.append(REASON_LOW_SWITCHING_COST)
    if buys_from_competitor:
        reasons.append(REASON_TIES_TO_COMPETITORS)
    if reciprocity is not None and reciprocity < params.one_way_reciprocity:
        reasons.append(REASON_ONE_WAY_CONTACT)
    return len(reasons) >= params.min_reasons, reasons


# --------------------------------------------------------------------------- demand


#: Interactions that, started by the prospect, state a need: they came to us.
ENQUIRY_TYPES: frozenset[InteractionType] = frozenset(
    {
        InteractionType.CALL,
        InteractionType.EMAIL,
        InteractionType.MESSAGE,
        InteractionType.VISIT,
        InteractionType.MEETING,
        InteractionType.ORDER,
    }
)
#: Interactions that show engagement whoever started them: the prospect took part.
ENGAGEMENT_TYPES: frozenset[InteractionType] = frozenset(
    {InteractionType.EVENT, InteractionType.MEETING, InteractionType.VISIT, InteractionType.SERVICE}
)


@dataclass(frozen=True)
class DemandSignals:
    """Counts of recent signals of a prospect's demand (see :func:`demand_signals`)."""

    enquiries: int = 0
    feedback: int = 0
    engagement: int = 0


def demand_signals(
    events: Iterable[tuple[InteractionType, bool, int]], at_ms: int, window_days: float = 90.0
) -> DemandSignals:
    """Count a prospect's signals in the window ``(at - window, at]``.

    ``events`` are ``(type, inbound, at_ms)``, ``inbound`` meaning the prospect started it.
    Inbound CALL/EMAIL/MESSAGE/VISIT/MEETING/ORDER are enquiries; inbound FEEDBACK or
    COMPLAINT is feedback; EVENT/MEETING/VISIT/SERVICE in either direction and any other
    inbound contact are engagement. Outbound calls, e-mails and messages count for
    nothing: we cannot tell whether anyone answered.
    """
    _check(_finite(window_days) and window_days > 0, "window_days must be > 0")
    start = at_ms - window_days * MS_PER_DAY
    enq = fb = eng = 0
    for kind, inbound, t in events:
        kind = InteractionType(kind)
        if not (start < t <= at_ms):
            continue
        if inbound and kind in ENQUIRY_TYPES:
            enq += 1
        elif inbound and kind in (InteractionType.FEEDBACK, InteractionType.COMPLAINT):
            fb += 1
        elif inbound or kind in ENGAGEMENT_TYPES:
            eng += 1
    return DemandSignals(enquiries=enq, feedback=fb, engagement=eng)


def demand_class(
    explicit: Demand | None,
    *,
    enquiries: int = 0,
    feedback: int = 0,
    engagement: int = 0,
) -> Demand:
    """Seed 001, step 2: sort prospects into CLEAR, LATENT and NONE demand.

    An analyst's explicit class wins. Otherwise: a recent inbound enquiry or feedback
    means the need is stated (CLEAR, "需求明显"); engagement without an enquiry means a
    need that is not obvious but hopeful (LATENT); nothing means no demand (NONE).
    """
    for name, v in (("enquiries", enquiries), ("feedback", feedback), ("engagement", engagement)):
        _check(isinstance(v, int) and v >= 0, f"{name} must be an int >= 0")
    if explicit is not None:
        return Demand(explicit)
    if enquiries + feedback > 0:
        return Demand.CLEAR
    if engagement > 0:
        return Demand.LATENT
    return Demand.NONE


# --------------------------------------------------------------------------- value


def clv(margin: float, retention: float, discount: float) -> float:
    """Seed 002's simple lifetime value ``CLV = m * r / (1 + d - r)``.

    It is the infinite sum ``sum_{t>=1} m * r^t / (1 + d)^t``: a margin ``m`` per period,
    earned at the end of each period the customer is still there (probability ``r^t``),
    discounted at rate ``d``. Requires ``0 <= r <= 1``, ``d >= 0`` and ``r < 1 + d`` (so
    ``r = 1`` needs ``d > 0``, else the sum diverges). A negative margin is allowed: a
    loss-making customer has a negative value.
    """
    if not _finite(margin):
        raise ValueError(f"margin {margin!r} must be finite")
    _unit("retention", retention)
    _non_negative("discount", discount)
    _check(retention < 1.0 + discount, "retention must be < 1 + discount (the sum diverges otherwise)")
    return margin * retention / (1.0 + discount - retention)


# --------------------------------------------------------------------------- suppliers


@dataclass(frozen=True)
class SupplierDependency:
    """Our dependency on one supplier.

    ``share`` is its share of our spend; ``hhi`` the Herfindahl index of the whole set
    (same value on every row; 1 = a single supplier, 1/n = n equal ones);
    ``effective_suppliers = 1 / hhi``; ``category_share`` its share of its category's
    spend; ``loss_impact = share * category_share`` -- the part of our spend with no
    other supplier of the same category to shift it to; ``sole_source`` when it is
    alone in its category.
    """

    supplier_id: str
    spend: float
    share: float
    category: str | None
    category_share: float
    loss_impact: float
    sole_source: bool
    hhi: float
    effective_suppliers: float


def herfindahl(values: Iterable[float]) -> float:
    """``sum share_i^2`` of non-negative values; 0 when they sum to 0."""
    vals = list(values)
    for v in vals:
        _non_negative("value", v)
    total = math.fsum(vals)
    if total <= 0.0:
        return 0.0
    return _clamp01(math.fsum((v / total) ** 2 for v in vals))


def supplier_dependency(
    spend: Mapping[str, float], categories: Mapping[str, str] | None = None
) -> dict[str, SupplierDependency]:
    """The supplier side of loss impact (issue 6 §2): how much we depend on each supplier.

    Without ``categories`` each supplier is its own category (no substitute known), so
    ``loss_impact = share``: the conservative reading. With categories, losing one of
    several suppliers of the same thing hurts only by the part the others do not cover
    in proportion: ``share * category_share``. A supplier with zero spend has zero
    share and impact.
    """
    for k, v in spend.items():
        if not (type(v) is float and 0.0 <= v < math.inf):
            _non_negative(f"spend of {k!r}", v)
    cats = dict(categories or {})
    total = math.fsum(spend.values())
    hhi = herfindahl(spend.values())
    cat_of = {k: cats.get(k) for k in spend}
    cat_total: dict[str, float] = {}
    cat_members: dict[str, int] = {}
    for k, v in spend.items():
        key = cat_of[k] if cat_of[k] is not None else f"\x00{k}"
        cat_total[key] = cat_total.get(key, 0.0) + v
        cat_members[key] = cat_members.get(key, 0) + 1
    out = {}
    for k, v in spend.items():
        key = cat_of[k] if cat_of[k] is not None else f"\x00{k}"
        share = v / total if total > 0 else 0.0
        cshare = v / cat_total[key] if cat_total[key] > 0 else 0.0
        out[k] = SupplierDependency(
            supplier_id=k,
            spend=v,
            share=_clamp01(share),
            category=cat_of[k],
            category_share=_clamp01(cshare),
            loss_impact=_clamp01(share * cshare),
            sole_source=cat_members[key] == 1,
            hhi=hhi,
            effective_suppliers=1.0 / hhi if hhi > 0 else 0.0,
        )
    return out


def top_suppliers(deps: Mapping[str, SupplierDependency], first: int) -> list[SupplierDependency]:
    """The ``first`` suppliers we depend on most (loss impact desc, then share desc, then id)."""
    _check(isinstance(first, int) and first >= 0, "first must be an int >= 0")
    return heapq.nsmallest(first, deps.values(), key=lambda d: (-d.loss_impact, -d.share, d.supplier_id))


# --------------------------------------------------------------------------- many accounts at once


@dataclass(frozen=True)
class ScoreColumns:
    """`score_accounts` for a whole population as numpy columns, in input order: the
    score, each criterion, loss impact and the raw shares, and the tier."""

    score: npt.NDArray[np.float64]
    criteria: dict[str, npt.NDArray[np.float64]]
    loss_impact: npt.NDArray[np.float64]
    revenue_share_raw: npt.NDArray[np.float64]
    loss_share: npt.NDArray[np.float64]
    tiers: list[Tier]

    def breakdowns(self) -> list[Criteria]:
        """Each account's criteria as the one-account form."""
        return [Criteria(*values) for values in zip(*(self.criteria[name].tolist() for name in CRITERIA))]


def _columns_check(condition: np.bool_ | bool, message: str) -> None:
    _check(bool(condition), message)


def score_columns(
    revenue_12m: npt.NDArray[np.float64],
    potential: npt.NDArray[np.float64],
    tenure: npt.NDArray[np.float64],
    strength_now: npt.NDArray[np.float64],
    strength_90d_ago: npt.NDArray[np.float64],
    influence_percentile: npt.NDArray[np.float64],
    loss: npt.NDArray[np.float64],
    weights: KeyAccountWeights = DEFAULT_KEY_WEIGHTS,
    thresholds: TierThresholds = DEFAULT_TIER_THRESHOLDS,
    *,
    params: KeyAccountParams = DEFAULT_KEY_PARAMS,
) -> ScoreColumns:
    """The vector twin of `score_accounts` (same formulas, same checks), for populations
    where an object per account and per criterion costs seconds. `loss` is each
    account's `loss_impact`; `tenure` is in days. A property test holds the two equal.
    """
    for name, column in (("revenue_12m", revenue_12m), ("potential", potential), ("tenure_days", tenure),
                         ("loss impact", loss)):
        _columns_check(np.all(np.isfinite(column) & (column >= 0.0)), f"{name} must be finite and >= 0")
    for name, column in (("strength_now", strength_now), ("strength_90d_ago", strength_90d_ago)):
        _columns_check(np.all(np.isfinite(column) & (column >= 0.0) & (column <= 1.0)), f"{name} not in [0, 1]")
    _columns_check(np.all(np.isfinite(influence_percentile) & (influence_percentile >= 0.0) & (influence_percentile <= 100.0)),
                   "influence_percentile not in [0, 100]")
    total = math.fsum(revenue_12m.tolist())
    positive = revenue_12m[revenue_12m > 0.0]
    unit = math.fsum(positive.tolist()) / positive.size if positive.size else 0.0
    if unit <= 0.0:
        losses = loss[loss > 0.0]
        loss_unit = math.fsum(losses.tolist()) / losses.size if losses.size else 0.0
    else:
        loss_unit = unit

    def scaled(value: npt.NDArray[np.float64], largest: float, unit: float) -> npt.NDArray[np.float64]:
        if largest <= 0.0:
            return np.zeros_like(value)
        return np.clip(np.log1p(value / unit) / math.log1p(largest / unit), 0.0, 1.0)

    tenure_part = 1.0 - np.exp(-tenure / params.tenure_scale_days)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        drop = np.where(strength_90d_ago > 0.0, (strength_90d_ago - strength_now) / strength_90d_ago, 0.0)
        steadiness = np.maximum(0.0, 1.0 - np.maximum(0.0, drop) / params.drop_limit)
        cooperation = (np.minimum(1.0, strength_now / params.cooperative_strength)
                       if params.cooperative_strength > 0.0 else np.ones_like(strength_now))
        both = potential + revenue_12m
        criteria = {
            "stability": np.clip(tenure_part * steadiness * cooperation, 0.0, 1.0),
            "revenue_share": scaled(revenue_12m, float(revenue_12m.max(initial=0.0)), unit),
            "dependency": scaled(loss, float(loss.max(initial=0.0)), loss_unit),
            "potential": np.where(both > 0.0, np.clip(potential / np.where(both > 0.0, both, 1.0), 0.0, 1.0), 0.0),
            "influence": influence_percentile / 100.0,
        }
    w = weights.normalised()
    score = np.clip(sum(w[name] * criteria[name] for name in CRITERIA), 0.0, 1.0)
    return ScoreColumns(
        score=score, criteria=criteria, loss_impact=loss,
        revenue_share_raw=revenue_12m / total if total > 0 else np.zeros_like(revenue_12m),
        loss_share=loss / total if total > 0 else np.zeros_like(loss),
        tiers=[thresholds.tier(s) for s in score.tolist()],
    )


def tenure_columns(first_ms: npt.NDArray[np.float64], at_ms: int) -> npt.NDArray[np.float64]:
    """`tenure_days` over a column of first-contact times in epoch ms (NaN for none)."""
    with np.errstate(invalid="ignore"):
        later = ~(first_ms < at_ms)  # NaN compares False: no contact counts as no tenure
    return np.where(later, 0.0, (at_ms - np.where(later, at_ms, first_ms)) / MS_PER_DAY)


def clv_columns(
    margin: npt.NDArray[np.float64], retention: npt.NDArray[np.float64], discount: float
) -> npt.NDArray[np.float64]:
    """`clv` over columns; NaN where margin or retention is NaN (unknown), with `clv`'s
    checks on the rest (a bad retention fails the whole population, as it does one)."""
    known = ~np.isnan(margin) & ~np.isnan(retention)
    m, r = margin[known], retention[known]
    _columns_check(np.all(np.isfinite(m)), "margin must be finite")
    _columns_check(np.all((r >= 0.0) & (r <= 1.0)), "retention not in [0, 1]")
    _non_negative("discount", discount)
    _columns_check(np.all(r < 1.0 + discount), "retention must be < 1 + discount (the sum diverges otherwise)")
    out = np.full(margin.shape, np.nan)
    out[known] = m * r / (1.0 + discount - r)
    return out


@dataclass(frozen=True)
class TransactionalColumns:
    """`transactional` for a population: the flags, and each account's reasons as a tuple."""

    flagged: npt.NDArray[np.bool_]
    reasons: list[tuple[str, ...]]


#: A tuple of reasons for every subset of `TRANSACTIONAL_REASONS`, by bit mask (bit i for reason i).
_REASON_SETS = [tuple(r for i, r in enumerate(TRANSACTIONAL_REASONS) if mask >> i & 1)
                for mask in range(1 << len(TRANSACTIONAL_REASONS))]


def transactional_columns(
    *,
    orders: npt.NDArray[np.int64],
    non_order_contacts: npt.NDArray[np.int64],
    tenure_days: npt.NDArray[np.float64],
    buys_from_competitor: npt.NDArray[np.bool_],
    reciprocity: npt.NDArray[np.float64],
    price_sensitive: npt.NDArray[np.int8],
    supplier_count: npt.NDArray[np.int64],
    params: TransactionalParams = DEFAULT_TRANSACTIONAL_PARAMS,
) -> TransactionalColumns:
    """The vector twin of `transactional`, with the same reasons in the same order.

    Unknowns are coded in the columns: reciprocity NaN for None, `price_sensitive` -1 for
    None (else 0 or 1), `supplier_count` -1 for None. A property test holds the two equal.
    """
    _columns_check(np.all(orders >= 0), "orders must be an int >= 0")
    _columns_check(np.all(non_order_contacts >= 0), "non_order_contacts must be an int >= 0")
    _columns_check(np.all(np.isfinite(tenure_days) & (tenure_days >= 0.0)), "tenure_days must be finite and >= 0")
    measured = ~np.isnan(reciprocity)
    _columns_check(np.all((reciprocity[measured] >= 0.0) & (reciprocity[measured] <= 1.0)), "reciprocity not in [0, 1]")
    contacts = orders + non_order_contacts
    with np.errstate(divide="ignore", invalid="ignore"):
        buys_without_talking = (
            (orders > 0)
            & (orders / np.where(contacts > 0, contacts, 1) >= params.order_share)
            & (non_order_contacts <= params.max_non_order_contacts)
        )
    price = np.where(price_sensitive >= 0, price_sensitive > 0, buys_without_talking)
    easy_switch = (tenure_days < params.short_tenure_days) | (
        (supplier_count >= 0) & (supplier_count >= params.many_suppliers)
    )
    one_way = measured & (np.where(measured, reciprocity, 1.0) < params.one_way_reciprocity)
    held = [price, easy_switch, buys_from_competitor.astype(bool), one_way]
    mask = sum(h.astype(np.int64) << i for i, h in enumerate(held))
    count = sum(h.astype(np.int64) for h in held)
    return TransactionalColumns(
        flagged=np.asarray(count >= params.min_reasons, dtype=bool),
        reasons=[_REASON_SETS[m] for m in np.asarray(mask, dtype=np.int64).tolist()],
    )


def abc_columns(revenue: npt.NDArray[np.float64], a: float = 0.8, b: float = 0.95) -> list[AbcClass]:
    """`abc_classes` over a column of revenues, in the column's order (same tie rule, same
    exact sums; a property test holds the two equal)."""
    _check(_finite(a) and _finite(b) and 0.0 < a <= b <= 1.0, "need 0 < a <= b <= 1")
    _columns_check(np.all(np.isfinite(revenue) & (revenue >= 0.0)), "revenue must be finite and >= 0")
    total = math.fsum(revenue.tolist())
    out: list[AbcClass] = ["C"] * revenue.size
    if total <= 0.0:
        return out
    values, inverse, counts = np.unique(revenue, return_inverse=True, return_counts=True)
    ratios = [v.as_integer_ratio() for v in values.tolist()]
    scale = max(d for _, d in ratios)
    classes: list[AbcClass] = ["C"] * values.size
    sizes = counts.tolist()
    before = 0
    for g in range(values.size - 1, -1, -1):  # largest revenue first
        numerator, denominator = ratios[g]
        if numerator <= 0:
            break  # zero revenue is always C
        share_before = (before / scale) / total
        classes[g] = "A" if share_before < a else "B" if share_before < b else "C"
        before += numerator * (scale // denominator) * sizes[g]
    return [classes[g] for g in inverse.ravel().tolist()]
