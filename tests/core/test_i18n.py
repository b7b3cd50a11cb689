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

# Python-format placeholders (named or not), template variables, HTML tags and entities.
PLACEHOLDER = re.compile(
    r"%\([a-zA-Z0-9_]+\)[sdif]|%[sdif]|\{\{.*?\}\}|\{[a-zA-Z0-9_]*\}|</?[a-zA-Z][^<>]*>|&#?\w+;"
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
