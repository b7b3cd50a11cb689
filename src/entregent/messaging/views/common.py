"""What the messaging pages show about a conversation and its messages, in the reader's language: a
conversation's title and the other members, an inbox row's preview, a system message in words, read
receipts. Pure presentation over rows the selectors already loaded: no query here grows with a list."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from entregent.core.text import render_markdown
from entregent.messaging.models import Conversation, Label, Message, Participant
from entregent.messaging.services import EDIT_WINDOW

if TYPE_CHECKING:
    from entregent.profiles.models import Profile

PREVIEW_CHARS = 110
# Markdown-lite's marks, left out of an inbox preview (the text reads as it will show).
_MARKUP = re.compile(
    r"(\*\*|__|`+|^\s{0,3}(?:[>#]+|[-*+]|\d+\.)\s+|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w))", re.MULTILINE
)


def safe_next(request: HttpRequest, default: str) -> str:
    """Where to go after a form: the `next` it carried if it points to this site, `default` otherwise."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def short_time(when: dt.datetime | None) -> str:
    """An inbox's time: the hour today, the day this year, the date before."""
    if when is None:
        return ""
    local, now = timezone.localtime(when), timezone.localtime()
    if local.date() == now.date():
        return formats.time_format(local, "TIME_FORMAT")
    if local.year == now.year:
        return formats.date_format(local, "MONTH_DAY_FORMAT")
    return formats.date_format(local, "SHORT_DATE_FORMAT")


def full_time(when: dt.datetime | None) -> str:
    if when is None:
        return ""
    return formats.date_format(timezone.localtime(when), "DATETIME_FORMAT")


def _name(profile: Profile | None) -> str:
    return profile.display_name if profile is not None else _("A former member")


def names(profiles: list[Profile]) -> str:
    """'Ben Moreau', 'Ben Moreau and Cat Blanc', 'Ben, Cat and Dan', 'Ben, Cat and 3 others'."""
    if not profiles:
        return _("Only you")
    if len(profiles) == 1:
        return profiles[0].display_name
    if len(profiles) == 2:
        return _("%(first)s and %(second)s") % {
            "first": profiles[0].display_name,
            "second": profiles[1].display_name,
        }
    firsts = [p.first_name or p.display_name for p in profiles]
    if len(profiles) == 3:
        return _("%(first)s, %(second)s and %(third)s") % dict(
            zip(("first", "second", "third"), firsts, strict=True)
        )
    more = len(profiles) - 2
    return ngettext(
        "%(first)s, %(second)s and %(n)d other", "%(first)s, %(second)s and %(n)d others", more
    ) % {"first": firsts[0], "second": firsts[1], "n": more}


# ------------------------------------------------------------------------------------ conversations


@dataclass
class ConversationHead:
    """A conversation as one member sees it: who else is in it and what to call it."""

    participant: Participant
    conversation: Conversation
    others: list[Profile]  # active members other than the viewer, by name
    profiles: dict[int, Profile]  # every active member's profile by user id (the viewer's too)
    title: str
    subject: str  # an InMail's subject, or a direct conversation's

    @property
    def is_group(self) -> bool:
        return self.conversation.kind == Conversation.Kind.GROUP

    @property
    def is_inmail(self) -> bool:
        return self.conversation.kind == Conversation.Kind.INMAIL

    @property
    def has_left(self) -> bool:
        return self.participant.left_at is not None

    @property
    def avatars(self) -> list[Profile]:
        return self.others[:2]


def head_of(participant: Participant) -> ConversationHead:
    """Needs the participant loaded by `selectors.with_display` (active participants and profiles)."""
    conversation = participant.conversation
    active = getattr(conversation, "active_participants", [])
    profiles = {p.member_id: getattr(p.member, "profile", None) for p in active}
    others = sorted(
        (
            profile
            for member_id, profile in profiles.items()
            if member_id != participant.member_id and profile
        ),
        key=lambda p: (p.last_name.casefold(), p.first_name.casefold(), p.pk),
    )
    if conversation.kind == Conversation.Kind.GROUP and conversation.name:
        title = conversation.name
    else:
        title = names(others)
    return ConversationHead(
        participant=participant,
        conversation=conversation,
        others=others,
        profiles={k: v for k, v in profiles.items() if v is not None},
        title=title,
        subject=conversation.subject,
    )


# -------------------------------------------------------------------------------------- inbox rows


@dataclass
class InboxRow:
    head: ConversationHead
    preview: str
    preview_is_event: bool  # deleted, or an event: shown in italics
    when: dt.datetime | None
    when_text: str
    labels: list[Label]

    @property
    def participant(self) -> Participant:
        return self.head.participant

    @property
    def conversation(self) -> Conversation:
        return self.head.conversation

    @property
    def unread(self) -> bool:
        return self.participant.is_unread

    @property
    def snoozed(self) -> bool:
        until = self.participant.snoozed_until
        return until is not None and until > timezone.now()

    @property
    def snoozed_text(self) -> str:
        return full_time(self.participant.snoozed_until)


def inbox_rows(participants) -> list[InboxRow]:
    rows = []
    for participant in participants:
        head = head_of(participant)
        last = participant.conversation.last_message
        preview, is_event = message_preview(last, head)
        rows.append(
            InboxRow(
                head=head,
                preview=preview,
                preview_is_event=is_event,
                when=participant.last_message_at,
                when_text=short_time(participant.last_message_at),
                labels=list(participant.labels.all()),
            )
        )
    return rows


def message_preview(message: Message | None, head: ConversationHead) -> tuple[str, bool]:
    """An inbox row's line: the last message's first words with who wrote it ('You: …' and, in a group,
    'Ben: …'), or the event in words. Returns (text, is_event)."""
    if message is None:
        return "", True
    viewer_id = head.participant.member_id
    if message.deleted_at is not None:
        return _("Message deleted"), True
    if message.kind == Message.Kind.SYSTEM:
        return system_text(message, head.profiles, viewer_id), True
    if message.kind == Message.Kind.CONTACT_SHARE:
        if message.sender_id == viewer_id:
            return _("You shared your contact details"), True
        return _("%(name)s shared their contact details") % {
            "name": _name(head.profiles.get(message.sender_id))
        }, True
    if message.kind == Message.Kind.CONTACT_REQUEST:
        if message.sender_id == viewer_id:
            return _("You asked for contact details"), True
        return _("%(name)s asked for your contact details") % {
            "name": _name(head.profiles.get(message.sender_id))
        }, True
    text = " ".join(_MARKUP.sub("", message.body).split())
    text = Truncator(text).chars(PREVIEW_CHARS) if text else _("Sent an attachment")
    if message.sender_id == viewer_id:
        return _("You: %(text)s") % {"text": text}, False
    if head.is_group:
        sender = head.profiles.get(message.sender_id)
        if sender is not None:
            return _("%(name)s: %(text)s") % {
                "name": sender.first_name or sender.display_name,
                "text": text,
            }, False
    return text, False


def system_text(message: Message, profiles: dict[int, Profile], viewer_id: int) -> str:
    """A system message in words, from the reader's side."""
    data = message.data or {}
    event = data.get("event")

    def who(member_id) -> str:
        if member_id == viewer_id:
            return _("you")
        return _name(profiles.get(member_id))

    actor_is_viewer = message.sender_id == viewer_id
    actor = _name(profiles.get(message.sender_id))
    if event == "introduction":
        return _("%(intermediary)s introduced %(requester)s to %(target)s.") % {
            "intermediary": who(data.get("intermediary")),
            "requester": who(data.get("requester")),
            "target": who(data.get("target")),
        }
    if event == "added":
        if actor_is_viewer:
            return _("You added %(member)s.") % {"member": who(data.get("member"))}
        return _("%(actor)s added %(member)s.") % {"actor": actor, "member": who(data.get("member"))}
    if event == "left":
        if data.get("member") == viewer_id:
            return _("You left the conversation.")
        return _("%(member)s left the conversation.") % {"member": who(data.get("member"))}
    if event == "renamed":
        name = data.get("name") or ""
        if actor_is_viewer:
            if name:
                return _("You named the conversation “%(name)s”.") % {"name": name}
            return _("You removed the conversation’s name.")
        if name:
            return _("%(actor)s named the conversation “%(name)s”.") % {"actor": actor, "name": name}
        return _("%(actor)s removed the conversation’s name.") % {"actor": actor}
    return _("The conversation changed.")


def referenced_member_ids(messages: list[Message]) -> set[int]:
    """Members named by system messages (who was added, who introduced whom)."""
    ids: set[int] = set()
    for message in messages:
        if message.kind != Message.Kind.SYSTEM:
            continue
        for key in ("member", "requester", "intermediary", "target"):
            value = (message.data or {}).get(key)
            if isinstance(value, int):
                ids.add(value)
    return ids


# ------------------------------------------------------------------------------------------ messages


@dataclass
class MessageView:
    message: Message
    sender: Profile | None
    mine: bool
    html: SafeString | str = ""
    event_text: str = ""
    attachments: list = field(default_factory=list)
    seen_by: list[Profile] = field(default_factory=list)
    day: str = ""  # the date heading before this message, when it starts a new day
    continued: bool = False  # same sender as the message before, within minutes: no repeated name
    can_edit: bool = False
    can_delete: bool = False
    introduction: dict | None = None  # {"message", "word", "requester", "intermediary"} for the event
    viewer_id: int | None = None
    sender_url: str = ""  # the sender's profile address and avatar, rendered once per sender on the page
    sender_avatar: SafeString | str = ""

    @property
    def pk(self) -> int:
        return self.message.pk

    @property
    def kind(self) -> str:
        return self.message.kind

    @property
    def deleted(self) -> bool:
        return self.message.deleted_at is not None

    @property
    def edited(self) -> bool:
        return self.message.edited_at is not None and not self.deleted

    @property
    def time_text(self) -> str:
        return formats.time_format(timezone.localtime(self.message.created_at), "TIME_FORMAT")

    @property
    def full_time_text(self) -> str:
        return full_time(self.message.created_at)

    @property
    def data(self) -> dict:
        return self.message.data or {}

    @property
    def contacts(self) -> list[dict]:
        """The details a contact share carries (messaging/contacts.py keeps a copy in `data["details"]`),
        each with its kind in words."""
        items = self.data.get("details") or []
        return [
            {**item, "kind_label": _kind_label(item.get("kind", ""))}
            for item in items
            if isinstance(item, dict) and item.get("value")
        ]

    @property
    def seen_names(self) -> str:
        return names(self.seen_by)

    @property
    def accepted_by(self) -> list[int]:
        return [i for i in self.data.get("accepted_by", []) if isinstance(i, int)]

    @property
    def i_accepted(self) -> bool:
        return self.viewer_id in self.accepted_by

    @property
    def can_accept(self) -> bool:
        """A request for contact details the viewer may still answer (as contacts.request_open_for)."""
        return (
            self.message.kind == Message.Kind.CONTACT_REQUEST
            and not self.deleted
            and self.message.sender_id is not None
            and not self.mine
            and not self.i_accepted
        )


def _kind_label(kind: str) -> str:
    from entregent.profiles.models import ContactDetail

    try:
        return str(ContactDetail.Kind(kind).label)
    except ValueError:
        return kind


def message_views(
    messages: list[Message],
    *,
    viewer_id: int,
    profiles: dict[int, Profile],
    previous: Message | None = None,
    now: dt.datetime | None = None,
) -> list[MessageView]:
    """Messages ready for the page: rendered text, events in words, day headings, edit/delete rights.
    `profiles` names members of system messages; senders come with the messages."""
    from django.template.loader import render_to_string

    now = now or timezone.now()
    views = []
    before = previous
    faces: dict[int, tuple[str, SafeString]] = {}
    for message in messages:
        sender = getattr(message.sender, "profile", None) if message.sender_id else None
        mine = message.sender_id == viewer_id
        view = MessageView(message=message, sender=sender, mine=mine, viewer_id=viewer_id)
        if sender is not None:
            if message.sender_id not in faces:
                avatar = render_to_string("profiles/_avatar.html", {"profile": sender, "size": "medium"})
                faces[message.sender_id] = (sender.get_absolute_url(), avatar)  # a SafeString
            view.sender_url, view.sender_avatar = faces[message.sender_id]
        local_day = timezone.localtime(message.created_at).date()
        if before is None or timezone.localtime(before.created_at).date() != local_day:
            view.day = _day_heading(message.created_at, now)
        elif (
            before.sender_id == message.sender_id
            and before.kind == Message.Kind.TEXT
            and message.kind == Message.Kind.TEXT
            and message.created_at - before.created_at < dt.timedelta(minutes=5)
        ):
            view.continued = True
        if view.deleted:
            pass
        elif message.kind == Message.Kind.SYSTEM:
            view.event_text = system_text(
                message, {**profiles, **({message.sender_id: sender} if sender else {})}, viewer_id
            )
            if (message.data or {}).get("event") == "introduction":
                data = message.data
                view.introduction = {
                    "message": render_markdown(data.get("message") or "") if data.get("message") else "",
                    "word": render_markdown(data.get("word") or "") if data.get("word") else "",
                    "requester": profiles.get(data.get("requester")),
                    "intermediary": profiles.get(data.get("intermediary")),
                }
        else:
            view.html = render_markdown(message.body) if message.body else ""
            view.attachments = list(message.attachments.all())
        if mine and not view.deleted and message.kind == Message.Kind.TEXT:
            view.can_edit = now - message.created_at <= EDIT_WINDOW
            view.can_delete = True
        views.append(view)
        before = message
    return views


def _day_heading(when: dt.datetime, now: dt.datetime) -> str:
    day, today = timezone.localtime(when).date(), timezone.localtime(now).date()
    if day == today:
        return _("Today")
    if day == today - dt.timedelta(days=1):
        return _("Yesterday")
    if day.year == today.year:
        return formats.date_format(day, "MONTH_DAY_FORMAT")
    return formats.date_format(day, "DATE_FORMAT")


def place_receipts(
    views: list[MessageView], readers: list[Participant], profiles: dict[int, Profile]
) -> None:
    """'Seen by …' under the last message each reader has read (not one they wrote, and not when they
    wrote after it: answering says it was seen)."""
    for reader in readers:
        if reader.last_read_at is None:
            continue
        candidate = None
        for index, view in enumerate(views):
            message = view.message
            if message.created_at > reader.last_read_at:
                break
            if message.sender_id != reader.member_id and message.kind != Message.Kind.SYSTEM:
                candidate = index
        if candidate is None:
            continue
        if any(v.message.sender_id == reader.member_id for v in views[candidate + 1 :]):
            continue
        profile = profiles.get(reader.member_id)
        if profile is not None:
            views[candidate].seen_by.append(profile)
