"""The "Where you're signed in" page lists the member's sessions and can end all the others."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.accounts.conftest import login

pytestmark = pytest.mark.django_db


def signed_in(client) -> bool:
    return client.get("/").context["user"].is_authenticated


def test_sessions_page_lists_each_signed_in_browser(carol):
    laptop = Client(HTTP_USER_AGENT="Laptop Browser/1.0", REMOTE_ADDR="192.0.2.10")
    phone = Client(HTTP_USER_AGENT="Phone Browser/2.0", REMOTE_ADDR="192.0.2.20")
    login(laptop, "carol@example.org")
    login(phone, "carol@example.org")

    page = laptop.get("/accounts/sessions/")

    assert page.status_code == 200
    html = page.content.decode()
    assert "Laptop Browser/1.0" in html and "Phone Browser/2.0" in html
    assert "192.0.2.20" in html
    assert html.count('class="badge badge--primary"') == 1  # "Current" marks this browser only
    assert "Sign Out Other Sessions" in html


def test_sign_out_other_sessions_ends_them_and_keeps_this_one(carol, alice):
    laptop, phone, tablet = Client(), Client(), Client()
    login(laptop, "carol@example.org")
    login(phone, "carol@example.org")
    login(tablet, "carol@example.org")
    alice_client = Client()
    alice_client.force_login(alice)

    response = laptop.post("/accounts/sessions/")

    assert response.status_code == 302
    assert signed_in(laptop)
    assert not signed_in(phone)
    assert not signed_in(tablet)
    assert signed_in(alice_client)  # another member's sessions are untouched


def test_sessions_page_needs_a_signed_in_member(client):
    response = client.get("/accounts/sessions/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
