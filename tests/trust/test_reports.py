"""Reporting a member: the reasons, the comment, and the refusals (yourself, twice while open, blocked,
deactivated) that store nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from entregent.network.models import Block
from entregent.trust import services
from entregent.trust.models import Report
from tests.factories import member

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("reason", ["fake", "spam", "harassment", "scam"])
def test_report_a_member_for_each_reason(alice, bob, reason):
    report = services.report_create(reporter=alice, reported=bob, reason=reason, comment="  Odd messages.  ")
    assert (report.reporter, report.reported, report.reason, report.status) == (alice, bob, reason, "open")
    assert report.comment == "Odd messages."
    assert report.name_stem == "bob durand"


def test_the_comment_is_optional_and_at_most_1000_characters(alice, bob):
    assert services.report_create(reporter=alice, reported=bob, reason="spam").comment == ""
    carol = member()
    with pytest.raises(ValidationError) as error:
        services.report_create(reporter=alice, reported=carol, reason="spam", comment="x" * 1001)
    assert "comment" in error.value.message_dict
    assert not Report.objects.filter(reported=carol).exists()
    services.report_create(reporter=alice, reported=carol, reason="spam", comment="x" * 1000)


def test_an_unknown_reason_is_refused(alice, bob):
    with pytest.raises(ValidationError) as error:
        services.report_create(reporter=alice, reported=bob, reason="rude")
    assert "reason" in error.value.message_dict
    assert not Report.objects.exists()


def test_you_cannot_report_yourself(alice):
    with pytest.raises(ValidationError, match="You cannot report yourself."):
        services.report_create(reporter=alice, reported=alice, reason="fake")
    assert not Report.objects.exists()


def test_reporting_the_same_member_twice_while_open_is_refused(alice, bob):
    services.report_create(reporter=alice, reported=bob, reason="spam")
    with pytest.raises(ValidationError) as error:
        services.report_create(reporter=alice, reported=bob, reason="scam", comment="again")
    assert error.value.code == "duplicate"
    assert "You already reported this member on" in error.value.messages[0]
    assert Report.objects.count() == 1


def test_once_the_moderators_decided_the_member_may_be_reported_again(alice, bob):
    first = services.report_create(reporter=alice, reported=bob, reason="spam")
    first.status = Report.Status.DISMISSED
    first.save()
    services.report_create(reporter=alice, reported=bob, reason="spam")
    assert Report.objects.filter(reporter=alice, reported=bob).count() == 2


def test_others_may_report_the_same_member(alice, bob):
    services.report_create(reporter=alice, reported=bob, reason="spam")
    services.report_create(reporter=member(), reported=bob, reason="spam")
    assert Report.objects.filter(reported=bob, status="open").count() == 2


@pytest.mark.parametrize("direction", ["alice blocked bob", "bob blocked alice"])
def test_a_blocked_pair_cannot_report_each_other(alice, bob, direction):
    blocker, blocked = (alice, bob) if direction == "alice blocked bob" else (bob, alice)
    Block.objects.create(blocker=blocker, blocked=blocked)
    with pytest.raises(PermissionDenied):
        services.report_create(reporter=alice, reported=bob, reason="spam")
    assert not Report.objects.exists()


def test_a_deactivated_member_cannot_be_reported(alice, bob):
    bob.is_active = False
    bob.save()
    with pytest.raises(PermissionDenied):
        services.report_create(reporter=alice, reported=bob, reason="spam")
