import datetime as dt

import pytest
from django.utils import timezone

from entregent import plans
from entregent.plans import engine
from entregent.plans.models import Plan, QuotaUsage
from entregent.plans.registry import UnknownEntitlement
from entregent.plans.services import plan_assign
from tests.plans.conftest import veteran

pytestmark = pytest.mark.django_db


def test_default_plans_exist_after_migrate():
    assert list(Plan.objects.values_list("code", flat=True)) == ["free", "career", "business", "sales"]
    assert Plan.objects.get(is_default=True).code == "free"


def test_ensure_default_plans_is_idempotent_and_keeps_operator_edits():
    free = Plan.objects.get(code="free")
    free.quotas.filter(quota="invitations.weekly").update(limit=42)
    engine.ensure_default_plans()
    engine.ensure_default_plans()
    assert Plan.objects.count() == 4
    assert free.quotas.get(quota="invitations.weekly").limit == 42


def test_member_without_plan_after_trial_is_on_free(free_member):
    assert not plans.has(free_member, "profile_views.full_list")
    assert plans.limit(free_member, "profile_views.visible_viewers") == 5
    assert plans.limit(free_member, "profile_views.history_days") == 90
    assert plans.limit(free_member, "inmail.credits") == 0


def test_career_member_sees_every_viewer_for_a_year(free_member):
    plan_assign(member=free_member, plan="career")
    assert plans.has(free_member, "profile_views.full_list")
    assert plans.limit(free_member, "profile_views.visible_viewers") is None
    assert plans.limit(free_member, "profile_views.history_days") == 365


def test_new_member_gets_career_trial(alice):
    assert plans.has(alice, "profile_views.full_list")
    trial = engine.trial_for(alice)
    assert trial.active and trial.plan.code == "career"
    assert trial.ends_at == alice.date_joined + dt.timedelta(days=30)


def test_unknown_names_are_refused(free_member):
    with pytest.raises(UnknownEntitlement):
        plans.has(free_member, "free.lunch")
    with pytest.raises(UnknownEntitlement):
        plans.consume(free_member, "free.lunch")


def test_consume_spends_and_refuses_past_the_limit(free_member):
    plan = Plan.objects.get(code="free")
    plan.quotas.filter(quota="search.monthly").update(limit=2)
    plans.consume(free_member, "search.monthly")
    assert plans.remaining(free_member, "search.monthly") == 1
    plans.consume(free_member, "search.monthly")
    with pytest.raises(plans.QuotaExceeded) as caught:
        plans.consume(free_member, "search.monthly")
    assert plans.remaining(free_member, "search.monthly") == 0
    error = caught.value
    assert error.quota == "search.monthly"
    local = timezone.localtime(error.resets_at)
    assert (local.day, local.hour, local.minute) == (1, 0, 0)
    assert local > timezone.now()
    assert any("Career plan" in hint for hint in error.unlock)


def test_asking_for_more_than_left_spends_nothing(free_member):
    plans.consume(free_member, "introductions.pending", n=3)
    with pytest.raises(plans.QuotaExceeded):
        plans.consume(free_member, "introductions.pending", n=3)
    assert plans.remaining(free_member, "introductions.pending") == 2


def test_free_member_has_no_inmail_and_is_told_which_plan_gives_some(free_member):
    with pytest.raises(plans.QuotaExceeded) as caught:
        plans.consume(free_member, "inmail.credits")
    assert "Career plan: 5 InMail a month" in caught.value.unlock
    assert QuotaUsage.objects.get(member=free_member, quota="inmail.credits").used == 0


def test_settings_cannot_be_consumed(free_member):
    with pytest.raises(ValueError):
        plans.consume(free_member, "profile_views.history_days")


def test_weekly_quota_resets_on_monday_in_the_instance_time_zone():
    wednesday = timezone.make_aware(dt.datetime(2026, 11, 25, 15, 0))
    start = engine.window_start("week", wednesday)
    assert timezone.localtime(start).date() == dt.date(2026, 11, 23)
    reset = timezone.localtime(engine.next_reset("week", wednesday))
    assert (reset.date(), reset.hour) == (dt.date(2026, 11, 30), 0)
    assert str(reset.tzinfo) == "Europe/Paris"
    december = timezone.localtime(
        engine.next_reset("month", timezone.make_aware(dt.datetime(2026, 12, 31, 23)))
    )
    assert december.date() == dt.date(2027, 1, 1)


def test_refund_gives_back_and_never_goes_below_zero(free_member):
    plans.consume(free_member, "introductions.pending", n=5)
    assert plans.remaining(free_member, "introductions.pending") == 0
    engine.refund(free_member, "introductions.pending")
    assert plans.remaining(free_member, "introductions.pending") == 1
    engine.refund(free_member, "introductions.pending", n=10)
    assert plans.remaining(free_member, "introductions.pending") == 5


def test_ended_assignment_falls_back_to_default(free_member):
    now = timezone.now()
    plan_assign(
        member=free_member,
        plan="sales",
        starts_at=now - dt.timedelta(days=60),
        ends_at=now - dt.timedelta(days=1),
    )
    assert not plans.has(free_member, "prospecting.lead_lists")


def test_veteran_helper_is_after_trial():
    user = veteran()
    assert not engine.trial_for(user).active
