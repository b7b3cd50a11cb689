"""The interactive API documentation at /api/v1/docs, served from django-ninja's own copy of
Swagger UI (its static files), never from a CDN: the site loads no third-party script.

django-ninja falls back to a CDN page when "ninja" is not in INSTALLED_APPS; we answer 404 instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from ninja.openapi.docs import Swagger

if TYPE_CHECKING:
    from ninja import NinjaAPI


class LocalSwagger(Swagger):
    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        if "ninja" not in settings.INSTALLED_APPS:
            raise Http404("The API docs page needs 'ninja' in INSTALLED_APPS (for its local assets).")
        return super().render_page(request, api, **kwargs)
