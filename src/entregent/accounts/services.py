"""Writes on accounts: personal access tokens for the API."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from entregent.accounts.models import PersonalAccessToken, User


@transaction.atomic
def token_create(*, user: User, name: str, scope: str) -> tuple[PersonalAccessToken, str]:
    """Create a token; returns it with its secret, which is shown once and never stored."""
    secret = PersonalAccessToken.new_secret()
    token = PersonalAccessToken(
        user=user,
        name=name.strip(),
        scope=scope,
        token_hash=PersonalAccessToken.hash(secret),
        hint=secret[:10],
    )
    token.full_clean()
    token.save()
    return token, secret


@transaction.atomic
def token_revoke(*, token: PersonalAccessToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
