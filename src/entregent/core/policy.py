"""The one access policy: who may see which part of a member's profile.

Views, the API, search results and exports all ask this module; none decides on its own. Later
issues extend it (blocks, connection lists, messaging) rather than bypass it.

A viewer stands in one `Relation` to a profile. Items carry a `Visibility` (only me < connections <
members < public); an item is shown when the viewer's relation reaches it.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from django.db.models import Exists, Q, QuerySet
from django.http import Http404

if TYPE_CHECKING:
    from entregent.accounts.models import User
    from entregent.profiles.models import Profile


class Relation(enum.IntEnum):
    """How close a viewer is to a profile; a higher value sees more."""

    BLOCKED = -1  # either member blocked the other: nothing is shown, the profile is a 404
    PUBLIC = 0  # logged out, or a search engine
    MEMBER = 1  # any logged-in member
    CONNECTION = 2  # a 1st-degree connection
    OWNER = 3


VISIBILITY_THRESHOLD = {
    "public": Relation.PUBLIC,
    "members": Relation.MEMBER,
    "connections": Relation.CONNECTION,
    "me": Relation.OWNER,
}

# What an owner may preview their profile as.
PREVIEW_CHOICES = {"public": Relation.PUBLIC, "member": Relation.MEMBER, "connection": Relation.CONNECTION}


def _connection_between(a_id: int, b_id: int) -> QuerySet:
    from entregent.network.models import Connection

    low, high = Connection.pair(a_id, b_id)
    return Connection.objects.filter(member_low_id=low, member_high_id=high)


def _blocks_between(a_id: int, b_id: int) -> QuerySet:
    """Blocks hide both ways: either member's block counts."""
    from entregent.network.models import Block

    return Block.objects.filter(Q(blocker_id=a_id, blocked_id=b_id) | Q(blocker_id=b_id, blocked_id=a_id))


def are_connected(a_id: int, b_id: int) -> bool:
    return _connection_between(a_id, b_id).exists()


def is_blocked(a_id: int, b_id: int) -> bool:
    """Whether either member blocked the other."""
    return _blocks_between(a_id, b_id).exists()


def exclude_blocked(queryset: QuerySet, member_id: int, field: str) -> QuerySet:
    """`queryset` without the rows whose `field` (a member id) blocked `member_id` or was blocked by
    them — in the same SQL query, as two NOT IN subqueries."""
    from entregent.network.models import Block

    blocked = Block.objects.filter(blocker_id=member_id).values("blocked_id")
    blockers = Block.objects.filter(blocked_id=member_id).values("blocker_id")
    return queryset.exclude(**{f"{field}__in": blocked}).exclude(**{f"{field}__in": blockers})


def relation_of(viewer: User | None, profile: Profile) -> Relation:
    if viewer is None or not viewer.is_authenticated:
        return Relation.PUBLIC
    if viewer.pk == profile.user_id:
        return Relation.OWNER
    connected, blocked = _closeness(viewer.pk, profile.user_id)
    if blocked:
        return Relation.BLOCKED
    return Relation.CONNECTION if connected else Relation.MEMBER


def _closeness(a_id: int, b_id: int) -> tuple[bool, bool]:
    """(connected, blocked either way) for two members, in one query."""
    from entregent.accounts.models import User

    row = (
        User.objects.filter(pk=a_id)
        .annotate(
            connected=Exists(_connection_between(a_id, b_id)),
            blocked=Exists(_blocks_between(a_id, b_id)),
        )
        .values_list("connected", "blocked")
        .first()
    )
    return (bool(row[0]), bool(row[1])) if row else (False, False)


def can_see(relation: Relation, visibility: str) -> bool:
    return relation >= VISIBILITY_THRESHOLD[visibility]


def can_view_profile(relation: Relation, profile: Profile) -> bool:
    if relation == Relation.BLOCKED:
        return False
    if relation >= Relation.MEMBER:
        return profile.user.is_active
    return profile.public_profile and profile.user.is_active


def require_can_view_profile(relation: Relation, profile: Profile) -> None:
    """Raise 404 (never 403: a hidden profile does not exist for the viewer)."""
    if not can_view_profile(relation, profile):
        raise Http404


def can_see_section(relation: Relation, profile: Profile, section: str) -> bool:
    if relation == Relation.BLOCKED:
        return False
    if relation >= Relation.MEMBER:
        return True
    return profile.shows_publicly(section)


def can_edit_profile(user: User | None, profile: Profile) -> bool:
    return bool(user and user.is_authenticated and user.pk == profile.user_id)


def can_see_open_to_work(relation: Relation, profile: Profile) -> bool:
    """ "Open to work" shown to all members, or for recruiters only: then to its owner alone until
    recruiter seats exist (plans issue). Never to the public."""
    if relation <= Relation.PUBLIC:
        return False
    return profile.open_to_work == "all" or (
        profile.open_to_work == "recruiters" and relation == Relation.OWNER
    )


# Who sees a member's connection list: everything, only the connections they share with the viewer,
# or nothing.
CONNECTIONS_ALL, CONNECTIONS_MUTUAL, CONNECTIONS_NONE = "all", "mutual", "none"


def connection_list_scope(relation: Relation, profile: Profile) -> str:
    """LinkedIn's rule: the owner sees all their connections; their connections see the whole list
    unless the owner hid it, then only the connections they share; any other member sees only shared
    connections; logged-out visitors and blocked members see none."""
    if relation == Relation.OWNER:
        return CONNECTIONS_ALL
    if relation <= Relation.PUBLIC or not profile.user.is_active:
        return CONNECTIONS_NONE
    if relation == Relation.CONNECTION and not profile.hide_connections:
        return CONNECTIONS_ALL
    return CONNECTIONS_MUTUAL


# ------------------------------------------------------------------------------------------ messaging

WRITE_FREE, WRITE_INMAIL, WRITE_LOCKED = "free", "inmail", "locked"


class MessageAccess:
    """Whether `sender` may start writing to `recipient`, and how: freely (a connection, or an open
    profile), with an InMail credit, or not at all — with the reason and what would unlock it, in the
    active language (the Message button's lock shows both)."""

    def __init__(self, mode: str, reason: str = "", unlock: list[str] | None = None) -> None:
        self.mode = mode
        self.reason = reason
        self.unlock = unlock or []

    @property
    def allowed(self) -> bool:
        return self.mode != WRITE_LOCKED

    def __repr__(self) -> str:
        return f"MessageAccess({self.mode!r}, {self.reason!r})"


def message_access(sender: User, recipient: User) -> MessageAccess:
    from django.utils.translation import gettext as _

    from entregent import plans

    name = getattr(getattr(recipient, "profile", None), "display_name", "") or _("this member")
    if sender.pk == recipient.pk:
        return MessageAccess(WRITE_LOCKED, _("You cannot write to yourself."))
    if not recipient.is_active or is_blocked(sender.pk, recipient.pk):
        return MessageAccess(WRITE_LOCKED, _("This member cannot be reached."))
    restricted = messaging_restriction(sender)
    if restricted:
        return MessageAccess(WRITE_LOCKED, restricted)
    if are_connected(sender.pk, recipient.pk):
        return MessageAccess(WRITE_FREE)
    settings = _messaging_settings(recipient)
    if plans.has(recipient, "messaging.open_profile") and not settings.refuse_inmail:
        return MessageAccess(
            WRITE_FREE, _("%(name)s has an open profile: anyone may write to them.") % {"name": name}
        )
    connect = _("Invite %(name)s to connect: connections write to each other freely.") % {"name": name}
    if settings.refuse_inmail:
        return MessageAccess(WRITE_LOCKED, _("%(name)s does not accept InMail.") % {"name": name}, [connect])
    if not plans.has(sender, "inmail.send"):
        return MessageAccess(
            WRITE_LOCKED,
            _("You are not connected to %(name)s, and your plan has no InMail.") % {"name": name},
            [
                connect,
                _(
                    "A plan with InMail (Career, Business or Sales) lets you write to members you are not connected to."
                ),
            ],
        )
    left = plans.remaining(sender, "inmail.credits")
    if left is not None and left < 1:
        return MessageAccess(
            WRITE_LOCKED,
            _("You are not connected to %(name)s, and you have no InMail credit left this month.")
            % {"name": name},
            [connect, _("Credits come back when an InMail is answered within 90 days, and each month.")],
        )
    return MessageAccess(
        WRITE_INMAIL,
        _("You are not connected to %(name)s: this message is an InMail and spends one credit.")
        % {"name": name},
    )


def messaging_restriction(member: User) -> str:
    """Why a restricted member may not send messages (with the end date), or "" when they may."""
    from django.utils.translation import gettext as _

    from entregent.trust import selectors as trust

    restriction = trust.restriction_of(member.pk)
    if restriction is None:
        return ""
    return _("Your account is restricted: you cannot send messages until %(when)s.") % {
        "when": _date(restriction.ends_at)
    }


def _messaging_settings(member: User):
    from entregent.messaging.models import MessagingSettings

    try:
        return member.messaging_settings
    except MessagingSettings.DoesNotExist:
        return MessagingSettings(member=member)


def _date(when) -> str:
    from django.utils import formats, timezone

    return formats.date_format(timezone.localtime(when), "DATETIME_FORMAT")
