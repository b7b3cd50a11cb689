"""A member's messaging preferences — read receipts, refusing InMail, mails about unread messages, the
contact details shared in one click — and renaming or recolouring their labels (creating and deleting
them are `services.label_create` / `label_delete`). The settings page and the API both write through
these functions; a refusal raises a ValidationError keyed by field and changes nothing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from entregent.core import policy
from entregent.messaging import contacts, services
from entregent.messaging.models import Label, MessagingSettings

if TYPE_CHECKING:
    from entregent.accounts.models import User


def preferences_of(member: User) -> MessagingSettings:
    """The member's settings, or the defaults (unsaved) if they never changed any."""
    return policy._messaging_settings(member)


@transaction.atomic
def preferences_update(
    *,
    member: User,
    read_receipts: bool | None = None,
    refuse_inmail: bool | None = None,
    email_unread: str | None = None,
    shared: str | Sequence[str | int] | None = None,
) -> MessagingSettings:
    """Change the given preferences (None leaves one as it is). `shared` is `contacts.AUTO` (the
    automatic choice) or the keys of `contacts.shareable_of(member)` to share (possibly none)."""
    settings, _created = MessagingSettings.objects.select_for_update().get_or_create(member=member)
    if email_unread is not None and email_unread not in MessagingSettings.Digest.values:
        raise ValidationError(
            {"email_unread": [_("Choose how often to be emailed about unread messages.")]}, code="invalid"
        )
    if shared is not None:
        settings.shared_contact_ids = _shared_ids(member, shared)
    if read_receipts is not None:
        settings.read_receipts = bool(read_receipts)
    if refuse_inmail is not None:
        settings.refuse_inmail = bool(refuse_inmail)
    if email_unread is not None:
        settings.email_unread = email_unread
    settings.full_clean()
    settings.save()
    member.messaging_settings = settings  # what this request reads next (the policy caches it)
    return settings


def _shared_ids(member: User, shared: str | Sequence[str | int]) -> list[str | int]:
    if isinstance(shared, str):
        if shared != contacts.AUTO:
            raise ValidationError({"shared": [_("Choose contact details you have.")]}, code="invalid")
        return []
    mine = {item.key for item in contacts.shareable_of(member)}
    keys = [str(key) for key in shared]
    unknown = [key for key in keys if key not in mine]
    if unknown:
        raise ValidationError({"shared": [_("Choose contact details you have.")]}, code="invalid")
    ids: list[str | int] = [key if key == contacts.ACCOUNT else int(key) for key in dict.fromkeys(keys)]
    return ids or [contacts.NOTHING]


@transaction.atomic
def label_update(*, label: Label, owner: User, name: str, colour: str) -> Label:
    """Rename and recolour one of the member's labels (the same rules as creating one)."""
    if label.owner_id != owner.pk:
        raise PermissionDenied(_("This label is not yours."))
    name = (name or "").strip()
    colour = (colour or "").strip().lower()
    if not name:
        raise ValidationError({"name": [_("Give the label a name.")]}, code="required")
    if Label.objects.filter(owner=owner, name__iexact=name).exclude(pk=label.pk).exists():
        raise ValidationError({"name": [_("You already have a label with this name.")]}, code="duplicate")
    if not services._is_colour(colour):
        raise ValidationError({"colour": [_("Choose a colour as #rrggbb.")]}, code="colour")
    label.name, label.colour = name, colour
    label.full_clean()
    label.save(update_fields=["name", "colour"])
    return label
