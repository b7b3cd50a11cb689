"""Every account page (allauth's, with our templates) renders inside the site layout with one
heading, labelled fields, errors next to their field, styled buttons, no inline style or script
(the Content-Security-Policy would block them), in English and in French."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client

from tests.accounts.conftest import login
from tests.accounts.test_mfa import activate_totp, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


class PageShape(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.h1 = 0
        self.topbar = self.main = self.footer = False
        self.inputs: list[dict] = []
        self.labels: set[str] = set()
        self.buttons: list[dict] = []
        self.inline_styles: list[str] = []
        self.inline_scripts = 0
        self.lang = ""
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "style" in a:
            self.inline_styles.append(tag)
        if tag == "html":
            self.lang = a.get("lang", "")
        elif tag == "h1":
            self.h1 += 1
        elif tag == "header" and "topbar" in a.get("class", ""):
            self.topbar = True
        elif tag == "main":
            self.main = True
        elif tag == "footer":
            self.footer = True
        elif tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit"):
            self.inputs.append(a)
        elif tag == "label" and a.get("for"):
            self.labels.add(a["for"])
        elif tag == "button":
            self.buttons.append(a)
        elif tag == "script" and not a.get("src") and a.get("type") != "application/json":
            self.inline_scripts += 1


def shape(response) -> PageShape:
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    parser = PageShape()
    parser.feed(response.content.decode())
    return parser


def assert_site_page(response) -> PageShape:
    page = shape(response)
    assert page.topbar and page.main and page.footer, "not inside the site layout"
    assert page.h1 == 1
    for field in page.inputs:
        if field.get("id") == "site-search" or field.get("id") == "language-select":
            continue
        assert field.get("id") in page.labels or field.get("aria-label"), f"unlabelled field {field}"
    for button in page.buttons:
        assert "button" in button.get("class", ""), f"unstyled button {button}"
    assert page.inline_styles == []
    assert page.inline_scripts == 0
    return page


ANONYMOUS_PAGES = [
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/accounts/confirm-email/",
]
MEMBER_PAGES = [
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/2fa/",
    "/accounts/2fa/totp/activate/",
    "/accounts/sessions/",
    "/accounts/logout/",
    "/accounts/reauthenticate/",
]
TWO_STEP_PAGES = [
    "/accounts/2fa/recovery-codes/",
    "/accounts/2fa/recovery-codes/generate/",
    "/accounts/2fa/totp/deactivate/",
]


@pytest.mark.parametrize("url", ANONYMOUS_PAGES)
def test_entrance_pages_use_the_site_layout(client, url):
    assert_site_page(client.get(url))


@pytest.mark.parametrize("url", MEMBER_PAGES)
def test_account_settings_pages_use_the_site_layout(client, carol, url):
    sign_in(client, "carol@example.org")

    page = assert_site_page(client.get(url))

    assert page.lang == "en"


def test_two_step_pages_use_the_site_layout(client, carol):
    sign_in(client, "carol@example.org")
    activate_totp(client)
    for url in TWO_STEP_PAGES:
        assert_site_page(client.get(url))
    client.post("/accounts/logout/")
    login(client, "carol@example.org")
    assert_site_page(client.get("/accounts/2fa/authenticate/"))


def test_form_errors_are_shown_next_to_their_field(client, carol):
    response = client.post("/accounts/password/reset/", {"email": "not an address"})

    html = response.content.decode()
    assert_site_page(response)
    assert 'class="field field--error"' in html
    assert 'aria-describedby="id_email_error"' in html or "id_email_error" in html
    assert 'aria-invalid="true"' in html
    assert 'value="not an address"' in html


@pytest.mark.parametrize(
    ("url", "english", "french"),
    [
        ("/accounts/login/", "Sign In", "Connexion"),
        ("/accounts/signup/", "Sign Up", "Création de compte"),
        ("/accounts/password/reset/", "Password Reset", "Réinitialisation du mot de passe"),
    ],
)
def test_account_pages_follow_the_browser_language(db, url, english, french):
    en = Client(HTTP_ACCEPT_LANGUAGE="en").get(url)
    fr = Client(HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9").get(url)

    assert shape(en).lang == "en" and english in en.content.decode()
    assert shape(fr).lang == "fr" and french in fr.content.decode()


def test_language_switcher_choice_applies_to_account_pages(client, carol):
    sign_in(client, "carol@example.org")

    client.post("/i18n/setlang/", {"language": "fr", "next": "/accounts/2fa/"})
    response = client.get("/accounts/2fa/", HTTP_ACCEPT_LANGUAGE="en")

    assert shape(response).lang == "fr"
    assert "Authentification à deux facteurs" in response.content.decode()


def test_too_many_requests_page_is_translated(db, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "reset_password": "1/m/ip"}
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.post("/accounts/password/reset/", {"email": "someone@example.org"})

    response = client.post("/accounts/password/reset/", {"email": "someone@example.org"})

    assert response.status_code == 429
    assert response["Content-Language"] == "fr"


def test_password_field_lists_its_rules_as_help(client):
    html = client.get("/accounts/signup/").content.decode()

    assert '<div class="help" id="id_password1_helptext"><ul>' in html
    assert PASSWORD not in html
