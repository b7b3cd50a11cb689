"""Bad input on the profile pages (issue 2, section 9): each gets a clear message on the re-shown
form with HTTP 422, and nothing is stored — no row changed, no file left in MEDIA_ROOT."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from entregent.profiles import services
from entregent.profiles.models import Experience, Profile, Skill, SlugChange
from tests.factories import ContactFactory, SkillFactory
from tests.profiles.test_services import image_upload, media_files

pytestmark = pytest.mark.django_db


def png_with_declared_size(width: int, height: int) -> bytes:
    """A tiny, well-formed PNG whose header claims `width`×`height` pixels: a decompression bomb
    as far as any decoder that trusts the header is concerned."""
    buffer = io.BytesIO()
    Image.new("L", (1, 1)).save(buffer, format="PNG")
    data = bytearray(buffer.getvalue())
    # The IHDR chunk follows the 8-byte signature: length (4), type (4), width (4), height (4), …
    data[16:24] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[12:29])) & 0xFFFFFFFF
    data[29:33] = struct.pack(">I", crc)
    return bytes(data)


def snapshot(user) -> dict:
    """Everything a profile form could change, to compare before and after a refused post."""
    profile = Profile.objects.get(user=user)
    fields = {f.attname: getattr(profile, f.attname) for f in Profile._meta.concrete_fields}
    fields.pop("updated_at")
    fields["photo"], fields["photo_small"], fields["banner"] = (
        str(profile.photo),
        str(profile.photo_small),
        str(profile.banner),
    )
    return fields


def assert_refused(response, message: str) -> None:
    assert response.status_code == 422
    assert message in response.content.decode()


# --- Uploads -----------------------------------------------------------------------------------------

BAD_UPLOADS = [
    pytest.param(
        lambda: SimpleUploadedFile(
            "cv.jpg", b"I am a text file renamed .jpg\n" * 20, content_type="image/jpeg"
        ),
        "This file is not a valid image. Upload a JPEG, PNG or WebP image.",
        id="text-renamed-jpg",
    ),
    pytest.param(
        lambda: SimpleUploadedFile(
            "bomb.png", png_with_declared_size(100_000, 100_000), content_type="image/png"
        ),
        "The image has too many pixels.",
        id="decompression-bomb",
    ),
    pytest.param(
        lambda: SimpleUploadedFile("big.png", png_with_declared_size(8_000, 8_000), content_type="image/png"),
        "The image has too many pixels.",
        id="over-the-pixel-cap",
    ),
    pytest.param(
        lambda: SimpleUploadedFile(
            "huge.jpg", b"\xff\xd8\xff\xe0" + b"0" * (5 * 1024 * 1024), content_type="image/jpeg"
        ),
        "The image is too large: at most 5 MB.",
        id="over-5-MB",
    ),
    pytest.param(
        lambda: image_upload("anim.gif", fmt="GIF"),
        "Upload a JPEG, PNG or WebP image.",
        id="gif",
    ),
    pytest.param(
        lambda: SimpleUploadedFile("empty.jpg", b"", content_type="image/jpeg"),
        "The file you chose is empty.",
        id="empty-file",
    ),
]


@pytest.mark.parametrize("card", ["photo", "banner"])
@pytest.mark.parametrize(("make_upload", "message"), BAD_UPLOADS)
def test_a_bad_image_is_refused_and_nothing_is_stored(
    alice_client, alice, settings, card, make_upload, message
):
    before = snapshot(alice)
    response = alice_client.post(f"/in/me/edit/{card}/", {"image": make_upload()})
    assert_refused(response, message)
    assert f'id="{card}-image_error"' in response.content.decode()  # shown on the field itself
    assert media_files(settings) == []
    assert snapshot(alice) == before


def test_a_fifty_megabyte_upload_is_refused_without_storing_it(alice_client, alice, settings):
    before = snapshot(alice)
    upload = SimpleUploadedFile("fifty.jpg", b"\0" * (50 * 1024 * 1024), content_type="image/jpeg")
    response = alice_client.post("/in/me/edit/photo/", {"image": upload})
    assert_refused(response, "The image is too large: at most 5 MB.")
    assert media_files(settings) == []
    assert snapshot(alice) == before


def test_posting_no_file_asks_for_one(alice_client, alice, settings):
    response = alice_client.post("/in/me/edit/photo/", {})
    assert_refused(response, "Choose an image file to upload.")
    assert media_files(settings) == []


def test_a_bad_upload_keeps_the_current_photo(alice_client, alice, settings):
    alice_client.post("/in/me/edit/photo/", {"image": image_upload()})
    before = (snapshot(alice), media_files(settings))
    assert len(before[1]) == 2
    fake = SimpleUploadedFile("x.jpg", b"GIF89a not really", content_type="image/jpeg")
    assert alice_client.post("/in/me/edit/photo/", {"image": fake}).status_code == 422
    assert (snapshot(alice), media_files(settings)) == before


# --- Identity fields ----------------------------------------------------------------------------------


INTRO = {
    "first_name": "Alice",
    "last_name": "Martin",
    "headline": "Data engineer",
    "city": "Lyon",
    "country": "FR",
}


@pytest.mark.parametrize(
    ("card", "data", "field", "message"),
    [
        ("intro", {**INTRO, "headline": "x" * 121}, "headline", "at most 120 characters"),
        ("intro", {**INTRO, "first_name": "A" * 61}, "first_name", "at most 60 characters"),
        ("intro", {**INTRO, "first_name": "   "}, "first_name", "This field is required."),
        ("intro", {**INTRO, "country": "XX"}, "country", "Choose a country from the list."),
        ("intro", {**INTRO, "industry": "astrology"}, "industry", "Select a valid choice."),
        ("about", {"about": "word " * 521}, "about", "at most 2600 characters"),
        ("open-to", {"open_to_work": "everyone"}, "open_to_work", "Select a valid choice."),
        (
            "open-to",
            {"open_to_work": "all", "open_to_work_titles": "t" * 201},
            "open_to_work_titles",
            "at most 200",
        ),
        (
            "target",
            {"target_industry": "nope", "target_goal": "x"},
            "target_industry",
            "Select a valid choice.",
        ),
        ("target", {"target_goal": "g" * 161}, "target_goal", "at most 160 characters"),
    ],
)
def test_bad_profile_fields_are_refused_and_nothing_changes(alice_client, alice, card, data, field, message):
    before = snapshot(alice)
    response = alice_client.post(f"/in/me/edit/{card}/", data)
    assert_refused(response, message)
    assert f'id="{card}-{field}_error"' in response.content.decode()
    assert snapshot(alice) == before


def test_a_refused_form_keeps_what_was_typed(alice_client):
    response = alice_client.post(
        "/in/me/edit/intro/", {**INTRO, "headline": "h" * 121, "city": "Villeurbanne"}
    )
    content = response.content.decode()
    assert 'value="Villeurbanne"' in content
    assert 'value="' + "h" * 121 + '"' in content


# --- Public URL ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("ab", "Use 3 to 100 characters"),
        ("alice martin", "Use 3 to 100 characters"),
        ("-alice", "Use 3 to 100 characters"),
        ("a" * 101, "at most 100 characters"),
        ("admin", "This address is reserved."),
        ("me", "Use 3 to 100 characters"),
        ("bob-durand", "This address is already taken."),
        ("", "This field is required."),
    ],
)
def test_a_bad_slug_is_refused_and_nothing_changes(alice_client, alice, bob, slug, message):
    before = snapshot(alice)
    response = alice_client.post("/in/me/edit/public-url/", {"slug": slug})
    assert_refused(response, message)
    assert 'id="public-url-slug_error"' in response.content.decode()
    assert snapshot(alice) == before
    assert not SlugChange.objects.exists()


def test_a_sixth_slug_change_is_refused_with_the_date_of_the_next_one(alice_client, alice):
    for n in range(5):
        services.profile_change_slug(profile=alice.profile, slug=f"alice-{n}")
    before = snapshot(alice)
    response = alice_client.post("/in/me/edit/public-url/", {"slug": "alice-six"})
    assert_refused(response, "You can change your public URL at most 5 times in 180 days.")
    assert "Your next change is possible on" in response.content.decode()
    assert snapshot(alice) == before
    assert SlugChange.objects.count() == 5


# --- Sections -------------------------------------------------------------------------------------------


def _position(**overrides) -> dict:
    return {
        "title": "Data engineer",
        "company_name": "Acme",
        "start_month": "3",
        "start_year": "2019",
        "end_month": "6",
        "end_year": "2022",
        **overrides,
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_position(end_year="2018"), "The end date cannot be before the start date."),
        (_position(end_month="1", end_year="2019"), "The end date cannot be before the start date."),
        (
            _position(start_year=str(timezone.localdate().year + 1), end_year="", is_current="on"),
            "The start date cannot be in the future.",
        ),
        (_position(end_month="", end_year=""), "Give an end date, or tick “I currently work here”."),
        (_position(start_year="1800"), "greater than or equal to 1940"),
        (_position(start_month="13"), "Select a valid choice."),
        (_position(title="t" * 121), "at most 120 characters"),
        (_position(description="d" * 2001), "at most 2000 characters"),
        (_position(title=""), "This field is required."),
    ],
)
def test_a_bad_position_is_refused_and_not_stored(alice_client, alice, data, message):
    response = alice_client.post("/in/me/edit/experience/add/", data)
    assert_refused(response, message)
    assert not Experience.objects.exists()


def test_a_bad_edit_leaves_the_position_as_it_was(alice_client, alice):
    item = Experience.objects.create(
        profile=alice.profile,
        title="Analyst",
        company_name="Acme",
        start_month=1,
        start_year=2018,
        is_current=True,
    )
    response = alice_client.post(f"/in/me/edit/experience/{item.pk}/", _position(end_year="2001"))
    assert response.status_code == 422
    item.refresh_from_db()
    assert (item.title, item.start_year, item.end_year, item.is_current) == ("Analyst", 2018, None, True)


def test_a_fourth_pinned_skill_is_refused_with_a_clear_message(alice_client, alice):
    SkillFactory.create_batch(3, profile=alice.profile, pinned=True)
    response = alice_client.post("/in/me/edit/skills/add/", {"name": "Rust", "pinned": "on"})
    assert_refused(response, "You already have 3 top skills. Unpin one of them first")
    assert 'id="id_pinned_error"' in response.content.decode()
    assert Skill.objects.count() == 3


def test_a_fifty_first_skill_is_refused_with_a_clear_message(alice_client, alice):
    SkillFactory.create_batch(50, profile=alice.profile)
    response = alice_client.post("/in/me/edit/skills/add/", {"name": "Rust"})
    assert_refused(response, "You can list at most 50 skills. Remove one before adding another.")
    assert Skill.objects.count() == 50


def test_a_language_level_outside_the_five_is_refused(alice_client, alice):
    response = alice_client.post("/in/me/edit/languages/add/", {"name": "English", "proficiency": "fluent"})
    assert_refused(response, "Select a valid choice.")
    assert not alice.profile.languages.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "email", "value": "not-an-email", "visibility": "members"}, "Enter a valid email address."),
        ({"kind": "phone", "value": "call me", "visibility": "members"}, "Enter a phone number"),
        ({"kind": "website", "value": "javascript:alert(1)", "visibility": "public"}, "Enter a valid URL."),
        ({"kind": "email", "value": "a@example.org", "visibility": "everyone"}, "Select a valid choice."),
    ],
)
def test_a_bad_contact_detail_is_refused(alice_client, alice, data, message):
    response = alice_client.post("/in/me/edit/contacts/add/", data)
    assert_refused(response, message)
    assert not alice.profile.contacts.exists()


def test_a_bad_contact_edit_changes_nothing(alice_client, alice):
    contact = ContactFactory(profile=alice.profile, value="alice@example.org")
    response = alice_client.post(
        f"/in/me/edit/contacts/{contact.pk}/", {"kind": "email", "value": "nope", "visibility": "public"}
    )
    assert response.status_code == 422
    contact.refresh_from_db()
    assert (contact.value, contact.visibility) == ("alice@example.org", "connections")


def test_a_well_formed_position_is_stored(alice_client, alice):
    """The control for the cases above: the same form, filled in correctly, is accepted."""
    response = alice_client.post("/in/me/edit/experience/add/", _position())
    assert response.status_code == 302
    assert Experience.objects.get().end_year == 2022
