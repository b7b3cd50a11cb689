"""Writes a demo network plan to the database, fast: one password hash for everyone, bulk inserts
in batches inside one transaction, and COPY / executemany for the millions of connection rows.

`seed_network()` is what `entregent seed` and `entregent demo` run. It refuses nothing itself:
the command checks the database is empty first.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.text import slugify

from entregent.accounts.models import User
from entregent.demo import DEMO_PASSWORD, data
from entregent.demo.avatars import AvatarMaker, banner
from entregent.demo.data import INDUSTRIES, split_text
from entregent.demo.plan import Person, Plan, make_plan
from entregent.network.models import Connection, Follow, Invitation
from entregent.profiles import models as pm
from entregent.profiles.services import refresh_search_fields

BATCH = 2000
Progress = Callable[[str], None]
Row = dict[str, object]  # one section item, by field name


@dataclass
class SeedReport:
    members: int = 0
    companies: int = 0
    schools: int = 0
    connections: int = 0
    invitations: int = 0
    conversations: int = 0
    photos: int = 0
    pictures_drawn: int = 0
    items: dict[str, int] = field(default_factory=dict)
    max_degree: int = 0
    over_500: int = 0
    seconds: float = 0.0
    hubs: list[int] = field(default_factory=list)  # user ids
    suspicious: list[int] = field(default_factory=list)  # user ids
    user_ids: list[int] = field(default_factory=list)  # by plan index


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" |·,—-")
    return cut + "…"


def _format(template: str, **values: str) -> str:
    return template.format(**values)


def _save_file(name: str, content: bytes) -> str:
    """Store a generated picture. On the local file system, write it directly: the storage API's
    checks (name available, directories, permissions) cost more than the write itself."""
    if isinstance(default_storage, FileSystemStorage):  # the lazy proxy passes isinstance
        path = Path(default_storage.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("xb") as file:  # names carry a random token: never overwrite
            file.write(content)
        return name
    return default_storage.save(name, ContentFile(content))


class ProfileWriter:
    """Builds the rows of one member's profile (deterministic from the plan and its own stream)."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.rng = random.Random(f"entregent-demo-{plan.seed}-profiles")
        self.now = plan.now
        self.today = (plan.now.year, plan.now.month)
        self.avatars = AvatarMaker()
        self.photo_count = 0

    # --- identity -------------------------------------------------------------------------------

    def skills_for(self, person: Person) -> list[str]:
        rng = self.rng
        industries = list(dict.fromkeys([person.industry, *(p.industry for p in reversed(person.positions))]))
        pool: list[str] = []
        for code in industries:
            own = list(INDUSTRIES[code].skills)
            rng.shuffle(own)
            pool.extend(own)
        generic = list(data.GENERIC_SKILLS)
        rng.shuffle(generic)
        count = {
            "showcase": 15,
            "rich": rng.randint(8, 22),
            "medium": rng.randint(3, 10),
            "sparse": rng.choice((0, 0, 1, 2, 3)),
            "suspicious": rng.choice((0, 0, 1)),
        }[person.tier]
        chosen: list[str] = []
        seen: set[str] = set()
        for text in pool[: max(0, count - 3)] + generic + pool[max(0, count - 3) :]:
            name = person.text(text)
            if name.lower() not in seen:
                seen.add(name.lower())
                chosen.append(name)
            if len(chosen) >= count:
                break
        return chosen

    def headline(self, person: Person, skills: list[str]) -> str:
        rng = self.rng
        position = person.latest
        s1, s2 = (skills + ["", ""])[:2]
        topic = person.text(INDUSTRIES[person.industry].topic)
        if position is None:
            if not person.studies:
                return ""
            study = person.studies[0]
            student = person.text("Étudiant|Étudiante|Student")
            return _clip(f"{student} — {study.field}, {data.SCHOOLS[study.school][0]}", 120)
        title = position.title
        if person.tier == "suspicious":
            return title
        company = self.plan.companies[position.company].name if position.company >= 0 else ""
        if position.end is not None:  # between jobs
            looking = person.text("En recherche d'un nouveau poste|Looking for my next role")
            return _clip(f"{title} | {looking}", 120)
        if person.tier == "sparse":
            roll = rng.random()
            if roll < 0.15:
                return ""
            if roll < 0.6:
                return title
        templates = data.HEADLINES_FR if person.french else data.HEADLINES_EN
        if not s2:
            templates = [t for t in templates if "{s" not in t]
        template = rng.choice(templates)
        return _clip(_format(template, title=title, company=company, s1=s1, s2=s2, topic=topic), 120)

    def about(self, person: Person, skills: list[str]) -> str:
        rng = self.rng
        share = {"rich": 0.95, "medium": 0.35, "sparse": 0.0, "suspicious": 0.3, "showcase": 1.0}[person.tier]
        if rng.random() >= share or not person.positions:
            return ""
        if person.tier == "suspicious":
            return rng.choice(
                [
                    "Je vous aide à faire fructifier votre épargne. Rendement garanti, contactez-moi en privé.",
                    "Looking for serious people to join my team. Work from home, high income.",
                    "",
                ]
            )
        position = person.latest
        assert position is not None
        company = self.plan.companies[position.company].name if position.company >= 0 else ""
        picks = (skills + ["", "", ""])[:3] if len(skills) >= 3 else ["", "", ""]
        values = {
            "title": position.title if not person.french else position.title[:1].lower() + position.title[1:],
            "title_cap": position.title,
            "company": company,
            "topic": person.text(INDUSTRIES[person.industry].topic),
            "years": str(max(1, self.today[0] - person.positions[0].start[0])),
            "since": str(person.positions[0].start[0]),
            "city": person.city or "Paris",
            "passionate": person.text("Passionné|Passionnée|Passionate"),
            "s1": picks[0],
            "s2": picks[1],
            "s3": picks[2],
        }
        if person.french:
            openings, middles, closings = (
                data.ABOUT_OPENINGS_FR,
                data.ABOUT_MIDDLES_FR,
                data.ABOUT_CLOSINGS_FR,
            )
        else:
            openings, middles, closings = (
                data.ABOUT_OPENINGS_EN,
                data.ABOUT_MIDDLES_EN,
                data.ABOUT_CLOSINGS_EN,
            )
        if position.end is not None:  # between jobs: no "I am now … at …"
            openings = [o for o in openings if "{company}" not in o]
            middles = [m for m in middles if "{company}" not in m]
        usable = [m for m in middles if "{s" not in m or picks[2]]
        count = 3 if person.tier == "rich" else rng.choice((1, 2))
        parts = [rng.choice(openings), *rng.sample(usable, min(count, len(usable))), rng.choice(closings)]
        paragraphs = [_format(p, **values) for p in parts if p]
        return (
            "\n\n".join([paragraphs[0], " ".join(paragraphs[1:])]) if len(paragraphs) > 1 else paragraphs[0]
        )

    def open_to(self, person: Person, profile: pm.Profile) -> None:
        rng = self.rng
        position = person.latest
        if person.tier == "suspicious" or position is None:
            return
        if position.end is not None and rng.random() < 0.7:
            profile.open_to_work = rng.choice((pm.OpenToWork.ALL, pm.OpenToWork.RECRUITERS))
            profile.open_to_work_titles = position.title
        elif rng.random() < 0.04:
            profile.open_to_work = pm.OpenToWork.RECRUITERS
            profile.open_to_work_titles = position.title
        profile.open_to_hiring = position.level >= 3 and rng.random() < 0.15
        profile.open_to_mentoring = position.level >= 2 and rng.random() < 0.1
        consulting = person.industry == "consulting" or position.employment_type == "freelance"
        profile.open_to_business = rng.random() < (0.25 if consulting else 0.04)
        if person.tier == "rich" and rng.random() < 0.35:
            profile.target_industry = person.industry if rng.random() < 0.7 else rng.choice(list(INDUSTRIES))
            goals = data.GOALS_FR if person.french else data.GOALS_EN
            topic = person.text(INDUSTRIES[profile.target_industry].topic)
            profile.target_goal = _clip(rng.choice(goals).format(topic=topic, title=position.title), 160)

    def profile(self, person: Person, user_id: int) -> tuple[pm.Profile, list[str]]:
        skills = self.skills_for(person)
        if person.tier == "showcase":
            profile = showcase_profile(person, user_id)
        else:
            profile = pm.Profile(
                user_id=user_id,
                slug=person.slug,
                first_name=person.first_name,
                last_name=person.last_name,
                headline=self.headline(person, skills),
                about=self.about(person, skills),
                city=person.city,
                country=person.country if person.tier != "suspicious" or person.city else "",
                industry=person.industry,
                created_at=person.joined,
            )
            self.open_to(person, profile)
            roll = self.rng.random()
            if roll < 0.04:
                profile.public_profile = False
            elif roll < 0.09:
                profile.public_sections = {**pm.default_public_sections(), "photo": False}
        if person.photo:
            self.attach_photo(person, profile)
        refresh_search_fields(profile)  # search_text and search_name
        return profile, skills

    def attach_photo(self, person: Person, profile: pm.Profile) -> None:
        initials = (person.first_name[:1] + person.last_name[:1]).upper()
        colour = zlib.crc32(initials.encode())
        big, small = self.avatars.photo(initials, colour)
        token = secrets.token_urlsafe(9)
        profile.photo = _save_file(f"photos/demo-{person.index}-{token}.jpg", big)
        profile.photo_small = _save_file(f"photos/demo-{person.index}-{token}-s.jpg", small)
        if person.tier == "showcase":
            picture = banner(f"{self.plan.seed}-{person.index}", colour)
            profile.banner = _save_file(f"banners/demo-{person.index}-{token}.jpg", picture)
        self.photo_count += 1

    # --- sections -------------------------------------------------------------------------------

    def experiences(self, person: Person, profile_id: int, skills: list[str]) -> list[Row]:
        rng = self.rng
        positions = person.positions
        if person.tier == "medium":
            positions = positions[-rng.randint(1, 4) :]
        elif person.tier == "sparse":
            positions = positions[-1:] if rng.random() < 0.7 else []
        rows = []
        described = {"showcase": 4, "rich": rng.randint(1, 3), "medium": 1 if rng.random() < 0.4 else 0}.get(
            person.tier, 0
        )
        for order, position in enumerate(reversed(positions)):
            company = self.plan.companies[position.company] if position.company >= 0 else None
            description = ""
            if order < described:
                description = self.description(person, position, skills, company.name if company else "")
            rows.append(
                {
                    "profile_id": profile_id,
                    "position": order,
                    "title": _clip(position.title, 120),
                    "company_name": company.name
                    if company
                    else person.text("Indépendant|Indépendante|Self-employed"),
                    "employment_type": position.employment_type,
                    "location": position.location if person.tier != "sparse" else "",
                    "start_month": position.start[1],
                    "start_year": position.start[0],
                    "end_month": position.end[1] if position.end else None,
                    "end_year": position.end[0] if position.end else None,
                    "is_current": position.end is None,
                    "description": description,
                }
            )
        return rows

    def description(self, person: Person, position, skills: list[str], company: str) -> str:
        if person.tier == "showcase":
            return showcase_description(company, position.title)
        own = [person.text(s) for s in INDUSTRIES[position.industry].skills]
        s1, s2 = self.rng.sample(own, 2)
        templates = data.DESCRIPTIONS_FR if person.french else data.DESCRIPTIONS_EN
        n = str(self.rng.choice((3, 4, 5, 6, 8, 10, 12, 15, 25)))
        return self.rng.choice(templates).format(s1=s1, s2=s2, n=n, company=company)

    def educations(self, person: Person, profile_id: int) -> list[Row]:
        rng = self.rng
        keep = {
            "showcase": 2,
            "rich": 2,
            "medium": 1 if rng.random() < 0.85 else 0,
            "sparse": 1 if rng.random() < 0.4 else 0,
        }
        studies = sorted(person.studies[: keep.get(person.tier, 0)], key=lambda s: -s.end_year)
        rows = []
        for order, study in enumerate(studies):
            activities = ""
            if person.tier in ("rich", "showcase") and rng.random() < 0.3:
                activities = person.text(
                    rng.choice(
                        [
                            "Bureau des élèves, association sportive|Student union, sports association",
                            "Junior-Entreprise|Junior enterprise",
                            "Association humanitaire, théâtre|Humanitarian association, theatre",
                            "Club entrepreneuriat|Entrepreneurship club",
                        ]
                    )
                )
            rows.append(
                {
                    "profile_id": profile_id,
                    "position": order,
                    "school": data.SCHOOLS[study.school][0],
                    "degree": study.degree,
                    "field_of_study": study.field,
                    "start_year": study.start_year,
                    "end_year": study.end_year,
                    "activities": activities,
                }
            )
        return rows

    def languages(self, person: Person, profile_id: int) -> list[Row]:
        rng = self.rng
        P = pm.Language.Proficiency
        levels = [P.ELEMENTARY, P.LIMITED, P.PROFESSIONAL, P.FULL, P.NATIVE]
        if person.tier == "showcase":
            return showcase_languages(person, profile_id)
        count = {
            "rich": rng.randint(2, 4),
            "medium": rng.choice((0, 1, 2, 2, 3)),
            "sparse": rng.choice((0, 0, 1)),
            "suspicious": 0,
        }[person.tier]
        chosen: list[tuple[str, str]] = [(person.language, P.NATIVE)]
        if person.language != "en":
            english = rng.choices(levels, weights=(8, 22, 38, 27, 5))[0]
            if person.tier == "rich":
                english = max(english, rng.choices(levels, weights=(8, 22, 38, 27, 5))[0], key=levels.index)
            chosen.append(("en", english))
        if person.country == "FR" and person.language != "fr":
            chosen.append(("fr", rng.choice((P.PROFESSIONAL, P.FULL, P.LIMITED))))
        others = [
            code for code in ("es", "de", "it", "pt", "nl", "zh", "ar", "ja") if code != person.language
        ]
        rng.shuffle(others)
        chosen.extend((code, rng.choices(levels[:4], weights=(30, 30, 25, 15))[0]) for code in others[:2])
        rows = []
        for order, (code, level) in enumerate(chosen[:count]):
            name = split_text(data.LANGUAGE_NAMES[code], french=person.french)
            rows.append({"profile_id": profile_id, "position": order, "name": name, "proficiency": level})
        return rows

    def skills(self, person: Person, profile_id: int, names: list[str]) -> list[Row]:
        pinned = 3 if person.tier in ("rich", "showcase") else self.rng.choice((0, 0, 1, 3))
        return [
            {"profile_id": profile_id, "position": order, "name": name[:80], "pinned": order < pinned}
            for order, name in enumerate(names)
        ]

    def certifications(self, person: Person, profile_id: int) -> list[Row]:
        rng = self.rng
        share = {"showcase": 1.0, "rich": 0.4, "medium": 0.1}.get(person.tier, 0.0)
        if rng.random() >= share or not person.positions:
            return []
        options = data.CERTIFICATIONS.get(person.industry, []) + data.CERTIFICATIONS["*"]
        rows = []
        first_year = person.positions[0].start[0]
        for order, (name, authority) in enumerate(
            rng.sample(options, min(len(options), rng.choice((1, 1, 2))))
        ):
            year = rng.randint(min(first_year, self.today[0]), self.today[0])
            month = rng.randint(1, 12) if year < self.today[0] else rng.randint(1, self.today[1])
            expiry = year + 3 if rng.random() < 0.3 else None
            rows.append(
                {
                    "profile_id": profile_id,
                    "position": order,
                    "name": person.text(name),
                    "authority": authority,
                    "issue_month": month,
                    "issue_year": year,
                    "expiry_month": month if expiry else None,
                    "expiry_year": expiry,
                    "licence_number": secrets.token_hex(5).upper() if rng.random() < 0.4 else "",
                }
            )
        return rows

    def projects(self, person: Person, profile_id: int) -> list[Row]:
        rng = self.rng
        share = {"showcase": 1.0, "rich": 0.3}.get(person.tier, 0.0)
        if rng.random() >= share or not person.positions:
            return []
        options = data.PROJECTS.get(person.industry, []) + data.PROJECTS["*"]
        rows = []
        for order, title in enumerate(rng.sample(options, min(len(options), rng.choice((1, 2))))):
            start = person.positions[-1].start
            year = rng.randint(start[0], self.today[0])
            month = rng.randint(1, 12) if year < self.today[0] else rng.randint(1, self.today[1])
            done = year < self.today[0] and rng.random() < 0.7
            rows.append(
                {
                    "profile_id": profile_id,
                    "position": order,
                    "title": person.text(title),
                    "description": person.text(
                        "Projet mené de bout en bout avec une équipe pluridisciplinaire.|"
                        "Project led end to end with a cross-functional team."
                    ),
                    "start_month": month,
                    "start_year": year,
                    "end_month": min(12, month + rng.randint(0, 5)) if done else None,
                    "end_year": year if done else None,
                    "is_current": not done,
                }
            )
        return rows

    def volunteering(self, person: Person, profile_id: int) -> list[Row]:
        rng = self.rng
        share = {"showcase": 1.0, "rich": 0.25, "medium": 0.05}.get(person.tier, 0.0)
        if rng.random() >= share or not person.positions:
            return []
        organisation, role, cause = rng.choice(data.VOLUNTEERING)
        if person.tier == "showcase":
            organisation, role, cause = data.VOLUNTEERING[2 + person.index]
        year = rng.randint(person.positions[0].start[0], self.today[0])
        current = rng.random() < 0.5
        return [
            {
                "profile_id": profile_id,
                "position": 0,
                "organization": person.text(organisation),
                "role": person.text(role),
                "cause": person.text(cause),
                "start_month": rng.randint(1, 12) if year < self.today[0] else 1,
                "start_year": year,
                "end_month": None if current else 6,
                "end_year": None
                if current
                else min(self.today[0], year + rng.randint(1, 3))
                if year < self.today[0]
                else None,
                "is_current": current or year >= self.today[0],
            }
        ]

    def contacts(self, person: Person, profile_id: int) -> list[Row]:
        rng = self.rng
        count = {"showcase": 3, "rich": rng.randint(1, 3), "medium": 1 if rng.random() < 0.25 else 0}.get(
            person.tier, 0
        )
        if not count:
            return []
        V = pm.Visibility
        rows = []
        kinds = (
            ["website", "phone", "email"]
            if person.tier == "showcase"
            else rng.sample(["website", "phone", "email"], count)
        )
        for order, kind in enumerate(kinds):
            if kind == "website":
                label = person.text(rng.choice(["Site personnel|Personal website", "Portfolio", "Blog"]))
                value = f"https://{person.slug}.example.com/"
                visibility = rng.choice((V.PUBLIC, V.PUBLIC, V.MEMBERS))
            elif kind == "phone":
                label = "Mobile"
                value = fictional_phone(rng, person.country)
                visibility = rng.choice((V.CONNECTIONS, V.CONNECTIONS, V.ONLY_ME))
            else:
                position = person.latest
                domain = (
                    self.plan.companies[position.company].domain
                    if position and position.company >= 0
                    else "mail"
                )
                label = person.text("Professionnel|Work")
                local = f"{slugify(person.first_name)}.{slugify(person.last_name)}".replace("-", "")
                value = f"{local}@{domain}.example"
                visibility = rng.choice((V.CONNECTIONS, V.MEMBERS))
            rows.append(
                {
                    "profile_id": profile_id,
                    "position": order,
                    "kind": kind,
                    "label": label,
                    "value": value,
                    "visibility": visibility,
                }
            )
        return rows


def fictional_phone(rng: random.Random, country: str) -> str:
    """Numbers from ranges reserved for fiction (ARCEP in France, Ofcom in the UK) where they exist."""
    if country == "GB":
        return f"+44 7700 900{rng.randint(0, 999):03d}"
    if country == "FR" or country not in ("DE", "ES", "IT", "NL", "PT", "BE", "CH"):
        return f"+33 6 39 98 {rng.randint(0, 99):02d} {rng.randint(0, 99):02d}"
    prefix = {
        "DE": "+49 30",
        "ES": "+34 91",
        "IT": "+39 02",
        "NL": "+31 20",
        "PT": "+351 21",
        "BE": "+32 2",
        "CH": "+41 22",
    }
    return f"{prefix[country]} {rng.randint(100, 999)} 0{rng.randint(0, 999):03d}"


# --- The two demo logins ----------------------------------------------------------------------------

_SHOWCASE = {
    0: {
        "headline": "Head of Product chez Orsalis | Produits SaaS B2B · Discovery · Équipes produit",
        "about": (
            "Head of Product chez Orsalis depuis 2021, je dirige une équipe de douze product managers et "
            "designers qui construit une plateforme SaaS de gestion de la relation client pour les PME "
            "européennes.\n\n"
            "Ingénieure de formation (Télécom Paris), j'ai commencé dans le conseil avant de passer côté "
            "produit, d'abord dans la banque puis dans le logiciel. Ce qui me motive : partir du terrain, "
            "parler aux utilisateurs chaque semaine, et transformer ce qu'on apprend en décisions claires "
            "pour l'équipe.\n\n"
            "Sujets favoris : discovery produit, roadmap par objectifs, accessibilité, et le recrutement de "
            "product managers juniors. Je mentore volontiers — écrivez-moi."
        ),
        "skills": [
            "Gestion de produit",
            "Stratégie produit",
            "Product discovery",
            "Méthodes agiles",
            "Scrum",
            "UX design",
            "Figma",
            "SQL",
            "Analyse de données",
            "OKR",
            "API REST",
            "Python",
            "Leadership",
            "Prise de parole en public",
            "Accessibilité",
        ],
        "open": {"open_to_hiring": True, "open_to_mentoring": True},
        "target_industry": "software",
        "target_goal": "Recruter des product managers pour mon équipe",
        "languages": [
            ("Français", "native"),
            ("Anglais", "full_professional"),
            ("Italien", "professional_working"),
            ("Espagnol", "elementary"),
        ],
    },
    1: {
        "headline": "Directeur associé chez Brevia Conseil | Transformation du commerce et de la distribution",
        "about": (
            "Directeur associé chez Brevia Conseil à Lyon, j'accompagne depuis plus de quinze ans les "
            "enseignes du commerce et de la distribution dans leur transformation : organisation des "
            "magasins, omnicanal, pilotage de la performance et conduite du changement.\n\n"
            "Avant le conseil, j'ai dirigé la transformation retail d'une maison lyonnaise de 40 boutiques : "
            "je sais ce que vivent les équipes en magasin quand un projet arrive du siège.\n\n"
            "Je cherche aujourd'hui à rencontrer des dirigeants d'enseignes qui veulent moderniser leur "
            "réseau sans perdre ce qui fait leur identité. Toujours partant pour un café à Lyon ou à Paris."
        ),
        "skills": [
            "Conduite du changement",
            "Stratégie d'entreprise",
            "Transformation digitale",
            "Retail",
            "Omnicanal",
            "Pilotage de la performance",
            "Gestion de projet",
            "Lean management",
            "Animation d'ateliers",
            "Négociation",
            "Excel",
            "PowerPoint",
            "Management d'équipe",
            "Category management",
            "Due diligence",
        ],
        "open": {"open_to_business": True, "open_to_mentoring": True},
        "target_industry": "retail",
        "target_goal": "Trouver des clients dans le commerce et la distribution",
        "languages": [
            ("Français", "native"),
            ("Anglais", "full_professional"),
            ("Allemand", "professional_working"),
        ],
    },
}

_SHOWCASE_DESCRIPTIONS = {
    ("Orsalis", "Head of Product"): (
        "Direction d'une équipe de 12 product managers et designers.\n"
        "- Refonte de la roadmap par objectifs (OKR), partagée avec toute l'entreprise\n"
        "- Lancement de l'offre européenne : +40 % de revenus récurrents en deux ans\n"
        "- Mise en place d'entretiens utilisateurs hebdomadaires et d'un programme d'accessibilité"
    ),
    ("Numéria", "Senior Product Manager"): (
        "Responsable du produit de facturation (8 développeurs). Passage d'une livraison trimestrielle "
        "à une livraison continue ; taux d'adoption de la nouvelle interface : 85 % en six mois."
    ),
    ("Banque Alvéa", "Product Owner"): (
        "Product Owner de l'application mobile grand public : parcours d'ouverture de compte en ligne, "
        "virements instantanés, notation 4,6 sur les stores."
    ),
    ("Brevia Conseil", "Consultante junior"): (
        "Missions de transformation pour des clients du secteur bancaire : cartographie des processus, "
        "animation d'ateliers, suivi des gains."
    ),
    ("Brevia Conseil", "Directeur associé"): (
        "Développement du pôle Commerce et distribution (25 consultants).\n"
        "- Transformation de réseaux de 50 à 400 magasins\n"
        "- Stratégie omnicanale et pilotage de la performance commerciale\n"
        "- Recrutement et formation des consultants"
    ),
    ("Brevia Conseil", "Senior Manager"): (
        "Pilotage de missions de transformation pour des enseignes de distribution et des industriels ; "
        "management d'équipes de 4 à 8 consultants."
    ),
    ("Maison Vautrin", "Responsable de la transformation retail"): (
        "Modernisation d'un réseau de 40 boutiques : caisse mobile, click & collect, formation des "
        "équipes. Chiffre d'affaires par boutique +12 % en trois ans."
    ),
    ("Kerlan Partners", "Consultant"): (
        "Missions de stratégie et d'organisation pour des groupes industriels et de distribution."
    ),
}


def showcase_profile(person: Person, user_id: int) -> pm.Profile:
    spec = _SHOWCASE[person.index]
    return pm.Profile(
        user_id=user_id,
        slug=person.slug,
        first_name=person.first_name,
        last_name=person.last_name,
        headline=spec["headline"],
        about=spec["about"],
        city=person.city,
        country=person.country,
        industry=person.industry,
        target_industry=spec["target_industry"],
        target_goal=spec["target_goal"],
        created_at=person.joined,
        **spec["open"],
    )


def showcase_description(company: str, title: str) -> str:
    return _SHOWCASE_DESCRIPTIONS.get((company, title), "")


def showcase_languages(person: Person, profile_id: int) -> list[Row]:
    return [
        {"profile_id": profile_id, "position": order, "name": name, "proficiency": level}
        for order, (name, level) in enumerate(_SHOWCASE[person.index]["languages"])
    ]


def showcase_skills(person: Person) -> list[str]:
    return list(_SHOWCASE[person.index]["skills"])


# --- Writing --------------------------------------------------------------------------------------


def _between(rng: random.Random, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    if end <= start:
        return end
    return start + dt.timedelta(seconds=rng.uniform(0, (end - start).total_seconds()))


def _insert_rows(table: str, columns: list[str], rows: list[tuple]) -> None:
    """Raw bulk insert of ready-made values: COPY on PostgreSQL, executemany elsewhere. The ORM's
    bulk_create spends ~50 µs of Python per row, which is most of the time at 100,000 members."""
    if not rows:
        return
    quote = connection.ops.quote_name
    column_list = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(table)} ({column_list}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {quote(table)} ({column_list}) VALUES ({placeholders})"  # noqa: S608
            for start in range(0, len(rows), 50_000):
                cursor.executemany(sql, rows[start : start + 50_000])


def _insert_items(model: type[models.Model], items: list[Row]) -> None:
    """Insert section items given as field-name dicts; missing fields take their default."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = [f.get_default() for f in fields]
    names = [f.attname for f in fields]
    rows = [
        tuple(item.get(name, default) for name, default in zip(names, defaults, strict=True))
        for item in items
    ]
    _insert_rows(model._meta.db_table, [f.column for f in fields], rows)


@contextmanager
def _big_sqlite_cache() -> Iterator[None]:
    """SQLite's default 2 MB page cache thrashes on the indexes of millions of connection rows."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute("PRAGMA cache_size = -262144")  # 256 MB
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def _db_datetime(value: dt.datetime) -> dt.datetime | str:
    """SQLite stores naive UTC text (what Django's adapter would produce, minus its per-call cost)."""
    if connection.vendor == "sqlite":
        return str(value.astimezone(dt.UTC).replace(tzinfo=None))
    return value


SECTION_MODELS: dict[str, type[models.Model]] = {
    "experience": pm.Experience,
    "education": pm.Education,
    "skill": pm.Skill,
    "language": pm.Language,
    "certification": pm.Certification,
    "project": pm.Project,
    "volunteering": pm.Volunteering,
    "contact": pm.ContactDetail,
}


def _profile_visits(persons: list, user_ids: list[int], *, seed: int, now: dt.datetime) -> int:
    """Who viewed whom over the last 90 days: many views for the demo logins (so their viewers page
    has something to show), a few for everyone else; about one member in ten browses semi-privately
    or privately, and their views carry that mode."""
    rng = random.Random(f"entregent-demo-{seed}-visits")
    count = len(persons)
    modes = {}
    for index in range(count):
        roll = rng.random()
        modes[index] = (
            pm.ViewerMode.SEMI_PRIVATE
            if roll < 0.07
            else pm.ViewerMode.PRIVATE
            if roll < 0.1
            else pm.ViewerMode.NAME
        )
    for mode in (pm.ViewerMode.SEMI_PRIVATE, pm.ViewerMode.PRIVATE):
        ids = [user_ids[i] for i, m in modes.items() if m == mode]
        for start in range(0, len(ids), 900):
            pm.Profile.objects.filter(user_id__in=ids[start : start + 900]).update(viewer_mode=mode)
    rows = []
    seen = set()
    for index, person in enumerate(persons):
        wanted = 70 if person.tier == "showcase" else rng.choice((0, 0, 0, 1, 2, 4))
        for _ in range(min(wanted, count - 1)):
            viewer = rng.randrange(count)
            day = (now - dt.timedelta(days=rng.randrange(90))).date()
            if viewer == index or (index, viewer, day) in seen:
                continue
            seen.add((index, viewer, day))
            rows.append(
                pm.ProfileVisit(
                    viewed_id=user_ids[index],
                    viewer_id=user_ids[viewer],
                    day=day,
                    viewer_mode=modes[viewer],
                    created_at=dt.datetime.combine(day, dt.time(9), tzinfo=now.tzinfo)
                    + dt.timedelta(minutes=rng.randrange(600)),
                )
            )
    pm.ProfileVisit.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def seed_network(*, members: int, seed: int, progress: Progress | None = None) -> SeedReport:
    """Generate and store a demo network of `members` members. Deterministic for a given seed
    (except photo file names, which are unguessable on purpose)."""
    say = progress or (lambda _message: None)
    started = time.monotonic()
    now = timezone.now().replace(microsecond=0)
    report = SeedReport()

    def lap(since: float) -> str:
        return f"{time.monotonic() - since:.1f} s"

    t = time.monotonic()
    plan = make_plan(members=members, seed=seed, now=now)
    persons = plan.persons
    degree = [0] * len(persons)
    for a, b in plan.edges:
        degree[a] += 1
        degree[b] += 1
    report.members = len(persons)
    report.companies = len(plan.companies)
    report.schools = len({s.school for p in persons for s in p.studies})
    report.connections = len(plan.edges)
    report.invitations = len(plan.invitations)
    report.max_degree = max(degree, default=0)
    report.over_500 = sum(d > 500 for d in degree)
    say(
        f"Planned {report.members:,} members, {report.companies:,} companies, {report.schools} schools, "
        f"{report.connections:,} connections (max {report.max_degree:,}, {report.over_500} over 500), "
        f"{report.invitations:,} pending invitations — {lap(t)}"
    )

    password = make_password(DEMO_PASSWORD)  # hashed once: argon2 per member would take minutes
    writer = ProfileWriter(plan)
    user_ids: list[int] = []
    items = {
        "experience": 0,
        "education": 0,
        "skill": 0,
        "language": 0,
        "certification": 0,
        "project": 0,
        "volunteering": 0,
        "contact": 0,
    }
    written_files: list[str] = []
    rng_users = random.Random(f"entregent-demo-{seed}-users")
    try:
        with transaction.atomic(), _big_sqlite_cache():
            t = time.monotonic()
            for start in range(0, len(persons), BATCH):
                batch = persons[start : start + BATCH]
                users = [
                    User(
                        email=p.email,
                        password=password,
                        is_active=True,
                        is_demo=True,
                        date_joined=p.joined,
                        last_login=_between(rng_users, p.joined, now) if rng_users.random() < 0.7 else None,
                    )
                    for p in batch
                ]
                User.objects.bulk_create(users)
                ids = [u.pk for u in users]
                user_ids.extend(ids)
                EmailAddress.objects.bulk_create(
                    [
                        EmailAddress(user_id=uid, email=p.email, verified=True, primary=True)
                        for uid, p in zip(ids, batch, strict=True)
                    ]
                )
                built = [writer.profile(p, uid) for uid, p in zip(ids, batch, strict=True)]
                for profile, _skills in built:
                    written_files.extend(
                        f.name for f in (profile.photo, profile.photo_small, profile.banner) if f
                    )
                profiles = pm.Profile.objects.bulk_create([profile for profile, _ in built])
                rows: dict[str, list] = {key: [] for key in items}
                for person, profile, (_p, skills) in zip(batch, profiles, built, strict=True):
                    pid = profile.pk
                    if person.tier == "showcase":
                        skills = showcase_skills(person)
                    rows["experience"] += writer.experiences(person, pid, skills)
                    rows["education"] += writer.educations(person, pid)
                    rows["skill"] += writer.skills(person, pid, skills)
                    rows["language"] += writer.languages(person, pid)
                    rows["certification"] += writer.certifications(person, pid)
                    rows["project"] += writer.projects(person, pid)
                    rows["volunteering"] += writer.volunteering(person, pid)
                    rows["contact"] += writer.contacts(person, pid)
                for key, model in SECTION_MODELS.items():
                    _insert_items(model, rows[key])
                    items[key] += len(rows[key])
                done = start + len(batch)
                if len(persons) > 3 * BATCH and done < len(persons) and done % (5 * BATCH) == 0:
                    say(f"  … {done:,} / {len(persons):,} members — {lap(t)}")
            report.items = items
            report.photos = writer.photo_count
            report.pictures_drawn = len(writer.avatars)
            say(
                f"Members: {len(user_ids):,} accounts, profiles and verified e-mail addresses, "
                + ", ".join(f"{count:,} {name}" for name, count in items.items())
                + f"; {report.photos:,} photos ({report.pictures_drawn:,} pictures drawn) — {lap(t)}"
            )

            t = time.monotonic()
            rng = random.Random(f"entregent-demo-{seed}-dates")
            rows_c = []
            for a, b in plan.edges:
                low, high = Connection.pair(user_ids[a], user_ids[b])
                joined = max(persons[a].joined, persons[b].joined)
                rows_c.append((low, high, _db_datetime(_between(rng, joined, now))))
            meta = Connection._meta
            _insert_rows(
                meta.db_table,
                [meta.get_field("member_low").column, meta.get_field("member_high").column, "created_at"],
                rows_c,
            )
            # A connection implies following both ways.
            follow_meta = Follow._meta
            _insert_rows(
                follow_meta.db_table,
                [
                    follow_meta.get_field("follower").column,
                    follow_meta.get_field("followed").column,
                    "created_at",
                ],
                [row for low, high, at in rows_c for row in ((low, high, at), (high, low, at))],
            )
            del rows_c
            say(f"Connections: {len(plan.edges):,}, each following the other — {lap(t)}")

            t = time.monotonic()
            invitations = []
            for sender, recipient, note in plan.invitations:
                joined = max(persons[sender].joined, persons[recipient].joined, now - dt.timedelta(days=21))
                invitations.append(
                    Invitation(
                        sender_id=user_ids[sender],
                        recipient_id=user_ids[recipient],
                        note=note,
                        status=Invitation.Status.PENDING,
                        created_at=_between(rng, joined, now),
                    )
                )
            Invitation.objects.bulk_create(invitations, batch_size=2000)
            with_note = sum(1 for i in invitations if i.note)
            say(f"Invitations: {len(invitations):,} pending ({with_note:,} with a note) — {lap(t)}")

            t = time.monotonic()
            visits = _profile_visits(persons, user_ids, seed=seed, now=now)
            say(f"Profile views: {visits:,} over the last 90 days — {lap(t)}")
            t = time.monotonic()
            from entregent.demo.messages import seed_conversations

            report.conversations = seed_conversations(
                persons=persons, user_ids=user_ids, edges=plan.edges, seed=seed, now=now
            )
            say(f"Conversations of the demo logins: {report.conversations:,} — {lap(t)}")
            t = time.monotonic()
        say(f"Committed (constraints checked) — {lap(t)}")
    except BaseException:
        for name in written_files:
            default_storage.delete(name)
        raise

    report.user_ids = user_ids
    report.hubs = [user_ids[i] for i in plan.hubs]
    report.suspicious = [user_ids[i] for i in plan.suspicious]
    report.seconds = time.monotonic() - started
    return report
