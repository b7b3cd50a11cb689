"""Pages of the network: people you may know (the paginated list, each member with why they are suggested)
and dismissing a suggestion. The ranking and its rules live in network/suggestions.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from entregent.network import selectors
from entregent.network import suggestions as service

PAGE_SIZE = 24


def _next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _page(request: HttpRequest, *, status: int = 200) -> HttpResponse:
    ranked = service.suggestions_for(request.user)
    page = Paginator(ranked, PAGE_SIZE).get_page(request.GET.get("page"))
    items = service.suggestion_cards(request.user, list(page.object_list))
    if status == 200:
        service.impressions_record(member=request.user, suggestions=[s for _card, s in items])
    context = {"page": page, "items": items, "dismiss_days": service.DISMISS_FOR.days}
    return render(request, "network/suggestions.html", context, status=status)


@login_required
@require_GET
def suggestions(request: HttpRequest) -> HttpResponse:
    return _page(request)


@login_required
@require_POST
def suggestion_dismiss(request: HttpRequest, slug: str) -> HttpResponse:
    # Always the signed-in member's own dismissal; the target must be someone they may see (404 if
    # hidden, deactivated or blocked either way).
    profile = selectors.member_visible_to(request.user, slug)
    try:
        service.suggestion_dismiss(member=request.user, suggested=profile.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return _page(request, status=403)
    messages.success(
        request,
        ngettext(
            "%(name)s will not be suggested to you for %(days)s day.",
            "%(name)s will not be suggested to you for %(days)s days.",
            service.DISMISS_FOR.days,
        )
        % {"name": profile.display_name, "days": service.DISMISS_FOR.days},
    )
    return redirect(_next(request, reverse("network:suggestions")))
