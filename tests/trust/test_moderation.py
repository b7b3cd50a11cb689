"""Moderators' decisions: dismiss, warn, restrict, lift, suspend, reinstate — each recorded with who, when
and why, closing the open reports, mailing the member when it concerns them; refusals change nothing."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from entregent.trust import selectors, services
from entregent.trust.models import ModerationAction, Report
from tests.factories import member
from tests.trust.conftest import solid

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(db):
    user = solid(first_name="Rex", last_name="Spam")
    for reporter in (member(), member()):
        services.report_create(reporter=reporter, reported=user, reason="spam", comment="Sells courses.")
    return user


def test_dismiss_closes_the_reports_and_records_the_decision(staff, reported):
    action = services.reports_dismiss(moderator=staff, member=reported, reason="Ordinary sales messages.")
    assert (action.kind, action.moderator, action.reason) == ("dismiss", staff, "Ordinary sales messages.")
    assert action.created_at is not None
    assert set(Report.objects.values_list("status", flat=True)) == {"dismissed"}
    assert set(Report.objects.values_list("resolution", flat=True)) == {action.pk}
    assert not mail.outbox


def test_warn_mails_the_member_the_moderators_words(staff, reported, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.member_warn(
            moderator=staff, member=reported, reason="Stop sending the same pitch to everyone."
        )
    [message] = mail.outbox
    assert message.to == [reported.email]
    assert "A message from the moderators" in message.subject
    assert "Stop sending the same pitch to everyone." in message.body
    assert "Hello Rex," in message.body
    assert set(Report.objects.values_list("status", flat=True)) == {"actioned"}
    assert not selectors.is_restricted(reported.pk)


def test_restrict_for_the_default_or_a_chosen_length(staff, reported, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        restriction = services.member_restrict(moderator=staff, member=reported, reason="Spam.")
    assert not restriction.automatic
    assert restriction.ends_at - restriction.starts_at == dt.timedelta(days=14)
    assert restriction.action.kind == "restrict" and restriction.action.moderator == staff
    assert set(Report.objects.values_list("status", flat=True)) == {"actioned"}
    assert "The moderators of Entregent restricted your account." in mail.outbox[0].body
    assert "Until: " in mail.outbox[0].body
    longer = services.member_restrict(moderator=staff, member=reported, reason="Again.", days=30)
    assert longer.ends_at - longer.starts_at == dt.timedelta(days=30)
    assert selectors.restriction_of(reported.pk) == longer  # the new one replaces the first
    restriction.refresh_from_db()
    assert restriction.lifted_at is not None


@pytest.mark.parametrize("days", [0, 366, -1])
def test_a_restriction_length_out_of_bounds_is_refused(staff, reported, days):
    with pytest.raises(ValidationError) as error:
        services.member_restrict(moderator=staff, member=reported, reason="Spam.", days=days)
    assert "days" in error.value.message_dict
    assert not selectors.is_restricted(reported.pk)
    assert not ModerationAction.objects.exists()


def test_lift_ends_the_restriction(staff, reported):
    services.member_restrict(moderator=staff, member=reported, reason="Spam.")
    services.restriction_lift(moderator=staff, member=reported, reason="Appeal accepted.")
    assert not selectors.is_restricted(reported.pk)
    assert list(ModerationAction.objects.values_list("kind", flat=True)) == ["lift", "restrict"]
    with pytest.raises(ValidationError, match="not restricted"):
        services.restriction_lift(moderator=staff, member=reported, reason="Again.")


def test_suspend_deactivates_the_account_and_reinstate_brings_it_back(
    staff, reported, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.member_suspend(moderator=staff, member=reported, reason="A fake account selling courses.")
    reported.refresh_from_db()
    assert not reported.is_active
    assert "suspended" in mail.outbox[0].subject
    assert "A fake account selling courses." in mail.outbox[0].body
    assert ModerationAction.objects.get(kind="suspend").name_stem == "rex spam"
    with pytest.raises(ValidationError, match="already suspended"):
        services.member_suspend(moderator=staff, member=reported, reason="Again.")
    services.member_reinstate(moderator=staff, member=reported, reason="Real person after all.")
    reported.refresh_from_db()
    assert reported.is_active


def test_reinstate_only_an_account_the_moderators_suspended(staff):
    gone = member()
    gone.is_active = False
    gone.save()
    with pytest.raises(ValidationError, match="not suspended by the moderators"):
        services.member_reinstate(moderator=staff, member=gone, reason="Why not.")
    gone.refresh_from_db()
    assert not gone.is_active


def test_every_decision_needs_a_reason(staff, reported):
    for action in services.ACTIONS:
        with pytest.raises(ValidationError) as error:
            services.moderation_decide(moderator=staff, member=reported, action=action, reason="   ")
        assert "reason" in error.value.message_dict
    assert not ModerationAction.objects.exists()
    assert Report.objects.filter(status="open").count() == 2


def test_only_staff_can_moderate(alice, reported):
    for action in services.ACTIONS:
        with pytest.raises(PermissionDenied):
            services.moderation_decide(moderator=alice, member=reported, action=action, reason="Because.")
    assert not ModerationAction.objects.exists()


def test_a_moderator_cannot_moderate_themselves_nor_restrict_or_suspend_staff(staff):
    with pytest.raises(PermissionDenied):
        services.member_warn(moderator=staff, member=staff, reason="Self.")
    other = member()
    other.is_staff = True
    other.save()
    with pytest.raises(PermissionDenied):
        services.member_suspend(moderator=staff, member=other, reason="No.")
    with pytest.raises(PermissionDenied):
        services.member_restrict(moderator=staff, member=other, reason="No.")
    assert other.is_active and not selectors.is_restricted(other.pk)


def test_an_unknown_action_is_refused(staff, reported):
    with pytest.raises(ValidationError):
        services.moderation_decide(moderator=staff, member=reported, action="ban", reason="x")
