"""Reads of messaging, always scoped to the member asking: their inbox (one indexed query on their own
participant rows, with filters), one of their conversations (404 for anyone else), its messages by
page, and the unread count of the top bar."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from entregent.messaging.models import Attachment, Conversation, Label, Message, Participant

if TYPE_CHECKING:
    from entregent.accounts.models import User

FILTERS = ("unread", "starred", "inmail", "archived", "connections", "attachments", "snoozed")
PAGE_SIZE = 20
MESSAGES_PAGE = 25  # a conversation opens at its latest 25 messages; older ones page in


def _visible(member: User) -> QuerySet:
    return Participant.objects.filter(member=member, hidden=False)


def inbox_for(member: User, *, folder: str = "", filter: str = "", label: Label | None = None) -> QuerySet:  # noqa: A002 - the inbox's own word
    """The member's conversations, newest first: not archived (unless `filter` is "archived"), not
    snoozed (unless "snoozed"), in `folder` (Focused / Other) when given, with one label or one filter."""
    rows = _visible(member).filter(last_message_at__isnull=False)
    now = timezone.now()
    if filter == "archived":
        rows = rows.filter(archived=True)
    elif filter == "snoozed":
        rows = rows.filter(snoozed_until__gt=now)
    else:
        rows = rows.filter(archived=False).filter(Q(snoozed_until__isnull=True) | Q(snoozed_until__lte=now))
    if folder in Participant.Folder.values and filter not in ("archived", "snoozed"):
        rows = rows.filter(folder=folder)
    if filter == "unread":
        rows = rows.filter(Q(unread_count__gt=0) | Q(marked_unread=True))
    elif filter == "starred":
        rows = rows.filter(starred=True)
    elif filter == "inmail":
        rows = rows.filter(conversation__kind=Conversation.Kind.INMAIL)
    elif filter == "attachments":
        rows = rows.filter(conversation__messages__attachments__isnull=False).distinct()
    elif filter == "connections":
        from entregent.network.models import Connection

        low = Connection.objects.filter(member_low=member).values("member_high_id")
        high = Connection.objects.filter(member_high=member).values("member_low_id")
        rows = (
            rows.filter(conversation__kind=Conversation.Kind.DIRECT)
            .filter(
                Q(conversation__participants__member_id__in=low)
                | Q(conversation__participants__member_id__in=high)
            )
            .distinct()
        )
    if label is not None:
        rows = rows.filter(labels=label)
    return with_display(rows).order_by("-last_message_at", "-pk")


def with_display(rows: QuerySet) -> QuerySet:
    """What an inbox row shows, in a fixed number of queries: the conversation and its last message,
    the other members' profiles, the member's labels."""
    return rows.select_related("conversation", "conversation__last_message").prefetch_related(
        Prefetch(
            "conversation__participants",
            queryset=Participant.objects.filter(left_at__isnull=True).select_related("member__profile"),
            to_attr="active_participants",
        ),
        "labels",
    )


def participant_of(member: User, conversation_id: int) -> Participant:
    """The member's row in one of their conversations; 404 for a conversation they are not in (or
    hid by a block)."""
    participant = with_display(_visible(member).filter(conversation_id=conversation_id)).first()
    if participant is None:
        raise Http404
    return participant


def messages_of(
    conversation: Conversation,
    *,
    before_id: int | None = None,
    limit: int = MESSAGES_PAGE,
    until: dt.datetime | None = None,
) -> list[Message]:
    """The latest `limit` messages (before `before_id` for older pages), oldest first, with senders'
    profiles and attachments; none after `until` (a member who left a group reads it up to their
    leaving: pass their `left_at`)."""
    messages = Message.objects.filter(conversation=conversation)
    if until is not None:
        messages = messages.filter(created_at__lte=until)
    if before_id is not None:
        messages = messages.filter(id__lt=before_id)
    page = list(
        messages.select_related("sender__profile")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("pk")))
        .order_by("-created_at", "-id")[:limit]
    )
    page.reverse()
    return page


def unread_conversations(member: User) -> int:
    """The top bar's Messaging badge: conversations with something unread (snoozed and archived ones
    wait)."""
    if not getattr(member, "is_authenticated", False):
        return 0
    return (
        inbox_filter_unread(member)
        .filter(archived=False)
        .filter(Q(snoozed_until__isnull=True) | Q(snoozed_until__lte=timezone.now()))
        .count()
    )


def inbox_filter_unread(member: User) -> QuerySet:
    return _visible(member).filter(Q(unread_count__gt=0) | Q(marked_unread=True), left_at__isnull=True)


def labels_of(member: User) -> QuerySet:
    return Label.objects.filter(owner=member).order_by("name")


def message_of(member: User, message_id: int) -> Message:
    """A message in one of the member's conversations; 404 otherwise."""
    message = (
        Message.objects.filter(
            pk=message_id, conversation__participants__member=member, conversation__participants__hidden=False
        )
        .select_related("conversation")
        .first()
    )
    if message is None:
        raise Http404
    return message


def reminders_showing(participant: Participant) -> bool:
    """The "no reply yet" banner: a reminder came due and nobody answered since."""
    return participant.reminded_at is not None and participant.remind_at is not None
