"""Writes of the plans app that are not quota spending (that is `engine.consume`/`engine.refund`): which plan
a member holds. Called by the operator's tools and, later, by subscriptions; never with a member's input."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from entregent.plans import engine
from entregent.plans.models import Plan, PlanAssignment

if TYPE_CHECKING:
    from entregent.accounts.models import User


@transaction.atomic
def plan_assign(
    *,
    member: User,
    plan: Plan | str,
    starts_at: dt.datetime | None = None,
    ends_at: dt.datetime | None = None,
    note: str = "",
) -> PlanAssignment:
    """Put `member` on `plan` (a Plan or its code) from `starts_at` (default now) until `ends_at` (default:
    until changed), replacing any previous assignment."""
    if isinstance(plan, str):
        plan = Plan.objects.get(code=plan)
    assignment = PlanAssignment.objects.filter(member=member).first() or PlanAssignment(member=member)
    assignment.plan = plan
    assignment.starts_at = starts_at or timezone.now()
    assignment.ends_at = ends_at
    assignment.note = note
    assignment.full_clean()
    assignment.save()
    engine.forget_request_standing(member)
    return assignment


@transaction.atomic
def plan_unassign(*, member: User) -> None:
    """Back to the trial or the default plan."""
    PlanAssignment.objects.filter(member=member).delete()
    engine.forget_request_standing(member)
