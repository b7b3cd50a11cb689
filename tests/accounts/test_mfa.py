"""Two-step verification: an authenticator app (TOTP, RFC 6238) with recovery codes. The test
computes real codes with the standard algorithm, as the member's phone would."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time

import pytest
from allauth.mfa.models import Authenticator

from tests.accounts.conftest import login
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def totp(secret: str, at: float | None = None) -> str:
    """The 6-digit code of a base32 secret at a time (RFC 6238 with SHA-1, 30-second steps)."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(
        base64.b32decode(secret, casefold=True), struct.pack(">Q", counter), hashlib.sha1
    ).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def sign_in(client, email: str) -> None:
    """Signs in and confirms the password again, as changing security settings asks."""
    login(client, email)
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})


def activate_totp(client) -> str:
    """Activates the authenticator app for the signed-in member; returns its secret."""
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp(secret)})
    assert response.status_code == 302, response.content
    return secret


def signed_in(client) -> bool:
    return client.get("/").context["user"].is_authenticated


def recovery_codes(client) -> list[str]:
    return client.get("/accounts/2fa/recovery-codes/").context["unused_codes"]


def test_activating_the_authenticator_app_needs_a_valid_code(client, carol):
    sign_in(client, "carol@example.org")
    page = client.get("/accounts/2fa/totp/activate/")
    assert b"data:image/svg+xml" in page.content  # the QR code to scan

    response = client.post("/accounts/2fa/totp/activate/", {"code": "000000"})

    assert response.status_code == 200
    assert b'id="id_code_error"' in response.content
    assert not Authenticator.objects.filter(user=carol).exists()


def test_after_activation_sign_in_asks_for_the_app_code(client, carol):
    sign_in(client, "carol@example.org")
    secret = activate_totp(client)
    assert Authenticator.objects.filter(user=carol, type=Authenticator.Type.TOTP).exists()
    assert len(recovery_codes(client)) == 10
    client.post("/accounts/logout/")

    response = login(client, "carol@example.org")

    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert not signed_in(client)
    wrong = client.post(
        "/accounts/2fa/authenticate/", {"code": "123456" if totp(secret) != "123456" else "654321"}
    )
    assert wrong.status_code == 200
    assert not signed_in(client)
    response = client.post("/accounts/2fa/authenticate/", {"code": totp(secret)})
    assert response.status_code == 302
    assert signed_in(client)


def test_security_settings_ask_for_the_password_first(client, carol):
    login(client, "carol@example.org")

    response = client.get("/accounts/2fa/totp/activate/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")


def test_a_recovery_code_signs_in_once(client, carol):
    sign_in(client, "carol@example.org")
    activate_totp(client)
    code = recovery_codes(client)[0]
    client.post("/accounts/logout/")

    login(client, "carol@example.org")
    client.post("/accounts/2fa/authenticate/", {"code": code})
    assert signed_in(client)
    stored = Authenticator.objects.get(user=carol, type=Authenticator.Type.RECOVERY_CODES).wrap()
    assert code not in stored.get_unused_codes()
    client.post("/accounts/logout/")

    login(client, "carol@example.org")
    response = client.post("/accounts/2fa/authenticate/", {"code": code})

    assert response.status_code == 200
    assert not signed_in(client)


def test_deactivating_the_app_turns_two_step_sign_in_off(client, carol):
    sign_in(client, "carol@example.org")
    activate_totp(client)

    response = client.post("/accounts/2fa/totp/deactivate/")

    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=carol, type=Authenticator.Type.TOTP).exists()
    client.post("/accounts/logout/")
    login(client, "carol@example.org")
    assert signed_in(client)
