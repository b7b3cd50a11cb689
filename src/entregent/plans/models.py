"""Plans and what they grant, the modifiers the operator configures (trial, completeness, regions and prices),
which plan a member holds, and the usage counters quotas are spent from. Invariants only; the rules live in
`engine.py`."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Bounds that keep an operator's typo from becoming a plan: nothing limited needs more than a million a window,
# no grant lives longer than ten years, no multiplier above 10.
MAX_AMOUNT = 1_000_000
MAX_DAYS = 3650
MAX_MULTIPLIER = Decimal("10")

LEVEL_CHOICES = [
    ("beginner", _("Beginner")),
    ("intermediate", _("Intermediate")),
    ("advanced", _("Advanced")),
    ("all_star", _("All-Star")),
]


def _validate_feature(code: str) -> None:
    from entregent.plans.registry import REGISTRY

    if code not in REGISTRY.features:
        raise ValidationError(_("Unknown feature: %(code)s."), params={"code": code}, code="unknown")


def _validate_quota(code: str) -> None:
    from entregent.plans.registry import REGISTRY

    if code not in REGISTRY.quotas:
        raise ValidationError(_("Unknown quota: %(code)s."), params={"code": code}, code="unknown")


def _validate_country(code: str) -> None:
    from entregent.profiles.countries import COUNTRY_CODES

    if code not in COUNTRY_CODES:
        raise ValidationError(_("Unknown country code: %(code)s."), params={"code": code}, code="unknown")


class Plan(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0, help_text=_("Order on the plans page."))
    is_default = models.BooleanField(
        _("default plan"),
        default=False,
        help_text=_("The plan of every member without another plan or a trial."),
    )
    is_public = models.BooleanField(
        _("offered"), default=True, help_text=_("Shown to members as an upgrade.")
    )

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=models.Q(is_default=True), name="plans_one_default_plan"
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        # Default names are marked for translation in registry.DEFAULT_PLANS; an operator's own name is
        # returned as typed when the catalogue does not know it.
        return gettext(self.name)


class FeatureGrant(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="features")
    feature = models.CharField(_("feature"), max_length=80, validators=[_validate_feature])
    enabled = models.BooleanField(_("enabled"), default=False)

    class Meta:
        ordering = ["feature"]
        verbose_name = _("feature of a plan")
        verbose_name_plural = _("features of a plan")
        constraints = [models.UniqueConstraint(fields=["plan", "feature"], name="plans_featuregrant_unique")]

    def __str__(self) -> str:
        return f"{self.plan.code}: {self.feature}={'on' if self.enabled else 'off'}"


class QuotaLimit(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="quotas")
    quota = models.CharField(_("quota"), max_length=80, validators=[_validate_quota])
    limit = models.PositiveIntegerField(
        _("limit"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_AMOUNT)],
        help_text=_("Empty: unlimited."),
    )
    carry_over_cap = models.PositiveIntegerField(
        _("carry-over cap"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_AMOUNT)],
        help_text=_("Monthly quotas only: unspent grants add up to this many. Empty: no carry-over."),
    )
    expires_after_days = models.PositiveIntegerField(
        _("expires after (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DAYS)],
        help_text=_("With carry-over: a month's grant is dropped this many days after it was given."),
    )

    class Meta:
        ordering = ["quota"]
        verbose_name = _("quota of a plan")
        verbose_name_plural = _("quotas of a plan")
        constraints = [models.UniqueConstraint(fields=["plan", "quota"], name="plans_quotalimit_unique")]

    def __str__(self) -> str:
        return f"{self.plan.code}: {self.quota}={'unlimited' if self.limit is None else self.limit}"

    def clean(self) -> None:
        from entregent.plans.registry import MONTH, REGISTRY

        spec = REGISTRY.quotas.get(self.quota)
        if self.carry_over_cap is not None:
            if spec is not None and spec.window != MONTH:
                raise ValidationError({"carry_over_cap": _("Only monthly quotas can carry over.")})
            if self.limit is None:
                raise ValidationError({"carry_over_cap": _("An unlimited quota has nothing to carry over.")})
            if self.carry_over_cap < self.limit:
                raise ValidationError(
                    {"carry_over_cap": _("The carry-over cap cannot be below the monthly limit.")}
                )
        if self.expires_after_days is not None and self.carry_over_cap is None:
            raise ValidationError({"expires_after_days": _("Expiry only applies to quotas that carry over.")})


class PlanAssignment(models.Model):
    """The plan a member holds (set by the operator, later by a subscription). Without one, or once it has
    ended, the member is on their trial or on the default plan."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plan_assignment"
    )
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="assignments")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True, help_text=_("Empty: until changed."))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("plan of a member")
        verbose_name_plural = _("plans of members")

    def __str__(self) -> str:
        return f"{self.member} → {self.plan.code}"

    def clean(self) -> None:
        if self.ends_at and self.starts_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The end must come after the start.")})


class TrialSettings(models.Model):
    """The one trial rule: new accounts get `plan`'s features for `days` days from sign-up."""

    enabled = models.BooleanField(_("enabled"), default=True)
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="+")
    days = models.PositiveIntegerField(
        _("days"), default=30, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    warn_days_before = models.PositiveIntegerField(
        _("warn days before the end"), default=7, validators=[MaxValueValidator(365)]
    )

    class Meta:
        verbose_name = _("trial")
        verbose_name_plural = _("trial")

    def __str__(self) -> str:
        return gettext("%(days)s days of %(plan)s") % {"days": self.days, "plan": self.plan.display_name}


class CompletenessMultiplier(models.Model):
    """Quotas scale with the profile's completeness level: the plan's limit × multiplier, rounded down.
    A level and quota without a row count ×1."""

    level = models.CharField(_("completeness level"), max_length=20, choices=LEVEL_CHOICES)
    quota = models.CharField(_("quota"), max_length=80, validators=[_validate_quota])
    multiplier = models.DecimalField(
        _("multiplier"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_MULTIPLIER)],
    )

    class Meta:
        ordering = ["quota", "level"]
        verbose_name = _("completeness multiplier")
        verbose_name_plural = _("completeness multipliers")
        constraints = [models.UniqueConstraint(fields=["level", "quota"], name="plans_completeness_unique")]

    def __str__(self) -> str:
        return f"{self.level}: {self.quota} ×{self.multiplier}"


class Zone(models.Model):
    """A pricing region: countries → zone → prices."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    is_default = models.BooleanField(
        _("default zone"), default=False, help_text=_("Prices for members whose country is in no zone.")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("pricing zone")
        verbose_name_plural = _("pricing zones")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=models.Q(is_default=True), name="plans_one_default_zone"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ZoneCountry(models.Model):
    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="countries")
    country = models.CharField(_("country"), max_length=2, unique=True, validators=[_validate_country])

    class Meta:
        ordering = ["country"]
        verbose_name = _("country of a zone")
        verbose_name_plural = _("countries of a zone")

    def __str__(self) -> str:
        return f"{self.country} → {self.zone.code}"


class Price(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="prices")
    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="prices")
    currency = models.CharField(_("currency"), max_length=3, help_text=_("ISO 4217 code, e.g. EUR, CHF."))
    monthly = models.DecimalField(
        _("monthly price"),
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100000"))],
        help_text=_("Before tax."),
    )
    yearly_discount = models.DecimalField(
        _("yearly discount (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("90"))],
    )
    tax_rate = models.DecimalField(
        _("tax rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("50"))],
    )

    class Meta:
        ordering = ["plan__position", "zone__code"]
        verbose_name = _("price")
        verbose_name_plural = _("prices")
        constraints = [models.UniqueConstraint(fields=["plan", "zone"], name="plans_price_unique")]

    def __str__(self) -> str:
        return f"{self.plan.code}/{self.zone.code}: {self.monthly} {self.currency}"

    def clean(self) -> None:
        if self.currency and not (
            len(self.currency) == 3 and self.currency.isalpha() and self.currency.isupper()
        ):
            raise ValidationError({"currency": _("Use a three-letter ISO 4217 code in capitals, e.g. EUR.")})


class QuotaUsage(models.Model):
    """How much of a quota a member spent in one window (the week or month starting at `window_start`, in
    the instance's time zone; a fixed date for quotas that never reset). One row per member, quota and
    window, spent with a conditional UPDATE so concurrent requests never overspend (decision 0004)."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    quota = models.CharField(max_length=80)
    window_start = models.DateTimeField()
    used = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("quota usage")
        verbose_name_plural = _("quota usage")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "quota", "window_start"], name="plans_quotausage_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.quota} {self.window_start:%Y-%m-%d}: {self.used}"


# ------------------------------------------------------------------------------ subscriptions and payments

MONTH_PERIOD, YEAR_PERIOD = "month", "year"
PERIOD_CHOICES = [(MONTH_PERIOD, _("Monthly")), (YEAR_PERIOD, _("Yearly"))]
_MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


class Subscription(models.Model):
    """A member paying for a plan, period after period. The price, currency and tax rate are snapshotted when
    the member subscribes (the operator's later price changes apply at the next subscription, never to a
    running one). While the subscription is active or cancelled (at period end), the member's PlanAssignment
    names its plan until `current_period_end`. History is kept: one member has many rows, at most one in
    effect and one awaiting payment (services in `subscriptions.py`)."""

    PENDING = "pending_payment"
    ACTIVE = "active"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    STATUS_CHOICES = [
        (PENDING, _("Awaiting payment")),
        (ACTIVE, _("Active")),
        (CANCELLED, _("Cancelled at the end of the period")),
        (EXPIRED, _("Ended")),
    ]
    IN_EFFECT = (ACTIVE, CANCELLED)

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions"
    )
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="subscriptions")
    period = models.CharField(_("billing period"), max_length=5, choices=PERIOD_CHOICES)
    country = models.CharField(_("country"), max_length=2, blank=True)
    zone = models.CharField(_("pricing zone"), max_length=40)
    amount = models.DecimalField(_("price before tax"), **_MONEY)
    currency = models.CharField(_("currency"), max_length=3)
    tax_rate = models.DecimalField(
        _("tax rate (%)"), max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    status = models.CharField(_("status"), max_length=20, choices=STATUS_CHOICES, default=PENDING)
    current_period_start = models.DateTimeField(_("period start"), null=True, blank=True)
    current_period_end = models.DateTimeField(_("period end"), null=True, blank=True)
    cancel_at_period_end = models.BooleanField(_("cancel at period end"), default=False)
    scheduled_plan = models.ForeignKey(
        Plan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("plan from the next period"),
        help_text=_("A downgrade the member asked for, applied when the period ends."),
    )
    replaces = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("replaces"),
        help_text=_("The subscription this upgrade ends once it is paid."),
    )
    provider = models.CharField(_("payment provider"), max_length=40)
    provider_reference = models.CharField(_("provider reference"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(status__in=["active", "cancelled"]),
                name="plans_one_subscription_in_effect",
            ),
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(status="pending_payment"),
                name="plans_one_subscription_pending",
            ),
        ]
        indexes = [models.Index(fields=["status", "current_period_end"], name="plans_sub_status_end")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.member} {self.plan.code}/{self.period} {self.status}"

    def clean(self) -> None:
        if self.current_period_start and self.current_period_end:
            if self.current_period_end <= self.current_period_start:
                raise ValidationError({"current_period_end": _("The end must come after the start.")})
        if self.status in self.IN_EFFECT and not (self.current_period_start and self.current_period_end):
            raise ValidationError(_("A subscription in effect needs a current period."))
        if self.currency and not (len(self.currency) == 3 and self.currency.isalpha()):
            raise ValidationError({"currency": _("Use a three-letter ISO 4217 code in capitals, e.g. EUR.")})

    @property
    def in_effect(self) -> bool:
        return self.status in self.IN_EFFECT


class Receipt(models.Model):
    """What a member paid for one period: amounts computed once, when the payment is recorded, and never
    recomputed (a later price or tax change leaves past receipts as they were). `number` is sequential and
    unique across the instance."""

    number = models.PositiveIntegerField(_("number"), unique=True)
    subscription = models.ForeignKey(Subscription, on_delete=models.PROTECT, related_name="receipts")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="receipts")
    plan_name = models.CharField(_("plan"), max_length=80)
    period = models.CharField(_("billing period"), max_length=5, choices=PERIOD_CHOICES)
    period_start = models.DateTimeField(_("period start"))
    period_end = models.DateTimeField(_("period end"))
    country = models.CharField(_("country"), max_length=2, blank=True)
    zone = models.CharField(_("pricing zone"), max_length=40)
    price = models.DecimalField(_("price before tax"), **_MONEY)
    credit = models.DecimalField(
        _("credit"), default=Decimal("0"), help_text=_("Unused part of the plan it replaces."), **_MONEY
    )
    net_amount = models.DecimalField(_("amount before tax"), **_MONEY)
    tax_rate = models.DecimalField(_("tax rate (%)"), max_digits=5, decimal_places=2)
    tax_amount = models.DecimalField(_("tax"), **_MONEY)
    total = models.DecimalField(_("total"), **_MONEY)
    currency = models.CharField(_("currency"), max_length=3)
    issued_at = models.DateTimeField(_("issued at"))
    paid_at = models.DateTimeField(_("paid at"))
    provider = models.CharField(_("payment provider"), max_length=40)
    provider_reference = models.CharField(_("provider reference"), max_length=200, blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")

    def __str__(self) -> str:
        return self.display_number

    @property
    def display_number(self) -> str:
        return f"R-{self.number:06d}"

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end <= self.period_start:
            raise ValidationError({"period_end": _("The end must come after the start.")})
        if None not in (self.net_amount, self.tax_amount, self.total):
            if self.net_amount + self.tax_amount != self.total:
                raise ValidationError(_("The total must be the amount before tax plus the tax."))


class TrialNotice(models.Model):
    """A trial-ending mail that was sent: one per member and trial end, so the daily task sends it once (a
    trial the operator lengthens ends later and is announced again)."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    trial_ends_at = models.DateTimeField(_("trial ends at"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("trial-ending notice")
        verbose_name_plural = _("trial-ending notices")
        constraints = [
            models.UniqueConstraint(fields=["member", "trial_ends_at"], name="plans_trialnotice_unique")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.trial_ends_at:%Y-%m-%d}"
