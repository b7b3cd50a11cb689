"""What a member may do, table-driven over plan × account age × completeness level × region."""

import datetime as dt
import itertools
import math
from decimal import Decimal

import pytest
from django.utils import timezone

from entregent import plans
from entregent.plans import engine
from entregent.plans.services import plan_assign
from entregent.profiles.completeness import completeness_for
from tests.profiles.test_completeness import DESCRIPTION, Y, build, full

pytestmark = pytest.mark.django_db

# The default plans' numbers (registry.py) and multipliers (engine.DEFAULT_MULTIPLIERS).
INVITATIONS = {"free": 100, "career": 150, "business": 200, "sales": 200}
INMAIL = {"free": 0, "career": 5, "business": 15, "sales": 50}
FULL_LIST = {"free": False, "career": True, "business": True, "sales": True}
LEAD_LISTS = {"free": False, "career": False, "business": False, "sales": True}
MULTIPLIER = {
    ("beginner", "invitations.weekly"): Decimal("0.5"),
    ("beginner", "inmail.credits"): Decimal("0"),
    ("intermediate", "invitations.weekly"): Decimal("0.8"),
}
# Career per month before tax, and the tax rate, by the member's country.
CAREER_PRICE = {"FR": ("EUR", "29.99", "20"), "CH": ("CHF", "39.90", "8.1"), "JP": ("USD", "29.99", "0")}


def _profile(level: str, country: str):
    if level == "all_star":
        return full(country=country)
    if level == "advanced":
        return full(country=country, target_industry="")
    if level == "intermediate":
        return build(
            photo=True,
            headline="Product manager",
            city="Nantes",
            country=country,
            industry="retail",
            target_goal="find clients in retail",
            positions=[("Product manager", Y - 1, None, DESCRIPTION)],
            skills=["Retail", "Pricing", "SQL"],
        )
    return build(country=country)


CASES = list(
    itertools.product(
        ["free", "career", "business", "sales"],
        ["trial", "after"],
        ["beginner", "intermediate", "advanced", "all_star"],
        ["FR", "CH", "JP"],
    )
)


@pytest.mark.parametrize(("plan", "age", "level", "country"), CASES)
def test_member_entitlements(plan, age, level, country):
    profile = _profile(level, country)
    user = profile.user
    assert completeness_for(profile).level.code == level
    if age == "after":
        user.date_joined = timezone.now() - dt.timedelta(days=31)
        user.save(update_fields=["date_joined"])
    if plan != "free":
        plan_assign(member=user, plan=plan)
    effective = plan if plan != "free" else ("career" if age == "trial" else "free")

    def scaled(quota: str, base: int) -> int:
        return math.floor(base * MULTIPLIER.get((level, quota), Decimal(1)))

    assert plans.has(user, "profile_views.full_list") is FULL_LIST[effective]
    assert plans.has(user, "prospecting.lead_lists") is LEAD_LISTS[effective]
    assert plans.limit(user, "invitations.weekly") == scaled("invitations.weekly", INVITATIONS[effective])
    assert plans.limit(user, "inmail.credits") == scaled("inmail.credits", INMAIL[effective])
    assert plans.limit(user, "profile_views.history_days") == (90 if effective == "free" else 365)

    explained = engine.explain(user)
    assert explained["plan"]["code"] == effective
    assert explained["plan"]["source"] == (
        "trial" if effective != plan else ("default" if plan == "free" else "assignment")
    )
    assert explained["completeness"]["level"] == level
    invitations = next(q for q in explained["quotas"] if q["code"] == "invitations.weekly")
    kinds = [reason["kind"] for reason in invitations["reasons"]]
    assert ("completeness" in kinds) is ((level, "invitations.weekly") in MULTIPLIER)
    if level == "beginner":
        assert any("Complete your profile to reach Intermediate" in hint for hint in invitations["unlock"])

    currency, monthly, tax_rate = CAREER_PRICE[country]
    quote = engine.price_for(user, "career", "month")
    assert (quote.currency, str(quote.amount), f"{quote.tax_rate.normalize():f}") == (
        currency,
        monthly,
        tax_rate,
    )
    assert (
        explained["region"]["zone"]["code"] == {"FR": "europe", "CH": "switzerland", "JP": "world"}[country]
    )
