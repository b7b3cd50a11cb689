"""The fixed industry taxonomy shipped with Entregent (a condensed version of LinkedIn's industry
groups) and the keywords the completeness coach uses to tell whether a profile speaks to one."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# code -> (label, keywords in English and French, lower case, without accents)
INDUSTRIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "accounting": (
        _("Accounting"),
        ("accounting", "audit", "comptabilite", "comptable", "expert-comptable", "fiscalite", "tax"),
    ),
    "advertising": (
        _("Advertising and marketing"),
        (
            "marketing",
            "advertising",
            "publicite",
            "brand",
            "marque",
            "seo",
            "campaign",
            "campagne",
            "growth",
            "communication",
        ),
    ),
    "aerospace": (
        _("Aviation and aerospace"),
        ("aerospace", "aeronautique", "aviation", "aircraft", "avion", "spatial", "satellite"),
    ),
    "agriculture": (
        _("Agriculture"),
        ("agriculture", "farming", "agricole", "agronomie", "elevage", "crop", "viticulture"),
    ),
    "architecture": (
        _("Architecture and planning"),
        ("architecture", "architecte", "urbanisme", "planning", "batiment"),
    ),
    "automotive": (
        _("Automotive"),
        ("automotive", "automobile", "vehicle", "vehicule", "car", "mobility", "mobilite"),
    ),
    "banking": (_("Banking"), ("banking", "banque", "bank", "credit", "lending", "retail banking")),
    "biotech": (
        _("Biotechnology"),
        ("biotech", "biotechnology", "biologie", "genomics", "laboratory", "laboratoire"),
    ),
    "construction": (
        _("Construction"),
        ("construction", "btp", "chantier", "civil engineering", "genie civil", "travaux"),
    ),
    "consulting": (
        _("Management consulting"),
        ("consulting", "conseil", "consultant", "strategy", "strategie", "transformation"),
    ),
    "consumer_goods": (
        _("Consumer goods"),
        ("consumer goods", "fmcg", "grande consommation", "cosmetics", "cosmetique"),
    ),
    "design": (_("Design"), ("design", "designer", "ux", "ui", "graphic", "graphisme")),
    "education": (
        pgettext_lazy("industry", "Education"),
        (
            "education",
            "enseignement",
            "teaching",
            "teacher",
            "professeur",
            "formation",
            "training",
            "school",
            "ecole",
        ),
    ),
    "energy": (
        _("Energy and utilities"),
        (
            "energy",
            "energie",
            "renewable",
            "renouvelable",
            "oil",
            "petrole",
            "electricity",
            "electricite",
            "solar",
            "solaire",
        ),
    ),
    "entertainment": (
        _("Entertainment and media"),
        ("media", "entertainment", "divertissement", "film", "cinema", "television", "music", "musique"),
    ),
    "environment": (
        _("Environmental services"),
        ("environment", "environnement", "sustainability", "durable", "rse", "csr", "climate", "climat"),
    ),
    "financial_services": (
        _("Financial services"),
        (
            "finance",
            "financial",
            "financier",
            "investment",
            "investissement",
            "asset management",
            "gestion d'actifs",
            "fintech",
            "trading",
        ),
    ),
    "food": (
        _("Food and beverages"),
        ("food", "beverage", "agroalimentaire", "restaurant", "restauration", "boisson", "cuisine"),
    ),
    "government": (
        _("Government administration"),
        ("government", "public sector", "secteur public", "administration", "collectivite", "ministere"),
    ),
    "healthcare": (
        _("Hospitals and health care"),
        (
            "health",
            "sante",
            "hospital",
            "hopital",
            "medical",
            "medecin",
            "nurse",
            "infirmier",
            "clinic",
            "clinique",
            "patient",
        ),
    ),
    "hospitality": (
        _("Hospitality"),
        ("hospitality", "hotel", "hotellerie", "tourism", "tourisme", "travel", "voyage"),
    ),
    "hr": (
        _("Human resources"),
        (
            "human resources",
            "ressources humaines",
            "rh",
            "hr",
            "recruitment",
            "recrutement",
            "talent",
            "payroll",
            "paie",
        ),
    ),
    "insurance": (
        _("Insurance"),
        ("insurance", "assurance", "actuarial", "actuariat", "claims", "sinistres"),
    ),
    "it_services": (
        _("IT services and consulting"),
        (
            "it",
            "informatique",
            "infrastructure",
            "cloud",
            "devops",
            "sysadmin",
            "cybersecurity",
            "cybersecurite",
            "network",
            "reseau",
        ),
    ),
    "legal": (
        _("Legal services"),
        ("legal", "juridique", "law", "droit", "lawyer", "avocat", "juriste", "compliance", "conformite"),
    ),
    "logistics": (
        _("Transportation and logistics"),
        ("logistics", "logistique", "supply chain", "transport", "shipping", "warehouse", "entrepot"),
    ),
    "luxury": (
        _("Luxury goods and jewellery"),
        ("luxury", "luxe", "jewellery", "joaillerie", "fashion", "mode", "haute couture"),
    ),
    "manufacturing": (
        _("Manufacturing"),
        ("manufacturing", "industrie", "production", "usine", "factory", "lean", "quality", "qualite"),
    ),
    "nonprofit": (
        _("Non-profit organisations"),
        ("nonprofit", "non-profit", "association", "ngo", "ong", "charity", "fundraising", "benevolat"),
    ),
    "pharmaceuticals": (
        _("Pharmaceuticals"),
        ("pharmaceutical", "pharmaceutique", "pharma", "drug", "medicament", "clinical", "clinique"),
    ),
    "real_estate": (
        _("Real estate"),
        ("real estate", "immobilier", "property", "propriete", "agent immobilier", "promotion"),
    ),
    "research": (
        _("Research"),
        ("research", "recherche", "scientist", "chercheur", "phd", "doctorat", "laboratory", "laboratoire"),
    ),
    "retail": (
        _("Retail"),
        (
            "retail",
            "commerce",
            "distribution",
            "magasin",
            "store",
            "boutique",
            "e-commerce",
            "ecommerce",
            "merchandising",
            "vente",
        ),
    ),
    "software": (
        _("Software development"),
        (
            "software",
            "logiciel",
            "developer",
            "developpeur",
            "engineer",
            "ingenieur",
            "python",
            "java",
            "javascript",
            "saas",
            "backend",
            "frontend",
        ),
    ),
    "sports": (_("Sports"), ("sport", "sports", "fitness", "coach", "athlete", "athlete")),
    "telecom": (
        _("Telecommunications"),
        (
            "telecom",
            "telecommunications",
            "telecommunication",
            "5g",
            "fibre",
            "mobile",
            "operator",
            "operateur",
        ),
    ),
    "wholesale": (_("Wholesale"), ("wholesale", "negoce", "grossiste", "import", "export", "trading")),
}

INDUSTRY_CHOICES = [(code, label) for code, (label, _keywords) in INDUSTRIES.items()]


def industry_label(code: str) -> str:
    entry = INDUSTRIES.get(code)
    return str(entry[0]) if entry else ""


def industry_keywords(code: str) -> tuple[str, ...]:
    entry = INDUSTRIES.get(code)
    return entry[1] if entry else ()
