"""Mail about messaging, and the every-minute upkeep (`entregent messaging tick`).

Unread-message mail: a message still unread MESSAGING_MAIL_DELAY after it arrived (10 minutes by
default) is mailed to its reader, batched — at most one mail per conversation per member per hour,
listing the latest unread messages — never about a muted, archived, snoozed or spam conversation,
never to a member who turned these mails off or whose address is not verified. Each mail has a
one-click unsubscribe link (RFC 8058 `List-Unsubscribe` and `List-Unsubscribe-Post` headers).

`mail_unread_later` (called by services after each message) queues a task to run once the delay is
over where the task backend can defer (the database backend); the tick sends whatever is due in any
case, so a backend that cannot defer (tests' immediate backend) or a lost task delays a mail by at
most a minute. Both go through `unread_mails_send`, which claims each mail by a conditional update, so
the task and the tick never send it twice."""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from entregent.messaging.models import Conversation, Message, MessagingSettings, Participant

if TYPE_CHECKING:
    from entregent.accounts.models import User

logger = logging.getLogger(__name__)

MAIL_GAP = dt.timedelta(hours=1)  # at most one mail per conversation per member in this time
MAILED_KINDS = (Message.Kind.TEXT, Message.Kind.CONTACT_SHARE, Message.Kind.CONTACT_REQUEST)
MESSAGES_IN_MAIL = 5
EXCERPT = 300


def mail_delay() -> dt.timedelta:
    """How long a message stays unread before it is mailed (MESSAGING_MAIL_DELAY, in seconds)."""
    return dt.timedelta(seconds=float(getattr(settings, "MESSAGING_MAIL_DELAY", 600)))


# ----------------------------------------------------------------------------------------- tasks


@task()
def send_mail(*, subject: str, body: str, to: list[str], headers: dict[str, str] | None = None) -> None:
    """One plain-text mail with its headers (accounts' send_email has none)."""
    EmailMessage(subject=subject, body=body, to=to, headers=headers or {}).send()


@task()
def send_unread_mails(conversation_id: int | None = None) -> int:
    return unread_mails_send(conversation_id=conversation_id)


def mail_unread_later(conversation_id: int) -> None:
    """After a message is committed: check this conversation again once the delay is over. Never
    raises: the message is sent whatever happens to its mail."""
    try:
        backend = send_unread_mails.get_backend()
        if backend.supports_defer:
            # A few seconds of margin: the message must be strictly older than the delay.
            run_after = timezone.now() + mail_delay() + dt.timedelta(seconds=5)
            send_unread_mails.using(run_after=run_after).enqueue(conversation_id=conversation_id)
        else:
            send_unread_mails.enqueue(conversation_id=conversation_id)
    except Exception:
        logger.exception("cannot queue the unread-message mail of conversation %s", conversation_id)


# ------------------------------------------------------------------------------- who is mailed


def _verified(member_field: str) -> Exists:
    from allauth.account.models import EmailAddress

    return Exists(
        EmailAddress.objects.filter(
            user_id=OuterRef(f"{member_field}_id"),
            email__iexact=OuterRef(f"{member_field}__email"),
            verified=True,
        )
    )


def _due(now: dt.datetime) -> QuerySet[Participant]:
    """Participants with a mail due: something from someone else, unread, arrived since they last read
    or were mailed, and older than the delay; their last mail of this conversation over an hour ago."""
    cutoff = now - mail_delay()
    unmailed = Message.objects.filter(
        conversation_id=OuterRef("conversation_id"),
        created_at__gt=OuterRef("seen_until"),
        created_at__lte=cutoff,
        kind__in=MAILED_KINDS,
        deleted_at__isnull=True,
    ).exclude(sender_id=OuterRef("member_id"))
    return (
        Participant.objects.filter(
            unread_count__gt=0,
            muted=False,
            hidden=False,
            archived=False,
            marked_spam=False,
            left_at__isnull=True,
            member__is_active=True,
        )
        .filter(Q(snoozed_until__isnull=True) | Q(snoozed_until__lte=now))
        .filter(Q(last_emailed_at__isnull=True) | Q(last_emailed_at__lte=now - MAIL_GAP))
        .exclude(member__messaging_settings__email_unread=MessagingSettings.Digest.OFF)
        .filter(_verified("member"))
        .annotate(
            seen_until=Greatest(
                Coalesce("last_read_at", "joined_at"), Coalesce("last_emailed_at", "joined_at")
            )
        )
        .filter(Exists(unmailed))
    )


def unread_mails_send(*, conversation_id: int | None = None, now: dt.datetime | None = None) -> int:
    """Send every unread-message mail due (in one conversation, or everywhere). Returns how many were
    queued; each leaves after its claim is committed."""
    now = now or timezone.now()
    due = _due(now)
    if conversation_id is not None:
        due = due.filter(conversation_id=conversation_id)
    sent = 0
    for participant in (
        due.select_related("conversation", "member__profile").order_by("pk").iterator(chunk_size=200)
    ):
        with transaction.atomic():
            # Claimed by a conditional update: the task and the tick, or two ticks, send it once.
            claimed = Participant.objects.filter(pk=participant.pk)
            if participant.last_emailed_at is None:
                claimed = claimed.filter(last_emailed_at__isnull=True)
            else:
                claimed = claimed.filter(last_emailed_at=participant.last_emailed_at)
            if not claimed.update(last_emailed_at=now):
                continue
            payload = _unread_mail(participant)
            transaction.on_commit(lambda payload=payload: send_mail.enqueue(**payload))
        sent += 1
    return sent


def email_unread_off(member: User) -> None:
    """The unsubscribe link: no more unread-message mails (the messaging settings turn them back on)."""
    MessagingSettings.objects.update_or_create(
        member=member, defaults={"email_unread": MessagingSettings.Digest.OFF}
    )


# --------------------------------------------------------------------------------- what is said


def _absolute(path: str) -> str:
    return getattr(settings, "SITE_URL", "").rstrip("/") + path


def _url(name: str, *args) -> str:
    try:
        return _absolute(reverse(name, args=args))
    except NoReverseMatch:  # pragma: no cover - the pages always exist in a full install
        return _absolute("/messaging/")


def language_of(member: User) -> str:
    """The member's language if we know it (an account setting, when there is one), else the site's."""
    language = getattr(member, "language", "") or ""
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else settings.LANGUAGE_CODE


def _display(member: User | None) -> str:
    if member is None:
        return ""
    profile = getattr(member, "profile", None)
    return profile.display_name if profile else _("A member")


def _others(participant: Participant) -> list[str]:
    others = (
        Participant.objects.filter(conversation_id=participant.conversation_id, left_at__isnull=True)
        .exclude(member_id=participant.member_id)
        .select_related("member__profile")
        .order_by("pk")
    )
    return [_display(p.member) for p in others]


def _title(participant: Participant, others: list[str]) -> str:
    conversation = participant.conversation
    if conversation.name:
        return conversation.name
    if len(others) > 3:
        return ngettext("%(names)s and %(n)d other", "%(names)s and %(n)d others", len(others) - 3) % {
            "names": ", ".join(others[:3]),
            "n": len(others) - 3,
        }
    return ", ".join(others) or _("a conversation")


def _text(message: Message) -> str:
    if message.kind == Message.Kind.CONTACT_SHARE:
        return _("Shared their contact details with you.")
    if message.kind == Message.Kind.CONTACT_REQUEST:
        return _("Asked for your contact details.")
    body = " ".join(message.body.split())
    if not body:
        return _("Sent a file.")
    return body if len(body) <= EXCERPT else body[: EXCERPT - 1].rstrip() + "…"


def _unread_mail(participant: Participant) -> dict:
    member = participant.member
    with translation.override(language_of(member)):
        since = participant.last_read_at or participant.joined_at
        unread = list(
            Message.objects.filter(
                conversation_id=participant.conversation_id,
                created_at__gt=since,
                kind__in=MAILED_KINDS,
                deleted_at__isnull=True,
            )
            .exclude(sender_id=member.pk)
            .select_related("sender__profile")
            .order_by("-created_at", "-pk")[:MESSAGES_IN_MAIL]
        )
        unread.reverse()
        count = max(participant.unread_count, len(unread))
        others = _others(participant)
        title = _title(participant, others)
        token_url = _unsubscribe_url(member)
        context = {
            "name": member.profile.first_name if hasattr(member, "profile") else "",
            "count": count,
            "title": title,
            "subject_line": participant.conversation.subject,
            "messages": [
                {
                    "sender": _display(m.sender),
                    "when": formats.date_format(timezone.localtime(m.created_at), "DATETIME_FORMAT"),
                    "text": _text(m),
                }
                for m in unread
            ],
            "more": count - len(unread),
            "conversation_url": _url("messaging:conversation", participant.conversation_id),
            "settings_url": _url("messaging:settings"),
            "unsubscribe_url": token_url,
            "site_name": settings.SITE_NAME,
        }
        senders = list(dict.fromkeys(m["sender"] for m in context["messages"]))
        if len(senders) == 1 and participant.conversation.kind != Conversation.Kind.GROUP:
            subject = ngettext(
                "%(name)s sent you a message", "%(name)s sent you %(count)d messages", count
            ) % {"name": senders[0], "count": count}
        else:
            subject = ngettext(
                "%(count)d unread message in %(title)s", "%(count)d unread messages in %(title)s", count
            ) % {"count": count, "title": title}
        body = render_to_string("messaging/emails/unread_message.txt", context)
    return {
        "subject": settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        "body": body,
        "to": [member.email],
        "headers": _list_headers(token_url),
    }


def _unsubscribe_url(member: User) -> str:
    from entregent.messaging.views_live import unsubscribe_token

    return _absolute(reverse("messaging:unsubscribe", args=[unsubscribe_token(member.pk)]))


def _list_headers(unsubscribe_url: str) -> dict[str, str]:
    headers = {"Auto-Submitted": "auto-generated"}  # RFC 3834: no vacation replies
    # RFC 2369 and 8058 want an absolute HTTPS link: with SITE_URL unset (a demo) the mail has the
    # link in its text only.
    if unsubscribe_url.startswith(("https://", "http://")):
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return headers


# ----------------------------------------------------------------------------------------- reminders


def reminders_mail(participants: list[Participant]) -> int:
    """ "No reply from X in N days": mail each member whose reminder came due (`services.reminders_due`
    marked them; the conversation shows its banner) to their verified address."""
    from allauth.account.models import EmailAddress

    if not participants:
        return 0
    verified = {
        (user_id, email.lower())
        for user_id, email in EmailAddress.objects.filter(
            user_id__in=[p.member_id for p in participants], verified=True
        ).values_list("user_id", "email")
    }
    sent = 0
    for participant in participants:
        member = participant.member
        if not member.is_active or (member.pk, member.email.lower()) not in verified:
            continue
        payload = _reminder_mail(participant)
        transaction.on_commit(lambda payload=payload: send_mail.enqueue(**payload))
        sent += 1
    return sent


def _reminder_mail(participant: Participant) -> dict:
    member = participant.member
    with translation.override(language_of(member)):
        others = _others(participant)
        title = _title(participant, others)
        days = max(1, round((participant.remind_at - participant.remind_from).total_seconds() / 86400))
        context = {
            "name": member.profile.first_name if hasattr(member, "profile") else "",
            "title": title,
            "days": days,
            "conversation_url": _url("messaging:conversation", participant.conversation_id),
            "site_name": settings.SITE_NAME,
        }
        subject = ngettext(
            "No reply from %(title)s in %(days)d day", "No reply from %(title)s in %(days)d days", days
        ) % {"title": title, "days": days}
        body = render_to_string("messaging/emails/reminder_message.txt", context)
    return {
        "subject": settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        "body": body,
        "to": [member.email],
        "headers": {"Auto-Submitted": "auto-generated"},
    }


# ------------------------------------------------------------------------------------------- tick


def tick(*, now: dt.datetime | None = None) -> dict[str, int]:
    """The every-minute upkeep: wake snoozed conversations, raise the reminders due (and mail them),
    send the unread-message mails due."""
    from entregent.messaging import services

    now = now or timezone.now()
    woken = services.snoozes_wake(now=now)
    due = services.reminders_due(now=now)
    reminded = reminders_mail(due)
    mailed = unread_mails_send(now=now)
    return {
        "snoozes_woken": woken,
        "reminders": len(due),
        "reminders_mailed": reminded,
        "unread_mails": mailed,
    }
