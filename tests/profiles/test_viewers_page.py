"""The viewers page (/in/me/views/): always the signed-in member's own, limited by their plan (the last 5
viewers on Free, everyone in the history window on paid plans), each viewer shown as they chose to
appear; private browsing costs the list on Free; deactivated viewers vanish; bounded queries."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from entregent.plans.services import plan_assign
from entregent.profiles import services
from entregent.profiles.models import ProfileVisit, ViewerMode
from tests.factories import ExperienceFactory, member

pytestmark = pytest.mark.django_db

URL = "/in/me/views/"


def on_free(user):
    """Past the sign-up trial, on the default (Free) plan."""
    user.date_joined = timezone.now() - dt.timedelta(days=120)
    user.save(update_fields=["date_joined"])
    return user


def on_career(user):
    plan_assign(member=user, plan="career")
    return user


def visit(viewer, viewed, *, days_ago: int = 0, mode: str = ViewerMode.NAME) -> ProfileVisit:
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    at = timezone.now() - dt.timedelta(days=days_ago)
    return ProfileVisit.objects.create(viewer=viewer, viewed=viewed, day=day, viewer_mode=mode, created_at=at)


def viewers(n: int, **fields):
    return [member(first_name=f"Viewer{i:02d}", last_name="Test", **fields) for i in range(n)]


def names_on(html: str) -> list[str]:
    return re.findall(r"Viewer\d\d", html)


def test_logged_out_visitor_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_identified_viewer_appears_with_name_and_headline(client, alice, bob):
    client.force_login(bob)
    client.get("/in/alice-martin/")
    client.force_login(alice)
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bob Durand" in html and 'href="/in/bob-durand/"' in html
    assert "Product manager" in html  # Bob's headline
    assert "1 profile view in the last" in html


def test_semi_private_viewer_shows_only_current_company(client, alice, bob):
    ExperienceFactory(profile=bob.profile, company_name="Globex", is_current=True)
    visit(bob, alice, mode=ViewerMode.SEMI_PRIVATE)
    client.force_login(alice)
    html = client.get(URL).content.decode()
    assert "Someone at Globex" in html
    assert "Bob" not in html and "bob-durand" not in html and "Product manager" not in html


def test_semi_private_viewer_without_current_position_shows_industry(client, alice, bob):
    bob.profile.industry = "software"
    bob.profile.save()
    ExperienceFactory(profile=bob.profile, company_name="OldCo", is_current=False, end_year=2021)
    visit(bob, alice, mode=ViewerMode.SEMI_PRIVATE)
    client.force_login(alice)
    html = client.get(URL).content.decode()
    assert "Someone in " + bob.profile.get_industry_display() in html
    assert "OldCo" not in html and "Bob" not in html


def test_private_viewer_is_an_anonymous_member(client, alice, bob):
    ExperienceFactory(profile=bob.profile, company_name="Globex")
    visit(bob, alice, mode=ViewerMode.PRIVATE)
    client.force_login(alice)
    html = client.get(URL).content.decode()
    assert "Anonymous member" in html
    assert "Bob" not in html and "Globex" not in html


def test_changing_mode_later_does_not_unmask_a_private_view(client, alice, bob):
    visit(bob, alice, mode=ViewerMode.PRIVATE)
    services.profile_set_viewer_mode(profile=bob.profile, viewer_mode=ViewerMode.NAME)
    client.force_login(alice)
    html = client.get(URL).content.decode()
    assert "Anonymous member" in html and "Bob" not in html


def test_free_plan_shows_the_last_five_viewers(client, alice):
    on_free(alice)
    people = viewers(7)
    for age, viewer in enumerate(people):
        visit(viewer, alice, days_ago=age)  # Viewer00 today … Viewer06 six days ago
    client.force_login(alice)
    html = client.get(URL).content.decode()
    assert names_on(html) == ["Viewer00", "Viewer01", "Viewer02", "Viewer03", "Viewer04"]
    assert "2 more members viewed your profile" in html
    assert "7 profile views in the last 90 days" in html


def test_members_beyond_the_free_list_are_counted_once_each(client, alice):
    on_free(alice)
    people = viewers(6)
    for age, viewer in enumerate(people):
        visit(viewer, alice, days_ago=age)
    visit(people[0], alice, days_ago=10, mode=ViewerMode.PRIVATE)  # a second entry, same member
    client.force_login(alice)
    html = client.get(URL).content.decode()
    assert "1 more member viewed your profile" in html


def test_paid_plan_shows_everyone_in_the_window_paginated(client, alice):
    on_career(alice)
    people = viewers(23)
    for age, viewer in enumerate(people):
        visit(viewer, alice, days_ago=age * 10)  # up to 220 days ago: inside Career's 365 days
    visit(member(first_name="Ancient"), alice, days_ago=400)
    client.force_login(alice)
    first = client.get(URL).content.decode()
    second = client.get(URL + "?page=2").content.decode()
    assert names_on(first) == [f"Viewer{i:02d}" for i in range(20)]
    assert names_on(second) == ["Viewer20", "Viewer21", "Viewer22"]
    assert "Ancient" not in first + second
    assert "Page 1 of 2" in first


def test_free_history_window_leaves_out_older_views(client, alice, bob):
    on_free(alice)
    visit(bob, alice, days_ago=100)
    client.force_login(alice)
    html = client.get(URL).content.decode()
    assert "Bob" not in html and "0 profile views in the last 90 days" in html


def test_one_viewer_on_several_days_is_listed_once(client, alice, bob):
    for age in (0, 3, 9):
        visit(bob, alice, days_ago=age)
    client.force_login(alice)
    html = client.get(URL).content.decode()
    assert html.count('class="member-card__name" href="/in/bob-durand/"') == 1
    assert "on 3 days" in html


@pytest.mark.parametrize("mode", [ViewerMode.PRIVATE, ViewerMode.SEMI_PRIVATE])
def test_private_browsing_on_free_loses_the_list_but_keeps_the_count(client, alice, bob, mode):
    on_free(alice)
    services.profile_set_viewer_mode(profile=alice.profile, viewer_mode=mode)
    ExperienceFactory(profile=bob.profile, company_name="Globex")
    visit(bob, alice)
    client.force_login(alice)
    html = client.get(URL).content.decode()
    assert "Bob" not in html and "Globex" not in html
    assert "your plan does not show you who viewed your profile" in html
    assert 'href="/in/me/edit/#profile-viewing"' in html
    assert "1 profile view in the last 90 days" in html


def test_private_browsing_on_a_paid_plan_keeps_the_list(client, alice, bob):
    on_career(alice)
    services.profile_set_viewer_mode(profile=alice.profile, viewer_mode=ViewerMode.PRIVATE)
    visit(bob, alice)
    client.force_login(alice)
    html = client.get(URL).content.decode()
    assert "Bob Durand" in html
    assert "your plan does not show you who viewed your profile" not in html


def test_deactivated_and_deleted_viewers_vanish(client, alice, bob):
    carol = member(first_name="Carol", last_name="Petit")
    visit(bob, alice)
    visit(carol, alice, days_ago=1)
    bob.is_active = False
    bob.save()
    carol.delete()
    client.force_login(alice)
    html = client.get(URL).content.decode()
    assert "Bob" not in html and "Carol" not in html
    assert "0 profile views in the last" in html


def test_the_page_is_always_my_own(client, alice, bob):
    carol = member(first_name="Carol", last_name="Petit")
    visit(carol, alice)
    client.force_login(bob)
    html = client.get(URL).content.decode()
    assert "Carol" not in html
    assert client.get(URL + f"?member={alice.pk}").content.decode().count("Carol") == 0


def test_where_viewers_work_counts_identified_viewers_only(client, alice):
    on_career(alice)
    for viewer in viewers(3):
        ExperienceFactory(profile=viewer.profile, company_name="Globex")
        visit(viewer, alice)
    hidden = member(first_name="Hidden")
    ExperienceFactory(profile=hidden.profile, company_name="Secretcorp")
    visit(hidden, alice, mode=ViewerMode.SEMI_PRIVATE)
    past = member(first_name="Past")
    ExperienceFactory(profile=past.profile, company_name="Formerco", is_current=False, end_year=2022)
    visit(past, alice)
    client.force_login(alice)
    html = client.get(URL).content.decode()
    companies = html.split("Where your viewers work")[1]
    assert "Globex" in companies and "3 viewers" in companies
    assert "Formerco" not in companies
    assert "Secretcorp" not in companies  # shown as "Someone at Secretcorp" in the list, not counted


def test_chart_is_an_accessible_svg_with_a_table(client, alice, bob):
    on_career(alice)
    visit(bob, alice, days_ago=2)
    visit(bob, alice, days_ago=15)
    client.force_login(alice)
    html = client.get(URL).content.decode()
    svg = re.search(r"<svg class=\"viewers-chart__svg\"[^>]*>", html).group(0)
    assert 'role="img"' in svg and "2 views in all" in svg and "last 53 weeks" in svg
    assert html.count('class="viewers-chart__bar"') == 2
    assert "<caption>Profile views per week</caption>" in html
    assert "style=" not in html.split("<main")[1]


@pytest.mark.parametrize("mode", [ViewerMode.NAME, ViewerMode.PRIVATE])
def test_viewers_page_query_count_does_not_grow(client, alice, mode, django_assert_max_num_queries):
    on_career(alice)
    services.profile_set_viewer_mode(profile=alice.profile, viewer_mode=mode)
    client.force_login(alice)

    def add_viewers(n: int) -> None:
        for i, viewer in enumerate(viewers(n)):
            ExperienceFactory(profile=viewer.profile, company_name=f"Company {i % 4}")
            visit(viewer, alice, days_ago=i, mode=[ViewerMode.NAME, ViewerMode.SEMI_PRIVATE][i % 2])

    add_viewers(3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    add_viewers(40)
    with django_assert_max_num_queries(len(few)):
        assert client.get(URL).status_code == 200
    assert len(few) <= 30


def test_own_profile_and_home_link_to_the_viewers_page(client, alice, bob):
    on_free(alice)
    visit(bob, alice)
    client.force_login(alice)
    for page in ("/in/alice-martin/", "/"):
        html = client.get(page).content.decode()
        assert 'href="/in/me/views/"' in html and "1 profile view in the last 90 days" in html


def test_other_members_do_not_see_my_view_count(client, alice, bob):
    visit(bob, alice)
    client.force_login(bob)
    assert 'href="/in/me/views/"' not in client.get("/in/alice-martin/").content.decode()


def test_viewer_mode_card_saves_and_refuses_bad_input(client, alice):
    client.force_login(alice)
    response = client.post("/in/me/edit/profile-viewing/", {"viewer_mode": "invisible"})
    assert response.status_code == 422
    alice.profile.refresh_from_db()
    assert alice.profile.viewer_mode == ViewerMode.NAME
    response = client.post("/in/me/edit/profile-viewing/", {"viewer_mode": "private"})
    assert response.status_code == 302
    alice.profile.refresh_from_db()
    assert alice.profile.viewer_mode == ViewerMode.PRIVATE
    assert "How you appear when you view profiles" in client.get("/in/me/edit/").content.decode()
