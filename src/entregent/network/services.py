"""Every write to the network: invitations (send, accept, ignore, withdraw, expire), connections,
follows and blocks. Each function is one transaction; a refusal raises a translated ValidationError or
PermissionDenied (or plans.QuotaExceeded) and leaves nothing stored and no quota spent — quotas are
spent last, inside the transaction, so a later failure rolls the spending back too."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from entregent import plans
from entregent.core import policy
from entregent.network import triage
from entregent.network.models import Block, Connection, Follow, GraphChange, Invitation, Unblock
from entregent.trust import selectors as trust
from entregent.trust import services as trust_services

if TYPE_CHECKING:
    from entregent.accounts.models import User

# A member may have at most this many connections; past it, others can only follow them.
MAX_CONNECTIONS = 30_000
# After withdrawing an invitation, the sender may not invite the same person again for this long.
WITHDRAW_COOLDOWN = dt.timedelta(weeks=3)
# After unblocking someone, the member may not block them again for this long.
REBLOCK_COOLDOWN = dt.timedelta(hours=48)
# A pending invitation expires after this many months.
EXPIRY_MONTHS = 6
# The sender of a still-pending invitation with a note is reminded once, after this long.
REMINDER_AFTER = dt.timedelta(days=7)

# What the sender sees as "pending": the recipient's "ignore" stays private to the recipient.
OPEN_STATUSES = (Invitation.Status.PENDING, Invitation.Status.IGNORED)


def max_connections() -> int:
    return getattr(settings, "ENTREGENT_MAX_CONNECTIONS", MAX_CONNECTIONS)


def _when(moment: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _connection_count(member_id: int) -> int:
    # Two counts, each on its own index, rather than one OR the planner may scan for.
    return (
        Connection.objects.filter(member_low_id=member_id).count()
        + Connection.objects.filter(member_high_id=member_id).count()
    )


def _require_room_for_connection(sender: User, recipient: User) -> None:
    if _connection_count(recipient.pk) >= max_connections():
        raise PermissionDenied(
            _("This member has reached the maximum of %(count)s connections; you can follow them instead.")
            % {"count": formats.number_format(max_connections(), force_grouping=True)}
        )
    if _connection_count(sender.pk) >= max_connections():
        raise PermissionDenied(
            _("You have reached the maximum of %(count)s connections; remove some before inviting others.")
            % {"count": formats.number_format(max_connections(), force_grouping=True)}
        )


# ------------------------------------------------------------------------------------------ invitations


@transaction.atomic
def invitation_send(*, sender: User, recipient: User, note: str = "") -> Invitation:
    """Invite `recipient` to connect. When the recipient already invited the sender, that invitation is
    accepted instead (both want the connection) and returned, and no quota is spent."""
    note = (note or "").strip()
    if sender.pk == recipient.pk:
        raise ValidationError(_("You cannot invite yourself."), code="self")
    if policy.is_blocked(sender.pk, recipient.pk) or not recipient.is_active:
        raise PermissionDenied(_("You cannot invite this member."))
    if trust.is_restricted(sender.pk):
        raise PermissionDenied(_("Your account is restricted: you cannot send invitations for now."))
    if policy.are_connected(sender.pk, recipient.pk):
        raise ValidationError(_("You are already connected to this member."), code="connected")
    if Invitation.objects.filter(sender=sender, recipient=recipient, status__in=OPEN_STATUSES).exists():
        raise ValidationError(_("You have already invited this member."), code="pending")
    theirs = (
        Invitation.objects.select_for_update()
        .filter(sender=recipient, recipient=sender, status__in=OPEN_STATUSES)
        .order_by("-created_at")
        .first()
    )
    if theirs is not None:
        return invitation_accept(invitation=theirs, member=sender)
    withdrawn = (
        Invitation.objects.filter(
            sender=sender,
            recipient=recipient,
            status=Invitation.Status.WITHDRAWN,
            responded_at__gt=timezone.now() - WITHDRAW_COOLDOWN,
        )
        .order_by("-responded_at")
        .first()
    )
    if withdrawn is not None:
        raise PermissionDenied(
            _("You withdrew an invitation to this member recently; you can invite them again from %(when)s.")
            % {"when": _when(withdrawn.responded_at + WITHDRAW_COOLDOWN)}
        )
    _require_room_for_connection(sender, recipient)
    if note and not plans.has(sender, "invitations.note"):
        raise PermissionDenied(_("Your plan does not include a note with an invitation."))
    invitation = Invitation(sender=sender, recipient=recipient, note=note)
    invitation.full_clean()
    # Quotas last: any refusal above spends nothing; a refusal here rolls back what was spent.
    if note:
        plans.consume(sender, "invitation_notes.monthly")
    plans.consume(sender, "invitations.weekly")
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError:  # the same invitation sent twice at once
        raise ValidationError(_("You have already invited this member."), code="pending") from None
    # The recipient's own rules sort it (they may accept it at once, or set it aside).
    triage.triage_on_arrival(invitation)
    return invitation


def _require_recipient(invitation: Invitation, member: User) -> None:
    if invitation.recipient_id != member.pk:
        raise PermissionDenied(_("Only the invited member can answer this invitation."))


def _require_open(invitation: Invitation, statuses=OPEN_STATUSES) -> None:
    if invitation.status not in statuses:
        raise ValidationError(_("This invitation is no longer pending."), code="closed")


def _lock(invitation: Invitation) -> Invitation:
    """The invitation as stored now, locked, so two answers at once cannot both apply."""
    return Invitation.objects.select_for_update().get(pk=invitation.pk)


@transaction.atomic
def invitation_accept(*, invitation: Invitation, member: User) -> Invitation:
    """The recipient accepts: the two are connected and follow each other."""
    _require_recipient(invitation, member)
    locked = _lock(invitation)
    _require_open(locked)
    if policy.is_blocked(locked.sender_id, locked.recipient_id):
        raise PermissionDenied(_("You cannot connect with this member."))
    if not policy.are_connected(locked.sender_id, locked.recipient_id):
        _require_room_for_connection(locked.recipient, locked.sender)
        _connect(locked.sender_id, locked.recipient_id)
    _follow_both_ways(locked.sender_id, locked.recipient_id)
    now = timezone.now()
    # A crossing invitation the other way is answered by the same connection.
    Invitation.objects.filter(
        sender_id=locked.recipient_id, recipient_id=locked.sender_id, status__in=OPEN_STATUSES
    ).update(status=Invitation.Status.ACCEPTED, responded_at=now)
    locked.status = Invitation.Status.ACCEPTED
    locked.responded_at = now
    locked.save(update_fields=["status", "responded_at"])
    invitation.status, invitation.responded_at = locked.status, locked.responded_at
    return locked


@transaction.atomic
def invitation_ignore(*, invitation: Invitation, member: User) -> Invitation:
    """The recipient sets the invitation aside. The sender is not told: they still see it pending."""
    _require_recipient(invitation, member)
    locked = _lock(invitation)
    _require_open(locked, (Invitation.Status.PENDING,))
    locked.status = Invitation.Status.IGNORED
    locked.responded_at = timezone.now()
    locked.save(update_fields=["status", "responded_at"])
    invitation.status, invitation.responded_at = locked.status, locked.responded_at
    # An ignored invitation counts in the sender's ignored rate: past it they are restricted (trust).
    sender_id = locked.sender_id
    transaction.on_commit(lambda: trust_services.review_member(sender_id))
    return locked


@transaction.atomic
def invitation_withdraw(*, invitation: Invitation, member: User) -> Invitation:
    """The sender takes the invitation back; they may not invite the same person for three weeks."""
    if invitation.sender_id != member.pk:
        raise PermissionDenied(_("Only the member who sent this invitation can withdraw it."))
    locked = _lock(invitation)
    _require_open(locked)
    locked.status = Invitation.Status.WITHDRAWN
    locked.responded_at = timezone.now()
    locked.save(update_fields=["status", "responded_at"])
    invitation.status, invitation.responded_at = locked.status, locked.responded_at
    return locked


def _months_before(moment: dt.datetime, months: int) -> dt.datetime:
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for day in (moment.day, 30, 29, 28):  # the same day, or the month's last one
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


@transaction.atomic
def invitations_expire(*, now: dt.datetime | None = None) -> int:
    """Expire invitations still open after six months (ignored ones too: their sender sees them pending).
    Returns how many expired; a daily job calls this."""
    now = now or timezone.now()
    cutoff = _months_before(now, EXPIRY_MONTHS)
    return Invitation.objects.filter(status__in=OPEN_STATUSES, created_at__lt=cutoff).update(
        status=Invitation.Status.EXPIRED, responded_at=now
    )


def invitations_remind(*, now: dt.datetime | None = None) -> int:
    """Remind, once, the sender of each invitation with a note still pending (for them: ignored ones too)
    after 7 days — half of notes are never read — with a link to withdraw it or to reach the member
    another way. Returns how many reminders were queued (mails leave after commit)."""
    from entregent.accounts.tasks import send_email

    now = now or timezone.now()
    due = (
        Invitation.objects.filter(
            status__in=OPEN_STATUSES,
            reminded_at__isnull=True,
            created_at__lte=now - REMINDER_AFTER,
            sender__is_active=True,
            recipient__is_active=True,
        )
        .exclude(note="")
        .select_related("sender__profile", "recipient__profile")
        .order_by("pk")
    )
    sent = 0
    for invitation in due.iterator(chunk_size=500):
        with transaction.atomic():
            # Claimed by a conditional update, so two runs at once remind once.
            claimed = Invitation.objects.filter(
                pk=invitation.pk, reminded_at__isnull=True, status__in=OPEN_STATUSES
            ).update(reminded_at=now)
            if not claimed:
                continue
            payload = _reminder_mail(invitation)
            transaction.on_commit(lambda payload=payload: send_email.enqueue(**payload))
        sent += 1
    return sent


def _reminder_mail(invitation: Invitation) -> dict:
    from django.template.loader import render_to_string
    from django.urls import reverse

    base = getattr(settings, "SITE_URL", "").rstrip("/")
    recipient = invitation.recipient.profile
    context = {
        "name": invitation.sender.profile.first_name,
        "recipient_name": recipient.display_name,
        "note": invitation.note,
        "sent_on": formats.date_format(timezone.localtime(invitation.created_at)),
        "sent_url": base + reverse("network:sent"),
        "profile_url": base + recipient.get_absolute_url(),
        "site_name": settings.SITE_NAME,
    }
    subject = render_to_string("network/emails/reminder_subject.txt", context).strip()
    return {
        "subject": settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        "body": render_to_string("network/emails/reminder_message.txt", context),
        "to": [invitation.sender.email],
    }


# ------------------------------------------------------------------------------------------ connections


@transaction.atomic
def connection_remove(*, member: User, other: User) -> bool:
    """Remove the connection silently (the other member is not told); both stop following each other.
    Returns whether there was a connection."""
    deleted = _disconnect(member.pk, other.pk)
    if deleted:
        _unfollow_both_ways(member.pk, other.pk)
    return deleted


@transaction.atomic
def connection_make(*, a: User, b: User) -> bool:
    """Connect two members directly (an accepted introduction): checks blocks and the connection cap,
    then connects them and makes them follow each other. Returns whether the connection is new."""
    if a.pk == b.pk:
        raise ValidationError(_("You cannot connect with yourself."), code="self")
    if policy.is_blocked(a.pk, b.pk) or not (a.is_active and b.is_active):
        raise PermissionDenied(_("You cannot connect with this member."))
    if policy.are_connected(a.pk, b.pk):
        return False
    _require_room_for_connection(a, b)
    _connect(a.pk, b.pk)
    _follow_both_ways(a.pk, b.pk)
    now = timezone.now()
    Invitation.objects.filter(
        Q(sender=a, recipient=b) | Q(sender=b, recipient=a), status__in=OPEN_STATUSES
    ).update(status=Invitation.Status.ACCEPTED, responded_at=now)
    return True


def _connect(a_id: int, b_id: int) -> bool:
    """Store the connection and log it for the graph index, in the caller's transaction. Returns
    whether it is new."""
    low, high = Connection.pair(a_id, b_id)
    _row, created = Connection.objects.get_or_create(member_low_id=low, member_high_id=high)
    if created:
        GraphChange.objects.create(kind=GraphChange.Kind.ADD, member_low=low, member_high=high)
    return created


def _disconnect(a_id: int, b_id: int) -> bool:
    """Delete the connection and log it for the graph index. Returns whether there was one."""
    low, high = Connection.pair(a_id, b_id)
    deleted, _rows = Connection.objects.filter(member_low_id=low, member_high_id=high).delete()
    if deleted:
        GraphChange.objects.create(kind=GraphChange.Kind.REMOVE, member_low=low, member_high=high)
    return bool(deleted)


# -------------------------------------------------------------------------------------------- follows


def _follow_both_ways(a_id: int, b_id: int) -> None:
    Follow.objects.bulk_create(
        [Follow(follower_id=a_id, followed_id=b_id), Follow(follower_id=b_id, followed_id=a_id)],
        ignore_conflicts=True,
    )


def _unfollow_both_ways(a_id: int, b_id: int) -> None:
    Follow.objects.filter(
        Q(follower_id=a_id, followed_id=b_id) | Q(follower_id=b_id, followed_id=a_id)
    ).delete()


@transaction.atomic
def follow(*, follower: User, followed: User) -> Follow:
    """Follow a member (one way). Following someone already followed changes nothing."""
    if follower.pk == followed.pk:
        raise ValidationError(_("You cannot follow yourself."), code="self")
    if policy.is_blocked(follower.pk, followed.pk) or not followed.is_active:
        raise PermissionDenied(_("You cannot follow this member."))
    existing = Follow.objects.filter(follower=follower, followed=followed).first()
    if existing is not None:
        return existing
    row = Follow(follower=follower, followed=followed)
    row.full_clean()
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:  # followed twice at once
        return Follow.objects.get(follower=follower, followed=followed)
    return row


@transaction.atomic
def unfollow(*, follower: User, followed: User) -> bool:
    """Stop following; returns whether the member was followed."""
    deleted, _rows = Follow.objects.filter(follower=follower, followed=followed).delete()
    return bool(deleted)


# --------------------------------------------------------------------------------------------- blocks


@transaction.atomic
def block(*, blocker: User, blocked: User) -> Block:
    """Block a member: both disappear for each other; their connection, open invitations both ways and
    follows both ways are removed. Blocking again changes nothing. Refused within 48 hours of an unblock."""
    if blocker.pk == blocked.pk:
        raise ValidationError(_("You cannot block yourself."), code="self")
    existing = Block.objects.filter(blocker=blocker, blocked=blocked).first()
    if existing is not None:
        return existing
    lifted = Unblock.objects.filter(
        blocker=blocker, blocked=blocked, unblocked_at__gt=timezone.now() - REBLOCK_COOLDOWN
    ).first()
    if lifted is not None:
        raise PermissionDenied(
            _("You unblocked this member less than 48 hours ago; you can block them again from %(when)s.")
            % {"when": _when(lifted.unblocked_at + REBLOCK_COOLDOWN)}
        )
    row = Block(blocker=blocker, blocked=blocked)
    row.full_clean()
    _disconnect(blocker.pk, blocked.pk)
    Invitation.objects.filter(
        Q(sender=blocker, recipient=blocked) | Q(sender=blocked, recipient=blocker), status__in=OPEN_STATUSES
    ).delete()
    _unfollow_both_ways(blocker.pk, blocked.pk)
    from entregent.network import introductions

    introductions.introductions_end_for_block(blocker=blocker, blocked=blocked)
    from entregent.messaging import services as messaging

    messaging.conversations_hide_for_block(blocker=blocker, blocked=blocked)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:  # blocked twice at once
        return Block.objects.get(blocker=blocker, blocked=blocked)
    return row


@transaction.atomic
def unblock(*, blocker: User, blocked: User) -> bool:
    """Lift a block made by `blocker`; returns whether there was one. A block made by the other member
    stays. Starts the 48-hour wait before `blocker` may block them again."""
    deleted, _rows = Block.objects.filter(blocker=blocker, blocked=blocked).delete()
    if deleted:
        from entregent.messaging import services as messaging

        messaging.conversations_show_after_unblock(blocker=blocker, blocked=blocked)
        Unblock.objects.update_or_create(
            blocker=blocker, blocked=blocked, defaults={"unblocked_at": timezone.now()}
        )
    return bool(deleted)
