"""Two members writing in the same conversation at the same moment lose nothing and keep order: real
threads, each with its own database connection, against PostgreSQL."""

import threading

import pytest
from django.db import connection

from entregent.messaging import selectors, services
from entregent.messaging.models import Conversation, Message, Participant
from tests.factories import connect
from tests.network.conftest import veteran

EACH = 25

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite serialises every write transaction, so threads cannot race there "
        "(run with DATABASE_URL=postgres://…)",
    ),
]


def _run_at_once(*jobs) -> None:
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(job) -> None:
        try:
            barrier.wait()
            job()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_two_members_sending_at_once_lose_nothing_and_keep_order():
    ann = veteran(first_name="Ann", last_name="Leroy")
    ben = veteran(first_name="Ben", last_name="Moreau")
    connect(ann, ben)
    conversation, _ = services.conversation_start(sender=ann, recipients=[ben], body="start")

    def writer(member, name):
        def write():
            for n in range(EACH):
                services.message_send(
                    conversation=Conversation.objects.get(pk=conversation.pk),
                    sender=member,
                    body=f"{name} {n}",
                )

        return write

    _run_at_once(writer(ann, "ann"), writer(ben, "ben"))

    messages = list(Message.objects.filter(conversation=conversation).order_by("created_at", "id"))
    assert len(messages) == 1 + 2 * EACH
    for name in ("ann", "ben"):
        # Each member's messages appear in the order they were sent, with no gap.
        assert [m.body for m in messages if m.body.startswith(name)] == [f"{name} {n}" for n in range(EACH)]
    # The time order and the id order agree: nobody reads them in a different order later.
    assert [m.pk for m in messages] == sorted(m.pk for m in messages)
    conversation.refresh_from_db()
    assert conversation.last_message_id == messages[-1].pk
    # Each member has unread exactly what the other wrote after their own last message.
    for member, other in ((ann, ben), (ben, ann)):
        mine = [i for i, m in enumerate(messages) if m.sender_id == member.pk]
        after_mine = [m for m in messages[mine[-1] + 1 :] if m.sender_id == other.pk]
        row = Participant.objects.get(conversation=conversation, member=member)
        assert row.unread_count == len(after_mine)
        assert row.last_message_at == messages[-1].created_at
    assert [p.conversation_id for p in selectors.inbox_for(ben)] == [conversation.pk]


def test_both_writing_first_at_once_share_one_conversation():
    ann = veteran(first_name="Ann", last_name="Leroy")
    ben = veteran(first_name="Ben", last_name="Moreau")
    connect(ann, ben)
    _run_at_once(
        lambda: services.conversation_start(sender=ann, recipients=[ben], body="Hello Ben"),
        lambda: services.conversation_start(sender=ben, recipients=[ann], body="Hello Ann"),
    )
    [conversation] = Conversation.objects.all()
    assert sorted(conversation.messages.values_list("body", flat=True)) == ["Hello Ann", "Hello Ben"]
    assert conversation.participants.count() == 2
