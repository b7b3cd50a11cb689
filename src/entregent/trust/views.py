"""Pages of trust: report a member (/trust/report/<slug>/), and the staff's moderation queue
(/trust/moderation/) with one page per reported member (/trust/moderation/<member id>/) where a moderator
dismisses, warns, restricts, lifts a restriction, suspends or reinstates. Views parse, check access, call
one service and render; the rules live in services.py and selectors.py."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from entregent.core import policy
from entregent.profiles import selectors as profile_selectors
from entregent.trust import selectors, services
from entregent.trust.forms import DecisionForm, ReportForm
from entregent.trust.models import ModerationAction


def _reportable_profile(viewer, slug: str):
    """The profile at `slug` as `viewer` may see it (404 when hidden, deactivated or blocked either way),
    or a redirect target when `slug` is a former address."""
    profile, new_slug = profile_selectors.profile_or_redirect_for(viewer, slug)
    if new_slug:
        return None, new_slug
    if profile is None:
        raise Http404
    policy.require_can_view_profile(policy.relation_of(viewer, profile), profile)
    return profile, None


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, slug: str) -> HttpResponse:
    profile, new_slug = _reportable_profile(request.user, slug)
    if new_slug:
        return redirect("trust:report", slug=new_slug)
    context = {"profile": profile, "form": ReportForm(), "existing": None}
    if profile.user_id == request.user.pk:
        context["refusal"] = _("You cannot report yourself.")
        return render(request, "trust/report.html", context, status=403)
    context["existing"] = selectors.open_report_by(request.user, profile.user)
    if request.method == "GET":
        return render(request, "trust/report.html", context)
    form = ReportForm(request.POST)
    context["form"] = form
    if not form.is_valid():
        return render(request, "trust/report.html", context, status=422)
    try:
        services.report_create(
            reporter=request.user,
            reported=profile.user,
            reason=form.cleaned_data["reason"],
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as error:
        form.add_error(None, error.messages[0])
        return render(request, "trust/report.html", context, status=422)
    except PermissionDenied as error:
        form.add_error(None, str(error))
        return render(request, "trust/report.html", context, status=403)
    messages.success(
        request,
        _("Thank you: your report on %(name)s was sent to the moderators.") % {"name": profile.display_name},
    )
    return redirect("trust:report", slug=profile.slug)


# ------------------------------------------------------------------------------------------ moderation


def staff_required(view):
    """Signed-in staff only; members who are not staff get a 404, whatever the method: they do not learn
    that the page exists."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not (request.user.is_active and request.user.is_staff):
            raise Http404
        return view(request, *args, **kwargs)

    return login_required(wrapper)


@staff_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    context = {
        "page": selectors.open_cases(page_number=request.GET.get("page")),
        "automatic": selectors.automatic_restrictions(),
    }
    return render(request, "trust/queue.html", context)


def _actions_for(detail: selectors.CaseDetail) -> list[str]:
    member = detail.member
    actions = []
    if detail.open_reports:
        actions.append("dismiss")
    if member.is_active:
        actions.append("warn")
        if not member.is_staff:
            actions.append("restrict")
    if detail.restriction is not None:
        actions.append("lift")
    if member.is_active and not member.is_staff:
        actions.append("suspend")
    last = next(
        (
            a
            for a in detail.history
            if a.kind in (ModerationAction.Kind.SUSPEND, ModerationAction.Kind.REINSTATE)
        ),
        None,
    )
    if not member.is_active and last is not None and last.kind == ModerationAction.Kind.SUSPEND:
        actions.append("reinstate")
    return actions


DONE = {
    "dismiss": gettext_lazy("The reports were dismissed."),
    "warn": gettext_lazy("The warning was sent."),
    "restrict": gettext_lazy("The member is restricted."),
    "lift": gettext_lazy("The restriction was lifted."),
    "suspend": gettext_lazy("The account is suspended."),
    "reinstate": gettext_lazy("The account is active again."),
}


@staff_required
@require_http_methods(["GET", "POST"])
def case(request: HttpRequest, member_id: int) -> HttpResponse:
    detail = selectors.case_detail(member_id)
    if detail is None:
        raise Http404
    actions = _actions_for(detail)
    form = DecisionForm(request.POST or None, actions=actions)
    context = {"case": detail, "form": form, "admin_url": _admin_url(detail.member)}
    if request.method == "GET":
        return render(request, "trust/case.html", context)
    if not form.is_valid():
        return render(request, "trust/case.html", context, status=422)
    action = form.cleaned_data["action"]
    try:
        services.moderation_decide(
            moderator=request.user,
            member=detail.member,
            action=action,
            reason=form.cleaned_data["reason"],
            days=form.cleaned_data.get("days"),
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error.messages[0])
        return render(request, "trust/case.html", context, status=422)
    except PermissionDenied as error:
        form.add_error(None, str(error))
        return render(request, "trust/case.html", context, status=403)
    messages.success(request, str(DONE[action]))
    return redirect("trust:case", member_id=detail.member.pk)


def _admin_url(member) -> str:
    return reverse(f"admin:{member._meta.app_label}_{member._meta.model_name}_change", args=[member.pk])
