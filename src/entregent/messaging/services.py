"""Writes of messaging: start a conversation (1:1, group, InMail), send, edit and delete a message, and
each member's organisation of their inbox (read, unread, archive, star, mute, snooze, remind, labels,
Focused / Other). Every write is one transaction; live events and mails leave after commit.

Who may write to whom is `core.policy.message_access`; a conversation keeps its members' view on their
`Participant` rows, so a new message updates one row per participant and no member's inbox is computed
from another member's rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from entregent import plans
from entregent.core import policy
from entregent.core.text import fold
from entregent.messaging.models import (
    BODY_MAX,
    GROUP_NAME_MAX,
    MAX_PARTICIPANTS,
    SUBJECT_MAX,
    Conversation,
    Label,
    Message,
    Participant,
    SenderFolder,
)

if TYPE_CHECKING:
    from entregent.accounts.models import User

EDIT_WINDOW = dt.timedelta(minutes=15)
INMAIL_REFUND_WINDOW = dt.timedelta(days=90)
INMAIL_QUOTA = "inmail.credits"

# Called after commit with (conversation id, message id or None, member ids to tell): the live-updates
# module registers here, so services never import the transport.
_listeners: list[Callable[[int, int | None, list[int]], None]] = []


def on_change(listener: Callable[[int, int | None, list[int]], None]) -> None:
    _listeners.append(listener)


def _announce(conversation_id: int, message_id: int | None, member_ids: list[int]) -> None:
    def announce() -> None:
        for listener in list(_listeners):
            listener(conversation_id, message_id, member_ids)

    transaction.on_commit(announce)


# ---------------------------------------------------------------------------------------- checking


def _clean_body(body: str, *, required: bool = True) -> str:
    body = (body or "").strip()
    if required and not body:
        raise ValidationError({"body": [_("Write a message.")]}, code="empty")
    if len(body) > BODY_MAX:
        raise ValidationError(
            {
                "body": [
                    _("A message has at most %(max)d characters (this one has %(n)d).")
                    % {"max": BODY_MAX, "n": len(body)}
                ]
            },
            code="too_long",
        )
    return body


def _clean_subject(subject: str) -> str:
    subject = (subject or "").strip()
    if not subject:
        raise ValidationError({"subject": [_("An InMail needs a subject.")]}, code="subject_required")
    if len(subject) > SUBJECT_MAX:
        raise ValidationError(
            {"subject": [_("A subject has at most %(max)d characters.") % {"max": SUBJECT_MAX}]},
            code="subject_long",
        )
    return subject


def _active_participant(conversation: Conversation, member: User) -> Participant:
    """The member's row, locked — after the conversation's row, always in that order, so that writers in
    the same conversation queue on the conversation instead of deadlocking on each other's rows."""
    Conversation.objects.select_for_update().filter(pk=conversation.pk).values_list("pk", flat=True).first()
    participant = (
        Participant.objects.select_for_update()
        .filter(conversation=conversation, member=member, left_at__isnull=True)
        .first()
    )
    if participant is None:
        raise PermissionDenied(_("You are not in this conversation."))
    return participant


def _others(conversation: Conversation, member: User) -> list[Participant]:
    return list(
        Participant.objects.filter(conversation=conversation, left_at__isnull=True)
        .exclude(member=member)
        .select_related("member")
    )


def pair_key(a_id: int, b_id: int) -> str:
    low, high = sorted((a_id, b_id))
    return f"{low}:{high}"


def _folder_for(member: User, sender: User) -> str:
    """Focused for connections and for people the member has answered before; Other for the rest —
    unless the member moved one of this sender's conversations, which decides from then on."""
    taught = (
        SenderFolder.objects.filter(member=member, sender=sender).values_list("folder", flat=True).first()
    )
    if taught:
        return taught
    if policy.are_connected(member.pk, sender.pk):
        return Participant.Folder.FOCUSED
    answered = Message.objects.filter(
        sender=member,
        conversation__participants__member=sender,
        kind__in=(Message.Kind.TEXT, Message.Kind.CONTACT_SHARE, Message.Kind.CONTACT_REQUEST),
    ).exists()
    return Participant.Folder.FOCUSED if answered else Participant.Folder.OTHER


# ------------------------------------------------------------------------------------ conversations


@transaction.atomic
def conversation_start(
    *,
    sender: User,
    recipients: Sequence[User],
    body: str,
    name: str = "",
    subject: str = "",
    attachments: Sequence = (),
) -> tuple[Conversation, Message]:
    """Write to one member (their existing conversation with `sender` if any; an InMail if they are not
    connected and the sender has a credit) or to several connections at once (a group, up to 50)."""
    recipients = list({r.pk: r for r in recipients if r.pk != sender.pk}.values())
    if not recipients:
        raise ValidationError(
            {"recipients": [_("Choose at least one member to write to.")]}, code="no_recipient"
        )
    body = _clean_body(body, required=not attachments)
    attachments = _checked(attachments)  # every file checked before anything is written or spent
    if len(recipients) == 1:
        return _start_direct(
            sender=sender, recipient=recipients[0], body=body, subject=subject, attachments=attachments
        )
    return _start_group(sender=sender, recipients=recipients, body=body, name=name, attachments=attachments)


def _start_direct(*, sender, recipient, body, subject, attachments) -> tuple[Conversation, Message]:
    access = policy.message_access(sender, recipient)
    existing = Conversation.objects.filter(pair_key=pair_key(sender.pk, recipient.pk)).first()
    if existing is not None and Participant.objects.filter(conversation=existing, member=sender).exists():
        message = message_send(conversation=existing, sender=sender, body=body, attachments=attachments)
        return existing, message
    if not access.allowed:
        raise PermissionDenied(access.reason)
    now = timezone.now()
    if access.mode == policy.WRITE_INMAIL:
        subject = _clean_subject(subject)
        plans.consume(sender, INMAIL_QUOTA)  # raises QuotaExceeded; nothing written yet
        conversation = Conversation(
            kind=Conversation.Kind.INMAIL,
            subject=subject,
            created_by=sender,
            inmail_sender=sender,
            inmail_credit_spent=True,
            inmail_refundable_until=now + INMAIL_REFUND_WINDOW,
        )
    else:
        conversation = Conversation(
            kind=Conversation.Kind.DIRECT, created_by=sender, subject=subject.strip()[:SUBJECT_MAX]
        )
    conversation.pair_key = pair_key(sender.pk, recipient.pk)
    try:
        with transaction.atomic():
            conversation.save()
    except IntegrityError:  # both wrote first at the same moment: one conversation
        existing = Conversation.objects.get(pair_key=conversation.pair_key)
        if conversation.inmail_credit_spent:
            _refund(sender, now)
        message = message_send(conversation=existing, sender=sender, body=body, attachments=attachments)
        return existing, message
    Participant.objects.bulk_create(
        [
            Participant(conversation=conversation, member=sender, folder=Participant.Folder.FOCUSED),
            Participant(conversation=conversation, member=recipient, folder=_folder_for(recipient, sender)),
        ]
    )
    message = message_send(conversation=conversation, sender=sender, body=body, attachments=attachments)
    return conversation, message


def _refund(member: User, spent_at: dt.datetime) -> None:
    from entregent.plans import engine

    engine.refund(member, INMAIL_QUOTA, at=spent_at)


def _start_group(*, sender, recipients, body, name, attachments) -> tuple[Conversation, Message]:
    if len(recipients) + 1 > MAX_PARTICIPANTS:
        raise ValidationError(
            {
                "recipients": [
                    _("A group conversation has at most %(max)d members.") % {"max": MAX_PARTICIPANTS}
                ]
            },
            code="too_many",
        )
    name = (name or "").strip()
    if len(name) > GROUP_NAME_MAX:
        raise ValidationError(
            {"name": [_("A name has at most %(max)d characters.") % {"max": GROUP_NAME_MAX}]}
        )
    _require_can_message(sender)
    strangers = [r for r in recipients if not policy.are_connected(sender.pk, r.pk) or not r.is_active]
    if strangers:
        names = ", ".join(_name(r) for r in strangers[:3])
        raise PermissionDenied(
            _("Everyone in a group conversation must be one of your connections; %(names)s is not.")
            % {"names": names}
        )
    blocked = [r for r in recipients if policy.is_blocked(sender.pk, r.pk)]
    if blocked:
        raise PermissionDenied(_("This member cannot be reached."))
    conversation = Conversation.objects.create(kind=Conversation.Kind.GROUP, name=name, created_by=sender)
    Participant.objects.bulk_create(
        [Participant(conversation=conversation, member=sender)]
        + [
            Participant(conversation=conversation, member=r, folder=Participant.Folder.FOCUSED)
            for r in recipients
        ]
    )
    message = message_send(conversation=conversation, sender=sender, body=body, attachments=attachments)
    return conversation, message


def _name(member: User) -> str:
    profile = getattr(member, "profile", None)
    return profile.display_name if profile else member.email


def _require_can_message(member: User) -> None:
    restricted = policy.messaging_restriction(member)
    if restricted:
        raise PermissionDenied(restricted)


@transaction.atomic
def conversation_for_introduction(*, introduction) -> Conversation:
    """An accepted introduction opens a conversation between the three members, starting with what was
    said: A's message and B's word, so that C and A can go on from there."""
    existing = Conversation.objects.filter(introduction=introduction).first()
    if existing is not None:
        return existing
    members = [introduction.requester, introduction.intermediary, introduction.target]
    now = timezone.now()
    conversation = Conversation.objects.create(
        kind=Conversation.Kind.INTRODUCTION, created_by=introduction.intermediary, introduction=introduction
    )
    Participant.objects.bulk_create(
        [Participant(conversation=conversation, member=m, folder=Participant.Folder.FOCUSED) for m in members]
    )
    event = Message.objects.create(
        conversation=conversation,
        kind=Message.Kind.SYSTEM,
        data={
            "event": "introduction",
            "requester": introduction.requester_id,
            "intermediary": introduction.intermediary_id,
            "target": introduction.target_id,
            "message": introduction.message,
            "word": introduction.intermediary_word,
        },
        created_at=now,
        search_text=fold(f"{introduction.message} {introduction.intermediary_word}"),
    )
    _after_message(conversation, event, sender=None)
    return conversation


# ------------------------------------------------------------------------------------------ messages


@transaction.atomic
def message_send(
    *, conversation: Conversation, sender: User, body: str, attachments: Sequence = ()
) -> Message:
    """Add a message to a conversation the sender is in. Unread for the others, back in their inbox if
    they had archived it; answers an InMail (its credit comes back within 90 days)."""
    participant = _active_participant(conversation, sender)
    body = _clean_body(body, required=not attachments)
    attachments = _checked(attachments)
    _require_can_message(sender)
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    others = _others(conversation, sender)
    if conversation.kind in (Conversation.Kind.DIRECT, Conversation.Kind.INMAIL):
        other = others[0].member if others else None
        if other is None or not other.is_active or policy.is_blocked(sender.pk, other.pk):
            raise PermissionDenied(_("This member cannot be reached."))
        if conversation.kind == Conversation.Kind.DIRECT:
            access = policy.message_access(sender, other)
            if not access.allowed:
                raise PermissionDenied(access.reason)
            if access.mode != policy.WRITE_FREE:
                raise PermissionDenied(
                    _("You are no longer connected to %(name)s: invite them again to write to them.")
                    % {"name": _name(other)}
                )
        if (
            conversation.kind == Conversation.Kind.INMAIL
            and conversation.inmail_sender_id == sender.pk
            and conversation.inmail_answered_at is None
            and conversation.last_message_id is not None
        ):
            raise PermissionDenied(_("Wait for an answer to your InMail before writing again."))
    message = Message(conversation=conversation, sender=sender, body=body, search_text=fold(body))
    message.full_clean(exclude=["conversation", "sender"])
    message.save()
    if attachments:
        from entregent.messaging import attachments as attachment_store

        attachment_store.attach(message, attachments)
    if (
        conversation.kind == Conversation.Kind.INMAIL
        and sender.pk != conversation.inmail_sender_id
        and conversation.inmail_answered_at is None
    ):
        conversation.inmail_answered_at = message.created_at
        if conversation.inmail_credit_spent and message.created_at <= conversation.inmail_refundable_until:
            _refund(conversation.inmail_sender, conversation.created_at)
            conversation.inmail_credit_refunded = True
        conversation.save(update_fields=["inmail_answered_at", "inmail_credit_refunded"])
    # The sender answered someone who wrote first: this sender's conversations go to Focused.
    if participant.folder == Participant.Folder.OTHER:
        participant.folder = Participant.Folder.FOCUSED
        participant.save(update_fields=["folder"])
    _after_message(conversation, message, sender=sender)
    return message


def _checked(files: Sequence) -> list:
    """Uploaded files checked and re-encoded in memory (attachments.check), or the result of an earlier
    check passed again; ValidationError naming each refused file."""
    files = list(files or ())
    if not files:
        return []
    from entregent.messaging import attachments as attachment_store

    return attachment_store.check(files)  # files already checked pass through unchanged


def _after_message(conversation: Conversation, message: Message, *, sender: User | None) -> None:
    now = message.created_at
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=now, last_message=message)
    conversation.last_message_at, conversation.last_message = now, message
    everyone = Participant.objects.filter(conversation=conversation, left_at__isnull=True)
    if sender is not None:
        everyone.filter(member=sender).update(
            last_message_at=now, last_read_at=now, unread_count=0, marked_unread=False, archived=False
        )
        # Someone else wrote: reminders waiting for an answer are answered.
        everyone.exclude(member=sender).filter(remind_at__isnull=False, remind_from__lt=now).update(
            remind_at=None, remind_from=None
        )
        others = everyone.exclude(member=sender)
    else:
        others = everyone
    others.update(last_message_at=now, unread_count=F("unread_count") + 1, archived=False)
    ids = list(everyone.values_list("member_id", flat=True))
    _announce(conversation.pk, message.pk, ids)
    if sender is not None:
        transaction.on_commit(lambda: _schedule_mail(conversation.pk))


def _schedule_mail(conversation_id: int) -> None:
    try:
        from entregent.messaging import tasks
    except ImportError:  # pragma: no cover - the mail task arrives with notifications
        return
    tasks.mail_unread_later(conversation_id)


@transaction.atomic
def message_edit(*, message: Message, member: User, body: str) -> Message:
    if message.sender_id != member.pk:
        raise PermissionDenied(_("You can only edit your own messages."))
    locked = Message.objects.select_for_update().get(pk=message.pk)
    if locked.deleted_at is not None:
        raise ValidationError(_("This message was deleted."), code="deleted")
    if locked.kind != Message.Kind.TEXT:
        raise PermissionDenied(_("This message cannot be edited."))
    if timezone.now() - locked.created_at > EDIT_WINDOW:
        raise PermissionDenied(_("A message can be edited for 15 minutes after it was sent."))
    names = [a.original_name for a in locked.attachments.all()]
    body = _clean_body(body, required=not names)
    from entregent.messaging.attachments import search_names

    search_text = f"{fold(body)} {search_names(names)}".strip()
    locked.body, locked.search_text, locked.edited_at = body, search_text, timezone.now()
    locked.save(update_fields=["body", "search_text", "edited_at"])
    _announce(locked.conversation_id, locked.pk, _member_ids(locked.conversation_id))
    return locked


@transaction.atomic
def message_delete(*, message: Message, member: User) -> Message:
    """Delete one's own message: it shows as "message deleted"; its text and files are gone."""
    if message.sender_id != member.pk:
        raise PermissionDenied(_("You can only delete your own messages."))
    locked = Message.objects.select_for_update().get(pk=message.pk)
    if locked.deleted_at is None:
        files = [a.file for a in locked.attachments.all()]
        locked.attachments.all().delete()
        # The files go once the deletion is committed (a rollback keeps rows and files together).
        transaction.on_commit(lambda: [file.delete(save=False) for file in files])
        locked.body, locked.search_text, locked.deleted_at = "", "", timezone.now()
        locked.save(update_fields=["body", "search_text", "deleted_at"])
        _announce(locked.conversation_id, locked.pk, _member_ids(locked.conversation_id))
    return locked


def _member_ids(conversation_id: int) -> list[int]:
    return list(
        Participant.objects.filter(conversation_id=conversation_id, left_at__isnull=True).values_list(
            "member_id", flat=True
        )
    )


# ------------------------------------------------------------------------------ a member's inbox view


def _mine(conversation: Conversation, member: User) -> Participant:
    participant = Participant.objects.filter(conversation=conversation, member=member).first()
    if participant is None:
        raise PermissionDenied(_("You are not in this conversation."))
    return participant


def conversation_read(*, conversation: Conversation, member: User) -> None:
    """The member opened the conversation: nothing unread any more (one UPDATE, none if already read)."""
    updated = (
        Participant.objects.filter(conversation=conversation, member=member)
        .filter(
            Q(unread_count__gt=0)
            | Q(marked_unread=True)
            | Q(last_read_at__isnull=True)
            | Q(last_read_at__lt=F("last_message_at"))
        )
        .update(unread_count=0, marked_unread=False, last_read_at=timezone.now())
    )
    if updated:
        _announce(conversation.pk, None, _member_ids(conversation.pk))


def conversation_mark_unread(*, conversation: Conversation, member: User) -> None:
    _mine(conversation, member)
    Participant.objects.filter(conversation=conversation, member=member).update(marked_unread=True)
    _announce(conversation.pk, None, [member.pk])


def _set(conversation: Conversation, member: User, **fields) -> Participant:
    participant = _mine(conversation, member)
    for field, value in fields.items():
        setattr(participant, field, value)
    participant.save(update_fields=list(fields))
    return participant


def conversation_archive(*, conversation: Conversation, member: User, archived: bool = True) -> Participant:
    return _set(conversation, member, archived=archived)


def conversation_star(*, conversation: Conversation, member: User, starred: bool = True) -> Participant:
    return _set(conversation, member, starred=starred)


def conversation_mute(*, conversation: Conversation, member: User, muted: bool = True) -> Participant:
    return _set(conversation, member, muted=muted)


def conversation_snooze(
    *, conversation: Conversation, member: User, until: dt.datetime | None
) -> Participant:
    """Hide the conversation until `until` (None: wake it now); it then comes back to the top, unread."""
    if until is not None and until <= timezone.now():
        raise ValidationError({"until": [_("Choose a time in the future.")]}, code="past")
    if until is not None and until > timezone.now() + dt.timedelta(days=365):
        raise ValidationError({"until": [_("Snooze for at most a year.")]}, code="far")
    return _set(conversation, member, snoozed_until=until)


def snoozes_wake(*, now: dt.datetime | None = None) -> int:
    """Bring back the conversations whose snooze ended: at the top of the inbox, unread. Returns how many."""
    now = now or timezone.now()
    due = Participant.objects.filter(snoozed_until__isnull=False, snoozed_until__lte=now)
    ids = list(due.values_list("pk", "conversation_id", "member_id"))
    if not ids:
        return 0
    Participant.objects.filter(pk__in=[pk for pk, _c, _m in ids]).update(
        snoozed_until=None, marked_unread=True, archived=False, last_message_at=now
    )
    for _pk, conversation_id, member_id in ids:
        transaction.on_commit(lambda c=conversation_id, m=member_id: [fn(c, None, [m]) for fn in _listeners])
    return len(ids)


def conversation_remind(*, conversation: Conversation, member: User, days: int | None) -> Participant:
    """ "Remind me if no reply in N days" (1–30); None cancels. Due only if nobody else writes meanwhile."""
    if days is None:
        return _set(conversation, member, remind_at=None, remind_from=None, reminded_at=None)
    if not 1 <= int(days) <= 30:
        raise ValidationError({"days": [_("Choose between 1 and 30 days.")]}, code="days")
    now = timezone.now()
    return _set(
        conversation, member, remind_at=now + dt.timedelta(days=int(days)), remind_from=now, reminded_at=None
    )


def reminders_due(*, now: dt.datetime | None = None) -> list[Participant]:
    """Reminders whose time came with no reply: marked as reminded (the banner shows, a notification goes
    out) and returned."""
    now = now or timezone.now()
    due = list(
        Participant.objects.filter(
            remind_at__isnull=False, remind_at__lte=now, reminded_at__isnull=True
        ).select_related("conversation", "member")
    )
    if due:
        Participant.objects.filter(pk__in=[p.pk for p in due]).update(
            reminded_at=now, marked_unread=True, archived=False
        )
        for participant in due:
            _announce(participant.conversation_id, None, [participant.member_id])
    return due


def conversation_move(*, conversation: Conversation, member: User, folder: str) -> Participant:
    """Move to Focused or Other, and teach the split: this sender's conversations go there from now on."""
    if folder not in Participant.Folder.values:
        raise ValidationError({"folder": [_("Choose Focused or Other.")]}, code="folder")
    participant = _set(conversation, member, folder=folder)
    starter = conversation.inmail_sender_id or conversation.created_by_id
    if starter and starter != member.pk and conversation.kind != Conversation.Kind.GROUP:
        SenderFolder.objects.update_or_create(member=member, sender_id=starter, defaults={"folder": folder})
    return participant


# ------------------------------------------------------------------------------------------- labels


def label_create(*, owner: User, name: str, colour: str = "#0a66c2") -> Label:
    name = (name or "").strip()
    label = Label(owner=owner, name=name, colour=(colour or "#0a66c2").lower())
    if Label.objects.filter(owner=owner, name__iexact=name).exists():
        raise ValidationError({"name": [_("You already have a label with this name.")]}, code="duplicate")
    if not _is_colour(label.colour):
        raise ValidationError({"colour": [_("Choose a colour as #rrggbb.")]}, code="colour")
    label.full_clean()
    label.save()
    return label


def _is_colour(value: str) -> bool:
    return len(value) == 7 and value[0] == "#" and all(c in "0123456789abcdef" for c in value[1:])


def label_delete(*, label: Label, owner: User) -> None:
    if label.owner_id != owner.pk:
        raise PermissionDenied(_("This label is not yours."))
    label.delete()


def conversation_label(*, conversation: Conversation, member: User, label: Label, on: bool = True) -> None:
    if label.owner_id != member.pk:
        raise PermissionDenied(_("This label is not yours."))
    participant = _mine(conversation, member)
    (participant.labels.add if on else participant.labels.remove)(label)


# ------------------------------------------------------------------------------------------- groups


@transaction.atomic
def group_add(*, conversation: Conversation, member: User, new: User) -> Participant:
    if conversation.kind != Conversation.Kind.GROUP:
        raise PermissionDenied(_("Members can only be added to a group conversation."))
    _active_participant(conversation, member)
    if (
        not policy.are_connected(member.pk, new.pk)
        or policy.is_blocked(member.pk, new.pk)
        or not new.is_active
    ):
        raise PermissionDenied(_("You can only add your connections."))
    if (
        Participant.objects.filter(conversation=conversation, left_at__isnull=True).count()
        >= MAX_PARTICIPANTS
    ):
        raise ValidationError(
            _("A group conversation has at most %(max)d members.") % {"max": MAX_PARTICIPANTS}
        )
    participant, created = Participant.objects.get_or_create(conversation=conversation, member=new)
    if not created and participant.left_at is None:
        raise ValidationError(
            _("%(name)s is already in this conversation.") % {"name": _name(new)}, code="already"
        )
    participant.left_at, participant.joined_at = None, timezone.now()
    participant.save(update_fields=["left_at", "joined_at"])
    _system(conversation, member, {"event": "added", "member": new.pk})
    return participant


@transaction.atomic
def group_leave(*, conversation: Conversation, member: User) -> None:
    if conversation.kind != Conversation.Kind.GROUP:
        raise PermissionDenied(_("You can only leave a group conversation."))
    participant = _active_participant(conversation, member)
    participant.left_at = timezone.now()
    participant.save(update_fields=["left_at"])
    _system(conversation, member, {"event": "left", "member": member.pk})


@transaction.atomic
def group_rename(*, conversation: Conversation, member: User, name: str) -> Conversation:
    if conversation.kind != Conversation.Kind.GROUP:
        raise PermissionDenied(_("Only a group conversation has a name."))
    _active_participant(conversation, member)
    name = (name or "").strip()
    if len(name) > GROUP_NAME_MAX:
        raise ValidationError(
            {"name": [_("A name has at most %(max)d characters.") % {"max": GROUP_NAME_MAX}]}
        )
    conversation.name = name
    conversation.save(update_fields=["name"])
    _system(conversation, member, {"event": "renamed", "name": name})
    return conversation


def _system(conversation: Conversation, member: User, data: dict) -> Message:
    message = Message.objects.create(
        conversation=conversation, sender=member, kind=Message.Kind.SYSTEM, data=data
    )
    _after_message(conversation, message, sender=member)
    return message


# -------------------------------------------------------------------------------------------- blocks


def conversations_hide_for_block(*, blocker: User, blocked: User) -> int:
    """A block hides the pair's direct conversation for the blocker (it comes back if they unblock)."""
    return Participant.objects.filter(
        member=blocker, conversation__pair_key=pair_key(blocker.pk, blocked.pk)
    ).update(hidden=True)


def conversations_show_after_unblock(*, blocker: User, blocked: User) -> int:
    return Participant.objects.filter(
        member=blocker, conversation__pair_key=pair_key(blocker.pk, blocked.pk)
    ).update(hidden=False)
