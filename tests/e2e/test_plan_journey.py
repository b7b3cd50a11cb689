"""A new member in Chromium: sees their trial and its end date on the "My plan" page, completes their profile
with the coach, and sees the weekly invitation quota rise (the completeness multiplier)."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from django.utils import formats, timezone
from playwright.sync_api import expect

from entregent import plans
from entregent.plans import engine
from tests.e2e.conftest import assert_accessible
from tests.factories import EducationFactory, ExperienceFactory, SkillFactory, member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PASSWORD = "correct-horse-battery-9"  # the factories' shared password


def _invitation_limit(page) -> int:
    page.goto("/plans/")
    limit = page.locator('[data-quota="invitations.weekly"] .quota__limit')
    return int(limit.get_attribute("data-limit"))


def test_a_new_member_sees_the_trial_and_the_invitation_quota_rise_with_the_profile(page):
    # Browser tests run in transactions that are flushed between tests, which drops the migrated defaults.
    engine.ensure_default_plans()
    user = member(first_name="Léa", last_name="Fontaine", slug="lea-fontaine")
    profile = user.profile
    ExperienceFactory(
        profile=profile,
        title="Ingénieure logiciel",
        company_name="Distrib'Avenir",
        start_year=2019,
        description="Prévision de la demande pour 300 magasins du commerce de détail, en Python.",
    )
    EducationFactory(profile=profile)
    for skill in ("Python", "Django", "Commerce de détail"):
        SkillFactory(profile=profile, name=skill)

    # Sign in through the login page.
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/$"))

    # Every page reminds a member on trial when it ends; the Me menu leads to My plan.
    ends = formats.date_format(timezone.localtime(user.date_joined + dt.timedelta(days=30)), "DATE_FORMAT")
    expect(page.locator(".trial-banner")).to_contain_text(f"Your Career trial ends on {ends}.")
    page.locator(".topbar__me summary").click()
    page.get_by_role("link", name="My plan").click()
    page.wait_for_url(re.compile(r"/plans/$"))

    # My plan: the trial, its end date, the numbers, the chart, what the Beginner level costs.
    expect(page.get_by_role("heading", name="My plan", level=1)).to_be_visible()
    expect(page.locator(".my-plan__name")).to_contain_text("Career")
    expect(page.locator(".my-plan__how")).to_contain_text(f"It ends on {ends}, in 30 days.")
    expect(page.get_by_role("img", name=re.compile("^Quota use"))).to_be_visible()
    invitations = page.locator('[data-quota="invitations.weekly"]')
    expect(invitations).to_contain_text("Beginner profile: ×0.5 of 150 invitations a week")
    expect(page.locator(".my-plan__level")).to_have_text("Beginner")
    before = _invitation_limit(page)
    assert before == 75 == plans.limit(user, "invitations.weekly")
    assert_accessible(page)

    # Complete the profile, following the coach link from the quota.
    invitations.get_by_role("link", name="Open the profile coach").click()
    page.wait_for_url(re.compile(r"/in/me/edit/"))
    page.locator("#intro-headline").fill(
        "Ingénieure logiciel Python pour le commerce de détail et la distribution"
    )
    page.locator("#intro-city").fill("Lyon")
    page.locator("#intro-country").select_option("FR")
    page.locator("#intro-industry").select_option("software")
    page.locator("#intro form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/in/me/edit/"))
    page.locator("#about-about").fill(
        "Je conçois des logiciels Python pour des enseignes du commerce de détail. "
        "Depuis huit ans, j'aide les équipes de distribution à prévoir la demande, à réduire les ruptures "
        "de stock et à mieux servir leurs clients en magasin comme en e-commerce. "
        "J'aime les architectures simples, les tests solides et les équipes qui partagent leurs choix."
    )
    page.locator("#about form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/in/me/edit/"))
    page.locator("#target-target_industry").select_option("retail")
    page.locator("#target-target_goal").fill("trouver des clients dans le commerce")
    page.locator("#target form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/in/me/edit/"))

    # Back on My plan: a stronger profile, the full invitation quota, and the prices of the member's zone.
    after = _invitation_limit(page)
    assert after == 150 > before
    expect(page.locator(".my-plan__level")).to_have_text("Advanced")
    expect(page.locator('[data-quota="invitations.weekly"]')).not_to_contain_text("×0.5")
    expect(page.locator(".my-plan__aside")).to_contain_text("“Europe (euro)” pricing zone")
    assert_accessible(page)
    if os.environ.get("ENTREGENT_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "my-plan.png"), full_page=False)
