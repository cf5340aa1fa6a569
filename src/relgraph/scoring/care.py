"""Account care (DOMAIN.md §5): contact plans, complaint deadlines, systemic issues, risk.

This module is pure: plain functions over frozen dataclasses, no database, no I/O, no
clock. Every time is an integer count of epoch milliseconds (UTC) and the caller
passes "now" as ``at_ms``, so every answer can also be asked *as of* a past date.
See ``docs/key-accounts.md`` (section "Account care") for the rules and the reasons.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from relgraph.domain.complaints import OPEN_STATUSES, Deadlines
from relgraph.domain.enums import ComplaintStatus, InteractionType, Tier
from relgraph.domain.plans import DEFAULT_CADENCE_DAYS
from relgraph.scoring.strength import MS_PER_DAY

HOUR_MS = 3_600_000

# Machine-readable reasons of :func:`complaint_overdue` / :func:`complaint_breaches`.
REASON_RESPONSE_LATE = "RESPONSE_LATE"
REASON_RESOLUTION_LATE = "RESOLUTION_LATE"
COMPLAINT_REASONS: tuple[str, ...] = (REASON_RESPONSE_LATE, REASON_RESOLUTION_LATE)

# Machine-readable reasons of :func:`at_risk_reasons`, in the order they are returned.
REASON_FALLING_STRENGTH = "FALLING_STRENGTH"
REASON_OPEN_COMPLAINTS = "OPEN_COMPLAINTS"
REASON_OVERDUE_COMPLAINTS = "OVERDUE_COMPLAINTS"
REASON_COMPETITOR_STRONGER = "COMPETITOR_STRONGER"
REASON_SINGLE_THREADED = "SINGLE_THREADED"
AT_RISK_REASONS: tuple[str, ...] = (
    REASON_FALLING_STRENGTH,
    REASON_OPEN_COMPLAINTS,
    REASON_OVERDUE_COMPLAINTS,
    REASON_COMPETITOR_STRONGER,
    REASON_SINGLE_THREADED,
)

DEFAULT_DEADLINES = Deadlines()


def _check(condition: bool, message: str) -> None:
    """Raise ValueError so bad input fails loudly instead of producing a wrong list."""
    if not condition:
        raise ValueError(message)


def _finite(x: object) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _ms(name: str, x: object) -> None:
    _check(isinstance(x, int) and not isinstance(x, bool), f"{name} {x!r} must be an int (epoch ms)")


def _opt_ms(name: str, x: object) -> None:
    if x is not None:
        _ms(name, x)


# --------------------------------------------------------------------------- contact plans


def cadence_for(tier: Tier | None, cadence: Mapping[Tier, float] | None = None) -> float:
    """Contact cadence in days for a tier (defaults KEY 14, SUITABLE 30, GENERAL 90).

    An account without a tier is cared for as GENERAL, like ``domain.plans.Cadence``.
    """
    table = DEFAULT_CADENCE_DAYS if cadence is None else cadence
    days = table[Tier(tier) if tier is not None else Tier.GENERAL]
    _check(_finite(days) and days > 0, f"cadence {days!r} must be > 0 days")
    return float(days)


def next_contact_due(last_contact_ms: int, cadence_days: float) -> int:
    """``last contact + cadence``, in epoch ms (rounded down to the millisecond)."""
    _ms("last_contact_ms", last_contact_ms)
    _check(_finite(cadence_days) and cadence_days > 0, f"cadence_days {cadence_days!r} must be > 0")
    return last_contact_ms + int(cadence_days * MS_PER_DAY)


#: Interactions both sides take part in: a contact between us and the account whoever
#: started it (a call the customer made and we answered is a contact too).
EXCHANGE_CONTACTS: frozenset[InteractionType] = frozenset({
    InteractionType.VISIT, InteractionType.MEETING, InteractionType.CALL,
    InteractionType.EVENT, InteractionType.SERVICE,
})
#: One-way messages: a contact by us only when our side sent them (an e-mail from the
#: customer that nobody answered is not us looking after the account).
OUTREACH_CONTACTS: frozenset[InteractionType] = frozenset({
    InteractionType.EMAIL, InteractionType.MESSAGE, InteractionType.FEEDBACK,
})
# ORDER (the customer buying) and COMPLAINT (the customer objecting) are never contacts.


def is_contact(kind: InteractionType | str, started_by_us: bool) -> bool:
    """Whether an interaction between our people and the account is a real contact by us.

    Exchanges count whoever started them; one-way messages (e-mail, message, feedback
    talks and surveys) only when we started them; orders and complaints never do.
    """
    kind = InteractionType(kind)
    return kind in EXCHANGE_CONTACTS or (kind in OUTREACH_CONTACTS and started_by_us)


def last_contact(interactions: Iterable[tuple[InteractionType | str, int, bool]], at_ms: int) -> int | None:
    """The time of the last real contact known at ``at_ms`` (None when there is none).

    ``interactions`` are ``(type, at_ms, started_by_us)`` between our people and the
    account or its people; those after ``at_ms`` have not happened yet.
    """
    _ms("at_ms", at_ms)
    best: int | None = None
    for kind, t, ours in interactions:
        _ms("interaction at_ms", t)
        if t <= at_ms and is_contact(kind, ours) and (best is None or t > best):
            best = t
    return best


@dataclass(frozen=True)
class PlanView:
    """What :func:`overdue_contacts` needs of one account plan.

    ``since_ms`` is when the plan was last set; ``next_contact_ms`` the date its owner
    gave then (None when the owner left it to the cadence); ``last_contact_ms`` the last
    real contact (:func:`is_contact`) known at the moment asked about. See
    :func:`plan_due` for how they combine.
    """

    account_id: str
    tier: Tier | None = None
    owner_id: str | None = None
    cadence_days: float | None = None
    last_contact_ms: int | None = None
    next_contact_ms: int | None = None
    since_ms: int | None = None

    def __post_init__(self) -> None:
        _opt_ms("last_contact_ms", self.last_contact_ms)
        _opt_ms("next_contact_ms", self.next_contact_ms)
        _opt_ms("since_ms", self.since_ms)
        if self.cadence_days is not None:
            _check(_finite(self.cadence_days) and self.cadence_days > 0, "cadence_days must be > 0")


def plan_due(plan: PlanView, cadence: Mapping[Tier, float] | None = None) -> int | None:
    """The plan's next contact due date, or None when it has no reference time at all.

    Contacts move the plan: the next contact is due one cadence after the last contact.
    The owner's own date stands only until a contact comes after the plan was set (it
    was planned with what was known then; a contact since replaces it). A plan never
    contacted and without a date of its owner is due one cadence after it was set.
    """
    days = plan.cadence_days if plan.cadence_days is not None else cadence_for(plan.tier, cadence)
    last = plan.last_contact_ms
    if last is not None and (
        plan.next_contact_ms is None or (plan.since_ms is not None and last > plan.since_ms)
    ):
        return next_contact_due(last, days)
    if plan.next_contact_ms is not None:
        return plan.next_contact_ms
    if plan.since_ms is None:
        return None
    return next_contact_due(plan.since_ms, days)


@dataclass(frozen=True)
class OverdueContact:
    """A plan whose contact is past due; ``due_ms``/``overdue_days`` are None when never dated."""

    plan: PlanView
    due_ms: int | None
    overdue_days: float | None


def overdue_contacts(
    plans: Iterable[PlanView], at_ms: int, cadence: Mapping[Tier, float] | None = None
) -> list[OverdueContact]:
    """Plans whose next contact is past (``due < at``), most overdue first, ties by account id.

    A contact due exactly at ``at_ms`` is due, not overdue. A plan with no due date and
    no reference time (never contacted, no start) is listed first: it has never been
    looked after, which is worse than any late contact.
    """
    _ms("at_ms", at_ms)
    out = []
    for plan in plans:
        due = plan_due(plan, cadence)
        if due is None:
            out.append(OverdueContact(plan, None, None))
        elif due < at_ms:
            out.append(OverdueContact(plan, due, (at_ms - due) / MS_PER_DAY))
    out.sort(key=lambda o: (o.due_ms is not None, o.due_ms or 0, o.plan.account_id))
    return out


# --------------------------------------------------------------------------- complaints


def complaint_deadlines(received_ms: int, deadlines: Deadlines = DEFAULT_DEADLINES) -> tuple[int, int]:
    """``(respond_by, resolve_by)`` in epoch ms: 24 hours and 7 days after receipt by default."""
    _ms("received_ms", received_ms)
    _check(_finite(deadlines.respond_hours) and deadlines.respond_hours >= 0, "respond_hours must be >= 0")
    _check(_finite(deadlines.resolve_days) and deadlines.resolve_days >= 0, "resolve_days must be >= 0")
    return (
        received_ms + int(deadlines.respond_hours * HOUR_MS),
        received_ms + int(deadlines.resolve_days * MS_PER_DAY),
    )


def _complaint_timeline(
    status: ComplaintStatus,
    received_ms: int,
    acknowledged_ms: int | None,
    resolved_ms: int | None,
    respond_by_ms: int | None,
    resolve_by_ms: int | None,
    at_ms: int,
    deadlines: Deadlines,
) -> tuple[int | None, int | None, bool, int, int]:
    """Validate, and reduce a complaint to what was known at ``at_ms``.

    Returns ``(responded_ms, resolved_ms, open_at, respond_by, resolve_by)``:
    ``responded`` is the first of acknowledgement and resolution (resolving straight from
    RECEIVED is a response too); an escalation alone is internal, not a response. Events
    after ``at_ms`` are treated as not yet happened, so as-of questions get as-of answers.
    A complaint in an open status is open (a RESOLVED one that was escalated again keeps
    its old ``resolved_ms``, which no longer counts); a RESOLVED/CLOSED one is open at
    ``at_ms`` only if it was resolved after it.
    """
    status = ComplaintStatus(status)
    for name, v in (("received_ms", received_ms), ("at_ms", at_ms)):
        _ms(name, v)
    for name, v in (
        ("acknowledged_ms", acknowledged_ms),
        ("resolved_ms", resolved_ms),
        ("respond_by_ms", respond_by_ms),
        ("resolve_by_ms", resolve_by_ms),
    ):
        _opt_ms(name, v)
    default_respond, default_resolve = complaint_deadlines(received_ms, deadlines)
    respond_by = default_respond if respond_by_ms is None else respond_by_ms
    resolve_by = default_resolve if resolve_by_ms is None else resolve_by_ms
    ack = acknowledged_ms if acknowledged_ms is not None and acknowledged_ms <= at_ms else None
    res = resolved_ms if resolved_ms is not None and resolved_ms <= at_ms else None
    if status in OPEN_STATUSES:
        open_at, resolved = True, None
    else:
        open_at = resolved_ms is not None and resolved_ms > at_ms
        resolved = None if open_at else res
    responses = [t for t in (ack, res) if t is not None]
    responded = min(responses) if responses else None
    return responded, resolved, open_at, respond_by, resolve_by


def complaint_overdue(
    status: ComplaintStatus,
    received_ms: int,
    acknowledged_ms: int | None,
    resolved_ms: int | None,
    respond_by_ms: int | None,
    resolve_by_ms: int | None,
    at_ms: int,
    *,
    deadlines: Deadlines = DEFAULT_DEADLINES,
) -> tuple[bool, list[str]]:
    """Is the complaint overdue *now*, and which deadlines are past and still unmet.

    RESPONSE_LATE: no response yet and ``at > respond_by``; RESOLUTION_LATE: still open
    and ``at > resolve_by``. A deadline instant itself is still on time. A resolved or
    closed complaint is never overdue (its history of lateness is
    :func:`complaint_breaches`); neither is one received after ``at_ms``. Deadlines
    left as None are derived from ``received_ms`` and ``deadlines`` (24 h / 7 days).
    This is what blocks a channel and what "overdue complaints" lists.
    """
    responded, _, open_at, respond_by, resolve_by = _complaint_timeline(
        status, received_ms, acknowledged_ms, resolved_ms, respond_by_ms, resolve_by_ms, at_ms, deadlines
    )
    if received_ms > at_ms or not open_at:
        return False, []
    reasons = []
    if responded is None and at_ms > respond_by:
        reasons.append(REASON_RESPONSE_LATE)
    if at_ms > resolve_by:
        reasons.append(REASON_RESOLUTION_LATE)
    return bool(reasons), reasons


def complaint_breaches(
    status: ComplaintStatus,
    received_ms: int,
    acknowledged_ms: int | None,
    resolved_ms: int | None,
    respond_by_ms: int | None,
    resolve_by_ms: int | None,
    at_ms: int,
    *,
    deadlines: Deadlines = DEFAULT_DEADLINES,
) -> list[str]:
    """Deadlines missed so far, met late or not at all (for service-level reporting).

    Unlike :func:`complaint_overdue` this keeps history: a complaint answered after
    ``respond_by`` and resolved after ``resolve_by`` has both reasons even once closed.
    """
    responded, resolved, open_at, respond_by, resolve_by = _complaint_timeline(
        status, received_ms, acknowledged_ms, resolved_ms, respond_by_ms, resolve_by_ms, at_ms, deadlines
    )
    if received_ms > at_ms:
        return []
    reasons = []
    if (responded is None and at_ms > respond_by) or (responded is not None and responded > respond_by):
        reasons.append(REASON_RESPONSE_LATE)
    done = None if open_at else resolved
    if (done is None and open_at and at_ms > resolve_by) or (done is not None and done > resolve_by):
        reasons.append(REASON_RESOLUTION_LATE)
    return reasons


def post_resolution_sentiment(
    resolved_ms: int, feedback: Iterable[tuple[int, float]], at_ms: int, window_days: float = 30.0
) -> float | None:
    """Satisfaction after resolution: mean sentiment of feedback in ``(resolved, resolved + window]``.

    Only feedback known at ``at_ms`` counts; None when there is none (no answer is not
    a neutral answer). ``feedback`` is ``(at_ms, sentiment in [-1, 1])``.
    """
    _ms("resolved_ms", resolved_ms)
    _ms("at_ms", at_ms)
    _check(_finite(window_days) and window_days > 0, "window_days must be > 0")
    end = min(at_ms, resolved_ms + int(window_days * MS_PER_DAY))
    vals = []
    for t, s in feedback:
        _check(_finite(s) and -1.0 <= s <= 1.0, f"sentiment {s!r} not in [-1, 1]")
        if resolved_ms < t <= end:
            vals.append(float(s))
    return math.fsum(vals) / len(vals) if vals else None


def complaint_status_at(
    status: ComplaintStatus,
    received_ms: int,
    stamps: Mapping[ComplaintStatus, int | None],
    at_ms: int,
) -> ComplaintStatus | None:
    """The status a complaint had at ``at_ms``, from its current status and its stamps.

    A complaint keeps one time per status (``acknowledged_at``, ``escalated_at``,
    ``resolved_at``, ``closed_at``: the latest time it entered that status), so the past
    is read back as: the current status if it was entered by ``at_ms`` (or has no stamp),
    else the status with the latest stamp at or before ``at_ms`` (RECEIVED at
    ``received_ms``). None when it was not received yet. Exact for every complaint that
    moved forward through the lifecycle; one that looped (escalated again after a
    resolution) is read back from the latest entry into each status, the best its
    stamps allow.
    """
    status = ComplaintStatus(status)
    _ms("received_ms", received_ms)
    _ms("at_ms", at_ms)
    for s, t in stamps.items():
        _opt_ms(f"{ComplaintStatus(s).value} stamp", t)
    if received_ms > at_ms:
        return None
    entered = stamps.get(status) if status is not ComplaintStatus.RECEIVED else received_ms
    if entered is None or entered <= at_ms:
        return status
    best, best_t = ComplaintStatus.RECEIVED, received_ms
    for s, t in stamps.items():
        s = ComplaintStatus(s)
        if s is not ComplaintStatus.RECEIVED and t is not None and best_t <= t <= at_ms:
            best, best_t = s, t
    return best


@dataclass(frozen=True)
class SatisfactionSummary:
    """Satisfaction after resolution over a window: complaints resolved in it, how many
    of them carry the follow-up's rating, and the mean rating (None when none does)."""

    window_days: float
    resolved: int
    rated: int
    average: float | None


def satisfaction_summary(
    resolved: Iterable[tuple[int, float | None]], at_ms: int, window_days: float
) -> SatisfactionSummary:
    """Mean follow-up rating of the complaints resolved in ``(at - window, at]``.

    ``resolved`` are ``(resolved_ms, satisfaction in [-1, 1] or None)``; those resolved
    outside the window are left out. An unrated complaint counts as resolved but not in
    the mean: no answer is not a neutral answer (as in :func:`post_resolution_sentiment`).
    """
    _ms("at_ms", at_ms)
    _check(_finite(window_days) and window_days > 0, "window_days must be > 0")
    start = at_ms - window_days * MS_PER_DAY
    count, ratings = 0, []
    for t, rating in resolved:
        _ms("resolved_ms", t)
        if not (start < t <= at_ms):
            continue
        count += 1
        if rating is not None:
            _check(_finite(rating) and -1.0 <= rating <= 1.0, f"satisfaction {rating!r} not in [-1, 1]")
            ratings.append(float(rating))
    average = _clamp_unit(math.fsum(ratings) / len(ratings)) if ratings else None
    return SatisfactionSummary(window_days=float(window_days), resolved=count, rated=len(ratings), average=average)


def _clamp_unit(x: float) -> float:
    """Guard a mean of values in [-1, 1] against float rounding."""
    return min(1.0, max(-1.0, x))


# --------------------------------------------------------------------------- systemic issues


@dataclass(frozen=True)
class SystemicIssue:
    """One category raised by several distinct customers within a window.

    ``customers`` are the distinct customers counted (sorted): organisations, a person
    counting for the organisation it works for (see :func:`complaint_customer`);
    ``complainants`` are the stakeholders who actually complained (sorted); ``count`` the
    complaints and ``first_ms``/``last_ms`` the first and last of them, over one
    *episode*: the union of overlapping qualifying windows (see :func:`systemic_issues`).
    """

    category: str
    customers: tuple[str, ...]
    count: int
    first_ms: int
    last_ms: int
    complainants: tuple[str, ...] = ()


def complaint_customer(complainant: str, employers: Iterable[tuple[str, bool]]) -> str:
    """The customer a complaint counts for: the organisation its complainant works for.

    ``employers`` are ``(organisation id, is a customer)`` of the organisations the
    complainant worked for when it complained (none for an organisation, or a person on
    its own: then it counts as itself). A customer organisation is preferred over any
    other; among several, the smallest id, so the answer never depends on read order.
    """
    ranked = sorted((not customer, org) for org, customer in employers)
    return ranked[0][1] if ranked else complainant


def _episodes(
    rows: list[tuple[int, str]], window_ms: int, min_customers: int
) -> list[tuple[int, int]]:
    """Index ranges [i, j] of merged qualifying windows over time-sorted ``(t, customer)``.

    A window qualifies when it holds ``min_customers`` distinct customers. Any such
    window can be shrunk to end at its last complaint without losing one, so only the
    windows ``[t_j - W, t_j]`` need checking: a two-pointer sweep, O(n).
    """
    counts: dict[str, int] = {}
    i = 0
    spans: list[tuple[int, int]] = []
    for j, (tj, cj) in enumerate(rows):
        counts[cj] = counts.get(cj, 0) + 1
        while rows[i][0] < tj - window_ms:
            ci = rows[i][1]
            counts[ci] -= 1
            if counts[ci] == 0:
                del counts[ci]
            i += 1
        if len(counts) >= min_customers:
            if spans and i <= spans[-1][1]:
                spans[-1] = (spans[-1][0], j)
            else:
                spans.append((i, j))
    return spans


def systemic_issues(
    complaints: Iterable[tuple[str, str | None, int] | tuple[str, str | None, int, str]],
    window_days: float,
    min_customers: int,
    at_ms: int,
    *,
    since_ms: int | None = None,
) -> list[SystemicIssue]:
    """Categories raised by ``min_customers`` or more DISTINCT customers within ``window_days``.

    ``complaints`` are ``(customer, category, received_ms)``, or ``(customer, category,
    received_ms, complainant)`` when the one who complained is not the customer counted
    (a person counting for its organisation, :func:`complaint_customer`): two people of
    one organisation are one customer. Windows are closed intervals ``[t - W, t]``
    sliding over all ``t <= at_ms`` (so two complaints exactly W days apart share a
    window); complaints after ``at_ms`` are not yet known, and with ``since_ms`` those
    before it are ignored (``since_ms = at - W`` gives only the trailing window).
    Qualifying windows that overlap are merged into one episode, one
    :class:`SystemicIssue` each, so a long-running problem is reported once and may span
    more than W days. Complaints without a category cannot be grouped and are skipped.
    Most recent episode first, then more customers first, then by category.
    """
    _check(_finite(window_days) and window_days >= 0, "window_days must be >= 0")
    _check(isinstance(min_customers, int) and min_customers >= 1, "min_customers must be an int >= 1")
    _ms("at_ms", at_ms)
    _opt_ms("since_ms", since_ms)
    window_ms = int(window_days * MS_PER_DAY)
    by_cat: dict[str, list[tuple[int, str, str]]] = {}
    for row in complaints:
        customer, cat, t = row[0], row[1], row[2]
        complainant = row[3] if len(row) > 3 else customer  # type: ignore[misc]
        _ms("received_ms", t)
        if cat is None or t > at_ms or (since_ms is not None and t < since_ms):
            continue
        by_cat.setdefault(str(cat), []).append((t, str(customer), str(complainant)))
    out = []
    for cat, rows in by_cat.items():
        rows.sort()
        for i, j in _episodes([(t, c) for t, c, _ in rows], window_ms, min_customers):
            part = rows[i : j + 1]
            out.append(
                SystemicIssue(
                    category=cat,
                    customers=tuple(sorted({c for _, c, _ in part})),
                    count=len(part),
                    first_ms=part[0][0],
                    last_ms=part[-1][0],
                    complainants=tuple(sorted({who for _, _, who in part})),
                )
            )
    out.sort(key=lambda s: (-s.last_ms, -len(s.customers), s.category, s.first_ms))
    return out


# --------------------------------------------------------------------------- retention


def at_risk_reasons(
    *,
    strength_delta_90d: float,
    open_complaints: int,
    overdue_complaints: int,
    our_strength: float,
    best_competitor_strength: float | None,
    single_threaded: bool,
    falling_threshold: float = -0.1,
) -> list[str]:
    """Why an account is at risk (seed 001: keeping a customer is 5-6x cheaper than winning one).

    * FALLING_STRENGTH -- the 90-day strength change is at or below ``falling_threshold``
      (an absolute fall of 0.1 by default: one health band is 0.25 wide);
    * OPEN_COMPLAINTS -- any complaint open; OVERDUE_COMPLAINTS -- any overdue (both are
      reported: overdue ones are open too, but late is worse and says so);
    * COMPETITOR_STRONGER -- a competitor's tie to the account is strictly stronger
      than ours (a tie is not a loss);
    * SINGLE_THREADED -- the account hangs on one of our employees (strength roll-up).

    Reasons come in this fixed order; an empty list means not at risk.
    """
    _check(_finite(strength_delta_90d) and -1.0 <= strength_delta_90d <= 1.0, "strength_delta_90d not in [-1, 1]")
    _check(isinstance(open_complaints, int) and open_complaints >= 0, "open_complaints must be an int >= 0")
    _check(isinstance(overdue_complaints, int) and overdue_complaints >= 0, "overdue_complaints must be an int >= 0")
    _check(_finite(our_strength) and 0.0 <= our_strength <= 1.0, "our_strength not in [0, 1]")
    if best_competitor_strength is not None:
        _check(_finite(best_competitor_strength) and 0.0 <= best_competitor_strength <= 1.0,
               "best_competitor_strength not in [0, 1]")
    _check(_finite(falling_threshold) and falling_threshold < 0.0, "falling_threshold must be < 0")
    reasons = []
    if strength_delta_90d <= falling_threshold:
        reasons.append(REASON_FALLING_STRENGTH)
    if open_complaints > 0:
        reasons.append(REASON_OPEN_COMPLAINTS)
    if overdue_complaints > 0:
        reasons.append(REASON_OVERDUE_COMPLAINTS)
    if best_competitor_strength is not None and best_competitor_strength > our_strength:
        reasons.append(REASON_COMPETITOR_STRONGER)
    if single_threaded:
        reasons.append(REASON_SINGLE_THREADED)
    return reasons


# --------------------------------------------------------------------------- competitors


@dataclass(frozen=True)
class CompetitorTie:
    """One competitor's tie to the account, beside ours (``margin = theirs - ours``)."""

    competitor_id: str
    strength: float
    margin: float
    stronger: bool


@dataclass(frozen=True)
class Contest:
    """An account's competitors ranked by strength (desc, ties by id), with our position.

    ``our_rank`` is 1 + the number of competitors strictly stronger than us (a tie does
    not push us down); ``lead`` is ours minus the best competitor's (negative when
    behind); ``contested`` when at least one competitor has a tie of positive strength.
    """

    our_strength: float
    competitors: tuple[CompetitorTie, ...]
    best_competitor_id: str | None
    best_competitor_strength: float | None
    lead: float | None
    our_rank: int
    contested: bool


def contested(our_strength: float, competitor_strengths: Mapping[str, float]) -> Contest:
    """Seed 000: rank the competitors tied to an account beside our own strength."""
    _check(_finite(our_strength) and 0.0 <= our_strength <= 1.0, "our_strength not in [0, 1]")
    for k, s in competitor_strengths.items():
        _check(_finite(s) and 0.0 <= s <= 1.0, f"strength of competitor {k!r} not in [0, 1]")
    ranked = sorted(competitor_strengths.items(), key=lambda kv: (-kv[1], kv[0]))
    ties = tuple(
        CompetitorTie(competitor_id=k, strength=s, margin=s - our_strength, stronger=s > our_strength)
        for k, s in ranked
    )
    best = ties[0] if ties else None
    return Contest(
        our_strength=our_strength,
        competitors=ties,
        best_competitor_id=best.competitor_id if best else None,
        best_competitor_strength=best.strength if best else None,
        lead=our_strength - best.strength if best else None,
        our_rank=1 + sum(1 for t in ties if t.stronger),
        contested=any(t.strength > 0.0 for t in ties),
    )
