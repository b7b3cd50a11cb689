"""`GET /api/v1/me/plan`: what the calling member may do and how much, the same data as the "My plan" page
(`engine.explain`). Read-only by design: no endpoint lets a member change their plan, a quota or a usage
counter; plans are granted by the operator and by subscriptions only."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema

from entregent.api import auth
from entregent.api.errors import ErrorOut
from entregent.plans import engine

router = Router(tags=["plans"])


class ReasonOut(Schema):
    kind: str  # plan | trial | completeness | region
    text: str


class PlanOut(Schema):
    code: str
    name: str
    source: Literal["assignment", "trial", "default"]


class TrialOut(Schema):
    plan: str
    plan_name: str
    starts_at: datetime
    ends_at: datetime
    active: bool
    ending_soon: bool


class CompletenessOut(Schema):
    level: str
    label: str


class ZoneOut(Schema):
    code: str
    name: str


class PriceOut(Schema):
    plan: str
    zone: str
    country: str
    period: Literal["month", "year"]
    currency: str
    amount: str
    tax_rate: str
    tax: str
    total: str
    discount: str


class RegionOut(Schema):
    country: str
    zone: ZoneOut | None
    prices: list[PriceOut]
    error: str | None = None


class FeatureOut(Schema):
    code: str
    label: str
    description: str
    enabled: bool
    reasons: list[ReasonOut]
    unlock: list[str]


class QuotaOut(Schema):
    code: str
    label: str
    description: str
    kind: Literal["counter", "setting"]
    window: Literal["week", "month", "none"]
    limit: int | None
    plan_limit: int | None
    carry_over_cap: int | None
    used: int | None
    left: int | None
    resets_at: datetime | None
    reasons: list[ReasonOut]
    unlock: list[str]


class MyPlanOut(Schema):
    plan: PlanOut
    trial: TrialOut | None
    completeness: CompletenessOut
    region: RegionOut
    features: list[FeatureOut]
    quotas: list[QuotaOut]


@router.get(
    "/me/plan",
    auth=auth.REQUIRED,
    response={200: MyPlanOut, 401: ErrorOut},
    operation_id="me_plan_read",
    summary="Read my plan",
)
def me_plan_read(request: HttpRequest):
    """Your plan and how you got it (assignment, trial or the default plan), every feature (on or off, and
    what would turn it on), every quota with its limit, what you used, what is left and when it comes back,
    and the modifiers applied to you: trial, profile completeness, pricing zone and prices. `limit`, `left`
    and `carry_over_cap` are null when unlimited. Read-only: nothing here changes your plan."""
    return engine.explain(request.auth)
