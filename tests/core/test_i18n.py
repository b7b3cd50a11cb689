"""The French translation: the catalogue is complete, keeps every placeholder, is compiled, and the pages a
member sees first come out in French when the browser or the language cookie asks for it.

Reads the catalogues with Babel, so it needs no gettext tools."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.conf import settings

from tests.factories import EducationFactory, ExperienceFactory, SkillFactory

LOCALE_DIR = Path(settings.LOCALE_PATHS[0]) / "fr" / "LC_MESSAGES"
PO_PATH = LOCALE_DIR / "django.po"
MO_PATH = LOCALE_DIR / "django.mo"

# Python-format placeholders (named or not), template variables, HTML tags and entities. Only the tags of
# inline HTML count: a literal such as “Someone at <my current company>” is text, and is translated.
HTML_TAGS = "a|abbr|b|br|code|em|i|kbd|li|ol|p|small|span|strong|sub|sup|time|ul"
PLACEHOLDER = re.compile(
    r"%\([a-zA-Z0-9_]+\)[sdif]|%[sdif]|\{\{.*?\}\}|\{[a-zA-Z0-9_]*\}"
    rf"|</?(?:{HTML_TAGS})\b[^<>]*>|&#?\w+;"
)


def _catalogue():
    with PO_PATH.open("rb") as po:
        return read_po(po, locale="fr")


def _messages():
    return [message for message in _catalogue() if message.id]


def _placeholders(text: str) -> Counter:
    return Counter(PLACEHOLDER.findall(text))


def _key(value):
    return tuple(value) if isinstance(value, (list, tuple)) else value


def _forms(message) -> tuple[tuple[str, ...], tuple[str, ...]]:
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return ids, strings


# ------------------------------------------------------------------------------------ the catalogue


def test_catalogue_header_declares_french_plural_rule_and_utf8():
    header = PO_PATH.read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert '"Language: fr\\n"' in header
    assert '"Project-Id-Version: Entregent' in header
    assert '"Content-Type: text/plain; charset=UTF-8\\n"' in header
    assert '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"' in header
    assert "#, fuzzy" not in header
    assert not _catalogue().fuzzy


def test_every_entry_is_translated_and_not_fuzzy():
    messages = _messages()
    assert len(messages) > 400  # the whole interface, not a stub
    untranslated = [m.id for m in messages if not all(s.strip() for s in _forms(m)[1])]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert untranslated == []
    assert fuzzy == []


def test_plural_entries_have_both_french_forms():
    plurals = [m for m in _messages() if m.pluralizable]
    assert plurals
    for message in plurals:
        assert isinstance(message.string, tuple) and len(message.string) == 2, message.id


def test_every_translation_keeps_the_placeholders_of_its_source():
    problems = []
    for message in _messages():
        ids, strings = _forms(message)
        if len(ids) == 1:
            if _placeholders(strings[0]) != _placeholders(ids[0]):
                problems.append((ids[0], strings[0]))
            continue
        singular, plural = (_placeholders(text) for text in ids)
        # French uses its first form for 0 and 1: it may follow the English singular or plural.
        if _placeholders(strings[0]) not in (singular, plural):
            problems.append((ids[0], strings[0]))
        for string in strings[1:]:
            if _placeholders(string) != plural:
                problems.append((ids[1], string))
    assert problems == []


def test_translations_use_typographic_apostrophes_and_non_breaking_spaces():
    problems = []
    for message in _messages():
        for string in _forms(message)[1]:
            if "'" in string:
                problems.append(("straight apostrophe", string))
            if re.search(r" [:;?!»]|« ", string):
                problems.append(("ordinary space around : ; ? ! « »", string))
    assert problems == []


def test_compiled_catalogue_has_the_same_messages_as_the_po_file():
    with MO_PATH.open("rb") as mo:
        compiled = {_key(m.id): _key(m.string) for m in read_mo(mo) if m.id}
    source = {_key(m.id): _key(m.string) for m in _messages()}
    assert set(source) - set(compiled) == set(), "run `entregent compilemessages -l fr`"
    assert set(compiled) - set(source) == set(), "run `entregent compilemessages -l fr`"
    changed = [key for key in source if source[key] != compiled[key]]
    assert changed == [], "run `entregent compilemessages -l fr`"


# ------------------------------------------------------------------------------------ the pages


def _visible_text(response) -> str:
    html = response.content.decode()
    text = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", text.replace("&#x27;", "'").replace("&amp;", "&"))


@pytest.fixture(params=["accept-language", "cookie"])
def french(request, client):
    """A client whose browser asks for French — by its Accept-Language header, or by the language
    cookie the footer's switcher sets."""
    if request.param == "cookie":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
        return client, {}
    return client, {"HTTP_ACCEPT_LANGUAGE": "fr"}


@pytest.fixture
def alice_with_career(alice):
    profile = alice.profile
    profile.open_to_work = "all"
    profile.save()
    ExperienceFactory(
        profile=profile, title="Data engineer", company_name="Acme", start_month=1, start_year=2020
    )
    ExperienceFactory(
        profile=profile,
        title="Analyst",
        company_name="Globex",
        start_month=3,
        start_year=2015,
        end_month=12,
        end_year=2019,
        is_current=False,
    )
    EducationFactory(profile=profile)
    SkillFactory(profile=profile, name="Python")
    return alice


def _get(client_and_headers, url):
    client, headers = client_and_headers
    response = client.get(url, **headers)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    return html, _visible_text(response)


def _assert_french(html: str, text: str, *, present: list[str], absent: list[str]) -> None:
    for phrase in present:
        assert phrase in text, phrase
    for phrase in absent:
        assert phrase not in html, phrase


COMMON_ABSENT = ["Skip to content", "Search members", "Mail outbox", ">Language<"]


@pytest.mark.django_db
def test_landing_page_is_in_french(french):
    html, text = _get(french, "/")
    _assert_french(
        html,
        text,
        present=[
            "Bienvenue dans votre communauté professionnelle",
            "S’inscrire",
            "S’identifier",
            "Trouver un membre",
        ],
        absent=[
            *COMMON_ABSENT,
            "Join now",
            "Sign in",
            "Welcome to your professional community",
            "Find a member",
        ],
    )


@pytest.mark.django_db
def test_sign_up_page_is_in_french(french):
    html, text = _get(french, "/accounts/signup/")
    _assert_french(
        html,
        text,
        present=["Prénom", "Nom", "Mot de passe", "S’inscrire"],
        absent=[*COMMON_ABSENT, "Join now", "First name", "Last name", "Password", "Sign Up"],
    )


@pytest.mark.django_db
def test_members_profile_page_is_in_french(french, alice_with_career, bob):
    client, _headers = french
    client.force_login(bob)
    html, text = _get(french, "/in/alice-martin/")
    _assert_french(
        html,
        text,
        present=[
            "Expérience",
            "Formation",
            "Compétences",
            "janvier 2020 – aujourd’hui",
            "mars 2015 – décembre 2019 · 4 ans 10 mois",
            "#OpenToWork",
            "En recherche d’emploi",
            "Vous",
            "Modifier le profil",
        ],
        absent=[
            *COMMON_ABSENT,
            "Experience",
            "Education",
            "Skills",
            "Present",
            "yrs",
            "Open to work",
            "Edit profile",
            "View profile",
            "Settings and privacy",
        ],
    )


@pytest.mark.django_db
def test_edit_page_is_in_french(french, alice_with_career):
    client, _headers = french
    client.force_login(alice_with_career)
    html, text = _get(french, "/in/me/edit/")
    _assert_french(
        html,
        text,
        present=[
            "Modifier le profil",
            "Présentation",
            "Infos",
            "Disponible pour",
            "Votre cible",
            "Enregistrer",
        ],
        absent=[*COMMON_ABSENT, "Edit profile", "Intro", "Open to", "Your target", ">Save<", "Headline"],
    )


@pytest.mark.django_db
def test_home_page_completeness_meter_is_in_french(french, alice_with_career):
    client, _headers = french
    client.force_login(alice_with_career)
    html, text = _get(french, "/")
    _assert_french(
        html,
        text,
        present=[
            "Force du profil",
            "Prochaines étapes",
            "Débutant",
            "Quantité",
            "Comment ce score est-il calculé ?",
        ],
        absent=[
            *COMMON_ABSENT,
            "Profile strength",
            "Next steps",
            "Beginner",
            "Quantity",
            "All-Star",
            "Experience",
        ],
    )


@pytest.mark.django_db
def test_pages_stay_in_english_without_a_french_request(client, alice_with_career):
    """The control for the tests above: the English phrases they look for are really on the pages."""
    assert "Join now" in client.get("/").content.decode()
    client.force_login(alice_with_career)
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Profile strength" in html and "Edit profile" in html
    assert "Experience" in client.get("/in/alice-martin/").content.decode()
    assert "My plan" in client.get("/plans/").content.decode()
    billing = client.get("/plans/billing/").content.decode()
    assert "Plans and billing" in billing and "before tax" in billing and "Monthly" in billing
    assert "Who viewed your profile" in client.get("/in/me/views/").content.decode()


# ------------------------------------------------------------------------- plans, billing and viewers


@pytest.mark.django_db
def test_my_plan_page_is_in_french_during_the_trial(french, alice):
    """A new member is on a Career trial: the page and the plan's own words (quotas, features) are French."""
    client, _headers = french
    client.force_login(alice)
    html, text = _get(french, "/plans/")
    _assert_french(
        html,
        text,
        present=[
            "Mon abonnement",
            "Vous bénéficiez de la formule",
            "C’est votre essai gratuit",
            "décembre",
            "Vos quotas",
            "Crédits InMail",
            "invitations par semaine",
            "Se renouvelle le",
            "Après votre essai gratuit : 100 avec la formule gratuite",
            "Ce que vous pouvez faire",
            "Qui a consulté votre profil : liste complète",
            "Disponible avec : Formule Sales.",
            "Ancienneté du compte",
            "Complétude du profil",
            "Voir les formules et les prix",
        ],
        absent=[
            *COMMON_ABSENT,
            "My plan",
            "You are on the",
            "free trial",
            "Trial of the",
            "How much you may do",
            "What you may do",
            "InMail credits",
            "a week",
            "Comes back on",
            "Who viewed",
            "Profile views",
            "Unlocked by",
            "See plans and prices",
            "Subscribe",
        ],
    )


@pytest.fixture
def french_member():
    from tests.plans.conftest import veteran

    return veteran(first_name="Chloé", last_name="Petit", country="FR")


@pytest.mark.django_db
def test_billing_page_is_in_french_with_french_prices(french, french_member):
    client, _headers = french
    client.force_login(french_member)
    html, text = _get(french, "/plans/billing/")
    _assert_french(
        html,
        text,
        present=[
            "Formules et facturation",
            "Votre abonnement",
            "Vous n’avez pas d’abonnement. Votre formule actuelle : Gratuite.",
            "Choisir une formule",
            "Mensuel",
            "Annuel",
            "29,99",  # the French decimal comma
            "HT",
            "TTC",
            "20 % de réduction",
            "Reçus",
            "Aucun reçu pour l’instant",
        ],
        absent=[
            *COMMON_ABSENT,
            "Plans and billing",
            "Your subscription",
            "Choose a plan",
            "Monthly",
            "Yearly",
            "before tax",
            "tax included",
            "% off",
            "Receipts",
            "Subscribe",
            "My plan",
        ],
    )


@pytest.mark.django_db
def test_subscription_and_its_receipt_are_in_french(french, french_member):
    from entregent.plans import subscriptions
    from entregent.plans.models import Receipt

    subscriptions.subscription_start(member=french_member, plan="career", period="month", provider="test")
    receipt = Receipt.objects.get(member=french_member)
    client, _headers = french
    client.force_login(french_member)
    html, text = _get(french, "/plans/billing/")
    _assert_french(
        html,
        text,
        present=["Actif", "Facturation", "Période en cours : du", "Résilier l’abonnement", "Votre formule"],
        absent=[*COMMON_ABSENT, "Active", "Current period", "Cancel the subscription", "Your plan"],
    )
    html, text = _get(french, f"/plans/billing/receipts/{receipt.number}/")
    _assert_french(
        html,
        text,
        present=[
            f"Reçu {receipt.display_number}",
            "Payé le",
            "Formule Career, mensuel, du",
            "Montant HT",
            "TVA (20 %)",
            "35,99",
            "Total payé",
            "Tous les reçus",
        ],
        absent=[*COMMON_ABSENT, "Receipt", "Paid on", "monthly", "Amount before tax", "Tax (", "Total paid"],
    )


@pytest.mark.django_db
def test_viewers_page_is_in_french(french, alice, bob):
    from django.utils import timezone

    from entregent.profiles.models import ProfileVisit, ViewerMode
    from tests.factories import member

    carol = member(first_name="Carol", last_name="Roux")
    ExperienceFactory(profile=carol.profile, company_name="Globex")
    today = timezone.localdate()
    ProfileVisit.objects.create(viewer=bob, viewed=alice, day=today, viewer_mode=ViewerMode.PRIVATE)
    ProfileVisit.objects.create(viewer=carol, viewed=alice, day=today, viewer_mode=ViewerMode.SEMI_PRIVATE)
    client, _headers = french
    client.force_login(alice)
    html, text = _get(french, "/in/me/views/")
    _assert_french(
        html,
        text,
        present=[
            "Votre essai gratuit de Career se termine le",  # the trial banner
            "Voir ce qu’il comprend",
            "Qui a consulté votre profil",
            "2 vues du profil au cours des 365 derniers jours",
            "Vues par semaine",
            "Visiteurs",
            "Membre anonyme",
            "Quelqu’un chez Globex",
            "Consulté le",
            "Comment vous apparaissez",
            "son propriétaire voit votre nom et votre titre",
            "Ce que votre formule affiche",
            "Les vues sont conservées 365 jours.",
            "Mon abonnement",
        ],
        absent=[
            *COMMON_ABSENT,
            "Who viewed",
            "Profile views",
            "profile views",
            "Views per week",
            "Viewers",
            "Anonymous member",
            "Someone at",
            "Viewed on",
            "How you appear",
            "What your plan shows",
            "My plan",
        ],
    )


@pytest.mark.django_db
def test_profile_viewing_card_on_the_edit_page_is_in_french(french, alice):
    client, _headers = french
    client.force_login(alice)
    html, text = _get(french, "/in/me/edit/")
    _assert_french(
        html,
        text,
        present=[
            "Comment vous apparaissez lorsque vous consultez des profils",
            "Avec mon nom et mon titre",
            "Semi-privé : « Quelqu’un chez &lt;mon entreprise actuelle&gt; » (ou de mon secteur)",
            "Privé : « Membre anonyme »",
        ],
        absent=[*COMMON_ABSENT, "How you appear", "With my name", "Semi-private", "Anonymous member"],
    )


@pytest.mark.django_db
def test_trial_ending_mail_is_in_french_on_a_french_instance(django_capture_on_commit_callbacks):
    import datetime as dt

    from django.core import mail
    from django.utils import timezone, translation

    from entregent.plans import subscriptions
    from tests.factories import member

    user = member(first_name="Chloé", country="FR")
    user.date_joined = timezone.now() - dt.timedelta(days=25)  # the 30-day trial ends in 5 days
    user.save(update_fields=["date_joined"])
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        assert subscriptions.trial_notices_send() == 1
    message = mail.outbox[0]
    assert "Votre essai gratuit de Career se termine le" in message.subject
    assert message.body.startswith("Bonjour Chloé,")
    assert "Votre essai gratuit de la formule Career sur" in message.body
    assert (
        "Pour les conserver, choisissez une formule et consultez son prix pour votre pays\u00a0:"
        in message.body
    )
    html = message.alternatives[0][0]
    assert "Choisissez une formule et consultez son prix pour votre pays" in html
    for english in ("Hello", "trial ends", "free trial", "Choose a plan", "subscribe"):
        assert english not in message.subject + message.body + html, english
