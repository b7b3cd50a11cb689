"""Reads of the network: a member's connections and their count and tier, invitations received and
sent, mutual connections, followers and following. Members blocked either way never appear; the recipient's "ignore" is never
shown to the sender."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import CharField, OuterRef, Q, QuerySet, Subquery, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entregent.core import policy
from entregent.network.models import Block, Connection, Follow, Invitation, TriageAction
from entregent.network.services import OPEN_STATUSES

if TYPE_CHECKING:
    from entregent.accounts.models import User

TIER_SMALL, TIER_MEDIUM, TIER_LARGE = "0-100", "100-500", "500+"
TIER_LABELS = {TIER_SMALL: _("0–100"), TIER_MEDIUM: _("100–500"), TIER_LARGE: _("500+")}


def _neighbours(member_id: int) -> Q:
    """A filter on a member id (`pk` of User) matching `member_id`'s connections, as two subqueries
    each served by an index."""
    return Q(pk__in=Connection.objects.filter(member_high_id=member_id).values("member_low_id")) | Q(
        pk__in=Connection.objects.filter(member_low_id=member_id).values("member_high_id")
    )


def connection_ids_of(member: User) -> set[int]:
    ids = set(Connection.objects.filter(member_low_id=member.pk).values_list("member_high_id", flat=True))
    ids.update(Connection.objects.filter(member_high_id=member.pk).values_list("member_low_id", flat=True))
    return ids


def connections_of(
    member: User,
    *,
    order: str = "recent",
    query: str = "",
    company: str = "",
    location: str = "",
) -> QuerySet:
    """Profiles of `member`'s active connections, each with `connected_at`; `order` is "recent" (newest
    connection first) or "name". `query` matches names (accents and case ignored), `company` a current
    position's company, `location` the city or country code."""
    from entregent.core.text import fold
    from entregent.profiles.models import Experience, Profile

    low, high = (
        Connection.objects.filter(member_high_id=member.pk),
        Connection.objects.filter(member_low_id=member.pk),
    )
    since = Connection.objects.filter(
        Q(member_low_id=member.pk, member_high_id=OuterRef("user_id"))
        | Q(member_high_id=member.pk, member_low_id=OuterRef("user_id"))
    ).values("created_at")[:1]
    profiles = (
        Profile.objects.filter(
            Q(user_id__in=low.values("member_low_id")) | Q(user_id__in=high.values("member_high_id")),
            user__is_active=True,
        )
        .select_related("user")
        .annotate(connected_at=Subquery(since))
    )
    for word in fold(query).split()[:6]:
        profiles = profiles.filter(search_name__contains=word)
    if company.strip():
        profiles = profiles.filter(
            pk__in=Experience.objects.filter(is_current=True, company_name__icontains=company.strip()).values(
                "profile_id"
            )
        )
    if location.strip():
        place = location.strip()
        profiles = profiles.filter(Q(city__icontains=place) | Q(country__iexact=place))
    if order == "name":
        return profiles.order_by("last_name", "first_name", "pk")
    return profiles.order_by("-connected_at", "pk")


def connection_count(member: User) -> int:
    return (
        Connection.objects.filter(member_low_id=member.pk).count()
        + Connection.objects.filter(member_high_id=member.pk).count()
    )


def network_tier(count: int) -> str:
    """The tier used in advice and filters: "0-100", "100-500" or "500+"."""
    if count < 100:
        return TIER_SMALL
    if count < 500:
        return TIER_MEDIUM
    return TIER_LARGE


def connection_count_display(count: int) -> str:
    """What others see: the exact count below 500, "500+" from there (as LinkedIn shows it)."""
    return str(count) if count < 500 else "500+"


def are_connected(a: User, b: User) -> bool:
    return policy.are_connected(a.pk, b.pk)


def invitations_sorted_by_rules(member: User, *, days: int = 90) -> QuerySet:
    """The invitations to `member` that their rules accepted or declined silently in the last `days` days,
    newest first (what My network's "Sorted by my rules" tab lists, each with the deciding rule)."""
    invitations = Invitation.objects.filter(
        recipient=member,
        triage_action__in=(TriageAction.ACCEPT, TriageAction.DECLINE),
        created_at__gte=timezone.now() - dt.timedelta(days=days),
        sender__is_active=True,
    )
    return (
        policy.exclude_blocked(invitations, member.pk, "sender_id")
        .select_related("sender__profile")
        .order_by("-created_at", "-pk")
    )


def invitations_received(member: User, *, box: str = "") -> QuerySet:
    """Pending invitations to `member`, newest first, without those from members blocked either way,
    no longer active, or restricted by moderation. `box` "inbox" leaves out those the member's rules put
    in "suspicious"; "suspicious" keeps only those."""
    from entregent.trust import selectors as trust

    invitations = Invitation.objects.filter(
        recipient=member, status=Invitation.Status.PENDING, sender__is_active=True
    ).exclude(sender_id__in=trust.restricted_member_ids())
    if box == "inbox":
        invitations = invitations.exclude(triage_action=TriageAction.SUSPICIOUS)
    elif box == "suspicious":
        invitations = invitations.filter(triage_action=TriageAction.SUSPICIOUS)
    return (
        policy.exclude_blocked(invitations, member.pk, "sender_id")
        .select_related("sender__profile")
        .order_by("-created_at", "-pk")
    )


def invitations_sent(member: User) -> QuerySet:
    """Invitations `member` sent that await an answer, newest first. Ignored ones are included and
    shown as pending: read `shown_status`, never `status`."""
    invitations = Invitation.objects.filter(
        sender=member, status__in=OPEN_STATUSES, recipient__is_active=True
    )
    return (
        policy.exclude_blocked(invitations, member.pk, "recipient_id")
        .select_related("recipient__profile")
        .annotate(shown_status=Value(Invitation.Status.PENDING.value, output_field=CharField()))
        .order_by("-created_at", "-pk")
    )


def mutual_connection_ids(a: User, b: User) -> list[int]:
    """Ids of the members connected to both `a` and `b`, in id order. (A block removes connections,
    so nobody blocked by either appears.)"""
    return list(_mutual_ids(a, b).order_by("pk").values_list("pk", flat=True))


def _profiles_by_follow(member: User, *, mine: str, theirs: str) -> QuerySet:
    from entregent.profiles.models import Profile

    rows = Follow.objects.filter(**{mine: member.pk, theirs: OuterRef("user_id")})
    profiles = Profile.objects.filter(
        user_id__in=Follow.objects.filter(**{mine: member.pk}).values(theirs), user__is_active=True
    )
    return (
        policy.exclude_blocked(profiles, member.pk, "user_id")
        .select_related("user")
        .annotate(followed_at=Subquery(rows.values("created_at")[:1]))
        .order_by("-followed_at", "pk")
    )


def followers_of(member: User) -> QuerySet:
    """Profiles of the active members following `member`, newest follower first, each with `followed_at`."""
    return _profiles_by_follow(member, mine="followed_id", theirs="follower_id")


def following_of(member: User) -> QuerySet:
    """Profiles of the active members `member` follows, most recently followed first, with `followed_at`."""
    return _profiles_by_follow(member, mine="follower_id", theirs="followed_id")


def follower_count(member: User) -> int:
    return Follow.objects.filter(followed_id=member.pk, follower__is_active=True).count()


def is_following(follower: User, followed: User) -> bool:
    return Follow.objects.filter(follower_id=follower.pk, followed_id=followed.pk).exists()


def mutual_connections(a: User, b: User) -> QuerySet:
    """Profiles of the active members connected to both `a` and `b`, by name."""
    from entregent.profiles.models import Profile

    return (
        Profile.objects.filter(user_id__in=_mutual_ids(a, b), user__is_active=True)
        .select_related("user")
        .order_by("last_name", "first_name", "pk")
    )


def _mutual_ids(a: User, b: User) -> QuerySet:
    from entregent.accounts.models import User as UserModel

    return UserModel.objects.filter(_neighbours(a.pk)).filter(_neighbours(b.pk)).values("pk")


def degree_between(viewer: User, member: User) -> int | None:
    """1, 2 or 3 (the shortest chain of connections from `viewer` to `member`), or None: out of network,
    the same member, or blocked either way. Plain SQL, at most four queries: the reference the in-memory
    graph index answers faster."""
    from entregent.accounts.models import User as UserModel

    if viewer.pk == member.pk or policy.is_blocked(viewer.pk, member.pk):
        return None
    if policy.are_connected(viewer.pk, member.pk):
        return 1
    if UserModel.objects.filter(_neighbours(viewer.pk)).filter(_neighbours(member.pk)).exists():
        return 2
    theirs = UserModel.objects.filter(_neighbours(member.pk)).values("pk")
    mine = UserModel.objects.filter(_neighbours(viewer.pk)).values("pk")
    bridged = Connection.objects.filter(
        Q(member_low_id__in=mine, member_high_id__in=theirs)
        | Q(member_low_id__in=theirs, member_high_id__in=mine)
    ).exists()
    return 3 if bridged else None


def blocked_by(member: User) -> QuerySet:
    """The blocks `member` made (only theirs: who blocked them stays private), newest first."""
    return Block.objects.filter(blocker=member).select_related("blocked__profile").order_by("-created_at")


def member_visible_to(viewer: User, slug: str):
    """The profile at `slug` if `viewer` may see it (404 otherwise: hidden, deactivated or blocked either
    way), with the viewer's relation to it as `relation`."""
    from django.http import Http404

    from entregent.profiles.models import Profile

    profile = Profile.objects.select_related("user").filter(slug__iexact=slug).first()
    if profile is None:
        raise Http404
    relation = policy.relation_of(viewer, profile)
    policy.require_can_view_profile(relation, profile)
    profile.relation = relation
    return profile
