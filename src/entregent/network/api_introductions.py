"""The JSON API of the network: introductions (the relais relationnel). List them by role, ask a mutual
connection for one, forward or decline it (the intermediary), accept or decline it (the member introduced),
withdraw it (the member who asked), and list who could introduce you to a member. Each endpoint calls the
same service or selector as the pages (network/introductions.py): an introduction is only ever fetched
among those the caller takes part in, so anyone else gets a 404."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Field, Path, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from entregent.api import auth
from entregent.api.errors import READ_ERRORS, WRITE_ERRORS, ErrorOut, ValidationErrorOut
from entregent.network import cards, selectors
from entregent.network import introductions as intro
from entregent.network.api_invitations import MemberCardOut, MemberPageOut, card_out
from entregent.network.models import Introduction
from entregent.plans import QuotaExceeded

router = Router(tags=["introductions"])

PAGE_SIZE = 20
MAX_ID = 2**63 - 1
TEXT_LIMIT = Introduction._meta.get_field("why").max_length
REASON_LIMIT = Introduction._meta.get_field("decline_reason").max_length
Slug = Annotated[str, Field(pattern=r"^[A-Za-z0-9-]{1,100}$", description="A member's public address")]
PathSlug = Annotated[str, Path(pattern=r"^[A-Za-z0-9-]{1,100}$", description="The member's public address")]
IntroductionId = Annotated[int, Path(ge=1, le=MAX_ID, description="The introduction's id")]
PageNumber = Annotated[int, Field(ge=1, le=100_000)]
Role = Literal["requester", "intermediary", "target"]
StatusName = Literal["asked", "forwarded", "declined_b", "accepted", "declined_c", "withdrawn", "expired"]
Action = Literal["forward", "decline", "accept", "withdraw"]


# ------------------------------------------------------------------------------------------- schemas


class IntroductionOut(Schema):
    id: int
    role: Role = Field(description="Your part: requester (A), intermediary (B) or target (C)")
    status: StatusName
    status_text: str = Field(description="Where it stands, in words for you")
    requester: MemberCardOut
    intermediary: MemberCardOut
    target: MemberCardOut
    why: str | None = Field(description="The requester's reasons, for the intermediary; null for the target")
    message: str = Field(description="The message the intermediary carries to the target")
    intermediary_word: str
    decline_reason: str = Field(
        description="Why it was declined (empty when no reason was given, or it is not for you: the reason "
        "is for the requester and for whoever declined)"
    )
    created_at: dt.datetime
    forwarded_at: dt.datetime | None
    responded_at: dt.datetime | None
    actions: list[Action] = Field(description="What you may do with it now")


class IntroductionPageOut(Schema):
    count: int
    page: int
    pages: int
    items: list[IntroductionOut]


class WaitingOut(Schema):
    requester: int = Field(description="Your requests waiting for an answer")
    intermediary: int = Field(description="Requests waiting for you to forward or decline")
    target: int = Field(description="Introductions waiting for you to accept or decline")
    limit: int | None = Field(
        description="How many requests your plan lets you have waiting (null: no limit)"
    )


class InputSchema(Schema):
    model_config = ConfigDict(extra="forbid")


class IntroductionIn(InputSchema):
    intermediary: Slug = Field(description="The mutual connection asked to introduce you")
    target: Slug = Field(description="The 2nd-degree member you would like to meet")
    why: str = Field(min_length=1, max_length=TEXT_LIMIT, description="For the intermediary only")
    message: str = Field(
        min_length=1, max_length=TEXT_LIMIT, description="For the target, via the intermediary"
    )


class ForwardIn(InputSchema):
    word: str = Field("", max_length=TEXT_LIMIT, description="Your word to introduce them (optional)")


class DeclineIn(InputSchema):
    reason: str = Field("", max_length=REASON_LIMIT, description="Shown to the requester (optional)")


# ------------------------------------------------------------------------------------------- helpers


def _items(request: HttpRequest, introductions: list[Introduction], role: str) -> list[dict]:
    by_member = {
        card.profile.user_id: card_out(card)
        for card in cards.member_cards(request.auth, intro.profiles_of(introductions))
    }
    items = []
    for i in introductions:
        texts = intro.visible_texts(i, role)
        items.append(
            {
                "id": i.pk,
                "role": role,
                "status": i.status,
                "status_text": intro.status_text(i, role),
                "requester": by_member[i.requester_id],
                "intermediary": by_member[i.intermediary_id],
                "target": by_member[i.target_id],
                "why": texts["why"] if role != intro.TARGET else None,
                "message": texts["message"],
                "intermediary_word": texts["intermediary_word"],
                "decline_reason": texts["decline_reason"],
                "created_at": i.created_at,
                "forwarded_at": i.forwarded_at,
                "responded_at": i.responded_at,
                "actions": intro.actions_for(i, role).names(),
            }
        )
    return items


def _one(request: HttpRequest, introduction: Introduction) -> dict:
    role = intro.role_of(introduction, request.auth)
    return _items(request, [introduction], role)[0]


# ----------------------------------------------------------------------------------------- endpoints


@router.get(
    "/me/introductions",
    auth=auth.REQUIRED,
    response={200: IntroductionPageOut, **READ_ERRORS, 422: ValidationErrorOut},
    operation_id="introductions_list",
    summary="My introductions, in one role",
)
def introductions_list(request: HttpRequest, role: Role = "requester", page: PageNumber = 1):
    """`role=requester`: the introductions you asked for; `intermediary`: those you were asked to relay;
    `target`: those forwarded to you. Latest first, 20 a page."""
    paginator = Paginator(intro.introductions_for(request.auth, role), PAGE_SIZE)
    current = paginator.get_page(page)
    return {
        "count": paginator.count,
        "page": current.number,
        "pages": paginator.num_pages,
        "items": _items(request, list(current.object_list), role),
    }


@router.get(
    "/me/introductions/waiting",
    auth=auth.REQUIRED,
    response={200: WaitingOut, 401: ErrorOut},
    operation_id="introductions_waiting",
    summary="How many introductions wait, by role",
)
def introductions_waiting(request: HttpRequest):
    return {
        **intro.introductions_waiting(request.auth),
        "limit": intro.plans.limit(request.auth, intro.QUOTA),
    }


@router.post(
    "/me/introductions",
    auth=auth.REQUIRED,
    response={201: IntroductionOut, 429: ErrorOut, **WRITE_ERRORS},
    operation_id="introduction_ask",
    summary="Ask a mutual connection to introduce me to a member",
)
def introduction_ask(request: HttpRequest, payload: IntroductionIn):
    """The intermediary must be connected to both of you, and you not yet to the target; nobody among the
    three may have blocked another (a member hidden from you is a 404). One open request per target; over
    your plan's number of pending requests: 429. The intermediary is told by mail."""
    target = selectors.member_visible_to(request.auth, payload.target)
    intermediary = selectors.member_visible_to(request.auth, payload.intermediary)
    try:
        introduction = intro.introduction_ask(
            requester=request.auth,
            intermediary=intermediary.user,
            target=target.user,
            why=payload.why,
            message=payload.message,
        )
    except QuotaExceeded as error:
        return Status(429, {"detail": str(error)})
    return Status(201, _one(request, introduction))


@router.get(
    "/me/introductions/{introduction_id}",
    auth=auth.REQUIRED,
    response={200: IntroductionOut, **READ_ERRORS, 422: ValidationErrorOut},
    operation_id="introduction_read",
    summary="Read one of my introductions",
)
def introduction_read(request: HttpRequest, introduction_id: IntroductionId):
    introduction, _role = intro.introduction_for(request.auth, introduction_id)
    return _one(request, introduction)


@router.post(
    "/me/introductions/{introduction_id}/forward",
    auth=auth.REQUIRED,
    response={200: IntroductionOut, **WRITE_ERRORS},
    operation_id="introduction_forward",
    summary="Forward an introduction I was asked to relay",
)
def introduction_forward(request: HttpRequest, introduction_id: IntroductionId, payload: ForwardIn):
    """Only the intermediary, while it waits for them; the target is told by mail."""
    introduction, _role = intro.introduction_for(request.auth, introduction_id)
    intro.introduction_forward(introduction=introduction, member=request.auth, word=payload.word)
    return _one(request, introduction)


@router.post(
    "/me/introductions/{introduction_id}/decline",
    auth=auth.REQUIRED,
    response={200: IntroductionOut, **WRITE_ERRORS},
    operation_id="introduction_decline",
    summary="Decline an introduction (as the intermediary or as the member introduced)",
)
def introduction_decline(request: HttpRequest, introduction_id: IntroductionId, payload: DeclineIn):
    """The intermediary declines to forward it, or the target declines it, with an optional reason; the
    requester is told by mail."""
    introduction, _role = intro.introduction_for(request.auth, introduction_id)
    intro.introduction_decline(introduction=introduction, member=request.auth, reason=payload.reason)
    return _one(request, introduction)


@router.post(
    "/me/introductions/{introduction_id}/accept",
    auth=auth.REQUIRED,
    response={200: IntroductionOut, **WRITE_ERRORS},
    operation_id="introduction_accept",
    summary="Accept an introduction forwarded to me",
)
def introduction_accept(request: HttpRequest, introduction_id: IntroductionId):
    """You and the requester are connected; they are told by mail."""
    introduction, _role = intro.introduction_for(request.auth, introduction_id)
    intro.introduction_accept(introduction=introduction, member=request.auth)
    return _one(request, introduction)


@router.post(
    "/me/introductions/{introduction_id}/withdraw",
    auth=auth.REQUIRED,
    response={200: IntroductionOut, **WRITE_ERRORS},
    operation_id="introduction_withdraw",
    summary="Withdraw a request for an introduction",
)
def introduction_withdraw(request: HttpRequest, introduction_id: IntroductionId):
    """Only the requester, while it waits for an answer. Nobody is told."""
    introduction, _role = intro.introduction_for(request.auth, introduction_id)
    intro.introduction_withdraw(introduction=introduction, member=request.auth)
    return _one(request, introduction)


@router.get(
    "/members/{slug}/introducers",
    auth=auth.REQUIRED,
    response={200: MemberPageOut, **READ_ERRORS, 422: ValidationErrorOut},
    operation_id="member_introducers",
    summary="Who could introduce me to a member",
)
def member_introducers(request: HttpRequest, slug: PathSlug, page: PageNumber = 1):
    """Your connections who are also connected to the member, by name (none when you are connected to
    them already)."""
    target = selectors.member_visible_to(request.auth, slug)
    paginator = Paginator(intro.intermediaries_for(request.auth, target.user), PAGE_SIZE)
    current = paginator.get_page(page)
    return {
        "count": paginator.count,
        "page": current.number,
        "pages": paginator.num_pages,
        "items": [card_out(c) for c in cards.member_cards(request.auth, current.object_list)],
    }
