"""Billing pages of the signed-in member: choose a plan at the price of their country, subscribe, change
plan, cancel, and their receipts. Thin: forms parse, `subscriptions` decides, and every subscription or
receipt is looked up among the member's own (another member's is a 404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from entregent.plans import billing_selectors as selectors
from entregent.plans import engine
from entregent.plans import subscriptions as subs
from entregent.plans.billing_forms import ChangePlanForm, PlanChoiceForm
from entregent.plans.models import Plan

RECEIPTS_PER_PAGE = 20


def _price_table(member) -> tuple[list[dict], str | None]:
    """Offered plans with their monthly and yearly quotes for the member's country, or the reason there are
    none."""
    country = engine.Standing(member).country
    try:
        quotes = engine.prices_in(country)
    except engine.NoZone as error:
        return [], str(error)
    plans = {p.code: p for p in Plan.objects.filter(is_public=True, is_default=False)}
    rows: dict[str, dict] = {}
    for quote in quotes:
        if quote.plan in plans:
            rows.setdefault(quote.plan, {"plan": plans[quote.plan]})[quote.period] = quote
    table = [row for row in rows.values() if "month" in row and "year" in row]
    table.sort(key=lambda row: (row["plan"].position, row["plan"].code))
    return table, None


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    member = request.user
    table, zone_error = _price_table(member)
    context = {
        "current": selectors.subscription_in_effect_for(member),
        "pending": selectors.subscription_pending_for(member),
        "table": table,
        "zone_error": zone_error,
        "standing_plan": engine.Standing(member).plan,
        "receipts": selectors.receipts_of(member)[:5],
    }
    return render(request, "plans/billing/home.html", context)


def _confirm_context(request: HttpRequest, form) -> dict:
    """The quote of a valid choice, for the confirmation page (None when the choice is not valid)."""
    context = {"form": form, "quote": None, "current": selectors.subscription_in_effect_for(request.user)}
    if form.is_bound and form.is_valid():
        plan = Plan.objects.get(code=form.cleaned_data["plan"])
        context["plan"] = plan
        try:
            context["quote"] = engine.price_for(request.user, plan, form.cleaned_data["period"])
        except (engine.NoZone, engine.NoPrice) as error:
            form.add_error(None, str(error))
    return context


def _after_checkout(request: HttpRequest, subscription, result) -> HttpResponse:
    if (
        result is not None
        and result.redirect_url
        and url_has_allowed_host_and_scheme(result.redirect_url, allowed_hosts=None, require_https=True)
    ):
        return redirect(result.redirect_url)
    if result is not None and not result.paid:
        messages.info(request, result.message or _("Your subscription awaits payment."))
    else:
        messages.success(
            request, _("You are now on the %(plan)s plan.") % {"plan": subscription.plan.display_name}
        )
    return redirect("billing:home")


@login_required
@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    """GET ?plan=&period=: the confirmation page with the price; POST: subscribe."""
    if request.method == "GET":
        if not request.GET:
            return redirect("billing:home")
        form = PlanChoiceForm(request.GET, require_provider=False)
        context = _confirm_context(request, form)
        status = 200 if context["quote"] is not None else 422
        return render(request, "plans/billing/subscribe.html", context, status=status)
    form = PlanChoiceForm(request.POST)
    context = _confirm_context(request, form)
    if context["quote"] is not None:
        try:
            subscription, result = subs.subscription_start(
                member=request.user,
                plan=form.cleaned_data["plan"],
                period=form.cleaned_data["period"],
                provider=form.cleaned_data["provider"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _after_checkout(request, subscription, result)
    return render(request, "plans/billing/subscribe.html", context, status=422)


@login_required
@require_http_methods(["GET", "POST"])
def change(request: HttpRequest) -> HttpResponse:
    """GET ?plan=&period=: what an upgrade or downgrade would do; POST: do it."""
    current = selectors.subscription_in_effect_for(request.user)
    if current is None:
        raise Http404
    data = request.POST if request.method == "POST" else request.GET
    if request.method == "GET" and not data:
        return redirect("billing:home")
    form = ChangePlanForm(data)
    context = _confirm_context(request, form)
    if context["quote"] is not None:
        context["kind"] = subs.change_kind(current.plan, context["plan"])
        if context["kind"] == subs.UPGRADE:
            context["credit"] = subs.upgrade_credit(current, context["quote"])
        elif context["kind"] == subs.DOWNGRADE:
            context["problems"] = subs.downgrade_problems(request.user, context["plan"])
    if request.method == "GET":
        status = 200 if context["quote"] is not None else 422
        return render(request, "plans/billing/change.html", context, status=status)
    if context["quote"] is not None:
        try:
            subscription, result = subs.subscription_change_plan(
                member=request.user,
                plan=form.cleaned_data["plan"],
                period=form.cleaned_data["period"],
                provider=form.cleaned_data["provider"] or None,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if result is None:
                if subscription.scheduled_plan_id:
                    messages.success(
                        request,
                        _("You move to the %(plan)s plan when your current period ends.")
                        % {"plan": subscription.scheduled_plan.display_name},
                    )
                else:
                    messages.success(request, _("You keep your current plan."))
                return redirect("billing:home")
            return _after_checkout(request, subscription, result)
    return render(request, "plans/billing/change.html", context, status=422)


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = get_object_or_404(selectors.subscriptions_of(request.user), pk=pk)
    if request.method == "POST":
        try:
            subs.subscription_cancel(subscription=subscription)
        except ValidationError as error:
            return render(
                request,
                "plans/billing/cancel.html",
                {"subscription": subscription, "errors": error.messages},
                status=422,
            )
        subscription.refresh_from_db()
        if subscription.status == subscription.CANCELLED:
            messages.success(
                request, _("Your subscription is cancelled. You keep your plan until the end of the period.")
            )
        else:
            messages.success(request, _("Your subscription request is withdrawn."))
        return redirect("billing:home")
    return render(request, "plans/billing/cancel.html", {"subscription": subscription})


@login_required
@require_GET
def receipts(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.receipts_of(request.user), RECEIPTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "plans/billing/receipts.html", {"page": page})


@login_required
@require_GET
def receipt(request: HttpRequest, number: int) -> HttpResponse:
    found = selectors.receipt_for(request.user, number)
    if found is None:
        raise Http404
    return render(request, "plans/billing/receipt.html", {"receipt": found})
