"""Reads of trust: a member's risk level with its reasons (one member or a whole list), whether a member
is restricted and until when, the members currently restricted, a member's own reports, and the
moderation queue with its evidence. The signals and their points live in `risk.py`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Max, Min, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from entregent.trust.risk import HIGH, LOW, MEDIUM, NO_RISK, WINDOW_DAYS, Evidence, Risk, Signal  # noqa: F401

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.core.paginator import Page

    from entregent.accounts.models import User
    from entregent.trust.models import ModerationAction, Restriction

QUEUE_PAGE_SIZE = 20


# ---------------------------------------------------------------------------------------------- risk


def risk_of(member: User) -> Risk:
    """The member's risk level, score and reasons in plain words (at most six queries)."""
    return risks_of([member])[member.pk]


def risks_of(members: Iterable[User | int]) -> dict[int, Risk]:
    """The risk of each member of a list, by member id, in at most six queries whatever its length."""
    from entregent.trust import risk

    now = timezone.now()
    ids = [getattr(m, "pk", m) for m in members]
    evidence = risk.evidence_of(ids, now=now)
    return {member_id: risk.risk_from(evidence[member_id], now=now) for member_id in ids}


# ------------------------------------------------------------------------------------- restrictions


def _in_effect(now: dt.datetime | None = None) -> QuerySet:
    from entregent.trust.models import Restriction

    now = now or timezone.now()
    return Restriction.objects.filter(lifted_at__isnull=True, starts_at__lte=now, ends_at__gt=now)


def is_restricted(member_id: int) -> bool:
    return _in_effect().filter(member_id=member_id).exists()


def restriction_of(member_id: int) -> Restriction | None:
    """The restriction in effect on the member (the one ending last), or None."""
    return _in_effect().filter(member_id=member_id).order_by("-ends_at", "-pk").first()


def restricted_member_ids() -> QuerySet:
    """A one-column queryset of the ids of the members currently restricted (to exclude their
    invitations with `sender__in=`)."""
    return _in_effect().values("member_id")


# ------------------------------------------------------------------------------------------ reports


def reports_made_by(member: User) -> QuerySet:
    """The reports a member made, newest first, with the reported member's profile."""
    from entregent.trust.models import Report

    return (
        Report.objects.filter(reporter_id=member.pk)
        .select_related("reported__profile")
        .order_by("-created_at", "-pk")
    )


def open_report_by(reporter: User, reported: User):
    from entregent.trust.models import Report

    return Report.objects.filter(
        reporter_id=reporter.pk, reported_id=reported.pk, status=Report.Status.OPEN
    ).first()


# ------------------------------------------------------------------------------------ the moderation queue


@dataclass
class Case:
    """One reported member in the moderation queue, with the evidence moderators need."""

    member: Any  # User, with .profile when they have one
    open_reports: int
    reporters: int
    first_reported_at: dt.datetime
    last_reported_at: dt.datetime
    reasons: list[tuple[str, int]] = field(default_factory=list)  # (reason label, count)
    latest_comment: str = ""
    risk: Risk = NO_RISK
    evidence: Evidence | None = None
    restriction: Restriction | None = None

    @property
    def profile(self):
        return getattr(self.member, "profile", None)

    @property
    def account_age_days(self) -> int:
        return (timezone.now() - self.member.date_joined).days


def _reason_labels() -> dict[str, str]:
    from entregent.trust.models import Report

    return {value: str(label) for value, label in Report.Reason.choices}


def open_cases(*, page_number: Any = 1, per_page: int = QUEUE_PAGE_SIZE) -> Page:
    """Open reports grouped by reported member, the most reported first (then the oldest), one page at a
    time; each page's cases carry the evidence. A bounded number of queries whatever the queue's size."""
    from django.core.paginator import Paginator

    from entregent.accounts.models import User as UserModel
    from entregent.trust import risk
    from entregent.trust.models import Report

    open_reports = Report.objects.filter(status=Report.Status.OPEN)
    latest_comment = (
        open_reports.filter(reported_id=OuterRef("reported_id"))
        .exclude(comment="")
        .order_by("-created_at", "-pk")
    )
    grouped = (
        open_reports.values("reported_id")
        .annotate(
            n=Count("pk"),
            reporters=Count("reporter_id", distinct=True),
            first=Min("created_at"),
            last=Max("created_at"),
            comment=Subquery(latest_comment.values("comment")[:1]),
        )
        .order_by("-reporters", "first", "reported_id")
    )
    page = Paginator(grouped, per_page).get_page(page_number)
    rows = list(page.object_list)
    ids = [row["reported_id"] for row in rows]
    members = UserModel.objects.select_related("profile").in_bulk(ids)
    reasons: dict[int, list[tuple[str, int]]] = {}
    labels = _reason_labels()
    for row in (
        open_reports.filter(reported_id__in=ids)
        .values("reported_id", "reason")
        .annotate(n=Count("pk"))
        .order_by("reported_id", "-n", "reason")
    ):
        reasons.setdefault(row["reported_id"], []).append(
            (labels.get(row["reason"], row["reason"]), row["n"])
        )
    now = timezone.now()
    evidence = risk.evidence_of(ids, now=now)
    restrictions = {r.member_id: r for r in _in_effect(now).filter(member_id__in=ids).order_by("ends_at")}
    page.object_list = [
        Case(
            member=members[row["reported_id"]],
            open_reports=row["n"],
            reporters=row["reporters"],
            first_reported_at=row["first"],
            last_reported_at=row["last"],
            reasons=reasons.get(row["reported_id"], []),
            latest_comment=row["comment"] or "",
            risk=risk.risk_from(evidence[row["reported_id"]], now=now),
            evidence=evidence[row["reported_id"]],
            restriction=restrictions.get(row["reported_id"]),
        )
        for row in rows
        if row["reported_id"] in members
    ]
    return page


def automatic_restrictions(*, limit: int = 50) -> list[Restriction]:
    """Restrictions in effect that the automatic rule made, newest first, for moderators to review."""
    return list(
        _in_effect()
        .filter(automatic=True)
        .select_related("member__profile")
        .order_by("-starts_at", "-pk")[:limit]
    )


@dataclass
class CaseDetail:
    member: Any
    risk: Risk
    evidence: Evidence
    open_reports: list
    closed_reports: list
    history: list[ModerationAction]
    restriction: Restriction | None
    counts_all_time: dict[str, int]

    @property
    def profile(self):
        return getattr(self.member, "profile", None)

    @property
    def account_age_days(self) -> int:
        return (timezone.now() - self.member.date_joined).days


HISTORY_LIMIT = 50


def case_detail(member_id: int) -> CaseDetail | None:
    """Everything moderators see about one member: risk and reasons, open reports (with reporters and
    comments), the latest closed ones, decisions so far, the restriction in effect and invitation counts."""
    from entregent.accounts.models import User as UserModel
    from entregent.network.models import Invitation, TriageAction
    from entregent.trust import risk
    from entregent.trust.models import ModerationAction, Report

    member = UserModel.objects.select_related("profile").filter(pk=member_id).first()
    if member is None:
        return None
    now = timezone.now()
    evidence = risk.evidence_of([member.pk], now=now)[member.pk]
    reports = Report.objects.filter(reported_id=member.pk).select_related("reporter__profile")
    open_reports = list(
        reports.filter(status=Report.Status.OPEN).order_by("-created_at", "-pk")[:HISTORY_LIMIT]
    )
    closed = list(
        reports.exclude(status=Report.Status.OPEN)
        .select_related("resolution")
        .order_by("-created_at", "-pk")[:HISTORY_LIMIT]
    )
    history = list(
        ModerationAction.objects.filter(member_id=member.pk)
        .select_related("moderator__profile")
        .order_by("-created_at", "-pk")[:HISTORY_LIMIT]
    )
    totals = Invitation.objects.filter(sender_id=member.pk).aggregate(
        sent=Count("pk"),
        ignored=Count(
            "pk", filter=Q(status=Invitation.Status.IGNORED) | Q(triage_action=TriageAction.DECLINE)
        ),
        accepted=Count("pk", filter=Q(status=Invitation.Status.ACCEPTED)),
    )
    return CaseDetail(
        member=member,
        risk=risk.risk_from(evidence, now=now),
        evidence=evidence,
        open_reports=open_reports,
        closed_reports=closed,
        history=history,
        restriction=restriction_of(member.pk),
        counts_all_time=totals,
    )
