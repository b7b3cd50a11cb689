"""The invitation rules page in Chromium: a member starts from the "Selective" preset (confirming the
replacement), adds a rule of their own, tries the rules on their pending invitations, saves them, and
applies them — each screen passing an accessibility scan."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from entregent.network.models import Invitation, TriageRule
from tests.e2e.conftest import assert_accessible
from tests.factories import EducationFactory, ExperienceFactory, connect, member
from tests.network.conftest import veteran

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PASSWORD = "correct-horse-battery-9"  # the factories' shared password


def _trustworthy(**fields):
    user = veteran(**fields)
    ExperienceFactory(profile=user.profile)
    EducationFactory(profile=user.profile)
    return user


def test_a_member_sets_tries_saves_and_applies_invitation_rules(page):
    from entregent.plans import engine

    engine.ensure_default_plans()  # browser tests flush the migrated defaults between tests
    me = _trustworthy(first_name="Mia", last_name="Roux", slug="mia-roux")
    friendly = _trustworthy(first_name="Paul", last_name="Girard", slug="paul-girard")
    for _ in range(3):
        friend = member()
        connect(me, friend)
        connect(friendly, friend)
    noted = _trustworthy(first_name="Nina", last_name="Lambert", slug="nina-lambert")
    stranger = _trustworthy(first_name="Sam", last_name="Perrin", slug="sam-perrin")
    Invitation.objects.create(sender=friendly, recipient=me)
    Invitation.objects.create(sender=noted, recipient=me, note="We met at the Lyon meetup.")
    Invitation.objects.create(sender=stranger, recipient=me)
    TriageRule.objects.create(owner=me, position=1, name="Old rule", action="hold", conditions=[])

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(me.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/$"))

    page.goto("/network/rules/")
    expect(page.get_by_role("heading", name="My invitation rules")).to_be_visible()
    assert_accessible(page)

    # A preset replaces the rules, after a confirmation that lists what goes.
    page.get_by_role("button", name="Use “Selective”").click()
    expect(page.get_by_role("heading", name="Use the “Selective” preset?")).to_be_visible()
    expect(page.get_by_text("Old rule")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Replace my rules").click()
    expect(page.get_by_text("The “Selective” rules replace your rules.")).to_be_visible()
    expect(page.get_by_role("group", name="Rule 3", exact=True)).to_be_visible()

    # A rule of their own: strangers without a note are declined silently.
    page.get_by_role("button", name="Add a rule").click()
    rule = page.get_by_role("group", name="Rule 4", exact=True)
    rule.get_by_label("Name").fill("Strangers")
    rule.get_by_label("Then").select_option("decline")
    condition = rule.get_by_role("group", name="Condition 1 of rule 4")
    condition.get_by_label("If").select_option("degree")
    condition.get_by_label("Comparison").select_option("is")
    condition.get_by_label("Value").select_option("degree:out")

    # Tried first: nothing changes, each invitation shows the rule that would decide.
    page.get_by_role("button", name="Try on my pending invitations").last.click()
    results = page.locator("#dry-run")
    expect(results).to_contain_text("Of your 3 pending invitations: 2 would be accepted")
    expect(results).to_contain_text("1 declined silently")
    expect(results).to_contain_text("Rule 2 “Shared connections”: 3 mutual connections (≥ 3)")
    expect(results).to_contain_text("Rule 4 “Strangers”: out of your network")
    assert_accessible(page)
    if os.environ.get("ENTREGENT_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "rules.png"), full_page=True)
    assert Invitation.objects.filter(recipient=me, status="pending", triage_action="").count() == 3

    page.get_by_role("button", name="Save rules").click()
    expect(page.get_by_text("Your 4 rules are saved.")).to_be_visible()
    assert list(TriageRule.objects.filter(owner=me).order_by("position").values_list("name", flat=True)) == [
        "Risky senders",
        "Shared connections",
        "Wrote a note",
        "Strangers",
    ]

    # Then applied to the invitations already waiting, after a preview.
    page.get_by_role("link", name="Apply my rules now").click()
    assert_accessible(page)
    page.get_by_role("button", name="Apply now").click()
    expect(page.get_by_text("Your rules sorted 3 pending invitations")).to_be_visible()
    statuses = dict(Invitation.objects.filter(recipient=me).values_list("sender_id", "status"))
    assert statuses == {friendly.pk: "accepted", noted.pk: "accepted", stranger.pk: "ignored"}
