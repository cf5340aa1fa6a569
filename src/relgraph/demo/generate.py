"""A realistic, deterministic demo network (issue 3, item 6), with no database.

`generate(seed, size, end)` returns a `DemoNetwork`: lists of the domain inputs that the
store's batch APIs take. The same seed, size and end always give the same network, so
the output can be tested and benchmarked; nothing reads the clock.

What the network holds (DOMAIN.md §1-§5):

* **us**: one ORGANIZATION with `is_us=True`, id `us`. Its kind is EMPLOYEE: the
  company's own side of the network (our organisation and our people) is the EMPLOYEE
  kind, so "kind = EMPLOYEE" lists our side; every other kind is somebody else.
* **our employees** (PERSON, EMPLOYEE, `emp-0001`...): a CEO, heads of service,
  procurement, marketing and compliance, a sales director per region with sales managers
  when a region is large, account managers (key account managers for key accounts) and
  service staff. WORKS_FOR us, REPORTS_TO their boss, COLLEAGUE_OF their team mates. A few
  account managers leave during the two years (their ties end) and a new hire takes over
  their accounts.
* **customers** (ORGANIZATION, CUSTOMER, `cust-00001`...): tiers KEY/SUITABLE/GENERAL
  (about 5/20/75 %), industry, region, tenure, margin, retention and potential. Each has
  1-5 contact persons (`person-00042-2`, PERSON, CUSTOMER) who WORK_FOR it as
  DECISION_MAKER, INFLUENCER, USER or GATEKEEPER, are COLLEAGUE_OF each other, and the
  influencers INFLUENCE the decision maker. Customers BUY_FROM us; our account managers
  MANAGE_ACCOUNT them (key accounts mostly with several of our people, some single-
  threaded) and KNOW their contacts. Older customers REFERRED newer ones, key customers
  INFLUENCE peers of their industry, and contacts KNOW peers at other customers.
* **prospects** (CUSTOMER without BUYS_FROM, tagged `prospect`) with demand CLEAR, LATENT
  or NONE and an estimated potential.
* **suppliers** (SUPPLIES us; two strategic ones we PARTNER_WITH), **competitors**
  (COMPETE_WITH us; some of our customers also BUY_FROM them: contested accounts, where
  the competitor's sales reps KNOW and meet our contacts), and **agencies**: regulators
  (REGULATE us), industry associations and a research firm (we PARTNER_WITH them),
  distributors (DISTRIBUTE_FOR us, and REFERRED customers) and media (INFLUENCE key
  customers). Each has contact persons.
* **ended relationships**: churned customers' BUYS_FROM, contacts who left (some moved
  to another customer), leavers' WORKS_FOR/REPORTS_TO/MANAGES_ACCOUNT, a former supplier
  and a former distributor. They are loaded ended (with `ended_at` and `end_reason`), never
  deleted; `DemoNetwork.endings` lists them.
* **two years of interactions** up to `end`: meetings, visits, calls, emails and
  messages in both directions, orders with amounts (key accounts order far more), feedback
  with sentiment, service, events with many participants, complaints, internal one-to-ones
  and team meetings, supplier orders, inspections. Each account follows a pattern:
  steady, growing, cooling (contact falls away in the last months), one-way (our calls go
  unanswered), transactional (orders, little else), dormant (silent for half a year or
  more) or churned, so strength trends and channel states vary.
* **complaints** with category (delivery, quality, billing, service, pricing), channel,
  severity, owner and lifecycle moves to every state; some are overdue, and some
  categories come from several customers within a few weeks (systemic issues).
* **account plans** for active KEY and SUITABLE accounts, some of them overdue.

Sizes (`SIZES`): `tiny` (~30 customers, for tests), `small` (~300, the default),
`medium` (~3k), `large` (~30k stakeholders) and `xl` (~100k stakeholders, ~1M
relationships, ~1M interactions, for benchmarks).

For large sizes, use `DemoGenerator` directly: it keeps only a compact blueprint in
memory and yields each section as plain rows (dicts the store's batch APIs validate),
lazily, so a load never holds a million models at once. `generate()` is the same content
as lists of validated models.
"""

from __future__ import annotations

import math
import random
from bisect import bisect
from dataclasses import dataclass, field
from datetime import datetime, timezone
from itertools import accumulate
from typing import Any, Iterator, Sequence

from relgraph.demo import names as N
from relgraph.domain.model import (
    AccountPlanInput,
    ComplaintMove,
    NewComplaint,
    NewInteraction,
    NewRelationship,
    NewStakeholder,
)

DEFAULT_END = datetime(2026, 11, 1, tzinfo=timezone.utc)
DEFAULT_SEED = 7
DEFAULT_SIZE = "small"
HISTORY_DAYS = 730

DAY = 86_400.0
YEAR = 365.0 * DAY
HOUR = 3_600.0

US = "us"

#: Whether a NewRelationship can say that it ended. When it can, ended relationships are
#: loaded ended in one step; when it cannot, the loader ends them afterwards.


@dataclass(frozen=True)
class SizeSpec:
    """How big a demo network is."""

    customers: int  # paying customers, in tiers
    prospects: int
    suppliers: int
    competitors: int
    peers: float  # mean cross-organisation KNOWS degree of a contact person
    events_per_quarter: int
    regions: int = len(N.REGIONS)


SIZES: dict[str, SizeSpec] = {
    "tiny": SizeSpec(customers=30, prospects=6, suppliers=4, competitors=3, peers=1.0, events_per_quarter=1,
                     regions=3),
    "small": SizeSpec(customers=300, prospects=45, suppliers=12, competitors=6, peers=2.0, events_per_quarter=2),
    "medium": SizeSpec(customers=3_000, prospects=450, suppliers=40, competitors=12, peers=4.0, events_per_quarter=6),
    "large": SizeSpec(customers=8_700, prospects=1_300, suppliers=90, competitors=20, peers=8.0, events_per_quarter=12),
    "xl": SizeSpec(customers=29_000, prospects=4_300, suppliers=250, competitors=40, peers=22.0, events_per_quarter=30),
}


@dataclass(frozen=True)
class RelationshipEnding:
    """A relationship that ended: applied with `GraphStore.end_relationship` after loading."""

    relationship_id: str
    at: datetime
    reason: str


@dataclass
class DemoNetwork:
    """A whole demo network as domain inputs, in load order."""

    seed: int
    size: str
    end: datetime
    stakeholders: list[NewStakeholder] = field(default_factory=list)
    relationships: list[NewRelationship] = field(default_factory=list)
    endings: list[RelationshipEnding] = field(default_factory=list)
    interactions: list[NewInteraction] = field(default_factory=list)
    complaints: list[NewComplaint] = field(default_factory=list)
    complaint_moves: list[ComplaintMove] = field(default_factory=list)
    account_plans: list[AccountPlanInput] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "stakeholders": len(self.stakeholders),
            "relationships": len(self.relationships),
            "ended_relationships": len(self.endings),
            "interactions": len(self.interactions),
            "complaints": len(self.complaints),
            "complaint_moves": len(self.complaint_moves),
            "account_plans": len(self.account_plans),
        }


def generate(seed: int = DEFAULT_SEED, size: str = DEFAULT_SIZE, end: datetime | None = None) -> DemoNetwork:
    """The demo network for `seed` and `size`, with history up to `end` (default 2026-11-01 UTC)."""
    gen = DemoGenerator(seed, size, end)
    return DemoNetwork(
        seed=seed,
        size=size,
        end=gen.end,
        stakeholders=[NewStakeholder.model_validate(r) for r in gen.stakeholder_rows()],
        relationships=[NewRelationship.model_validate(r) for r in gen.relationship_rows()],
        endings=list(gen.endings()),
        interactions=[NewInteraction.model_validate(r) for r in gen.interaction_rows()],
        complaints=[NewComplaint.model_validate(r) for r, _ in gen.complaint_rows()],
        complaint_moves=[ComplaintMove.model_validate(m) for _, moves in gen.complaint_rows() for m in moves],
        account_plans=[AccountPlanInput.model_validate(r) for r in gen.plan_rows()],
    )


# -- helpers ---------------------------------------------------------------------------


def _dt(ts: float) -> datetime:
    """An aware UTC datetime, to the minute."""
    return datetime.fromtimestamp(ts - ts % 60, tz=timezone.utc)


def _clamp(x: float, lo: float = -1.0, hi: float = 1.0) -> float:
    return lo if x < lo else hi if x > hi else x


def _poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


class _Picker:
    """Weighted choice with precomputed cumulative weights."""

    __slots__ = ("items", "cum", "total")

    def __init__(self, pairs: Sequence[tuple[Any, float]]) -> None:
        self.items = [p[0] for p in pairs]
        self.cum = list(accumulate(p[1] for p in pairs))
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random) -> Any:
        return self.items[bisect(self.cum, rng.random() * self.total)]


def _rel_id(rel_type: str, a: str, b: str) -> str:
    return f"rel-{rel_type.lower().replace('_', '')}-{a}-{b}"


# -- the blueprint ---------------------------------------------------------------------


class _Emp:
    __slots__ = ("id", "first", "last", "title", "boss", "region", "hired", "left", "rank", "accounts")

    def __init__(self, id: str, first: str, last: str, title: str, boss: "_Emp | None", region: str | None,
                 hired: float, rank: int) -> None:
        self.id, self.first, self.last, self.title, self.boss = id, first, last, title, boss
        self.region, self.hired, self.left, self.rank = region, hired, None, rank
        self.accounts = 0.0


class _Person:
    __slots__ = ("id", "kind", "first", "last", "title", "since", "email", "phone")

    def __init__(self, id: str, kind: str, first: str, last: str, title: str, since: float, email: str,
                 phone: str) -> None:
        self.id, self.kind, self.first, self.last, self.title = id, kind, first, last, title
        self.since, self.email, self.phone = since, email, phone


class _Contact:
    """A person working for an organisation during [start, stop)."""

    __slots__ = ("person", "org", "role", "start", "stop", "reason")

    def __init__(self, person: _Person, org: "_Org", role: str | None, start: float,
                 stop: float | None = None) -> None:
        self.person, self.org, self.role, self.start, self.stop = person, org, role, start, stop
        self.reason: str | None = None

    def active(self, t: float) -> bool:
        return self.start <= t and (self.stop is None or t < self.stop)


class _Manager:
    """One of our employees managing an account during [start, stop)."""

    __slots__ = ("emp", "start", "stop", "weight")

    def __init__(self, emp: _Emp, start: float, weight: float) -> None:
        self.emp, self.start, self.stop, self.weight = emp, start, None, weight

    def active(self, t: float) -> bool:
        return self.start <= t and (self.stop is None or t < self.stop)


class _Org:
    __slots__ = (
        "id", "index", "kind", "subtype", "name", "industry", "region", "tier", "since", "domain", "tags",
        "archetype", "revenue", "mood", "contacts", "managers", "service", "competitor", "pressure",
        "stop", "cool", "demand", "potential", "margin", "retention", "reply", "referrer", "ended_at",
        "end_reason", "single", "next_person",
    )

    def __init__(self, id: str, kind: str, name: str, since: float) -> None:
        self.id, self.kind, self.name, self.since = id, kind, name, since
        self.index = 0
        self.subtype: str | None = None
        self.industry: str | None = None
        self.region: str | None = None
        self.tier: str | None = None
        self.domain = ""
        self.tags: list[str] = []
        self.archetype = "steady"
        self.revenue = 0.0
        self.mood = 0.3
        self.contacts: list[_Contact] = []
        self.managers: list[_Manager] = []
        self.service: _Emp | None = None
        self.competitor: _Org | None = None
        self.pressure = 0.0  # competitor rep contacts per year
        self.stop: float | None = None  # no contact after this (churned, dormant)
        self.cool: float | None = None  # contact falls away after this (cooling)
        self.demand: str | None = None
        self.potential: float | None = None
        self.margin: float | None = None
        self.retention: float | None = None
        self.reply = 0.45  # share of conversations the customer starts
        self.referrer: _Org | None = None
        self.ended_at: float | None = None  # BUYS_FROM / SUPPLIES / DISTRIBUTES_FOR ended
        self.end_reason: str | None = None
        self.single = False
        self.next_person = 1

    @property
    def prospect(self) -> bool:
        return self.kind == "CUSTOMER" and self.tier is None

    def contacts_at(self, t: float) -> list[_Contact]:
        return [c for c in self.contacts if c.active(t)]


class _Complaint:
    __slots__ = ("id", "org", "contact", "owner", "channel", "category", "severity", "received",
                 "description", "moves")

    def __init__(self) -> None:
        self.moves: list[tuple[str, float, str | None, float | None]] = []


_ARCHETYPES = {
    "KEY": _Picker([("steady", 0.55), ("growing", 0.2), ("cooling", 0.15), ("one_way", 0.1)]),
    "SUITABLE": _Picker([("steady", 0.5), ("growing", 0.12), ("cooling", 0.12), ("one_way", 0.08),
                         ("transactional", 0.06), ("dormant", 0.06), ("churned", 0.06)]),
    "GENERAL": _Picker([("steady", 0.45), ("growing", 0.08), ("cooling", 0.1), ("one_way", 0.1),
                        ("transactional", 0.12), ("dormant", 0.1), ("churned", 0.05)]),
}
#: KEY accounts 1..4 are always these, so every size shows each pattern on a key account.
_FORCED_KEY = ("cooling", "steady", "one_way", "growing")

_REPLY = {"steady": 0.45, "growing": 0.5, "cooling": 0.4, "one_way": 0.04, "transactional": 0.08,
          "dormant": 0.4, "churned": 0.35}
_MOOD = {"steady": (0.35, 0.2), "growing": (0.5, 0.15), "cooling": (0.3, 0.15), "one_way": (0.0, 0.25),
         "transactional": (0.1, 0.2), "dormant": (0.2, 0.2), "churned": (0.05, 0.2)}

#: per account and year
_RATES = {
    "KEY": {"comm": 60.0, "order": 40.0, "feedback": 6.0, "service": 12.0, "complaint": 1.5},
    "SUITABLE": {"comm": 20.0, "order": 12.0, "feedback": 2.0, "service": 4.0, "complaint": 0.6},
    "GENERAL": {"comm": 4.0, "order": 3.0, "feedback": 0.7, "service": 1.0, "complaint": 0.2},
}
_REVENUE = {"KEY": (1_500_000.0, 0.5), "SUITABLE": (250_000.0, 0.5), "GENERAL": (25_000.0, 0.8)}
_CONTACTS = {"KEY": (3, 5), "SUITABLE": (2, 4), "GENERAL": (1, 2), None: (1, 2)}
_COMM_MIX = {
    "KEY": _Picker([("MEETING", 0.14), ("VISIT", 0.12), ("CALL", 0.3), ("EMAIL", 0.32), ("MESSAGE", 0.12)]),
    "SUITABLE": _Picker([("MEETING", 0.08), ("VISIT", 0.08), ("CALL", 0.32), ("EMAIL", 0.4), ("MESSAGE", 0.12)]),
    "GENERAL": _Picker([("MEETING", 0.03), ("VISIT", 0.04), ("CALL", 0.33), ("EMAIL", 0.48), ("MESSAGE", 0.12)]),
}
_ROLE_PICK = _Picker([("DECISION_MAKER", 0.25), ("INFLUENCER", 0.25), ("USER", 0.35), ("GATEKEEPER", 0.15)])
_CATEGORY = _Picker([("delivery", 0.3), ("quality", 0.25), ("billing", 0.2), ("service", 0.15), ("pricing", 0.1)])
_CHANNEL = _Picker([("PHONE", 0.35), ("EMAIL", 0.3), ("IN_PERSON", 0.15), ("LETTER", 0.1), ("MEDIA", 0.06),
                    ("LEGAL", 0.04)])
_SEVERITY = _Picker([("LOW", 0.3), ("MEDIUM", 0.4), ("HIGH", 0.22), ("CRITICAL", 0.08)])
_SEVERE = _Picker([("MEDIUM", 0.2), ("HIGH", 0.5), ("CRITICAL", 0.3)])
_COMPLAINT_SENTIMENT = {"LOW": -0.3, "MEDIUM": -0.5, "HIGH": -0.7, "CRITICAL": -0.9}


class DemoGenerator:
    """The demo network, section by section, as rows for the store's batch APIs.

    Building it makes the blueprint (organisations, people, who manages what, complaints)
    from `random.Random(seed)`. Each account's interactions come from a random generator
    seeded by the seed and the account id, so any section can be iterated, lazily and
    more than once, always with the same result.
    """

    def __init__(self, seed: int = DEFAULT_SEED, size: str = DEFAULT_SIZE, end: datetime | None = None) -> None:
        if size not in SIZES:
            raise ValueError(f"unknown demo size {size!r}; choose one of {', '.join(SIZES)}")
        end = end or DEFAULT_END
        if end.tzinfo is None:
            end = end.replace(tzinfo=timezone.utc)
        self.seed, self.size, self.spec = seed, size, SIZES[size]
        self.end = end.astimezone(timezone.utc)
        self.t_end = self.end.timestamp()
        self.t0 = self.t_end - HISTORY_DAYS * DAY
        self.rng = random.Random(seed)
        self.regions = N.REGIONS[: self.spec.regions]
        self.emps: list[_Emp] = []
        self.customers: list[_Org] = []  # paying customers then prospects
        self.suppliers: list[_Org] = []
        self.competitors: list[_Org] = []
        self.agencies: list[_Org] = []
        self.contacts: list[_Contact] = []  # every WORKS_FOR of a non-employee person
        self.persons: list[_Person] = []
        self.reps: dict[str, list[_Contact]] = {}
        self.complaints: list[_Complaint] = []
        self._complaints_of: dict[str, list[_Complaint]] = {}
        self._used_names: set[str] = set()
        self._build()

    # -- blueprint ---------------------------------------------------------------------

    def _build(self) -> None:
        self._build_customers()
        self._build_employees()
        self._assign_accounts()
        self._build_contacts()
        self._build_others()
        self._build_market()
        self._build_departures()
        self._build_complaints()

    def _ago(self, lo_days: float, hi_days: float) -> float:
        return self.t_end - self.rng.uniform(lo_days, hi_days) * DAY

    def _company_name(self, words: Sequence[str]) -> str:
        rng = self.rng
        name = ""
        for _ in range(6):
            stem = rng.choice(N.NAME_STEMS) + rng.choice(N.NAME_TAILS)
            name = f"{stem} {rng.choice(words)} {rng.choice(N.LEGAL)}"
            if name not in self._used_names:
                break
        self._used_names.add(name)
        return name

    @staticmethod
    def _domain(name: str) -> str:
        word = "".join(ch for ch in name.split(" ")[0].lower() if ch.isalnum())
        return f"{word}.example"

    def _phone(self) -> str:
        return f"+1-555-{self.rng.randrange(100, 1000)}-{self.rng.randrange(1000, 10000)}"

    def _person(self, pid: str, kind: str, title: str, since: float, domain: str) -> _Person:
        first, last = self.rng.choice(N.FIRST_NAMES), self.rng.choice(N.LAST_NAMES)
        email = f"{first}.{last}@{domain}".lower()
        person = _Person(pid, kind, first, last, title, since, email, self._phone())
        self.persons.append(person)
        return person

    def _build_customers(self) -> None:
        rng, spec = self.rng, self.spec
        n = spec.customers
        n_key = max(2, round(n * 0.05))
        n_suit = max(3, round(n * 0.20))
        tiers = ["KEY"] * n_key + ["SUITABLE"] * n_suit + ["GENERAL"] * (n - n_key - n_suit)
        rng.shuffle(tiers)
        industries = list(N.INDUSTRIES)
        industry_pick = _Picker([(ind, 1.0 + (len(industries) - i) * 0.15) for i, ind in enumerate(industries)])
        region_pick = _Picker([(r, w) for r, w in zip(self.regions, (0.26, 0.22, 0.2, 0.18, 0.14))])
        width = max(5, len(str(n + spec.prospects)))
        forced = iter(_FORCED_KEY)
        for index in range(n + spec.prospects):
            cid = f"cust-{index + 1:0{width}d}"
            tier = tiers[index] if index < n else None
            industry = industry_pick(rng)
            if tier == "KEY":
                since = self._ago(365 * 2.5, 365 * 15)
            elif tier is not None:
                since = self._ago(90, 365 * 12) if rng.random() < 0.75 else self._ago(90, HISTORY_DAYS)
            else:
                since = self._ago(20, 500)  # first contact with a prospect
            org = _Org(cid, "CUSTOMER", self._company_name(N.INDUSTRIES[industry]), since)
            org.index, org.tier, org.industry, org.region = index, tier, industry, region_pick(rng)
            org.domain = self._domain(org.name)
            if tier is None:
                self._shape_prospect(org)
            else:
                archetype = next(forced, None) if tier == "KEY" else None
                self._shape_customer(org, archetype or _ARCHETYPES[tier](rng))
            self.customers.append(org)

    def _shape_customer(self, org: _Org, archetype: str) -> None:
        rng = self.rng
        tier = org.tier
        assert tier is not None
        start = max(org.since, self.t0)
        if archetype in ("dormant", "churned") and start > self.t_end - 300 * DAY:
            archetype = "steady"
        org.archetype = archetype
        median, sigma = _REVENUE[tier]
        org.revenue = median * math.exp(rng.gauss(0, sigma))
        mu, sd = _MOOD[archetype]
        org.mood = _clamp(rng.gauss(mu, sd), -0.6, 0.9)
        org.reply = _REPLY[archetype]
        if archetype == "dormant":
            org.stop = self.t_end - rng.uniform(200, min(420, (self.t_end - start) / DAY - 60)) * DAY
        elif archetype == "churned":
            org.stop = self.t_end - rng.uniform(45, min(600, (self.t_end - start) / DAY - 60)) * DAY
            org.ended_at = org.stop
            org.end_reason = rng.choice(("switched to a competitor", "closed the business",
                                         "moved purchasing in-house", "price"))
        elif archetype == "cooling":
            org.cool = self.t_end - rng.uniform(60, 120) * DAY
        growth = {"growing": (1.5, 3.5), "cooling": (0.5, 1.2), "churned": (0.0, 0.3),
                  "dormant": (0.3, 1.0)}.get(archetype, (1.0, 2.2))
        org.potential = round(org.revenue * rng.uniform(*growth), 2)
        org.margin = round(rng.uniform(0.08, 0.25) if tier == "KEY" else rng.uniform(0.12, 0.42), 3)
        retention = {"KEY": (0.85, 0.97), "SUITABLE": (0.75, 0.92), "GENERAL": (0.5, 0.85)}[tier]
        if archetype in ("transactional", "one_way", "cooling", "dormant"):
            retention = (retention[0] - 0.2, retention[1] - 0.15)
        if archetype == "churned":
            retention = (0.0, 0.2)
        org.retention = round(rng.uniform(*retention), 3)
        segment = {"KEY": "enterprise", "SUITABLE": "mid-market", "GENERAL": "smb"}[tier]
        org.tags = [segment]
        if org.industry == "Public Sector":
            org.tags.append("public-sector")
        if org.since > self.t0:
            org.tags.append("new-customer")
        if archetype == "transactional":
            org.tags.append("price-sensitive")

    def _shape_prospect(self, org: _Org) -> None:
        rng = self.rng
        org.demand = _Picker([("CLEAR", 0.3), ("LATENT", 0.45), ("NONE", 0.25)])(rng)
        lo, hi = {"CLEAR": (50_000, 600_000), "LATENT": (20_000, 250_000), "NONE": (0, 40_000)}[org.demand]
        org.potential = round(rng.uniform(lo, hi), 2)
        org.reply = {"CLEAR": 0.45, "LATENT": 0.25, "NONE": 0.05}[org.demand]
        org.mood = rng.uniform(0.0, 0.5)
        org.archetype = "prospect"
        org.tags = ["prospect"]

    # employees

    def _emp(self, title: str, boss: _Emp | None, region: str | None, hired: float, rank: int) -> _Emp:
        eid = f"emp-{len(self.emps) + 1:04d}"
        rng = self.rng
        emp = _Emp(eid, rng.choice(N.FIRST_NAMES), rng.choice(N.LAST_NAMES), title, boss, region, hired, rank)
        self.emps.append(emp)
        return emp

    def _hire_date(self, lo_years: float, hi_years: float) -> float:
        return self.t0 - self.rng.uniform(lo_years, hi_years) * YEAR

    def _build_employees(self) -> None:
        h = self._hire_date
        self.ceo = self._emp("Chief Executive Officer", None, None, h(8, 15), 0)
        self.head_service = self._emp("Head of Customer Service", self.ceo, None, h(3, 10), 1)
        self.head_procurement = self._emp("Head of Procurement", self.ceo, None, h(3, 10), 1)
        self.marketing = self._emp("Marketing Manager", self.ceo, None, h(1, 8), 1)
        self.compliance = self._emp("Compliance Officer", self.ceo, None, h(1, 8), 1)
        self.buyers = [self.head_procurement] + [
            self._emp("Buyer", self.head_procurement, None, h(0.5, 8), 3)
            for _ in range(max(1, self.spec.suppliers // 25))
        ]
        self.directors: dict[str, _Emp] = {}
        self.ams: dict[str, list[_Emp]] = {}
        self.service_staff: dict[str, list[_Emp]] = {}
        for region in self.regions:
            accounts = [c for c in self.customers if c.region == region]
            load = sum({"KEY": 4.0, "SUITABLE": 2.0, "GENERAL": 1.0}.get(c.tier or "", 0.5) for c in accounts)
            n_am = max(1, math.ceil(load / 32))
            n_kam = max(1, math.ceil(sum(c.tier == "KEY" for c in accounts) / 6))
            director = self._emp(f"Sales Director, {region}", self.ceo, region, h(2, 12), 1)
            self.directors[region] = director
            bosses = [director]
            if n_am > 10:
                bosses = [self._emp(f"Sales Manager, {region}", director, region, h(1, 10), 2)
                          for _ in range(math.ceil(n_am / 8))]
            self.ams[region] = [
                self._emp("Key Account Manager" if i < n_kam else "Account Manager", bosses[i % len(bosses)],
                          region, h(0.2, 10), 3)
                for i in range(n_am)
            ]
            n_srv = max(1, math.ceil(sum(c.tier is not None for c in accounts) / 45))
            leads = [self.head_service]
            if n_srv > 10:
                leads = [self._emp(f"Service Lead, {region}", self.head_service, region, h(1, 10), 2)
                         for _ in range(math.ceil(n_srv / 8))]
            self.service_staff[region] = [
                self._emp("Service Engineer", leads[i % len(leads)], region, h(0.2, 10), 3) for i in range(n_srv)
            ]

    def _assign_accounts(self) -> None:
        rng = self.rng
        for org in self.customers:
            ams = self.ams[org.region]  # type: ignore[index]
            kams = [a for a in ams if a.title == "Key Account Manager"]
            pool = kams if org.tier == "KEY" else (ams[len(kams):] or ams)
            # the less loaded of three: balanced enough, and O(1) per account
            primary = min(rng.sample(pool, min(3, len(pool))), key=lambda a: a.accounts)
            primary.accounts += {"KEY": 4.0, "SUITABLE": 2.0}.get(org.tier or "", 1.0)
            start = max(org.since, primary.hired)
            org.managers = [_Manager(primary, start, 1.0)]
            extra: list[_Emp] = []
            if org.tier == "KEY":
                org.single = org.index % 3 == 0 or rng.random() < 0.15
                if not org.single:
                    others = [a for a in ams if a is not primary]
                    extra = rng.sample(others, min(len(others), rng.randint(0, 1)))
                    extra.append(self.directors[org.region])  # type: ignore[index]
            elif org.tier == "SUITABLE" and rng.random() < 0.3:
                others = [a for a in ams if a is not primary] or [self.directors[org.region]]  # type: ignore[index]
                extra = [rng.choice(others)]
            for emp in extra:
                org.managers.append(_Manager(emp, max(org.since, emp.hired, self.t0 - rng.uniform(0, 3) * YEAR),
                                             rng.uniform(0.25, 0.6)))
            if org.tier is not None:
                org.service = rng.choice(self.service_staff[org.region])  # type: ignore[index]

    # contacts

    def _new_contact(self, org: _Org, role: str, start: float) -> _Contact:
        pid = f"person-{org.id[5:]}-{org.next_person}"
        org.next_person += 1
        person = self._person(pid, "CUSTOMER", self.rng.choice(N.CONTACT_TITLES[role]), start, org.domain)
        contact = _Contact(person, org, role, start)
        org.contacts.append(contact)
        self.contacts.append(contact)
        return contact

    def _build_contacts(self) -> None:
        rng = self.rng
        for org in self.customers:
            lo, hi = _CONTACTS[org.tier]
            n = rng.randint(lo, hi)
            if org.tier == "GENERAL" and n == 1 and rng.random() < 0.4:
                roles = ["USER"]
            else:
                roles = ["DECISION_MAKER"] + ["INFLUENCER", "USER", "GATEKEEPER", "USER"][: n - 1]
                if org.prospect and n == 2:
                    roles = ["DECISION_MAKER", "INFLUENCER"]
            for role in roles:
                if org.prospect:
                    start = org.since
                else:
                    latest = min(self.t_end - 30 * DAY, max(org.since, self.t0 + 200 * DAY))
                    start = org.since + rng.random() ** 2 * max(0.0, latest - org.since)
                self._new_contact(org, role, start)
            if org.archetype == "one_way" and org.tier == "KEY":
                org.reply = 0.03

    # suppliers, competitors, agencies

    def _other_org(self, prefix: str, kind: str, subtype: str, name: str, since: float) -> _Org:
        org = _Org(prefix, kind, name, since)
        org.subtype = subtype
        org.domain = self._domain(name)
        return org

    def _org_person(self, org: _Org, kind: str, title: str, role: str | None = None) -> _Contact:
        pid = f"person-{org.id}-{org.next_person}"
        org.next_person += 1
        start = max(org.since, self.t0 - self.rng.uniform(0, 4) * YEAR)
        contact = _Contact(self._person(pid, kind, title, start, org.domain), org, role, start)
        org.contacts.append(contact)
        self.contacts.append(contact)
        return contact

    def _build_others(self) -> None:
        rng, spec = self.rng, self.spec
        for i in range(spec.suppliers):
            line = N.SUPPLIER_LINES[i % len(N.SUPPLIER_LINES)]
            org = self._other_org(f"sup-{i + 1:04d}", "SUPPLIER", line,
                                  self._company_name(("Supplies", "Solutions", "Materials", "Systems", "Partners")),
                                  self._hire_date(0.5, 12))
            org.index = i
            org.industry = "Manufacturing" if line in ("raw-materials", "components") else None
            org.region = rng.choice(self.regions)
            org.tags = [line]
            org.revenue = math.exp(rng.gauss(math.log(400_000), 0.7))
            self._org_person(org, "SUPPLIER", "Sales Manager")
            if rng.random() < 0.5:
                self._org_person(org, "SUPPLIER", "Customer Service Representative")
            self.suppliers.append(org)
        self.suppliers[0].tags.append("strategic")
        if len(self.suppliers) > 2:
            self.suppliers[1].tags.append("strategic")
            former = self.suppliers[-1]
            former.ended_at = self._ago(100, 400)
            former.end_reason = "quality problems"
            former.tags.append("former")
        for i in range(spec.competitors):
            org = self._other_org(f"comp-{i + 1:03d}", "COMPETITOR", "direct" if i % 3 else "low-cost",
                                  self._company_name(("Industries", "Solutions", "Group", "Systems")),
                                  self._hire_date(0, 20))
            org.index = i
            org.region = rng.choice(self.regions)
            org.tags = [org.subtype or "direct"]
            self.reps[org.id] = [self._org_person(org, "COMPETITOR", "Sales Representative")
                                 for _ in range(rng.randint(2, 3 + spec.customers // 2000))]
            self.competitors.append(org)
        n_dist = min(20, max(2, spec.customers // 400))
        agencies = [
            ("regulator", "National Trade Standards Authority"), ("regulator", "Data Protection Office"),
            ("association", "Industry Association of Suppliers"), ("association", "Chamber of Commerce"),
            ("media", "Business Daily"), ("media", "Trade Weekly"), ("research", "Insight Market Research"),
        ] + [("distributor", f"{self.regions[i % len(self.regions)]} Distribution Partners {i // len(self.regions) + 1}")
             for i in range(n_dist)]
        for i, (subtype, name) in enumerate(agencies):
            org = self._other_org(f"agency-{i + 1:03d}", "AGENCY", subtype, name, self._hire_date(0, 10))
            org.index = i
            org.tags = [subtype]
            org.region = rng.choice(self.regions) if subtype == "distributor" else None
            title = {"regulator": "Inspector", "association": "Managing Director", "media": "Journalist",
                     "research": "Research Director", "distributor": "Channel Manager"}[subtype]
            self._org_person(org, "AGENCY", title)
            if subtype == "distributor":
                org.revenue = math.exp(rng.gauss(math.log(300_000), 0.5))
            self.agencies.append(org)
        distributors = [a for a in self.agencies if a.subtype == "distributor"]
        distributors[-1].ended_at = self._ago(60, 300)
        distributors[-1].end_reason = "agreement not renewed"
        distributors[-1].tags.append("former")

    def _build_market(self) -> None:
        """Contested accounts, referrals and influence between customers."""
        rng = self.rng
        paying = [c for c in self.customers if not c.prospect]
        key_seen = 0
        for org in self.customers:
            if org.prospect:
                p = 0.5
            else:
                p = {"KEY": 0.25, "SUITABLE": 0.2, "GENERAL": 0.1}[org.tier]  # type: ignore[index]
                if org.archetype in ("transactional", "churned"):
                    p = 0.9
            if org.tier == "KEY":
                key_seen += 1
                if key_seen == 1:  # the cooling key account is contested, and losing ground
                    p = 1.0
            if rng.random() < p:
                org.competitor = rng.choice(self.competitors)
                strong = org.tier == "KEY" and (key_seen == 1 or rng.random() < 0.4)
                org.pressure = rng.uniform(20, 40) if strong else rng.uniform(1, 6)
                org.tags.append("contested")
        by_region: dict[str, list[_Org]] = {}
        for org in sorted(paying, key=lambda o: o.since):
            older = by_region.setdefault(org.region or "", [])
            if older and rng.random() < 0.15:
                org.referrer = rng.choice(older)
            older.append(org)
        distributors = [a for a in self.agencies if a.subtype == "distributor" and a.ended_at is None]
        for org in self.customers:
            if org.referrer is None:
                if org.prospect and paying and rng.random() < 0.2:
                    org.referrer = rng.choice(paying)
                elif org.tier == "GENERAL" and rng.random() < 0.05:
                    org.referrer = rng.choice(distributors)
        by_industry: dict[str, list[_Org]] = {}
        for org in paying:
            by_industry.setdefault(org.industry or "", []).append(org)
        self.influences: list[tuple[_Org, _Org]] = []
        for org in paying:
            if org.tier == "KEY":
                peers = by_industry[org.industry or ""]
                for peer in rng.sample(peers, min(len(peers), rng.randint(2, 5) + 1)):
                    if peer is not org:
                        self.influences.append((org, peer))
        media = [a for a in self.agencies if a.subtype == "media"]
        keys = [c for c in paying if c.tier == "KEY"]
        for outlet in media:
            for org in rng.sample(keys, min(len(keys), 3)):
                self.influences.append((outlet, org))

    def _build_departures(self) -> None:
        """Contacts who leave (some to another customer) and account managers who leave."""
        rng = self.rng
        paying = [c for c in self.customers if not c.prospect]
        by_industry: dict[str, list[_Org]] = {}
        for org in paying:
            by_industry.setdefault(org.industry or "", []).append(org)
        for org in paying:
            for contact in list(org.contacts):
                if contact.start > self.t0 + 60 * DAY or rng.random() > 0.06:
                    continue
                left = self._ago(20, HISTORY_DAYS - 60)
                if org.stop is not None and left > org.stop:
                    continue
                contact.stop = left
                contact.reason = "left the company"
                if left + 30 * DAY < self.t_end and (org.stop is None):
                    self._new_contact(org, contact.role or "USER", left + rng.uniform(5, 30) * DAY)
                if rng.random() < 0.35:
                    moved = left + rng.uniform(10, 60) * DAY
                    peers = by_industry[org.industry or ""]
                    target = rng.choice(peers)
                    if target is not org and target.stop is None and moved < self.t_end - DAY:
                        role = rng.choice(("DECISION_MAKER", "INFLUENCER"))
                        contact.reason = f"moved to {target.name}"
                        mover = _Contact(contact.person, target, role, moved)
                        target.contacts.append(mover)
                        self.contacts.append(mover)
        all_ams = [a for region in self.regions for a in self.ams[region]]
        n_leavers = max(1, round(len(all_ams) * 0.08)) if len(all_ams) > 1 else 0
        managed: dict[str, list[_Org]] = {}
        for org in self.customers:
            for manager in org.managers:
                managed.setdefault(manager.emp.id, []).append(org)
        for leaver in rng.sample(all_ams, n_leavers):
            left = self._ago(60, HISTORY_DAYS - 90)
            leaver.left = left
            title = leaver.title
            successor = self._emp(title, leaver.boss, leaver.region, left - rng.uniform(10, 40) * DAY, leaver.rank)
            self.ams[leaver.region].append(successor)  # type: ignore[index]
            for org in managed.get(leaver.id, ()):
                for manager in list(org.managers):
                    if manager.emp is leaver and manager.start < left:
                        manager.stop = left
                        org.managers.append(_Manager(successor, left, manager.weight))
                    elif manager.emp is leaver:
                        manager.emp = successor
                        manager.start = max(manager.start, successor.hired)

    # complaints

    def _build_complaints(self) -> None:
        rng = self.rng
        # org, received, category, severity (None: drawn), stuck (left unanswered)
        raw: list[tuple[_Org, float, str, str | None, bool]] = []
        paying = [c for c in self.customers if not c.prospect]
        for org in paying:
            start = max(org.since, self.t0)
            stop = org.stop or self.t_end
            years = (stop - start) / YEAR
            for _ in range(_poisson(rng, _RATES[org.tier or "GENERAL"]["complaint"] * years)):
                raw.append((org, rng.uniform(start, stop), _CATEGORY(rng), None, False))
            if org.archetype == "cooling":
                raw.append((org, self._ago(8, 50), rng.choice(("quality", "service", "delivery")), "HIGH", False))
        # systemic issues: one category from many customers within a few weeks
        bursts = [("delivery", self.regions[0], 40, 25), ("billing", None, 300, 20),
                  ("quality", self.regions[1], 520, 30)]
        for category, region, ago, length in bursts:
            lo = self.t_end - ago * DAY
            scope = [o for o in paying if (region is None or o.region == region)
                     and max(o.since, self.t0) < lo and (o.stop or self.t_end) > lo + length * DAY]
            for org in rng.sample(scope, min(len(scope), max(3, round(len(scope) * 0.06)))):
                raw.append((org, lo + rng.uniform(0, length) * DAY, category, _SEVERE(rng), False))
        # an overdue, unanswered complaint on a steady key account
        keys = [o for o in paying if o.tier == "KEY" and o.archetype == "steady"]
        if keys:
            raw.append((keys[0], self._ago(9, 12), "service", "CRITICAL", True))
        raw.sort(key=lambda r: (r[1], r[0].id))
        width = max(5, len(str(len(raw))))
        for n, (org, received, category, severity, stuck) in enumerate(raw, 1):
            c = _Complaint()
            c.id, c.org, c.category = f"cmp-{n:0{width}d}", org, category
            c.received = received
            c.channel = _CHANNEL(rng)
            c.severity = severity or (_SEVERE(rng) if c.channel in ("LEGAL", "MEDIA") else _SEVERITY(rng))
            c.description = rng.choice(N.COMPLAINT_TEXTS[category])
            contacts = org.contacts_at(received)
            c.contact = rng.choice(contacts).person.id if contacts else None
            if category in ("billing", "pricing") or org.service is None:
                managers = [m for m in org.managers if m.active(received)]
                c.owner = managers[0].emp.id if managers else self.directors[org.region or self.regions[0]].id
            else:
                c.owner = org.service.id
            c.moves = [] if stuck else self._lifecycle(c.received, c.severity)
            self.complaints.append(c)
            self._complaints_of.setdefault(org.id, []).append(c)

    def _lifecycle(self, t: float, severity: str) -> list[tuple[str, float, str | None, float | None]]:
        """A walk through the legal moves; time runs out at `end`, and some complaints stall."""
        rng = self.rng
        lognorm = lambda median, sigma: median * math.exp(rng.gauss(0, sigma))  # noqa: E731
        severe = severity in ("HIGH", "CRITICAL")
        stall = {"RECEIVED": 0.03, "ACKNOWLEDGED": 0.04, "ESCALATED": 0.05, "RESOLVED": 0.06}
        state, moves = "RECEIVED", []
        for _ in range(10):
            if state == "CLOSED" or rng.random() < stall[state]:
                break
            satisfaction: float | None = None
            note: str | None = None
            if state == "RECEIVED":
                roll = rng.random()
                if severity == "LOW" and roll < 0.25:
                    nxt, dt, note = "RESOLVED", lognorm(6 * HOUR, 0.8), "Solved on first contact"
                elif roll < (0.15 if severe else 0.03):
                    nxt, dt, note = "ESCALATED", lognorm(3 * HOUR, 0.8), "Escalated to management"
                else:
                    nxt, dt, note = "ACKNOWLEDGED", lognorm(5 * HOUR, 1.1), "Acknowledged, investigating"
            elif state == "ACKNOWLEDGED":
                if rng.random() < (0.2 if severe else 0.06):
                    nxt, dt, note = "ESCALATED", lognorm(2 * DAY, 0.7), "Escalated: needs a management decision"
                else:
                    nxt, dt, note = "RESOLVED", lognorm(3 * DAY, 0.8), "Resolved"
            elif state == "ESCALATED":
                if rng.random() < 0.25:
                    nxt, dt, note = "ACKNOWLEDGED", lognorm(1 * DAY, 0.6), "Back with the owner after review"
                else:
                    nxt, dt, note = "RESOLVED", lognorm(5 * DAY, 0.7), "Resolved after escalation"
            else:  # RESOLVED: the follow-up
                dt = rng.uniform(3, 14) * DAY
                if rng.random() < 0.1:
                    nxt, note = "ESCALATED", "Follow-up: customer still unhappy"
                else:
                    nxt, note = "CLOSED", "Closed after follow-up"
                    satisfaction = round(_clamp(rng.gauss(0.45, 0.35)), 2)
            if nxt == "RESOLVED" and rng.random() < 0.3:
                satisfaction = round(_clamp(rng.gauss(0.3, 0.4)), 2)
            t += max(dt, 60.0)
            if t > self.t_end:
                break
            moves.append((nxt, t, note, satisfaction))
            state = nxt
        return moves

    # -- sections ----------------------------------------------------------------------

    @property
    def organisations(self) -> list[_Org]:
        return self.customers + self.suppliers + self.competitors + self.agencies

    def stakeholder_count(self) -> int:
        return 1 + len(self.emps) + len(self.organisations) + len(self.persons)

    def stakeholder_rows(self) -> Iterator[dict[str, Any]]:
        yield {"id": US, "kind": "EMPLOYEE", "form": "ORGANIZATION", "name": "Northstar Components Ltd",
               "is_us": True, "industry": "Manufacturing", "region": "Central", "tags": ["us"],
               "email": "info@northstar.example", "since": _dt(self.ceo.hired - YEAR)}
        for e in self.emps:
            row = {"id": e.id, "kind": "EMPLOYEE", "form": "PERSON", "name": f"{e.first} {e.last}",
                   "title": e.title, "email": f"{e.first}.{e.last}@northstar.example".lower(),
                   "since": _dt(e.hired), "tags": ["staff"]}
            if e.region:
                row["region"] = e.region
            if e.left is not None:
                row["tags"] = ["staff", "former-employee"]
            yield row
        for org in self.organisations:
            row = {"id": org.id, "kind": org.kind, "form": "ORGANIZATION", "name": org.name, "tags": list(org.tags),
                   "email": f"info@{org.domain}", "since": _dt(org.since)}
            for key in ("industry", "region", "tier", "demand", "potential", "margin", "retention"):
                value = getattr(org, key)
                if value is not None:
                    row[key] = value
            yield row
        for p in self.persons:
            yield {"id": p.id, "kind": p.kind, "form": "PERSON", "name": f"{p.first} {p.last}", "title": p.title,
                   "email": p.email, "phone": p.phone, "since": _dt(p.since)}

    def _rel(self, rel_type: str, a: str, b: str, start: float, role: str | None = None,
             note: str | None = None) -> dict[str, Any]:
        row: dict[str, Any] = {"id": _rel_id(rel_type, a, b), "type": rel_type, "from_id": a, "to_id": b,
                               "started_at": _dt(start)}
        if role is not None:
            row["role"] = role
        if note is not None:
            row["note"] = note
        return row

    def relationship_rows(self) -> Iterator[dict[str, Any]]:
        """Every relationship; an ended one carries its `ended_at` and `end_reason`."""
        ends = {e.relationship_id: e for e in self.endings()}
        for row in self._relationship_rows():
            ending = ends.get(row["id"])
            if ending is not None:
                row["ended_at"] = ending.at
                row["end_reason"] = ending.reason
            yield row

    def _relationship_rows(self) -> Iterator[dict[str, Any]]:
        rel = self._rel
        # our company
        teams: dict[str, list[_Emp]] = {}
        for e in self.emps:
            yield rel("WORKS_FOR", e.id, US, e.hired, "DECISION_MAKER" if e.rank <= 1 else None)
            if e.boss is not None:
                yield rel("REPORTS_TO", e.id, e.boss.id, max(e.hired, e.boss.hired))
                teams.setdefault(e.boss.id, []).append(e)
        for members in teams.values():
            members = [m for m in members if m.rank >= 1][:12]
            for i, a in enumerate(members):
                for b in members[i + 1:]:
                    yield rel("COLLEAGUE_OF", a.id, b.id, max(a.hired, b.hired))
        # suppliers, competitors, agencies
        for org in self.suppliers:
            yield rel("SUPPLIES", org.id, US, org.since)
            if "strategic" in org.tags:
                yield rel("PARTNERS_WITH", US, org.id, org.since + 180 * DAY, note="strategic supplier")
        for org in self.competitors:
            yield rel("COMPETES_WITH", org.id, US, org.since)
        for i, org in enumerate(self.competitors[1:], 1):
            if i % 2:
                other = self.competitors[i - 1]
                yield rel("COMPETES_WITH", org.id, other.id, max(org.since, other.since))
        for org in self.agencies:
            kind = {"regulator": ("REGULATES", org.id, US), "distributor": ("DISTRIBUTES_FOR", org.id, US)}
            rel_type, a, b = kind.get(org.subtype or "", ("PARTNERS_WITH", US, org.id))
            if org.subtype != "media":
                yield rel(rel_type, a, b, org.since)
        for contact in self.contacts:
            yield rel("WORKS_FOR", contact.person.id, contact.org.id, contact.start, contact.role)
        for org in self.suppliers:
            for c in org.contacts:
                for buyer in self.buyers[:2]:
                    yield rel("KNOWS", buyer.id, c.person.id, max(buyer.hired, c.start))
        for org in self.agencies:
            ours = {"regulator": self.compliance, "association": self.ceo, "media": self.marketing,
                    "research": self.marketing}.get(org.subtype or "", self.directors.get(org.region or "", self.ceo))
            for c in org.contacts:
                yield rel("KNOWS", ours.id, c.person.id, max(ours.hired, c.start))
        # customers
        seen: set[str] = set()  # a person who moved to another customer may come up twice
        for org in self.customers:
            for row in self._customer_relationships(org):
                if row["id"] not in seen:
                    seen.add(row["id"])
                    yield row
        del seen
        for a, b in self.influences:
            yield rel("INFLUENCES", a.id, b.id, max(a.since, b.since, self.t0 - 2 * YEAR))
        yield from self._peer_knows()

    def _customer_relationships(self, org: _Org) -> Iterator[dict[str, Any]]:
        rel = self._rel
        if not org.prospect:
            yield rel("BUYS_FROM", org.id, US, org.since)
        if org.competitor is not None:
            start = max(org.since, org.competitor.since) if org.prospect else \
                org.since + self._rng_for(org, "competitor").uniform(0.1, 0.9) * (self.t_end - org.since)
            if org.ended_at is not None:
                start = org.ended_at - 20 * DAY
            yield rel("BUYS_FROM", org.id, org.competitor.id, start)
        if org.referrer is not None:
            yield rel("REFERRED", org.referrer.id, org.id, max(org.since - 10 * DAY, org.referrer.since))
        for m in org.managers:
            if m.start >= self.t_end:
                continue
            yield rel("MANAGES_ACCOUNT", m.emp.id, org.id, m.start)
        known: set[tuple[str, str]] = set()
        for m in org.managers:
            for c in org.contacts:
                start = max(m.start, c.start)
                if start < (m.stop or self.t_end) and start < (c.stop or self.t_end):
                    if (m.emp.id, c.person.id) not in known:
                        known.add((m.emp.id, c.person.id))
                        yield rel("KNOWS", m.emp.id, c.person.id, start)
        if org.service is not None:
            for c in org.contacts:
                if c.role in ("USER", "GATEKEEPER") or len(org.contacts) == 1:
                    if (org.service.id, c.person.id) not in known:
                        known.add((org.service.id, c.person.id))
                        yield rel("KNOWS", org.service.id, c.person.id, max(c.start, org.service.hired))
        contacts = org.contacts
        for i, a in enumerate(contacts):
            for b in contacts[i + 1:]:
                start = max(a.start, b.start)
                if start < (a.stop or self.t_end) and start < (b.stop or self.t_end) and a.person is not b.person:
                    yield rel("COLLEAGUE_OF", a.person.id, b.person.id, start)
            if a.role == "INFLUENCER":
                for b in contacts:
                    if b.role == "DECISION_MAKER" and b.person is not a.person and \
                            max(a.start, b.start) < min(a.stop or self.t_end, b.stop or self.t_end):
                        yield rel("INFLUENCES", a.person.id, b.person.id, max(a.start, b.start))
        if org.competitor is not None:
            reps = self.reps[org.competitor.id]
            rep = reps[org.index % len(reps)]
            for c in contacts:
                if c.role in ("DECISION_MAKER", "INFLUENCER", "USER") and c.person.kind == "CUSTOMER":
                    if (rep.person.id, c.person.id) not in known:
                        known.add((rep.person.id, c.person.id))
                        yield rel("KNOWS", rep.person.id, c.person.id, max(rep.start, c.start))

    def _peer_knows(self) -> Iterator[dict[str, Any]]:
        """Contacts know peers at other customers of their industry, most often nearby.

        Person p (position i in its industry's ring, ordered by region) knows the persons
        at i + d for a few distinct offsets 0 < d < n/2, so no pair comes up twice.
        """
        rng = random.Random(f"{self.seed}/peers")
        rings: dict[str, list[_Contact]] = {}
        firsts: dict[str, _Contact] = {}
        for c in self.contacts:
            if c.person.kind == "CUSTOMER" and c.person.id not in firsts:
                firsts[c.person.id] = c
                rings.setdefault(c.org.industry or "", []).append(c)
        half = self.spec.peers / 2.0
        for industry in sorted(rings):
            ring = sorted(rings[industry], key=lambda c: (c.org.region or "", c.org.index, c.person.id))
            n = len(ring)
            top = (n - 1) // 2
            if top < 1:
                continue
            scale = max(2.0, n / 40.0)
            for i, a in enumerate(ring):
                k = _poisson(rng, half)
                offsets: set[int] = set()
                for _ in range(k * 3):
                    if len(offsets) >= min(k, top):
                        break
                    d = 1 + int(rng.expovariate(1.0 / scale))
                    if d <= top:
                        offsets.add(d)
                for d in sorted(offsets):
                    b = ring[(i + d) % n]
                    if b.org is a.org:
                        continue
                    start = max(a.start, b.start, self.t0 - rng.uniform(0, 3) * YEAR)
                    yield self._rel("KNOWS", a.person.id, b.person.id, min(start, self.t_end - DAY))

    def endings(self) -> Iterator[RelationshipEnding]:
        for e in self.emps:
            if e.left is not None:
                at = _dt(e.left)
                yield RelationshipEnding(_rel_id("WORKS_FOR", e.id, US), at, "left the company")
                if e.boss is not None:
                    yield RelationshipEnding(_rel_id("REPORTS_TO", e.id, e.boss.id), at, "left the company")
        for org in self.suppliers + self.agencies:
            if org.ended_at is not None:
                rel_type = "SUPPLIES" if org.kind == "SUPPLIER" else "DISTRIBUTES_FOR"
                yield RelationshipEnding(_rel_id(rel_type, org.id, US), _dt(org.ended_at), org.end_reason or "ended")
        for org in self.customers:
            if org.ended_at is not None:
                yield RelationshipEnding(_rel_id("BUYS_FROM", org.id, US), _dt(org.ended_at),
                                         org.end_reason or "ended")
            for m in org.managers:
                if m.stop is not None:
                    yield RelationshipEnding(_rel_id("MANAGES_ACCOUNT", m.emp.id, org.id), _dt(m.stop),
                                             "account handed over")
            for c in org.contacts:
                if c.stop is not None:
                    yield RelationshipEnding(_rel_id("WORKS_FOR", c.person.id, org.id), _dt(c.stop),
                                             c.reason or "left")

    # interactions

    def _rng_for(self, org: _Org | str, section: str) -> random.Random:
        key = org if isinstance(org, str) else org.id
        return random.Random(f"{self.seed}/{section}/{key}")

    def _work_time(self, rng: random.Random, t: float) -> float:
        """`t` moved onto a working day, between 08:00 and 18:00 UTC."""
        day = math.floor(t / DAY)
        weekday = (day + 3) % 7  # 1970-01-01 was a Thursday; Monday is 0
        if weekday == 5:
            day -= 1
        elif weekday == 6:
            day += 1
        return day * DAY + rng.uniform(8 * HOUR, 18 * HOUR)

    def _times(self, rng: random.Random, start: float, stop: float, per_year: float, shape: Any = None,
               peak: float = 1.0) -> Iterator[float]:
        """A Poisson process of `per_year * shape(t)` events, by thinning."""
        if per_year <= 0 or stop <= start:
            return
        gap = YEAR / (per_year * peak)
        t = start
        while True:
            t += rng.expovariate(1.0) * gap
            if t >= stop:
                return
            if shape is None or rng.random() * peak < shape(t):
                w = self._work_time(rng, t)
                if start <= w <= stop and w <= self.t_end:
                    yield w

    def _shape(self, org: _Org) -> tuple[Any, float]:
        """How an account's contact rate changes over the two years."""
        span = self.t_end - self.t0
        if org.archetype == "growing":
            return (lambda t: 0.4 + 1.2 * (t - self.t0) / span), 1.6
        if org.archetype == "cooling" and org.cool is not None:
            cool = org.cool
            return (lambda t: 1.0 if t < cool else 0.12), 1.0
        if org.archetype == "transactional":
            return (lambda t: 0.35), 0.35
        return None, 1.0

    def _mood(self, org: _Org, t: float) -> float:
        if org.cool is not None and t > org.cool - 60 * DAY:
            return org.mood - 0.8 * min(1.0, (t - org.cool + 60 * DAY) / (120 * DAY))
        if org.archetype == "churned" and org.stop is not None and t > org.stop - 120 * DAY:
            return org.mood - 0.6
        return org.mood

    def interaction_rows(self) -> Iterator[dict[str, Any]]:
        for org in self.customers:
            yield from self.account_interactions(org)
        for org in self.suppliers:
            yield from self._supplier_interactions(org)
        for org in self.agencies:
            yield from self._agency_interactions(org)
        yield from self._internal_interactions()
        yield from self._events()

    def _numbered(self, prefix: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        rows.sort(key=lambda r: (r["at"], r["initiator_id"]))
        width = max(4, len(str(len(rows))))
        for n, row in enumerate(rows, 1):
            row["id"] = f"int-{prefix}-{n:0{width}d}"
        return rows

    @staticmethod
    def _row(kind: str, t: float, initiator: str, participants: list[str], subject: str | None,
             sentiment: float | None = None, value: float | None = None) -> dict[str, Any]:
        row: dict[str, Any] = {"type": kind, "at": _dt(t), "initiator_id": initiator,
                               "participant_ids": participants}
        if subject is not None:
            row["subject"] = subject
        if sentiment is not None:
            row["sentiment"] = round(_clamp(sentiment), 2)
        if value is not None:
            row["value"] = value
        return row

    def account_interactions(self, org: _Org) -> list[dict[str, Any]]:
        """Every interaction of one customer or prospect, oldest first."""
        rng = self._rng_for(org, "interactions")
        row = self._row
        start = max(org.since, self.t0)
        stop = min(org.stop or self.t_end, self.t_end)
        rows: list[dict[str, Any]] = []
        shape, peak = self._shape(org)
        tier = org.tier or "GENERAL"
        rates = _RATES[tier]
        comm_rate = rates["comm"]
        if org.prospect:
            comm_rate = {"CLEAR": 14.0, "LATENT": 6.0, "NONE": 3.0}[org.demand or "NONE"]
        mix = _COMM_MIX[tier]

        def ours_at(t: float) -> _Emp | None:
            active = [m for m in org.managers if m.active(t)]
            if not active:
                return None
            if len(active) == 1:
                return active[0].emp
            return _Picker([(m.emp, m.weight) for m in active])(rng)

        def theirs_at(t: float, roles: tuple[str, ...] | None = None) -> _Contact | None:
            active = [c for c in org.contacts if c.active(t)]
            if roles:
                active = [c for c in active if c.role in roles] or active
            if not active:
                return None
            if len(active) == 1:
                return active[0]
            wanted = _ROLE_PICK(rng)
            matching = [c for c in active if c.role == wanted]
            return rng.choice(matching or active)

        # conversations, both ways
        for t in self._times(rng, start, stop, comm_rate, shape, peak):
            emp, contact = ours_at(t), theirs_at(t)
            if emp is None or contact is None:
                continue
            kind = mix(rng)
            reply = org.reply if org.cool is None or t < org.cool else 0.08
            theirs_first = rng.random() < reply
            if kind == "VISIT":
                theirs_first = theirs_first and rng.random() < 0.25
            who, whom = (contact.person.id, emp.id) if theirs_first else (emp.id, contact.person.id)
            participants = [whom]
            if kind == "MEETING" and rng.random() < 0.4:
                other = theirs_at(t)
                if other is not None and other.person.id != who and other.person.id not in participants:
                    participants.append(other.person.id)
            sentiment = self._mood(org, t) + rng.gauss(0, 0.3) if kind in ("MEETING", "VISIT", "CALL") and \
                rng.random() < 0.4 else None
            rows.append(row(kind, t, who, participants, rng.choice(N.SUBJECTS[kind]), sentiment))
        if not org.prospect:
            # orders (organisation level): key accounts order more, and more at a time
            per_year = rates["order"]
            mean = org.revenue / per_year
            order_shape, order_peak = shape, peak
            if org.archetype == "cooling" and org.cool is not None:
                cool = org.cool
                order_shape, order_peak = (lambda t: 1.0 if t < cool else 0.5), 1.0
            elif org.archetype == "transactional":
                order_shape, order_peak = None, 1.0
            for n, t in enumerate(self._times(rng, start, stop, per_year, order_shape, order_peak), 1):
                amount = round(mean * math.exp(rng.gauss(0, 0.35)), 2)
                rows.append(row("ORDER", t, org.id, [US], f"Order {org.id[5:]}-{n:04d}", None, amount))
            # feedback: surveys we send and talks they start; they carry the account's mood
            if org.archetype != "transactional":
                for t in self._times(rng, start, stop, rates["feedback"], shape, peak):
                    emp, contact = ours_at(t), theirs_at(t, ("DECISION_MAKER", "INFLUENCER"))
                    if emp is None or contact is None:
                        continue
                    ours_first = rng.random() < 0.7
                    who, whom = (emp.id, contact.person.id) if ours_first else (contact.person.id, emp.id)
                    rows.append(row("FEEDBACK", t, who, [whom], rng.choice(N.SUBJECTS["FEEDBACK"]),
                                    self._mood(org, t) + rng.gauss(0, 0.25)))
            # service
            if org.service is not None:
                for t in self._times(rng, start, stop, rates["service"], shape, peak):
                    contact = theirs_at(t, ("USER", "GATEKEEPER"))
                    if contact is None:
                        continue
                    if rng.random() < 0.6:
                        who, whom = contact.person.id, org.service.id
                    else:
                        who, whom = org.service.id, contact.person.id
                    sentiment = self._mood(org, t) + rng.gauss(0.1, 0.3) if rng.random() < 0.3 else None
                    rows.append(row("SERVICE", t, who, [whom], rng.choice(N.SUBJECTS["SERVICE"]), sentiment))
        # complaints, as the customer raised them
        for c in self._complaints_of.get(org.id, ()):
            who = c.contact or org.id
            rows.append(row("COMPLAINT", c.received, who, [c.owner], f"Complaint ({c.category}): {c.description}",
                            _COMPLAINT_SENTIMENT[c.severity] + rng.uniform(-0.1, 0.1)))
        # a competitor's sales reps, as our contacts report them
        if org.competitor is not None and org.pressure > 0:
            reps = self.reps[org.competitor.id]
            rep = reps[org.index % len(reps)]
            comp_start = max(start, stop - 400 * DAY)
            ramp = (lambda t: 0.3 + 0.7 * (t - comp_start) / max(DAY, stop - comp_start)) if org.pressure > 10 \
                else None
            for t in self._times(rng, comp_start, self.t_end if org.ended_at else stop, org.pressure, ramp):
                contact = theirs_at(t, ("DECISION_MAKER", "INFLUENCER", "USER"))
                if contact is None:
                    continue
                kind = rng.choice(("VISIT", "MEETING", "CALL", "CALL", "EMAIL"))
                if rng.random() < 0.75:
                    rows.append(row(kind, t, rep.person.id, [contact.person.id], "Reported: competitor contact"))
                else:
                    rows.append(row(kind, t, contact.person.id, [rep.person.id], "Reported: competitor contact"))
        return self._numbered(org.id, rows)

    def _supplier_interactions(self, org: _Org) -> list[dict[str, Any]]:
        rng = self._rng_for(org, "interactions")
        start = max(org.since, self.t0)
        stop = org.ended_at or self.t_end
        rows: list[dict[str, Any]] = []
        buyer = self.buyers[org.index % len(self.buyers)] if len(self.buyers) > 1 else self.buyers[0]
        for n, t in enumerate(self._times(rng, start, stop, 12.0), 1):
            amount = round(org.revenue / 12 * math.exp(rng.gauss(0, 0.3)), 2)
            rows.append(self._row("ORDER", t, US, [org.id], f"Purchase order {org.id}-{n:04d}", None, amount))
        for t in self._times(rng, start, stop, 10.0):
            contacts = org.contacts_at(t)
            if not contacts:
                continue
            contact = rng.choice(contacts)
            kind = rng.choice(("CALL", "EMAIL", "EMAIL", "MEETING"))
            who, whom = (buyer.id, contact.person.id) if rng.random() < 0.5 else (contact.person.id, buyer.id)
            rows.append(self._row(kind, t, who, [whom], rng.choice(N.SUBJECTS[kind])))
        if org.ended_at is not None:
            for t in self._times(rng, max(start, org.ended_at - 200 * DAY), org.ended_at, 6.0):
                rows.append(self._row("COMPLAINT", t, US, [org.id], "Complaint to supplier: quality", -0.6))
        return self._numbered(org.id, rows)

    def _agency_interactions(self, org: _Org) -> list[dict[str, Any]]:
        rng = self._rng_for(org, "interactions")
        start = max(org.since, self.t0)
        stop = org.ended_at or self.t_end
        rows: list[dict[str, Any]] = []
        person = org.contacts[0].person.id
        if org.subtype == "regulator":
            for t in self._times(rng, start, stop, 1.5):
                rows.append(self._row("VISIT", t, person, [self.compliance.id], "Inspection", rng.uniform(-0.2, 0.5)))
            for t in self._times(rng, start, stop, 4.0):
                rows.append(self._row("EMAIL", t, self.compliance.id, [person], "Compliance report"))
        elif org.subtype == "association":
            for t in self._times(rng, start, stop, 4.0):
                rows.append(self._row("EVENT", t, person, [self.ceo.id, self.marketing.id], "Members' meeting"))
        elif org.subtype in ("media", "research"):
            for t in self._times(rng, start, stop, 6.0):
                kind = rng.choice(("CALL", "EMAIL", "MESSAGE", "MEETING"))
                who, whom = (person, self.marketing.id) if rng.random() < 0.5 else (self.marketing.id, person)
                rows.append(self._row(kind, t, who, [whom], "Press enquiry" if org.subtype == "media"
                                      else "Market study"))
        else:  # distributor: orders our products, and talks to the regional director
            director = self.directors.get(org.region or "", self.ceo)
            for n, t in enumerate(self._times(rng, start, stop, 12.0), 1):
                amount = round(org.revenue / 12 * math.exp(rng.gauss(0, 0.3)), 2)
                rows.append(self._row("ORDER", t, org.id, [US], f"Distributor order {org.id}-{n:04d}", None, amount))
            for t in self._times(rng, start, stop, 8.0):
                kind = rng.choice(("CALL", "MEETING", "EMAIL"))
                who, whom = (person, director.id) if rng.random() < 0.5 else (director.id, person)
                rows.append(self._row(kind, t, who, [whom], rng.choice(N.SUBJECTS[kind])))
        return self._numbered(org.id, rows)

    def _internal_interactions(self) -> list[dict[str, Any]]:
        """Monthly one-to-ones with the boss and monthly team meetings."""
        rng = random.Random(f"{self.seed}/internal")
        rows: list[dict[str, Any]] = []
        teams: dict[str, list[_Emp]] = {}
        for e in self.emps:
            if e.boss is None:
                continue
            teams.setdefault(e.boss.id, []).append(e)
            start = max(self.t0, e.hired, e.boss.hired)
            stop = min(e.left or self.t_end, e.boss.left or self.t_end)
            for t in self._times(rng, start, stop, 12.0):
                who, whom = (e.boss.id, e.id) if rng.random() < 0.7 else (e.id, e.boss.id)
                rows.append(self._row("MEETING", t, who, [whom], "One-to-one",
                                      rng.gauss(0.4, 0.3) if rng.random() < 0.2 else None))
        by_id = {e.id: e for e in self.emps}
        for boss_id, members in teams.items():
            boss = by_id[boss_id]
            for t in self._times(rng, max(self.t0, boss.hired), self.t_end, 12.0):
                present = [m.id for m in members if m.hired <= t and (m.left is None or t < m.left)][:49]
                if present:
                    rows.append(self._row("MEETING", t, boss.id, present, "Team meeting"))
        return self._numbered("us", rows)

    def _events(self) -> list[dict[str, Any]]:
        """Customer days, trade fairs and webinars, with contacts of key and suitable accounts."""
        rng = random.Random(f"{self.seed}/events")
        rows: list[dict[str, Any]] = []
        invited = [o for o in self.customers if o.tier in ("KEY", "SUITABLE")]
        quarters = HISTORY_DAYS // 91
        for q in range(quarters):
            for _ in range(self.spec.events_per_quarter):
                t = self._work_time(rng, self.t0 + (q + rng.random()) * 91 * DAY)
                if t > self.t_end:
                    continue
                region = rng.choice(self.regions)
                host = self.directors[region] if rng.random() < 0.5 else self.marketing
                pool = [o for o in invited if o.region == region] or invited
                participants: list[str] = []
                for org in rng.sample(pool, min(len(pool), rng.randint(5, 45))):
                    if org.stop is not None and t > org.stop:
                        continue
                    contacts = org.contacts_at(t)
                    if contacts:
                        participants.append(rng.choice(contacts).person.id)
                participants = list(dict.fromkeys(participants))[:49]
                if participants:
                    rows.append(self._row("EVENT", t, host.id, participants, rng.choice(N.SUBJECTS["EVENT"]),
                                          rng.uniform(0.2, 0.8) if rng.random() < 0.5 else None))
        return self._numbered("event", rows)

    # complaints and plans

    def complaint_rows(self) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
        """Each complaint with its lifecycle moves, in order."""
        for c in self.complaints:
            row = {"id": c.id, "stakeholder_id": c.org.id, "channel": c.channel, "category": c.category,
                   "severity": c.severity, "owner_id": c.owner, "description": c.description,
                   "received_at": _dt(c.received)}
            moves = []
            for status, t, note, satisfaction in c.moves:
                move: dict[str, Any] = {"id": c.id, "status": status, "at": _dt(t)}
                if note is not None:
                    move["note"] = note
                if satisfaction is not None:
                    move["satisfaction"] = satisfaction
                moves.append(move)
            yield row, moves

    def plan_rows(self) -> Iterator[dict[str, Any]]:
        """Long-term plans for the active key and suitable accounts."""
        for org in self.customers:
            if org.tier not in ("KEY", "SUITABLE") or org.ended_at is not None:
                continue
            rng = self._rng_for(org, "plan")
            managers = [m for m in org.managers if m.active(self.t_end - 1)]
            owner = managers[0].emp if managers else self.directors[org.region or self.regions[0]]
            cadence = 7 if org.tier == "KEY" and rng.random() < 0.3 else None
            days = cadence or (14 if org.tier == "KEY" else 30)
            if org.archetype in ("cooling", "one_way", "dormant"):
                due = self.t_end - rng.uniform(1, 30) * DAY  # overdue
            else:
                due = self.t_end + rng.uniform(-3, days) * DAY
            current = org.contacts_at(self.t_end - 1)
            actions = []
            for what, channel, role in rng.sample(N.PLAN_ACTIONS, rng.randint(1, 4)):
                contact = next((c for c in current if c.role == role), None) if role else None
                action_due = self.t_end + rng.uniform(-20, 90) * DAY
                action: dict[str, Any] = {"what": what, "due": _dt(action_due), "channel": channel,
                                          "done": action_due < self.t_end and rng.random() < 0.6}
                if contact is not None:
                    action["contact_id"] = contact.person.id
                actions.append(action)
            open_complaints = [c for c in self._complaints_of.get(org.id, ())
                               if not c.moves or c.moves[-1][0] not in ("RESOLVED", "CLOSED")]
            notes = [f"Grow share of wallet in {org.industry}."]
            if org.competitor is not None:
                notes.append(f"Defend the account against {org.competitor.name}.")
            if open_complaints:
                notes.append(f"Close the {len(open_complaints)} open complaint(s) first.")
                actions.append({"what": "Follow up on the open complaint", "channel": "CALL",
                                "due": _dt(self.t_end + 2 * DAY), "done": False})
            if org.single:
                notes.append("Single-threaded: introduce a second contact from our side.")
            row: dict[str, Any] = {"account_id": org.id, "owner_id": owner.id, "tier": org.tier,
                                   "next_contact_due": _dt(due), "actions": actions, "notes": " ".join(notes)}
            if cadence is not None:
                row["cadence_days"] = cadence
            yield row
