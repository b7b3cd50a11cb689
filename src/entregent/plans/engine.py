"""The plans engine: what a member may do and how much, from plan (or trial) × completeness, and what a plan
costs in the member's region. Every answer is computed from the operator's configuration (models.py) over
the registry's defaults (registry.py); nothing here takes a member's input, so a member can never grant
themselves anything.

    has(member, feature) -> bool
    limit(member, quota) -> int | None           (None: unlimited)
    remaining(member, quota) -> int | None
    consume(member, quota, n=1)                   raises QuotaExceeded(resets_at, unlock)
    refund(member, quota, n=1, at=None)           gives back what an answered InMail or a closed request spent
    trial_for(member) -> Trial | None
    price_for(member_or_country, plan, period) -> PriceQuote
    explain(member) -> dict                       every feature and quota, with values, usage and reasons

Windows start on Monday 00:00 (weeks) and on the 1st at 00:00 (months) in the instance's time zone
(settings.TIME_ZONE). Spending is exact under concurrency: one usage row per member, quota and window,
spent with a conditional UPDATE (`used = used + n WHERE used + n <= limit`); quotas that carry over lock
the current row first (decision 0004).
"""

from __future__ import annotations

import datetime as dt
import math
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from entregent.plans import QuotaExceeded
from entregent.plans.registry import COUNTER, DEFAULT_PLANS, MONTH, NONE, REGISTRY, SETTING, WEEK, Quota

if TYPE_CHECKING:
    from entregent.accounts.models import User
    from entregent.plans.models import Plan, Zone

# A quota that never resets is counted in one row whose window starts here.
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
# Carry-over without expiry looks back at most this many months (the cap bounds the balance anyway).
MAX_CARRY_MONTHS = 24
LEVEL_ORDER = ("beginner", "intermediate", "advanced", "all_star")

DEFAULT_TRIAL = {"plan": "career", "days": 30, "warn_days_before": 7}
DEFAULT_MULTIPLIERS = (
    ("beginner", "invitations.weekly", Decimal("0.5")),
    ("beginner", "invitation_notes.monthly", Decimal("0.5")),
    ("beginner", "inmail.credits", Decimal("0")),
    ("intermediate", "invitations.weekly", Decimal("0.8")),
)
DEFAULT_ZONES = (
    {
        "code": "europe",
        "name": "Europe (euro)",
        "is_default": False,
        "countries": ["AT", "BE", "DE", "ES", "FI", "FR", "GR", "IE", "IT", "LU", "NL", "PT"],
        "currency": "EUR",
        "tax_rate": Decimal("20"),
        "prices": {"career": Decimal("29.99"), "business": Decimal("47.99"), "sales": Decimal("79.99")},
    },
    {
        "code": "switzerland",
        "name": "Switzerland",
        "is_default": False,
        "countries": ["CH", "LI"],
        "currency": "CHF",
        "tax_rate": Decimal("8.1"),
        "prices": {"career": Decimal("39.90"), "business": Decimal("64.90"), "sales": Decimal("109.90")},
    },
    {
        "code": "world",
        "name": "Rest of the world",
        "is_default": True,
        "countries": [],
        "currency": "USD",
        "tax_rate": Decimal("0"),
        "prices": {"career": Decimal("29.99"), "business": Decimal("59.99"), "sales": Decimal("99.99")},
    },
)
DEFAULT_YEARLY_DISCOUNT = Decimal("20")


# ------------------------------------------------------------------------------------ default configuration


def ensure_default_plans(apps: Any = None) -> None:
    """Create what is missing of the default configuration: the four plans with every registered feature and
    quota, the trial, the completeness multipliers and the pricing zones. Idempotent and never overwrites
    what the operator changed. `apps` is the migration state when called from a data migration."""
    if apps is None:
        from django.apps import apps as django_apps

        apps = django_apps
    Plan = apps.get_model("plans", "Plan")
    FeatureGrant = apps.get_model("plans", "FeatureGrant")
    QuotaLimit = apps.get_model("plans", "QuotaLimit")
    TrialSettings = apps.get_model("plans", "TrialSettings")
    CompletenessMultiplier = apps.get_model("plans", "CompletenessMultiplier")
    Zone = apps.get_model("plans", "Zone")
    ZoneCountry = apps.get_model("plans", "ZoneCountry")
    Price = apps.get_model("plans", "Price")

    with transaction.atomic():
        fresh = not Plan.objects.exists()
        has_default = Plan.objects.filter(is_default=True).exists()
        plans = {}
        for spec in DEFAULT_PLANS:
            values = {k: v for k, v in spec.items() if k != "code"}
            if has_default:
                values["is_default"] = False
            plan, created = Plan.objects.get_or_create(code=spec["code"], defaults=values)
            if created and values["is_default"]:
                has_default = True
            plans[spec["code"]] = plan
        for code, plan in plans.items():
            for feature in REGISTRY.features.values():
                FeatureGrant.objects.get_or_create(
                    plan=plan, feature=feature.code, defaults={"enabled": feature.default_for(code)}
                )
            for quota in REGISTRY.quotas.values():
                default = quota.default_for(code)
                QuotaLimit.objects.get_or_create(
                    plan=plan,
                    quota=quota.code,
                    defaults={
                        "limit": default.limit,
                        "carry_over_cap": default.carry_over_cap,
                        "expires_after_days": default.expires_after_days,
                    },
                )
        if not fresh:
            return
        if not TrialSettings.objects.exists():
            TrialSettings.objects.create(
                plan=plans[DEFAULT_TRIAL["plan"]],
                days=DEFAULT_TRIAL["days"],
                warn_days_before=DEFAULT_TRIAL["warn_days_before"],
            )
        if not CompletenessMultiplier.objects.exists():
            for level, quota_code, multiplier in DEFAULT_MULTIPLIERS:
                CompletenessMultiplier.objects.create(level=level, quota=quota_code, multiplier=multiplier)
        if not Zone.objects.exists():
            for spec in DEFAULT_ZONES:
                zone = Zone.objects.create(
                    code=spec["code"], name=spec["name"], is_default=spec["is_default"]
                )
                ZoneCountry.objects.bulk_create(ZoneCountry(zone=zone, country=c) for c in spec["countries"])
                for plan_code, amount in spec["prices"].items():
                    Price.objects.create(
                        plan=plans[plan_code],
                        zone=zone,
                        currency=spec["currency"],
                        monthly=amount,
                        tax_rate=spec["tax_rate"],
                        yearly_discount=DEFAULT_YEARLY_DISCOUNT,
                    )


def default_plan() -> Plan:
    from entregent.plans.models import Plan

    plan = Plan.objects.filter(is_default=True).first()
    if plan is None:
        # The data migration creates it; a test database flushed by a transactional test loses it.
        ensure_default_plans()
        plan = Plan.objects.filter(is_default=True).first()
        if plan is None:  # the operator removed the flag from every plan: the lowest plan is the default
            plan = Plan.objects.order_by("position", "code").first()
    return plan


# -------------------------------------------------------------------------------------------------- windows


def window_start(window: str, at: dt.datetime | None = None) -> dt.datetime:
    """The start of the week (Monday) or month containing `at`, in the instance's time zone."""
    if window == NONE:
        return EPOCH
    local = timezone.localtime(at or timezone.now())
    day = local.date()
    if window == WEEK:
        day -= dt.timedelta(days=day.weekday())
    elif window == MONTH:
        day = day.replace(day=1)
    else:
        raise ValueError(window)
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_current_timezone())


def next_reset(window: str, at: dt.datetime | None = None) -> dt.datetime | None:
    """When a quota of this window comes back: the start of the next week or month (None: never)."""
    if window == NONE:
        return None
    start = timezone.localtime(window_start(window, at))
    if window == WEEK:
        day = start.date() + dt.timedelta(days=7)
    else:
        day = (start.date().replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_current_timezone())


def _previous_month(start: dt.datetime) -> dt.datetime:
    day = (timezone.localtime(start).date() - dt.timedelta(days=1)).replace(day=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_current_timezone())


# ------------------------------------------------------------------------------------------------- standing


@dataclass(frozen=True)
class Trial:
    plan: Plan
    starts_at: dt.datetime
    ends_at: dt.datetime
    active: bool
    ending_soon: bool  # inside the warning period: the member is told it ends


def trial_for(member: User, *, now: dt.datetime | None = None) -> Trial | None:
    """The trial this member had or has (None when trials are off)."""
    from entregent.plans.models import TrialSettings

    settings_row = TrialSettings.objects.select_related("plan").first()
    if settings_row is None or not settings_row.enabled:
        return None
    now = now or timezone.now()
    starts_at = member.date_joined
    ends_at = starts_at + dt.timedelta(days=settings_row.days)
    active = starts_at <= now < ends_at
    ending_soon = active and ends_at - now <= dt.timedelta(days=settings_row.warn_days_before)
    return Trial(
        plan=settings_row.plan, starts_at=starts_at, ends_at=ends_at, active=active, ending_soon=ending_soon
    )


@dataclass
class _Values:
    """A plan's features and quotas: its rows over the registry's defaults."""

    plan: Plan
    features: dict[str, bool]
    quotas: dict[str, tuple[int | None, int | None, int | None]]

    @classmethod
    def load(cls, plan: Plan) -> _Values:
        from entregent.plans.models import FeatureGrant, QuotaLimit

        features = {f.code: f.default_for(plan.code) for f in REGISTRY.features.values()}
        quotas = {}
        for q in REGISTRY.quotas.values():
            d = q.default_for(plan.code)
            quotas[q.code] = (d.limit, d.carry_over_cap, d.expires_after_days)
        for feature, enabled in FeatureGrant.objects.filter(plan=plan).values_list("feature", "enabled"):
            if feature in features:
                features[feature] = enabled
        for row in QuotaLimit.objects.filter(plan=plan).values_list(
            "quota", "limit", "carry_over_cap", "expires_after_days"
        ):
            if row[0] in quotas:
                quotas[row[0]] = row[1:]
        return cls(plan=plan, features=features, quotas=quotas)


@dataclass(frozen=True)
class EffectiveQuota:
    quota: Quota
    limit: int | None  # after completeness
    plan_limit: int | None
    multiplier: Decimal
    level: str | None  # the completeness level that applied, when a multiplier did
    carry_over_cap: int | None
    expires_after_days: int | None


def _scale(value: int | None, multiplier: Decimal) -> int | None:
    if value is None:
        return None
    return math.floor(Decimal(value) * multiplier)


class Standing:
    """Everything the engine knows about one member at one moment, read lazily and once."""

    def __init__(self, member: User, *, now: dt.datetime | None = None) -> None:
        self.member = member
        self.now = now or timezone.now()

    @cached_property
    def assignment(self):
        from entregent.plans.models import PlanAssignment

        row = PlanAssignment.objects.select_related("plan").filter(member_id=self.member.pk).first()
        if row is None or row.starts_at > self.now or (row.ends_at and row.ends_at <= self.now):
            return None
        return row

    @cached_property
    def trial(self) -> Trial | None:
        return trial_for(self.member, now=self.now)

    @cached_property
    def default(self) -> Plan:
        return default_plan()

    @cached_property
    def source(self) -> str:
        """Why the member has their plan: "assignment", "trial" or "default"."""
        if self.assignment is not None and not self.assignment.plan.is_default:
            return "assignment"
        if self.trial is not None and self.trial.active:
            return "trial"
        return "assignment" if self.assignment is not None else "default"

    @cached_property
    def plan(self) -> Plan:
        if self.source == "trial":
            return self.trial.plan
        if self.source == "assignment":
            return self.assignment.plan
        return self.default

    @cached_property
    def held_since(self) -> dt.datetime:
        if self.source == "assignment":
            return max(self.assignment.starts_at, self.member.date_joined)
        return self.member.date_joined

    @cached_property
    def values(self) -> _Values:
        return _Values.load(self.plan)

    @cached_property
    def multipliers(self) -> dict[str, dict[str, Decimal]]:
        """quota → level → multiplier, as configured."""
        from entregent.plans.models import CompletenessMultiplier

        table: dict[str, dict[str, Decimal]] = {}
        for level, quota, multiplier in CompletenessMultiplier.objects.values_list(
            "level", "quota", "multiplier"
        ):
            table.setdefault(quota, {})[level] = multiplier
        return table

    @cached_property
    def completeness(self):
        from entregent.profiles.completeness import completeness_for

        profile = getattr(self.member, "profile", None)
        return completeness_for(profile) if profile is not None else None

    @cached_property
    def level(self) -> str:
        return self.completeness.level.code if self.completeness is not None else "beginner"

    @cached_property
    def country(self) -> str:
        profile = getattr(self.member, "profile", None)
        return (profile.country if profile is not None else "") or ""

    def has(self, feature: str) -> bool:
        REGISTRY.get_feature(feature)
        return self.values.features[feature]

    def quota(self, code: str) -> EffectiveQuota:
        spec = REGISTRY.get_quota(code)
        limit, cap, expiry = self.values.quotas[code]
        multiplier, level = Decimal(1), None
        table = self.multipliers.get(code)
        if spec.scalable and table:
            level = self.level
            multiplier = table.get(level, Decimal(1))
        return EffectiveQuota(
            quota=spec,
            limit=_scale(limit, multiplier),
            plan_limit=limit,
            multiplier=multiplier,
            level=level if multiplier != 1 else None,
            carry_over_cap=_scale(cap, multiplier),
            expires_after_days=expiry,
        )

    # ---------------------------------------------------------------------------------------- usage

    def _usage_rows(self, code: str) -> dict[dt.datetime, int]:
        from entregent.plans.models import QuotaUsage

        return dict(
            QuotaUsage.objects.filter(member_id=self.member.pk, quota=code).values_list(
                "window_start", "used"
            )
        )

    def used(self, code: str) -> int:
        from entregent.plans.models import QuotaUsage

        spec = REGISTRY.get_quota(code)
        if spec.kind == SETTING:
            return 0
        start = window_start(spec.window, self.now)
        row = QuotaUsage.objects.filter(member_id=self.member.pk, quota=code, window_start=start).first()
        return row.used if row else 0

    def balance(self, effective: EffectiveQuota, usage: dict[dt.datetime, int] | None = None) -> int:
        """Credits left on a quota that carries over: each month grants `limit`, the balance never exceeds the
        cap, a month's grant expires `expires_after_days` after it was given, spending takes the oldest first."""
        code = effective.quota.code
        usage = self._usage_rows(code) if usage is None else usage
        current = window_start(MONTH, self.now)
        first = window_start(MONTH, self.held_since)
        months = [current]
        while len(months) < MAX_CARRY_MONTHS and months[-1] > first:
            months.append(_previous_month(months[-1]))
        months.reverse()
        expiry = dt.timedelta(days=effective.expires_after_days) if effective.expires_after_days else None
        grants: list[list[Any]] = []  # [given_at, amount left]
        for month in months:
            if expiry is not None:
                grants = [g for g in grants if g[0] + expiry > month]
            room = effective.carry_over_cap - sum(g[1] for g in grants)
            grants.append([month, max(0, min(effective.limit, room))])
            spend = usage.get(month, 0)
            for grant in grants:
                taken = min(grant[1], spend)
                grant[1] -= taken
                spend -= taken
        if expiry is not None:
            grants = [g for g in grants if g[0] + expiry > self.now]
        return sum(g[1] for g in grants)

    def remaining(self, code: str) -> int | None:
        effective = self.quota(code)
        if effective.quota.kind == SETTING or effective.limit is None:
            return effective.limit
        if effective.carry_over_cap is not None:
            return self.balance(effective)
        return max(0, effective.limit - self.used(code))

    @cached_property
    def offered(self) -> list[_Values]:
        """The other plans offered to members, with their values, read once."""
        from entregent.plans.models import Plan

        return [_Values.load(plan) for plan in Plan.objects.filter(is_public=True).exclude(pk=self.plan.pk)]

    def unlock(self, code: str) -> list[str]:
        """What would raise this quota or turn this feature on, in plain words."""
        hints: list[str] = []
        is_feature = code in REGISTRY.features
        current = self.values
        better: list[str] = []
        for values in self.offered:
            if is_feature:
                if values.features[code] and not current.features[code]:
                    better.append(_("%(plan)s plan") % {"plan": values.plan.display_name})
            else:
                theirs = values.quotas[code][0]
                mine = current.quotas[code][0]
                if mine is not None and (theirs is None or theirs > mine):
                    spec = REGISTRY.quotas[code]
                    better.append(
                        _("%(plan)s plan: %(amount)s")
                        % {"plan": values.plan.display_name, "amount": spec.phrase(theirs)}
                    )
        hints.extend(better)
        if not is_feature:
            effective = self.quota(code)
            if effective.multiplier < 1 and effective.plan_limit is not None:
                from entregent.plans.models import LEVEL_CHOICES

                labels = dict(LEVEL_CHOICES)
                table = self.multipliers.get(code, {})
                for level in LEVEL_ORDER[LEVEL_ORDER.index(self.level) + 1 :]:
                    multiplier = table.get(level, Decimal(1))
                    if multiplier > effective.multiplier:
                        hints.append(
                            _("Complete your profile to reach %(level)s and unlock %(amount)s")
                            % {
                                "level": labels[level],
                                "amount": effective.quota.phrase(_scale(effective.plan_limit, multiplier)),
                            }
                        )
                        break
        return hints


# ----------------------------------------------------------------------------------------------- public API


# Within one web request, the member's standing (plan, trial, multipliers, completeness, region) is
# read once and shared by every question the page asks; usage counters are always read fresh.
# Outside a request (tasks, commands, tests calling the engine) nothing is shared.
_request_standings: ContextVar[dict[int, Standing] | None] = ContextVar(
    "plans_request_standings", default=None
)


def _standing(member: User) -> Standing:
    cache = _request_standings.get()
    if cache is None or member.pk is None:
        return Standing(member)
    standing = cache.get(member.pk)
    if standing is None or standing.member is not member:
        standing = cache[member.pk] = Standing(member)
    return standing


def forget_request_standing(member: User) -> None:
    """Drop the shared standing after a change of plan within the same request."""
    cache = _request_standings.get()
    if cache is not None:
        cache.pop(member.pk, None)


class RequestStandingsMiddleware:
    """Scopes the shared standings to one request."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        token = _request_standings.set({})
        try:
            return self.get_response(request)
        finally:
            _request_standings.reset(token)


def has(member: User, feature: str) -> bool:
    return _standing(member).has(feature)


def limit(member: User, quota: str) -> int | None:
    return _standing(member).quota(quota).limit


def remaining(member: User, quota: str) -> int | None:
    return _standing(member).remaining(quota)


def _row_for(member: User, code: str, start: dt.datetime):
    from entregent.plans.models import QuotaUsage

    try:
        row, _created = QuotaUsage.objects.get_or_create(member_id=member.pk, quota=code, window_start=start)
    except IntegrityError:  # created by a concurrent request between our read and our insert
        row = QuotaUsage.objects.get(member_id=member.pk, quota=code, window_start=start)
    return row


def _exceeded(standing: Standing, effective: EffectiveQuota) -> QuotaExceeded:
    spec = effective.quota
    resets_at = next_reset(spec.window, standing.now)
    if resets_at is not None:
        when = formats.date_format(timezone.localtime(resets_at), "DATETIME_FORMAT")
        message = _("You have used all your %(quota)s (%(amount)s). They come back on %(when)s.") % {
            "quota": spec.label,
            "amount": spec.phrase(effective.limit),
            "when": when,
        }
    else:
        message = _("You have used all your %(quota)s (%(amount)s).") % {
            "quota": spec.label,
            "amount": spec.phrase(effective.limit),
        }
    if effective.carry_over_cap is not None:
        resets_at = next_reset(MONTH, standing.now)
    return QuotaExceeded(message, quota=spec.code, resets_at=resets_at, unlock=standing.unlock(spec.code))


def consume(member: User, quota: str, n: int = 1) -> None:
    """Spend `n` of the member's quota, or raise QuotaExceeded and spend nothing."""
    from entregent.plans.models import QuotaUsage

    if n < 1:
        raise ValueError("n must be a positive number")
    standing = _standing(member)
    effective = standing.quota(quota)
    if effective.quota.kind != COUNTER:
        raise ValueError(f"{quota!r} is a setting, not a counter: read it with plans.limit")
    if effective.limit is None:
        # Unlimited: still counted, so "used" shows and a later limit starts from the truth.
        with transaction.atomic():
            row = _row_for(member, quota, window_start(effective.quota.window, standing.now))
            QuotaUsage.objects.filter(pk=row.pk).update(used=F("used") + n)
        return
    with transaction.atomic():
        start = window_start(effective.quota.window, standing.now)
        row = _row_for(member, quota, start)
        if effective.carry_over_cap is None:
            spent = QuotaUsage.objects.filter(pk=row.pk, used__lte=effective.limit - n).update(
                used=F("used") + n
            )
        else:
            # The balance spans several months: serialise this member's spending of this quota on the
            # current row, then check the balance and spend.
            QuotaUsage.objects.select_for_update().filter(pk=row.pk).first()
            spent = 0
            if standing.balance(effective) >= n:
                spent = QuotaUsage.objects.filter(pk=row.pk).update(used=F("used") + n)
    if not spent:
        raise _exceeded(standing, effective)


def refund(member: User, quota: str, n: int = 1, *, at: dt.datetime | None = None) -> None:
    """Give back `n` spent at `at` (default: now), e.g. an InMail answered within 90 days, or an introduction
    request that was answered. Never goes below zero."""
    from entregent.plans.models import QuotaUsage

    spec = REGISTRY.get_quota(quota)
    if spec.kind != COUNTER or n < 1:
        raise ValueError("refund a positive amount of a counter")
    start = window_start(spec.window, at)
    with transaction.atomic():
        row = (
            QuotaUsage.objects.select_for_update()
            .filter(member_id=member.pk, quota=quota, window_start=start)
            .first()
        )
        if row is not None:
            QuotaUsage.objects.filter(pk=row.pk).update(used=max(0, row.used - n))


# ------------------------------------------------------------------------------------------------ pricing


class NoZone(Exception):  # noqa: N818
    """A country no pricing zone covers and no default zone exists."""


class NoPrice(Exception):  # noqa: N818
    """The plan has no price in the zone."""


@dataclass(frozen=True)
class PriceQuote:
    plan: str
    zone: str
    country: str
    period: str  # "month" or "year"
    currency: str
    amount: Decimal  # before tax, for the period
    tax_rate: Decimal  # percent
    tax: Decimal
    total: Decimal
    discount: Decimal  # percent, yearly only

    def as_dict(self) -> dict[str, Any]:
        return {k: str(v) if isinstance(v, Decimal) else v for k, v in self.__dict__.items()}


def zone_for(country: str) -> Zone:
    from entregent.plans.models import Zone, ZoneCountry

    row = ZoneCountry.objects.select_related("zone").filter(country=(country or "").upper()).first()
    if row is not None:
        return row.zone
    zone = Zone.objects.filter(is_default=True).first()
    if zone is None:
        raise NoZone(
            _("No pricing zone covers %(country)s.") % {"country": country or _("an unknown country")}
        )
    return zone


_CENT = Decimal("0.01")


def _quote(price, country: str, period: str) -> PriceQuote:
    discount = Decimal(0)
    amount = price.monthly
    if period == "year":
        discount = price.yearly_discount
        amount = price.monthly * 12 * (1 - discount / 100)
    amount = amount.quantize(_CENT, ROUND_HALF_UP)
    tax = (amount * price.tax_rate / 100).quantize(_CENT, ROUND_HALF_UP)
    return PriceQuote(
        plan=price.plan.code,
        zone=price.zone.code,
        country=country,
        period=period,
        currency=price.currency,
        amount=amount,
        tax_rate=price.tax_rate,
        tax=tax,
        total=amount + tax,
        discount=discount,
    )


def price_for(member_or_country: Any, plan: Plan | str, period: str = "month") -> PriceQuote:
    """What `plan` costs for a member (their profile's country) or a country code, per month or per year,
    before and after tax. Raises NoZone or NoPrice with a clear message."""
    from entregent.plans.models import Plan, Price

    if period not in ("month", "year"):
        raise ValueError("period is 'month' or 'year'")
    if isinstance(member_or_country, str):
        country = member_or_country.upper()
    else:
        country = Standing(member_or_country).country
    if isinstance(plan, str):
        plan = Plan.objects.get(code=plan)
    zone = zone_for(country)
    price = Price.objects.select_related("plan", "zone").filter(plan=plan, zone=zone).first()
    if price is None:
        raise NoPrice(
            _("The %(plan)s plan has no price in %(zone)s.") % {"plan": plan.display_name, "zone": zone.name}
        )
    return _quote(price, country, period)


def prices_in(country: str) -> list[PriceQuote]:
    """Every offered plan's monthly and yearly price in the country's zone (raises NoZone)."""
    from entregent.plans.models import Price

    zone = zone_for(country)
    rows = Price.objects.select_related("plan", "zone").filter(zone=zone, plan__is_public=True)
    return [_quote(price, country, period) for price in rows for period in ("month", "year")]


# ------------------------------------------------------------------------------------------------ explain


@dataclass
class _Reason:
    kind: str  # plan | trial | completeness | region
    text: str


def _iso(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def explain(member: User, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """Every feature and quota with its effective value, usage, reset time, the reasons and what would unlock
    more: plain data for the "My plan" page and `GET /api/v1/me/plan`."""
    from entregent.plans.models import LEVEL_CHOICES, QuotaUsage

    standing = Standing(member, now=now)
    plan = standing.plan
    levels = dict(LEVEL_CHOICES)
    if standing.source == "trial":
        plan_reason = _Reason(
            "trial",
            _("Trial of the %(plan)s plan until %(date)s")
            % {
                "plan": plan.display_name,
                "date": formats.date_format(timezone.localtime(standing.trial.ends_at)),
            },
        )
    else:
        plan_reason = _Reason("plan", _("%(plan)s plan") % {"plan": plan.display_name})
    trial = standing.trial
    region: dict[str, Any] = {"country": standing.country, "zone": None, "prices": []}
    try:
        zone = zone_for(standing.country)
        region["zone"] = {"code": zone.code, "name": zone.name}
        region["prices"] = [quote.as_dict() for quote in prices_in(standing.country)]
    except NoZone as error:
        region["error"] = str(error)

    features = []
    for spec in REGISTRY.features.values():
        enabled = standing.has(spec.code)
        features.append(
            {
                "code": spec.code,
                "label": str(spec.label),
                "description": str(spec.description),
                "enabled": enabled,
                "reasons": [plan_reason.__dict__],
                "unlock": [] if enabled else standing.unlock(spec.code),
            }
        )
    usage: dict[str, dict[dt.datetime, int]] = {}
    for code, start, used_ in QuotaUsage.objects.filter(member_id=member.pk).values_list(
        "quota", "window_start", "used"
    ):
        usage.setdefault(code, {})[start] = used_
    quotas = []
    for spec in REGISTRY.quotas.values():
        effective = standing.quota(spec.code)
        reasons = [plan_reason.__dict__]
        if effective.level is not None:
            reasons.append(
                _Reason(
                    "completeness",
                    _("%(level)s profile: ×%(multiplier)s of %(amount)s")
                    % {
                        "level": levels[effective.level],
                        "multiplier": f"{effective.multiplier.normalize():f}",
                        "amount": spec.phrase(effective.plan_limit),
                    },
                ).__dict__
            )
        if spec.kind == SETTING:
            used, left, resets = None, effective.limit, None
        elif effective.carry_over_cap is not None and effective.limit is not None:
            rows = usage.get(spec.code, {})
            left = standing.balance(effective, rows)
            used = rows.get(window_start(MONTH, standing.now), 0)
            resets = next_reset(MONTH, standing.now)
            reasons.append(
                _Reason(
                    "plan",
                    _("Unspent credits add up to %(cap)s and expire after %(days)s days")
                    % {"cap": effective.carry_over_cap, "days": effective.expires_after_days or "∞"},
                ).__dict__
            )
        else:
            used = usage.get(spec.code, {}).get(window_start(spec.window, standing.now), 0)
            left = None if effective.limit is None else max(0, effective.limit - used)
            resets = next_reset(spec.window, standing.now)
        quotas.append(
            {
                "code": spec.code,
                "label": str(spec.label),
                "description": str(spec.description),
                "kind": spec.kind,
                "window": spec.window,
                "limit": effective.limit,
                "plan_limit": effective.plan_limit,
                "carry_over_cap": effective.carry_over_cap,
                "used": used,
                "left": left,
                "resets_at": _iso(resets),
                "reasons": reasons,
                "unlock": standing.unlock(spec.code),
            }
        )
    return {
        "plan": {"code": plan.code, "name": plan.display_name, "source": standing.source},
        "trial": None
        if trial is None
        else {
            "plan": trial.plan.code,
            "plan_name": trial.plan.display_name,
            "starts_at": _iso(trial.starts_at),
            "ends_at": _iso(trial.ends_at),
            "active": trial.active,
            "ending_soon": trial.ending_soon,
        },
        "completeness": {"level": standing.level, "label": str(levels[standing.level])},
        "region": region,
        "features": features,
        "quotas": quotas,
    }
