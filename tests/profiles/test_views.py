"""The profile edit pages as a member uses them: the hub and its cards, the section forms, who may
reach them, and pages whose query count does not grow with the profile."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from entregent.profiles.models import (
    Certification,
    ContactDetail,
    Education,
    Experience,
    Language,
    Profile,
    Project,
    Skill,
    SlugChange,
    Volunteering,
)
from entregent.profiles.sections import SECTIONS
from tests.factories import (
    ContactFactory,
    EducationFactory,
    ExperienceFactory,
    SkillFactory,
    connect,
    member,
)
from tests.profiles.test_services import image_upload, media_files

pytestmark = pytest.mark.django_db

CARDS = ["intro", "about", "photo", "banner", "open-to", "target", "public-url", "visibility"]


def profile_of(user) -> Profile:
    return Profile.objects.get(user=user)


def flashes(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- Access ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/in/me/"),
        ("get", "/in/me/edit/"),
        ("get", "/in/me/edit/intro/"),
        ("post", "/in/me/edit/intro/"),
        ("post", "/in/me/edit/photo/"),
        ("post", "/in/me/edit/photo/remove/"),
        ("get", "/in/me/edit/experience/add/"),
        ("post", "/in/me/edit/experience/add/"),
        ("get", "/in/me/edit/experience/1/"),
        ("post", "/in/me/edit/experience/1/delete/"),
        ("post", "/in/me/edit/experience/1/move/"),
    ],
)
def test_logged_out_visitors_are_sent_to_sign_in(client, db, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_me_leads_to_my_own_profile(alice_client):
    response = alice_client.get("/in/me/")
    assert response["Location"] == "/in/alice-martin/"


def test_an_unknown_card_or_section_is_404(alice_client):
    assert alice_client.get("/in/me/edit/salary/").status_code == 404
    assert alice_client.post("/in/me/edit/salary/", {}).status_code == 404
    assert alice_client.post("/in/me/edit/intro/remove/").status_code == 404
    assert alice_client.get("/in/me/edit/salary/add/").status_code == 404


# --- The hub -----------------------------------------------------------------------------------------


def test_the_edit_page_has_a_card_with_a_form_for_each_part_of_the_profile(alice_client):
    response = alice_client.get("/in/me/edit/")
    assert response.status_code == 200
    content = response.content.decode()
    for card in CARDS:
        assert f'id="{card}"' in content
        assert f'action="/in/me/edit/{card}/"' in content
    for card in ("photo", "banner"):
        form = re.search(rf'<form[^>]*action="/in/me/edit/{card}/"[^>]*>', content).group(0)
        assert 'enctype="multipart/form-data"' in form
    for section in SECTIONS:
        assert f'href="/in/me/edit/{section}/add/"' in content


def test_the_edit_page_shows_the_current_values(alice_client, alice):
    Profile.objects.filter(user=alice).update(city="Lyon", country="FR", public_sections={"skills": False})
    content = alice_client.get("/in/me/edit/").content.decode()
    assert 'value="Lyon"' in content
    assert '<option value="FR" selected>' in content
    assert re.search(r'<input type="checkbox" name="section_skills" id="visibility-section_skills">', content)
    assert re.search(r'name="section_about" id="visibility-section_about" checked', content)
    assert 'value="alice-martin"' in content
    assert "You can change it 5 more times in the next 180 days." in content


@pytest.mark.parametrize("card", CARDS)
def test_each_card_can_be_opened_on_its_own_page(alice_client, card):
    response = alice_client.get(f"/in/me/edit/{card}/")
    assert response.status_code == 200
    assert f'<h1 id="{card}-title">' in response.content.decode()


def test_saving_the_intro_updates_the_profile_and_returns_to_its_card(alice_client, alice):
    response = alice_client.post(
        "/in/me/edit/intro/",
        {
            "first_name": "Alice",
            "last_name": "Martin-Roux",
            "headline": "Data engineer helping retailers",
            "city": "Lyon",
            "country": "FR",
            "industry": "software",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/in/me/edit/#intro"
    assert flashes(response) == ["Your intro was saved."]
    profile = profile_of(alice)
    assert (profile.last_name, profile.country, profile.industry) == ("Martin-Roux", "FR", "software")
    page = alice_client.get("/in/alice-martin/").content.decode()
    assert "Data engineer helping retailers" in page
    assert "Lyon, France" in page


def test_about_is_rendered_as_safe_markdown(alice_client, alice):
    about = "I build **data platforms**.\n\n<script>alert(1)</script> [site](javascript:alert(1))"
    response = alice_client.post("/in/me/edit/about/", {"about": about})
    assert response["Location"] == "/in/me/edit/#about"
    assert profile_of(alice).about == about.strip()
    page = alice_client.get("/in/alice-martin/").content.decode()
    assert "<strong>data platforms</strong>" in page
    assert "<script>alert(1)</script>" not in page
    assert 'href="javascript' not in page


def test_open_to_work_for_all_members_shows_on_the_profile(alice_client, alice, bob):
    alice_client.post(
        "/in/me/edit/open-to/",
        {"open_to_work": "all", "open_to_work_titles": "Data engineer", "open_to_mentoring": "on"},
    )
    profile = profile_of(alice)
    assert (profile.open_to_work, profile.open_to_mentoring, profile.open_to_hiring) == ("all", True, False)
    bob_client = Client()
    bob_client.force_login(bob)
    page = bob_client.get("/in/alice-martin/").content.decode()
    assert "Open to work: Data engineer" in page
    assert "avatar--open-to-work" in page


def test_open_to_work_for_recruiters_only_is_not_shown_to_members(alice_client, alice, bob):
    alice_client.post("/in/me/edit/open-to/", {"open_to_work": "recruiters", "open_to_work_titles": "CTO"})
    assert profile_of(alice).open_to_work == "recruiters"
    assert "visible to recruiters only" in alice_client.get("/in/alice-martin/").content.decode()
    bob_client = Client()
    bob_client.force_login(bob)
    assert "Open to work" not in bob_client.get("/in/alice-martin/").content.decode()


def test_the_target_is_saved(alice_client, alice):
    response = alice_client.post(
        "/in/me/edit/target/", {"target_industry": "retail", "target_goal": "find clients"}
    )
    assert response["Location"] == "/in/me/edit/#target"
    profile = profile_of(alice)
    assert (profile.target_industry, profile.target_goal) == ("retail", "find clients")


def test_changing_the_public_url_moves_the_profile_and_redirects_the_old_one(alice_client, alice):
    response = alice_client.post("/in/me/edit/public-url/", {"slug": "Alice-Data"})
    assert response["Location"] == "/in/me/edit/#public-url"
    assert profile_of(alice).slug == "alice-data"
    old = Client().get("/in/alice-martin/")
    assert (old.status_code, old["Location"]) == (301, "/in/alice-data/")
    card = alice_client.get("/in/me/edit/public-url/").content.decode()
    assert "You can change it 4 more times in the next 180 days." in card
    assert "/in/alice-martin/" in card  # the former address, still redirecting


def test_visibility_switches_are_saved(alice_client, alice):
    data = {"public_profile": "on", **{f"section_{s}": "on" for s in ("photo", "headline", "experience")}}
    response = alice_client.post("/in/me/edit/visibility/", data)
    assert response["Location"] == "/in/me/edit/#visibility"
    profile = profile_of(alice)
    assert profile.public_profile is True
    assert profile.public_sections["experience"] is True
    assert profile.public_sections["about"] is False
    assert profile.public_sections["skills"] is False

    alice_client.post("/in/me/edit/visibility/", {})
    assert profile_of(alice).public_profile is False


def test_uploading_a_photo_stores_it_and_shows_it(alice_client, alice, settings):
    response = alice_client.post("/in/me/edit/photo/", {"image": image_upload()})
    assert response["Location"] == "/in/me/edit/#photo"
    assert flashes(response) == ["Your photo was updated."]
    profile = profile_of(alice)
    assert profile.photo and profile.photo_small
    assert len(media_files(settings)) == 2
    hub = alice_client.get("/in/me/edit/").content.decode()
    assert profile.photo.url in hub
    assert "Replace photo" in hub and "Remove photo" in hub


def test_removing_the_photo(alice_client, alice, settings, django_capture_on_commit_callbacks):
    alice_client.post("/in/me/edit/photo/", {"image": image_upload()})
    assert alice_client.get("/in/me/edit/photo/remove/").status_code == 405  # only by a POST
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post("/in/me/edit/photo/remove/")
    assert response["Location"] == "/in/me/edit/#photo"
    assert not profile_of(alice).photo
    assert media_files(settings) == []


def test_uploading_and_removing_a_banner(alice_client, alice, settings, django_capture_on_commit_callbacks):
    response = alice_client.post("/in/me/edit/banner/", {"image": image_upload(size=(2000, 600))})
    assert response["Location"] == "/in/me/edit/#banner"
    banner = profile_of(alice).banner
    assert banner
    assert banner.url in alice_client.get("/in/alice-martin/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post("/in/me/edit/banner/remove/")
    assert not profile_of(alice).banner
    assert media_files(settings) == []


def test_a_safe_next_is_followed_and_an_unsafe_one_ignored(alice_client):
    data = {"target_industry": "retail", "target_goal": ""}
    response = alice_client.post("/in/me/edit/target/", {**data, "next": "/"})
    assert response["Location"] == "/"
    response = alice_client.post("/in/me/edit/target/", {**data, "next": "https://evil.example/"})
    assert response["Location"] == "/in/me/edit/#target"


def test_the_next_page_is_carried_through_the_forms(alice_client):
    content = alice_client.get("/in/me/edit/about/?next=/").content.decode()
    assert '<input type="hidden" name="next" value="/">' in content


def test_the_top_bar_keeps_the_saved_name_when_a_form_is_refused(alice_client):
    response = alice_client.post("/in/me/edit/intro/", {"first_name": "Zed", "last_name": "", "headline": ""})
    assert response.status_code == 422
    menu = re.search(r'<p class="menu__name">([^<]*)</p>', response.content.decode()).group(1)
    assert menu == "Alice Martin"


# --- Sections -------------------------------------------------------------------------------------------


POSITION = {
    "title": "Data engineer",
    "company_name": "Acme",
    "employment_type": "full_time",
    "start_month": "3",
    "start_year": "2019",
    "end_month": "6",
    "end_year": "2022",
    "description": "Built the warehouse.",
}


def test_adding_a_position_shows_it_on_the_profile(alice_client, alice):
    response = alice_client.post("/in/me/edit/experience/add/", POSITION)
    assert response["Location"] == "/in/alice-martin/#experience"
    item = Experience.objects.get(profile=alice.profile)
    assert (item.title, item.start_month, item.end_year) == ("Data engineer", 3, 2022)
    page = alice_client.get("/in/alice-martin/").content.decode()
    assert "Data engineer" in page and "Built the warehouse." in page


def test_the_position_form_names_the_months_and_bounds_the_years(alice_client):
    content = alice_client.get("/in/me/edit/experience/add/").content.decode()
    assert '<option value="1">January</option>' in content
    assert re.search(r'name="start_year" min="1940" max="2100"', content)


@pytest.mark.parametrize("section", ["experience", "projects", "volunteering"])
def test_the_current_checkbox_controls_the_end_date_fields(alice_client, section):
    content = alice_client.get(f"/in/me/edit/{section}/add/").content.decode()
    assert re.search(r'name="is_current"[^>]*data-current-toggle', content)
    assert re.search(r'<select name="end_month"[^>]*data-end-date', content)
    assert re.search(r'name="end_year"[^>]*data-end-date', content)


def test_a_current_position_ignores_an_end_date_sent_anyway(alice_client, alice):
    response = alice_client.post("/in/me/edit/experience/add/", {**POSITION, "is_current": "on"})
    assert response.status_code == 302
    item = Experience.objects.get(profile=alice.profile)
    assert (item.is_current, item.end_month, item.end_year) == (True, None, None)
    assert "Present" in alice_client.get("/in/alice-martin/").content.decode()


def test_an_empty_form_shows_what_is_missing(alice_client):
    response = alice_client.post("/in/me/edit/experience/add/", {})
    assert response.status_code == 422
    assert response.content.decode().count("This field is required.") == 4
    assert not Experience.objects.exists()


def test_editing_a_position(alice_client, alice):
    item = ExperienceFactory(profile=alice.profile)
    page = alice_client.get(f"/in/me/edit/experience/{item.pk}/").content.decode()
    assert 'value="Software engineer"' in page
    response = alice_client.post(f"/in/me/edit/experience/{item.pk}/", {**POSITION, "title": "Lead engineer"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Lead engineer"


def test_deleting_a_position_asks_first(alice_client, alice):
    item = ExperienceFactory(profile=alice.profile)
    confirm = alice_client.get(f"/in/me/edit/experience/{item.pk}/delete/")
    assert confirm.status_code == 200
    assert "You cannot undo this." in confirm.content.decode()
    assert Experience.objects.exists()
    response = alice_client.post(f"/in/me/edit/experience/{item.pk}/delete/")
    assert response["Location"] == "/in/alice-martin/#experience"
    assert not Experience.objects.exists()


def test_moving_a_skill_up(alice_client, alice):
    a, b = SkillFactory(profile=alice.profile, position=0), SkillFactory(profile=alice.profile, position=1)
    response = alice_client.post(f"/in/me/edit/skills/{b.pk}/move/", {"direction": "up"})
    assert response["Location"] == "/in/alice-martin/#skills"
    assert list(Skill.objects.values_list("pk", flat=True)) == [b.pk, a.pk]


def test_the_skill_form_says_how_many_skills_and_pins_are_used(alice_client, alice):
    SkillFactory.create_batch(4, profile=alice.profile)
    SkillFactory(profile=alice.profile, pinned=True)
    content = alice_client.get("/in/me/edit/skills/add/").content.decode()
    assert "You list 5 of at most 50 skills; 1 of 3 are pinned as top skills." in content


def test_the_language_form_offers_the_five_linkedin_levels(alice_client, alice):
    content = alice_client.get("/in/me/edit/languages/add/").content.decode()
    levels = re.findall(r'<option value="([a-z_]+)">', content)
    assert levels == ["elementary", "limited_working", "professional_working", "full_professional", "native"]
    response = alice_client.post(
        "/in/me/edit/languages/add/", {"name": "Deutsch", "proficiency": "limited_working"}
    )
    assert response.status_code == 302
    assert Language.objects.get().get_proficiency_display() == "Limited working proficiency"


@pytest.mark.parametrize(
    ("section", "data", "model"),
    [
        (
            "education",
            {"school": "INSA Lyon", "degree": "Engineer", "start_year": "2010", "end_year": "2015"},
            Education,
        ),
        (
            "certifications",
            {"name": "AWS SA", "authority": "Amazon", "issue_month": "5", "issue_year": "2021"},
            Certification,
        ),
        (
            "projects",
            {"title": "Open data", "start_month": "1", "start_year": "2020", "is_current": "on"},
            Project,
        ),
        (
            "volunteering",
            {"organization": "Restos du Cœur", "role": "Treasurer", "start_year": "2018"},
            Volunteering,
        ),
        ("contacts", {"kind": "website", "value": "example.org", "visibility": "public"}, ContactDetail),
    ],
)
def test_every_section_can_be_added(alice_client, alice, section, data, model):
    response = alice_client.post(f"/in/me/edit/{section}/add/", data)
    assert response.status_code == 302, response.content.decode()
    assert model.objects.filter(profile=alice.profile).count() == 1


def test_a_website_without_scheme_is_stored_as_https(alice_client, alice):
    alice_client.post(
        "/in/me/edit/contacts/add/", {"kind": "website", "value": "example.org", "visibility": "public"}
    )
    assert ContactDetail.objects.get().value == "https://example.org"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/in/me/edit/experience/{pk}/"),
        ("post", "/in/me/edit/experience/{pk}/"),
        ("get", "/in/me/edit/experience/{pk}/delete/"),
        ("post", "/in/me/edit/experience/{pk}/delete/"),
        ("post", "/in/me/edit/experience/{pk}/move/"),
    ],
)
def test_another_members_item_is_404_and_untouched(alice_client, bob, method, path):
    item = ExperienceFactory(profile=bob.profile)
    ExperienceFactory(profile=bob.profile, title="Second")
    response = getattr(alice_client, method)(path.format(pk=item.pk), {**POSITION, "direction": "down"})
    assert response.status_code == 404
    item.refresh_from_db()
    assert (item.title, item.position) == ("Software engineer", 0)
    assert Experience.objects.filter(profile=bob.profile).count() == 2


def test_an_item_is_only_reachable_under_its_own_section(alice_client, alice):
    skill = SkillFactory(profile=alice.profile)
    # The same id under another section is another table: never an edit of the skill.
    response = alice_client.post(f"/in/me/edit/experience/{skill.pk}/delete/")
    assert response.status_code == 404
    assert Skill.objects.filter(pk=skill.pk).exists()


# --- Bounded pages ------------------------------------------------------------------------------------


def fill(profile: Profile, n: int) -> None:
    """`n` items in every section, and contacts of every visibility."""
    ExperienceFactory.create_batch(n, profile=profile, description="Did things.")
    EducationFactory.create_batch(n, profile=profile)
    SkillFactory.create_batch(n, profile=profile)
    for i in range(n):
        Language.objects.create(profile=profile, name=f"Language {i}", proficiency="native", position=i)
        Certification.objects.create(profile=profile, name=f"Cert {i}", authority="Org", position=i)
        Project.objects.create(profile=profile, title=f"Project {i}", start_year=2020, position=i)
        Volunteering.objects.create(profile=profile, organization=f"Org {i}", role="Helper", position=i)
    for visibility in ("me", "connections", "members", "public"):
        ContactFactory.create_batch(n, profile=profile, visibility=visibility)


def count_queries(client, url: str) -> int:
    client.get(url)  # the first request of a session records it; count a steady-state request
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("viewer", ["public", "member", "connection"])
def test_the_profile_page_makes_a_bounded_number_of_queries(
    client, alice, bob, viewer, warm_graph, django_assert_max_num_queries
):
    small = member(first_name="Small", last_name="Profile", slug="small-profile")
    fill(small.profile, 1)
    fill(alice.profile, 40)
    if viewer != "public":
        client.force_login(bob)
    if viewer == "connection":
        connect(bob, alice)
        connect(bob, small)
    warm_graph()
    few = count_queries(client, "/in/small-profile/")
    # the profile's sections, the member card (invitation, follow), the Message button (the member's plan
    # for an open profile, their messaging settings), the top bar's badges and notices
    with django_assert_max_num_queries(33):
        response = client.get("/in/alice-martin/")
    assert "Language 39" in response.content.decode()
    assert count_queries(client, "/in/alice-martin/") == few


def test_my_own_profile_page_makes_a_bounded_number_of_queries(
    client, alice, warm_graph, django_assert_max_num_queries
):
    small = member(first_name="Small", last_name="Profile", slug="small-profile")
    fill(small.profile, 1)
    fill(alice.profile, 40)
    client.force_login(small)
    warm_graph()
    few = count_queries(client, "/in/small-profile/")
    client.force_login(alice)
    # the profile's sections, the member card (invitation, follow), the Message button (the member's plan
    # for an open profile, their messaging settings), the top bar's badges and notices
    with django_assert_max_num_queries(33):
        response = client.get("/in/alice-martin/")
    assert "Language 39" in response.content.decode()
    assert count_queries(client, "/in/alice-martin/") == few


def test_the_edit_page_makes_a_bounded_number_of_queries(alice_client, alice, django_assert_max_num_queries):
    fill(alice.profile, 30)
    for n in range(3):
        SlugChange.objects.create(profile=alice.profile, old_slug=f"alice-old-{n}")
    with django_assert_max_num_queries(16):
        response = alice_client.get("/in/me/edit/")
    assert "30 items" in response.content.decode()
