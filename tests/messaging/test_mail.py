"""Mail about unread messages: sent once a message stayed unread past the delay, batched (one mail per
conversation per member per hour, listing the latest unread messages), never about muted, archived or
read conversations, never to members who turned it off or whose address is not verified; a one-click
unsubscribe link (signed; GET asks, POST unsubscribes, RFC 8058 headers); the every-minute tick wakes
snoozes and mails the reminders due."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from entregent.messaging import services, tasks, views_live
from entregent.messaging.models import Message, MessagingSettings, Participant
from tests.factories import connect

pytestmark = pytest.mark.django_db

SITE = "https://network.example.org"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    settings.MESSAGING_MAIL_DELAY = 600


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run a job with its after-commit work (the mails leave then)."""

    def run_job(job, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return job(**kwargs)

    return run_job


@pytest.fixture
def write(django_capture_on_commit_callbacks):
    def write_message(sender, recipients, body, *, at=None):
        with django_capture_on_commit_callbacks(execute=True):
            conversation, message = services.conversation_start(
                sender=sender, recipients=list(recipients), body=body
            )
        if at is not None:
            Message.objects.filter(pk=message.pk).update(created_at=at)
        return conversation, message

    return write_message


def later(minutes: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(minutes=minutes)


def test_a_message_unread_after_the_delay_is_mailed_with_its_text_and_links(pair, write, run):
    ann, ben = pair
    conversation, _ = write(ann, [ben], "Are you free on Thursday for the quote?")
    assert run(tasks.unread_mails_send, now=later(5)) == 0  # not yet: ten minutes
    assert not mail.outbox
    assert run(tasks.unread_mails_send, now=later(11)) == 1
    [sent] = mail.outbox
    assert sent.to == [ben.email]
    assert "Ann" in sent.subject and "sent you a message" in sent.subject
    assert "Are you free on Thursday for the quote?" in sent.body
    assert f"{SITE}/messaging/" in sent.body
    unsubscribe = SITE + reverse("messaging:unsubscribe", args=[views_live.unsubscribe_token(ben.pk)])
    assert unsubscribe in sent.body
    assert sent.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    message = sent.message()
    assert message["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message["Auto-Submitted"] == "auto-generated"
    assert Participant.objects.get(conversation=conversation, member=ben).last_emailed_at is not None
    assert run(tasks.unread_mails_send, now=later(12)) == 0  # sent once
    assert not Participant.objects.get(conversation=conversation, member=ann).last_emailed_at


def test_mails_are_batched_one_per_conversation_per_hour(pair, write, run):
    ann, ben = pair
    now = timezone.now()
    write(ann, [ben], "First")
    write(ann, [ben], "Second")
    assert run(tasks.unread_mails_send, now=now + dt.timedelta(minutes=11)) == 1
    [first] = mail.outbox
    assert "First" in first.body and "Second" in first.body and "2 messages" in first.subject
    write(ann, [ben], "Third", at=now + dt.timedelta(minutes=20))
    assert run(tasks.unread_mails_send, now=now + dt.timedelta(minutes=31)) == 0  # within the hour
    assert run(tasks.unread_mails_send, now=now + dt.timedelta(minutes=72)) == 1
    assert "Third" in mail.outbox[1].body
    # Nothing new since the last mail: the same unread messages are not mailed again.
    assert run(tasks.unread_mails_send, now=now + dt.timedelta(minutes=200)) == 0
    assert len(mail.outbox) == 2


def test_read_conversations_are_not_mailed(pair, write, run):
    ann, ben = pair
    conversation, _ = write(ann, [ben], "Hello")
    services.conversation_read(conversation=conversation, member=ben)
    assert run(tasks.unread_mails_send, now=later(11)) == 0


@pytest.mark.parametrize("case", ["muted", "archived", "off", "unverified", "snoozed", "inactive"])
def test_no_mail_about_muted_or_archived_conversations_nor_to_members_who_said_no(pair, write, run, case):
    ann, ben = pair
    conversation, _ = write(ann, [ben], "Hello")
    if case == "muted":
        services.conversation_mute(conversation=conversation, member=ben)
    elif case == "archived":
        services.conversation_archive(conversation=conversation, member=ben)
    elif case == "off":
        MessagingSettings.objects.create(member=ben, email_unread=MessagingSettings.Digest.OFF)
    elif case == "unverified":
        EmailAddress.objects.filter(user=ben).update(verified=False)
    elif case == "snoozed":
        services.conversation_snooze(conversation=conversation, member=ben, until=later(24 * 60))
    elif case == "inactive":
        type(ben).objects.filter(pk=ben.pk).update(is_active=False)
    assert run(tasks.unread_mails_send, now=later(11)) == 0
    assert not mail.outbox


def test_a_group_mails_each_reader_once_and_never_the_sender(ann, ben, cat, write, run):
    connect(ann, ben)
    connect(ann, cat)
    conversation, _ = write(ann, [ben, cat], "Meeting at noon")
    write(ann, [ben, cat], "Bring the slides")  # a group is new each time: write in the same one
    services.message_send(conversation=conversation, sender=ann, body="Room 4")
    assert run(tasks.unread_mails_send, now=later(11)) == 4  # two groups, two readers each
    to = sorted(address for sent in mail.outbox for address in sent.to)
    assert to == sorted([ben.email, ben.email, cat.email, cat.email])
    assert ann.email not in to
    about = [m for m in mail.outbox if "Meeting at noon" in m.body]
    assert len(about) == 2 and all("Room 4" in m.body for m in about)
    assert all("unread messages in" in m.subject for m in about)


def test_a_message_is_checked_again_after_the_delay_through_a_deferred_task(pair, settings, write):
    ann, ben = pair
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    default_task_backend.clear()
    before = timezone.now()
    conversation, _ = write(ann, [ben], "Hello")
    [queued] = [r for r in default_task_backend.results if r.task.name == "send_unread_mails"]
    assert queued.args == [] and queued.kwargs == {"conversation_id": conversation.pk}
    assert queued.task.run_after >= before + dt.timedelta(minutes=10)


def test_with_no_delay_the_message_is_mailed_at_once_through_the_task(pair, settings, write):
    ann, ben = pair
    settings.MESSAGING_MAIL_DELAY = 0
    write(ann, [ben], "Right now")
    assert [sent.to for sent in mail.outbox] == [[ben.email]]


def test_without_site_url_the_mail_keeps_the_link_in_its_text_only(pair, settings, write, run):
    ann, ben = pair
    settings.SITE_URL = ""
    write(ann, [ben], "Hello")
    run(tasks.unread_mails_send, now=later(11))
    [sent] = mail.outbox
    assert "List-Unsubscribe" not in sent.extra_headers
    assert reverse("messaging:unsubscribe", args=[views_live.unsubscribe_token(ben.pk)]) in sent.body


# ------------------------------------------------------------------------------------ unsubscribe


def test_the_unsubscribe_link_asks_on_get_and_unsubscribes_on_post(pair, client):
    _ann, ben = pair
    url = reverse("messaging:unsubscribe", args=[views_live.unsubscribe_token(ben.pk)])
    page = client.get(url)
    assert page.status_code == 200
    assert b'method="post"' in page.content and ben.email.encode() in page.content
    assert not MessagingSettings.objects.filter(member=ben).exists()  # a GET changes nothing
    done = client.post(url)
    assert done.status_code == 200 and b"no longer email" in done.content
    assert MessagingSettings.objects.get(member=ben).email_unread == MessagingSettings.Digest.OFF


def test_one_click_unsubscribe_from_a_mail_client_needs_no_csrf_token(pair, write, run):
    from django.test import Client

    ann, ben = pair
    write(ann, [ben], "Hello")
    run(tasks.unread_mails_send, now=later(11))
    link = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    response = Client(enforce_csrf_checks=True).post(
        link.removeprefix(SITE), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert MessagingSettings.objects.get(member=ben).email_unread == MessagingSettings.Digest.OFF
    write(ann, [ben], "Again")
    assert run(tasks.unread_mails_send, now=later(200)) == 0


def test_a_forged_or_altered_token_is_refused(pair, client):
    _ann, ben = pair
    token = views_live.unsubscribe_token(ben.pk)
    for bad in (token[:-2] + "xx", "nonsense", views_live.unsubscribe_token(10**9)):
        assert client.post(reverse("messaging:unsubscribe", args=[bad])).status_code == 404
    assert not MessagingSettings.objects.filter(member=ben).exists()


# -------------------------------------------------------------------------------------------- tick


def test_the_tick_wakes_snoozes_mails_reminders_and_unread_messages(pair, cat, write, run):
    ann, ben = pair
    connect(ann, cat)
    snoozed, _ = write(ben, [ann], "Snooze me")
    services.conversation_snooze(conversation=snoozed, member=ann, until=later(30))
    waiting, _ = write(ann, [cat], "Did you get my proposal?")
    services.conversation_remind(conversation=waiting, member=ann, days=3)
    counts = run(tasks.tick, now=later(3 * 24 * 60 + 1))
    assert counts == {"snoozes_woken": 1, "reminders": 1, "reminders_mailed": 1, "unread_mails": 2}
    row = Participant.objects.get(conversation=snoozed, member=ann)
    assert row.snoozed_until is None and row.marked_unread
    [reminder] = [m for m in mail.outbox if m.to == [ann.email] and "No reply" in m.subject]
    assert "Cat" in reminder.subject and "3 days" in reminder.subject
    assert f"{SITE}/messaging/" in reminder.body
    # The woken conversation's message (ann's) and cat's unread proposal are mailed once each.
    assert sorted(m.to[0] for m in mail.outbox if "No reply" not in m.subject) == sorted(
        [ann.email, cat.email]
    )


def test_the_tick_command(pair, write):
    ann, ben = pair
    write(ann, [ben], "Hello")
    out = StringIO()
    call_command("messaging", "tick", stdout=out)
    assert "Unread-message mails: 0" in out.getvalue() and "Snoozed conversations woken: 0" in out.getvalue()
