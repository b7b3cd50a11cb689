"""Settings → API access tokens: create (secret shown once, only its hash kept), list, revoke."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from entregent.accounts import services
from entregent.accounts.models import PersonalAccessToken
from tests.factories import PASSWORD

TOKENS = "/settings/tokens/"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is deliberately slow, and these tests check passwords often.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def signed_in(alice) -> Client:
    """Alice, who confirmed her password just now (creating a token asks for it, like changing
    the email address does)."""
    client = Client()
    client.force_login(alice)
    assert client.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 302
    return client


def _secret_in(html: str) -> str:
    match = re.search(r'id="new-token"[^>]*value="(ent_[^"]+)"', html)
    assert match, "the new token is not shown"
    return match.group(1)


def test_logged_out_visitor_is_sent_to_sign_in(client, db):
    response = client.get(TOKENS)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_logged_out_visitor_cannot_revoke(client, alice):
    token, _secret = services.token_create(user=alice, name="cron", scope="read")

    response = client.post(f"/settings/tokens/{token.pk}/revoke/")

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.is_active


def test_page_lists_only_my_tokens(signed_in, alice, bob):
    services.token_create(user=alice, name="My laptop", scope="read")
    services.token_create(user=bob, name="Bob's server", scope="write")

    html = signed_in.get(TOKENS).content.decode()

    assert "My laptop" in html
    assert "Bob&#x27;s server" not in html and "Bob's server" not in html


def test_create_shows_the_secret_once_and_stores_only_its_hash(signed_in, alice):
    response = signed_in.post(TOKENS, {"name": "Backup script", "scope": "write"})

    assert response.status_code == 200
    secret = _secret_in(response.content.decode())
    token = PersonalAccessToken.objects.get(user=alice)
    assert (token.name, token.scope) == ("Backup script", "write")
    assert token.token_hash == PersonalAccessToken.hash(secret)
    assert secret not in (token.token_hash, token.hint, token.name)
    assert "no-store" in response["Cache-Control"]
    # Shown once: the next visit lists the token but not its secret.
    again = signed_in.get(TOKENS).content.decode()
    assert "Backup script" in again
    assert secret not in again


def test_new_token_works_on_the_api(signed_in, client):
    secret = _secret_in(signed_in.post(TOKENS, {"name": "API", "scope": "read"}).content.decode())

    response = Client().get("/api/v1/me/profile", headers={"Authorization": f"Bearer {secret}"})

    assert response.status_code == 200
    assert response.json()["slug"] == "alice-martin"


@pytest.mark.parametrize(
    "data",
    [
        {"name": "", "scope": "read"},
        {"name": "   ", "scope": "read"},
        {"name": "x" * 81, "scope": "read"},
        {"name": "Script", "scope": "admin"},
        {"name": "Script"},
        {},
    ],
)
def test_bad_input_shows_the_form_again_and_creates_nothing(signed_in, alice, data):
    response = signed_in.post(TOKENS, data)

    assert response.status_code == 422
    assert 'class="errorlist' in response.content.decode()
    assert 'id="new-token"' not in response.content.decode()
    assert not PersonalAccessToken.objects.exists()


def test_active_tokens_are_capped(signed_in, alice):
    for n in range(services.MAX_ACTIVE_TOKENS):
        services.token_create(user=alice, name=f"t{n}", scope="read")

    response = signed_in.post(TOKENS, {"name": "One too many", "scope": "read"})

    assert response.status_code == 422
    assert "active tokens" in response.content.decode()
    assert PersonalAccessToken.objects.filter(user=alice).count() == services.MAX_ACTIVE_TOKENS


def test_creating_a_token_asks_for_the_password_again_after_a_while(alice):
    client = Client()
    client.force_login(alice)  # a session without a recent password check

    response = client.post(TOKENS, {"name": "Stolen session", "scope": "write"})

    assert response.status_code == 302
    assert "/reauthenticate/" in response["Location"]
    assert not PersonalAccessToken.objects.exists()
    # Once the password is given, the suspended request goes through.
    response = client.post(response["Location"], {"password": PASSWORD}, follow=True)
    assert PersonalAccessToken.objects.filter(user=alice, name="Stolen session").exists()


def test_revoke_my_token(signed_in, alice):
    token, secret = services.token_create(user=alice, name="Old laptop", scope="write")

    response = signed_in.post(f"/settings/tokens/{token.pk}/revoke/", follow=True)

    assert response.status_code == 200
    assert "was revoked" in response.content.decode()
    token.refresh_from_db()
    assert not token.is_active
    assert (
        Client().get("/api/v1/me/profile", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    )


def test_another_member_cannot_revoke_my_token(alice, bob):
    token, _secret = services.token_create(user=alice, name="Mine", scope="write")
    client = Client()
    client.force_login(bob)

    response = client.post(f"/settings/tokens/{token.pk}/revoke/")

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.is_active


def test_revoke_needs_a_post(signed_in, alice):
    token, _secret = services.token_create(user=alice, name="Mine", scope="write")

    assert signed_in.get(f"/settings/tokens/{token.pk}/revoke/").status_code == 405
    token.refresh_from_db()
    assert token.is_active


def test_revoking_twice_keeps_the_first_date(alice):
    token, _secret = services.token_create(user=alice, name="Mine", scope="write")
    services.token_revoke(token=token)
    first = PersonalAccessToken.objects.get(pk=token.pk).revoked_at

    services.token_revoke(token=PersonalAccessToken.objects.get(pk=token.pk))

    assert PersonalAccessToken.objects.get(pk=token.pk).revoked_at == first
