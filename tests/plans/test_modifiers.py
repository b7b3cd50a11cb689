import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from entregent import plans
from entregent.plans import engine
from entregent.plans.models import CompletenessMultiplier, QuotaLimit, QuotaUsage, TrialSettings, Zone
from entregent.plans.services import plan_assign
from tests.factories import member

pytestmark = pytest.mark.django_db


def _joined(user, days_ago: float):
    user.date_joined = timezone.now() - dt.timedelta(days=days_ago)
    user.save(update_fields=["date_joined"])
    return user


def test_trial_ends_after_the_configured_days_and_warns_before(alice):
    _joined(alice, 25)
    trial = engine.trial_for(alice)
    assert trial.active and trial.ending_soon
    assert engine.explain(alice)["trial"]["ending_soon"] is True
    _joined(alice, 31)
    assert not engine.trial_for(alice).active
    assert not plans.has(alice, "inmail.send")


def test_operator_can_change_or_switch_off_the_trial(alice):
    TrialSettings.objects.update(days=7)
    _joined(alice, 10)
    assert not plans.has(alice, "profile_views.full_list")
    TrialSettings.objects.update(days=30, plan=plans_plan("sales"))
    assert plans.has(alice, "prospecting.lead_lists")
    TrialSettings.objects.update(enabled=False)
    assert engine.trial_for(alice) is None
    assert not plans.has(alice, "prospecting.lead_lists")


def plans_plan(code):
    from entregent.plans.models import Plan

    return Plan.objects.get(code=code)


def test_completeness_multiplier_is_configurable(free_member):
    assert plans.limit(free_member, "invitations.weekly") == 50
    CompletenessMultiplier.objects.filter(level="beginner", quota="invitations.weekly").update(
        multiplier=Decimal("0.25")
    )
    assert plans.limit(free_member, "invitations.weekly") == 25
    CompletenessMultiplier.objects.all().delete()
    assert plans.limit(free_member, "invitations.weekly") == 100


def test_settings_are_not_scaled_by_completeness(free_member):
    CompletenessMultiplier.objects.create(level="beginner", quota="profile_views.history_days", multiplier=0)
    assert plans.limit(free_member, "profile_views.history_days") == 90


def _sales_member(months_ago: int):
    user = member()
    start = timezone.now() - dt.timedelta(days=31 * months_ago)
    _joined(user, 31 * months_ago + 1)
    plan_assign(member=user, plan="sales", starts_at=start)
    CompletenessMultiplier.objects.filter(quota="inmail.credits").delete()
    return user


def test_inmail_credits_accumulate_up_to_the_cap_and_expire():
    assert plans.remaining(_sales_member(0), "inmail.credits") == 50
    # 50 a month; a month's grant expires after 90 days, so at most three grants are alive
    assert plans.remaining(_sales_member(1), "inmail.credits") == 100
    old = _sales_member(12)
    assert plans.remaining(old, "inmail.credits") in (100, 150)
    QuotaLimit.objects.filter(plan__code="sales", quota="inmail.credits").update(expires_after_days=None)
    assert plans.remaining(old, "inmail.credits") == 150  # the cap


def test_spending_carried_credits_takes_the_oldest_first_and_refund_gives_back():
    user = _sales_member(1)
    plans.consume(user, "inmail.credits", n=60)
    assert plans.remaining(user, "inmail.credits") == 40
    engine.refund(user, "inmail.credits")  # the InMail was answered
    assert plans.remaining(user, "inmail.credits") == 41
    with pytest.raises(plans.QuotaExceeded) as caught:
        plans.consume(user, "inmail.credits", n=42)
    assert caught.value.resets_at > timezone.now()
    assert QuotaUsage.objects.get(member=user, quota="inmail.credits").used == 59


def test_switzerland_is_dearer_than_france_and_yearly_is_discounted():
    france = engine.price_for("FR", "career", "month")
    swiss = engine.price_for("CH", "career", "month")
    assert swiss.currency == "CHF" and france.currency == "EUR"
    assert swiss.amount > france.amount
    yearly = engine.price_for("FR", "career", "year")
    assert yearly.amount == Decimal("287.90")  # 29.99 × 12 × 0.8
    assert yearly.tax == Decimal("57.58") and yearly.total == Decimal("345.48")


def test_a_country_without_zone_and_no_default_zone_is_a_clear_error():
    Zone.objects.filter(is_default=True).update(is_default=False)
    with pytest.raises(engine.NoZone) as caught:
        engine.price_for("JP", "career")
    assert "JP" in str(caught.value)
    assert "error" in engine.explain(member(country="JP"))["region"]


def test_explain_lists_every_feature_and_quota_with_usage_and_resets(free_member):
    plans.consume(free_member, "search.monthly", n=3)
    data = engine.explain(free_member)
    from entregent.plans.registry import REGISTRY

    assert {f["code"] for f in data["features"]} == set(REGISTRY.features)
    assert {q["code"] for q in data["quotas"]} == set(REGISTRY.quotas)
    search = next(q for q in data["quotas"] if q["code"] == "search.monthly")
    assert (search["limit"], search["used"], search["left"]) == (300, 3, 297)
    assert search["resets_at"].endswith(("+01:00", "+02:00"))
    inmail = next(f for f in data["features"] if f["code"] == "inmail.send")
    assert inmail["enabled"] is False and "Career plan" in inmail["unlock"]


def test_engine_takes_no_member_input():
    """Nothing a member sends reaches the engine's writers: its public functions take a member and a
    registered name, and the only writes are spending and giving back counted usage."""
    import inspect

    for name in ("has", "limit", "remaining", "consume", "refund", "explain", "trial_for"):
        params = list(inspect.signature(getattr(engine, name)).parameters)
        assert params[0] == "member"
        assert not {"plan", "limit", "amount", "grant"} & set(params)


def test_explain_reads_a_bounded_number_of_queries(free_member, warm_graph, django_assert_max_num_queries):
    warm_graph()
    with django_assert_max_num_queries(30):
        engine.explain(free_member)
