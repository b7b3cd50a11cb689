"""Who is calling the API: a personal access token (`Authorization: Bearer ent_…`) for programs,
or the site's session cookie (with Django's CSRF check on writes) for the site's own pages.

A token that is wrong, revoked or belongs to a deactivated account is refused with 401 even on
endpoints open to anonymous visitors: a program should learn its token is dead, not silently get the
public view. A read-only token may only read; any write with it is refused with 403.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, AuthorizationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from entregent.accounts import selectors as account_selectors
from entregent.accounts.models import PersonalAccessToken

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TokenAuth(HttpBearer):
    """Personal access tokens, created and revoked in Settings → API access tokens."""

    openapi_description = "A personal access token: `Authorization: Bearer ent_…`."

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization")
        if not header:
            return None  # let the next method (the session) try
        scheme, _sep, secret = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise AuthenticationError(
                message=_("Send the token as “Authorization: Bearer <token>”."),
            )
        return self.authenticate(request, secret.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = account_selectors.user_for_token(token)
        if found is None:
            raise AuthenticationError(message=_("This token is not valid or has been revoked."))
        user, access_token = found
        if request.method not in SAFE_METHODS and access_token.scope != PersonalAccessToken.Scope.WRITE:
            raise AuthorizationError(
                message=_(
                    "This token is read-only: it can read but not change anything. "
                    "Create a “Read and write” token to make changes."
                )
            )
        request.user = user
        request.access_token = access_token  # type: ignore[attr-defined]
        return user


class SessionAuth(APIKeyCookie):
    """The site's own session: the same login as the HTML pages, with CSRF checked on writes."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise HttpError(
                403,
                _("CSRF check failed: send the X-CSRFToken header with the value of the csrftoken cookie."),
            )
        return user

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:  # pragma: no cover - unused
        return None


def anonymous(request: HttpRequest) -> AnonymousUser:
    """Last resort on endpoints open to everyone: a logged-out visitor."""
    return AnonymousUser()


token_auth = TokenAuth()
session_auth = SessionAuth()

REQUIRED = [token_auth, session_auth]
OPTIONAL = [token_auth, session_auth, anonymous]
# In the OpenAPI document, an empty requirement marks authentication as optional.
OPTIONAL_OPENAPI = {"security": [{}]}


def viewer_of(request: HttpRequest):
    """The member calling, or None for a logged-out visitor."""
    user = getattr(request, "auth", None)
    return user if user is not None and user.is_authenticated else None
