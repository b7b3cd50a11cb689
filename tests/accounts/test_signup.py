"""Sign-up with mandatory email verification: the profile is created with the account, the
confirmation mail carries a link, and confirming it (POST) verifies the address and signs in."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from entregent.accounts.models import User
from entregent.profiles.models import Profile
from tests.accounts.conftest import link_in, mails_to

pytestmark = pytest.mark.django_db

NEW = {
    "first_name": "Élodie",
    "last_name": "Garnier",
    "email": "elodie@example.org",
    "password1": "a-long-and-unusual-passphrase",
    "password2": "a-long-and-unusual-passphrase",
}


def test_sign_up_creates_account_and_profile_and_sends_confirmation(web):
    response = web.post("/accounts/signup/", NEW)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(email="elodie@example.org")
    assert Profile.objects.get(user=user).first_name == "Élodie"
    assert not EmailAddress.objects.get(user=user).verified
    (message,) = mails_to("elodie@example.org")
    assert "/accounts/confirm-email/" in message.body
    assert "Entregent" in message.body
    # Not signed in until the address is confirmed.
    assert "_auth_user_id" not in web.session


def test_password_is_hashed_with_argon2(web):
    web.post("/accounts/signup/", NEW)

    assert User.objects.get(email="elodie@example.org").password.startswith("argon2")


def test_confirmation_link_verifies_email_and_signs_in(web):
    web.post("/accounts/signup/", NEW)
    link = link_in(mails_to("elodie@example.org")[0], r"https?://\S+/accounts/confirm-email/\S+")

    page = web.get(link)
    assert page.status_code == 200
    assert b"Confirm Email Address" in page.content
    assert not EmailAddress.objects.get(email="elodie@example.org").verified  # GET changes nothing

    response = web.post(link)

    assert response.status_code == 302
    assert EmailAddress.objects.get(email="elodie@example.org").verified
    assert web.get("/").context["user"].email == "elodie@example.org"


def test_unconfirmed_member_cannot_sign_in(web):
    web.post("/accounts/signup/", NEW)
    mail.outbox.clear()

    response = web.post("/accounts/login/", {"login": "elodie@example.org", "password": NEW["password1"]})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in web.session


def test_bad_sign_up_shows_errors_next_to_fields_and_stores_nothing(web):
    data = {**NEW, "first_name": "", "password2": "something-else-entirely"}

    response = web.post("/accounts/signup/", data)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_first_name_error"' in html
    assert 'id="id_password2_error"' in html
    assert 'value="elodie@example.org"' in html  # what was typed is kept
    assert not User.objects.filter(email="elodie@example.org").exists()
    assert not Profile.objects.exists()
    assert mail.outbox == []


def test_weak_password_is_refused(web):
    response = web.post("/accounts/signup/", {**NEW, "password1": "password", "password2": "password"})

    assert response.status_code == 200
    assert b'id="id_password1_error"' in response.content
    assert not User.objects.filter(email="elodie@example.org").exists()
