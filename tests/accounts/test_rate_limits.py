"""Rate limits on sign-in, sign-up and password reset (settings.ACCOUNT_RATE_LIMITS): past the
limit a visitor gets HTTP 429 or, for failed sign-ins, a message instead of another try."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from entregent.accounts.models import User
from tests.accounts.conftest import login
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def per_minute_per_ip(action: str) -> int:
    """The per-IP, per-minute budget configured for an action, e.g. "20/m/ip" → 20."""
    for rate in settings.ACCOUNT_RATE_LIMITS[action].split(","):
        amount, period, *scope = rate.split("/")
        if period == "m" and scope == ["ip"]:
            return int(amount)
    raise AssertionError(f"no per-IP rate for {action}")


def test_repeated_failed_sign_ins_block_the_address_even_with_the_right_password(client, carol):
    for _ in range(5):
        login(client, "carol@example.org", "not-the-password")

    response = login(client, "carol@example.org", PASSWORD)

    assert response.status_code == 200
    assert b"Too many failed login attempts" in response.content
    assert not client.get("/").context["user"].is_authenticated


def test_failed_sign_ins_of_one_address_do_not_block_another(client, carol, alice):
    for _ in range(5):
        login(client, "carol@example.org", "not-the-password")

    response = login(client, alice.email, PASSWORD)

    assert response.status_code == 302


def test_sign_in_answers_429_past_the_limit(carol):
    client = Client(REMOTE_ADDR="198.51.100.7")
    limit = per_minute_per_ip("login")
    for i in range(limit):
        assert login(client, f"nobody{i}@example.org", "x").status_code != 429

    response = login(client, "carol@example.org", PASSWORD)

    assert response.status_code == 429
    assert b"Too many attempts" in response.content
    assert b'class="topbar"' in response.content  # our layout, not a bare page


def test_sign_up_answers_429_past_the_limit(db):
    client = Client(REMOTE_ADDR="198.51.100.8")
    bad = {"first_name": "A", "last_name": "B", "password1": "x", "password2": "y"}
    for i in range(per_minute_per_ip("signup")):
        assert client.post("/accounts/signup/", {**bad, "email": f"s{i}@example.org"}).status_code == 200

    good = "a-long-and-unusual-passphrase"
    response = client.post(
        "/accounts/signup/",
        {**bad, "email": "late@example.org", "password1": good, "password2": good},
    )

    assert response.status_code == 429
    assert not User.objects.filter(email="late@example.org").exists()


def test_password_reset_answers_429_when_one_address_is_asked_too_often(web, carol):
    answers = [
        web.post("/accounts/password/reset/", {"email": "carol@example.org"}).status_code for _ in range(6)
    ]

    assert answers == [302] * 5 + [429]
    assert len(mail.outbox) == 5
