"""Changing the sign-in address needs the password again (re-authentication), then the new
address must be confirmed from the mail sent to it before it replaces the old one."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress

from entregent.accounts.models import User
from tests.accounts.conftest import link_in, mails_to
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_email_change_requires_the_password_again(web, carol):
    web.force_login(carol)  # a session without a recent sign-in

    response = web.post("/accounts/email/", {"action_add": "", "email": "carol.new@example.org"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert not EmailAddress.objects.filter(email="carol.new@example.org").exists()
    assert mails_to("carol.new@example.org") == []


def test_wrong_password_at_reauthentication_changes_nothing(web, carol):
    web.force_login(carol)
    web.post("/accounts/email/", {"action_add": "", "email": "carol.new@example.org"})

    response = web.post("/accounts/reauthenticate/", {"password": "not-the-password"})

    assert response.status_code == 200
    assert b'id="id_password_error"' in response.content
    assert not EmailAddress.objects.filter(email="carol.new@example.org").exists()


def test_email_change_completes_after_reauthentication_and_confirmation(web, carol):
    web.force_login(carol)
    first = web.post("/accounts/email/", {"action_add": "", "email": "carol.new@example.org"})
    reauth = web.post(first["Location"], {"password": PASSWORD}, follow=True)
    assert reauth.status_code == 200

    # The old address stays until the new one is confirmed.
    assert User.objects.get(pk=carol.pk).email == "carol@example.org"
    pending = EmailAddress.objects.get(email="carol.new@example.org")
    assert not pending.verified
    page = web.get("/accounts/email/").content.decode()
    assert 'value="carol@example.org"' in page and 'value="carol.new@example.org"' in page
    assert "pending verification" in page
    link = link_in(mails_to("carol.new@example.org")[0], r"https?://\S+/accounts/confirm-email/\S+")

    web.post(link)

    assert User.objects.get(pk=carol.pk).email == "carol.new@example.org"
    assert list(EmailAddress.objects.filter(user=carol).values_list("email", "primary", "verified")) == [
        ("carol.new@example.org", True, True)
    ]


def test_address_of_another_member_can_never_be_taken(web, carol, alice):
    web.force_login(carol)
    first = web.post("/accounts/email/", {"action_add": "", "email": alice.email})
    web.post(first["Location"], {"password": PASSWORD}, follow=True)
    # The answer does not reveal the address is taken; a confirmation goes to its owner's inbox…
    link = link_in(mails_to(alice.email)[0], r"https?://\S+/accounts/confirm-email/\S+")

    # …and confirming it cannot move the address to Carol's account.
    page = web.get(link)
    web.post(link)

    assert b"already confirmed by a different account" in page.content
    assert User.objects.get(pk=carol.pk).email == "carol@example.org"
    assert EmailAddress.objects.get(user=alice, email=alice.email).verified
    assert not EmailAddress.objects.filter(user=carol, email=alice.email, verified=True).exists()
