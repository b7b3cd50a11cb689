"""GET and PATCH /api/v1/me/profile: the owner's whole profile, and changes to it."""

from __future__ import annotations

import pytest

from entregent.profiles import services as profile_services
from entregent.profiles.models import SlugChange
from tests.api.conftest import ApiClient, make_token
from tests.factories import ContactFactory, EducationFactory, ExperienceFactory, SkillFactory


def test_my_profile_has_every_section_and_contact_with_its_visibility(alice_api, alice):
    profile = alice.profile
    ExperienceFactory(profile=profile, title="Data engineer", company_name="Acme")
    EducationFactory(profile=profile)
    SkillFactory(profile=profile, name="SQL")
    ContactFactory(profile=profile, kind="email", value="alice@example.org", visibility="me")

    data = alice_api.get("/me/profile").json()

    assert data["display_name"] == "Alice Martin"
    assert data["url"].endswith("/in/alice-martin/")
    assert data["sections"]["experience"][0]["title"] == "Data engineer"
    assert data["sections"]["education"][0]["school"] == "Université de Lyon"
    assert [s["name"] for s in data["sections"]["skills"]] == ["SQL"]
    assert set(data["sections"]) == {
        "experience",
        "education",
        "skills",
        "languages",
        "certifications",
        "projects",
        "volunteering",
    }
    assert data["contacts"] == [
        {
            "id": profile.contacts.get().pk,
            "kind": "email",
            "label": "",
            "value": "alice@example.org",
            "visibility": "me",
        }
    ]
    assert data["open_to"]["work"] == "off"
    assert data["target"] == {"industry": "", "goal": ""}
    assert data["public_sections"]["experience"] is True
    assert data["images"] == {"photo": None, "photo_small": None, "banner": None}
    assert data["slug_changes_left"] == 5


def test_my_profile_reads_in_a_bounded_number_of_queries(alice_api, alice, django_assert_max_num_queries):
    for _ in range(5):
        ExperienceFactory(profile=alice.profile)
        SkillFactory(profile=alice.profile)
        ContactFactory(profile=alice.profile)

    with django_assert_max_num_queries(16):
        assert alice_api.get("/me/profile").status_code == 200


def test_account_without_profile_gets_404(client, db):
    from tests.factories import UserFactory

    admin = UserFactory()

    assert ApiClient(client, make_token(admin)).get("/me/profile").status_code == 404


def test_patch_changes_only_the_fields_sent(alice_api, alice):
    response = alice_api.patch(
        "/me/profile",
        {
            "headline": "Data engineer helping retailers forecast demand",
            "city": "Lyon",
            "country": "FR",
            "industry": "it_services",
            "open_to_work": "recruiters",
            "open_to_mentoring": True,
            "target_industry": "retail",
            "target_goal": "find clients in retail",
            "public_sections": {"skills": False},
        },
    )

    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["headline"] == "Data engineer helping retailers forecast demand"
    assert data["open_to"]["work"] == "recruiters"
    assert data["open_to"]["mentoring"] is True
    assert data["public_sections"]["skills"] is False
    assert data["public_sections"]["experience"] is True
    profile = alice.profile
    profile.refresh_from_db()
    assert (profile.first_name, profile.city, profile.country) == ("Alice", "Lyon", "FR")
    assert profile.target_goal == "find clients in retail"


def test_patch_changes_the_public_url_and_the_old_one_redirects(alice_api, alice, client):
    response = alice_api.patch("/me/profile", {"slug": "alice-data"})

    assert response.status_code == 200
    assert response.json()["slug"] == "alice-data"
    assert response.json()["slug_changes_left"] == 4
    assert SlugChange.objects.filter(old_slug="alice-martin").exists()
    assert client.get("/in/alice-martin/").status_code == 301


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"headline": "x" * 121}, "headline"),
        ({"about": "x" * 2601}, "about"),
        ({"first_name": ""}, "first_name"),
        ({"first_name": "   "}, "first_name"),
        ({"country": "XX"}, "country"),
        ({"industry": "astrology"}, "industry"),
        ({"open_to_work": "maybe"}, "open_to_work"),
        ({"open_to_hiring": "perhaps"}, "open_to_hiring"),
        ({"headline": 42}, "headline"),
        ({"headline": None}, "headline"),
        ({"headline": "nul\x00byte"}, "headline"),
        ({"public_sections": {"secret_section": True}}, "public_sections.secret_section"),
        ({"public_sections": "all"}, "public_sections"),
        ({"favourite_colour": "blue"}, "favourite_colour"),
        ({"slug": "admin"}, "slug"),
        ({"slug": "a"}, "slug"),
        ({"slug": "Not a slug!"}, "slug"),
    ],
)
def test_bad_input_is_refused_field_by_field_and_nothing_is_stored(alice_api, alice, body, field):
    before = alice_api.get("/me/profile").json()

    response = alice_api.patch("/me/profile", body)

    assert response.status_code == 422
    assert field in response.json()["errors"], response.json()
    assert all(response.json()["errors"][field])
    assert alice_api.get("/me/profile").json() == before


def test_one_bad_field_keeps_the_good_ones_from_being_stored(alice_api, alice):
    response = alice_api.patch("/me/profile", {"slug": "alice-new", "country": "XX"})

    assert response.status_code == 422
    alice.profile.refresh_from_db()
    assert alice.profile.slug == "alice-martin"
    assert not SlugChange.objects.exists()


def test_taken_slug_is_refused(alice_api, bob):
    response = alice_api.patch("/me/profile", {"slug": "bob-durand"})

    assert response.status_code == 422
    assert response.json()["errors"]["slug"] == ["This address is already taken. Choose another one."]


def test_sixth_slug_change_is_refused(alice_api, alice):
    for n in range(5):
        profile_services.profile_change_slug(profile=alice.profile, slug=f"alice-{n}")

    response = alice_api.patch("/me/profile", {"slug": "alice-six"})

    assert response.status_code == 422
    assert "180 days" in response.json()["errors"]["slug"][0]
    alice.profile.refresh_from_db()
    assert alice.profile.slug == "alice-4"


def test_field_messages_follow_the_callers_language(client, alice):
    api = ApiClient(client, make_token(alice), language="fr")

    response = api.patch("/me/profile", {"first_name": "", "headline": "x" * 130})

    errors = response.json()["errors"]
    assert errors["first_name"] == ["Ce champ est obligatoire."]
    assert errors["headline"] == [
        "Assurez-vous que cette valeur comporte au plus 120 caractères (actuellement 130)."
    ]


@pytest.mark.parametrize(
    "raw",
    ["{not json", '{"headline": "unterminated', b"\xff\xfe\x00garbage", "[1, 2]", "null", '"text"', "42"],
)
def test_malformed_json_gets_a_4xx_json_answer(alice_api, alice, raw):
    response = alice_api.patch("/me/profile", raw=raw)

    assert response.status_code in (400, 422)
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]
    alice.profile.refresh_from_db()
    assert alice.profile.headline == "Product manager"


def test_invalid_json_says_so(alice_api):
    response = alice_api.patch("/me/profile", raw="{oops")

    assert response.status_code == 400
    assert response.json() == {"detail": "The request body is not valid JSON."}


def test_oversized_body_is_refused_with_413(alice_api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = alice_api.patch("/me/profile", {"about": "x" * 2000})

    assert response.status_code == 413
    assert response.json()["detail"]
