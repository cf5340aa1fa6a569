"""Tests for relgraph.scoring.care: contact plans, complaint deadlines, systemic issues, risk."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relgraph.domain.complaints import Deadlines
from relgraph.domain.enums import ComplaintStatus as S
from relgraph.domain.enums import InteractionType, Tier
from relgraph.scoring.care import (
    AT_RISK_REASONS,
    REASON_COMPETITOR_STRONGER,
    REASON_FALLING_STRENGTH,
    REASON_OPEN_COMPLAINTS,
    REASON_OVERDUE_COMPLAINTS,
    REASON_RESOLUTION_LATE,
    REASON_RESPONSE_LATE,
    REASON_SINGLE_THREADED,
    PlanView,
    at_risk_reasons,
    cadence_for,
    complaint_breaches,
    complaint_customer,
    complaint_deadlines,
    complaint_overdue,
    complaint_status_at,
    contested,
    is_contact,
    last_contact,
    next_contact_due,
    overdue_contacts,
    plan_due,
    post_resolution_sentiment,
    satisfaction_summary,
    systemic_issues,
)
from relgraph.scoring.strength import MS_PER_DAY

DAY = MS_PER_DAY
HOUR = 3_600_000
T0 = 1_700_000_000_000

# ----------------------------------------------------------------------------- contact plans


def test_cadence_and_next_contact_due():
    assert [cadence_for(t) for t in (Tier.KEY, Tier.SUITABLE, Tier.GENERAL, None)] == [14, 30, 90, 90]
    assert cadence_for(Tier.KEY, {Tier.KEY: 7}) == 7
    assert next_contact_due(T0, 14) == T0 + 14 * DAY
    assert next_contact_due(T0, 0.5) == T0 + DAY // 2
    for bad in (0, -1, float("nan")):
        with pytest.raises(ValueError):
            next_contact_due(T0, bad)
    with pytest.raises(ValueError):
        next_contact_due(float(T0), 14)  # type: ignore[arg-type]


def test_plan_due_precedence():
    assert plan_due(PlanView("a", Tier.KEY, last_contact_ms=T0)) == T0 + 14 * DAY
    assert plan_due(PlanView("a", Tier.KEY, cadence_days=3, last_contact_ms=T0)) == T0 + 3 * DAY
    assert plan_due(PlanView("a", Tier.KEY, last_contact_ms=T0, next_contact_ms=T0 + DAY)) == T0 + DAY
    assert plan_due(PlanView("a", Tier.SUITABLE, since_ms=T0)) == T0 + 30 * DAY  # never contacted
    assert plan_due(PlanView("a")) is None


def test_what_counts_as_a_contact_by_us():
    both_ways = {"VISIT", "MEETING", "CALL", "EVENT", "SERVICE"}
    ours_only = {"EMAIL", "MESSAGE", "FEEDBACK"}
    for kind in InteractionType:
        assert is_contact(kind, True) == (kind.value in both_ways | ours_only), kind
        assert is_contact(kind, False) == (kind.value in both_ways), kind
    assert not is_contact("ORDER", True) and not is_contact("COMPLAINT", True)


def test_last_contact_is_the_latest_real_one_known_then():
    rows = [("MEETING", T0, False), ("EMAIL", T0 + DAY, False), ("ORDER", T0 + 2 * DAY, True),
            ("EMAIL", T0 + 3 * DAY, True), ("VISIT", T0 + 5 * DAY, True)]
    assert last_contact(rows, T0 + 10 * DAY) == T0 + 5 * DAY
    assert last_contact(rows, T0 + 4 * DAY) == T0 + 3 * DAY  # the visit had not happened yet
    assert last_contact(rows, T0 + 2 * DAY) == T0  # their e-mail and their order are not ours
    assert last_contact(rows, T0 - 1) is None


def test_a_contact_moves_the_plan_and_replaces_an_older_owners_date():
    set_at = T0 + 10 * DAY
    # no date of the owner's: one cadence after the last contact, even one before the plan
    assert plan_due(PlanView("a", Tier.KEY, last_contact_ms=T0, since_ms=set_at)) == T0 + 14 * DAY
    # the owner's date stands against contacts before the plan was set ...
    dated = PlanView("a", Tier.KEY, last_contact_ms=T0, next_contact_ms=set_at + 60 * DAY, since_ms=set_at)
    assert plan_due(dated) == set_at + 60 * DAY
    # ... and gives way to one after it
    later = PlanView("a", Tier.KEY, last_contact_ms=set_at + DAY, next_contact_ms=set_at + 60 * DAY, since_ms=set_at)
    assert plan_due(later) == set_at + 15 * DAY
    # never contacted, no date: one cadence after the plan was set
    assert plan_due(PlanView("a", Tier.GENERAL, since_ms=set_at)) == set_at + 90 * DAY


@settings(deadline=None, max_examples=60)
@given(
    since=st.integers(0, 100 * DAY),
    owner=st.none() | st.integers(0, 200 * DAY),
    contacts=st.lists(st.integers(0, 200 * DAY), max_size=5),
    cadence=st.integers(1, 120),
)
def test_a_contact_after_the_plan_always_sets_the_due_date(since, owner, contacts, cadence):
    """Whatever came before, the due date is one cadence after the latest contact once a
    contact came after the plan was set; and recording a contact never leaves the due
    date earlier than one cadence after it, unless the owner's later date stands."""
    last = max(contacts) + T0 if contacts else None
    plan = PlanView("a", cadence_days=cadence, last_contact_ms=last,
                    next_contact_ms=None if owner is None else T0 + owner, since_ms=T0 + since)
    due = plan_due(plan)
    if last is not None and (owner is None or last > T0 + since):
        assert due == last + cadence * DAY
    elif owner is not None:
        assert due == T0 + owner
    else:
        assert due == T0 + since + cadence * DAY


def test_overdue_contacts_most_overdue_first():
    at = T0 + 100 * DAY
    plans = [
        PlanView("key-late", Tier.KEY, last_contact_ms=at - 20 * DAY),  # due at-6d
        PlanView("general-ok", Tier.GENERAL, last_contact_ms=at - 20 * DAY),  # due at+70d
        PlanView("suitable-later", Tier.SUITABLE, last_contact_ms=at - 40 * DAY),  # due at-10d
        PlanView("due-now", Tier.KEY, last_contact_ms=at - 14 * DAY),  # due exactly at: not overdue
        PlanView("b-tie", Tier.KEY, last_contact_ms=at - 20 * DAY),  # same as key-late
        PlanView("undated"),
    ]
    out = overdue_contacts(plans, at)
    assert [o.plan.account_id for o in out] == ["undated", "suitable-later", "b-tie", "key-late"]
    assert out[0].due_ms is None and out[0].overdue_days is None
    assert out[1].overdue_days == pytest.approx(10.0)
    assert overdue_contacts(plans, at, {Tier.KEY: 30, Tier.SUITABLE: 30, Tier.GENERAL: 90})[1].plan.account_id == (
        "suitable-later"
    )


@settings(deadline=None, max_examples=40)
@given(
    rows=st.lists(
        st.tuples(st.sampled_from([Tier.KEY, Tier.SUITABLE, Tier.GENERAL, None]), st.integers(0, 200 * DAY)),
        max_size=20,
    ),
    at=st.integers(0, 300 * DAY),
)
def test_overdue_contacts_is_exactly_the_past_due(rows, at):
    plans = [PlanView(f"p{i:02d}", tier, last_contact_ms=T0 + t) for i, (tier, t) in enumerate(rows)]
    out = overdue_contacts(plans, T0 + at)
    expected = {p.account_id for p in plans if plan_due(p) < T0 + at}
    assert {o.plan.account_id for o in out} == expected
    dues = [(o.due_ms, o.plan.account_id) for o in out]
    assert dues == sorted(dues)
    assert all(o.overdue_days > 0 for o in out)


# ----------------------------------------------------------------------------- complaints


def overdue(status, ack=None, res=None, at=T0, received=T0, respond_by=None, resolve_by=None, **kw):
    return complaint_overdue(status, received, ack, res, respond_by, resolve_by, at, **kw)


def test_complaint_deadlines_default_and_configurable():
    assert complaint_deadlines(T0) == (T0 + 24 * HOUR, T0 + 7 * DAY)
    assert complaint_deadlines(T0, Deadlines(respond_hours=4, resolve_days=2)) == (T0 + 4 * HOUR, T0 + 2 * DAY)


def test_complaint_on_time_at_the_deadline_instant():
    assert overdue(S.RECEIVED, at=T0 + 24 * HOUR) == (False, [])
    assert overdue(S.ACKNOWLEDGED, ack=T0 + HOUR, at=T0 + 7 * DAY) == (False, [])


def test_response_late_alone():
    assert overdue(S.RECEIVED, at=T0 + 2 * DAY) == (True, [REASON_RESPONSE_LATE])
    # escalated internally but nobody answered the customer: still no response
    assert overdue(S.ESCALATED, at=T0 + 2 * DAY) == (True, [REASON_RESPONSE_LATE])


def test_resolution_late_alone():
    assert overdue(S.ACKNOWLEDGED, ack=T0 + HOUR, at=T0 + 8 * DAY) == (True, [REASON_RESOLUTION_LATE])


def test_both_late():
    assert overdue(S.RECEIVED, at=T0 + 8 * DAY) == (True, [REASON_RESPONSE_LATE, REASON_RESOLUTION_LATE])


def test_resolved_or_closed_is_never_overdue_but_keeps_its_breaches():
    late = dict(ack=T0 + 3 * DAY, res=T0 + 10 * DAY, at=T0 + 30 * DAY)
    for status in (S.RESOLVED, S.CLOSED):
        assert overdue(status, **late) == (False, [])
        assert complaint_breaches(status, T0, late["ack"], late["res"], None, None, late["at"]) == [
            REASON_RESPONSE_LATE,
            REASON_RESOLUTION_LATE,
        ]
    assert complaint_breaches(S.CLOSED, T0, T0 + HOUR, T0 + DAY, None, None, T0 + 30 * DAY) == []
    # acknowledged late but now on track: not overdue, yet the breach is recorded
    assert overdue(S.ACKNOWLEDGED, ack=T0 + 2 * DAY, at=T0 + 3 * DAY) == (False, [])
    assert complaint_breaches(S.ACKNOWLEDGED, T0, T0 + 2 * DAY, None, None, None, T0 + 3 * DAY) == [
        REASON_RESPONSE_LATE
    ]


def test_resolving_straight_away_is_a_response():
    assert overdue(S.RESOLVED, res=T0 + HOUR, at=T0 + 30 * DAY) == (False, [])
    assert complaint_breaches(S.CLOSED, T0, None, T0 + HOUR, None, None, T0 + 30 * DAY) == []


def test_reopened_complaint_is_open_again():
    """RESOLVED then ESCALATED: the old resolution counted as a response, not as a resolution."""
    assert overdue(S.ESCALATED, res=T0 + HOUR, at=T0 + 8 * DAY) == (True, [REASON_RESOLUTION_LATE])


def test_as_of_ignores_later_events():
    # acknowledged after `at`: at `at` it was unanswered
    assert overdue(S.ACKNOWLEDGED, ack=T0 + 3 * DAY, at=T0 + 2 * DAY) == (True, [REASON_RESPONSE_LATE])
    # closed now, resolved after `at`: open (and late) at `at`
    assert overdue(S.CLOSED, ack=T0 + HOUR, res=T0 + 9 * DAY, at=T0 + 8 * DAY) == (True, [REASON_RESOLUTION_LATE])
    # received after `at`: did not exist yet
    assert overdue(S.RECEIVED, received=T0 + DAY, at=T0) == (False, [])
    assert complaint_breaches(S.RECEIVED, T0 + DAY, None, None, None, None, T0) == []


def test_explicit_deadlines_override_and_configurable_defaults():
    assert overdue(S.RECEIVED, at=T0 + 2 * HOUR, respond_by=T0 + HOUR) == (True, [REASON_RESPONSE_LATE])
    assert overdue(S.RECEIVED, at=T0 + 2 * DAY, respond_by=T0 + 3 * DAY) == (False, [])
    quick = Deadlines(respond_hours=1, resolve_days=1)
    assert overdue(S.ACKNOWLEDGED, ack=T0 + 30 * 60_000, at=T0 + 2 * DAY, deadlines=quick) == (
        True,
        [REASON_RESOLUTION_LATE],
    )


def test_complaint_input_validation():
    with pytest.raises(ValueError):
        overdue("NOT_A_STATUS")
    with pytest.raises(ValueError):
        overdue(S.RECEIVED, at=float(T0))


@settings(deadline=None, max_examples=50)
@given(
    status=st.sampled_from(list(S)),
    ack=st.one_of(st.none(), st.integers(0, 20 * DAY)),
    res=st.one_of(st.none(), st.integers(0, 20 * DAY)),
    at=st.integers(-DAY, 30 * DAY),
)
def test_overdue_iff_reasons_and_subset_of_breaches(status, ack, res, at):
    a = None if ack is None else T0 + ack
    r = None if res is None else T0 + res
    flag, reasons = complaint_overdue(status, T0, a, r, None, None, T0 + at)
    assert flag == bool(reasons)
    assert set(reasons) <= set(complaint_breaches(status, T0, a, r, None, None, T0 + at))
    if status in (S.RESOLVED, S.CLOSED) and (r is None or r <= T0 + at):
        assert not flag


def test_post_resolution_sentiment():
    fb = [(T0 - DAY, -1.0), (T0 + DAY, 0.5), (T0 + 10 * DAY, 0.0), (T0 + 40 * DAY, 1.0)]
    assert post_resolution_sentiment(T0, fb, T0 + 60 * DAY) == pytest.approx(0.25)
    assert post_resolution_sentiment(T0, fb, T0 + 2 * DAY) == pytest.approx(0.5)  # as of: later ones unknown
    assert post_resolution_sentiment(T0, fb, T0 + 60 * DAY, window_days=60) == pytest.approx(0.5)
    assert post_resolution_sentiment(T0, [], T0 + DAY) is None
    with pytest.raises(ValueError):
        post_resolution_sentiment(T0, [(T0 + DAY, 2.0)], T0 + DAY)


# ----------------------------------------------------------------------------- systemic issues


def test_systemic_window_boundary_is_inclusive():
    at = T0 + 100 * DAY
    pair = [("c1", "billing", T0), ("c2", "billing", T0 + 7 * DAY)]
    issues = systemic_issues(pair, 7, 2, at)
    assert len(issues) == 1
    i = issues[0]
    assert (i.category, i.customers, i.count, i.first_ms, i.last_ms) == (
        "billing", ("c1", "c2"), 2, T0, T0 + 7 * DAY
    )
    apart = [("c1", "billing", T0), ("c2", "billing", T0 + 7 * DAY + 1)]
    assert systemic_issues(apart, 7, 2, at) == []


def test_systemic_needs_distinct_customers():
    same = [("c1", "delivery", T0 + k * HOUR) for k in range(10)]
    assert systemic_issues(same, 7, 2, T0 + DAY) == []
    two = same + [("c2", "delivery", T0 + 11 * HOUR)]
    (issue,) = systemic_issues(two, 7, 2, T0 + DAY)
    assert issue.customers == ("c1", "c2") and issue.count == 11


def test_systemic_ignores_future_early_and_uncategorised_complaints():
    rows = [("c1", "q", T0), ("c2", "q", T0 + DAY), ("c3", None, T0 + DAY)]
    assert systemic_issues(rows, 7, 2, T0 + DAY - 1) == []  # c2's complaint is not known yet
    assert len(systemic_issues(rows, 7, 2, T0 + DAY)) == 1
    assert systemic_issues(rows, 7, 2, T0 + DAY, since_ms=T0 + 1) == []  # trailing view only
    assert systemic_issues(rows, 7, 3, T0 + 10 * DAY) == []  # the uncategorised one does not count


def test_systemic_episodes_merge_overlaps_and_split_gaps():
    rows = [
        ("a", "pack", T0),
        ("b", "pack", T0 + 5 * DAY),
        ("c", "pack", T0 + 11 * DAY),  # window [4d, 11d] holds b and c: overlaps the first
        ("d", "pack", T0 + 100 * DAY),
        ("e", "pack", T0 + 101 * DAY),  # a second, separate episode
        ("x", "price", T0 + 50 * DAY),
        ("y", "price", T0 + 51 * DAY),
        ("z", "price", T0 + 52 * DAY),
    ]
    issues = systemic_issues(rows, 7, 2, T0 + 200 * DAY)
    got = [(i.category, i.customers, i.count, i.first_ms, i.last_ms) for i in issues]
    assert got == [
        ("pack", ("d", "e"), 2, T0 + 100 * DAY, T0 + 101 * DAY),
        ("price", ("x", "y", "z"), 3, T0 + 50 * DAY, T0 + 52 * DAY),
        ("pack", ("a", "b", "c"), 3, T0, T0 + 11 * DAY),
    ]
    assert [i.category for i in systemic_issues(rows, 7, 3, T0 + 200 * DAY)] == ["price"]
    with pytest.raises(ValueError):
        systemic_issues(rows, 7, 0, T0)


def test_a_person_counts_for_its_organisation():
    assert complaint_customer("pat", [("acme", True)]) == "acme"
    assert complaint_customer("pat", []) == "pat"  # a person on its own counts as itself
    assert complaint_customer("acme", []) == "acme"
    # a customer organisation before any other; then the smallest id
    assert complaint_customer("pat", [("club", False), ("zeta", True), ("acme", True)]) == "acme"
    assert complaint_customer("pat", [("club", False)]) == "club"


def test_systemic_counts_one_organisation_and_its_people_once():
    rows = [("acme", "delivery", T0, "acme"), ("acme", "delivery", T0 + DAY, "pat"),
            ("acme", "delivery", T0 + 2 * DAY, "sam"), ("beta", "delivery", T0 + 3 * DAY)]
    assert systemic_issues(rows, 30, 3, T0 + 10 * DAY) == []  # two customers, not four
    (issue,) = systemic_issues(rows, 30, 2, T0 + 10 * DAY)
    assert issue.customers == ("acme", "beta") and issue.complainants == ("acme", "beta", "pat", "sam")
    assert issue.count == 4 and (issue.first_ms, issue.last_ms) == (T0, T0 + 3 * DAY)


@settings(deadline=None, max_examples=40)
@given(
    rows=st.lists(st.tuples(st.sampled_from("pqrst"), st.integers(0, 30 * DAY)), max_size=20),
    employer=st.dictionaries(st.sampled_from("pqrst"), st.sampled_from("AB"), max_size=5),
    k=st.integers(1, 4),
)
def test_grouping_people_into_organisations_never_adds_customers(rows, employer, k):
    """Counting people as their organisations can only merge customers: every issue found
    by organisation lies inside one found person by person, and names each complainant's
    organisation."""
    at = T0 + 40 * DAY
    by_org = [(employer.get(who, who), "q", T0 + t, who) for who, t in rows]
    by_person = [(who, "q", T0 + t) for who, t in rows]
    grouped, single = systemic_issues(by_org, 7, k, at), systemic_issues(by_person, 7, k, at)
    for issue in grouped:
        assert {employer.get(w, w) for w in issue.complainants} == set(issue.customers)
        assert len(issue.customers) <= len(issue.complainants)
        assert any(s.first_ms <= issue.first_ms and issue.last_ms <= s.last_ms for s in single)


complaint_rows = st.lists(
    st.tuples(st.sampled_from("abcde"), st.sampled_from(["q", "r"]), st.integers(0, 60 * DAY)), max_size=25
)


@settings(deadline=None, max_examples=40)
@given(rows=complaint_rows, window=st.integers(0, 20), k=st.integers(1, 4), at=st.integers(0, 70 * DAY))
def test_systemic_matches_brute_force(rows, window, k, at):
    """Against the definition: every closed window [t - W, t], t <= at, scanned naively."""
    rows = [(c, cat, T0 + t) for c, cat, t in rows]
    at += T0
    w = window * DAY
    issues = systemic_issues(rows, window, k, at)
    for cat in ("q", "r"):
        known = [(c, t) for c, x, t in rows if x == cat and t <= at]
        covered = set()
        for _, end in known:
            inside = [(c, t) for c, t in known if end - w <= t <= end]
            if len({c for c, _ in inside}) >= k:
                covered |= {t for _, t in inside}
        mine = [i for i in issues if i.category == cat]
        assert bool(covered) == bool(mine)
        reported = set()
        for i in mine:
            assert len(i.customers) >= k
            part = [(c, t) for c, t in known if i.first_ms <= t <= i.last_ms]
            assert i.count == len(part) and set(i.customers) == {c for c, _ in part}
            reported |= {t for _, t in part}
        assert reported == covered


# ----------------------------------------------------------------------------- at risk

CALM = dict(
    strength_delta_90d=0.0,
    open_complaints=0,
    overdue_complaints=0,
    our_strength=0.6,
    best_competitor_strength=0.3,
    single_threaded=False,
)


@pytest.mark.parametrize(
    "change, reason",
    [
        ({"strength_delta_90d": -0.2}, REASON_FALLING_STRENGTH),
        ({"strength_delta_90d": -0.1}, REASON_FALLING_STRENGTH),  # at the threshold: falling
        ({"open_complaints": 1}, REASON_OPEN_COMPLAINTS),
        ({"overdue_complaints": 1}, REASON_OVERDUE_COMPLAINTS),
        ({"best_competitor_strength": 0.7}, REASON_COMPETITOR_STRONGER),
        ({"single_threaded": True}, REASON_SINGLE_THREADED),
    ],
)
def test_each_at_risk_reason_alone(change, reason):
    assert at_risk_reasons(**CALM) == []
    assert at_risk_reasons(**{**CALM, **change}) == [reason]


def test_at_risk_edges_and_order():
    assert at_risk_reasons(**{**CALM, "strength_delta_90d": -0.09}) == []
    assert at_risk_reasons(**{**CALM, "strength_delta_90d": -0.09, "falling_threshold": -0.05}) == [
        REASON_FALLING_STRENGTH
    ]
    assert at_risk_reasons(**{**CALM, "best_competitor_strength": 0.6}) == []  # a tie is not a loss
    assert at_risk_reasons(**{**CALM, "best_competitor_strength": None}) == []
    everything = dict(
        strength_delta_90d=-0.5, open_complaints=2, overdue_complaints=1, our_strength=0.1,
        best_competitor_strength=0.9, single_threaded=True,
    )
    assert at_risk_reasons(**everything) == list(AT_RISK_REASONS)
    for bad in ({"our_strength": 1.5}, {"open_complaints": -1}, {"falling_threshold": 0.1}):
        with pytest.raises(ValueError):
            at_risk_reasons(**{**CALM, **bad})


# ----------------------------------------------------------------------------- contested


def test_contested_ranks_competitors_beside_ours():
    c = contested(0.5, {"rival-b": 0.7, "rival-a": 0.7, "rival-c": 0.2, "rival-d": 0.5})
    assert [t.competitor_id for t in c.competitors] == ["rival-a", "rival-b", "rival-d", "rival-c"]
    assert [t.stronger for t in c.competitors] == [True, True, False, False]
    assert c.competitors[0].margin == pytest.approx(0.2)
    assert (c.best_competitor_id, c.best_competitor_strength) == ("rival-a", 0.7)
    assert c.lead == pytest.approx(-0.2)
    assert c.our_rank == 3 and c.contested
    alone = contested(0.4, {})
    assert (alone.contested, alone.our_rank, alone.best_competitor_id, alone.lead) == (False, 1, None, None)
    assert not contested(0.4, {"dormant": 0.0}).contested
    with pytest.raises(ValueError):
        contested(0.4, {"x": 1.2})


# ----------------------------------------------------------------------------- status as of a moment

from relgraph.domain.complaints import TRANSITIONS  # noqa: E402


@st.composite
def lifecycles(draw: st.DrawFn) -> list[tuple[S, int]]:
    """A legal path from RECEIVED, with strictly increasing times."""
    path = [(S.RECEIVED, draw(st.integers(0, 10 * DAY)))]
    for _ in range(draw(st.integers(0, 6))):
        options = sorted(TRANSITIONS[path[-1][0]], key=lambda s: s.value)
        if not options:
            break
        path.append((draw(st.sampled_from(options)), path[-1][1] + draw(st.integers(1, 5 * DAY))))
    return path


def _stamps(path: list[tuple[S, int]]) -> dict[S, int | None]:
    """What a complaint keeps: the latest time it entered each status."""
    stamps: dict[S, int | None] = {s: None for s in (S.ACKNOWLEDGED, S.ESCALATED, S.RESOLVED, S.CLOSED)}
    for status, t in path[1:]:
        stamps[status] = t
    return stamps


@given(path=lifecycles(), at=st.integers(-DAY, 60 * DAY))
@settings(max_examples=300)
def test_status_at_replays_the_lifecycle(path, at):
    got = complaint_status_at(path[-1][0], path[0][1], _stamps(path), at)
    replayed = [s for s, t in path if t <= at]
    if not replayed:
        assert got is None
    elif at >= path[-1][1]:
        assert got is path[-1][0]  # the present is always exact
    elif len({s for s, _ in path}) == len(path):
        assert got is replayed[-1]  # a path that never revisits a status is exact at every moment
    else:
        assert got in {s for s, _ in path}


def test_status_at_examples():
    stamps = {S.ACKNOWLEDGED: T0 + HOUR, S.ESCALATED: None, S.RESOLVED: T0 + 2 * DAY, S.CLOSED: T0 + 3 * DAY}
    assert complaint_status_at(S.CLOSED, T0, stamps, T0 - 1) is None
    assert complaint_status_at(S.CLOSED, T0, stamps, T0) is S.RECEIVED
    assert complaint_status_at(S.CLOSED, T0, stamps, T0 + DAY) is S.ACKNOWLEDGED
    assert complaint_status_at(S.CLOSED, T0, stamps, T0 + 2 * DAY) is S.RESOLVED
    assert complaint_status_at(S.CLOSED, T0, stamps, T0 + 3 * DAY) is S.CLOSED
    # an imported status without its stamp is taken as it is
    assert complaint_status_at(S.RESOLVED, T0, {}, T0 + 1) is S.RESOLVED
    with pytest.raises(ValueError):
        complaint_status_at(S.RESOLVED, T0, {S.RESOLVED: 1.5}, T0)  # type: ignore[dict-item]


# ----------------------------------------------------------------------------- satisfaction


def test_satisfaction_summary_examples():
    at = T0 + 100 * DAY
    rows = [(at - DAY, 0.8), (at - 2 * DAY, -0.4), (at - 3 * DAY, None), (at - 91 * DAY, 1.0), (at + 1, 1.0)]
    s = satisfaction_summary(rows, at, 90)
    assert (s.window_days, s.resolved, s.rated) == (90.0, 3, 2) and s.average == pytest.approx(0.2)
    assert satisfaction_summary([(at - 90 * DAY, 0.5)], at, 90).resolved == 0  # the window is (at - W, at]
    assert satisfaction_summary([(at, None)], at, 90).average is None
    with pytest.raises(ValueError):
        satisfaction_summary([(at, 1.5)], at, 90)
    with pytest.raises(ValueError):
        satisfaction_summary([], at, 0)


@given(
    rows=st.lists(st.tuples(st.integers(0, 200 * DAY), st.one_of(st.none(), st.floats(-1, 1))), max_size=40),
    at=st.integers(0, 200 * DAY),
    window=st.integers(1, 200),
)
def test_satisfaction_summary_matches_brute_force(rows, at, window):
    s = satisfaction_summary(rows, at, window)
    inside = [r for t, r in rows if at - window * DAY < t <= at]
    rated = [r for r in inside if r is not None]
    assert (s.resolved, s.rated) == (len(inside), len(rated))
    if rated:
        assert s.average == pytest.approx(sum(rated) / len(rated)) and -1.0 <= s.average <= 1.0
    else:
        assert s.average is None
