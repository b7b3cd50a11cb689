"""Settings pages of the account: the hub, and personal access tokens for the API."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from entregent.accounts import selectors, services
from entregent.accounts.forms import AccessTokenForm


@login_required
def settings_home(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/settings.html")


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    form = AccessTokenForm(request.POST or None)
    new_secret = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            _token, new_secret = services.token_create(
                user=request.user, name=form.cleaned_data["name"], scope=form.cleaned_data["scope"]
            )
            form = AccessTokenForm()
        else:
            status = 422
    context = {"form": form, "tokens": selectors.tokens_of(request.user), "new_secret": new_secret}
    return render(request, "accounts/tokens.html", context, status=status)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(selectors.tokens_of(request.user), pk=pk)
    services.token_revoke(token=token)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("accounts:tokens")
