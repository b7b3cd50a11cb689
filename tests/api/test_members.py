"""GET /api/v1/members/{slug}: another member's profile, filtered by the same policy as the page."""

from __future__ import annotations

import pytest

from entregent.profiles import services as profile_services
from tests.api.conftest import ApiClient, make_token
from tests.factories import ContactFactory, ExperienceFactory, SkillFactory, connect, member


@pytest.fixture
def carol(db):
    """A member with something in every visibility bucket."""
    user = member(first_name="Carol", last_name="Petit", slug="carol-petit", headline="Retail buyer")
    profile = user.profile
    profile.about = "Buying for 40 stores."
    profile.open_to_work = "all"
    profile.open_to_work_titles = "Head of buying"
    profile.open_to_hiring = True
    profile.save()
    ExperienceFactory(profile=profile, title="Buyer")
    SkillFactory(profile=profile, name="Negotiation")
    for visibility in ("me", "connections", "members", "public"):
        ContactFactory(
            profile=profile, kind="email", value=f"{visibility}@carol.example", visibility=visibility
        )
    return user


def _contacts(data) -> set[str]:
    return {c["value"].split("@")[0] for c in data["contacts"]}


def test_logged_out_caller_sees_the_public_profile(anonymous_api, carol):
    response = anonymous_api.get("/members/carol-petit")

    assert response.status_code == 200
    data = response.json()
    assert data["relation"] == "public"
    assert data["display_name"] == "Carol Petit"
    assert data["headline"] == "Retail buyer"
    assert data["sections"]["experience"][0]["title"] == "Buyer"
    assert _contacts(data) == {"public"}
    assert data["open_to"] is None


def test_member_sees_member_contacts_but_not_connection_ones(alice_api, carol):
    data = alice_api.get("/members/carol-petit").json()

    assert data["relation"] == "member"
    assert _contacts(data) == {"members", "public"}
    assert data["open_to"] == {
        "work": True,
        "work_titles": "Head of buying",
        "hiring": True,
        "mentoring": False,
        "business": False,
    }


def test_connection_sees_connection_contacts(alice_api, alice, carol):
    connect(alice, carol)

    data = alice_api.get("/members/carol-petit").json()

    assert data["relation"] == "connection"
    assert _contacts(data) == {"connections", "members", "public"}


def test_owner_sees_everything_and_can_preview_as_the_public(client, carol):
    api = ApiClient(client, make_token(carol))

    assert _contacts(api.get("/members/carol-petit").json()) == {"me", "connections", "members", "public"}
    preview = api.get("/members/carol-petit", view="public").json()
    assert preview["relation"] == "public"
    assert _contacts(preview) == {"public"}


def test_preview_parameter_does_nothing_for_other_members(alice_api, carol):
    data = alice_api.get("/members/carol-petit", view="connection").json()

    assert data["relation"] == "member"
    assert "connections" not in _contacts(data)


def test_sections_hidden_from_the_public_are_empty_for_logged_out_callers(anonymous_api, alice_api, carol):
    profile_services.profile_update(
        profile=carol.profile, public_sections={"experience": False, "headline": False, "about": False}
    )

    public = anonymous_api.get("/members/carol-petit").json()
    assert public["sections"]["experience"] == []
    assert public["headline"] is None
    assert public["about"] is None
    assert public["sections"]["skills"][0]["name"] == "Negotiation"
    member_view = alice_api.get("/members/carol-petit").json()
    assert member_view["sections"]["experience"][0]["title"] == "Buyer"
    assert member_view["headline"] == "Retail buyer"


def test_recruiters_only_open_to_work_is_not_shown_to_members(alice_api, carol):
    profile_services.profile_update(profile=carol.profile, open_to_work="recruiters")

    data = alice_api.get("/members/carol-petit").json()

    assert data["open_to"]["work"] is False
    assert data["open_to"]["work_titles"] == ""


def test_profile_not_public_is_404_for_logged_out_callers_only(anonymous_api, alice_api, carol):
    profile_services.profile_update(profile=carol.profile, public_profile=False)

    assert anonymous_api.get("/members/carol-petit").status_code == 404
    assert alice_api.get("/members/carol-petit").status_code == 200


def test_deactivated_member_is_404(alice_api, carol):
    carol.is_active = False
    carol.save()

    assert alice_api.get("/members/carol-petit").status_code == 404


def test_unknown_slug_is_404(alice_api):
    response = alice_api.get("/members/nobody-here")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize("slug", ["a" * 101, "bad%00slug", "%C3%A9t%C3%A9", "semi;colon"])
def test_slug_that_cannot_exist_is_404(alice_api, slug):
    assert alice_api.get(f"/members/{slug}").status_code == 404


def test_slug_is_case_insensitive(alice_api, carol):
    assert alice_api.get("/members/Carol-Petit").json()["slug"] == "carol-petit"


def test_former_slug_redirects_permanently(alice_api, carol):
    profile_services.profile_change_slug(profile=carol.profile, slug="carol-buyer")

    response = alice_api.get("/members/carol-petit")

    assert response.status_code == 301
    assert response["Location"] == "/api/v1/members/carol-buyer"


def test_member_profile_reads_in_a_bounded_number_of_queries(alice_api, carol, django_assert_max_num_queries):
    for _ in range(5):
        ExperienceFactory(profile=carol.profile)
        SkillFactory(profile=carol.profile)

    with django_assert_max_num_queries(16):
        assert alice_api.get("/members/carol-petit").status_code == 200


def test_photo_hidden_from_the_public_has_no_url(anonymous_api, carol):
    profile = carol.profile
    profile.photo.name = "photos/carol.jpg"
    profile.photo_small.name = "photos/carol-s.jpg"
    profile.save()
    profile_services.profile_update(profile=profile, public_sections={"photo": False})

    images = anonymous_api.get("/members/carol-petit").json()["images"]

    assert images["photo"] is None and images["photo_small"] is None
