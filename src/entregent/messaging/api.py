"""The JSON API of messaging: my conversations (the inbox with its folders, filters and labels), one
conversation with its participants and my state in it, its messages by page, writing (to connections
freely, to others by InMail with a credit), editing and deleting my messages, organising the inbox
(read, unread, archive, star, mute, Focused / Other, snooze, reminders, labels), my labels, the unread
badge, search, my messaging settings, and what the Message button says about a member.

Every endpoint calls the same services and selectors as the pages: a conversation or a message is only
ever fetched among the caller's own (anyone else's is a 404, as is a conversation the caller hid by a
block), and who may write to whom is `core.policy.message_access`. Attachments are listed with their
download address; they are not accepted in JSON (the site's form sends them)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Field, Path, Query, Router, Schema
from ninja.responses import Status
from pydantic import AfterValidator, ConfigDict
from pydantic_core import PydanticCustomError

from entregent import plans
from entregent.api import auth
from entregent.api.errors import READ_ERRORS, WRITE_ERRORS, ErrorOut, ValidationErrorOut
from entregent.core import policy
from entregent.core.text import render_markdown
from entregent.messaging import contacts, preferences, selectors, services
from entregent.messaging.models import (
    BODY_MAX,
    GROUP_NAME_MAX,
    MAX_PARTICIPANTS,
    SUBJECT_MAX,
    Label,
    Message,
    MessagingSettings,
    Participant,
)
from entregent.network import selectors as network_selectors
from entregent.plans import QuotaExceeded

router = Router(tags=["messaging"])

MAX_ID = 2**63 - 1
LABEL_NAME_MAX = Label._meta.get_field("name").max_length
LABELS_SHOWN = 1000
SEARCH_PAGE = 20
EXCERPT = 200

ObjectId = Annotated[int, Path(ge=1, le=MAX_ID)]
PathSlug = Annotated[str, Path(pattern=r"^[A-Za-z0-9-]{1,100}$", description="The member's public address")]
Slug = Annotated[str, Field(pattern=r"^[A-Za-z0-9-]{1,100}$", description="A member's public address")]
PageNumber = Annotated[int, Field(ge=1, le=100_000)]
FolderName = Literal["focused", "other"]
FilterName = Literal["unread", "starred", "inmail", "archived", "connections", "attachments", "snoozed"]
KindName = Literal["direct", "group", "inmail", "introduction"]
MessageKind = Literal["text", "system", "contact_share", "contact_request"]


def _clean_text(value: str) -> str:
    """Refuse what no database column can hold (NUL, lone surrogates) with a 422, not a 500."""
    if "\x00" in value:
        raise PydanticCustomError("null_characters", "Null characters are not allowed.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise PydanticCustomError("string_unicode", "Invalid characters.") from None
    return value


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    """A time without an offset is in the instance's time zone; one no database can hold is a 422."""
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    try:
        value.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        raise PydanticCustomError("value_error", "Invalid date.") from None
    return value


Text = Annotated[str, AfterValidator(_clean_text)]
When = Annotated[dt.datetime | None, AfterValidator(_aware)]


class InputSchema(Schema):
    model_config = ConfigDict(extra="forbid")


# ------------------------------------------------------------------------------------------- schemas


class MessagingMemberOut(Schema):
    slug: str
    name: str
    profile_url: str


class MessagingParticipantOut(Schema):
    member: MessagingMemberOut
    joined_at: dt.datetime
    last_read_at: dt.datetime | None = Field(
        None,
        description="When they last read the conversation; null in lists, and when read receipts are "
        "off (theirs or yours)",
    )


class MessageLabelOut(Schema):
    id: int
    name: str
    colour: str = Field(description="#rrggbb")


class MessagingStateOut(Schema):
    unread: bool = Field(description="Something new, or marked unread by you")
    unread_count: int
    folder: FolderName
    archived: bool
    starred: bool
    muted: bool
    snoozed_until: dt.datetime | None
    remind_at: dt.datetime | None = Field(description='"Remind me if no reply": when it comes due')
    reminder_due: bool = Field(description="The reminder came due and nobody has answered yet")
    marked_spam: bool
    left: bool = Field(description="You left this group conversation")
    labels: list[MessageLabelOut]


class MessagePreviewOut(Schema):
    id: int
    kind: MessageKind
    mine: bool
    sender_name: str | None
    excerpt: str = Field(description="The start of the text (empty when deleted, or for an event)")
    created_at: dt.datetime
    deleted: bool


class MessagingConversationOut(Schema):
    id: int
    kind: KindName
    title: str = Field(description="The group's name, the InMail's subject, or the other members' names")
    name: str = Field(description="A group's name (empty otherwise)")
    subject: str = Field(description="An InMail's subject (empty otherwise)")
    created_at: dt.datetime
    last_message_at: dt.datetime | None
    last_message: MessagePreviewOut | None
    participants: list[MessagingParticipantOut] = Field(description="The other members in it")
    state: MessagingStateOut = Field(description="Your own view of it")


class MessagingConversationPageOut(Schema):
    count: int
    page: int
    pages: int
    items: list[MessagingConversationOut]


class MessageAttachmentOut(Schema):
    id: int
    name: str
    size: int = Field(description="In bytes")
    content_type: str
    width: int | None = None
    height: int | None = None
    url: str = Field(description="Where to download it (with your session)")


class MessageOut(Schema):
    id: int
    conversation_id: int
    kind: MessageKind
    sender: MessagingMemberOut | None = Field(
        description="null for an event, or a member you can no longer see"
    )
    mine: bool
    body: str = Field(description="What was written, in Markdown-lite (empty once deleted)")
    html: str = Field(description="The body rendered as safe HTML")
    data: dict[str, Any] = Field(description="What an event or a contact message carries")
    created_at: dt.datetime
    edited_at: dt.datetime | None
    deleted: bool
    can_edit: bool = Field(description="Yours, and sent less than 15 minutes ago")
    attachments: list[MessageAttachmentOut]


class MessagePageOut(Schema):
    items: list[MessageOut] = Field(description="Oldest first")
    has_older: bool
    older_before_id: int | None = Field(description="Pass as before_id for the previous page")


class MessagingLockOut(Schema):
    detail: str
    reason: str = Field("", description="Why you cannot write (the Message button's lock)")
    unlock: list[str] = Field([], description="What would let you write")


class MessagingQuotaOut(Schema):
    detail: str
    resets_at: dt.datetime | None = Field(None, description="When credits come back")
    unlock: list[str] = Field([], description="What would give you more")


class MessagingInboxQuery(Schema):
    folder: FolderName | None = Field(None, description="Focused or Other (all when absent)")
    filter: FilterName | None = None
    label: int | None = Field(None, ge=1, le=MAX_ID, description="One of your labels' id")
    page: PageNumber = 1


class MessagingConversationIn(InputSchema):
    recipients: list[Slug] = Field(
        min_length=1,
        max_length=MAX_PARTICIPANTS - 1,
        description="One member (a direct conversation, or an InMail to a non-connection), or several "
        "connections (a group)",
    )
    body: Annotated[Text, Field(max_length=BODY_MAX)]
    name: Annotated[Text, Field(max_length=GROUP_NAME_MAX)] = Field("", description="A group's name")
    subject: Annotated[Text, Field(max_length=SUBJECT_MAX)] = Field("", description="Required for an InMail")


class MessageIn(InputSchema):
    body: Annotated[Text, Field(max_length=BODY_MAX)]


class MessagingStateIn(InputSchema):
    read: bool | None = Field(None, description="true: mark read; false: mark unread")
    unread: bool | None = Field(None, description="true: mark unread; false: mark read")
    archived: bool | None = None
    starred: bool | None = None
    muted: bool | None = None
    folder: FolderName | None = Field(
        None, description="Move to Focused or Other: this sender's conversations follow"
    )
    snoozed_until: When = Field(None, description="Hide until then (within a year); null wakes it now")
    remind_days: int | None = Field(
        None, ge=1, le=30, description="Remind me if no reply in so many days; null cancels"
    )
    labels: list[Annotated[int, Field(ge=1, le=MAX_ID)]] | None = Field(
        None, max_length=LABELS_SHOWN, description="The ids of your labels it carries (all of them)"
    )


class MessageLabelIn(InputSchema):
    name: Annotated[Text, Field(min_length=1, max_length=LABEL_NAME_MAX)]
    colour: str = Field("#0a66c2", pattern=r"^#[0-9a-fA-F]{6}$", description="#rrggbb")


class MessageLabelUpdateIn(InputSchema):
    name: Annotated[Text, Field(min_length=1, max_length=LABEL_NAME_MAX)] | None = None
    colour: str | None = Field(None, pattern=r"^#[0-9a-fA-F]{6}$", description="#rrggbb")


class MessagingUnreadOut(Schema):
    conversations: int = Field(description="Conversations with something unread (the top bar's badge)")


class MessagingSearchHitOut(Schema):
    conversation_id: int
    snippet: str = Field(description="Safe HTML: the words found are in <mark>")
    message: MessageOut


class MessagingSearchPageOut(Schema):
    page: int
    has_more: bool
    items: list[MessagingSearchHitOut]


class MessagingShareableOut(Schema):
    key: str = Field(description='"account" (your account email) or one of your profile\'s contact ids')
    kind: Literal["email", "phone", "website"]
    label: str
    value: str


class MessagingSettingsOut(Schema):
    read_receipts: bool
    refuse_inmail: bool
    email_unread: Literal["hourly", "off"]
    shared: Literal["auto"] | list[str] = Field(
        description='What "share my contact details" sends: "auto" (your account email and the details '
        "your profile already shows them) or the keys you chose (possibly none)"
    )
    shareable: list[MessagingShareableOut] = Field(description="Everything you could share")


ShareKey = Annotated[str, Field(pattern=r"^(account|[0-9]{1,19})$")]


class MessagingSettingsIn(InputSchema):
    read_receipts: bool | None = None
    refuse_inmail: bool | None = None
    email_unread: Literal["hourly", "off"] | None = None
    shared: Literal["auto"] | Annotated[list[ShareKey], Field(max_length=100)] | None = Field(
        None, description='"auto", or the keys of `shareable` to share (an empty list shares nothing)'
    )


class MessagingAccessOut(Schema):
    mode: Literal["free", "inmail", "locked"] = Field(
        description="free: write freely; inmail: writing spends a credit; locked: you cannot write"
    )
    reason: str
    unlock: list[str]
    inmail_credits_left: int | None = Field(description="null: no limit")
    conversation_id: int | None = Field(description="Your conversation with them, if there is one")


# ------------------------------------------------------------------------------------------- helpers


def _hidden_ids(member_id: int) -> set[int]:
    """Members blocked either way: hidden in participant lists and as senders."""
    from entregent.network.models import Block

    rows = Block.objects.filter(Q(blocker_id=member_id) | Q(blocked_id=member_id)).values_list(
        "blocker_id", "blocked_id"
    )
    return {other for pair in rows for other in pair if other != member_id}


def _member_out(user) -> dict | None:
    profile = getattr(user, "profile", None)
    if profile is None or not user.is_active:
        return None
    return {"slug": profile.slug, "name": profile.display_name, "profile_url": profile.get_absolute_url()}


def _sender_out(user, hidden: set[int]) -> dict | None:
    if user is None or user.pk in hidden:
        return None
    return _member_out(user)


def _label_out(label: Label) -> dict:
    return {"id": label.pk, "name": label.name, "colour": label.colour}


def _state_out(row: Participant) -> dict:
    return {
        "unread": row.is_unread,
        "unread_count": row.unread_count,
        "folder": row.folder,
        "archived": row.archived,
        "starred": row.starred,
        "muted": row.muted,
        "snoozed_until": row.snoozed_until,
        "remind_at": row.remind_at,
        "reminder_due": selectors.reminders_showing(row),
        "marked_spam": row.marked_spam,
        "left": row.left_at is not None,
        "labels": [_label_out(label) for label in row.labels.all()],
    }


def _conversation_out(
    row: Participant, me, hidden: set[int], *, read_at: dict[int, dt.datetime | None] | None = None
) -> dict:
    """One inbox row from what `selectors.with_display` fetched; `read_at` gives the others' read
    positions when read receipts allow it (the conversation page only)."""
    conversation = row.conversation
    present = getattr(conversation, "active_participants", [])
    members = {p.member_id: p.member for p in present}
    people = []
    for p in present:
        if p.member_id == me.pk or p.member_id in hidden:
            continue
        member = _member_out(p.member)
        if member is not None:
            last_read = (read_at or {}).get(p.member_id)
            people.append({"member": member, "joined_at": p.joined_at, "last_read_at": last_read})
    last = conversation.last_message
    preview = None
    if last is not None:
        sender = members.get(last.sender_id)
        sender_out = _sender_out(sender, hidden)
        preview = {
            "id": last.pk,
            "kind": last.kind,
            "mine": last.sender_id == me.pk,
            "sender_name": sender_out["name"] if sender_out else None,
            "excerpt": last.body[:EXCERPT] if last.kind == Message.Kind.TEXT else "",
            "created_at": last.created_at,
            "deleted": last.deleted_at is not None,
        }
    title = conversation.name or conversation.subject
    if not title:
        title = ", ".join(p["member"]["name"] for p in people) or gettext("Conversation")
    return {
        "id": conversation.pk,
        "kind": conversation.kind,
        "title": title,
        "name": conversation.name,
        "subject": conversation.subject,
        "created_at": conversation.created_at,
        "last_message_at": conversation.last_message_at,
        "last_message": preview,
        "participants": people,
        "state": _state_out(row),
    }


def _read_positions(row: Participant, me) -> dict[int, dt.datetime | None]:
    """The others' read positions, shown only when both sides send read receipts."""
    present = getattr(row.conversation, "active_participants", [])
    ids = [p.member_id for p in present]
    refusing = set(
        MessagingSettings.objects.filter(member_id__in=ids, read_receipts=False).values_list(
            "member_id", flat=True
        )
    )
    if me.pk in refusing:
        return {}
    return {p.member_id: p.last_read_at for p in present if p.member_id not in refusing}


def _message_out(message: Message, me, hidden: set[int]) -> dict:
    deleted = message.deleted_at is not None
    mine = message.sender_id == me.pk
    return {
        "id": message.pk,
        "conversation_id": message.conversation_id,
        "kind": message.kind,
        "sender": _sender_out(message.sender, hidden),
        "mine": mine,
        "body": message.body,
        "html": str(render_markdown(message.body)) if message.body else "",
        "data": message.data if not deleted else {},
        "created_at": message.created_at,
        "edited_at": message.edited_at,
        "deleted": deleted,
        "can_edit": mine
        and not deleted
        and message.kind == Message.Kind.TEXT
        and timezone.now() - message.created_at <= services.EDIT_WINDOW,
        "attachments": [] if deleted else [_attachment_out(a) for a in message.attachments.all()],
    }


def _attachment_out(attachment) -> dict:
    return {
        "id": attachment.pk,
        "name": attachment.original_name,
        "size": attachment.size,
        "content_type": attachment.content_type,
        "width": attachment.width,
        "height": attachment.height,
        "url": reverse("messaging:attachment", args=[attachment.pk]),
    }


def _one(request: HttpRequest, conversation_id: int, *, receipts: bool = True) -> dict:
    me = request.auth
    row = selectors.participant_of(me, conversation_id)
    read_at = _read_positions(row, me) if receipts else None
    return _conversation_out(row, me, _hidden_ids(me.pk), read_at=read_at)


def _field_errors(error: ValidationError, renames: dict[str, str]) -> ValidationError:
    """A service's error with its field names as this API calls them."""
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError(
        {renames.get(field, field): messages for field, messages in error.error_dict.items()}
    )


class _Undo(Exception):  # noqa: N818 - a control-flow signal, not an error
    pass


def _credit_error(sender, recipient, access: policy.MessageAccess) -> QuotaExceeded | None:
    """When the only lock between `sender` and `recipient` is an empty InMail balance: the plans engine's
    own error (its wording, its reset time, what gives more credits). None for any other lock."""
    from entregent.trust import selectors as trust

    if access.allowed or not plans.has(sender, "inmail.send"):
        return None
    left = plans.remaining(sender, services.INMAIL_QUOTA)
    if left is None or left >= 1:
        return None
    if sender.pk == recipient.pk or not recipient.is_active or policy.is_blocked(sender.pk, recipient.pk):
        return None
    if trust.restriction_of(sender.pk) is not None:
        return None
    if MessagingSettings.objects.filter(member=recipient, refuse_inmail=True).exists():
        return None
    # Ask the engine to spend one and undo whatever happens: it raises its error and spends nothing.
    try:
        with transaction.atomic():
            plans.consume(sender, services.INMAIL_QUOTA)
            raise _Undo
    except QuotaExceeded as error:
        return error
    except _Undo:
        return None


def _quota_out(error: QuotaExceeded) -> dict:
    return {"detail": str(error), "resets_at": error.resets_at, "unlock": [str(u) for u in error.unlock]}


def _my_label(request: HttpRequest, label_id: int) -> Label:
    return get_object_or_404(selectors.labels_of(request.auth), pk=label_id)


# ------------------------------------------------------------------------------------- conversations


@router.get(
    "/me/conversations",
    auth=auth.REQUIRED,
    response={200: MessagingConversationPageOut, **READ_ERRORS, 422: ValidationErrorOut},
    operation_id="messaging_conversations_list",
    summary="My conversations (the inbox)",
)
def conversations_list(request: HttpRequest, filters: Query[MessagingInboxQuery]):
    """Newest first, 20 a page. Archived and snoozed conversations are left out unless `filter` asks for
    them (`archived`, `snoozed`); `folder` keeps Focused or Other; `filter` keeps `unread`, `starred`,
    `inmail`, `connections` (1:1 with your connections) or `attachments`; `label` keeps one of your
    labels (another member's label id is a 404)."""
    me = request.auth
    label = _my_label(request, filters.label) if filters.label is not None else None
    rows = selectors.inbox_for(me, folder=filters.folder or "", filter=filters.filter or "", label=label)
    paginator = Paginator(rows, selectors.PAGE_SIZE)
    current = paginator.get_page(filters.page)
    hidden = _hidden_ids(me.pk)
    return {
        "count": paginator.count,
        "page": current.number,
        "pages": paginator.num_pages,
        "items": [_conversation_out(row, me, hidden) for row in current.object_list],
    }


@router.post(
    "/me/conversations",
    auth=auth.REQUIRED,
    response={**WRITE_ERRORS, 201: MessagingConversationOut, 403: MessagingLockOut, 429: MessagingQuotaOut},
    operation_id="messaging_conversation_start",
    summary="Write to one member or to a group of connections",
)
def conversation_start(request: HttpRequest, payload: MessagingConversationIn):
    """To a connection (or a member with an open profile): free, in your one conversation with them. To
    anyone else, if your plan has InMail: an InMail, which needs a `subject` (≤ 200 characters) and spends
    one credit (it comes back if they answer within 90 days); without credits left, 429 with when they come
    back. Several recipients make a group conversation (all must be your connections; up to 50 members,
    optional `name`). When you may not write, 403 with the `reason` and what would `unlock` it. A member
    hidden from you (unknown, deactivated, blocked either way) is a 404. Attachments cannot be sent through
    the JSON API."""
    me = request.auth
    recipients = [network_selectors.member_visible_to(me, slug).user for slug in payload.recipients]
    try:
        conversation, _message = services.conversation_start(
            sender=me, recipients=recipients, body=payload.body, name=payload.name, subject=payload.subject
        )
    except QuotaExceeded as error:
        return Status(429, _quota_out(error))
    except PermissionDenied as error:
        detail = str(error) or gettext("You are not allowed to do this.")
        distinct = {r.pk for r in recipients if r.pk != me.pk}
        if len(distinct) != 1:
            return Status(403, {"detail": detail, "reason": detail, "unlock": []})
        recipient = next(r for r in recipients if r.pk != me.pk)
        access = policy.message_access(me, recipient)
        if not access.allowed and access.reason == detail:
            quota = _credit_error(me, recipient, access)
            if quota is not None:
                return Status(429, _quota_out(quota))
            return Status(403, {"detail": detail, "reason": access.reason, "unlock": access.unlock})
        return Status(403, {"detail": detail, "reason": detail, "unlock": []})
    return Status(201, _one(request, conversation.pk))


@router.get(
    "/me/conversations/{conversation_id}",
    auth=auth.REQUIRED,
    response={200: MessagingConversationOut, **READ_ERRORS, 422: ValidationErrorOut},
    operation_id="messaging_conversation_read",
    summary="One of my conversations, with its participants and my state in it",
)
def conversation_read(request: HttpRequest, conversation_id: ObjectId):
    """Reading it does not mark it read: `PUT …/state` with `{"read": true}` does."""
    return _one(request, conversation_id)


@router.get(
    "/me/conversations/{conversation_id}/messages",
    auth=auth.REQUIRED,
    response={200: MessagePageOut, **READ_ERRORS, 422: ValidationErrorOut},
    operation_id="messaging_messages_list",
    summary="The messages of one of my conversations",
)
def messages_list(
    request: HttpRequest,
    conversation_id: ObjectId,
    before_id: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Older than this message")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = selectors.MESSAGES_PAGE,
):
    """The latest messages, oldest first; pass `older_before_id` as `before_id` for the page before.
    After leaving a group you see its messages up to your leaving."""
    me = request.auth
    row = selectors.participant_of(me, conversation_id)
    if row.left_at is not None:
        last_seen = (
            Message.objects.filter(conversation_id=conversation_id, created_at__lte=row.left_at)
            .order_by("-created_at", "-id")
            .values_list("id", flat=True)
            .first()
        )
        if last_seen is None:
            return {"items": [], "has_older": False, "older_before_id": None}
        before_id = min(before_id or MAX_ID, last_seen + 1)
    page = selectors.messages_of(row.conversation, before_id=before_id, limit=limit + 1)
    has_older = len(page) > limit
    page = page[-limit:]
    hidden = _hidden_ids(me.pk)
    return {
        "items": [_message_out(m, me, hidden) for m in page],
        "has_older": has_older,
        "older_before_id": page[0].pk if has_older and page else None,
    }


@router.post(
    "/me/conversations/{conversation_id}/messages",
    auth=auth.REQUIRED,
    response={201: MessageOut, **WRITE_ERRORS},
    operation_id="messaging_message_send",
    summary="Write in one of my conversations",
)
def message_send(request: HttpRequest, conversation_id: ObjectId, payload: MessageIn):
    """Up to 2,000 characters of Markdown-lite. 403 with the reason when you may no longer write in it
    (no longer connected, blocked, an InMail still waiting for its answer, a group you left)."""
    me = request.auth
    row = selectors.participant_of(me, conversation_id)
    message = services.message_send(conversation=row.conversation, sender=me, body=payload.body)
    return Status(201, _message_out(message, me, set()))


def _my_message(request: HttpRequest, message_id: int) -> Message:
    message = selectors.message_of(request.auth, message_id)
    return (
        Message.objects.select_related("sender__profile").prefetch_related("attachments").get(pk=message.pk)
    )


@router.patch(
    "/me/messages/{message_id}",
    auth=auth.REQUIRED,
    response={200: MessageOut, **WRITE_ERRORS},
    operation_id="messaging_message_edit",
    summary="Edit one of my messages (within 15 minutes)",
)
def message_edit(request: HttpRequest, message_id: ObjectId, payload: MessageIn):
    """Only your own text messages, for 15 minutes after sending (403 otherwise); a message in a
    conversation you are not in is a 404."""
    me = request.auth
    message = services.message_edit(message=_my_message(request, message_id), member=me, body=payload.body)
    return _message_out(_my_message(request, message.pk), me, set())


@router.delete(
    "/me/messages/{message_id}",
    auth=auth.REQUIRED,
    response={204: None, **WRITE_ERRORS},
    operation_id="messaging_message_delete",
    summary="Delete one of my messages",
)
def message_delete(request: HttpRequest, message_id: ObjectId):
    """It then shows as "message deleted" to everyone; its text and files are gone. Only your own (403)."""
    services.message_delete(message=_my_message(request, message_id), member=request.auth)
    return Status(204, None)


@router.put(
    "/me/conversations/{conversation_id}/state",
    auth=auth.REQUIRED,
    response={200: MessagingConversationOut, **WRITE_ERRORS},
    operation_id="messaging_conversation_state",
    summary="Organise one of my conversations",
)
def conversation_state(request: HttpRequest, conversation_id: ObjectId, payload: MessagingStateIn):
    """Send only what changes: `read` (or `unread`), `archived`, `starred`, `muted`, `folder` (moving it
    teaches the split for its sender), `snoozed_until` (it comes back on top, unread; `null` wakes it),
    `remind_days` (1–30, "remind me if no reply"; `null` cancels), `labels` (the ids of your labels it
    carries, replacing the previous ones). Everything is checked first: on a 422 nothing changes."""
    me = request.auth
    row = selectors.participant_of(me, conversation_id)
    conversation = row.conversation
    sent = payload.model_fields_set
    if "read" in sent and "unread" in sent and payload.read is not None and payload.read == payload.unread:
        raise ValidationError({"unread": [gettext("“read” and “unread” say opposite things.")]})
    labels: list[Label] | None = None
    if payload.labels is not None:
        wanted = set(payload.labels)
        labels = list(selectors.labels_of(me).filter(pk__in=wanted))
        if len(labels) != len(wanted):
            raise ValidationError({"labels": [gettext("Choose among your own labels.")]})
    with transaction.atomic():
        try:
            if payload.read is not None or payload.unread is not None:
                read = payload.read if payload.read is not None else not payload.unread
                if read:
                    services.conversation_read(conversation=conversation, member=me)
                else:
                    services.conversation_mark_unread(conversation=conversation, member=me)
            if payload.archived is not None:
                services.conversation_archive(conversation=conversation, member=me, archived=payload.archived)
            if payload.starred is not None:
                services.conversation_star(conversation=conversation, member=me, starred=payload.starred)
            if payload.muted is not None:
                services.conversation_mute(conversation=conversation, member=me, muted=payload.muted)
            if payload.folder is not None:
                services.conversation_move(conversation=conversation, member=me, folder=payload.folder)
            if "snoozed_until" in sent:
                services.conversation_snooze(
                    conversation=conversation, member=me, until=payload.snoozed_until
                )
            if "remind_days" in sent:
                services.conversation_remind(conversation=conversation, member=me, days=payload.remind_days)
            if labels is not None:
                current = {label.pk for label in row.labels.all()}
                for label in labels:
                    if label.pk not in current:
                        services.conversation_label(
                            conversation=conversation, member=me, label=label, on=True
                        )
                keep = {label.pk for label in labels}
                for label in row.labels.all():
                    if label.pk not in keep:
                        services.conversation_label(
                            conversation=conversation, member=me, label=label, on=False
                        )
        except ValidationError as error:
            raise _field_errors(error, {"until": "snoozed_until", "days": "remind_days"}) from error
    return _one(request, conversation_id)


# -------------------------------------------------------------------------------------------- labels


@router.get(
    "/me/message-labels",
    auth=auth.REQUIRED,
    response={200: list[MessageLabelOut], 401: ErrorOut},
    operation_id="messaging_labels_list",
    summary="My message labels",
)
def labels_list(request: HttpRequest):
    return [_label_out(label) for label in selectors.labels_of(request.auth)[:LABELS_SHOWN]]


@router.post(
    "/me/message-labels",
    auth=auth.REQUIRED,
    response={201: MessageLabelOut, **WRITE_ERRORS},
    operation_id="messaging_label_create",
    summary="Create a message label",
)
def label_create(request: HttpRequest, payload: MessageLabelIn):
    """A name (≤ 40 characters, unique among yours, whatever the case) and a colour as `#rrggbb`."""
    label = services.label_create(owner=request.auth, name=payload.name, colour=payload.colour)
    return Status(201, _label_out(label))


@router.patch(
    "/me/message-labels/{label_id}",
    auth=auth.REQUIRED,
    response={200: MessageLabelOut, **WRITE_ERRORS},
    operation_id="messaging_label_update",
    summary="Rename or recolour one of my labels",
)
def label_update(request: HttpRequest, label_id: ObjectId, payload: MessageLabelUpdateIn):
    """Send the name, the colour or both (the same rules as creating one)."""
    label = _my_label(request, label_id)
    label = preferences.label_update(
        label=label,
        owner=request.auth,
        name=label.name if payload.name is None else payload.name,
        colour=label.colour if payload.colour is None else payload.colour,
    )
    return _label_out(label)


@router.delete(
    "/me/message-labels/{label_id}",
    auth=auth.REQUIRED,
    response={204: None, **WRITE_ERRORS},
    operation_id="messaging_label_delete",
    summary="Delete one of my labels (the conversations stay)",
)
def label_delete(request: HttpRequest, label_id: ObjectId):
    services.label_delete(label=_my_label(request, label_id), owner=request.auth)
    return Status(204, None)


# ------------------------------------------------------------------------------- badge, search, access


@router.get(
    "/me/messaging/unread",
    auth=auth.REQUIRED,
    response={200: MessagingUnreadOut, 401: ErrorOut},
    operation_id="messaging_unread",
    summary="How many of my conversations have something unread",
)
def unread(request: HttpRequest):
    """Snoozed and archived conversations wait and are not counted."""
    return {"conversations": selectors.unread_conversations(request.auth)}


@router.get(
    "/me/messaging/search",
    auth=auth.REQUIRED,
    response={200: MessagingSearchPageOut, **READ_ERRORS, 422: ValidationErrorOut},
    operation_id="messaging_search",
    summary="Search my messages",
)
def search(
    request: HttpRequest,
    q: Annotated[Text, Query(min_length=1, max_length=200, description="Words to find")],
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
):
    """Across all your conversations, accent-insensitive and tolerant of small typos ("helene devis"
    finds "Hélène" and "le devis"); never anyone else's messages. A query without letters or digits is a
    422. 20 hits a page."""
    from entregent.messaging.search import search_messages  # written alongside; imported when used

    me = request.auth
    try:
        hits = list(search_messages(me, q, limit=SEARCH_PAGE + 1, offset=(page - 1) * SEARCH_PAGE))
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            raise
        raise ValidationError({"q": error.messages}) from error
    has_more = len(hits) > SEARCH_PAGE
    hits = hits[:SEARCH_PAGE]
    ids = [hit.message.pk for hit in hits]
    messages = Message.objects.select_related("sender__profile").prefetch_related("attachments").in_bulk(ids)
    hidden = _hidden_ids(me.pk)
    return {
        "page": page,
        "has_more": has_more,
        "items": [
            {
                "conversation_id": hit.conversation_id,
                "snippet": str(hit.snippet),
                "message": _message_out(messages[hit.message.pk], me, hidden),
            }
            for hit in hits
            if hit.message.pk in messages
        ],
    }


@router.get(
    "/members/{slug}/message-access",
    auth=auth.REQUIRED,
    response={200: MessagingAccessOut, **READ_ERRORS, 422: ValidationErrorOut},
    operation_id="messaging_member_access",
    summary="Whether I may write to a member, and how (the Message button)",
)
def member_access(request: HttpRequest, slug: PathSlug):
    """`free` (a connection, or their profile is open), `inmail` (writing spends one of your credits) or
    `locked`, with the reason and what would unlock it, and your InMail credits left. If you already have
    a conversation with them, its id (writing goes there)."""
    me = request.auth
    profile = network_selectors.member_visible_to(me, slug)
    access = policy.message_access(me, profile.user)
    credits = plans.remaining(me, services.INMAIL_QUOTA) if plans.has(me, "inmail.send") else 0
    existing = (
        Participant.objects.filter(
            member=me, hidden=False, conversation__pair_key=services.pair_key(me.pk, profile.user_id)
        )
        .values_list("conversation_id", flat=True)
        .first()
        if profile.user_id != me.pk
        else None
    )
    return {
        "mode": access.mode,
        "reason": access.reason,
        "unlock": [str(u) for u in access.unlock],
        "inmail_credits_left": credits,
        "conversation_id": existing,
    }


# ------------------------------------------------------------------------------------------ settings


def _settings_out(member, row: MessagingSettings) -> dict:
    chosen = contacts.sharing_of(member, row)
    return {
        "read_receipts": row.read_receipts,
        "refuse_inmail": row.refuse_inmail,
        "email_unread": row.email_unread,
        "shared": chosen if chosen == contacts.AUTO else sorted(chosen),
        "shareable": [
            {"key": item.key, "kind": item.kind, "label": item.label, "value": item.value}
            for item in contacts.shareable_of(member)
        ],
    }


@router.get(
    "/me/messaging-settings",
    auth=auth.REQUIRED,
    response={200: MessagingSettingsOut, 401: ErrorOut},
    operation_id="messaging_settings_read",
    summary="My messaging settings",
)
def settings_read(request: HttpRequest):
    return _settings_out(request.auth, preferences.preferences_of(request.auth))


@router.patch(
    "/me/messaging-settings",
    auth=auth.REQUIRED,
    response={200: MessagingSettingsOut, **WRITE_ERRORS},
    operation_id="messaging_settings_update",
    summary="Change my messaging settings",
)
def settings_update(request: HttpRequest, payload: MessagingSettingsIn):
    """Send only what changes: `read_receipts` (off: nobody sees when you read, and you do not see
    theirs), `refuse_inmail`, `email_unread` (`hourly`: at most one mail an hour per conversation, or
    `off`), `shared` (what "share my contact details" sends: `"auto"`, or keys from `shareable`)."""
    changes = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    row = preferences.preferences_update(member=request.auth, **changes)
    return _settings_out(request.auth, row)
