"""POST/PATCH/DELETE /api/v1/me/profile/<section>[/<id>]: the same forms and services as the site."""

from __future__ import annotations

import pytest

from entregent.profiles.models import Certification, Skill
from entregent.profiles.sections import SECTIONS
from tests.factories import ContactFactory, ExperienceFactory, SkillFactory

VALID = {
    "experience": {
        "title": "Data engineer",
        "company_name": "Acme",
        "start_month": 3,
        "start_year": 2019,
        "is_current": True,
    },
    "education": {"school": "INSA Lyon", "degree": "Engineer", "start_year": 2010, "end_year": 2015},
    "skills": {"name": "SQL", "pinned": True},
    "languages": {"name": "German", "proficiency": "professional_working"},
    "certifications": {
        "name": "AWS Solutions Architect",
        "authority": "Amazon",
        "issue_month": 5,
        "issue_year": 2021,
    },
    "projects": {"title": "Demand forecasting", "url": "https://example.org/forecast"},
    "volunteering": {
        "organization": "Restos du cœur",
        "role": "Treasurer",
        "start_month": 1,
        "start_year": 2018,
        "end_month": 6,
        "end_year": 2020,
    },
    "contacts": {"kind": "phone", "value": "+33 6 12 34 56 78", "visibility": "members"},
}


def test_every_section_of_the_registry_can_be_edited_through_the_api():
    assert set(VALID) == set(SECTIONS)


@pytest.mark.parametrize("section", sorted(VALID))
def test_add_an_item_to_each_section(alice_api, alice, section):
    response = alice_api.post(f"/me/profile/{section}", VALID[section])

    assert response.status_code == 201, response.json()
    item = SECTIONS[section].model.objects.get(profile=alice.profile)
    assert response.json()["id"] == item.pk
    for name, value in VALID[section].items():
        assert response.json()[name] == value


def test_added_item_shows_in_my_profile(alice_api):
    alice_api.post("/me/profile/skills", {"name": "Forecasting"})

    assert [s["name"] for s in alice_api.get("/me/profile").json()["sections"]["skills"]] == ["Forecasting"]


def test_patch_changes_only_the_fields_sent(alice_api, alice):
    job = ExperienceFactory(
        profile=alice.profile, title="Analyst", company_name="Acme", description="Reports"
    )

    response = alice_api.patch(f"/me/profile/experience/{job.pk}", {"title": "Lead analyst"})

    assert response.status_code == 200, response.json()
    job.refresh_from_db()
    assert (job.title, job.company_name, job.description) == ("Lead analyst", "Acme", "Reports")


def test_delete_removes_the_item(alice_api, alice):
    skill = SkillFactory(profile=alice.profile)

    response = alice_api.delete(f"/me/profile/skills/{skill.pk}")

    assert response.status_code == 204
    assert not Skill.objects.filter(pk=skill.pk).exists()


def test_move_changes_the_order(alice_api, alice):
    first = SkillFactory(profile=alice.profile, name="A", position=0)
    second = SkillFactory(profile=alice.profile, name="B", position=1)

    response = alice_api.post(f"/me/profile/skills/{second.pk}/move", {"direction": "up"})

    assert response.status_code == 204
    names = [s["name"] for s in alice_api.get("/me/profile").json()["sections"]["skills"]]
    assert names == ["B", "A"]
    first.refresh_from_db()
    assert first.position == 1


@pytest.mark.parametrize(
    ("path", "method", "body"),
    [
        ("/me/profile/experience/{pk}", "patch", {"title": "Hijacked"}),
        ("/me/profile/experience/{pk}", "delete", None),
        ("/me/profile/experience/{pk}/move", "post", {"direction": "down"}),
    ],
)
def test_another_members_item_is_404_and_untouched(alice_api, bob, path, method, body):
    job = ExperienceFactory(profile=bob.profile, title="Bob's job")

    kwargs = {"body": body} if body is not None else {}
    response = getattr(alice_api, method)(path.format(pk=job.pk), **kwargs)

    assert response.status_code == 404
    job.refresh_from_db()
    assert job.title == "Bob's job"


def test_an_item_of_another_section_is_404(alice_api, alice):
    skill = SkillFactory(profile=alice.profile)

    assert alice_api.delete(f"/me/profile/experience/{skill.pk}").status_code == 404
    assert Skill.objects.filter(pk=skill.pk).exists()


def test_unknown_item_id_is_404(alice_api):
    assert alice_api.delete("/me/profile/skills/999999").status_code == 404


def test_logged_out_caller_cannot_add(anonymous_api, alice):
    assert anonymous_api.post("/me/profile/skills", {"name": "SQL"}).status_code == 401
    assert not Skill.objects.exists()


@pytest.mark.parametrize(
    ("section", "body", "field"),
    [
        ("experience", {**VALID["experience"], "is_current": False}, "end_year"),
        (
            "experience",
            {**VALID["experience"], "is_current": False, "end_month": 1, "end_year": 2010},
            "end_year",
        ),
        ("experience", {**VALID["experience"], "start_year": 2099}, "start_year"),
        ("experience", {**VALID["experience"], "title": "x" * 121}, "title"),
        ("experience", {**VALID["experience"], "start_month": 13}, "start_month"),
        ("experience", {**VALID["experience"], "start_year": "soon"}, "start_year"),
        ("experience", {"company_name": "Acme"}, "title"),
        ("education", {"school": "INSA", "start_year": 2015, "end_year": 2010}, "end_year"),
        ("languages", {"name": "German", "proficiency": "fluent-ish"}, "proficiency"),
        ("contacts", {"kind": "email", "value": "not an email"}, "value"),
        ("contacts", {"kind": "website", "value": "javascript:alert(1)"}, "value"),
        ("contacts", {"kind": "phone", "value": "call me"}, "value"),
        ("contacts", {"kind": "fax", "value": "+33 1 23 45 67 89"}, "kind"),
        ("projects", {"title": "P", "url": "not a url"}, "url"),
        ("skills", {"name": "SQL", "extra": 1}, "extra"),
    ],
)
def test_bad_item_is_refused_with_field_messages_and_nothing_is_stored(
    alice_api, alice, section, body, field
):
    response = alice_api.post(f"/me/profile/{section}", body)

    assert response.status_code == 422, response.json()
    assert response.json()["errors"][field]
    assert not SECTIONS[section].model.objects.exists()


def test_certification_issued_in_the_future_is_refused_not_a_crash(alice_api):
    body = {"name": "Future cert", "authority": "Acme", "issue_month": 1, "issue_year": 2099}

    response = alice_api.post("/me/profile/certifications", body)

    assert response.status_code == 422
    assert response.json()["errors"]
    assert not Certification.objects.exists()


def test_bad_patch_leaves_the_item_unchanged(alice_api, alice):
    job = ExperienceFactory(
        profile=alice.profile, start_year=2015, is_current=False, end_month=1, end_year=2018
    )

    response = alice_api.patch(f"/me/profile/experience/{job.pk}", {"end_year": 2001})

    assert response.status_code == 422
    job.refresh_from_db()
    assert job.end_year == 2018


def test_duplicate_skill_is_refused(alice_api, alice):
    SkillFactory(profile=alice.profile, name="SQL")

    response = alice_api.post("/me/profile/skills", {"name": "sql"})

    assert response.status_code == 422
    assert response.json()["errors"]["name"] == ["This skill is already on your profile."]


def test_fourth_pinned_skill_is_refused(alice_api, alice):
    for name in ("A", "B", "C"):
        SkillFactory(profile=alice.profile, name=name, pinned=True)

    response = alice_api.post("/me/profile/skills", {"name": "D", "pinned": True})

    assert response.status_code == 422
    assert "pinned" in response.json()["errors"]
    assert alice.profile.skills.count() == 3


def test_contact_visibility_can_be_changed(alice_api, alice):
    contact = ContactFactory(profile=alice.profile, visibility="connections")

    response = alice_api.patch(f"/me/profile/contacts/{contact.pk}", {"visibility": "public"})

    assert response.status_code == 200
    contact.refresh_from_db()
    assert contact.visibility == "public"


def test_item_id_out_of_range_is_a_4xx_not_a_crash(alice_api, alice):
    SkillFactory(profile=alice.profile)

    response = alice_api.delete(f"/me/profile/skills/{2**70}")

    assert response.status_code == 422
    assert response.json()["errors"]["item_id"]
    assert Skill.objects.count() == 1
