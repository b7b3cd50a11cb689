"""Automatic restriction: the invitation rate and the reports that trigger it, its settings, its mail and
notice, its end, and the daily job; what a restriction does (no invitations, invitations hidden)."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from entregent.network import services as network
from entregent.network.models import Invitation, TriageAction
from entregent.trust import selectors, services
from entregent.trust.models import ModerationAction, Report, Restriction
from tests.factories import member
from tests.trust.conftest import crowd, invite, solid

pytestmark = pytest.mark.django_db

DAYS_AGO = dt.timedelta(days=3)


def spammer_with(sent: int, bad: int, *, ago=DAYS_AGO):
    user = solid()
    others = crowd(sent)
    invite(user, others[:bad], status=Invitation.Status.IGNORED, ago=ago)
    invite(user, others[bad:], ago=ago)
    return user


def test_a_member_whose_invitations_are_mostly_ignored_is_restricted(django_capture_on_commit_callbacks):
    user = spammer_with(20, 10)
    with django_capture_on_commit_callbacks(execute=True):
        restriction = services.review_member(user.pk)
    assert restriction is not None and restriction.automatic
    assert selectors.is_restricted(user.pk)
    assert restriction.ends_at - restriction.starts_at == dt.timedelta(days=14)
    assert restriction.reason == (
        "Many of the invitations you sent recently were ignored or reported: 10 of 20 in the last 30 days."
    )
    action = ModerationAction.objects.get(member=user)
    assert (action.kind, action.moderator, action.until) == ("auto_restrict", None, restriction.ends_at)
    [message] = mail.outbox
    assert message.to == [user.email]
    assert "Your account is restricted until" in message.subject
    assert "10 of 20" in message.body
    assert "cannot send invitations or messages" in message.body


def test_declined_and_reported_invitations_count_too():
    user = solid()
    others = crowd(20)
    invite(user, others[:5], ago=DAYS_AGO, triage_action=TriageAction.DECLINE)
    invite(user, others[5:], ago=DAYS_AGO)
    for reporter in others[5:10]:
        Report.objects.create(reporter=reporter, reported=user, reason="spam", status="actioned")
    assert services.review_member(user.pk) is not None


@pytest.mark.parametrize(("sent", "bad"), [(19, 19), (20, 9), (40, 19)])
def test_below_the_thresholds_nothing_happens(sent, bad):
    user = spammer_with(sent, bad)
    assert services.review_member(user.pk) is None
    assert not selectors.is_restricted(user.pk)
    assert not mail.outbox


def test_old_invitations_do_not_count():
    user = spammer_with(30, 30, ago=dt.timedelta(days=31))
    assert services.review_member(user.pk) is None


def test_the_thresholds_come_from_the_settings(settings):
    settings.TRUST_AUTO_RESTRICT_MIN_INVITATIONS = 5
    settings.TRUST_AUTO_RESTRICT_RATE = 0.8
    settings.TRUST_AUTO_RESTRICT_DAYS = 3
    assert services.review_member(spammer_with(5, 3).pk) is None
    restriction = services.review_member(spammer_with(5, 4).pk)
    assert restriction.ends_at - restriction.starts_at == dt.timedelta(days=3)


def test_three_members_reporting_restrict_automatically(django_capture_on_commit_callbacks):
    user = solid()
    reporters = crowd(3)
    for reporter in reporters[:2]:
        services.report_create(reporter=reporter, reported=user, reason="spam")
    assert not selectors.is_restricted(user.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_create(reporter=reporters[2], reported=user, reason="harassment")
    restriction = selectors.restriction_of(user.pk)
    assert restriction.automatic
    assert restriction.reason == "3 members reported your profile; the moderators will look at the reports."
    assert len(mail.outbox) == 1


def test_the_number_of_reports_comes_from_the_settings(settings):
    settings.TRUST_AUTO_RESTRICT_REPORTS = 1
    user = solid()
    services.report_create(reporter=member(), reported=user, reason="spam")
    assert selectors.is_restricted(user.pk)


def test_review_is_idempotent(django_capture_on_commit_callbacks):
    user = spammer_with(20, 20)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.review_member(user.pk)
        again = services.review_member(user.pk)
    assert first is not None and again is None
    assert Restriction.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_suspended_or_unknown_member_is_not_reviewed():
    user = spammer_with(20, 20)
    user.is_active = False
    user.save()
    assert services.review_member(user.pk) is None
    assert services.review_member(10**9) is None


def test_a_restriction_ends_by_itself_and_the_same_invitations_do_not_restrict_again():
    user = spammer_with(20, 20, ago=dt.timedelta(days=20))
    restriction = services.review_member(user.pk)
    assert selectors.is_restricted(user.pk)
    # Fifteen days later the restriction is over and the same invitations are not read again.
    Restriction.objects.filter(pk=restriction.pk).update(
        starts_at=restriction.starts_at - dt.timedelta(days=15),
        ends_at=timezone.now() - dt.timedelta(minutes=1),
    )
    assert not selectors.is_restricted(user.pk)
    assert selectors.restriction_of(user.pk) is None
    assert services.review_member(user.pk) is None
    # New invitations after it, mostly ignored, restrict again.
    invite(user, crowd(20), status=Invitation.Status.IGNORED, ago=dt.timedelta(seconds=1))
    assert services.review_member(user.pk) is not None


def test_a_lifted_restriction_is_not_restored_on_the_same_evidence(staff):
    user = spammer_with(20, 20)
    services.review_member(user.pk)
    services.restriction_lift(moderator=staff, member=user, reason="Known to the recipients.")
    assert not selectors.is_restricted(user.pk)
    assert services.review_member(user.pk) is None


def test_restricted_member_ids_lists_only_restrictions_in_effect():
    now = timezone.now()
    current, ended, lifted, future, free = (solid() for _ in range(5))
    Restriction.objects.create(
        member=current, reason="r", starts_at=now - dt.timedelta(days=1), ends_at=now + dt.timedelta(days=1)
    )
    Restriction.objects.create(
        member=ended, reason="r", starts_at=now - dt.timedelta(days=3), ends_at=now - dt.timedelta(days=1)
    )
    Restriction.objects.create(
        member=lifted,
        reason="r",
        starts_at=now - dt.timedelta(days=1),
        ends_at=now + dt.timedelta(days=1),
        lifted_at=now,
    )
    Restriction.objects.create(
        member=future, reason="r", starts_at=now + dt.timedelta(days=1), ends_at=now + dt.timedelta(days=2)
    )
    assert {row["member_id"] for row in selectors.restricted_member_ids()} == {current.pk}
    assert [selectors.is_restricted(m.pk) for m in (current, ended, lifted, future, free)] == [True] + [
        False
    ] * 4


def test_a_restricted_member_cannot_invite(alice, bob):
    Restriction.objects.create(member=alice, reason="r", ends_at=timezone.now() + dt.timedelta(days=1))
    with pytest.raises(PermissionDenied, match="restricted"):
        network.invitation_send(sender=alice, recipient=bob)
    assert not Invitation.objects.exists()


def test_the_notice_says_why_and_until_when(alice, bob):
    until = timezone.now() + dt.timedelta(days=14)
    Restriction.objects.create(member=alice, reason="Too many invitations ignored.", ends_at=until)
    request = RequestFactory().get("/")
    request.user = alice
    html = render_to_string("trust/_notice.html", {"request": request})
    assert "Your account is restricted until" in html
    assert "Too many invitations ignored." in html
    assert 'role="status"' in html
    request.user = bob
    del request._trust_restriction
    assert render_to_string("trust/_notice.html", {"request": request}).strip() == ""


def test_the_notice_costs_one_query_per_request(alice, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = alice
    with django_assert_num_queries(1):
        render_to_string("trust/_notice.html", {"request": request})
        render_to_string("trust/_notice.html", {"request": request})


def test_the_notice_is_empty_for_visitors(django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert render_to_string("trust/_notice.html", {"request": request}).strip() == ""


def test_the_daily_command_reviews_recent_inviters_and_reported_members(
    capsys, django_capture_on_commit_callbacks
):
    spammer = spammer_with(20, 15, ago=dt.timedelta(hours=30))
    quiet = spammer_with(20, 15, ago=dt.timedelta(days=10))  # nothing new in the last two days
    Invitation.objects.filter(sender=quiet).update(responded_at=timezone.now() - dt.timedelta(days=9))
    reported = solid()
    for reporter in crowd(3):
        Report.objects.create(reporter=reporter, reported=reported, reason="spam")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("trust", "daily")
    out = capsys.readouterr().out
    assert "Members restricted: 2" in out
    assert selectors.is_restricted(spammer.pk) and selectors.is_restricted(reported.pk)
    assert not selectors.is_restricted(quiet.pk)
    assert len(mail.outbox) == 2
    call_command("trust", "daily")
    assert "Members restricted: 0" in capsys.readouterr().out
