"""Writes on accounts: personal access tokens for the API."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from entregent.accounts.models import PersonalAccessToken, User

MAX_ACTIVE_TOKENS = 20


@transaction.atomic
def token_create(*, user: User, name: str, scope: str) -> tuple[PersonalAccessToken, str]:
    """Create a token; returns it with its secret, which is shown once and never stored (only its
    SHA-256 is). A member holds at most MAX_ACTIVE_TOKENS active tokens."""
    # Lock the member's row so that two requests at once cannot both pass the limit.
    User.objects.select_for_update().filter(pk=user.pk).first()
    if PersonalAccessToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            _("You already have %(n)d active tokens. Revoke one you no longer use first.")
            % {"n": MAX_ACTIVE_TOKENS},
            code="too_many",
        )
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
