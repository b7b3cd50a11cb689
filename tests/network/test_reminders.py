"""The follow-up the seed recommends: an invitation with a note still pending after 7 days reminds its
sender once, with a way to withdraw it or to reach the member another way."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from entregent.network import services
from entregent.network.models import Invitation

pytestmark = pytest.mark.django_db


def _aged(invitation, days):
    Invitation.objects.filter(pk=invitation.pk).update(created_at=timezone.now() - dt.timedelta(days=days))


def test_a_pending_invitation_with_a_note_reminds_its_sender_once_after_7_days(
    ann, ben, django_capture_on_commit_callbacks
):
    invitation = services.invitation_send(sender=ann, recipient=ben, note="We met in Lyon.")
    _aged(invitation, 6)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.invitations_remind() == 0
    _aged(invitation, 8)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.invitations_remind() == 1
        assert services.invitations_remind() == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [ann.email]
    assert "Ben Moreau" in message.subject
    assert "We met in Lyon." in message.body
    assert "/network/invitations/sent/" in message.body and "/in/ben-moreau/" in message.body


def test_no_reminder_without_a_note_or_once_answered(ann, ben, cat, django_capture_on_commit_callbacks):
    plain = services.invitation_send(sender=ann, recipient=ben)
    answered = services.invitation_send(sender=ann, recipient=cat, note="Hi")
    services.invitation_accept(invitation=answered, member=cat)
    for invitation in (plain, answered):
        _aged(invitation, 10)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.invitations_remind() == 0
    assert mail.outbox == []


def test_an_ignored_invitation_still_reminds_its_sender(ann, ben, django_capture_on_commit_callbacks):
    invitation = services.invitation_send(sender=ann, recipient=ben, note="Hi Ben")
    services.invitation_ignore(invitation=invitation, member=ben)
    _aged(invitation, 9)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("network", "daily")
    assert len(mail.outbox) == 1
