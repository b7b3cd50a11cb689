"""Profile pages: thin views that parse, ask the policy (through selectors), call one service.

The edit hub (`/in/me/edit/`) shows one card per part of the profile; each card's form posts to its
own URL (`/in/me/edit/<card>/`), which on error re-shows that form alone with HTTP 422 and on success
returns to the hub at the card's anchor (or to a safe `next`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from entregent.core import policy
from entregent.profiles import forms as f
from entregent.profiles import selectors, services, views_viewers
from entregent.profiles.models import Profile
from entregent.profiles.sections import SECTIONS, SectionSpec


@require_GET
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    profile, new_slug = selectors.profile_or_redirect_for(request.user, slug)
    if new_slug:
        query = request.META.get("QUERY_STRING")
        return redirect(f"/in/{new_slug}/" + (f"?{query}" if query else ""), permanent=True)
    if profile is None:
        raise Http404
    preview = request.GET.get("view")
    as_relation = policy.PREVIEW_CHOICES.get(preview or "")
    if (
        as_relation is not None
        and policy.can_edit_profile(request.user, profile)
        and not policy.can_view_profile(as_relation, profile)
    ):
        # The owner previewing as someone who may not see the profile at all: say so, not 404.
        return render(request, "profiles/preview_hidden.html", {"profile": profile, "preview": preview})
    view = selectors.profile_view_for(request.user, profile, preview=preview)
    if slug != profile.slug:  # /in/Alice-Martin/ → the one canonical address
        query = request.META.get("QUERY_STRING")
        return redirect(profile.get_absolute_url() + (f"?{query}" if query else ""), permanent=True)
    services.profile_visit_record(viewer=request.user, viewed=profile)
    context = {"view": view, "profile": profile}
    if request.user.is_authenticated and not view.is_owner:
        from entregent.network.cards import member_card

        context["card"] = card = member_card(request.user, profile)
        context["connections_scope"] = policy.connection_list_scope(view.relation, profile)
        if card.degree == 2:  # a request already open: the More menu points to it instead
            from entregent.network.introductions import open_introduction_to

            context["open_introduction"] = open_introduction_to(request.user, profile.user)
    if view.is_owner and not view.preview:
        from entregent.profiles.completeness import completeness_for

        context["completeness"] = completeness_for(profile)
    return render(request, "profiles/detail.html", context)


@login_required
@require_GET
def me(request: HttpRequest) -> HttpResponse:
    return redirect(selectors.profile_of(request.user))


# --- The edit hub and its cards ------------------------------------------------------------------


@dataclass(frozen=True)
class EditCard:
    """One card of the edit hub: its anchor (also its URL part), form and the service it calls."""

    name: str
    title: Promise
    form: type[forms.BaseForm]
    save: Callable[[Profile, forms.BaseForm], object]
    saved: Promise  # the flash message after a successful save
    multipart: bool = False


def _update_fields(profile: Profile, form: forms.BaseForm) -> object:
    return services.profile_update(profile=profile, **form.cleaned_data)


def _update_visibility(profile: Profile, form: forms.BaseForm) -> object:
    return services.profile_update(
        profile=profile,
        public_profile=form.cleaned_data["public_profile"],
        public_sections=form.public_sections(),  # type: ignore[attr-defined]
    )


def _change_slug(profile: Profile, form: forms.BaseForm) -> object:
    return services.profile_change_slug(profile=profile, slug=form.cleaned_data["slug"])


def _set_photo(profile: Profile, form: forms.BaseForm) -> object:
    return services.profile_set_photo(profile=profile, upload=form.cleaned_data["image"])


def _set_banner(profile: Profile, form: forms.BaseForm) -> object:
    return services.profile_set_banner(profile=profile, upload=form.cleaned_data["image"])


EDIT_CARDS: dict[str, EditCard] = {
    card.name: card
    for card in [
        EditCard(
            "intro",
            gettext_lazy("Intro"),
            f.IdentityForm,
            _update_fields,
            gettext_lazy("Your intro was saved."),
        ),
        EditCard(
            "about",
            gettext_lazy("About"),
            f.AboutForm,
            _update_fields,
            gettext_lazy("Your About section was saved."),
        ),
        EditCard(
            "photo",
            gettext_lazy("Profile photo"),
            f.ImageForm,
            _set_photo,
            gettext_lazy("Your photo was updated."),
            multipart=True,
        ),
        EditCard(
            "banner",
            gettext_lazy("Background image"),
            f.ImageForm,
            _set_banner,
            gettext_lazy("Your background image was updated."),
            multipart=True,
        ),
        EditCard(
            "open-to",
            gettext_lazy("Open to"),
            f.OpenToForm,
            _update_fields,
            gettext_lazy("Your “Open to” settings were saved."),
        ),
        EditCard(
            "target",
            gettext_lazy("Your target"),
            f.TargetForm,
            _update_fields,
            gettext_lazy("Your target was saved: the profile coach now measures your profile against it."),
        ),
        EditCard(
            "public-url",
            gettext_lazy("Public profile URL"),
            f.SlugForm,
            _change_slug,
            gettext_lazy("Your public URL was saved."),
        ),
        EditCard(
            "visibility",
            gettext_lazy("Public visibility"),
            f.VisibilityForm,
            _update_visibility,
            gettext_lazy("Your visibility settings were saved."),
        ),
        EditCard(
            "profile-viewing",
            gettext_lazy("How you appear when you view profiles"),
            views_viewers.ViewerModeForm,
            views_viewers.save_viewer_mode,
            gettext_lazy("Saved: this is how you will appear on the profiles you view from now on."),
        ),
    ]
}


def _card_form(card: EditCard, profile: Profile, data=None, files=None) -> forms.BaseForm:
    # Each card's ids are prefixed with its name, so two image forms can share the hub page.
    kwargs = {"auto_id": f"{card.name}-%s"}
    if issubclass(card.form, forms.ModelForm):
        return card.form(data, instance=profile, **kwargs)
    if card.form is f.SlugForm:
        return card.form(data, initial={"slug": profile.slug}, **kwargs)
    if card.form is f.VisibilityForm:
        return card.form(data, initial=f.VisibilityForm.initial_for(profile), **kwargs)
    return card.form(data, files, **kwargs)


def _card_context(request: HttpRequest, profile: Profile) -> dict:
    return {
        "profile": profile,
        "slug_status": selectors.slug_status(profile),
        "public_url": request.build_absolute_uri(profile.get_absolute_url()),
        "next": _safe_next(request),
    }


@login_required
@require_GET
def edit(request: HttpRequest) -> HttpResponse:
    profile = selectors.profile_of(request.user)
    cards = [(card, _card_form(card, profile)) for card in EDIT_CARDS.values()]
    counts = selectors.section_counts(profile)
    sections = [(spec, counts[name]) for name, spec in SECTIONS.items()]
    context = {**_card_context(request, profile), "cards": cards, "sections": sections}
    return render(request, "profiles/edit.html", context)


@login_required
def edit_card(request: HttpRequest, card: str) -> HttpResponse:
    """Show one card's form alone (GET), or save it (POST)."""
    spec = EDIT_CARDS.get(card)
    if spec is None:
        raise Http404
    profile = selectors.profile_of(request.user)
    status = 200
    if request.method == "POST":
        form = _card_form(spec, profile, request.POST, request.FILES)
        if form.is_valid():
            try:
                spec.save(profile, form)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, str(spec.saved))
                return redirect(_safe_next(request) or reverse("profiles:edit") + f"#{spec.name}")
        status = 422
    else:
        form = _card_form(spec, profile)
    context = {**_card_context(request, profile), "card": spec, "form": form}
    return render(request, "profiles/edit_card.html", context, status=status)


@login_required
@require_POST
def remove_image(request: HttpRequest, card: str) -> HttpResponse:
    profile = selectors.profile_of(request.user)
    if card == "photo":
        services.profile_remove_photo(profile=profile)
        messages.success(request, _("Your photo was removed."))
    elif card == "banner":
        services.profile_remove_banner(profile=profile)
        messages.success(request, _("Your background image was removed."))
    else:
        raise Http404
    return redirect(_safe_next(request) or reverse("profiles:edit") + f"#{card}")


# --- Section items (experience, education, skills…) ----------------------------------------------


def _spec(section: str) -> SectionSpec:
    spec = SECTIONS.get(section)
    if spec is None:
        raise Http404
    return spec


def _own_item(profile: Profile, spec: SectionSpec, pk: int):
    # Scoped to the viewer's own profile: another member's item is a 404, never an edit (no IDOR).
    return get_object_or_404(spec.model, pk=pk, profile=profile)


@login_required
def section_form(request: HttpRequest, section: str, pk: int | None = None) -> HttpResponse:
    """Add (pk is None) or edit one item of a section."""
    spec = _spec(section)
    profile = selectors.profile_of(request.user)
    item = _own_item(profile, spec, pk) if pk is not None else spec.model(profile=profile)
    status = 200
    if request.method == "POST":
        form = spec.form(request.POST, instance=item)
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in form.Meta.fields}
            try:
                services.section_item_save(profile=profile, item=item, data=data)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("Your profile was saved."))
                return redirect(_next_url(request, profile, section))
        status = 422
    else:
        form = spec.form(instance=item)
    context = {
        "form": form,
        "spec": spec,
        "item": item,
        "profile": profile,
        "is_new": pk is None,
        "next": _safe_next(request),
        "skill_usage": selectors.skill_usage(profile) if spec.name == "skills" else None,
    }
    return render(request, "profiles/section_form.html", context, status=status)


@login_required
def section_delete(request: HttpRequest, section: str, pk: int) -> HttpResponse:
    spec = _spec(section)
    profile = selectors.profile_of(request.user)
    item = _own_item(profile, spec, pk)
    if request.method == "POST":
        services.section_item_delete(profile=profile, item=item)
        messages.success(request, _("Deleted."))
        return redirect(_next_url(request, profile, section))
    context = {"spec": spec, "item": item, "profile": profile, "next": _safe_next(request)}
    return render(request, "profiles/section_delete.html", context)


@login_required
@require_POST
def section_move(request: HttpRequest, section: str, pk: int) -> HttpResponse:
    spec = _spec(section)
    profile = selectors.profile_of(request.user)
    item = _own_item(profile, spec, pk)
    direction = -1 if request.POST.get("direction") == "up" else 1
    services.section_item_move(profile=profile, item=item, direction=direction)
    return redirect(_next_url(request, profile, section))


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _next_url(request: HttpRequest, profile: Profile, section: str) -> str:
    # Contact details live in the top card of the profile, which has no anchor of its own.
    anchor = "" if section == "contacts" else f"#{section}"
    return _safe_next(request) or profile.get_absolute_url() + anchor


def _apply_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when it names one (or when the
    form has just one field), otherwise at the top of the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return
    visible = [field.name for field in form.visible_fields()]
    form.add_error(visible[0] if len(visible) == 1 else None, error)
