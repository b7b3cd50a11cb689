"""Who may call the API: tokens (read or read-write), the site session with CSRF, nobody else."""

from __future__ import annotations

from django.test import Client
from django.utils import timezone

from entregent.accounts import services as account_services
from entregent.accounts.models import PersonalAccessToken
from tests.api.conftest import ApiClient, make_token


def test_token_reads_my_profile(alice_api, alice):
    response = alice_api.get("/me/profile")

    assert response.status_code == 200
    assert response.json()["slug"] == "alice-martin"


def test_logged_out_caller_is_asked_to_authenticate(anonymous_api):
    response = anonymous_api.get("/me/profile")

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "token" in response.json()["detail"]


def test_unknown_token_is_refused(client, db):
    response = ApiClient(client, "ent_not-a-real-token").get("/me/profile")

    assert response.status_code == 401
    assert response.json() == {"detail": "This token is not valid or has been revoked."}


def test_revoked_token_is_refused(client, alice):
    token, secret = account_services.token_create(user=alice, name="laptop", scope="write")
    account_services.token_revoke(token=token)

    response = ApiClient(client, secret).get("/me/profile")

    assert response.status_code == 401


def test_bad_token_is_refused_even_where_anonymous_callers_are_welcome(client, bob):
    """A program must learn its token is dead rather than silently get the public view."""
    response = ApiClient(client, "ent_revoked-or-wrong").get("/members/bob-durand")

    assert response.status_code == 401


def test_token_of_a_deactivated_account_is_refused(client, alice):
    secret = make_token(alice)
    alice.is_active = False
    alice.save()

    assert ApiClient(client, secret).get("/me/profile").status_code == 401


def test_authorization_header_in_another_scheme_is_refused(client, alice):
    client.defaults["HTTP_AUTHORIZATION"] = "Basic YWxpY2U6c2VjcmV0"

    response = client.get("/api/v1/me/profile")

    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]


def test_read_token_may_read(alice_read_api):
    assert alice_read_api.get("/me/profile").status_code == 200


def test_read_token_may_not_write_and_nothing_changes(alice_read_api, alice):
    response = alice_read_api.patch("/me/profile", {"headline": "Changed by a script"})

    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]
    alice.profile.refresh_from_db()
    assert alice.profile.headline == "Product manager"


def test_read_token_may_not_add_a_section_item(alice_read_api, alice):
    response = alice_read_api.post("/me/profile/skills", {"name": "Python"})

    assert response.status_code == 403
    assert not alice.profile.skills.exists()


def test_using_a_token_records_when_it_was_last_used(client, alice):
    token, secret = account_services.token_create(user=alice, name="cron", scope="read")
    before = timezone.now()

    ApiClient(client, secret).get("/me/profile")

    token.refresh_from_db()
    assert token.last_used_at is not None and token.last_used_at >= before


def test_session_reads_without_csrf(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)

    assert client.get("/api/v1/me/profile").status_code == 200


def test_session_write_without_csrf_token_is_refused(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)

    response = client.patch(
        "/api/v1/me/profile", data={"headline": "Forged"}, content_type="application/json"
    )

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    alice.profile.refresh_from_db()
    assert alice.profile.headline == "Product manager"


def test_session_write_with_csrf_token_is_accepted(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    client.get("/settings/tokens/")  # any page with a form sets the csrftoken cookie
    csrf = client.cookies["csrftoken"].value

    response = client.patch(
        "/api/v1/me/profile",
        data={"headline": "Data engineer"},
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )

    assert response.status_code == 200
    alice.profile.refresh_from_db()
    assert alice.profile.headline == "Data engineer"


def test_token_write_needs_no_csrf_token(alice):
    client = Client(enforce_csrf_checks=True)
    response = ApiClient(client, make_token(alice)).patch("/me/profile", {"headline": "Scripted"})

    assert response.status_code == 200


def test_only_the_hash_of_a_token_is_stored(alice):
    token, secret = account_services.token_create(user=alice, name="ci", scope="write")

    stored = PersonalAccessToken.objects.get(pk=token.pk)
    assert secret not in {stored.token_hash, stored.hint, stored.name}
    assert stored.token_hash == PersonalAccessToken.hash(secret)
