from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from entregent.accounts.models import PersonalAccessToken, User

# The tokens page lists this many, newest first (active ones are capped by the service; revoked
# ones pile up over the years).
TOKENS_LISTED = 50


def tokens_of(user: User) -> QuerySet[PersonalAccessToken]:
    """A member's tokens, newest first, active or revoked."""
    return PersonalAccessToken.objects.filter(user=user).order_by("-created_at", "-pk")


def user_for_token(secret: str) -> tuple[User, PersonalAccessToken] | None:
    """The active member a token belongs to, or None; records when it was last used."""
    if not secret.startswith(PersonalAccessToken.PREFIX):
        return None
    token = (
        PersonalAccessToken.objects.select_related("user")
        .filter(token_hash=PersonalAccessToken.hash(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        PersonalAccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user, token
