"""The trial-ending notice: one mail, N days before the trial ends, never twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from entregent.plans import subscriptions as subs
from entregent.plans.models import TrialNotice, TrialSettings
from tests.factories import member

pytestmark = pytest.mark.django_db


def joined(days_ago: float, **profile):
    user = member(**profile)
    user.date_joined = timezone.now() - dt.timedelta(days=days_ago)
    user.save(update_fields=["date_joined"])
    return user


def run(django_capture_on_commit_callbacks, **kwargs) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return subs.trial_notices_send(**kwargs)


def test_member_is_told_once_before_trial_ends(django_capture_on_commit_callbacks):
    ending = joined(25, first_name="Chloé", country="FR")  # 30-day trial, warned 7 days before: ends in 5
    joined(10)  # ends in 20 days: not yet
    joined(40)  # ended
    assert run(django_capture_on_commit_callbacks) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [ending.email]
    assert "Career trial ends on" in message.subject
    assert "Hello Chloé," in message.body and "/plans/billing/" in message.body
    html = message.alternatives[0][0]
    assert "/plans/billing/" in html
    assert run(django_capture_on_commit_callbacks) == 0
    call_command("billing", "notify-trials")
    assert len(mail.outbox) == 1
    assert TrialNotice.objects.filter(member=ending).count() == 1


def test_member_already_subscribed_is_not_told(django_capture_on_commit_callbacks):
    subscribed = joined(25, country="FR")
    subs.subscription_start(member=subscribed, plan="business", period="month", provider="test")
    assert run(django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def test_no_notice_when_trials_are_off(django_capture_on_commit_callbacks):
    joined(25)
    TrialSettings.objects.update(enabled=False)
    assert run(django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def test_warning_period_follows_trial_settings(django_capture_on_commit_callbacks):
    TrialSettings.objects.update(warn_days_before=2)
    user = joined(25)  # ends in 5 days: outside a 2-day warning
    assert run(django_capture_on_commit_callbacks) == 0
    later = timezone.now() + dt.timedelta(days=4)
    assert run(django_capture_on_commit_callbacks, now=later) == 1
    assert [m.to for m in mail.outbox] == [[user.email]]


def test_lengthened_trial_is_announced_again(django_capture_on_commit_callbacks):
    joined(25)
    assert run(django_capture_on_commit_callbacks) == 1
    TrialSettings.objects.update(days=35)
    assert run(django_capture_on_commit_callbacks, now=timezone.now() + dt.timedelta(days=5)) == 1
    assert len(mail.outbox) == 2
