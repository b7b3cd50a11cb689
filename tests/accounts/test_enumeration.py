"""No account enumeration: whether an address has an account never changes what a visitor sees.
The owner of a known address gets a mail telling them what happened instead."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from entregent.accounts.models import User
from tests.accounts.conftest import mails_to

pytestmark = pytest.mark.django_db

CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def normalised(response) -> bytes:
    return CSRF.sub(b'name="csrfmiddlewaretoken" value=""', response.content)


def answer(client, url: str, data: dict) -> tuple[int, str, bytes]:
    """Status, redirect target and the page the visitor lands on, with CSRF tokens and the
    address the visitor typed (which the page repeats back) blanked out."""
    response = client.post(url, data)
    location = response.get("Location", "")
    landing = client.get(location) if response.status_code == 302 else response
    return response.status_code, location, normalised(landing).replace(data["email"].encode(), b"<email>")


def signup_data(email: str) -> dict:
    return {
        "first_name": "Sam",
        "last_name": "Leroy",
        "email": email,
        "password1": "a-long-and-unusual-passphrase",
        "password2": "a-long-and-unusual-passphrase",
    }


def test_sign_up_with_a_known_email_looks_like_any_sign_up(web, client, carol):
    known = answer(web, "/accounts/signup/", signup_data("carol@example.org"))
    unknown = answer(client, "/accounts/signup/", signup_data("nobody@example.org"))

    assert known == unknown
    assert known[1] == "/accounts/confirm-email/"
    assert User.objects.filter(email="carol@example.org").count() == 1


def test_known_email_gets_an_account_already_exists_mail(web, carol):
    web.post("/accounts/signup/", signup_data("carol@example.org"))

    (message,) = mails_to("carol@example.org")
    assert "already exists" in message.body
    assert "/accounts/password/reset/" in message.body
    assert not carol.check_password("a-long-and-unusual-passphrase")


def test_password_reset_answers_the_same_for_known_and_unknown_emails(web, carol):
    known = answer(web, "/accounts/password/reset/", {"email": "carol@example.org"})
    unknown = answer(web, "/accounts/password/reset/", {"email": "nobody@example.org"})

    assert known == unknown
    assert known[1] == "/accounts/password/reset/done/"
    assert "/accounts/password/reset/key/" in mails_to("carol@example.org")[0].body
    (stranger_mail,) = mails_to("nobody@example.org")
    assert "/accounts/password/reset/key/" not in stranger_mail.body
    assert "do not have any record" in stranger_mail.body


def test_wrong_password_and_unknown_email_give_the_same_error(client, carol):
    wrong = client.post("/accounts/login/", {"login": "carol@example.org", "password": "not-the-password"})
    unknown = client.post("/accounts/login/", {"login": "nobody@example.org", "password": "not-the-password"})

    assert wrong.status_code == unknown.status_code == 200
    assert normalised(wrong).replace(b"carol@", b"X@") == normalised(unknown).replace(b"nobody@", b"X@")
    assert b"not correct" in wrong.content
    assert mail.outbox == []
