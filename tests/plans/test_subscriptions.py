"""Subscriptions: subscribe, upgrade, downgrade, cancel, renew and expire, with receipts; every refusal leaves
nothing half-applied."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from entregent.plans import engine, providers
from entregent.plans import subscriptions as subs
from entregent.plans.models import PlanAssignment, Receipt, Subscription, Zone
from entregent.plans.providers import PaymentError, PaymentProvider
from tests.factories import UserFactory
from tests.plans.conftest import veteran

pytestmark = pytest.mark.django_db


def plan_of(member, now=None) -> str:
    return engine.Standing(member, now=now).plan.code


def snapshot(member) -> tuple:
    return (
        list(
            Subscription.objects.filter(member=member).values_list(
                "pk", "status", "plan__code", "scheduled_plan"
            )
        ),
        Receipt.objects.filter(member=member).count(),
        list(PlanAssignment.objects.filter(member=member).values_list("plan__code", "ends_at")),
    )


@pytest.fixture
def french(db):
    return veteran(country="FR")


def test_subscribe_with_test_provider_activates_assigns_plan_and_issues_receipt(french):
    assert plan_of(french) == "free"
    subscription, result = subs.subscription_start(
        member=french, plan="career", period="month", provider="test"
    )
    assert result.paid
    subscription.refresh_from_db()
    assert subscription.status == Subscription.ACTIVE
    assert (subscription.currency, subscription.amount, subscription.tax_rate) == (
        "EUR",
        Decimal("29.99"),
        Decimal("20"),
    )
    assert plan_of(french) == "career"
    receipt = Receipt.objects.get(member=french)
    assert (receipt.net_amount, receipt.tax_amount, receipt.total) == (
        Decimal("29.99"),
        Decimal("6.00"),
        Decimal("35.99"),
    )
    assert receipt.period_end == subscription.current_period_end


def test_yearly_receipt_applies_discount_and_swiss_tax(db):
    swiss = veteran(country="CH")
    subs.subscription_start(member=swiss, plan="career", period="year", provider="test")
    receipt = Receipt.objects.get(member=swiss)
    # 39.90 × 12 × (1 − 20 %) = 383.04 CHF, VAT 8.1 % = 31.03
    assert receipt.currency == "CHF"
    assert (receipt.net_amount, receipt.tax_rate, receipt.tax_amount, receipt.total) == (
        Decimal("383.04"),
        Decimal("8.10"),
        Decimal("31.03"),
        Decimal("414.07"),
    )
    assert receipt.total == receipt.net_amount + receipt.tax_amount


def test_receipt_numbers_are_sequential_and_unique(db):
    members = [veteran(country="FR") for _ in range(3)]
    for member in members:
        subs.subscription_start(member=member, plan="career", period="month", provider="test")
    numbers = list(Receipt.objects.order_by("number").values_list("number", flat=True))
    assert numbers == list(range(numbers[0], numbers[0] + 3))


def test_manual_subscription_waits_for_payment_and_keeps_current_plan(french):
    subscription, result = subs.subscription_start(
        member=french, plan="career", period="month", provider="manual"
    )
    assert not result.paid and result.message
    assert subscription.status == Subscription.PENDING
    assert plan_of(french) == "free"
    assert not Receipt.objects.filter(member=french).exists()
    receipt = subs.subscription_confirm_payment(subscription=subscription, reference="transfer 42")
    subscription.refresh_from_db()
    assert subscription.status == Subscription.ACTIVE
    assert receipt.provider == "manual" and receipt.provider_reference == "transfer 42"
    assert plan_of(french) == "career"


def test_country_without_zone_is_refused_clearly_and_nothing_stored(db):
    Zone.objects.update(is_default=False)
    member = veteran(country="JP")
    with pytest.raises(ValidationError) as error:
        subs.subscription_start(member=member, plan="career", period="month", provider="test")
    assert "No pricing zone covers JP" in " ".join(error.value.messages)
    assert snapshot(member) == ([], 0, [])


def test_country_without_zone_pays_default_zone_price(db):
    member = veteran(country="JP")
    subscription, _result = subs.subscription_start(
        member=member, plan="career", period="month", provider="test"
    )
    assert (subscription.zone, subscription.currency) == ("world", "USD")


@pytest.mark.parametrize(
    ("plan", "period", "provider"),
    [
        ("free", "month", "test"),
        ("nope", "month", "test"),
        ("career", "week", "test"),
        ("career", "month", "paypal"),
    ],
)
def test_bad_choices_are_refused_and_nothing_stored(french, plan, period, provider):
    with pytest.raises(ValidationError):
        subs.subscription_start(member=french, plan=plan, period=period, provider=provider)
    assert snapshot(french) == ([], 0, [])


def test_disabled_provider_is_refused(french, settings):
    settings.PAYMENT_PROVIDERS = ["manual"]
    with pytest.raises(ValidationError):
        subs.subscription_start(member=french, plan="career", period="month", provider="test")
    assert snapshot(french) == ([], 0, [])


def test_second_subscription_is_refused(french):
    subs.subscription_start(member=french, plan="career", period="month", provider="manual")
    before = snapshot(french)
    with pytest.raises(ValidationError, match="awaiting payment"):
        subs.subscription_start(member=french, plan="business", period="month", provider="test")
    assert snapshot(french) == before


class FailingProvider(PaymentProvider):
    name = "failing"
    label = "Failing"

    def start_checkout(self, subscription):
        raise PaymentError("card declined")

    def renew(self, subscription):
        raise PaymentError("card declined")


def test_provider_failure_leaves_nothing(french, settings):
    providers.register(FailingProvider)
    settings.PAYMENT_PROVIDERS = ["manual", "failing"]
    with pytest.raises(ValidationError, match="card declined"):
        subs.subscription_start(member=french, plan="career", period="month", provider="failing")
    assert snapshot(french) == ([], 0, [])
    assert plan_of(french) == "free"


def test_upgrade_is_immediate_with_credit_for_unused_period(french):
    start = timezone.now() - dt.timedelta(days=10)
    old, _result = subs.subscription_start(
        member=french, plan="career", period="month", provider="test", now=start
    )
    new, result = subs.subscription_change_plan(member=french, plan="business")
    assert result.paid
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.status == Subscription.EXPIRED and new.status == Subscription.ACTIVE
    assert plan_of(french) == "business"
    receipt = Receipt.objects.get(subscription=new)
    assert Decimal("0") < receipt.credit < Decimal("29.99")
    assert receipt.net_amount == Decimal("47.99") - receipt.credit
    assert receipt.total == receipt.net_amount + receipt.tax_amount


def test_manual_upgrade_keeps_old_plan_until_confirmed(french):
    old, _ = subs.subscription_start(member=french, plan="career", period="month", provider="test")
    new, result = subs.subscription_change_plan(member=french, plan="sales", provider="manual")
    assert not result.paid
    assert plan_of(french) == "career"
    subs.subscription_confirm_payment(subscription=new)
    old.refresh_from_db()
    assert old.status == Subscription.EXPIRED
    assert plan_of(french) == "sales"


def test_downgrade_takes_effect_at_period_end(french):
    subscription, _ = subs.subscription_start(member=french, plan="business", period="month", provider="test")
    same, result = subs.subscription_change_plan(member=french, plan="career")
    assert result is None and same.pk == subscription.pk
    subscription.refresh_from_db()
    assert subscription.scheduled_plan.code == "career"
    assert plan_of(french) == "business"
    after = subscription.current_period_end + dt.timedelta(minutes=1)
    assert subs.subscriptions_process_due(now=after)["renewed"] == 1
    subscription.refresh_from_db()
    assert subscription.plan.code == "career" and subscription.scheduled_plan is None
    assert plan_of(french, now=after) == "career"
    latest = Receipt.objects.filter(subscription=subscription).order_by("-number").first()
    assert latest.price == Decimal("29.99") and latest.period_start == after - dt.timedelta(minutes=1)


def test_downgrade_below_current_usage_is_refused_and_nothing_changes(french):
    subs.subscription_start(member=french, plan="sales", period="month", provider="test")
    engine.consume(french, "introductions.pending", 15)  # Career allows 10 pending introductions
    before = snapshot(french)
    with pytest.raises(ValidationError) as error:
        subs.subscription_change_plan(member=french, plan="career")
    text = " ".join(error.value.messages)
    assert "Pending introductions: you have 15, the Career plan allows 10." in text
    assert snapshot(french) == before
    subs.subscription_change_plan(member=french, plan="business")  # allows 20
    assert Subscription.objects.get(member=french, status="active").scheduled_plan.code == "business"


def test_registered_downgrade_check_refuses(french):
    subs.subscription_start(member=french, plan="sales", period="month", provider="test")

    def lead_lists(member, plan):
        return [] if plan.code == "sales" else ["You have 2 lead lists; remove them first."]

    subs.register_downgrade_check(lead_lists)
    try:
        with pytest.raises(ValidationError, match="2 lead lists"):
            subs.subscription_change_plan(member=french, plan="business")
    finally:
        subs.DOWNGRADE_CHECKS.remove(lead_lists)


def test_choosing_current_plan_again_drops_scheduled_downgrade(french):
    subs.subscription_start(member=french, plan="business", period="month", provider="test")
    subs.subscription_change_plan(member=french, plan="career")
    subs.subscription_change_plan(member=french, plan="business")
    assert Subscription.objects.get(member=french, status="active").scheduled_plan is None


def test_change_to_free_and_change_without_subscription_are_refused(french):
    with pytest.raises(ValidationError, match="no subscription"):
        subs.subscription_change_plan(member=french, plan="career")
    subs.subscription_start(member=french, plan="career", period="month", provider="test")
    before = snapshot(french)
    with pytest.raises(ValidationError, match="cancel your subscription"):
        subs.subscription_change_plan(member=french, plan="free")
    assert snapshot(french) == before


def test_cancel_keeps_plan_until_period_end_then_back_to_free(french):
    subscription, _ = subs.subscription_start(member=french, plan="career", period="month", provider="test")
    subs.subscription_cancel(subscription=subscription)
    subscription.refresh_from_db()
    assert subscription.status == Subscription.CANCELLED and subscription.cancel_at_period_end
    assert plan_of(french) == "career"
    before_end = subscription.current_period_end - dt.timedelta(minutes=1)
    assert subs.subscriptions_process_due(now=before_end) == {"renewed": 0, "expired": 0, "skipped": 0}
    after = subscription.current_period_end + dt.timedelta(seconds=1)
    assert subs.subscriptions_process_due(now=after)["expired"] == 1
    subscription.refresh_from_db()
    assert subscription.status == Subscription.EXPIRED
    assert not PlanAssignment.objects.filter(member=french).exists()
    assert plan_of(french, now=after) == "free"
    assert Receipt.objects.filter(member=french).count() == 1
    with pytest.raises(ValidationError):
        subs.subscription_cancel(subscription=subscription)


def test_cancel_pending_subscription_drops_it(french):
    subscription, _ = subs.subscription_start(member=french, plan="career", period="month", provider="manual")
    subs.subscription_cancel(subscription=subscription)
    subscription.refresh_from_db()
    assert subscription.status == Subscription.EXPIRED
    assert plan_of(french) == "free"


def test_test_provider_renews_each_period(french):
    subscription, _ = subs.subscription_start(member=french, plan="career", period="month", provider="test")
    first_end = subscription.current_period_end
    counts = subs.subscriptions_process_due(now=first_end)
    assert counts["renewed"] == 1
    subscription.refresh_from_db()
    assert subscription.current_period_start == first_end
    assert subscription.current_period_end == subs.period_end(first_end, "month")
    assert Receipt.objects.filter(subscription=subscription).count() == 2
    assert PlanAssignment.objects.get(member=french).ends_at == subscription.current_period_end
    assert subs.subscriptions_process_due(now=first_end)["renewed"] == 0  # running twice is harmless


def test_manual_subscription_expires_unless_operator_confirms_next_period(db):
    paid, unpaid = veteran(country="FR"), veteran(country="FR")
    kept, _ = subs.subscription_start(member=paid, plan="career", period="year", provider="manual")
    lapsed, _ = subs.subscription_start(member=unpaid, plan="career", period="year", provider="manual")
    subs.subscription_confirm_payment(subscription=kept)
    subs.subscription_confirm_payment(subscription=lapsed)
    kept.refresh_from_db()
    end = kept.current_period_end
    subs.subscription_confirm_payment(subscription=kept)  # next year's dues paid in advance
    kept.refresh_from_db()
    assert kept.current_period_end == subs.period_end(end, "year")
    counts = subs.subscriptions_process_due(now=end + dt.timedelta(hours=1))
    assert counts == {"renewed": 0, "expired": 1, "skipped": 0}
    assert plan_of(paid, now=end + dt.timedelta(hours=1)) == "career"
    assert plan_of(unpaid, now=end + dt.timedelta(hours=1)) == "free"


def test_failed_renewal_expires_to_free(french, settings):
    providers.register(FailingProvider)
    subscription, _ = subs.subscription_start(member=french, plan="career", period="month", provider="test")
    Subscription.objects.filter(pk=subscription.pk).update(provider="failing")
    after = subscription.current_period_end + dt.timedelta(seconds=1)
    assert subs.subscriptions_process_due(now=after)["expired"] == 1
    assert plan_of(french, now=after) == "free"


def test_period_end_clamps_to_month_length():
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(dt.datetime(2025, 1, 31, 10, 0), tz)
    assert timezone.localtime(subs.period_end(start, "month")).date() == dt.date(2025, 2, 28)
    assert timezone.localtime(subs.period_end(start, "year")).date() == dt.date(2026, 1, 31)


def test_billing_command_runs_daily_work(french, capsys):
    from django.core.management import call_command

    call_command("billing", "daily")
    out = capsys.readouterr().out
    assert "0 renewed" in out and "Trial-ending notices: 0 sent." in out


# ---------------------------------------------------------------------------------------------------- admin


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(email="root@example.org", is_staff=True, is_superuser=True))
    return client


def test_admin_confirm_payment_activates_and_issues_receipt(admin_client, french):
    subscription, _ = subs.subscription_start(member=french, plan="career", period="month", provider="manual")
    url = reverse("admin:plans_subscription_changelist")
    response = admin_client.post(
        url, {"action": "confirm_payment", "_selected_action": [subscription.pk]}, follow=True
    )
    assert response.status_code == 200
    subscription.refresh_from_db()
    assert subscription.status == Subscription.ACTIVE
    receipt = Receipt.objects.get(subscription=subscription)
    assert receipt.display_number in response.content.decode()
    assert plan_of(french) == "career"


def test_admin_confirm_payment_of_cancelled_subscription_is_refused(admin_client, french):
    subscription, _ = subs.subscription_start(member=french, plan="career", period="month", provider="test")
    subs.subscription_cancel(subscription=subscription)
    response = admin_client.post(
        reverse("admin:plans_subscription_changelist"),
        {"action": "confirm_payment", "_selected_action": [subscription.pk]},
        follow=True,
    )
    assert "cannot be paid" in response.content.decode()
    assert Receipt.objects.filter(member=french).count() == 1


def test_admin_lists_receipts_and_subscriptions(admin_client, french):
    subs.subscription_start(member=french, plan="career", period="month", provider="test")
    for name in ("plans_subscription_changelist", "plans_receipt_changelist", "plans_trialnotice_changelist"):
        assert admin_client.get(reverse(f"admin:{name}")).status_code == 200
    receipt = Receipt.objects.get(member=french)
    assert admin_client.get(reverse("admin:plans_receipt_change", args=[receipt.pk])).status_code == 200


# ---------------------------------------------------------------------------------------------------- pages


@pytest.fixture
def french_client(client, french):
    client.force_login(french)
    return client


def test_billing_page_shows_prices_for_my_country(french_client):
    response = french_client.get("/plans/billing/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "29.99&nbsp;EUR" in html and "35.99&nbsp;EUR" in html  # before tax and tax included
    assert "287.90&nbsp;EUR" in html and "20% off" in html  # yearly with the discount
    assert "CHF" not in html


def test_billing_page_explains_country_without_zone(client):
    Zone.objects.update(is_default=False)
    member = veteran(country="JP")
    client.force_login(member)
    response = client.get("/plans/billing/")
    assert response.status_code == 200
    assert "No pricing zone covers JP" in response.content.decode()


def test_logged_out_visitor_is_sent_to_login(client):
    for url in (
        "/plans/billing/",
        "/plans/billing/subscribe/?plan=career&period=month",
        "/plans/billing/receipts/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_subscribe_confirmation_then_subscribe(french_client, french):
    response = french_client.get("/plans/billing/subscribe/?plan=career&period=year")
    assert response.status_code == 200
    html = response.content.decode()
    assert "287.90&nbsp;EUR" in html and "345.48&nbsp;EUR" in html and 'value="test"' in html
    assert not Subscription.objects.exists()
    response = french_client.post(
        "/plans/billing/subscribe/", {"plan": "career", "period": "year", "provider": "test"}
    )
    assert response.status_code == 302
    assert Subscription.objects.get(member=french).status == "active"
    page = french_client.get("/plans/billing/").content.decode()
    assert "Active" in page and "R-" in page


@pytest.mark.parametrize(
    "data",
    [
        {"plan": "career", "period": "week", "provider": "test"},
        {"plan": "free", "period": "month", "provider": "test"},
        {"plan": "career", "period": "month", "provider": "paypal"},
        {"plan": "career", "period": "month"},
    ],
)
def test_subscribe_bad_input_is_422_and_nothing_stored(french_client, french, data):
    response = french_client.post("/plans/billing/subscribe/", data)
    assert response.status_code == 422
    assert 'role="alert"' in response.content.decode()
    assert snapshot(french) == ([], 0, [])


def test_subscribe_confirmation_with_bad_choice_is_422(french_client):
    assert french_client.get("/plans/billing/subscribe/?plan=nope&period=month").status_code == 422


def test_subscribe_from_country_without_zone_is_422(client):
    Zone.objects.update(is_default=False)
    member = veteran(country="JP")
    client.force_login(member)
    response = client.post(
        "/plans/billing/subscribe/", {"plan": "career", "period": "month", "provider": "test"}
    )
    assert response.status_code == 422
    assert "No pricing zone covers JP" in response.content.decode()
    assert not Subscription.objects.exists()


def test_downgrade_page_refuses_below_usage(french_client, french):
    subs.subscription_start(member=french, plan="sales", period="month", provider="test")
    engine.consume(french, "introductions.pending", 15)
    response = french_client.get("/plans/billing/change/?plan=career&period=month")
    assert response.status_code == 200
    assert "you have 15, the Career plan allows 10" in response.content.decode()
    before = snapshot(french)
    response = french_client.post("/plans/billing/change/", {"plan": "career", "period": "month"})
    assert response.status_code == 422
    assert snapshot(french) == before


def test_upgrade_and_downgrade_pages(french_client, french):
    subs.subscription_start(member=french, plan="career", period="month", provider="test")
    page = french_client.get("/plans/billing/change/?plan=sales&period=month").content.decode()
    assert "starts now" in page
    response = french_client.post(
        "/plans/billing/change/", {"plan": "sales", "period": "month", "provider": "test"}
    )
    assert response.status_code == 302
    assert plan_of(french) == "sales"
    home = french_client.get("/plans/billing/").content.decode()
    assert "/plans/billing/change/?plan=business&amp;period=month" in home and "Downgrade" in home
    response = french_client.post("/plans/billing/change/", {"plan": "business", "period": "month"})
    assert response.status_code == 302
    current = Subscription.objects.get(member=french, status="active")
    assert current.plan.code == "sales" and current.scheduled_plan.code == "business"


def test_change_without_subscription_is_404(french_client):
    assert french_client.get("/plans/billing/change/?plan=sales&period=month").status_code == 404


def test_cancel_page_confirms_then_cancels(french_client, french):
    subscription, _ = subs.subscription_start(member=french, plan="career", period="month", provider="test")
    url = f"/plans/billing/cancel/{subscription.pk}/"
    assert french_client.get(url).status_code == 200
    assert Subscription.objects.get(pk=subscription.pk).status == "active"  # the GET changed nothing
    assert french_client.post(url).status_code == 302
    assert Subscription.objects.get(pk=subscription.pk).status == "cancelled"
    assert french_client.post(url).status_code == 422


def test_another_members_subscription_and_receipt_are_404(client, french):
    subscription, _ = subs.subscription_start(member=french, plan="career", period="month", provider="test")
    receipt = Receipt.objects.get(member=french)
    stranger = veteran(country="FR")
    client.force_login(stranger)
    assert client.get(f"/plans/billing/cancel/{subscription.pk}/").status_code == 404
    assert client.post(f"/plans/billing/cancel/{subscription.pk}/").status_code == 404
    assert client.get(f"/plans/billing/receipts/{receipt.number}/").status_code == 404
    assert Subscription.objects.get(pk=subscription.pk).status == "active"


def test_receipt_page_lists_price_tax_and_currency(french_client, french):
    subs.subscription_start(member=french, plan="career", period="month", provider="test")
    receipt = Receipt.objects.get(member=french)
    listing = french_client.get("/plans/billing/receipts/")
    assert listing.status_code == 200 and receipt.display_number in listing.content.decode()
    html = french_client.get(f"/plans/billing/receipts/{receipt.number}/").content.decode()
    for text in ("29.99&nbsp;EUR", "6.00&nbsp;EUR", "35.99&nbsp;EUR", "Tax (20%)", "billing-print.css"):
        assert text in html


def test_billing_pages_have_no_inline_style_or_script(french_client, french):
    subs.subscription_start(member=french, plan="career", period="month", provider="test")
    receipt = Receipt.objects.get(member=french)
    for url in (
        "/plans/billing/",
        "/plans/billing/change/?plan=sales&period=month",
        f"/plans/billing/receipts/{receipt.number}/",
    ):
        html = french_client.get(url).content.decode()
        assert " style=" not in html and "<script>" not in html


def test_receipts_page_query_count_is_bounded(
    french_client, french, warm_graph, django_assert_max_num_queries
):
    subscription, _ = subs.subscription_start(member=french, plan="career", period="month", provider="test")
    for _ in range(5):
        subs.subscription_renew_or_expire(
            subscription=subscription, now=Subscription.objects.get(pk=subscription.pk).current_period_end
        )
    assert Receipt.objects.filter(member=french).count() == 6
    warm_graph()
    with django_assert_max_num_queries(
        14
    ):  # 11 + the My network and Messaging badges and the restriction notice
        french_client.get("/plans/billing/receipts/")
