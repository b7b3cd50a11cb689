"""Settings pages of the account: the hub, and personal access tokens for the API."""

from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from entregent.accounts import selectors, services
from entregent.accounts.forms import AccessTokenForm


@login_required
def settings_home(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/settings.html")


@never_cache  # the page may show a new token's secret: no cache may keep it
@login_required
@reauthentication_required(allow_get=True)  # minting a credential asks for the password again
def tokens(request: HttpRequest) -> HttpResponse:
    form = AccessTokenForm(request.POST if request.method == "POST" else None)
    new_secret = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                _token, new_secret = services.token_create(
                    user=request.user, name=form.cleaned_data["name"], scope=form.cleaned_data["scope"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                form = AccessTokenForm()
        if new_secret is None:
            status = 422
    context = {
        "form": form,
        "tokens": selectors.tokens_of(request.user)[: selectors.TOKENS_LISTED],
        "new_secret": new_secret,
    }
    return render(request, "accounts/tokens.html", context, status=status)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    # Scoped to the member's own tokens: someone else's token is a 404 (no IDOR).
    token = get_object_or_404(selectors.tokens_of(request.user), pk=pk)
    services.token_revoke(token=token)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("accounts:tokens")
