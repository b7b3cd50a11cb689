"""Pages of the network: introductions. The Introductions section has one tab per role (requested by me,
to relay, received); one page per introduction shows the three members, the texts the viewer may read,
the status and the viewer's answers; the request form lists the mutual connections who could introduce
the member. Views parse, check access, call one service and render; the rules live in
network/introductions.py."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from entregent import plans
from entregent.core import policy
from entregent.network import cards
from entregent.network import introductions as intro
from entregent.network.models import Introduction
from entregent.profiles import selectors as profile_selectors

PAGE_SIZE = 20
TABS = {"requested": intro.REQUESTER, "relay": intro.INTERMEDIARY, "received": intro.TARGET}
TAB_OF_ROLE = {role: tab for tab, role in TABS.items()}
TEXT_LIMIT = Introduction._meta.get_field("why").max_length
REASON_LIMIT = Introduction._meta.get_field("decline_reason").max_length


def _textarea(rows: int = 4, limit: int = TEXT_LIMIT) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "maxlength": limit, "data-counter": ""})


# ---------------------------------------------------------------------------------------------- forms


class IntroductionAskForm(forms.Form):
    intermediary = forms.TypedChoiceField(
        label=gettext_lazy("Who could introduce you?"), coerce=int, widget=forms.RadioSelect
    )
    why = forms.CharField(
        label=gettext_lazy("Why you ask (only the intermediary reads this)"),
        max_length=TEXT_LIMIT,
        widget=_textarea(),
    )
    message = forms.CharField(max_length=TEXT_LIMIT, widget=_textarea())

    def __init__(self, *args, intermediaries, target_name: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["intermediary"]
        field.choices = [
            (p.user_id, f"{p.display_name} — {p.headline}" if p.headline else p.display_name)
            for p in intermediaries
        ]
        field.error_messages["invalid_choice"] = _(
            "Choose one of your mutual connections: only a member connected to both of you can introduce you."
        )
        self.fields["message"].label = _("Your message to %(name)s (the intermediary passes it on)") % {
            "name": target_name
        }


class ForwardForm(forms.Form):
    intermediary_word = forms.CharField(
        label=gettext_lazy("Your word to introduce them (optional)"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=_textarea(3),
    )


class DeclineForm(forms.Form):
    decline_reason = forms.CharField(
        label=gettext_lazy("Reason (optional, shown to the member who asked)"),
        max_length=REASON_LIMIT,
        required=False,
        widget=_textarea(2, REASON_LIMIT),
    )


def _form_error(form: forms.Form, error: ValidationError) -> None:
    """A service's ValidationError onto the form: on the field it names when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# -------------------------------------------------------------------------------------------- the list


def _rows(viewer, introductions: list[Introduction], role: str) -> list[dict]:
    """Each introduction with the cards of its three members (computed once per member) and the
    viewer's possible answers."""
    by_member = {
        card.profile.user_id: card for card in cards.member_cards(viewer, intro.profiles_of(introductions))
    }
    return [
        {
            "introduction": i,
            "role": role,
            "requester": by_member[i.requester_id],
            "intermediary": by_member[i.intermediary_id],
            "target": by_member[i.target_id],
            "actions": intro.actions_for(i, role),
            "status_text": intro.status_text(i, role),
            "tone": intro.status_tone(i),
            "texts": intro.visible_texts(i, role),
        }
        for i in introductions
    ]


@login_required
@require_GET
def introductions(request: HttpRequest) -> HttpResponse:
    waiting = intro.introductions_waiting(request.user)
    tab = request.GET.get("tab", "")
    if tab not in TABS:
        # What waits for the member first: something to relay, then to answer, then their own requests.
        tab = next((TAB_OF_ROLE[r] for r in (intro.INTERMEDIARY, intro.TARGET) if waiting[r]), "requested")
    role = TABS[tab]
    page = Paginator(intro.introductions_for(request.user, role), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "tab": tab,
        "role": role,
        "tabs": [
            {"key": key, "label": intro.ROLE_LABELS[r], "waiting": waiting[r]} for key, r in TABS.items()
        ],
        "page": page,
        "rows": _rows(request.user, list(page.object_list), role),
        "query_string": f"tab={tab}",
        "limit": plans.limit(request.user, intro.QUOTA),
        "open_requests": waiting[intro.REQUESTER],
    }
    return render(request, "network/introductions.html", context)


# ------------------------------------------------------------------------------------------ the request


def _target_for(request: HttpRequest, slug: str):
    """C's profile as the member may see it: 404 when hidden, blocked either way or deactivated."""
    profile, new_slug = profile_selectors.profile_or_redirect_for(request.user, slug)
    if new_slug:
        return None, redirect("network:introduction_new", slug=new_slug)
    if profile is None:
        raise Http404
    policy.require_can_view_profile(policy.relation_of(request.user, profile), profile)
    return profile, None


def _ask_context(
    request: HttpRequest, target, form, intermediaries, problem: str = "", existing=None
) -> dict:
    return {
        "target": target,
        "target_card": cards.member_card(request.user, target),
        "form": form,
        "intermediaries": intermediaries,
        "problem": problem,
        "existing": existing,
        "limit": plans.limit(request.user, intro.QUOTA),
        "open_requests": intro.introductions_waiting(request.user)[intro.REQUESTER],
    }


@login_required
@require_http_methods(["GET", "POST"])
def introduction_new(request: HttpRequest, slug: str) -> HttpResponse:
    target, moved = _target_for(request, slug)
    if moved is not None:
        return moved
    member = request.user
    intermediaries = list(intro.intermediaries_for(member, target.user))
    existing = intro.open_introduction_to(member, target.user) if target.user_id != member.pk else None
    problem = ""
    if target.user_id == member.pk:
        problem = _("You cannot ask for an introduction to yourself.")
    elif policy.are_connected(member.pk, target.user_id):
        problem = _("You are already connected to %(name)s: write to them directly.") % {
            "name": target.display_name
        }
    elif existing is not None:
        problem = _("You already asked for an introduction to %(name)s.") % {"name": target.display_name}
    elif not intermediaries:
        problem = _(
            "None of your connections is connected to %(name)s, so nobody can introduce you. You can "
            "invite them to connect instead."
        ) % {"name": target.display_name}
    if problem:
        context = _ask_context(request, target, None, intermediaries, problem, existing)
        return render(request, "network/introduction_new.html", context, status=403)

    initial = {"intermediary": intermediaries[0].user_id} if len(intermediaries) == 1 else {}
    form = IntroductionAskForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        intermediaries=intermediaries,
        target_name=target.display_name,
    )
    if request.method == "GET":
        return render(
            request, "network/introduction_new.html", _ask_context(request, target, form, intermediaries)
        )
    status = 422
    if form.is_valid():
        chosen = next(p for p in intermediaries if p.user_id == form.cleaned_data["intermediary"])
        try:
            introduction = intro.introduction_ask(
                requester=member,
                intermediary=chosen.user,
                target=target.user,
                why=form.cleaned_data["why"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            _form_error(form, error)
        except (PermissionDenied, plans.QuotaExceeded) as error:
            form.add_error(None, str(error))
            for hint in getattr(error, "unlock", []):
                form.add_error(None, hint)
            status = 403
        else:
            messages.success(
                request,
                _("Your request was sent to %(intermediary)s, who can introduce you to %(target)s.")
                % {"intermediary": chosen.display_name, "target": target.display_name},
            )
            return redirect("network:introduction_detail", pk=introduction.pk)
    context = _ask_context(request, target, form, intermediaries)
    return render(request, "network/introduction_new.html", context, status=status)


# ------------------------------------------------------------------------------------ one introduction


_MUTABLE = ["status", "intermediary_word", "decline_reason", "forwarded_at", "responded_at"]


def _render_detail(
    request: HttpRequest,
    introduction: Introduction,
    role: str,
    *,
    forward_form: ForwardForm | None = None,
    decline_form: DeclineForm | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    if status >= 400:  # a refusal may come from a change made meanwhile: show the introduction as it is now
        introduction.refresh_from_db(fields=_MUTABLE)
    row = _rows(request.user, [introduction], role)[0]
    context = {
        **row,
        "row": row,
        "errors": errors or [],
        "tab": TAB_OF_ROLE[role],
        "forward_form": forward_form or ForwardForm(),
        "decline_form": decline_form or DeclineForm(),
    }
    return render(request, "network/introduction_detail.html", context, status=status)


@login_required
@require_GET
def introduction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    introduction, role = intro.introduction_for(request.user, pk)
    return _render_detail(request, introduction, role)


def _refused(error: Exception) -> int:
    return 422 if isinstance(error, ValidationError) else 403


def _refusal(form: forms.Form, error: Exception) -> tuple[list[str], int]:
    """A service's refusal of an answer: an error naming one of the form's fields goes next to it, the
    rest above the answers (the form may no longer be shown: the introduction was closed meanwhile)."""
    if isinstance(error, PermissionDenied):
        return [str(error)], 403
    assert isinstance(error, ValidationError)
    if not hasattr(error, "error_dict"):
        return list(error.messages), 422
    top: list[str] = []
    for field, errors in error.error_dict.items():
        if field in form.fields:
            form.add_error(field, errors)
        else:
            top.extend(message for e in errors for message in e.messages)
    return top, 422


@login_required
@require_POST
def introduction_forward(request: HttpRequest, pk: int) -> HttpResponse:
    introduction, role = intro.introduction_for(request.user, pk)
    if role != intro.INTERMEDIARY:
        raise Http404
    form = ForwardForm(request.POST)
    if form.is_valid():
        try:
            intro.introduction_forward(
                introduction=introduction, member=request.user, word=form.cleaned_data["intermediary_word"]
            )
        except (ValidationError, PermissionDenied) as error:
            errors, status = _refusal(form, error)
            return _render_detail(
                request, introduction, role, forward_form=form, errors=errors, status=status
            )
        messages.success(
            request,
            _("You introduced %(requester)s to %(target)s.")
            % {
                "requester": introduction.requester.profile.display_name,
                "target": introduction.target.profile.display_name,
            },
        )
        return redirect(f"{reverse('network:introductions')}?tab=relay")
    return _render_detail(request, introduction, role, forward_form=form, status=422)


@login_required
@require_POST
def introduction_decline(request: HttpRequest, pk: int) -> HttpResponse:
    introduction, role = intro.introduction_for(request.user, pk)
    if role not in (intro.INTERMEDIARY, intro.TARGET):
        raise Http404
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            intro.introduction_decline(
                introduction=introduction, member=request.user, reason=form.cleaned_data["decline_reason"]
            )
        except (ValidationError, PermissionDenied) as error:
            errors, status = _refusal(form, error)
            return _render_detail(
                request, introduction, role, decline_form=form, errors=errors, status=status
            )
        messages.success(
            request, _("Declined. %(name)s is told.") % {"name": introduction.requester.profile.display_name}
        )
        return redirect(f"{reverse('network:introductions')}?tab={TAB_OF_ROLE[role]}")
    return _render_detail(request, introduction, role, decline_form=form, status=422)


@login_required
@require_POST
def introduction_accept(request: HttpRequest, pk: int) -> HttpResponse:
    introduction, role = intro.introduction_for(request.user, pk)
    if role != intro.TARGET:
        raise Http404
    try:
        intro.introduction_accept(introduction=introduction, member=request.user)
    except (ValidationError, PermissionDenied) as error:
        errors = error.messages if isinstance(error, ValidationError) else [str(error)]
        return _render_detail(request, introduction, role, errors=errors, status=_refused(error))
    messages.success(
        request,
        _("You are now connected with %(name)s.") % {"name": introduction.requester.profile.display_name},
    )
    return redirect(introduction.requester.profile)


@login_required
@require_http_methods(["GET", "POST"])
def introduction_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    introduction, role = intro.introduction_for(request.user, pk)
    if role != intro.REQUESTER:
        raise Http404
    error_text, status = "", 200
    if request.method == "POST":
        try:
            intro.introduction_withdraw(introduction=introduction, member=request.user)
        except (ValidationError, PermissionDenied) as error:
            error_text = error.messages[0] if isinstance(error, ValidationError) else str(error)
            status = _refused(error)
            introduction.refresh_from_db(fields=["status"])
        else:
            messages.success(request, _("Your request for an introduction was withdrawn."))
            return redirect(f"{reverse('network:introductions')}?tab=requested")
    elif introduction.status not in intro.OPEN_STATUSES:
        error_text = _("This introduction is no longer waiting for an answer.")
    context = {
        "introduction": introduction,
        "error": error_text,
        "can_withdraw": introduction.status in intro.OPEN_STATUSES,
    }
    return render(request, "network/introduction_withdraw.html", context, status=status)
