"""Contact details in a conversation — the seed's advice to take a relationship offline: share mine in one
click, ask the others for theirs, and answer such a request by sharing mine back.

What "mine" means is the member's choice in their messaging settings (`MessagingSettings.
shared_contact_ids`): either automatic — their account email and the contact details their profile already
shows to everyone else in the conversation (core.policy's visibility rules) — or exactly the details they
ticked. That list holds the ids of the member's own `ContactDetail` rows and `ACCOUNT` for their account
email; empty means automatic, `[NOTHING]` means they ticked nothing.

A share is a `Message` of kind contact_share whose `data` keeps a copy of what was shared (later edits of
the profile do not change what the others were given):

    {"details": [{"kind": "email" | "phone" | "website", "label": str, "value": str}, ...],
     "request": <id of the contact_request it answers, when it answers one>}

A request is a `Message` of kind contact_request with `data = {"accepted_by": [member ids]}`: each other
participant may answer it once. Posting either follows the same rules as writing a message
(`services.message_send`): only an active participant, not while restricted, not to a blocked member,
not to a former connection, not before an InMail is answered."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from entregent.core import policy
from entregent.core.text import fold
from entregent.messaging import services
from entregent.messaging.models import Conversation, Message, MessagingSettings, Participant
from entregent.profiles.models import ContactDetail, Visibility

if TYPE_CHECKING:
    from entregent.accounts.models import User

ACCOUNT = "account"  # the member's account email, in MessagingSettings.shared_contact_ids
NOTHING = "none"  # the member ticked nothing
AUTO = "auto"  # what `sharing_of` returns for the automatic choice


@dataclass(frozen=True)
class Shareable:
    """One contact detail a member may share: their account email or one of their profile's rows."""

    key: str  # ACCOUNT, or the ContactDetail id as a string
    kind: str  # ContactDetail.Kind value
    label: str
    value: str
    visibility: str | None  # the profile's visibility (None for the account email, never shown there)

    @property
    def kind_label(self) -> str:
        return str(ContactDetail.Kind(self.kind).label)

    @property
    def visibility_label(self) -> str:
        return str(Visibility(self.visibility).label) if self.visibility else ""

    @property
    def is_account(self) -> bool:
        return self.key == ACCOUNT

    def as_data(self) -> dict[str, str]:
        return {"kind": self.kind, "label": self.label, "value": self.value}


# ------------------------------------------------------------------------------------------ reading


def shareable_of(member: User) -> list[Shareable]:
    """Everything the member could share: their account email first, then their profile's contact
    details in their order (one query)."""
    items = [Shareable(ACCOUNT, ContactDetail.Kind.EMAIL.value, "", member.email, None)]
    details = ContactDetail.objects.filter(profile__user=member).order_by("position", "id")
    items += [Shareable(str(d.pk), d.kind, d.label, d.value, d.visibility) for d in details]
    return items


def _settings_of(member: User) -> MessagingSettings:
    return policy._messaging_settings(member)


def sharing_of(member: User, settings: MessagingSettings | None = None) -> str | set[str]:
    """AUTO, or the set of keys the member ticked (possibly empty)."""
    chosen = (settings or _settings_of(member)).shared_contact_ids or []
    if not chosen:
        return AUTO
    return {str(key) for key in chosen if str(key) != NOTHING}


def _connected_ids(member: User, others: Iterable[int]) -> set[int]:
    from entregent.network.models import Connection

    others = list(others)
    rows = Connection.objects.filter(
        Q(member_low_id=member.pk, member_high_id__in=others)
        | Q(member_high_id=member.pk, member_low_id__in=others)
    ).values_list("member_low_id", "member_high_id")
    return {low if high == member.pk else high for low, high in rows}


def _blocked_with_any(member: User, other_ids: list[int]) -> bool:
    """Whether the member blocked, or was blocked by, any of these members (one query)."""
    from entregent.network.models import Block

    return Block.objects.filter(
        Q(blocker_id=member.pk, blocked_id__in=other_ids) | Q(blocker_id__in=other_ids, blocked_id=member.pk)
    ).exists()


def details_for(member: User, other_ids: Iterable[int]) -> list[Shareable]:
    """What `member` shares in one click with the members `other_ids`: what they ticked, or (automatic)
    their account email and the details their profile shows to all of those members."""
    items = shareable_of(member)
    chosen = sharing_of(member)
    if chosen != AUTO:
        return [item for item in items if item.key in chosen]
    other_ids = list(other_ids)
    connected = _connected_ids(member, other_ids)
    closest = policy.Relation.CONNECTION
    if any(other not in connected for other in other_ids):
        closest = policy.Relation.MEMBER
    return [item for item in items if item.is_account or policy.can_see(closest, item.visibility)]


def request_open_for(message: Message, member_id: int) -> bool:
    """Whether `member_id` may answer this message's request for contact details (no query)."""
    return (
        message.kind == Message.Kind.CONTACT_REQUEST
        and message.deleted_at is None
        and message.sender_id is not None
        and message.sender_id != member_id
        and member_id not in (message.data or {}).get("accepted_by", [])
    )


# ------------------------------------------------------------------------------------------ writing


def _require_can_post(conversation: Conversation, member: User) -> tuple[Conversation, Participant, list]:
    """The rules of `services.message_send`, for messages without text. Returns the locked conversation,
    the member's row and the others' rows."""
    participant = services._active_participant(conversation, member)
    services._require_can_message(member)
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    others = services._others(conversation, member)
    if not others:
        raise PermissionDenied(_("Nobody else is in this conversation any more."))
    ids = [other.member_id for other in others]
    if any(not other.member.is_active for other in others) and conversation.kind != Conversation.Kind.GROUP:
        raise PermissionDenied(_("This member cannot be reached."))
    if _blocked_with_any(member, ids):
        raise PermissionDenied(_("This member cannot be reached."))
    if conversation.kind == Conversation.Kind.DIRECT:
        other = others[0].member
        access = policy.message_access(member, other)
        if not access.allowed:
            raise PermissionDenied(access.reason)
        if access.mode != policy.WRITE_FREE:
            raise PermissionDenied(
                _("You are no longer connected to %(name)s: invite them again to write to them.")
                % {"name": services._name(other)}
            )
    if (
        conversation.kind == Conversation.Kind.INMAIL
        and conversation.inmail_sender_id == member.pk
        and conversation.inmail_answered_at is None
    ):
        raise PermissionDenied(_("Wait for an answer to your InMail before writing again."))
    return conversation, participant, others


def _post(
    conversation: Conversation, participant: Participant, member: User, kind: str, data: dict, search: str
) -> Message:
    message = Message(
        conversation=conversation, sender=member, kind=kind, data=data, search_text=fold(search)
    )
    message.full_clean(exclude=["conversation", "sender"])
    message.save()
    # Like a text: the recipient of an InMail answered it (its credit comes back within 90 days), and a
    # member who answers someone moves this sender's conversations to Focused.
    if (
        conversation.kind == Conversation.Kind.INMAIL
        and member.pk != conversation.inmail_sender_id
        and conversation.inmail_answered_at is None
    ):
        conversation.inmail_answered_at = message.created_at
        if conversation.inmail_credit_spent and message.created_at <= conversation.inmail_refundable_until:
            services._refund(conversation.inmail_sender, conversation.created_at)
            conversation.inmail_credit_refunded = True
        conversation.save(update_fields=["inmail_answered_at", "inmail_credit_refunded"])
    if participant.folder == Participant.Folder.OTHER:
        participant.folder = Participant.Folder.FOCUSED
        participant.save(update_fields=["folder"])
    services._after_message(conversation, message, sender=member)
    return message


def _share(conversation: Conversation, member: User, *, request: Message | None = None) -> Message:
    conversation, participant, others = _require_can_post(conversation, member)
    details = details_for(member, [other.member_id for other in others])
    if not details:
        raise ValidationError(
            _("You chose to share none of your contact details: tick some in your messaging settings first."),
            code="nothing",
        )
    data: dict = {"details": [item.as_data() for item in details]}
    if request is not None:
        data["request"] = request.pk
    search = " ".join(f"{item.label} {item.value}" for item in details)
    return _post(conversation, participant, member, Message.Kind.CONTACT_SHARE, data, search)


@transaction.atomic
def contact_share(*, conversation: Conversation, member: User) -> Message:
    """Share my contact details with the others in the conversation, in one click."""
    return _share(conversation, member)


@transaction.atomic
def contact_request(*, conversation: Conversation, member: User) -> Message:
    """Ask the others in the conversation for their contact details. One open request at a time: asking
    again before anyone answered is refused."""
    conversation, participant, _others = _require_can_post(conversation, member)
    last = (
        Message.objects.filter(
            conversation=conversation,
            sender=member,
            kind=Message.Kind.CONTACT_REQUEST,
            deleted_at__isnull=True,
        )
        .order_by("-created_at", "-id")
        .first()
    )
    if last is not None and not (last.data or {}).get("accepted_by"):
        raise ValidationError(
            _("You already asked for contact details here; wait for an answer."), code="pending"
        )
    return _post(conversation, participant, member, Message.Kind.CONTACT_REQUEST, {"accepted_by": []}, "")


@transaction.atomic
def contact_request_accept(*, message: Message, member: User) -> Message:
    """Answer a request for contact details by sharing mine: only another member of the conversation,
    and once. Returns the share."""
    request = Message.objects.select_for_update().get(pk=message.pk)
    if request.kind != Message.Kind.CONTACT_REQUEST or request.deleted_at is not None:
        raise PermissionDenied(_("This message does not ask for contact details."))
    if request.sender_id == member.pk:
        raise PermissionDenied(_("You cannot answer your own request."))
    if request.sender_id is None:
        raise PermissionDenied(_("This member cannot be reached."))
    accepted = list((request.data or {}).get("accepted_by", []))
    if member.pk in accepted:
        raise ValidationError(
            _("You already shared your contact details in answer to this request."), code="already"
        )
    share = _share(request.conversation, member, request=request)
    request.data = {**(request.data or {}), "accepted_by": [*accepted, member.pk]}
    request.save(update_fields=["data"])
    return share
