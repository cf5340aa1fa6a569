"""The demo generator, with no database: deterministic, consistent and realistic."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone
from statistics import mean

import pytest

from relgraph.demo import DEFAULT_END, SIZES, DemoGenerator, DemoNetwork, generate
from relgraph.domain.complaints import OPEN_STATUSES, TRANSITIONS
from relgraph.domain.enums import (
    ComplaintChannel,
    ComplaintStatus,
    Demand,
    InteractionType,
    RelationshipType,
    Role,
    Severity,
    StakeholderForm,
    StakeholderKind,
    Tier,
)

CATEGORIES = {"delivery", "quality", "billing", "service", "pricing"}
CONVERSATIONS = {InteractionType.MEETING, InteractionType.VISIT, InteractionType.CALL, InteractionType.EMAIL,
                 InteractionType.MESSAGE}


@pytest.fixture(scope="module")
def small() -> DemoNetwork:
    return generate(7, "small")


@pytest.fixture(scope="module")
def tiny() -> DemoNetwork:
    return generate(7, "tiny")


def final_statuses(net: DemoNetwork) -> dict[str, ComplaintStatus]:
    status = {c.id: ComplaintStatus.RECEIVED for c in net.complaints}
    for move in net.complaint_moves:
        status[move.id] = move.status
    return status


def by_id(net: DemoNetwork) -> dict[str, object]:
    return {s.id: s for s in net.stakeholders}


# -- determinism ------------------------------------------------------------------------


def test_same_seed_same_network(tiny: DemoNetwork) -> None:
    again = generate(7, "tiny")
    assert again == tiny
    assert again.counts() == tiny.counts()


def test_different_seed_different_network(tiny: DemoNetwork) -> None:
    other = generate(8, "tiny")
    assert other.stakeholders != tiny.stakeholders
    assert other.interactions != tiny.interactions


def test_history_ends_at_the_reference_date() -> None:
    end = datetime(2025, 3, 15, tzinfo=timezone.utc)
    net = generate(7, "tiny", end=end)
    assert net.end == end
    times = [i.at for i in net.interactions]
    assert max(times) <= end
    assert min(times) >= end - timedelta(days=730)
    assert net.interactions != generate(7, "tiny").interactions


def test_default_end_is_fixed() -> None:
    assert DEFAULT_END == datetime(2026, 11, 1, tzinfo=timezone.utc)
    assert generate(7, "tiny").end == DEFAULT_END


def test_unknown_size_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown demo size"):
        DemoGenerator(7, "huge")


# -- consistency ------------------------------------------------------------------------


def test_ids_are_unique_and_readable(small: DemoNetwork) -> None:
    for items in (small.stakeholders, small.relationships, small.interactions, small.complaints):
        ids = [i.id for i in items]
        assert len(ids) == len(set(ids))
    assert len({p.account_id for p in small.account_plans}) == len(small.account_plans)
    ids = {s.id for s in small.stakeholders}
    assert {"us", "emp-0001", "cust-00001", "person-00001-1"} <= ids
    assert all(i.id.startswith("int-") for i in small.interactions)
    assert all(c.id.startswith("cmp-") for c in small.complaints)


def test_every_reference_points_at_a_generated_stakeholder(small: DemoNetwork) -> None:
    ids = {s.id for s in small.stakeholders}
    for rel in small.relationships:
        assert rel.from_id in ids and rel.to_id in ids, rel
    for i in small.interactions:
        assert i.initiator_id in ids, i
        assert set(i.participant_ids) <= ids, i
        assert i.initiator_id not in i.participant_ids
        assert len(i.participant_ids) == len(set(i.participant_ids))
    complaint_ids = {c.id for c in small.complaints}
    for c in small.complaints:
        assert c.stakeholder_id in ids and c.owner_id in ids
    assert {m.id for m in small.complaint_moves} <= complaint_ids
    for plan in small.account_plans:
        assert plan.account_id in ids and plan.owner_id in ids
        assert all(a.contact_id in ids for a in plan.actions if a.contact_id)
    rel_ids = {r.id for r in small.relationships}
    assert {e.relationship_id for e in small.endings} <= rel_ids


def test_no_duplicate_ties(small: DemoNetwork) -> None:
    ties = Counter((r.type, r.from_id, r.to_id) for r in small.relationships)
    assert max(ties.values()) == 1


def test_times_are_consistent(small: DemoNetwork) -> None:
    end = small.end
    started = {r.id: r.started_at for r in small.relationships}
    assert all(r.started_at <= end for r in small.relationships)
    for ending in small.endings:
        assert started[ending.relationship_id] <= ending.at <= end
    assert all(s.since is None or s.since <= end for s in small.stakeholders)
    received = {c.id: c.received_at for c in small.complaints}
    last: dict[str, tuple[ComplaintStatus, datetime]] = {}
    for move in small.complaint_moves:
        status, at = last.get(move.id, (ComplaintStatus.RECEIVED, received[move.id]))
        assert move.status in TRANSITIONS[status], (move, status)
        assert move.at is not None and at < move.at <= end
        last[move.id] = (move.status, move.at)


# -- coverage ---------------------------------------------------------------------------


def test_small_covers_every_vocabulary(small: DemoNetwork) -> None:
    assert {s.kind for s in small.stakeholders} == set(StakeholderKind)
    assert {s.form for s in small.stakeholders} == set(StakeholderForm)
    assert {s.tier for s in small.stakeholders if s.tier} == set(Tier)
    assert {s.demand for s in small.stakeholders if s.demand} == set(Demand)
    assert {r.type for r in small.relationships} == set(RelationshipType)
    assert {r.role for r in small.relationships if r.role} == set(Role)
    assert {i.type for i in small.interactions} == set(InteractionType)
    assert set(final_statuses(small).values()) == set(ComplaintStatus)
    assert {m.status for m in small.complaint_moves} == set(ComplaintStatus) - {ComplaintStatus.RECEIVED}
    assert {c.channel for c in small.complaints} == set(ComplaintChannel)
    assert {c.severity for c in small.complaints} == set(Severity)
    assert {c.category for c in small.complaints} == CATEGORIES


def test_us_is_one_organisation_on_our_side(small: DemoNetwork) -> None:
    us = [s for s in small.stakeholders if s.is_us]
    assert len(us) == 1
    assert us[0].id == "us"
    assert us[0].form is StakeholderForm.ORGANIZATION and us[0].kind is StakeholderKind.EMPLOYEE


def test_customer_tiers_follow_the_pareto_shape(small: DemoNetwork) -> None:
    tiers = Counter(s.tier for s in small.stakeholders if s.tier)
    total = sum(tiers.values())
    assert total == SIZES["small"].customers
    assert 0.03 <= tiers[Tier.KEY] / total <= 0.07
    assert 0.15 <= tiers[Tier.SUITABLE] / total <= 0.25
    customers = [s for s in small.stakeholders if s.tier]
    assert all(s.industry and s.region and s.margin is not None and s.retention is not None for s in customers)
    prospects = [s for s in small.stakeholders if s.demand]
    assert prospects and all(s.kind is StakeholderKind.CUSTOMER and s.tier is None for s in prospects)
    assert all(s.potential is not None for s in prospects)


# -- structure --------------------------------------------------------------------------


def test_our_company_is_a_hierarchy(small: DemoNetwork) -> None:
    people = by_id(small)
    employees = {s.id for s in small.stakeholders if s.kind is StakeholderKind.EMPLOYEE and
                 s.form is StakeholderForm.PERSON}
    boss = {}
    for r in small.relationships:
        if r.type is RelationshipType.REPORTS_TO:
            assert r.from_id in employees and r.to_id in employees
            assert r.from_id not in boss
            boss[r.from_id] = r.to_id
    roots = employees - set(boss)
    assert roots == {"emp-0001"}
    assert people["emp-0001"].title == "Chief Executive Officer"  # type: ignore[attr-defined]
    for e in employees:  # no cycles: every chain ends at the CEO
        seen, node = set(), e
        while node in boss:
            assert node not in seen
            seen.add(node)
            node = boss[node]
        assert node == "emp-0001"
    works_for_us = {r.from_id for r in small.relationships if r.type is RelationshipType.WORKS_FOR and r.to_id == "us"}
    assert works_for_us == employees
    titles = Counter(people[e].title for e in employees)  # type: ignore[attr-defined]
    assert titles["Key Account Manager"] and titles["Account Manager"] and titles["Service Engineer"]


def test_customers_have_contacts_accounts_and_market_ties(small: DemoNetwork) -> None:
    people = by_id(small)
    kinds = {s.id: s.kind for s in small.stakeholders}
    customers = {s.id: s for s in small.stakeholders if s.kind is StakeholderKind.CUSTOMER and
                 s.form is StakeholderForm.ORGANIZATION}
    rels = defaultdict(list)
    for r in small.relationships:
        rels[r.type].append(r)
    buys_from_us = {r.from_id for r in rels[RelationshipType.BUYS_FROM] if r.to_id == "us"}
    assert buys_from_us == {c for c, s in customers.items() if s.tier}
    contacts = defaultdict(list)
    for r in rels[RelationshipType.WORKS_FOR]:
        if r.to_id in customers:
            assert kinds[r.from_id] is StakeholderKind.CUSTOMER and r.role is not None
            contacts[r.to_id].append(r)
    assert set(contacts) == set(customers)
    assert max(len(v) for v in contacts.values()) >= 5
    managers = defaultdict(set)
    for r in rels[RelationshipType.MANAGES_ACCOUNT]:
        assert kinds[r.from_id] is StakeholderKind.EMPLOYEE and r.to_id in customers
        managers[r.to_id].add(r.from_id)
    assert set(managers) == set(customers)
    keys = [c for c, s in customers.items() if s.tier is Tier.KEY]
    assert any(len(managers[k]) == 1 for k in keys), "some key accounts are single-threaded"
    assert any(len(managers[k]) >= 3 for k in keys), "some key accounts have several of our people"
    competitors = {s.id for s in small.stakeholders if s.kind is StakeholderKind.COMPETITOR}
    contested = {r.from_id for r in rels[RelationshipType.BUYS_FROM] if r.to_id in competitors}
    assert contested & buys_from_us, "some customers also buy from competitors"
    assert all(r.to_id == "us" or r.to_id in competitors for r in rels[RelationshipType.COMPETES_WITH])
    assert all(r.to_id == "us" for r in rels[RelationshipType.SUPPLIES])
    assert all(kinds[r.from_id] is StakeholderKind.AGENCY for r in rels[RelationshipType.REGULATES])
    assert all(kinds[r.from_id] is StakeholderKind.AGENCY for r in rels[RelationshipType.DISTRIBUTES_FOR])
    assert rels[RelationshipType.REFERRED] and rels[RelationshipType.INFLUENCES]
    knows_pairs = {(kinds[r.from_id], kinds[r.to_id]) for r in rels[RelationshipType.KNOWS]}
    assert (StakeholderKind.EMPLOYEE, StakeholderKind.CUSTOMER) in knows_pairs
    assert (StakeholderKind.CUSTOMER, StakeholderKind.CUSTOMER) in knows_pairs
    assert (StakeholderKind.COMPETITOR, StakeholderKind.CUSTOMER) in knows_pairs
    assert all(people[c].form is StakeholderForm.PERSON for rs in contacts.values()  # type: ignore[attr-defined]
               for c in (r.from_id for r in rs))


def test_some_relationships_ended(small: DemoNetwork) -> None:
    types = {r.id: r.type for r in small.relationships}
    ended = Counter(types[e.relationship_id] for e in small.endings)
    assert ended[RelationshipType.BUYS_FROM] >= 1  # churned customers
    assert ended[RelationshipType.WORKS_FOR] >= 2  # contacts and employees who left
    assert ended[RelationshipType.MANAGES_ACCOUNT] >= 1  # accounts handed over
    assert ended[RelationshipType.SUPPLIES] == 1
    assert len(small.endings) < 0.05 * len(small.relationships)


# -- interactions -----------------------------------------------------------------------


def test_key_accounts_order_more(small: DemoNetwork) -> None:
    tier = {s.id: s.tier for s in small.stakeholders if s.tier}
    orders = defaultdict(list)
    for i in small.interactions:
        if i.type is InteractionType.ORDER:
            assert i.value is not None and i.value > 0
            if i.initiator_id in tier:
                orders[tier[i.initiator_id]].append(i.value)
    assert mean(orders[Tier.KEY]) > mean(orders[Tier.SUITABLE]) > mean(orders[Tier.GENERAL])
    revenue = {t: sum(v) for t, v in orders.items()}
    assert revenue[Tier.KEY] > revenue[Tier.GENERAL]  # 5 % of customers, most of the revenue


def _conversations_by_account(net: DemoNetwork) -> dict[str, list]:
    owner = {}
    for r in net.relationships:
        if r.type is RelationshipType.WORKS_FOR and r.to_id.startswith("cust-"):
            owner.setdefault(r.from_id, r.to_id)
    out = defaultdict(list)
    for i in net.interactions:
        if i.type in CONVERSATIONS and i.id.startswith("int-cust-"):
            account = i.id[4:14]
            out[account].append(i)
    return out


def test_communication_runs_both_ways_but_not_everywhere(small: DemoNetwork) -> None:
    theirs = {s.id for s in small.stakeholders if s.kind is StakeholderKind.CUSTOMER}
    shares = {}
    for account, items in _conversations_by_account(small).items():
        if len(items) >= 15:
            shares[account] = sum(i.initiator_id in theirs for i in items) / len(items)
    assert sum(s >= 0.3 for s in shares.values()) > len(shares) / 2, "most accounts talk both ways"
    assert any(s < 0.1 for s in shares.values()), "some accounts leave our calls unanswered"


def test_contact_falls_away_on_some_accounts(small: DemoNetwork) -> None:
    end = small.end
    falling, silent = 0, 0
    for account, items in _conversations_by_account(small).items():
        recent = sum(i.at > end - timedelta(days=90) for i in items)
        before = sum(end - timedelta(days=450) < i.at <= end - timedelta(days=90) for i in items) / 4
        if before >= 3 and recent <= 0.5 * before:
            falling += 1
        if items and max(i.at for i in items) < end - timedelta(days=180):
            silent += 1
    assert falling >= 5
    assert silent >= 5


def test_feedback_and_complaints_carry_sentiment(small: DemoNetwork) -> None:
    feedback = [i for i in small.interactions if i.type is InteractionType.FEEDBACK]
    assert feedback and all(i.sentiment is not None for i in feedback)
    assert min(i.sentiment for i in feedback) < 0 < max(i.sentiment for i in feedback)  # type: ignore[type-var]
    complaints = [i for i in small.interactions if i.type is InteractionType.COMPLAINT]
    assert complaints and all(i.sentiment is not None and i.sentiment < 0 for i in complaints)
    events = [i for i in small.interactions if i.type is InteractionType.EVENT]
    assert max(len(e.participant_ids) for e in events) >= 5


# -- care -------------------------------------------------------------------------------


def test_complaints_are_overdue_and_systemic_at_times(small: DemoNetwork) -> None:
    end = small.end
    status = final_statuses(small)
    overdue = [c for c in small.complaints if status[c.id] in OPEN_STATUSES
               and c.received_at < end - timedelta(days=7)]
    assert len(overdue) >= 3
    unanswered = [c for c in small.complaints if status[c.id] is ComplaintStatus.RECEIVED
                  and c.received_at < end - timedelta(hours=24)]
    assert unanswered
    systemic = 0
    for category in CATEGORIES:
        times = sorted((c.received_at, c.stakeholder_id) for c in small.complaints if c.category == category)
        for i, (t, _) in enumerate(times):
            window = {s for u, s in times[i:] if u <= t + timedelta(days=30)}
            if len(window) >= 5:
                systemic += 1
                break
    assert systemic >= 2


def test_account_plans_for_key_and_suitable_accounts(small: DemoNetwork) -> None:
    tier = {s.id: s.tier for s in small.stakeholders}
    assert small.account_plans
    assert {tier[p.account_id] for p in small.account_plans} == {Tier.KEY, Tier.SUITABLE}
    assert all(p.tier is tier[p.account_id] for p in small.account_plans)
    due = [p.next_contact_due for p in small.account_plans]
    assert any(d < small.end for d in due) and any(d > small.end for d in due)  # type: ignore[operator]
    assert all(p.actions for p in small.account_plans)


# -- sizes ------------------------------------------------------------------------------


def test_sizes_scale(tiny: DemoNetwork, small: DemoNetwork) -> None:
    counts = {size: DemoGenerator(7, size).stakeholder_count() for size in ("tiny", "small", "medium", "large")}
    assert counts["tiny"] < counts["small"] < counts["medium"] < counts["large"]
    assert counts["tiny"] == len(tiny.stakeholders) and counts["small"] == len(small.stakeholders)
    assert 20 <= SIZES["tiny"].customers <= 40 and SIZES["small"].customers == 300
    assert 900 <= counts["small"] <= 1_500
    assert 8_000 <= counts["medium"] <= 15_000
    assert 25_000 <= counts["large"] <= 35_000
    assert all(tiny.counts()[k] < small.counts()[k] for k in tiny.counts())


def test_xl_is_the_largest_size() -> None:
    """xl is the 100k-stakeholder network the benchmarks load; generating it is timed in
    bench/, not here, and its counts are checked there."""
    assert SIZES["xl"].customers > SIZES["large"].customers > SIZES["medium"].customers
