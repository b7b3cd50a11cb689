"""The JSON API of trust: report a member (`POST /members/{slug}/report`) and list my reports
(`GET /me/reports`). The same form rules and the same service as the report page; the reported member
must be visible to the caller (404 otherwise: unknown, deactivated or blocked either way)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Literal

from django.db.models import Q
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import AfterValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from entregent.api import auth
from entregent.api.errors import READ_ERRORS, WRITE_ERRORS
from entregent.core import policy
from entregent.profiles import selectors as profile_selectors
from entregent.trust import selectors, services
from entregent.trust.models import Report

router = Router(tags=["trust"])

SLUG_IN_PATH = re.compile(r"[A-Za-z0-9-]{1,100}")
COMMENT_MAX = Report._meta.get_field("comment").max_length
MAX_OFFSET = 2**31 - 1


def _clean_text(value: str) -> str:
    """Refuse what no database column can hold (NUL, lone surrogates) with a 422, not a 500."""
    if "\x00" in value:
        raise PydanticCustomError("null_characters", "Null characters are not allowed.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise PydanticCustomError("string_unicode", "Invalid characters.") from None
    return value


ReasonCode = Literal["fake", "spam", "harassment", "scam"]


class ReportIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: ReasonCode = Field(description="fake (fake profile), spam, harassment or scam")
    comment: Annotated[str, Field(max_length=COMMENT_MAX), AfterValidator(_clean_text)] = Field(
        default="", description="What you saw; only the moderators read it."
    )


class ReportedMemberOut(Schema):
    slug: str | None = Field(description="null when you can no longer see the member")
    display_name: str


class ReportOut(Schema):
    id: int
    member: ReportedMemberOut
    reason: ReasonCode
    reason_label: str
    comment: str
    status: Literal["open", "reviewed"] = Field(description="open until the moderators decide")
    created_at: datetime


class ReportListOut(Schema):
    count: int
    items: list[ReportOut]


def _report_data(report: Report, *, hidden_ids: set[int]) -> dict:
    profile = getattr(report.reported, "profile", None)
    visible = report.reported.is_active and report.reported_id not in hidden_ids and profile is not None
    return {
        "id": report.pk,
        "member": {
            "slug": profile.slug if visible else None,
            "display_name": profile.display_name if profile else "",
        },
        "reason": report.reason,
        "reason_label": str(report.get_reason_display()),
        "comment": report.comment,
        "status": "open" if report.status == Report.Status.OPEN else "reviewed",
        "created_at": report.created_at,
    }


def _blocked_ids(member_id: int) -> set[int]:
    from entregent.network.models import Block

    rows = Block.objects.filter(Q(blocker_id=member_id) | Q(blocked_id=member_id)).values_list(
        "blocker_id", "blocked_id"
    )
    return {other for pair in rows for other in pair if other != member_id}


@router.post(
    "/members/{slug}/report",
    auth=auth.REQUIRED,
    response={201: ReportOut, **WRITE_ERRORS},
    operation_id="member_report",
    summary="Report a member",
)
def member_report(request: HttpRequest, slug: str, payload: ReportIn):
    """Tell the moderators that a member looks fake, spams, harasses or scams. You cannot report yourself,
    nor report the same member again while your report is open (422 with the reason)."""
    if not SLUG_IN_PATH.fullmatch(slug):
        raise Http404
    profile, _new_slug = profile_selectors.profile_for_slug(slug)
    if profile is None:
        raise Http404
    viewer = request.auth  # type: ignore[attr-defined]
    policy.require_can_view_profile(policy.relation_of(viewer, profile), profile)
    report = services.report_create(
        reporter=viewer, reported=profile.user, reason=payload.reason, comment=payload.comment
    )
    report.reported.profile = profile
    return Status(201, _report_data(report, hidden_ids=set()))


@router.get(
    "/me/reports",
    auth=auth.REQUIRED,
    response={200: ReportListOut, **READ_ERRORS, 422: WRITE_ERRORS[422]},
    operation_id="me_reports",
    summary="List my reports",
)
def me_reports(
    request: HttpRequest,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
):
    """The reports you made, newest first, and whether the moderators have decided yet."""
    viewer = request.auth  # type: ignore[attr-defined]
    reports = selectors.reports_made_by(viewer)
    hidden = _blocked_ids(viewer.pk)
    return {
        "count": reports.count(),
        "items": [_report_data(r, hidden_ids=hidden) for r in reports[offset : offset + limit]],
    }
