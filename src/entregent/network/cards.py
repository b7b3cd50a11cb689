"""Member cards: what every list of members shows about each one relative to the viewer — the degree
(1st, 2nd, 3rd or out of network), the number of mutual connections with up to three of their names,
the network tier, and where the two stand (connected, invited either way, following) so the card can
offer the right button.

Degrees and mutual connections come from the in-memory graph index; the rest is a fixed number of
queries for the whole list (invitations, follows, the mutual connections' names), whatever its length
or the size of the network.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from entregent.core import policy
from entregent.network import graph
from entregent.network.models import Follow, Invitation
from entregent.network.selectors import TIER_LABELS, connection_count_display, network_tier

if TYPE_CHECKING:
    from entregent.accounts.models import User
    from entregent.profiles.models import Profile

# How many mutual connections a card names.
NAMED_MUTUALS = 3
# The open statuses as the sender sees them (an ignored invitation still looks pending to them).
_OPEN = ("pending", "ignored")


def degree_label(degree: int | None) -> str:
    """The short badge: "1st", "2nd", "3rd", or "" out of network."""
    return {1: _("1st"), 2: _("2nd"), 3: _("3rd")}.get(degree or 0, "")


def degree_description(degree: int | None) -> str:
    """The same, in words, for screen readers and titles."""
    return {
        1: _("1st-degree connection"),
        2: _("2nd-degree connection"),
        3: _("3rd-degree connection"),
    }.get(degree or 0, _("Out of your network"))


@dataclass
class MemberCard:
    profile: Profile
    degree: int | None = None
    mutual_count: int = 0
    mutual_profiles: list[Profile] = field(default_factory=list)  # up to three, by name
    connection_count: int = 0
    is_self: bool = False
    connected: bool = False
    invitation_sent: Invitation | None = None  # the viewer's open invitation to them
    invitation_received: Invitation | None = None  # their pending invitation to the viewer
    following: bool = False
    show_photo: bool = True
    show_headline: bool = True

    @property
    def degree_label(self) -> str:
        return degree_label(self.degree)

    @property
    def degree_description(self) -> str:
        return degree_description(self.degree)

    @property
    def tier(self) -> str:
        return network_tier(self.connection_count)

    @property
    def tier_label(self) -> str:
        return str(TIER_LABELS[self.tier])

    @property
    def connections_display(self) -> str:
        return connection_count_display(self.connection_count)

    @property
    def primary_is_follow(self) -> bool:
        """The member asked for Follow as their primary button (Connect stays in the menu), or
        cannot take more connections."""
        from entregent.network.services import max_connections

        return self.profile.primary_action == "follow" or self.connection_count >= max_connections()

    @property
    def can_connect(self) -> bool:
        from entregent.network.services import max_connections

        return (
            not self.is_self
            and not self.connected
            and self.invitation_sent is None
            and self.connection_count < max_connections()
        )

    @property
    def mutual_summary(self) -> str:
        """ "Camille Martin, Thomas Bernard and 10 other mutual connections" — names first."""
        names = [p.display_name for p in self.mutual_profiles]
        others = self.mutual_count - len(names)
        if not names:
            return ""
        if others > 0:
            return ngettext(
                "%(names)s and %(count)s other mutual connection",
                "%(names)s and %(count)s other mutual connections",
                others,
            ) % {"names": ", ".join(names), "count": others}
        if len(names) == 1:
            return _("%(name)s is a mutual connection") % {"name": names[0]}
        return _("%(names)s and %(last)s are mutual connections") % {
            "names": ", ".join(names[:-1]),
            "last": names[-1],
        }


def member_cards(viewer: User | None, profiles: Iterable[Profile]) -> list[MemberCard]:
    """Cards for `profiles` (in their order) as `viewer` sees them. Callers pass profiles already
    filtered by the access policy (blocked members never reach here). At most three queries."""
    from entregent.profiles.models import Profile

    profiles = list(profiles)
    index = graph.get_index()
    cards = [MemberCard(profile=p, connection_count=index.connection_count(p.user_id)) for p in profiles]
    if viewer is None or not viewer.is_authenticated or not cards:
        for card in cards:
            _visibility(card, policy.Relation.PUBLIC)
        return cards
    ids = [p.user_id for p in profiles]
    degrees = index.degrees(viewer.pk, ids)
    wanted: dict[int, list[int]] = {}
    for card in cards:
        member_id = card.profile.user_id
        card.is_self = member_id == viewer.pk
        if card.is_self:
            continue
        card.degree = degrees.get(member_id)
        card.connected = card.degree == 1
        _visibility(card, policy.Relation.CONNECTION if card.connected else policy.Relation.MEMBER)
        mutual = index.mutual_ids(viewer.pk, member_id) if card.degree in (1, 2) else []
        card.mutual_count = len(mutual)
        wanted[member_id] = mutual
    # The names: a few more than needed per card, since some may be deactivated.
    some = {m for mutual in wanted.values() for m in mutual[: NAMED_MUTUALS * 2]}
    if some:
        named = {
            p.user_id: p
            for p in Profile.objects.filter(user_id__in=some, user__is_active=True).only(
                "user_id", "slug", "first_name", "last_name", "photo", "photo_small"
            )
        }
        for card in cards:
            mutual = wanted.get(card.profile.user_id, [])
            found = [named[m] for m in mutual[: NAMED_MUTUALS * 2] if m in named]
            card.mutual_profiles = sorted(found, key=lambda p: (p.last_name, p.first_name))[:NAMED_MUTUALS]
    others = [i for i in ids if i != viewer.pk]
    if others:
        invitations = Invitation.objects.filter(
            Q(sender_id=viewer.pk, recipient_id__in=others, status__in=_OPEN)
            | Q(recipient_id=viewer.pk, sender_id__in=others, status="pending")
        ).only("pk", "sender_id", "recipient_id", "status", "note", "created_at")
        sent = {i.recipient_id: i for i in invitations if i.sender_id == viewer.pk}
        received = {i.sender_id: i for i in invitations if i.recipient_id == viewer.pk}
        followed = set(
            Follow.objects.filter(follower_id=viewer.pk, followed_id__in=others).values_list(
                "followed_id", flat=True
            )
        )
        for card in cards:
            member_id = card.profile.user_id
            card.invitation_sent = sent.get(member_id)
            card.invitation_received = received.get(member_id)
            card.following = member_id in followed
    return cards


def _visibility(card: MemberCard, relation: policy.Relation) -> None:
    card.show_photo = policy.can_see_section(relation, card.profile, "photo")
    card.show_headline = policy.can_see_section(relation, card.profile, "headline")


def member_card(viewer: User | None, profile: Profile) -> MemberCard:
    return member_cards(viewer, [profile])[0]


def invitation_rows(viewer: User, invitations: Iterable[Invitation], *, incoming: bool) -> list[dict]:
    """Each invitation with the other member's card and, for received ones, the sender's fake-profile
    risk (with its reasons) and why the viewer's rules did what they did with it. A fixed number of
    queries for the whole list."""
    from entregent.network import triage
    from entregent.trust import selectors as trust

    invitations = list(invitations)
    now = timezone.now()
    people = [i.sender.profile if incoming else i.recipient.profile for i in invitations]
    risks = trust.risks_of([i.sender for i in invitations]) if incoming and invitations else {}
    return [
        {
            "invitation": invitation,
            "card": card,
            "risk": risks.get(invitation.sender_id),
            "incoming": incoming,
            "triage_explanation": triage.explain(invitation) if incoming else "",
            "just_now": now - invitation.created_at < dt.timedelta(minutes=1),
        }
        for invitation, card in zip(invitations, member_cards(viewer, people), strict=True)
    ]
