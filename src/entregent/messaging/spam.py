"""An InMail's recipient marks it as spam: the conversation leaves their inbox (archived, flagged on their
participant row) and the sender is reported to the moderators with the reason "spam", which feeds the
trust signals (reports count in the risk score and in the automatic restriction rule, trust/services.py).
Marking twice changes nothing and reports once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from entregent.messaging import services
from entregent.messaging.models import Conversation, Participant

if TYPE_CHECKING:
    from entregent.accounts.models import User

COMMENT_MAX = 1000  # trust.Report.comment


def can_mark_spam(conversation: Conversation, member_id: int) -> bool:
    """Whether the button shows: an InMail, and the member is not its sender (no query)."""
    return conversation.kind == Conversation.Kind.INMAIL and conversation.inmail_sender_id != member_id


@transaction.atomic
def inmail_mark_spam(*, conversation: Conversation, member: User) -> Participant:
    """Only the recipient of an InMail may mark it; returns their participant row."""
    if conversation.kind != Conversation.Kind.INMAIL:
        raise PermissionDenied(_("Only an InMail can be marked as spam."))
    if conversation.inmail_sender_id == member.pk:
        raise PermissionDenied(_("Only the recipient of an InMail can mark it as spam."))
    participant = (
        Participant.objects.select_for_update().filter(conversation=conversation, member=member).first()
    )
    if participant is None:
        raise PermissionDenied(_("You are not in this conversation."))
    if participant.marked_spam:
        return participant
    participant.marked_spam, participant.archived = True, True
    participant.save(update_fields=["marked_spam", "archived"])
    sender = conversation.inmail_sender
    if sender is not None:
        _report(member, sender, conversation)
    services._announce(conversation.pk, None, [member.pk])
    return participant


def _report(member: User, sender: User, conversation: Conversation) -> None:
    from entregent.trust import services as trust
    from entregent.trust.models import Report

    comment = _("InMail marked as spam: “%(subject)s”") % {"subject": conversation.subject}
    try:
        trust.report_create(
            reporter=member, reported=sender, reason=Report.Reason.SPAM, comment=comment[:COMMENT_MAX]
        )
    except (ValidationError, PermissionDenied):
        # An open report of this sender by this member already counts; a sender who left or is blocked
        # cannot be reported. Either way the InMail stays marked.
        pass
