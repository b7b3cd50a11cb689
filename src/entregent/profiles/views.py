"""Profile pages: thin views that parse, ask the policy (through selectors), call one service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from entregent.profiles import selectors, services
from entregent.profiles.sections import SECTIONS, SectionSpec


@require_GET
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    profile, new_slug = selectors.profile_for_slug(slug)
    if new_slug:
        query = request.META.get("QUERY_STRING")
        return redirect(f"/in/{new_slug}/" + (f"?{query}" if query else ""), permanent=True)
    if profile is None:
        raise Http404
    view = selectors.profile_view_for(request.user, profile, preview=request.GET.get("view"))
    context = {"view": view, "profile": profile}
    if view.is_owner and not view.preview:
        from entregent.profiles.completeness import completeness_for

        context["completeness"] = completeness_for(profile)
    return render(request, "profiles/detail.html", context)


@login_required
@require_GET
def edit(request: HttpRequest) -> HttpResponse:
    return render(request, "profiles/edit.html", {"profile": request.user.profile})


def _spec(section: str) -> SectionSpec:
    spec = SECTIONS.get(section)
    if spec is None:
        raise Http404
    return spec


def _own_item(request: HttpRequest, spec: SectionSpec, pk: int):
    # Scoped to the viewer's own profile: another member's item is a 404, never an edit (no IDOR).
    return get_object_or_404(spec.model, pk=pk, profile=request.user.profile)


@login_required
def section_form(request: HttpRequest, section: str, pk: int | None = None) -> HttpResponse:
    """Add (pk is None) or edit one item of a section."""
    spec = _spec(section)
    profile = request.user.profile
    item = _own_item(request, spec, pk) if pk is not None else spec.model(profile=profile)
    form = spec.form(request.POST or None, instance=item)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in form.Meta.fields}
            try:
                services.section_item_save(profile=profile, item=item, data=data)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("Your profile was saved."))
                return redirect(_next_url(request, profile))
        status = 422
    context = {"form": form, "spec": spec, "item": item, "profile": profile, "is_new": pk is None}
    return render(request, "profiles/section_form.html", context, status=status)


@login_required
def section_delete(request: HttpRequest, section: str, pk: int) -> HttpResponse:
    spec = _spec(section)
    item = _own_item(request, spec, pk)
    if request.method == "POST":
        services.section_item_delete(profile=request.user.profile, item=item)
        messages.success(request, _("Deleted."))
        return redirect(_next_url(request, request.user.profile))
    return render(request, "profiles/section_delete.html", {"spec": spec, "item": item})


@login_required
@require_POST
def section_move(request: HttpRequest, section: str, pk: int) -> HttpResponse:
    spec = _spec(section)
    item = _own_item(request, spec, pk)
    direction = -1 if request.POST.get("direction") == "up" else 1
    services.section_item_move(profile=request.user.profile, item=item, direction=direction)
    return redirect(_next_url(request, request.user.profile) + f"#{section}")


def _next_url(request: HttpRequest, profile) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return profile.get_absolute_url()


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
