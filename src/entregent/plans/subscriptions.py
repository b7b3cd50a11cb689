"""Subscriptions and payments: a member subscribes to a plan, changes it, cancels it; periods renew or
expire; each paid period issues a receipt. Writes only, each one atomic: a refused change (no zone for the
member's country, a downgrade below current usage, a provider error) leaves nothing half-applied.

    subscription_start(member=, plan=, period=, provider=)      -> (Subscription, CheckoutResult)
    subscription_change_plan(member=, plan=, period=, provider=) -> (Subscription, CheckoutResult | None)
    subscription_cancel(subscription=)                           cancel at period end (or drop an unpaid one)
    subscription_confirm_payment(subscription=, reference=)      the operator or a provider's webhook
    subscriptions_process_due(now=)                              the daily task: renew or expire ended periods
    trial_notices_send(now=)                                     the daily task: "your trial ends on …" once

Rules (docs/payments.md):
- The price, currency and tax rate come from `engine.price_for` for the member's profile country when they
  subscribe, and are kept for every renewal of that subscription (a changed price list applies to new
  subscriptions and plan changes).
- **Upgrade** (to a plan placed higher, `Plan.position`): immediate. A new period starts at the new plan's
  full price, minus a credit for the unused part of the current period (same currency only); the old
  subscription ends when the new one is paid, so a manual-payment upgrade keeps the old plan until the
  operator confirms.
- **Downgrade**: takes effect when the current period ends. Refused while the member holds more than the new
  plan allows of a quota that counts things held (a `none`-window counter such as pending introductions) or
  of anything a later feature checks through `register_downgrade_check`.
- **Cancel**: the plan is kept until the period ends, then the member is back on the default plan.
- The member's PlanAssignment names the subscription's plan until the period end, so the engine drops them
  to the default plan at the end even if the daily task is late.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
from collections.abc import Callable
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from entregent.plans import engine, providers
from entregent.plans.models import (
    MONTH_PERIOD,
    YEAR_PERIOD,
    Plan,
    PlanAssignment,
    Receipt,
    Subscription,
    TrialNotice,
    TrialSettings,
)
from entregent.plans.providers import CheckoutResult, PaymentError, UnknownProvider
from entregent.plans.registry import COUNTER, NONE, REGISTRY
from entregent.plans.services import plan_assign, plan_unassign

if TYPE_CHECKING:
    from entregent.accounts.models import User

log = logging.getLogger(__name__)

PERIODS = (MONTH_PERIOD, YEAR_PERIOD)
_CENT = Decimal("0.01")
UPGRADE, DOWNGRADE, UNCHANGED = "upgrade", "downgrade", "unchanged"

# ------------------------------------------------------------------------------------------------- helpers


def period_end(start: dt.datetime, period: str) -> dt.datetime:
    """One calendar month or year after `start`, in the instance's time zone (31 January + 1 month is the
    last day of February)."""
    months = 1 if period == MONTH_PERIOD else 12
    local = timezone.localtime(start)
    years, month0 = divmod(local.month - 1 + months, 12)
    year, month = local.year + years, month0 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    naive = dt.datetime.combine(dt.date(year, month, day), local.time().replace(tzinfo=None))
    return timezone.make_aware(naive, timezone.get_current_timezone())


def _note(subscription: Subscription) -> str:
    return f"subscription:{subscription.pk}"


def _lock_member(member: User) -> None:
    # Serialise one member's billing writes (two tabs clicking "Subscribe" at once).
    from django.contrib.auth import get_user_model

    get_user_model().objects.select_for_update().filter(pk=member.pk).first()


def _plan(plan: Plan | str) -> Plan:
    if isinstance(plan, Plan):
        return plan
    found = Plan.objects.filter(code=plan).first()
    if found is None:
        raise ValidationError(_("Unknown plan."), code="unknown_plan")
    return found


def _offered(plan: Plan | str) -> Plan:
    plan = _plan(plan)
    if plan.is_default:
        raise ValidationError(
            _("The %(plan)s plan is free: cancel your subscription to go back to it.")
            % {"plan": plan.display_name},
            code="default_plan",
        )
    if not plan.is_public:
        raise ValidationError(_("This plan is not offered."), code="not_offered")
    return plan


def _period(period: str) -> str:
    if period not in PERIODS:
        raise ValidationError(_("Choose monthly or yearly billing."), code="period")
    return period


def _provider(name: str) -> providers.PaymentProvider:
    try:
        return providers.get(name, enabled_only=True)
    except UnknownProvider:
        raise ValidationError(_("This payment method is not available."), code="provider") from None


def _quote(member: User, plan: Plan, period: str) -> engine.PriceQuote:
    try:
        return engine.price_for(member, plan, period)
    except (engine.NoZone, engine.NoPrice) as error:
        raise ValidationError(str(error), code="no_price") from None


def _tax(amount: Decimal, rate: Decimal) -> Decimal:
    return (amount * rate / 100).quantize(_CENT, ROUND_HALF_UP)


def _credit(old: Subscription, new: Subscription, now: dt.datetime) -> Decimal:
    """The unused part of `old`'s paid period, before tax, that `new` deducts (same currency only)."""
    if not old.in_effect or old.currency != new.currency or old.current_period_end <= now:
        return Decimal(0)
    whole = (old.current_period_end - old.current_period_start).total_seconds()
    left = (old.current_period_end - max(now, old.current_period_start)).total_seconds()
    credit = (old.amount * Decimal(left) / Decimal(whole)).quantize(_CENT, ROUND_DOWN)
    return min(credit, new.amount)


def upgrade_credit(
    current: Subscription, quote: engine.PriceQuote, now: dt.datetime | None = None
) -> Decimal:
    """What an upgrade to `quote` would deduct now (shown on the confirmation page)."""
    return _credit(current, Subscription(amount=quote.amount, currency=quote.currency), now or timezone.now())


def _issue_receipt(
    subscription: Subscription,
    *,
    start: dt.datetime,
    end: dt.datetime,
    paid_at: dt.datetime,
    reference: str,
    credit: Decimal = Decimal(0),
) -> Receipt:
    net = subscription.amount - credit
    tax = _tax(net, subscription.tax_rate)
    for _attempt in range(5):
        number = (Receipt.objects.aggregate(top=Max("number"))["top"] or 0) + 1
        receipt = Receipt(
            number=number,
            subscription=subscription,
            member=subscription.member,
            plan_name=subscription.plan.display_name,
            period=subscription.period,
            period_start=start,
            period_end=end,
            country=subscription.country,
            zone=subscription.zone,
            price=subscription.amount,
            credit=credit,
            net_amount=net,
            tax_rate=subscription.tax_rate,
            tax_amount=tax,
            total=net + tax,
            currency=subscription.currency,
            issued_at=timezone.now(),
            paid_at=paid_at,
            provider=subscription.provider,
            provider_reference=reference,
        )
        receipt.full_clean(exclude=["number"])
        try:
            with transaction.atomic():  # a savepoint: a concurrent receipt took the number, take the next
                receipt.save()
        except IntegrityError:
            continue
        return receipt
    raise RuntimeError("could not number a receipt after 5 attempts")


def _assign(subscription: Subscription, now: dt.datetime) -> None:
    """The member holds the subscription's plan until its period ends. Renewing the same plan keeps the
    assignment's start (InMail credits carried over count from it)."""
    current = PlanAssignment.objects.filter(member_id=subscription.member_id).first()
    starts_at = now
    if current is not None and current.plan_id == subscription.plan_id and current.starts_at <= now:
        starts_at = current.starts_at
    plan_assign(
        member=subscription.member,
        plan=subscription.plan,
        starts_at=starts_at,
        ends_at=subscription.current_period_end,
        note=_note(subscription),
    )


def _activate(subscription: Subscription, *, reference: str, now: dt.datetime) -> Receipt:
    credit = Decimal(0)
    old = subscription.replaces
    if old is not None:
        old = Subscription.objects.select_for_update().get(pk=old.pk)
        credit = _credit(old, subscription, now)
        if old.in_effect:
            old.status = Subscription.EXPIRED
            old.current_period_end = max(now, old.current_period_start + dt.timedelta(seconds=1))
            old.full_clean()
            old.save()
    subscription.status = Subscription.ACTIVE
    subscription.current_period_start = now
    subscription.current_period_end = period_end(now, subscription.period)
    if reference:
        subscription.provider_reference = reference
    subscription.full_clean()
    subscription.save()
    receipt = _issue_receipt(
        subscription,
        start=subscription.current_period_start,
        end=subscription.current_period_end,
        paid_at=now,
        reference=reference,
        credit=credit,
    )
    _assign(subscription, now)
    return receipt


def _expire(subscription: Subscription, now: dt.datetime) -> None:
    subscription.status = Subscription.EXPIRED
    subscription.scheduled_plan = None
    subscription.full_clean()
    subscription.save()
    # Only the assignment this subscription made: an operator's later grant stays.
    if PlanAssignment.objects.filter(member_id=subscription.member_id, note=_note(subscription)).exists():
        plan_unassign(member=subscription.member)


def _checkout_error(error: PaymentError) -> ValidationError:
    return ValidationError(
        _("The payment did not go through: %(reason)s") % {"reason": str(error)}, code="payment"
    )


# ------------------------------------------------------------------------------------- downgrade checks

DowngradeCheck = Callable[["User", Plan], list[str]]
DOWNGRADE_CHECKS: list[DowngradeCheck] = []


def register_downgrade_check(check: DowngradeCheck) -> DowngradeCheck:
    """A later feature refuses a downgrade that would leave the member holding more than the new plan
    allows (e.g. lead lists on a plan without them): `check(member, plan)` returns the problems, in the
    member's language (empty: fine)."""
    DOWNGRADE_CHECKS.append(check)
    return check


class _StandingOn(engine.Standing):
    """The member's standing as if they held `plan` (completeness multipliers still apply)."""

    def __init__(self, member: User, plan: Plan) -> None:
        super().__init__(member)
        self._target = plan

    @cached_property
    def plan(self) -> Plan:
        return self._target


def downgrade_problems(member: User, plan: Plan) -> list[str]:
    """Why `member` cannot move to `plan` now: counters of things held (window `none`) above its limits."""
    standing = _StandingOn(member, plan)
    problems: list[str] = []
    for code, spec in REGISTRY.quotas.items():
        if spec.kind != COUNTER or spec.window != NONE:
            continue
        limit = standing.quota(code).limit
        used = standing.used(code)
        if limit is not None and used > limit:
            problems.append(
                _("%(quota)s: you have %(used)s, the %(plan)s plan allows %(limit)s.")
                % {"quota": spec.label, "used": used, "plan": plan.display_name, "limit": limit}
            )
    for check in DOWNGRADE_CHECKS:
        problems.extend(check(member, plan))
    return problems


def change_kind(current: Plan, target: Plan) -> str:
    if current.pk == target.pk:
        return UNCHANGED
    if (target.position, target.code) > (current.position, current.code):
        return UPGRADE
    return DOWNGRADE


# ------------------------------------------------------------------------------------------------ services


@transaction.atomic
def subscription_start(
    *, member: User, plan: Plan | str, period: str, provider: str, now: dt.datetime | None = None
) -> tuple[Subscription, CheckoutResult]:
    """Subscribe a member without a subscription to `plan`, paid `period`ly through `provider`. Paid at once
    (test provider): active with a receipt. Otherwise it awaits payment and the member keeps their plan."""
    now = now or timezone.now()
    plan = _offered(plan)
    period = _period(period)
    chosen = _provider(provider)
    _lock_member(member)
    existing = Subscription.objects.filter(
        member_id=member.pk, status__in=(Subscription.PENDING, *Subscription.IN_EFFECT)
    ).first()
    if existing is not None and existing.status == Subscription.PENDING:
        raise ValidationError(
            _("You already have a subscription awaiting payment: cancel it before choosing another plan."),
            code="pending",
        )
    if existing is not None:
        raise ValidationError(
            _("You already have a subscription: change its plan instead."), code="subscribed"
        )
    quote = _quote(member, plan, period)
    subscription = Subscription(
        member=member,
        plan=plan,
        period=period,
        country=quote.country[:2],
        zone=quote.zone,
        amount=quote.amount,
        currency=quote.currency,
        tax_rate=quote.tax_rate,
        status=Subscription.PENDING,
        provider=chosen.name,
    )
    subscription.full_clean()
    subscription.save()
    try:
        result = chosen.start_checkout(subscription)
    except PaymentError as error:
        raise _checkout_error(error) from None
    if result.paid:
        _activate(subscription, reference=result.reference, now=now)
    elif result.reference:
        subscription.provider_reference = result.reference
        subscription.save(update_fields=["provider_reference", "updated_at"])
    return subscription, result


@transaction.atomic
def subscription_change_plan(
    *,
    member: User,
    plan: Plan | str,
    period: str | None = None,
    provider: str | None = None,
    now: dt.datetime | None = None,
) -> tuple[Subscription, CheckoutResult | None]:
    """Move the member's subscription to another plan. An upgrade starts a new, paid period now (returns the
    new subscription and the checkout result); a downgrade is scheduled for the end of the period (returns
    the current subscription and None). Choosing the current plan again drops a scheduled downgrade."""
    now = now or timezone.now()
    target = _plan(plan)
    _lock_member(member)
    current = (
        Subscription.objects.select_for_update()
        .select_related("plan")
        .filter(member_id=member.pk, status__in=Subscription.IN_EFFECT)
        .first()
    )
    if current is None:
        raise ValidationError(_("You have no subscription to change."), code="no_subscription")
    kind = change_kind(current.plan, target)
    if kind == UNCHANGED:
        if current.scheduled_plan_id is None:
            raise ValidationError(_("You already have this plan."), code="unchanged")
        current.scheduled_plan = None
        current.full_clean()
        current.save()
        return current, None
    target = _offered(target)
    if kind == DOWNGRADE:
        if current.status == Subscription.CANCELLED:
            raise ValidationError(
                _("Your subscription is cancelled and ends with this period: there is nothing to downgrade."),
                code="cancelled",
            )
        if period is not None and period != current.period:
            raise ValidationError(
                _("A downgrade keeps your billing period; change it when you subscribe again."),
                code="period",
            )
        problems = downgrade_problems(member, target)
        if problems:
            raise ValidationError(
                [_("You cannot move to the %(plan)s plan yet.") % {"plan": target.display_name}, *problems],
                code="usage",
            )
        _quote(member, target, current.period)  # a price must exist where the member lives
        current.scheduled_plan = target
        current.full_clean()
        current.save()
        return current, None

    if Subscription.objects.filter(member_id=member.pk, status=Subscription.PENDING).exists():
        raise ValidationError(
            _("You already have a subscription awaiting payment: cancel it before choosing another plan."),
            code="pending",
        )
    period = _period(period or current.period)
    chosen = _provider(provider or current.provider)
    quote = _quote(member, target, period)
    subscription = Subscription(
        member=member,
        plan=target,
        period=period,
        country=quote.country[:2],
        zone=quote.zone,
        amount=quote.amount,
        currency=quote.currency,
        tax_rate=quote.tax_rate,
        status=Subscription.PENDING,
        provider=chosen.name,
        replaces=current,
    )
    subscription.full_clean()
    subscription.save()
    try:
        result = chosen.start_checkout(subscription)
    except PaymentError as error:
        raise _checkout_error(error) from None
    if result.paid:
        _activate(subscription, reference=result.reference, now=now)
    return subscription, result


@transaction.atomic
def subscription_cancel(*, subscription: Subscription, now: dt.datetime | None = None) -> Subscription:
    """Cancel at the end of the period: the plan is kept until then. An unpaid subscription is dropped at
    once (the member never held its plan)."""
    now = now or timezone.now()
    subscription = Subscription.objects.select_for_update().select_related("plan").get(pk=subscription.pk)
    if subscription.status in (Subscription.CANCELLED, Subscription.EXPIRED):
        raise ValidationError(_("This subscription is already cancelled."), code="cancelled")
    provider = providers.get(subscription.provider)
    try:
        provider.cancel(subscription)
    except PaymentError as error:
        raise _checkout_error(error) from None
    if subscription.status == Subscription.PENDING:
        subscription.status = Subscription.EXPIRED
    else:
        subscription.status = Subscription.CANCELLED
        subscription.cancel_at_period_end = True
        subscription.scheduled_plan = None
    subscription.full_clean()
    subscription.save()
    return subscription


@transaction.atomic
def subscription_confirm_payment(
    *, subscription: Subscription, reference: str = "", now: dt.datetime | None = None
) -> Receipt:
    """A payment arrived (the operator's "Confirm payment", or a provider's webhook). Awaiting payment: the
    subscription starts now. Active: the payment is for the next period, which is added (manual renewal)."""
    now = now or timezone.now()
    subscription = (
        Subscription.objects.select_for_update().select_related("plan", "member").get(pk=subscription.pk)
    )
    provider = providers.get(subscription.provider)
    if subscription.status == Subscription.PENDING:
        try:
            result = provider.confirm(subscription)
        except PaymentError as error:
            raise _checkout_error(error) from None
        return _activate(subscription, reference=reference or result.reference, now=now)
    if subscription.status == Subscription.ACTIVE:
        if subscription.scheduled_plan_id is not None:
            raise ValidationError(
                _("This subscription changes plan at the end of its period: confirm a payment after that."),
                code="scheduled",
            )
        try:
            result = provider.confirm(subscription)
        except PaymentError as error:
            raise _checkout_error(error) from None
        start = subscription.current_period_end
        subscription.current_period_end = period_end(start, subscription.period)
        subscription.full_clean()
        subscription.save()
        receipt = _issue_receipt(
            subscription,
            start=start,
            end=subscription.current_period_end,
            paid_at=now,
            reference=reference or result.reference,
        )
        _assign(subscription, now)
        return receipt
    raise ValidationError(_("A cancelled or ended subscription cannot be paid."), code="not_payable")


@transaction.atomic
def subscription_renew_or_expire(*, subscription: Subscription, now: dt.datetime | None = None) -> str:
    """One subscription whose period ended: renew it through its provider ("renewed"), or end it and send
    the member back to the default plan ("expired"). Returns what happened ("skipped": not due)."""
    now = now or timezone.now()
    subscription = (
        Subscription.objects.select_for_update(of=("self",))
        .select_related("plan", "member", "scheduled_plan")
        .get(pk=subscription.pk)
    )
    if not subscription.in_effect or subscription.current_period_end > now:
        return "skipped"
    if subscription.status == Subscription.CANCELLED:
        _expire(subscription, now)
        return "expired"
    if subscription.scheduled_plan_id is not None:
        try:
            quote = engine.price_for(subscription.member, subscription.scheduled_plan, subscription.period)
        except (engine.NoZone, engine.NoPrice):
            _expire(subscription, now)
            return "expired"
        subscription.plan = subscription.scheduled_plan
        subscription.scheduled_plan = None
        subscription.country = quote.country[:2]
        subscription.zone = quote.zone
        subscription.amount = quote.amount
        subscription.currency = quote.currency
        subscription.tax_rate = quote.tax_rate
    try:
        result = providers.get(subscription.provider).renew(subscription)
    except (PaymentError, UnknownProvider) as error:
        log.warning("subscription %s not renewed: %s", subscription.pk, error)
        result = CheckoutResult(paid=False)
    if not result.paid:
        subscription.refresh_from_db()
        _expire(subscription, now)
        return "expired"
    start = subscription.current_period_end
    subscription.current_period_start = start
    subscription.current_period_end = period_end(start, subscription.period)
    subscription.full_clean()
    subscription.save()
    _issue_receipt(
        subscription,
        start=start,
        end=subscription.current_period_end,
        paid_at=now,
        reference=result.reference,
    )
    _assign(subscription, now)
    return "renewed"


def subscriptions_process_due(*, now: dt.datetime | None = None, batch: int = 500) -> dict[str, int]:
    """The daily task: every subscription in effect whose period ended is renewed or expired, each in its own
    transaction (one provider failure never blocks the others)."""
    now = now or timezone.now()
    counts = {"renewed": 0, "expired": 0, "skipped": 0}
    due = Subscription.objects.filter(status__in=Subscription.IN_EFFECT, current_period_end__lte=now)
    last = 0
    while True:
        ids = list(due.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch])
        if not ids:
            return counts
        for pk in ids:
            outcome = subscription_renew_or_expire(subscription=Subscription(pk=pk), now=now)
            counts[outcome] += 1
        last = ids[-1]


# ------------------------------------------------------------------------------------- trial-ending notice


def _trial_mail(member: User, trial: engine.Trial) -> dict:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    context = {
        "member": member,
        "name": getattr(getattr(member, "profile", None), "first_name", "") or "",
        "trial": trial,
        "plan_name": trial.plan.display_name,
        "ends_on": formats.date_format(timezone.localtime(trial.ends_at)),
        "billing_url": f"{base}/plans/billing/",
        "site_name": settings.SITE_NAME,
    }
    subject = render_to_string("plans/emails/trial_ending_subject.txt", context).strip()
    return {
        "subject": settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        "body": render_to_string("plans/emails/trial_ending_message.txt", context),
        "html": render_to_string("plans/emails/trial_ending_message.html", context),
        "to": [member.email],
    }


def trial_notices_send(*, now: dt.datetime | None = None) -> int:
    """The daily task: tell each member whose trial ends within the warning period (TrialSettings) that it
    ends, once per trial end; members already on a paid or granted plan are not told. Returns how many
    mails were queued (they leave after commit)."""
    from entregent.accounts.models import User
    from entregent.accounts.tasks import send_email

    now = now or timezone.now()
    rule = TrialSettings.objects.first()
    if rule is None or not rule.enabled:
        return 0
    length = dt.timedelta(days=rule.days)
    warn = dt.timedelta(days=rule.warn_days_before)
    holding = Q(plan_assignment__plan__is_default=False, plan_assignment__starts_at__lte=now) & (
        Q(plan_assignment__ends_at__isnull=True) | Q(plan_assignment__ends_at__gt=now)
    )
    members = (
        User.objects.filter(
            is_active=True, date_joined__gt=now - length, date_joined__lte=now - length + warn
        )
        .exclude(holding)
        .exclude(pk__in=TrialNotice.objects.filter(trial_ends_at__gt=now).values("member_id"))
        .select_related("profile")
        .order_by("pk")
    )
    sent = 0
    for member in members.iterator(chunk_size=500):
        trial = engine.trial_for(member, now=now)
        if trial is None or not trial.ending_soon:
            continue
        with transaction.atomic():
            _notice, created = TrialNotice.objects.get_or_create(member=member, trial_ends_at=trial.ends_at)
            if not created:
                continue
            payload = _trial_mail(member, trial)
            transaction.on_commit(lambda payload=payload: send_email.enqueue(**payload))
        sent += 1
    return sent
