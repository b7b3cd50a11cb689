"""Reads of the plans app for people: the member's "My plan" page (and `GET /api/v1/me/plan`, which shows the
same data) and the operator's overview. Everything a member sees comes from `engine.explain`, so the page, the
API and the engine never disagree; this module only adds what a page needs on top (dates as datetimes, plan
names next to prices, what changes when a trial ends, the completeness coach's next steps, chart geometry).

Chart geometry is computed here, in SVG user units: pages run under a strict Content-Security-Policy that
forbids style attributes, so widths and positions are attributes, colours are classes in site.css.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime

from entregent.plans import engine
from entregent.plans.registry import COUNTER

if TYPE_CHECKING:
    from entregent.accounts.models import User

# Horizontal bar charts: label column, bar track, figures column (SVG user units; the SVG scales to its box).
CHART_LABEL_WIDTH = 190
CHART_TRACK_WIDTH = 260
CHART_ROW_HEIGHT = 28
CHART_BAR_HEIGHT = 14
CHART_WIDTH = CHART_LABEL_WIDTH + CHART_TRACK_WIDTH + 80
# The longest trial the operator can configure (TrialSettings.days): older accounts never see the banner.
MAX_TRIAL_DAYS = 365


def _datetime(value: str | None) -> dt.datetime | None:
    return parse_datetime(value) if value else None


@dataclass
class ChartRow:
    """One bar of a horizontal bar chart: `value` out of `total`, drawn `width` units long at row `y`."""

    label: str
    value: int
    total: int
    figure: str = ""  # the text printed after the bar
    y: int = 0
    width: int = 0
    text_y: int = 0


@dataclass
class Chart:
    rows: list[ChartRow]
    label_width: int = CHART_LABEL_WIDTH
    track_width: int = CHART_TRACK_WIDTH
    width: int = CHART_WIDTH
    height: int = 0
    bar_height: int = CHART_BAR_HEIGHT
    figure_x: int = CHART_LABEL_WIDTH + CHART_TRACK_WIDTH + 8


def lay_out_chart(rows: list[ChartRow], *, scale: int | None = None) -> Chart:
    """Place each row; bars are `value / total` of the track (or `value / scale` when one scale is shared)."""
    for index, row in enumerate(rows):
        denominator = scale if scale is not None else row.total
        row.y = index * CHART_ROW_HEIGHT + (CHART_ROW_HEIGHT - CHART_BAR_HEIGHT) // 2
        row.text_y = row.y + CHART_BAR_HEIGHT - 2
        ratio = min(1.0, row.value / denominator) if denominator else 0.0
        row.width = round(CHART_TRACK_WIDTH * ratio)
        if row.value and row.width == 0:
            row.width = 1  # something used is never drawn as nothing
    return Chart(rows=rows, height=max(1, len(rows)) * CHART_ROW_HEIGHT)


# ------------------------------------------------------------------------------------------------ my plan


@dataclass
class MyPlan:
    """The "My plan" page: `data` is exactly `engine.explain(member)` (what the API returns); the other
    attributes are presentation helpers derived from it."""

    data: dict[str, Any]
    trial_ends_at: dt.datetime | None
    trial_days_left: int | None
    features: list[dict[str, Any]]
    quotas: list[dict[str, Any]]
    prices: list[dict[str, Any]]  # one row per plan: name, monthly quote, yearly quote
    completeness: Any  # profiles.completeness.Completeness, or None without a profile
    chart: Chart
    billing_url: str = field(default_factory=lambda: _billing_url())
    locked_count: int = 0
    multiplied: list[dict[str, Any]] = field(default_factory=list)  # quotas a completeness multiplier changed


def _billing_url() -> str:
    """The billing pages (plans, prices, subscription, receipts)."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("billing:home")
    except NoReverseMatch:  # billing not mounted on this instance
        return "/plans/billing/"


def my_plan_for(member: User, *, now: dt.datetime | None = None) -> MyPlan:
    from entregent.plans.models import Plan

    now = now or timezone.now()
    data = engine.explain(member, now=now)
    names = {plan.code: plan.display_name for plan in Plan.objects.all()}

    trial = data["trial"]
    trial_ends_at = _datetime(trial["ends_at"]) if trial else None
    trial_days_left = None
    if trial and trial["active"] and trial_ends_at:
        trial_days_left = max(0, (timezone.localdate(trial_ends_at) - timezone.localdate(now)).days)

    # What the member keeps when the trial ends: the default plan's own values.
    after_trial: engine._Values | None = None
    if data["plan"]["source"] == "trial":
        after_trial = engine._Values.load(engine.default_plan())

    features = []
    for item in data["features"]:
        row = dict(item)
        row["lost_after_trial"] = bool(
            after_trial is not None and item["enabled"] and not after_trial.features.get(item["code"], False)
        )
        features.append(row)

    quotas = []
    multiplied = []
    for item in data["quotas"]:
        row = dict(item)
        row["resets_at"] = _datetime(item["resets_at"])
        row["is_counter"] = item["kind"] == COUNTER
        row["completeness_reason"] = next(
            (reason["text"] for reason in item["reasons"] if reason["kind"] == "completeness"), ""
        )
        row["after_trial_limit"] = None
        if after_trial is not None:
            plan_limit = after_trial.quotas.get(item["code"], (None,))[0]
            if plan_limit != item["plan_limit"]:
                row["after_trial_limit"] = "unlimited" if plan_limit is None else plan_limit
        if row["completeness_reason"]:
            multiplied.append(row)
        quotas.append(row)

    prices: dict[str, dict[str, Any]] = {}
    for quote in data["region"]["prices"]:
        entry = prices.setdefault(
            quote["plan"], {"code": quote["plan"], "name": names.get(quote["plan"], "")}
        )
        entry[quote["period"]] = quote

    chart_rows = [
        ChartRow(label=row["label"], value=row["used"] or 0, total=row["limit"])
        for row in quotas
        if row["is_counter"] and row["limit"] is not None
    ]
    for row in chart_rows:
        row.figure = f"{row.value} / {row.total}"

    completeness = None
    profile = getattr(member, "profile", None)
    if profile is not None:
        from entregent.profiles.completeness import completeness_for

        completeness = completeness_for(profile)

    return MyPlan(
        data=data,
        trial_ends_at=trial_ends_at,
        trial_days_left=trial_days_left,
        features=features,
        quotas=quotas,
        prices=list(prices.values()),
        completeness=completeness,
        chart=lay_out_chart(chart_rows),
        locked_count=sum(1 for f in features if not f["enabled"]),
        multiplied=multiplied,
    )


@dataclass(frozen=True)
class TrialBanner:
    plan_name: str
    ends_at: dt.datetime
    days_left: int
    ending_soon: bool


def trial_banner_for(member: User, *, now: dt.datetime | None = None) -> TrialBanner | None:
    """The top-of-page reminder for a member on a trial, or None. A member who holds a plan of their own
    (assigned or subscribed) is not on the trial and sees nothing. It is on every page, so it reads at most
    one query (the trial rule and whether the member holds a plan, together) and none for accounts older
    than the longest possible trial. Same rule as `engine.trial_for` and `engine.Standing.source`."""
    from django.db.models import Exists

    from entregent.plans.models import PlanAssignment, TrialSettings

    if member is None or not member.is_authenticated:
        return None
    now = now or timezone.now()
    if member.date_joined <= now - dt.timedelta(days=MAX_TRIAL_DAYS) or member.date_joined > now:
        return None
    holds_plan = PlanAssignment.objects.filter(
        Q(ends_at__isnull=True) | Q(ends_at__gt=now),
        member_id=member.pk,
        plan__is_default=False,
        starts_at__lte=now,
    )
    row = TrialSettings.objects.select_related("plan").annotate(holds_plan=Exists(holds_plan)).first()
    if row is None or not row.enabled or row.holds_plan:
        return None
    ends_at = member.date_joined + dt.timedelta(days=row.days)
    if now >= ends_at:
        return None
    days_left = max(0, (timezone.localdate(ends_at) - timezone.localdate(now)).days)
    return TrialBanner(
        plan_name=row.plan.display_name,
        ends_at=ends_at,
        days_left=days_left,
        ending_soon=ends_at - now <= dt.timedelta(days=row.warn_days_before),
    )


# -------------------------------------------------------------------------------------- operator overview


@dataclass
class PlanCount:
    code: str
    name: str
    members: int


@dataclass
class OperatorOverview:
    total_members: int
    plans: list[PlanCount]
    trial_plan_name: str | None
    trials_running: int
    trials_ending: list[Any]  # users whose trial ends within the window, soonest first (bounded)
    trials_ending_count: int
    ending_window_days: int
    plans_chart: Chart
    billing: dict[str, Any] | None = None  # subscriptions and receipts per zone and month, once they exist


TRIALS_ENDING_DAYS = 7
TRIALS_ENDING_SHOWN = 50


def operator_overview(*, now: dt.datetime | None = None) -> OperatorOverview:
    """Members per plan (assignment, trial or default, as the engine decides), trials running and ending
    soon. A bounded number of queries whatever the number of members."""
    from entregent.accounts.models import User
    from entregent.plans.models import Plan, PlanAssignment, TrialSettings

    now = now or timezone.now()
    active_users = User.objects.filter(is_active=True)
    total = active_users.count()
    current = Q(starts_at__lte=now) & (Q(ends_at__isnull=True) | Q(ends_at__gt=now))
    held = PlanAssignment.objects.filter(current, member__is_active=True)
    # An assignment to the default plan does not beat the trial (engine.Standing.source).
    paid_ids = held.filter(plan__is_default=False).values("member_id")
    paid_counts = dict(held.filter(plan__is_default=False).values_list("plan_id").annotate(n=Count("id")))
    per_plan = dict(paid_counts)

    trial_row = TrialSettings.objects.select_related("plan").first()
    trials_running = 0
    ending_qs = User.objects.none()
    trial_plan = None
    if trial_row is not None and trial_row.enabled:
        trial_plan = trial_row.plan
        length = dt.timedelta(days=trial_row.days)
        on_trial = active_users.filter(date_joined__gt=now - length, date_joined__lte=now).exclude(
            pk__in=paid_ids
        )
        trials_running = on_trial.count()
        ending_qs = on_trial.filter(date_joined__lte=now - length + dt.timedelta(days=TRIALS_ENDING_DAYS))
        per_plan[trial_plan.pk] = per_plan.get(trial_plan.pk, 0) + trials_running

    default = engine.default_plan()
    others = max(0, total - sum(paid_counts.values()) - trials_running)
    per_plan[default.pk] = per_plan.get(default.pk, 0) + others

    plans = [
        PlanCount(code=plan.code, name=plan.display_name, members=per_plan.get(plan.pk, 0))
        for plan in Plan.objects.all()
    ]
    ending_count = ending_qs.count()
    ending = []
    if trial_row is not None:
        for user in ending_qs.select_related("profile").order_by("date_joined")[:TRIALS_ENDING_SHOWN]:
            user.trial_ends_at = user.date_joined + dt.timedelta(days=trial_row.days)
            ending.append(user)
    chart_rows = [ChartRow(label=p.name, value=p.members, total=total, figure=str(p.members)) for p in plans]
    return OperatorOverview(
        total_members=total,
        plans=plans,
        trial_plan_name=trial_plan.display_name if trial_plan else None,
        trials_running=trials_running,
        trials_ending=ending,
        trials_ending_count=ending_count,
        ending_window_days=TRIALS_ENDING_DAYS,
        plans_chart=lay_out_chart(chart_rows, scale=max([p.members for p in plans] + [1])),
        billing=billing_overview(now=now),
    )


BILLING_MONTHS = 12


def _months_back(now: dt.datetime, count: int) -> list[dt.date]:
    """The first day of the last `count` months, oldest first, in the instance's time zone."""
    day = timezone.localdate(now).replace(day=1)
    months = [day]
    while len(months) < count:
        day = (day - dt.timedelta(days=1)).replace(day=1)
        months.append(day)
    return months[::-1]


def _month_key(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.date().replace(day=1)
    return value.replace(day=1)


def billing_overview(*, now: dt.datetime | None = None) -> dict[str, Any] | None:
    """Subscriptions and receipts per pricing zone and per month over the last twelve months, with the
    subscriptions in effect per zone. Aggregated in the database: a bounded number of queries. Returns None
    when the subscription models are not installed."""
    from django.apps import apps
    from django.db.models import Sum
    from django.db.models.functions import TruncMonth

    try:
        Subscription = apps.get_model("plans", "Subscription")
        Receipt = apps.get_model("plans", "Receipt")
    except LookupError:
        return None
    now = now or timezone.now()
    months = _months_back(now, BILLING_MONTHS)
    since = timezone.make_aware(dt.datetime.combine(months[0], dt.time.min))

    in_effect = dict(
        Subscription.objects.filter(status__in=Subscription.IN_EFFECT)
        .values_list("zone")
        .annotate(n=Count("id"))
        .order_by("zone")
    )
    started: dict[tuple[str, dt.date], int] = {}
    for zone, month, n in (
        Subscription.objects.filter(current_period_start__gte=since)
        .exclude(status=Subscription.PENDING)
        .annotate(month=TruncMonth("current_period_start"))
        .values_list("zone", "month")
        .annotate(n=Count("id"))
        .order_by()
    ):
        key = (zone, _month_key(month))
        started[key] = started.get(key, 0) + n
    receipts: dict[tuple[str, dt.date], dict[str, Any]] = {}
    for zone, currency, month, n, total in (
        Receipt.objects.filter(paid_at__gte=since)
        .annotate(month=TruncMonth("paid_at"))
        .values_list("zone", "currency", "month")
        .annotate(n=Count("id"), amount=Sum("total"))
        .order_by()
    ):
        entry = receipts.setdefault((zone, _month_key(month)), {"count": 0, "totals": {}})
        entry["count"] += n
        amount = Decimal(total or 0).quantize(Decimal("0.01"))
        entry["totals"][currency] = entry["totals"].get(currency, Decimal(0)) + amount

    zones = sorted(set(in_effect) | {zone for zone, _m in started} | {zone for zone, _m in receipts})
    month_rows = []
    for month in months:
        cells = []
        for zone in zones:
            receipt = receipts.get((zone, month), {"count": 0, "totals": {}})
            cells.append(
                {
                    "zone": zone,
                    "subscriptions": started.get((zone, month), 0),
                    "receipts": receipt["count"],
                    "totals": sorted(receipt["totals"].items()),
                }
            )
        month_rows.append(
            {
                "month": month,
                "cells": cells,
                "subscriptions": sum(c["subscriptions"] for c in cells),
                "receipts": sum(c["receipts"] for c in cells),
            }
        )
    zone_rows = [
        ChartRow(label=zone, value=in_effect.get(zone, 0), total=0, figure=str(in_effect.get(zone, 0)))
        for zone in zones
    ]
    top_zone = max([row.value for row in zone_rows] + [1])
    month_subscriptions = [
        ChartRow(
            label=formats.date_format(month["month"], "YEAR_MONTH_FORMAT"),
            value=month["subscriptions"],
            total=0,
            figure=str(month["subscriptions"]),
        )
        for month in month_rows
    ]
    month_receipts = [
        ChartRow(
            label=formats.date_format(month["month"], "YEAR_MONTH_FORMAT"),
            value=month["receipts"],
            total=0,
            figure=str(month["receipts"]),
        )
        for month in month_rows
    ]
    return {
        "zones": zones,
        "months": month_rows,
        "in_effect": [{"zone": zone, "count": in_effect.get(zone, 0)} for zone in zones],
        "in_effect_total": sum(in_effect.values()),
        "zones_chart": lay_out_chart(zone_rows, scale=top_zone),
        "subscriptions_chart": lay_out_chart(
            month_subscriptions, scale=max([r.value for r in month_subscriptions] + [1])
        ),
        "receipts_chart": lay_out_chart(month_receipts, scale=max([r.value for r in month_receipts] + [1])),
    }
