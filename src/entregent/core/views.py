"""Site-wide pages: home, health check, member search box, the demo mail outbox, media files."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from entregent.core.mail import outbox_list
from entregent.profiles import selectors as profile_selectors


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "core/landing.html")
    profile = getattr(request.user, "profile", None)
    context = {"profile": profile}
    if profile is not None:
        from entregent.network.suggestions import home_suggestions
        from entregent.profiles.completeness import completeness_for

        context["completeness"] = completeness_for(profile)
        context["suggestions"] = home_suggestions(request.user)
    return render(request, "core/home.html", context)


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    page = Paginator(profile_selectors.member_search(request.user, query), 20).get_page(
        request.GET.get("page")
    )
    from entregent.network.cards import member_cards

    results = member_cards(request.user, page.object_list)
    return render(request, "core/search.html", {"query": query, "results": results, "page": page})


@require_GET
def outbox(request: HttpRequest) -> HttpResponse:
    """The mails this instance sent, for the demo and instances without SMTP (never in production)."""
    if not settings.SHOW_OUTBOX or not (settings.DEMO or request.user.is_staff):
        raise Http404
    return render(request, "core/outbox.html", {"mails": outbox_list()})


@require_GET
@cache_control(max_age=3600)
def media(request: HttpRequest, path: str) -> FileResponse:
    """Serves uploaded images (profile photos, banners). They are re-encoded on upload and named
    unguessably per version; a front proxy may serve MEDIA_ROOT directly instead."""
    if path.startswith("messages/"):  # message attachments: only through messaging:attachment's checks
        raise Http404
    root = Path(settings.MEDIA_ROOT).resolve()
    target = (root / path).resolve()
    if root not in target.parents or not target.is_file():
        raise Http404
    content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    if not content_type.startswith("image/"):
        raise Http404
    return FileResponse(target.open("rb"), content_type=content_type)
