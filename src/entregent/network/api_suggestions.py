"""The JSON API of the network: people you may know, with why each is suggested, and dismissing one.
The same selectors and service as the HTML pages (network/suggestions.py)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Field, Path, Router, Schema

from entregent.api import auth
from entregent.api.errors import READ_ERRORS, WRITE_ERRORS, ValidationErrorOut
from entregent.network import selectors
from entregent.network import suggestions as service
from entregent.network.api_invitations import MemberCardOut, card_out

router = Router(tags=["network"])

PAGE_SIZE = 24
Slug = Annotated[str, Path(pattern=r"^[A-Za-z0-9-]{1,100}$", description="The member's public address")]
PageNumber = Annotated[int, Field(ge=1, le=100_000)]


class SuggestionReasonOut(Schema):
    kind: Literal["mutual", "company", "school", "place"] = Field(
        description="mutual connections, the same current company, the same school at the same time, "
        "or the same city and industry"
    )
    text: str


class SuggestionOut(Schema):
    member: MemberCardOut
    reason: str = Field(description="Every reason in one sentence, in your language")
    reasons: list[SuggestionReasonOut]


class SuggestionPageOut(Schema):
    count: int
    page: int
    pages: int
    items: list[SuggestionOut]


class DismissalOut(Schema):
    slug: str
    dismissed_until: dt.datetime = Field(description="Not suggested to you again before this moment")


@router.get(
    "/me/suggestions",
    auth=auth.REQUIRED,
    response={200: SuggestionPageOut, **READ_ERRORS, 422: ValidationErrorOut},
    operation_id="suggestions_list",
    summary="People I may know",
)
def suggestions_list(request: HttpRequest, page: PageNumber = 1):
    """Members you may know, best first, each with the reasons: mutual connections (naming one), the
    same current company, the same school at the same time, the same city and industry. Never your
    connections, members with an open invitation either way, members blocked either way, or members you
    dismissed in the last 90 days. Reading this list does not count as showing it (only the site's pages
    make unanswered suggestions sink)."""
    paginator = Paginator(service.suggestions_for(request.auth), PAGE_SIZE)
    current = paginator.get_page(page)
    items = service.suggestion_cards(request.auth, list(current.object_list))
    return {
        "count": paginator.count,
        "page": current.number,
        "pages": paginator.num_pages,
        "items": [
            {
                "member": card_out(card),
                "reason": suggestion.reason,
                "reasons": [{"kind": kind, "text": text} for kind, text in suggestion.reasons],
            }
            for card, suggestion in items
        ],
    }


@router.post(
    "/me/suggestions/{slug}/dismiss",
    auth=auth.REQUIRED,
    response={200: DismissalOut, **WRITE_ERRORS},
    operation_id="suggestion_dismiss",
    summary="Dismiss a suggestion",
)
def suggestion_dismiss(request: HttpRequest, slug: Slug):
    """Stop suggesting this member to you for 90 days (dismissing again starts the 90 days over). A member
    you may not see is a 404; yourself, a 422."""
    profile = selectors.member_visible_to(request.auth, slug)
    dismissal = service.suggestion_dismiss(member=request.auth, suggested=profile.user)
    return {"slug": profile.slug, "dismissed_until": service.dismissed_until(dismissal)}
