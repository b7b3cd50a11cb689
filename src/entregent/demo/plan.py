"""The demo network as plain Python data, before anything touches the database: who the members
are, where they live and studied, their careers, who knows whom and the pending invitations.

Everything is drawn from random generators seeded by `seed` (one stream per phase, so a change in
one phase does not reshuffle the others) and from Faker instances seeded the same way: the same
seed gives the same network on any machine with the same Faker version.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import math
import random
from dataclasses import dataclass, field

from django.utils.text import slugify
from faker import Faker

from entregent.demo import data
from entregent.demo.data import INDUSTRIES, split_text

RESERVED_SLUGS: frozenset[str] = frozenset()  # filled lazily from profiles.services


def _reserved() -> frozenset[str]:
    global RESERVED_SLUGS
    if not RESERVED_SLUGS:
        from entregent.profiles.services import RESERVED_SLUGS as reserved

        RESERVED_SLUGS = reserved
    return RESERVED_SLUGS


YearMonth = tuple[int, int]


def add_months(ym: YearMonth, months: int) -> YearMonth:
    total = ym[0] * 12 + (ym[1] - 1) + months
    return total // 12, total % 12 + 1


@dataclass(slots=True)
class Company:
    name: str
    industry: str
    country: str
    city: str
    weight: float
    domain: str
    members: list[int] = field(default_factory=list)


@dataclass(slots=True)
class Position:
    company: int
    title: str
    level: int
    industry: str
    start: YearMonth
    end: YearMonth | None  # None: current
    employment_type: str
    location: str


@dataclass(slots=True)
class Study:
    school: int
    degree: str
    field: str
    start_year: int
    end_year: int
    exchange: bool = False


@dataclass(slots=True)
class Person:
    index: int
    locale: str
    language: str  # native language code
    french: bool  # writes their profile in French
    feminine: bool
    first_name: str
    last_name: str
    country: str
    city: str
    industry: str
    tier: str  # showcase, rich, medium, sparse, suspicious
    graduation: int
    studies: list[Study]
    positions: list[Position]  # oldest first
    joined: dt.datetime
    target: int  # wished number of connections
    photo: bool
    slug: str = ""
    email: str = ""

    def text(self, value: str) -> str:
        return split_text(value, french=self.french, feminine=self.feminine)

    @property
    def current(self) -> Position | None:
        if self.positions and self.positions[-1].end is None:
            return self.positions[-1]
        return None

    @property
    def latest(self) -> Position | None:
        return self.positions[-1] if self.positions else None


@dataclass
class Plan:
    seed: int
    now: dt.datetime
    persons: list[Person]
    companies: list[Company]
    edges: list[tuple[int, int]] = field(default_factory=list)  # person indices, a < b
    invitations: list[tuple[int, int, str]] = field(default_factory=list)  # sender, recipient, note
    hubs: list[int] = field(default_factory=list)
    suspicious: list[int] = field(default_factory=list)


class Weighted:
    """Repeated weighted choices from a fixed population (cumulative weights + bisect)."""

    __slots__ = ("items", "cum", "total")

    def __init__(self, items: list, weights: list[float]) -> None:
        self.items = items
        self.cum = list(itertools.accumulate(weights))
        self.total = self.cum[-1] if self.cum else 0.0

    def pick(self, rng: random.Random):
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.total)]


def _rng(seed: int, phase: str) -> random.Random:
    return random.Random(f"entregent-demo-{seed}-{phase}")


# --- Companies ------------------------------------------------------------------------------------

_SYLLABLES = (
    "al ver no ka lis tra mé ri on sy ne ta zé lo ga vi dor mar sel quin bel ar tis cor val om "
    "nex ly ré fa ju pa ter".split()
)
_FIXED_COMPANIES = [
    # used by the two showcase members, so they have colleagues
    ("Orsalis", "software", "FR", "Paris"),
    ("Numéria", "software", "FR", "Paris"),
    ("Banque Alvéa", "banking", "FR", "Paris"),
    ("Brevia Conseil", "consulting", "FR", "Lyon"),
    ("Kerlan Partners", "consulting", "FR", "Paris"),
    ("Maison Vautrin", "retail", "FR", "Lyon"),
]


def _brand(rng: random.Random) -> str:
    word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((2, 2, 3))))
    return word[:1].upper() + word[1:]


def _weighted_city(rng: random.Random, country: str) -> str:
    cities = data.CITIES[country]
    return rng.choices([c for c, _ in cities], weights=[w for _, w in cities])[0]


def plan_companies(n_members: int, seed: int, fakers: dict[str, Faker]) -> list[Company]:
    rng = _rng(seed, "companies")
    count = max(len(INDUSTRIES) + len(_FIXED_COMPANIES), n_members // 20)
    codes = list(INDUSTRIES)
    weights = [INDUSTRIES[c].weight for c in codes]
    industries = codes + rng.choices(codes, weights=weights, k=count - len(codes) - len(_FIXED_COMPANIES))
    country_codes = [c for _, c, _, _ in data.LOCALES]
    country_weights = [w for _, _, w, _ in data.LOCALES]
    locale_of = {c: loc for loc, c, _, _ in data.LOCALES}
    companies: list[Company] = []
    names: set[str] = set()
    for name, industry, country, city in _FIXED_COMPANIES:
        companies.append(Company(name, industry, country, city, 0.0, slugify(name)))
        names.add(name)
    for industry in industries:
        country = rng.choices(country_codes, weights=country_weights)[0]
        city = _weighted_city(rng, country)
        word = rng.choice(INDUSTRIES[industry].company_words)
        roll = rng.random()
        if roll < 0.45:
            name = f"{_brand(rng)} {word}" if not word.startswith("&") else f"{_brand(rng)} {word}"
        elif roll < 0.75:
            name = fakers[locale_of[country]].company()
        elif roll < 0.88:
            name = f"Groupe {_brand(rng)}" if country in ("FR", "BE", "CH") else f"{_brand(rng)} Group"
        else:
            name = _brand(rng)
        name = name[:110]
        while name in names:
            name = f"{name} {rng.choice(['France', 'Europe', 'Services', 'International'])}"[:110]
        names.add(name)
        companies.append(Company(name, industry, country, city, 0.0, slugify(name)[:40] or "company"))
    # Heavy-tailed sizes: a few large employers, many small ones (Zipf over a random order).
    order = list(range(len(companies)))
    rng.shuffle(order)
    for rank, i in enumerate(order, start=1):
        companies[i].weight = 1.0 / rank**1.05
    for i in range(len(_FIXED_COMPANIES)):
        companies[i].weight = max(companies[i].weight, 0.05)
    return companies


# --- Members --------------------------------------------------------------------------------------


class _Pickers:
    """Precomputed weighted choices shared by every member."""

    def __init__(self, companies: list[Company]) -> None:
        self.locales = Weighted(
            [(loc, c, lang) for loc, c, _, lang in data.LOCALES], [w for _, _, w, _ in data.LOCALES]
        )
        self.cities = {
            country: Weighted([c for c, _ in cities], [w for _, w in cities])
            for country, cities in data.CITIES.items()
        }
        codes = list(INDUSTRIES)
        self.industries = Weighted(codes, [INDUSTRIES[c].weight for c in codes])
        by_industry: dict[str, list[int]] = {c: [] for c in codes}
        by_industry_country: dict[tuple[str, str], list[int]] = {}
        for i, company in enumerate(companies):
            by_industry[company.industry].append(i)
            by_industry_country.setdefault((company.industry, company.country), []).append(i)
        self.company_by_industry = {
            code: Weighted(ids, [companies[i].weight for i in ids]) for code, ids in by_industry.items()
        }
        self.company_by_industry_country = {
            key: Weighted(ids, [companies[i].weight for i in ids]) for key, ids in by_industry_country.items()
        }
        self.schools_by_kind: dict[str, list[int]] = {}
        self.schools_by_kind_country: dict[tuple[str, str], list[int]] = {}
        for i, (_name, _city, country, kind) in enumerate(data.SCHOOLS):
            self.schools_by_kind.setdefault(kind, []).append(i)
            self.schools_by_kind_country.setdefault((kind, country), []).append(i)


def _pick_company(rng: random.Random, pickers: _Pickers, industry: str, country: str) -> int:
    local = pickers.company_by_industry_country.get((industry, country))
    if local is not None and rng.random() < 0.8:
        return local.pick(rng)
    return pickers.company_by_industry[industry].pick(rng)


def _pick_school(rng: random.Random, pickers: _Pickers, industry: str, country: str) -> int:
    kinds = INDUSTRIES[industry].school_kinds
    kind = kinds[0] if rng.random() < 0.6 else rng.choice(kinds)
    local = pickers.schools_by_kind_country.get((kind, country))
    if local and rng.random() < 0.85:
        return rng.choice(local)
    return rng.choice(pickers.schools_by_kind.get(kind) or pickers.schools_by_kind["university"])


def _studies(rng: random.Random, pickers: _Pickers, person: Person, home_country: str) -> list[Study]:
    school = _pick_school(rng, pickers, person.industry, home_country)
    _name, _city, country, kind = data.SCHOOLS[school]
    degree_text = rng.choice(data.DEGREES[kind])
    french_school = country in ("FR", "BE", "CH")
    degree = split_text(degree_text, french=french_school and person.french)
    field_text = rng.choice(INDUSTRIES[person.industry].fields)
    long_course = kind in ("engineering", "business") or "Master" in degree_text or "Doctorat" in degree_text
    years = 5 if long_course else rng.choice((2, 3, 3))
    if "Doctorat" in degree_text:
        years = 8
    end = person.graduation
    studies = [Study(school, degree, person.text(field_text), end - years, end)]
    if rng.random() < 0.22:
        # an exchange semester abroad
        abroad = [i for i, s in enumerate(data.SCHOOLS) if s[2] != country and s[3] in ("university", kind)]
        if abroad:
            other = rng.choice(abroad)
            studies.append(
                Study(
                    other,
                    person.text("Semestre d'échange|Exchange semester"),
                    studies[0].field,
                    end - 1,
                    end - 1,
                    True,
                )
            )
    return studies


def _career(rng: random.Random, pickers: _Pickers, person: Person, today: YearMonth) -> list[Position]:
    industry = person.industry
    start: YearMonth = (person.graduation, rng.choice((7, 9, 9, 10, 11)))
    if start > today:
        start = (today[0], max(1, today[1] - rng.randint(0, 3)))
    level = 1 if rng.random() < 0.3 else 0
    track = rng.randrange(12)  # which column of the industry's ladder: developer, architect, product…
    positions: list[Position] = []
    first = True
    while start <= today:
        internship = first and rng.random() < 0.3
        months = rng.randint(5, 10) if internship else int(rng.triangular(10, 84, 28))
        end = add_months(start, months)
        elapsed_years = (start[0] - person.graduation) + 1
        cap = min(4, elapsed_years // 3 + (1 if rng.random() < 0.3 else 0))
        if level > cap:
            level = cap
        if positions and rng.random() < 0.3:
            company = positions[-1].company  # promoted or moved internally
        else:
            company = _pick_company(rng, pickers, industry, person.country)
        ladder = INDUSTRIES[industry].titles[level]
        title = person.text(ladder[track % len(ladder)])
        if internship:
            kind = "internship"
        elif level >= 2 and rng.random() < 0.07:
            kind = "freelance"
        elif first and rng.random() < 0.1:
            kind = "apprenticeship"
        else:
            kind = "full_time"
        current = end > today
        previous = positions[-1] if positions else None
        if (
            previous
            and previous.company == company
            and previous.title == title
            and previous.employment_type == kind
        ):
            previous.end = None if current else end  # same job, continued
        else:
            positions.append(
                Position(company, title, level, industry, start, None if current else end, kind, person.city)
            )
        if current:
            break
        start = add_months(end, rng.choice((0, 0, 0, 1, 1, 2, 3, 5)))
        if rng.random() < (0.75 if internship else 0.55) and level < 4:
            level += 1
        if rng.random() < 0.07:
            industry = pickers.industries.pick(rng)
        if rng.random() < 0.12:
            track = rng.randrange(12)
        first = False
    if positions and positions[-1].end is None and rng.random() < 0.07:
        # between jobs: the last position ended a few months ago
        last = positions[-1]
        end = add_months(today, -rng.randint(1, 8))
        if end >= last.start:
            last.end = end
    return positions[-6:]


def _joined(rng: random.Random, now: dt.datetime, person: Person) -> dt.datetime:
    if person.tier == "suspicious":
        return now - dt.timedelta(days=rng.uniform(0.5, 20))
    days = rng.triangular(2, 6 * 365, 4 * 365)
    return now - dt.timedelta(days=days, seconds=rng.randint(0, 86399))


def _unique_slug(first: str, last: str, taken: dict[str, int]) -> str:
    base = slugify(f"{first} {last}")[:90].strip("-")
    base = "-".join(part for part in base.split("-") if part)  # no "--"
    if len(base) < 3 or base in _reserved():
        base = f"{base}-member".strip("-")
    n = taken.get(base, 0) + 1
    taken[base] = n
    slug = base if n == 1 else f"{base}-{n}"
    while n > 1 and slug in taken:  # "jean-martin-2" may itself be a base name
        n += 1
        taken[base] = n
        slug = f"{base}-{n}"
    taken.setdefault(slug, 1)
    return slug


def _showcase(now: dt.datetime, companies: list[Company]) -> list[Person]:
    """The two demo logins: hand-written, near All-Star profiles."""

    def company(name: str) -> int:
        return next(i for i, c in enumerate(companies) if c.name == name)

    school = {name: i for i, (name, *_rest) in enumerate(data.SCHOOLS)}
    camille = Person(
        index=0,
        locale="fr_FR",
        language="fr",
        french=True,
        feminine=True,
        first_name="Camille",
        last_name="Martin",
        country="FR",
        city="Paris",
        industry="software",
        tier="showcase",
        graduation=2012,
        studies=[
            Study(school["Télécom Paris"], "Diplôme d'ingénieur", "Informatique et réseaux", 2009, 2012),
            Study(
                school["Politecnico di Milano"], "Semestre d'échange", "Computer science", 2011, 2011, True
            ),
        ],
        positions=[
            Position(
                company("Brevia Conseil"),
                "Consultante junior",
                0,
                "consulting",
                (2012, 9),
                (2014, 8),
                "full_time",
                "Lyon",
            ),
            Position(
                company("Banque Alvéa"),
                "Product Owner",
                2,
                "banking",
                (2014, 9),
                (2017, 2),
                "full_time",
                "Paris",
            ),
            Position(
                company("Numéria"),
                "Senior Product Manager",
                3,
                "software",
                (2017, 3),
                (2021, 5),
                "full_time",
                "Paris",
            ),
            Position(
                company("Orsalis"), "Head of Product", 4, "software", (2021, 6), None, "full_time", "Paris"
            ),
        ],
        joined=now - dt.timedelta(days=5 * 365 + 40),
        target=0,
        photo=True,
    )
    thomas = Person(
        index=1,
        locale="fr_FR",
        language="fr",
        french=True,
        feminine=False,
        first_name="Thomas",
        last_name="Bernard",
        country="FR",
        city="Lyon",
        industry="consulting",
        tier="showcase",
        graduation=2009,
        studies=[
            Study(
                school["emlyon business school"],
                "Programme Grande École (Master)",
                "Stratégie et management",
                2006,
                2009,
            ),
            Study(
                school["Université Claude Bernard Lyon 1"], "Licence", "Mathématiques appliquées", 2003, 2006
            ),
        ],
        positions=[
            Position(
                company("Kerlan Partners"),
                "Consultant",
                1,
                "consulting",
                (2009, 9),
                (2012, 12),
                "full_time",
                "Paris",
            ),
            Position(
                company("Maison Vautrin"),
                "Responsable de la transformation retail",
                3,
                "retail",
                (2013, 1),
                (2016, 8),
                "full_time",
                "Lyon",
            ),
            Position(
                company("Brevia Conseil"),
                "Senior Manager",
                3,
                "consulting",
                (2016, 9),
                (2020, 12),
                "full_time",
                "Lyon",
            ),
            Position(
                company("Brevia Conseil"),
                "Directeur associé",
                4,
                "consulting",
                (2021, 1),
                None,
                "full_time",
                "Lyon",
            ),
        ],
        joined=now - dt.timedelta(days=4 * 365 + 100),
        target=0,
        photo=True,
    )
    return [camille, thomas]


class _NamePools:
    """Names drawn from Faker once per locale (with Faker's own frequencies), then picked from
    these pools: a Faker call costs ~25 µs, a pick ~0.5 µs, which matters at 100,000 members."""

    def __init__(self, fakers: dict[str, Faker]) -> None:
        self.fakers = fakers
        self.pools: dict[str, tuple[list[str], list[str], list[str]]] = {}
        self.shares = {loc: share for loc, _c, share, _l in data.LOCALES}

    def get(self, locale: str, n: int) -> tuple[list[str], list[str], list[str]]:
        if locale not in self.pools:
            faker = self.fakers[locale]
            size = max(20, min(1500, int(n * self.shares[locale] * 0.6)))
            self.pools[locale] = (
                [faker.first_name_female() for _ in range(size)],
                [faker.first_name_male() for _ in range(size)],
                [faker.last_name() for _ in range(size * 2)],
            )
        return self.pools[locale]


def plan_members(
    n: int, seed: int, now: dt.datetime, companies: list[Company], fakers: dict[str, Faker]
) -> list[Person]:
    rng = _rng(seed, "members")
    pickers = _Pickers(companies)
    names = _NamePools(fakers)
    today: YearMonth = (now.year, now.month)
    persons = _showcase(now, companies)[: max(0, min(2, n))]
    n_suspicious = max(3, n // 250) if n >= 50 else 0
    suspicious_at = set(rng.sample(range(len(persons), n), min(n_suspicious, max(0, n - len(persons)))))
    for index in range(len(persons), n):
        locale, home_country, language = pickers.locales.pick(rng)
        faker = fakers[locale]
        feminine = rng.random() < 0.5
        females, males, lasts = names.get(locale, n)
        first = rng.choice(females if feminine else males)
        last = rng.choice(lasts)
        country = home_country
        if home_country != "FR" and rng.random() < data.EXPAT_TO_FRANCE:
            country = "FR"
        if country == home_country and locale in data.FAKER_CITY_LOCALES and rng.random() < 0.15:
            city = faker.city()
        else:
            city = pickers.cities[country].pick(rng)
        french = language == "fr"
        industry = pickers.industries.pick(rng)
        if index in suspicious_at:
            tier = "suspicious"
        else:
            roll = rng.random()
            tier = "rich" if roll < 0.2 else "medium" if roll < 0.7 else "sparse"
        experience = int(rng.triangular(0, 38, 7))
        graduation = today[0] - experience
        person = Person(
            index=index,
            locale=locale,
            language=language,
            french=french,
            feminine=feminine,
            first_name=first,
            last_name=last,
            country=country,
            city=city,
            industry=industry,
            tier=tier,
            graduation=graduation,
            studies=[],
            positions=[],
            joined=now,
            target=0,
            photo=False,
        )
        if tier == "suspicious":
            odd = rng.choice(data.SUSPICIOUS_TITLES)
            person.industry = rng.choice(("financial_services", "hr", "consulting", "wholesale"))
            person.positions = [
                Position(
                    -1,
                    person.text(odd),
                    0,
                    person.industry,
                    add_months(today, -rng.randint(0, 5)),
                    None,
                    "self_employed",
                    "",
                )
            ]
            person.city = rng.choice(("", "", city))
        else:
            person.studies = _studies(rng, pickers, person, home_country)
            person.positions = _career(rng, pickers, person, today)
            if person.positions:
                person.industry = person.positions[-1].industry
        photo_share = {"rich": 0.8, "medium": 0.4, "sparse": 0.1, "suspicious": 0.0}[tier]
        person.photo = rng.random() < photo_share
        person.joined = _joined(rng, now, person)
        persons.append(person)
    taken: dict[str, int] = {}
    for person in persons:
        person.slug = _unique_slug(person.first_name, person.last_name, taken)
        person.email = f"{person.slug.replace('-', '.')}@demo.entregent.org"
    return persons


# --- Who knows whom -------------------------------------------------------------------------------


def plan_degrees(plan: Plan) -> None:
    """A heavy-tailed wished degree for each member (Pareto), a few hubs past 500 when the network
    is large enough, and many connections for the two showcase members."""
    rng = _rng(plan.seed, "degrees")
    n = len(plan.persons)
    mean = min(44.0, max(6.0, n / 10))
    alpha = 2.5
    pareto_mean = alpha / (alpha - 1)
    cap = max(5, min(450, n // 4))
    factor = {"rich": 1.5, "medium": 1.0, "sparse": 0.45, "suspicious": 0.0, "showcase": 0.0}
    for person in plan.persons:
        wish = mean * rng.paretovariate(alpha) / pareto_mean * factor[person.tier]
        person.target = min(cap, max(1, round(wish))) if person.tier != "suspicious" else rng.randint(0, 2)
    ordinary = [p.index for p in plan.persons if p.tier in ("rich", "medium")]
    n_hubs = min(len(ordinary), max(2, n // 2000))
    hub_cap = max(10, int(n * 0.35))
    plan.hubs = sorted(rng.sample(ordinary, n_hubs)) if ordinary else []
    for index in plan.hubs:
        plan.persons[index].target = min(hub_cap, rng.randint(540, 900))
    for index, share in ((0, 0.45), (1, 0.3)):
        if index < n:
            plan.persons[index].target = max(2, min(int(n * share), 640 if index == 0 else 380))
    plan.suspicious = [p.index for p in plan.persons if p.tier == "suspicious"]


def plan_connections(plan: Plan) -> None:
    """Chung–Lu style: each member draws partners in proportion to their wished degree, mostly
    from their own communities (colleagues, classmates, neighbours, same industry)."""
    rng = _rng(plan.seed, "connections")
    persons = plan.persons
    n = len(persons)
    if n < 2:
        return
    weight = [max(0.2, float(p.target)) for p in persons]

    def pool(members: list[int]) -> Weighted:
        return Weighted(members, [weight[i] for i in members])

    company_members: dict[int, list[int]] = {}
    cohort_members: dict[tuple[int, int], list[int]] = {}
    city_members: dict[str, list[int]] = {}
    industry_members: dict[str, list[int]] = {}
    for p in persons:
        if p.tier == "suspicious":
            continue
        for company in dict.fromkeys(pos.company for pos in p.positions if pos.company >= 0):
            company_members.setdefault(company, []).append(p.index)
        for study in p.studies:
            cohort_members.setdefault((study.school, study.end_year // 3), []).append(p.index)
        if p.city:
            city_members.setdefault(p.city, []).append(p.index)
        industry_members.setdefault(p.industry, []).append(p.index)
    companies = {k: pool(v) for k, v in company_members.items() if len(v) > 1}
    cohorts = {k: pool(v) for k, v in cohort_members.items() if len(v) > 1}
    cities = {k: pool(v) for k, v in city_members.items() if len(v) > 1}
    industries = {k: pool(v) for k, v in industry_members.items() if len(v) > 1}
    everyone = pool([p.index for p in persons if p.tier != "suspicious"])

    edges: set[int] = set()
    degree = [0] * n
    random_ = rng.random
    for p in persons:
        if p.target <= 0:
            continue
        hub = p.target > 150
        stubs = math.ceil(p.target * (0.8 if hub else 0.5))
        own_companies = [companies[pos.company] for pos in p.positions if pos.company in companies]
        if p.current is not None and p.current.company in companies:
            own_companies.append(companies[p.current.company])  # current colleagues count twice
        own_cohorts = [cohorts[k] for s in p.studies if (k := (s.school, s.end_year // 3)) in cohorts]
        city = cities.get(p.city)
        industry = industries.get(p.industry)
        # cumulative probabilities: company, cohort, city, industry, everyone
        if hub:
            shares = (0.12, 0.18, 0.45, 0.8)
        else:
            shares = (0.38, 0.53, 0.72, 0.87)
        me = p.index
        for _ in range(stubs):
            roll = random_()
            source: Weighted | None
            if roll < shares[0]:
                source = own_companies[int(random_() * len(own_companies))] if own_companies else city
            elif roll < shares[1]:
                source = own_cohorts[int(random_() * len(own_cohorts))] if own_cohorts else industry
            elif roll < shares[2]:
                source = city
            elif roll < shares[3]:
                source = industry
            else:
                source = everyone
            if source is None:
                source = everyone
            other = source.items[bisect.bisect_right(source.cum, random_() * source.total)]
            if other != me:
                key = me * n + other if me < other else other * n + me
                if key not in edges:
                    edges.add(key)
                    degree[me] += 1
                    degree[other] += 1
    # Hubs and the demo logins exhaust their small communities: top them up from everyone.
    for me in [*plan.hubs, *(i for i in (0, 1) if i < n)]:
        wanted = persons[me].target
        for _ in range(wanted * 4):
            if degree[me] >= wanted:
                break
            other = everyone.pick(rng)
            key = me * n + other if me < other else other * n + me
            if other != me and key not in edges:
                edges.add(key)
                degree[me] += 1
                degree[other] += 1
    plan.edges = [(e // n, e % n) for e in sorted(edges)]


def plan_invitations(plan: Plan) -> None:
    """Pending invitations between members who are not connected yet, with and without a note."""
    rng = _rng(plan.seed, "invitations")
    persons = plan.persons
    n = len(persons)
    if n < 3:
        return
    connected = {a * n + b for a, b in plan.edges}
    pending: set[int] = set()
    invitations: list[tuple[int, int, str]] = []
    ordinary = [p.index for p in persons if p.tier != "suspicious"]
    popular = Weighted(ordinary, [max(1.0, float(persons[i].target)) for i in ordinary])

    def invite(sender: int, recipient: int, note: str) -> bool:
        if sender == recipient:
            return False
        key = sender * n + recipient if sender < recipient else recipient * n + sender
        if key in connected or key in pending:
            return False
        pending.add(key)
        invitations.append((sender, recipient, note[:300]))
        return True

    def note_for(sender: Person, recipient: Person) -> str:
        templates = data.INVITATION_NOTES_FR if sender.french else data.INVITATION_NOTES_EN
        topic = split_text(INDUSTRIES[recipient.industry].topic, french=sender.french)
        city = recipient.city or sender.city or "Paris"
        return rng.choice(templates).format(first=recipient.first_name, city=city, topic=topic)

    # The demo logins find invitations waiting for them, and have sent a few.
    for showcase in (i for i in (0, 1) if i < n):
        received = 0
        for _ in range(200):
            if received >= min(12, n // 10 + 2):
                break
            sender = rng.choice(ordinary)
            with_note = rng.random() < 0.5
            if invite(sender, showcase, note_for(persons[sender], persons[showcase]) if with_note else ""):
                received += 1
        for _ in range(3):
            recipient = popular.pick(rng)
            invite(
                showcase,
                recipient,
                note_for(persons[showcase], persons[recipient]) if rng.random() < 0.5 else "",
            )
    # Everyday invitations between ordinary members.
    for _ in range(n // 10):
        sender = rng.choice(ordinary)
        recipient = popular.pick(rng)
        invite(sender, recipient, note_for(persons[sender], persons[recipient]) if rng.random() < 0.3 else "")
    # The suspicious accounts spray invitations at well-connected members.
    for index in plan.suspicious:
        for _ in range(min(max(3, n // 10), rng.randint(15, 45))):
            invite(index, popular.pick(rng), rng.choice(data.SUSPICIOUS_NOTES))
    plan.invitations = invitations


def make_fakers(seed: int) -> dict[str, Faker]:
    fakers = {}
    for locale, *_rest in data.LOCALES:
        faker = Faker(locale)
        faker.seed_instance(f"{seed}-{locale}")
        fakers[locale] = faker
    return fakers


def make_plan(*, members: int, seed: int, now: dt.datetime) -> Plan:
    fakers = make_fakers(seed)
    companies = plan_companies(members, seed, fakers)
    persons = plan_members(members, seed, now, companies, fakers)
    for person in persons:
        for position in person.positions:
            if position.company >= 0:
                companies[position.company].members.append(person.index)
    plan = Plan(seed=seed, now=now, persons=persons, companies=companies)
    plan_degrees(plan)
    plan_connections(plan)
    plan_invitations(plan)
    return plan
