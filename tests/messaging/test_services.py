"""Messaging rules: who may write to whom (connections, groups, InMail with credits, open profiles,
blocks, restrictions), what a message does to each member's inbox, edits and deletions, and each
member's organisation of their inbox."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from entregent import plans
from entregent.core import policy
from entregent.messaging import selectors, services
from entregent.messaging.models import Conversation, Message, MessagingSettings, Participant
from entregent.network import introductions
from entregent.network import services as network
from entregent.trust.models import Restriction
from tests.factories import connect
from tests.messaging.conftest import sales_member
from tests.network.conftest import veteran

pytestmark = pytest.mark.django_db


def _row(conversation, member) -> Participant:
    return Participant.objects.get(conversation=conversation, member=member)


# ------------------------------------------------------------------------------------- who may write


def test_connections_write_freely_and_reuse_their_conversation(pair):
    ann, ben = pair
    first, _ = services.conversation_start(sender=ann, recipients=[ben], body="Hello Ben")
    again, _ = services.conversation_start(sender=ben, recipients=[ann], body="Hello Ann")
    assert first == again and first.kind == Conversation.Kind.DIRECT
    assert list(first.messages.values_list("body", flat=True)) == ["Hello Ben", "Hello Ann"]


def test_a_stranger_without_inmail_is_locked_out_with_the_reason_and_nothing_is_stored(ann, cat):
    access = policy.message_access(ann, cat)
    assert access.mode == policy.WRITE_LOCKED
    assert "your plan has no InMail" in access.reason and any("connect" in hint for hint in access.unlock)
    with pytest.raises(PermissionDenied):
        services.conversation_start(sender=ann, recipients=[cat], body="Hi")
    assert not Conversation.objects.exists() and not Message.objects.exists()


def test_an_inmail_spends_a_credit_and_gives_it_back_when_answered(cat):
    seller = sales_member(first_name="Sam", last_name="Seller")
    before = plans.remaining(seller, "inmail.credits")
    with pytest.raises(ValidationError):  # a subject is required
        services.conversation_start(sender=seller, recipients=[cat], body="Hi")
    assert plans.remaining(seller, "inmail.credits") == before and not Conversation.objects.exists()
    conversation, _ = services.conversation_start(
        sender=seller, recipients=[cat], subject="Your logistics project", body="Could we talk?"
    )
    assert conversation.kind == Conversation.Kind.INMAIL
    assert plans.remaining(seller, "inmail.credits") == before - 1
    assert _row(conversation, cat).folder == Participant.Folder.OTHER  # unsolicited
    with pytest.raises(PermissionDenied, match="Wait for an answer"):
        services.message_send(conversation=conversation, sender=seller, body="Did you see my message?")
    services.message_send(conversation=conversation, sender=cat, body="Yes, happy to talk.")
    assert plans.remaining(seller, "inmail.credits") == before
    conversation.refresh_from_db()
    assert conversation.inmail_credit_refunded and conversation.inmail_answered_at is not None
    assert _row(conversation, cat).folder == Participant.Folder.FOCUSED  # answered: Focused now
    services.message_send(conversation=conversation, sender=seller, body="Great, Tuesday?")


def test_an_inmail_answered_after_90_days_keeps_its_credit_spent(cat):
    seller = sales_member()
    conversation, _ = services.conversation_start(sender=seller, recipients=[cat], subject="Hi", body="Hello")
    left = plans.remaining(seller, "inmail.credits")
    Conversation.objects.filter(pk=conversation.pk).update(
        inmail_refundable_until=timezone.now() - dt.timedelta(days=1)
    )
    services.message_send(conversation=Conversation.objects.get(pk=conversation.pk), sender=cat, body="Late")
    assert plans.remaining(seller, "inmail.credits") == left


def test_a_member_may_refuse_inmail(cat):
    MessagingSettings.objects.create(member=cat, refuse_inmail=True)
    seller = sales_member()
    access = policy.message_access(seller, cat)
    assert access.mode == policy.WRITE_LOCKED and "does not accept InMail" in access.reason


def test_blocked_pairs_and_restricted_members_cannot_write(pair, cat):
    ann, ben = pair
    conversation, _ = services.conversation_start(sender=ann, recipients=[ben], body="Hello")
    network.block(blocker=ben, blocked=ann)
    with pytest.raises(PermissionDenied):
        services.message_send(conversation=conversation, sender=ann, body="Are you there?")
    assert policy.message_access(ann, ben).mode == policy.WRITE_LOCKED
    connect(ann, cat)
    Restriction.objects.create(member=ann, reason="spam", ends_at=timezone.now() + dt.timedelta(days=3))
    with pytest.raises(PermissionDenied, match="restricted"):
        services.conversation_start(sender=ann, recipients=[cat], body="Hello")


def test_a_block_hides_the_conversation_for_the_blocker_only(pair):
    ann, ben = pair
    conversation, _ = services.conversation_start(sender=ann, recipients=[ben], body="Hello")
    network.block(blocker=ben, blocked=ann)
    assert not selectors.inbox_for(ben).exists()
    assert selectors.inbox_for(ann).filter(conversation=conversation).exists()


def test_a_group_needs_every_member_to_be_a_connection(pair, cat):
    ann, ben = pair
    with pytest.raises(PermissionDenied, match="Cat Blanc"):
        services.conversation_start(sender=ann, recipients=[ben, cat], body="Hi all", name="Project")
    connect(ann, cat)
    conversation, _ = services.conversation_start(
        sender=ann, recipients=[ben, cat], body="Hi all", name="Project"
    )
    assert conversation.kind == Conversation.Kind.GROUP and conversation.participants.count() == 3
    services.group_leave(conversation=conversation, member=cat)
    with pytest.raises(PermissionDenied):
        services.message_send(conversation=conversation, sender=cat, body="Still here?")


def test_a_message_over_2000_characters_is_refused_and_nothing_is_stored(pair):
    ann, ben = pair
    with pytest.raises(ValidationError):
        services.conversation_start(sender=ann, recipients=[ben], body="x" * 2001)
    assert not Message.objects.exists()


# -------------------------------------------------------------------------------- the inbox's state


def test_a_new_message_is_unread_for_the_others_and_brings_archived_conversations_back(pair):
    ann, ben = pair
    conversation, _ = services.conversation_start(sender=ann, recipients=[ben], body="One")
    services.message_send(conversation=conversation, sender=ann, body="Two")
    assert _row(conversation, ben).unread_count == 2 and _row(conversation, ann).unread_count == 0
    assert selectors.unread_conversations(ben) == 1
    services.conversation_read(conversation=conversation, member=ben)
    assert selectors.unread_conversations(ben) == 0
    services.conversation_archive(conversation=conversation, member=ben)
    assert not selectors.inbox_for(ben).exists() and selectors.inbox_for(ben, filter="archived").exists()
    services.message_send(conversation=conversation, sender=ann, body="Three")
    assert selectors.inbox_for(ben).exists()


def test_snoozed_conversations_come_back_on_top_unread(pair, cat):
    ann, ben = pair
    connect(ann, cat)
    snoozed, _ = services.conversation_start(sender=ben, recipients=[ann], body="Later")
    services.conversation_read(conversation=snoozed, member=ann)
    services.conversation_snooze(
        conversation=snoozed, member=ann, until=timezone.now() + dt.timedelta(hours=1)
    )
    other, _ = services.conversation_start(sender=cat, recipients=[ann], body="Now")
    assert [p.conversation for p in selectors.inbox_for(ann)] == [other]
    with pytest.raises(ValidationError):
        services.conversation_snooze(
            conversation=snoozed, member=ann, until=timezone.now() - dt.timedelta(hours=1)
        )
    assert services.snoozes_wake(now=timezone.now() + dt.timedelta(hours=2)) == 1
    rows = list(selectors.inbox_for(ann))
    assert rows[0].conversation == snoozed and rows[0].is_unread


def test_a_reminder_comes_due_only_without_a_reply(pair):
    ann, ben = pair
    conversation, _ = services.conversation_start(
        sender=ann, recipients=[ben], body="Did you read the quote?"
    )
    services.conversation_remind(conversation=conversation, member=ann, days=3)
    assert services.reminders_due(now=timezone.now() + dt.timedelta(days=2)) == []
    [due] = services.reminders_due(now=timezone.now() + dt.timedelta(days=4))
    assert due.member == ann and selectors.reminders_showing(_row(conversation, ann))
    services.conversation_remind(conversation=conversation, member=ann, days=3)
    services.message_send(conversation=conversation, sender=ben, body="Yes, thanks")
    assert services.reminders_due(now=timezone.now() + dt.timedelta(days=4)) == []


def test_edit_within_15_minutes_and_delete_own_messages_only(pair):
    ann, ben = pair
    _, message = services.conversation_start(sender=ann, recipients=[ben], body="Helo")
    with pytest.raises(PermissionDenied):
        services.message_edit(message=message, member=ben, body="Hacked")
    services.message_edit(message=message, member=ann, body="Hello")
    message.refresh_from_db()
    assert message.body == "Hello" and message.edited_at is not None
    Message.objects.filter(pk=message.pk).update(created_at=timezone.now() - dt.timedelta(minutes=16))
    with pytest.raises(PermissionDenied, match="15 minutes"):
        services.message_edit(message=Message.objects.get(pk=message.pk), member=ann, body="Hello!")
    with pytest.raises(PermissionDenied):
        services.message_delete(message=message, member=ben)
    services.message_delete(message=message, member=ann)
    message.refresh_from_db()
    assert message.deleted_at is not None and message.body == ""


def test_moving_a_conversation_teaches_the_split_for_its_sender(cat):
    seller = sales_member()
    first, _ = services.conversation_start(sender=seller, recipients=[cat], subject="One", body="Hello")
    services.conversation_move(conversation=first, member=cat, folder=Participant.Folder.FOCUSED)
    assert services._folder_for(cat, seller) == Participant.Folder.FOCUSED


def test_labels_are_the_owners_own(pair, cat):
    ann, ben = pair
    conversation, _ = services.conversation_start(sender=ann, recipients=[ben], body="Quote")
    label = services.label_create(owner=ben, name="Clients", colour="#aa3300")
    with pytest.raises(ValidationError):
        services.label_create(owner=ben, name="clients")
    with pytest.raises(PermissionDenied):
        services.conversation_label(conversation=conversation, member=ann, label=label)
    services.conversation_label(conversation=conversation, member=ben, label=label)
    assert list(selectors.inbox_for(ben, label=label)) == [_row(conversation, ben)]
    with pytest.raises(PermissionDenied):
        services.conversation_archive(conversation=conversation, member=cat)


def test_an_accepted_introduction_opens_a_conversation_between_the_three(ann, ben, cat):
    connect(ann, ben)
    connect(ben, cat)
    asked = introductions.introduction_ask(
        requester=ann, intermediary=ben, target=cat, why="Same field.", message="Hello Cat, I am Ann."
    )
    introductions.introduction_forward(introduction=asked, member=ben, word="Ann is great.")
    introductions.introduction_accept(introduction=asked, member=cat)
    conversation = Conversation.objects.get(introduction=asked)
    assert conversation.kind == Conversation.Kind.INTRODUCTION
    assert set(conversation.participants.values_list("member_id", flat=True)) == {ann.pk, ben.pk, cat.pk}
    [event] = conversation.messages.all()
    assert event.data["message"] == "Hello Cat, I am Ann." and event.data["word"] == "Ann is great."
    services.message_send(conversation=conversation, sender=cat, body="Nice to meet you, Ann.")
    assert _row(conversation, ann).unread_count == 2


def test_the_inbox_is_one_members_own(pair, cat):
    ann, ben = pair
    conversation, _ = services.conversation_start(sender=ann, recipients=[ben], body="Private")
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.participant_of(cat, conversation.pk)
    assert not selectors.inbox_for(cat).exists()
    assert veteran() is not None


def test_who_left_a_group_reads_it_up_to_their_leaving(client, pair, cat):
    ann, ben = pair
    connect(ann, cat)
    conversation, _ = services.conversation_start(sender=ann, recipients=[ben, cat], body="Before", name="G")
    services.group_leave(conversation=conversation, member=cat)
    services.message_send(conversation=conversation, sender=ann, body="After Cat left")
    left_at = _row(conversation, cat).left_at
    bodies = [m.body for m in selectors.messages_of(conversation, until=left_at)]
    assert "Before" in bodies and "After Cat left" not in bodies
    client.force_login(cat)
    page = client.get(f"/messaging/{conversation.pk}/").content.decode()
    assert "Before" in page and "After Cat left" not in page


def test_the_daily_job_runs(capsys):
    from django.core.management import call_command

    call_command("messaging", "daily")
    out = capsys.readouterr().out
    assert "Attachment files removed: 0" in out and "Search words forgotten:" in out
