"""The "My plan" page: what a member may do, how they got their plan, what is used and left, when it comes
back, what would unlock more; and the trial banner at the top of every page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import formats, timezone

from entregent import plans
from entregent.plans.models import Plan
from entregent.plans.services import plan_assign
from tests.factories import EducationFactory, ExperienceFactory, SkillFactory, member
from tests.plans.conftest import veteran

pytestmark = pytest.mark.django_db


def _page(client, user):
    client.force_login(user)
    response = client.get("/plans/")
    assert response.status_code == 200
    return response, response.content.decode()


def _quota_block(html: str, code: str) -> str:
    match = re.search(
        rf'<li class="quota" id="[^"]*" data-quota="{re.escape(code)}">(.*?)</li>\s*(?=<li class="quota"|</ul>\s*</section>)',
        html,
        re.S,
    )
    assert match, code
    return match.group(1)


def _feature_block(html: str, code: str) -> str:
    match = re.search(rf'data-feature="{re.escape(code)}">(.*?)</li>', html, re.S)
    assert match, code
    return match.group(1)


def test_logged_out_visitor_is_sent_to_login(client):
    response = client.get("/plans/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_free_member_sees_the_free_plan_and_their_numbers(client):
    user = veteran(country="FR")
    plans.consume(user, "invitations.weekly", n=3)
    response, html = _page(client, user)

    assert 'data-plan="free"' in html
    assert 'data-source="default"' in html
    assert "This is the plan every member gets" in html
    limit = plans.limit(user, "invitations.weekly")
    block = _quota_block(html, "invitations.weekly")
    assert (
        f'<span class="quota__used">3</span> used, <span class="quota__left">{limit - 3}</span> left' in block
    )
    # When it comes back: next Monday, in the instance's time zone, written the local way.
    resets = response.context["my_plan"].data["quotas"][0]["resets_at"]
    assert (
        formats.date_format(timezone.localtime(dt.datetime.fromisoformat(resets)), "DATETIME_FORMAT") in block
    )
    assert "/plans/billing/" in html
    assert "See plans and prices" in html


def test_locked_features_say_which_plan_unlocks_them(client):
    _response, html = _page(client, veteran())
    inmail = _feature_block(html, "inmail.send")
    assert "No</span>" in inmail
    assert "Unlocked by:" in inmail and "Career plan" in inmail
    leads = _feature_block(html, "prospecting.lead_lists")
    assert "Sales plan" in leads and "Career plan" not in leads
    note = _feature_block(html, "invitations.note")
    assert "Yes</span>" in note and "Unlocked by" not in note


def test_member_on_trial_sees_the_trial_and_its_end_date(client, alice):
    response, html = _page(client, alice)
    ends = alice.date_joined + dt.timedelta(days=30)
    date = formats.date_format(timezone.localtime(ends), "DATE_FORMAT")
    assert 'data-plan="career"' in html and 'data-source="trial"' in html
    assert f"It ends on {date}, in 30 days." in html
    # Features the trial gives and the free plan does not are marked as ending with it.
    assert f"Included in your trial until {date}; not on the free plan." in _feature_block(
        html, "inmail.send"
    )
    assert "not on the free plan" not in _feature_block(html, "invitations.note")
    assert "After your trial: 100 on the free plan" in _quota_block(html, "invitations.weekly")
    # The page itself says it all: no banner on top of it.
    assert "trial-banner" not in html


def test_paying_member_sees_their_plan_and_the_subscription_link(client):
    user = veteran()
    plan_assign(member=user, plan="business")
    _response, html = _page(client, user)
    assert 'data-plan="business"' in html and 'data-source="assignment"' in html
    assert "Manage my subscription" in html
    assert "Yes</span>" in _feature_block(html, "search.advanced_filters")
    assert "Unlocked by:" in _feature_block(html, "prospecting.notes")
    # A paid plan wins over the trial, even for a new member.
    new = member()
    plan_assign(member=new, plan="sales")
    _response, html = _page(client, new)
    assert 'data-plan="sales"' in html and "It is your free trial" not in html


def test_completeness_multiplier_is_explained_with_a_link_to_the_coach(client):
    user = veteran()  # a bare profile: Beginner, half the invitations
    _response, html = _page(client, user)
    block = _quota_block(html, "invitations.weekly")
    assert "Beginner profile: ×0.5 of 100 invitations a week" in block
    assert "Complete your profile to reach Intermediate and unlock 80 invitations a week" in block
    assert 'href="/in/me/edit/"' in block
    assert 'class="my-plan__level">Beginner<' in html


def test_region_shows_zone_and_prices_tax_included(client):
    _response, html = _page(client, veteran(country="CH"))
    assert "“Switzerland” pricing zone" in html
    # Career in Switzerland: 39.90 + 8.1 % tax = 43.13 CHF a month.
    assert re.search(r'data-plan="career"><th scope="row">Career</th>\s*<td>43\.13 CHF</td>', html)


def test_quota_chart_is_an_accessible_svg_without_inline_styles(client):
    user = veteran()
    Plan.objects.get(code="free").quotas.filter(quota="search.monthly").update(limit=10)
    plans.consume(user, "search.monthly", n=4)
    response, html = _page(client, user)
    assert re.search(r'<svg class="bar-chart__svg"[^>]*role="img"[^>]*aria-label="Quota use', html)
    assert "style=" not in html
    chart = response.context["my_plan"].chart
    row = next(r for r in chart.rows if r.label == "Searches")
    assert (row.value, row.total, row.width) == (4, 10, round(chart.track_width * 0.4))
    assert '<th scope="row">Searches</th><td>4 / 10</td>' in html  # the visually-hidden table


def test_page_reads_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    user = veteran(country="FR")
    for index in range(3):
        ExperienceFactory(
            profile=user.profile, title=f"Job {index}", is_current=index == 0, start_year=2015 + index
        )
        SkillFactory(profile=user.profile, name=f"Skill {index}")
    EducationFactory(profile=user.profile)
    for code in ("invitations.weekly", "search.monthly", "introductions.pending"):
        plans.consume(user, code)
    client.force_login(user)
    client.get("/plans/")
    with django_assert_max_num_queries(40) as captured:
        client.get("/plans/")
    few = len(captured)
    for _ in range(5):
        plans.consume(user, "invitations.weekly")
        ExperienceFactory(profile=user.profile, title="More", is_current=False, start_year=2010)
    with django_assert_max_num_queries(few):
        client.get("/plans/")


def test_trial_banner_shows_on_other_pages_and_grows_in_the_last_days(client, alice):
    client.force_login(alice)
    html = client.get("/").content.decode()
    ends = formats.date_format(timezone.localtime(alice.date_joined + dt.timedelta(days=30)), "DATE_FORMAT")
    assert f"Your Career trial ends on {ends}." in html
    assert "trial-banner--ending" not in html

    alice.date_joined = timezone.now() - dt.timedelta(days=27)
    alice.save(update_fields=["date_joined"])
    html = client.get("/").content.decode()
    assert "trial-banner--ending" in html
    assert re.search(r"Your Career trial ends on [^:]+: \d days? left\.", html)


def test_no_trial_banner_after_the_trial_or_with_a_plan(client):
    user = veteran()
    client.force_login(user)
    assert "trial-banner" not in client.get("/").content.decode()
    new = member()
    plan_assign(member=new, plan="career")
    client.force_login(new)
    assert "trial-banner" not in client.get("/").content.decode()


def test_me_menu_links_to_my_plan(alice_client):
    assert 'href="/plans/"' in alice_client.get("/").content.decode()
