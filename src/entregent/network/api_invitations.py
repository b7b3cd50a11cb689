"""The JSON API of the network: invitations (send, accept, ignore, withdraw, lists), connections,
followers and following, blocks, a member's degree and mutual connections, someone's connection list,
and the member's network preferences. Each endpoint calls the same service or selector as the HTML
pages and is scoped by the same access policy."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from ninja import Field, Path, Query, Router, Schema
from ninja.responses import Status

from entregent.api import auth
from entregent.api.errors import READ_ERRORS, WRITE_ERRORS, ErrorOut, ValidationErrorOut
from entregent.core import policy
from entregent.network import cards, selectors, services
from entregent.network.models import Invitation
from entregent.plans import QuotaExceeded
from entregent.profiles.selectors import profile_of

router = Router(tags=["network"])

PAGE_SIZE = 20
MAX_ID = 2**63 - 1
Slug = Annotated[str, Path(pattern=r"^[A-Za-z0-9-]{1,100}$", description="The member's public address")]
ObjectId = Annotated[int, Path(ge=1, le=MAX_ID)]
PageNumber = Annotated[int, Field(ge=1, le=100_000)]


# ------------------------------------------------------------------------------------------- schemas


class MemberCardOut(Schema):
    slug: str
    name: str
    headline: str | None = Field(None, description="Absent when the member does not show it to you")
    profile_url: str
    degree: int | None = Field(None, description="1, 2 or 3; null out of network or yourself")
    mutual_count: int
    mutual_names: list[str] = Field(description="Up to three mutual connections, by name")
    connections: str = Field(description='The connection count, or "500+"')
    tier: Literal["0-100", "100-500", "500+"]
    connected: bool
    following: bool
    invitation_sent_id: int | None = None
    invitation_received_id: int | None = None
    primary_action: Literal["connect", "follow"]


class MemberPageOut(Schema):
    count: int
    page: int
    pages: int
    items: list[MemberCardOut]


class InvitationOut(Schema):
    id: int
    status: Literal["pending", "accepted", "ignored", "withdrawn", "expired"]
    note: str
    created_at: dt.datetime
    member: MemberCardOut = Field(description="The other member (the sender of a received invitation)")
    triage_action: str = Field("", description="What your rules decided: accept, hold, decline, suspicious")
    triage_reason: str = Field("", description="Which of your rules decided and why, in your language")
    risk_level: str | None = Field(None, description="The sender's fake-profile risk: low, medium, high")
    risk_reasons: list[str] = []


class InvitationPageOut(Schema):
    count: int
    page: int
    pages: int
    items: list[InvitationOut]


class InvitationIn(Schema):
    note: str = Field("", max_length=300)


class PreferencesOut(Schema):
    primary_action: Literal["connect", "follow"]
    hide_connections: bool


class PreferencesIn(Schema):
    primary_action: Literal["connect", "follow"] | None = None
    hide_connections: bool | None = None


# ------------------------------------------------------------------------------------------- helpers


def card_out(card: cards.MemberCard) -> dict:
    profile = card.profile
    return {
        "slug": profile.slug,
        "name": profile.display_name,
        "headline": profile.headline if card.show_headline else None,
        "profile_url": profile.get_absolute_url(),
        "degree": card.degree,
        "mutual_count": card.mutual_count,
        "mutual_names": [p.display_name for p in card.mutual_profiles],
        "connections": card.connections_display,
        "tier": card.tier,
        "connected": card.connected,
        "following": card.following,
        "invitation_sent_id": card.invitation_sent.pk if card.invitation_sent else None,
        "invitation_received_id": card.invitation_received.pk if card.invitation_received else None,
        "primary_action": profile.primary_action,
    }


def _member_page(request: HttpRequest, queryset, page: int) -> dict:
    paginator = Paginator(queryset, PAGE_SIZE)
    current = paginator.get_page(page)
    items = cards.member_cards(request.auth, current.object_list)
    return {
        "count": paginator.count,
        "page": current.number,
        "pages": paginator.num_pages,
        "items": [card_out(c) for c in items],
    }


def _invitation_page(request: HttpRequest, queryset, page: int, *, incoming: bool) -> dict:
    paginator = Paginator(queryset, PAGE_SIZE)
    current = paginator.get_page(page)
    rows = cards.invitation_rows(request.auth, current.object_list, incoming=incoming)
    return {
        "count": paginator.count,
        "page": current.number,
        "pages": paginator.num_pages,
        "items": [_invitation_out(row) for row in rows],
    }


def _invitation_out(row: dict) -> dict:
    invitation, risk = row["invitation"], row.get("risk")
    shown = getattr(invitation, "shown_status", None) or invitation.status
    return {
        "id": invitation.pk,
        "status": shown,
        "note": invitation.note,
        "created_at": invitation.created_at,
        "member": card_out(row["card"]),
        "triage_action": invitation.triage_action if row.get("incoming") else "",
        "triage_reason": row.get("triage_explanation", ""),
        "risk_level": risk.level if risk else None,
        "risk_reasons": [str(r) for r in risk.reasons] if risk else [],
    }


def _member(request: HttpRequest, slug: str):
    return selectors.member_visible_to(request.auth, slug)


def _single_invitation(request: HttpRequest, invitation: Invitation, *, incoming: bool) -> dict:
    row = cards.invitation_rows(request.auth, [invitation], incoming=incoming)[0]
    if not incoming and invitation.status == Invitation.Status.IGNORED:
        invitation.shown_status = Invitation.Status.PENDING  # the sender never learns of an ignore
    return _invitation_out(row)


# --------------------------------------------------------------------------------------- invitations


@router.get(
    "/me/invitations/received",
    auth=auth.REQUIRED,
    response={200: InvitationPageOut, **READ_ERRORS, 422: ValidationErrorOut},
    operation_id="invitations_received",
    summary="Invitations I received",
)
def invitations_received(
    request: HttpRequest, box: Literal["inbox", "suspicious"] = "inbox", page: PageNumber = 1
):
    """Pending invitations to you, newest first, with the note, the sender's card, their fake-profile
    risk and what your triage rules decided. `box=suspicious` lists those your rules set aside."""
    return _invitation_page(
        request, selectors.invitations_received(request.auth, box=box), page, incoming=True
    )


@router.get(
    "/me/invitations/sent",
    auth=auth.REQUIRED,
    response={200: InvitationPageOut, **READ_ERRORS, 422: ValidationErrorOut},
    operation_id="invitations_sent",
    summary="Invitations I sent that await an answer",
)
def invitations_sent(request: HttpRequest, page: PageNumber = 1):
    return _invitation_page(request, selectors.invitations_sent(request.auth), page, incoming=False)


@router.post(
    "/members/{slug}/invitation",
    auth=auth.REQUIRED,
    response={201: InvitationOut, 429: ErrorOut, **WRITE_ERRORS},
    operation_id="invitation_send",
    summary="Invite a member to connect",
)
def invitation_send(request: HttpRequest, slug: Slug, payload: InvitationIn):
    """Sends an invitation with an optional note (up to 300 characters, if your plan includes notes).
    Over your weekly quota: 429 with the reset time. If they had invited you, you are connected instead
    (status "accepted")."""
    profile = _member(request, slug)
    try:
        invitation = services.invitation_send(sender=request.auth, recipient=profile.user, note=payload.note)
    except QuotaExceeded as error:
        return Status(429, {"detail": str(error)})
    return Status(201, _single_invitation(request, invitation, incoming=False))


def _received(request: HttpRequest, pk: int) -> Invitation:
    return get_object_or_404(
        Invitation.objects.select_related("sender__profile"), pk=pk, recipient=request.auth
    )


@router.post(
    "/me/invitations/{invitation_id}/accept",
    auth=auth.REQUIRED,
    response={200: InvitationOut, **WRITE_ERRORS},
    operation_id="invitation_accept",
    summary="Accept an invitation",
)
def invitation_accept(request: HttpRequest, invitation_id: ObjectId):
    invitation = services.invitation_accept(invitation=_received(request, invitation_id), member=request.auth)
    return _single_invitation(request, invitation, incoming=True)


@router.post(
    "/me/invitations/{invitation_id}/ignore",
    auth=auth.REQUIRED,
    response={200: InvitationOut, **WRITE_ERRORS},
    operation_id="invitation_ignore",
    summary="Ignore an invitation (the sender still sees it pending)",
)
def invitation_ignore(request: HttpRequest, invitation_id: ObjectId):
    invitation = services.invitation_ignore(invitation=_received(request, invitation_id), member=request.auth)
    return _single_invitation(request, invitation, incoming=True)


@router.post(
    "/me/invitations/sent/{invitation_id}/withdraw",
    auth=auth.REQUIRED,
    response={200: InvitationOut, **WRITE_ERRORS},
    operation_id="invitation_withdraw",
    summary="Withdraw an invitation I sent",
)
def invitation_withdraw(request: HttpRequest, invitation_id: ObjectId):
    """You cannot invite the same member again for three weeks."""
    invitation = get_object_or_404(
        Invitation.objects.select_related("recipient__profile"), pk=invitation_id, sender=request.auth
    )
    invitation = services.invitation_withdraw(invitation=invitation, member=request.auth)
    return _single_invitation(request, invitation, incoming=False)


# ----------------------------------------------------------------------------- connections and follows


class ConnectionFilters(Schema):
    sort: Literal["recent", "name"] = "recent"
    q: str = Field("", max_length=100, description="Part of a name")
    company: str = Field("", max_length=120, description="Part of a current company's name")
    location: str = Field("", max_length=80, description="Part of a city, or a country code")
    page: PageNumber = 1


@router.get(
    "/me/connections",
    auth=auth.REQUIRED,
    response={200: MemberPageOut, **READ_ERRORS, 422: ValidationErrorOut},
    operation_id="connections_list",
    summary="My connections",
)
def connections_list(request: HttpRequest, filters: Query[ConnectionFilters]):
    queryset = selectors.connections_of(
        request.auth, order=filters.sort, query=filters.q, company=filters.company, location=filters.location
    )
    return _member_page(request, queryset, filters.page)


@router.delete(
    "/me/connections/{slug}",
    auth=auth.REQUIRED,
    response={204: None, **WRITE_ERRORS},
    operation_id="connection_remove",
    summary="Remove a connection (they are not told)",
)
def connection_remove(request: HttpRequest, slug: Slug):
    profile = _member(request, slug)
    if not services.connection_remove(member=request.auth, other=profile.user):
        raise Http404
    return Status(204, None)


@router.get(
    "/me/followers",
    auth=auth.REQUIRED,
    response={200: MemberPageOut, **READ_ERRORS, 422: ValidationErrorOut},
    operation_id="followers_list",
    summary="Members who follow me",
)
def followers_list(request: HttpRequest, page: PageNumber = 1):
    return _member_page(request, selectors.followers_of(request.auth), page)


@router.get(
    "/me/following",
    auth=auth.REQUIRED,
    response={200: MemberPageOut, **READ_ERRORS, 422: ValidationErrorOut},
    operation_id="following_list",
    summary="Members I follow",
)
def following_list(request: HttpRequest, page: PageNumber = 1):
    return _member_page(request, selectors.following_of(request.auth), page)


@router.put(
    "/me/following/{slug}",
    auth=auth.REQUIRED,
    response={200: MemberCardOut, **WRITE_ERRORS},
    operation_id="follow",
    summary="Follow a member",
)
def follow(request: HttpRequest, slug: Slug):
    profile = _member(request, slug)
    services.follow(follower=request.auth, followed=profile.user)
    return card_out(cards.member_card(request.auth, profile))


@router.delete(
    "/me/following/{slug}",
    auth=auth.REQUIRED,
    response={204: None, **WRITE_ERRORS},
    operation_id="unfollow",
    summary="Stop following a member",
)
def unfollow(request: HttpRequest, slug: Slug):
    profile = _member(request, slug)
    services.unfollow(follower=request.auth, followed=profile.user)
    return Status(204, None)


# -------------------------------------------------------------------------------------------- blocks


class BlockedOut(Schema):
    member_id: int
    name: str
    blocked_at: dt.datetime


@router.get(
    "/me/blocks",
    auth=auth.REQUIRED,
    response={200: list[BlockedOut], **READ_ERRORS},
    operation_id="blocks_list",
    summary="Members I blocked",
)
def blocks_list(request: HttpRequest):
    return [
        {"member_id": b.blocked_id, "name": b.blocked.profile.display_name, "blocked_at": b.created_at}
        for b in selectors.blocked_by(request.auth)[:1000]
    ]


@router.put(
    "/me/blocks/{slug}",
    auth=auth.REQUIRED,
    response={200: BlockedOut, **WRITE_ERRORS},
    operation_id="block",
    summary="Block a member",
)
def block(request: HttpRequest, slug: Slug):
    """You and they disappear for each other everywhere; the connection, open invitations and follows
    between you are removed. Refused within 48 hours of unblocking them."""
    profile = _member(request, slug)
    if profile.user_id == request.auth.pk:
        raise PermissionDenied(gettext("You cannot block yourself."))
    row = services.block(blocker=request.auth, blocked=profile.user)
    return {"member_id": profile.user_id, "name": profile.display_name, "blocked_at": row.created_at}


@router.delete(
    "/me/blocks/by-id/{member_id}",
    auth=auth.REQUIRED,
    response={204: None, **WRITE_ERRORS},
    operation_id="unblock",
    summary="Unblock a member (by id: their profile is hidden from you)",
)
def unblock(request: HttpRequest, member_id: ObjectId):
    row = get_object_or_404(selectors.blocked_by(request.auth), blocked_id=member_id)
    services.unblock(blocker=request.auth, blocked=row.blocked)
    return Status(204, None)


# ---------------------------------------------------------------------------------- someone's network


@router.get(
    "/members/{slug}/network",
    auth=auth.REQUIRED,
    response={200: MemberCardOut, **READ_ERRORS, 422: ValidationErrorOut},
    operation_id="member_network",
    summary="Where I stand with a member: degree, mutual connections, invitations, following",
)
def member_network(request: HttpRequest, slug: Slug):
    return card_out(cards.member_card(request.auth, _member(request, slug)))


@router.get(
    "/members/{slug}/mutual-connections",
    auth=auth.REQUIRED,
    response={200: MemberPageOut, **READ_ERRORS, 422: ValidationErrorOut},
    operation_id="member_mutual_connections",
    summary="The connections I share with a member",
)
def member_mutual_connections(request: HttpRequest, slug: Slug, page: PageNumber = 1):
    profile = _member(request, slug)
    return _member_page(request, selectors.mutual_connections(request.auth, profile.user), page)


@router.get(
    "/members/{slug}/connections",
    auth=auth.REQUIRED,
    response={200: MemberPageOut, **READ_ERRORS, 422: ValidationErrorOut},
    operation_id="member_connections",
    summary="A member's connections, as far as they let me see them",
)
def member_connections(request: HttpRequest, slug: Slug, page: PageNumber = 1):
    """A connection sees the whole list unless the member hid it; otherwise only shared connections."""
    profile = _member(request, slug)
    scope = policy.connection_list_scope(profile.relation, profile)
    if scope == policy.CONNECTIONS_NONE:
        raise Http404
    if scope == policy.CONNECTIONS_ALL:
        queryset = policy.exclude_blocked(
            selectors.connections_of(profile.user, order="name"), request.auth.pk, "user_id"
        )
    else:
        queryset = selectors.mutual_connections(request.auth, profile.user)
    return _member_page(request, queryset, page)


# --------------------------------------------------------------------------------------- preferences


@router.get(
    "/me/network-preferences",
    auth=auth.REQUIRED,
    response={200: PreferencesOut, **READ_ERRORS},
    operation_id="network_preferences_read",
    summary="My network preferences",
)
def network_preferences_read(request: HttpRequest):
    profile = profile_of(request.auth)
    return {"primary_action": profile.primary_action, "hide_connections": profile.hide_connections}


@router.patch(
    "/me/network-preferences",
    auth=auth.REQUIRED,
    response={200: PreferencesOut, **WRITE_ERRORS},
    operation_id="network_preferences_update",
    summary="Change my network preferences",
)
def network_preferences_update(request: HttpRequest, payload: PreferencesIn):
    from entregent.profiles import services as profile_services

    changes = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    with transaction.atomic():
        profile = profile_services.profile_update(profile=profile_of(request.auth), **changes)
    return {"primary_action": profile.primary_action, "hide_connections": profile.hide_connections}
