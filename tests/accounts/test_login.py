"""Signing in and out, and resetting a forgotten password from the mailed link."""

from __future__ import annotations

import pytest

from entregent.accounts.models import User
from tests.accounts.conftest import link_in, login, mails_to
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def signed_in_email(client) -> str | None:
    user = client.get("/").context["user"]
    return user.email if user.is_authenticated else None


def test_member_signs_in_with_email_and_password(client, carol):
    response = login(client, "carol@example.org")

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_email(client) == "carol@example.org"


def test_email_is_case_insensitive_at_sign_in(client, carol):
    login(client, "Carol@Example.ORG")

    assert signed_in_email(client) == "carol@example.org"


def test_wrong_password_is_refused_with_a_message(client, carol):
    response = login(client, "carol@example.org", "not-the-password")

    assert response.status_code == 200
    assert b"form-errors" in response.content
    assert signed_in_email(client) is None


def test_sign_out_asks_for_confirmation_then_ends_the_session(client, carol):
    login(client, "carol@example.org")

    page = client.get("/accounts/logout/")
    assert page.status_code == 200
    assert signed_in_email(client) == "carol@example.org"  # GET only asks

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert signed_in_email(client) is None


def test_password_reset_link_sets_a_new_password(web, carol):
    web.post("/accounts/password/reset/", {"email": "carol@example.org"})
    link = link_in(mails_to("carol@example.org")[0], r"https?://\S+/accounts/password/reset/key/\S+")

    form_page = web.get(link, follow=True)  # allauth moves the key into the session, then redirects
    assert form_page.status_code == 200
    assert b'name="password1"' in form_page.content
    new = "another-long-passphrase-42"
    response = web.post(form_page.redirect_chain[-1][0], {"password1": new, "password2": new})

    assert response.status_code == 302
    carol.refresh_from_db()
    assert carol.check_password(new)
    assert carol.password.startswith("argon2")
    # The link works once.
    assert b"Bad Token" in web.get(link, follow=True).content


def test_password_reset_refuses_mismatched_passwords_and_keeps_the_old_one(web, carol):
    web.post("/accounts/password/reset/", {"email": "carol@example.org"})
    link = link_in(mails_to("carol@example.org")[0], r"https?://\S+/accounts/password/reset/key/\S+")
    form_page = web.get(link, follow=True)

    response = web.post(
        form_page.redirect_chain[-1][0],
        {"password1": "another-long-passphrase-42", "password2": "different-1"},
    )

    assert response.status_code == 200
    assert b'id="id_password2_error"' in response.content
    assert User.objects.get(pk=carol.pk).check_password(PASSWORD)


def test_change_password_keeps_the_member_signed_in(client, carol):
    login(client, "carol@example.org")
    new = "another-long-passphrase-42"

    response = client.post(
        "/accounts/password/change/", {"oldpassword": PASSWORD, "password1": new, "password2": new}
    )

    assert response.status_code == 302
    assert User.objects.get(pk=carol.pk).check_password(new)
    assert signed_in_email(client) == "carol@example.org"


def test_member_is_told_by_mail_when_the_password_changes(web, carol):
    login(web, "carol@example.org")
    new = "another-long-passphrase-42"

    web.post("/accounts/password/change/", {"oldpassword": PASSWORD, "password1": new, "password2": new})

    (message,) = mails_to("carol@example.org")
    assert "[Entregent]" in message.subject
    assert "password" in message.subject.lower()
    assert "IP address" in message.body
