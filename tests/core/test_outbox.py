"""The mail outbox at /outbox/: where an instance without SMTP keeps the mails it sent. Shown
only outside production, and then only in demo mode or to staff; a 404 for everyone else."""

from __future__ import annotations

import pytest
from django.core.mail import send_mail
from django.test import Client, TestCase

from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def outbox(settings):
    settings.EMAIL_BACKEND = "entregent.core.mail.OutboxBackend"
    settings.SHOW_OUTBOX = True
    settings.DEMO = False
    return settings


def test_demo_shows_sent_mails_to_anyone(client, outbox):
    outbox.DEMO = True
    send_mail("Welcome aboard", "Follow https://example.org/start to begin.", None, ["dana@example.org"])

    response = client.get("/outbox/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Welcome aboard" in html
    assert "dana@example.org" in html
    assert '<a href="https://example.org/start"' in html  # links can be followed


def test_staff_see_the_outbox_outside_demo_mode(client, outbox):
    send_mail("Staff only", "Body", None, ["dana@example.org"])
    client.force_login(UserFactory(is_staff=True))

    response = client.get("/outbox/")

    assert response.status_code == 200
    assert "Staff only" in response.content.decode()


def test_outbox_is_hidden_from_visitors_and_members_outside_demo_mode(client, outbox):
    send_mail("Secret", "Body", None, ["dana@example.org"])
    anonymous = client.get("/outbox/")
    client.force_login(member())
    signed_in = client.get("/outbox/")

    assert anonymous.status_code == 404
    assert signed_in.status_code == 404
    assert b"Secret" not in anonymous.content + signed_in.content


def test_outbox_is_gone_when_mail_really_leaves(client, outbox):
    # SHOW_OUTBOX is off in production and whenever EMAIL_URL configures a real server.
    outbox.SHOW_OUTBOX = False
    outbox.DEMO = True
    client.force_login(UserFactory(is_staff=True))

    assert client.get("/outbox/").status_code == 404


def test_empty_outbox_says_so(client, outbox):
    outbox.DEMO = True

    response = client.get("/outbox/")

    assert response.status_code == 200
    assert "No mail sent yet." in response.content.decode()


def test_sign_up_confirmation_can_be_followed_from_the_demo_outbox(outbox):
    outbox.DEMO = True
    client = Client()
    password = "a-long-and-unusual-passphrase"
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(
            "/accounts/signup/",
            {
                "first_name": "Dana",
                "last_name": "Roux",
                "email": "dana@example.org",
                "password1": password,
                "password2": password,
            },
        )

    html = client.get("/outbox/").content.decode()

    assert "dana@example.org" in html
    start = html.index("http://testserver/accounts/confirm-email/")
    link = html[start : html.index('"', start)].removeprefix("http://testserver")
    client.post(link)
    assert client.get("/").context["user"].email == "dana@example.org"
