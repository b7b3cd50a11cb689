"""Who sees what on a profile page: public section switches, contact details by relation, the
owner's previews, hidden profiles, and former addresses."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from entregent.profiles import selectors, services
from entregent.profiles.models import Profile, SlugChange
from tests.factories import ContactFactory, ExperienceFactory, SkillFactory, connect, member
from tests.profiles.test_services import image_upload

pytestmark = pytest.mark.django_db

CONTACTS = {
    "me": "only-me@example.org",
    "connections": "connections@example.org",
    "members": "members@example.org",
    "public": "public@example.org",
}


@pytest.fixture
def rich_alice(alice):
    """Alice with something in each kind of section, and a contact at each visibility."""
    profile = alice.profile
    Profile.objects.filter(pk=profile.pk).update(
        headline="Data engineer helping retailers", about="I like **clean data**."
    )
    ExperienceFactory(profile=profile, title="Staff engineer", company_name="Acme")
    SkillFactory(profile=profile, name="PostgreSQL")
    for visibility, value in CONTACTS.items():
        ContactFactory(profile=profile, visibility=visibility, value=value)
    return alice


def page(client: Client, url: str = "/in/alice-martin/") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def hide_from_public(user, *sections: str) -> None:
    services.profile_update(profile=user.profile, public_sections=dict.fromkeys(sections, False))


# --- Sections -----------------------------------------------------------------------------------------


def test_the_public_sees_every_section_switched_public(rich_alice):
    content = page(client_for())
    for text in (
        "Data engineer helping retailers",
        "<strong>clean data</strong>",
        "Staff engineer",
        "PostgreSQL",
    ):
        assert text in content


def test_the_public_does_not_see_sections_switched_off(rich_alice, bob):
    hide_from_public(rich_alice, "headline", "about", "skills")
    public = page(client_for())
    assert "Staff engineer" in public
    for hidden in ("Data engineer helping retailers", "clean data", "PostgreSQL"):
        assert hidden not in public
    member_page = page(client_for(bob))
    for shown in ("Data engineer helping retailers", "clean data", "PostgreSQL", "Staff engineer"):
        assert shown in member_page


def test_a_photo_switched_off_is_not_shown_to_the_public(rich_alice, bob):
    services.profile_set_photo(profile=rich_alice.profile, upload=image_upload())
    hide_from_public(rich_alice, "photo")
    url = Profile.objects.get(user=rich_alice).photo.url
    assert url not in page(client_for())
    assert url in page(client_for(bob))


def test_the_owner_previews_exactly_what_the_public_sees(rich_alice):
    hide_from_public(rich_alice, "skills", "about")
    preview = page(client_for(rich_alice), "/in/alice-martin/?view=public")
    assert "You are previewing your profile as:" in preview
    assert "Staff engineer" in preview
    assert "PostgreSQL" not in preview and "clean data" not in preview
    assert "/in/me/edit/experience/" not in preview  # no edit buttons in a preview
    as_member = page(client_for(rich_alice), "/in/alice-martin/?view=member")
    assert "PostgreSQL" in as_member


def test_only_the_owner_can_preview(rich_alice, bob):
    hide_from_public(rich_alice, "skills")
    content = page(client_for(bob), "/in/alice-martin/?view=public")
    assert "PostgreSQL" in content  # Bob is a member: ?view= changes nothing for him
    assert "You are previewing" not in content


# --- Contact details ----------------------------------------------------------------------------------

CONTACTS_SEEN = {
    "public": {"public"},
    "member": {"members", "public"},
    "connection": {"connections", "members", "public"},
    "owner": {"me", "connections", "members", "public"},
}


@pytest.mark.parametrize("viewer", list(CONTACTS_SEEN))
def test_contact_details_follow_their_visibility(rich_alice, bob, viewer):
    if viewer == "connection":
        connect(bob, rich_alice)
    user = {"public": None, "member": bob, "connection": bob, "owner": rich_alice}[viewer]
    content = page(client_for(user))
    seen = {visibility for visibility, value in CONTACTS.items() if value in content}
    assert seen == CONTACTS_SEEN[viewer]


@pytest.mark.parametrize("preview", ["public", "member", "connection"])
def test_the_owner_previews_contact_details_as_each_audience(rich_alice, preview):
    content = page(client_for(rich_alice), f"/in/alice-martin/?view={preview}")
    seen = {visibility for visibility, value in CONTACTS.items() if value in content}
    assert seen == CONTACTS_SEEN[preview]


def test_the_selector_filters_contacts_for_each_relation(rich_alice, bob):
    profile = Profile.objects.get(user=rich_alice)
    as_member = selectors.profile_view_for(bob, profile)
    assert {c.visibility for c in as_member.contacts} == {"members", "public"}
    connect(bob, rich_alice)
    as_connection = selectors.profile_view_for(bob, Profile.objects.get(user=rich_alice))
    assert {c.visibility for c in as_connection.contacts} == {"connections", "members", "public"}


# --- Hidden profiles -----------------------------------------------------------------------------------


def test_a_profile_hidden_from_the_public_is_404_when_logged_out(rich_alice, bob):
    services.profile_update(profile=rich_alice.profile, public_profile=False)
    assert client_for().get("/in/alice-martin/").status_code == 404
    assert "Staff engineer" in page(client_for(bob))


def test_the_owner_previewing_a_hidden_profile_as_the_public_is_told_so(rich_alice):
    services.profile_update(profile=rich_alice.profile, public_profile=False)
    content = page(client_for(rich_alice), "/in/alice-martin/?view=public")
    assert "Your profile is hidden from this audience" in content
    assert "Staff engineer" not in content
    assert 'href="/in/me/edit/#visibility"' in content


def test_a_hidden_profile_is_left_out_of_public_search(rich_alice, bob):
    services.profile_update(profile=rich_alice.profile, public_profile=False)
    assert list(selectors.member_search(None, "alice")) == []
    assert [p.slug for p in selectors.member_search(bob, "alice")] == ["alice-martin"]


def test_a_deactivated_members_profile_is_404_for_everyone(rich_alice, bob):
    rich_alice.is_active = False
    rich_alice.save()
    assert client_for().get("/in/alice-martin/").status_code == 404
    assert client_for(bob).get("/in/alice-martin/").status_code == 404


def test_an_unknown_slug_is_404(db):
    assert client_for().get("/in/nobody-here/").status_code == 404


def test_a_profile_has_one_canonical_address(rich_alice):
    response = client_for().get("/in/Alice-Martin/?view=public")
    assert (response.status_code, response["Location"]) == (301, "/in/alice-martin/?view=public")
    assert '<link rel="canonical" href="http://testserver/in/alice-martin/">' in page(client_for())


# --- Former addresses ----------------------------------------------------------------------------------


def test_a_former_address_redirects_permanently_for_180_days(rich_alice):
    services.profile_change_slug(profile=rich_alice.profile, slug="alice-data")
    response = client_for().get("/in/alice-martin/?utm=card")
    assert (response.status_code, response["Location"]) == (301, "/in/alice-data/?utm=card")

    SlugChange.objects.update(changed_at=timezone.now() - dt.timedelta(days=179))
    assert client_for().get("/in/alice-martin/").status_code == 301


def test_after_180_days_a_former_address_is_404_and_free_to_take(rich_alice):
    services.profile_change_slug(profile=rich_alice.profile, slug="alice-data")
    SlugChange.objects.update(changed_at=timezone.now() - dt.timedelta(days=181))
    assert client_for().get("/in/alice-martin/").status_code == 404

    other = member(first_name="Alice", last_name="Martin", slug="alice-martin-2")
    services.profile_change_slug(profile=other.profile, slug="alice-martin")
    content = page(client_for())
    assert Profile.objects.get(slug="alice-martin").user == other
    assert "Staff engineer" not in content


def test_a_former_address_follows_later_changes(rich_alice):
    services.profile_change_slug(profile=rich_alice.profile, slug="alice-data")
    services.profile_change_slug(profile=rich_alice.profile, slug="alice-retail")
    response = client_for().get("/in/alice-martin/")
    assert response["Location"] == "/in/alice-retail/"


def test_a_former_address_of_a_hidden_profile_does_not_reveal_it(rich_alice, bob):
    services.profile_update(profile=rich_alice.profile, public_profile=False)
    services.profile_change_slug(profile=rich_alice.profile, slug="alice-data")
    assert client_for().get("/in/alice-martin/").status_code == 404
    response = client_for(bob).get("/in/alice-martin/")
    assert (response.status_code, response["Location"]) == (301, "/in/alice-data/")
