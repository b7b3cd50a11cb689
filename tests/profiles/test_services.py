"""Profile writes: each service saves what it should, refuses what it should, and leaves nothing
half-done."""

from __future__ import annotations

import datetime as dt
import io
import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from entregent.profiles import services
from entregent.profiles.models import (
    Education,
    Experience,
    Language,
    Profile,
    Skill,
    SlugChange,
)
from tests.factories import ExperienceFactory, SkillFactory, member

pytestmark = pytest.mark.django_db


# --- Helpers shared by the profile tests ------------------------------------------------------------


def image_upload(
    name: str = "photo.jpg", *, size: tuple[int, int] = (800, 600), fmt: str = "JPEG", exif: bool = False
) -> SimpleUploadedFile:
    """A real image file as a browser would upload it."""
    image = Image.new("RGB", size, (200, 80, 40))
    buffer = io.BytesIO()
    options = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCam"  # Make
        data[0x0131] = "GPS-leaking editor"  # Software
        options["exif"] = data.tobytes()
    image.save(buffer, format=fmt, **options)
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}[fmt]
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


def media_files(settings) -> list[str]:
    """Every file under MEDIA_ROOT, relative to it."""
    found = []
    for root, _dirs, files in os.walk(settings.MEDIA_ROOT):
        found += [os.path.relpath(os.path.join(root, name), settings.MEDIA_ROOT) for name in files]
    return sorted(found)


def profile_of(user) -> Profile:
    return Profile.objects.get(user=user)


def _ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


# --- Identity ----------------------------------------------------------------------------------------


def test_profile_update_saves_trimmed_fields_and_refreshes_search_text(alice):
    services.profile_update(
        profile=alice.profile,
        first_name="  Alicia ",
        headline=" Data engineer helping retailers ",
        city="Lyon",
        country="FR",
        industry="software",
    )
    profile = profile_of(alice)
    assert profile.first_name == "Alicia"
    assert profile.headline == "Data engineer helping retailers"
    assert (profile.city, profile.country, profile.industry) == ("Lyon", "FR", "software")
    assert "alicia" in profile.search_text and "retailers" in profile.search_text


def test_profile_update_refuses_an_overlong_headline_and_changes_nothing(alice):
    with pytest.raises(ValidationError) as error:
        services.profile_update(profile=alice.profile, headline="x" * 121, city="Lyon")
    assert "headline" in error.value.message_dict
    profile = profile_of(alice)
    assert profile.headline == "Product manager"
    assert profile.city == ""


def test_profile_update_refuses_an_unknown_country(alice):
    with pytest.raises(ValidationError) as error:
        services.profile_update(profile=alice.profile, country="XX")
    assert error.value.message_dict["country"] == ["Choose a country from the list."]
    assert profile_of(alice).country == ""


def test_profile_update_refuses_an_unknown_public_section(alice):
    with pytest.raises(ValidationError):
        services.profile_update(profile=alice.profile, public_sections={"salary": True})
    assert "salary" not in profile_of(alice).public_sections


def test_profile_update_merges_public_section_switches(alice):
    services.profile_update(profile=alice.profile, public_sections={"skills": False})
    sections = profile_of(alice).public_sections
    assert sections["skills"] is False
    assert sections["experience"] is True


# --- Public URL ---------------------------------------------------------------------------------------


def test_changing_the_slug_keeps_the_old_one_as_a_redirect(alice):
    services.profile_change_slug(profile=alice.profile, slug="Alice-Data")
    profile = profile_of(alice)
    assert profile.slug == "alice-data"
    assert list(profile.slug_changes.values_list("old_slug", flat=True)) == ["alice-martin"]


@pytest.mark.parametrize(
    ("slug", "code"),
    [
        ("ab", "invalid"),
        ("-alice", "invalid"),
        ("alice-", "invalid"),
        ("alice--martin", "invalid"),
        ("alice_martin", "invalid"),
        ("élodie", "invalid"),
        ("a" * 101, "invalid"),
        ("admin", "reserved"),
        ("settings", "reserved"),
        ("bob-durand", "taken"),
        ("BOB-DURAND", "taken"),
    ],
)
def test_invalid_reserved_or_taken_slugs_are_refused(alice, bob, slug, code):
    with pytest.raises(ValidationError) as error:
        services.profile_change_slug(profile=alice.profile, slug=slug)
    assert error.value.code == code
    assert profile_of(alice).slug == "alice-martin"
    assert not SlugChange.objects.exists()


def test_a_slug_left_by_someone_else_is_held_for_180_days(alice, bob):
    services.profile_change_slug(profile=bob.profile, slug="bob-new")
    with pytest.raises(ValidationError) as error:
        services.profile_change_slug(profile=alice.profile, slug="bob-durand")
    assert error.value.code == "taken"

    SlugChange.objects.update(changed_at=_ago(181))
    services.profile_change_slug(profile=alice.profile, slug="bob-durand")
    assert profile_of(alice).slug == "bob-durand"


def test_a_member_may_take_back_their_own_former_slug(alice):
    services.profile_change_slug(profile=alice.profile, slug="alice-data")
    services.profile_change_slug(profile=alice.profile, slug="alice-martin")
    profile = profile_of(alice)
    assert profile.slug == "alice-martin"
    assert list(profile.slug_changes.values_list("old_slug", flat=True)) == ["alice-data"]


def test_a_sixth_slug_change_within_180_days_is_refused(alice):
    for n in range(5):
        services.profile_change_slug(profile=alice.profile, slug=f"alice-{n}")
    assert services.slug_changes_left(profile_of(alice)) == 0
    with pytest.raises(ValidationError) as error:
        services.profile_change_slug(profile=alice.profile, slug="alice-six")
    assert error.value.code == "too_many_changes"
    assert "at most 5 times in 180 days" in error.value.messages[0]
    assert profile_of(alice).slug == "alice-4"
    assert SlugChange.objects.count() == 5


def test_slug_changes_older_than_180_days_no_longer_count(alice):
    for n in range(5):
        services.profile_change_slug(profile=alice.profile, slug=f"alice-{n}")
    SlugChange.objects.update(changed_at=_ago(181))
    services.profile_change_slug(profile=alice.profile, slug="alice-six")
    assert profile_of(alice).slug == "alice-six"


def test_keeping_the_same_slug_uses_no_change(alice):
    services.profile_change_slug(profile=alice.profile, slug="alice-martin")
    assert services.slug_changes_left(profile_of(alice)) == 5


def test_new_members_get_a_free_slug_that_is_not_reserved(db):
    first = member(first_name="Jean", last_name="Dupont", slug=services.unique_slug("Jean", "Dupont"))
    assert first.profile.slug == "jean-dupont"
    assert services.unique_slug("Jean", "Dupont") == "jean-dupont-2"
    assert services.unique_slug("Admin", "") == "admin-member"
    assert services.unique_slug("Li", "") == "li-member"


# --- Photo and banner ----------------------------------------------------------------------------------


def test_a_photo_is_stored_in_two_sizes_as_reencoded_jpeg_without_exif(alice, settings):
    services.profile_set_photo(
        profile=alice.profile, upload=image_upload(fmt="PNG", name="me.png", exif=True)
    )
    profile = profile_of(alice)
    with Image.open(profile.photo.path) as large, Image.open(profile.photo_small.path) as small:
        assert (large.format, large.size) == ("JPEG", (400, 400))
        assert (small.format, small.size) == ("JPEG", (96, 96))
        assert not large.getexif()
    assert len(media_files(settings)) == 2


def test_replacing_a_photo_deletes_the_old_files(alice, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.profile_set_photo(profile=alice.profile, upload=image_upload())
    first = media_files(settings)
    with django_capture_on_commit_callbacks(execute=True):
        services.profile_set_photo(profile=alice.profile, upload=image_upload(fmt="WEBP", name="b.webp"))
    second = media_files(settings)
    assert len(second) == 2
    assert not set(first) & set(second)


def test_removing_the_photo_deletes_its_files(alice, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.profile_set_photo(profile=alice.profile, upload=image_upload())
        services.profile_remove_photo(profile=alice.profile)
    profile = profile_of(alice)
    assert not profile.photo and not profile.photo_small
    assert media_files(settings) == []


def test_a_banner_is_cropped_to_the_banner_shape(alice, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.profile_set_banner(profile=alice.profile, upload=image_upload(size=(3000, 1000)))
    with Image.open(profile_of(alice).banner.path) as banner:
        assert banner.size == (1584, 396)
    with django_capture_on_commit_callbacks(execute=True):
        services.profile_remove_banner(profile=alice.profile)
    assert not profile_of(alice).banner
    assert media_files(settings) == []


def test_a_refused_upload_keeps_the_current_photo(alice, settings):
    services.profile_set_photo(profile=alice.profile, upload=image_upload())
    before = (profile_of(alice).photo.name, media_files(settings))
    fake = SimpleUploadedFile("evil.jpg", b"<?php echo 'hi'; ?>", content_type="image/jpeg")
    with pytest.raises(ValidationError):
        services.profile_set_photo(profile=alice.profile, upload=fake)
    assert (profile_of(alice).photo.name, media_files(settings)) == before


# --- Sections -------------------------------------------------------------------------------------------


def _experience_data(**overrides) -> dict:
    return {
        "title": "Data engineer",
        "company_name": "Acme",
        "start_month": 3,
        "start_year": 2019,
        "end_month": 6,
        "end_year": 2022,
        "is_current": False,
        **overrides,
    }


def test_a_new_position_goes_on_top(alice):
    old = ExperienceFactory(profile=alice.profile, position=0)
    new = services.section_item_save(profile=alice.profile, item=Experience(), data=_experience_data())
    old.refresh_from_db()
    assert (new.position, old.position) == (0, 1)


def test_a_new_skill_goes_last(alice):
    SkillFactory(profile=alice.profile, position=0)
    skill = services.section_item_save(
        profile=alice.profile, item=Skill(), data={"name": "SQL", "pinned": False}
    )
    assert skill.position == 1


def test_a_current_position_has_no_end_date(alice):
    item = services.section_item_save(
        profile=alice.profile, item=Experience(), data=_experience_data(is_current=True)
    )
    item.refresh_from_db()
    assert (item.end_month, item.end_year, item.is_current) == (None, None, True)


def test_a_past_position_needs_an_end_date(alice):
    with pytest.raises(ValidationError) as error:
        services.section_item_save(
            profile=alice.profile, item=Experience(), data=_experience_data(end_month=None, end_year=None)
        )
    assert "end_year" in error.value.message_dict
    assert not Experience.objects.exists()


def test_an_end_date_before_the_start_is_refused(alice):
    with pytest.raises(ValidationError) as error:
        services.section_item_save(
            profile=alice.profile, item=Experience(), data=_experience_data(end_year=2018)
        )
    assert error.value.message_dict["end_year"] == ["The end date cannot be before the start date."]
    assert not Experience.objects.exists()


def test_a_start_date_in_the_future_is_refused(alice):
    next_year = timezone.localdate().year + 1
    with pytest.raises(ValidationError) as error:
        services.section_item_save(
            profile=alice.profile,
            item=Experience(),
            data=_experience_data(start_year=next_year, end_year=None, is_current=True),
        )
    assert error.value.message_dict["start_year"] == ["The start date cannot be in the future."]
    assert not Experience.objects.exists()


def test_a_refused_position_does_not_shift_the_others(alice):
    existing = ExperienceFactory(profile=alice.profile, position=0)
    with pytest.raises(ValidationError):
        services.section_item_save(
            profile=alice.profile, item=Experience(), data=_experience_data(end_year=2000)
        )
    existing.refresh_from_db()
    assert existing.position == 0


def test_education_end_year_before_start_year_is_refused(alice):
    with pytest.raises(ValidationError):
        services.section_item_save(
            profile=alice.profile,
            item=Education(),
            data={"school": "HEC", "start_year": 2015, "end_year": 2012},
        )
    assert not Education.objects.exists()


def test_at_most_fifty_skills(alice):
    SkillFactory.create_batch(50, profile=alice.profile)
    with pytest.raises(ValidationError) as error:
        services.section_item_save(
            profile=alice.profile, item=Skill(), data={"name": "One more", "pinned": False}
        )
    assert error.value.code == "too_many"
    assert "at most 50 skills" in error.value.messages[0]
    assert Skill.objects.count() == 50


def test_editing_a_skill_is_allowed_at_the_limit(alice):
    skills = SkillFactory.create_batch(50, profile=alice.profile)
    services.section_item_save(
        profile=alice.profile, item=skills[0], data={"name": "Renamed", "pinned": True}
    )
    assert Skill.objects.filter(name="Renamed", pinned=True).exists()


def test_at_most_three_pinned_skills(alice):
    SkillFactory.create_batch(3, profile=alice.profile, pinned=True)
    with pytest.raises(ValidationError) as error:
        services.section_item_save(profile=alice.profile, item=Skill(), data={"name": "Go", "pinned": True})
    assert "Unpin one of them first" in error.value.message_dict["pinned"][0]
    assert Skill.objects.count() == 3


def test_a_skill_cannot_be_listed_twice_whatever_the_case(alice):
    SkillFactory(profile=alice.profile, name="Python")
    with pytest.raises(ValidationError) as error:
        services.section_item_save(
            profile=alice.profile, item=Skill(), data={"name": " python ", "pinned": False}
        )
    assert "already on your profile" in error.value.message_dict["name"][0]


def test_languages_take_one_of_the_five_linkedin_levels(alice):
    assert [value for value, _label in Language.Proficiency.choices] == [
        "elementary",
        "limited_working",
        "professional_working",
        "full_professional",
        "native",
    ]
    services.section_item_save(
        profile=alice.profile, item=Language(), data={"name": "Français", "proficiency": "native"}
    )
    with pytest.raises(ValidationError):
        services.section_item_save(
            profile=alice.profile, item=Language(), data={"name": "English", "proficiency": "fluent"}
        )
    with pytest.raises(ValidationError):
        services.section_item_save(
            profile=alice.profile, item=Language(), data={"name": "français", "proficiency": "elementary"}
        )
    assert list(Language.objects.values_list("name", flat=True)) == ["Français"]


def test_moving_an_item_swaps_it_with_its_neighbour(alice):
    a, b, c = (SkillFactory(profile=alice.profile, position=n) for n in range(3))
    services.section_item_move(profile=alice.profile, item=c, direction=-1)
    assert list(Skill.objects.filter(profile=alice.profile).values_list("pk", flat=True)) == [
        a.pk,
        c.pk,
        b.pk,
    ]
    services.section_item_move(profile=alice.profile, item=a, direction=-1)  # already first: no change
    assert list(Skill.objects.filter(profile=alice.profile).values_list("pk", flat=True)) == [
        a.pk,
        c.pk,
        b.pk,
    ]


def test_deleting_an_item_removes_it(alice):
    item = ExperienceFactory(profile=alice.profile)
    services.section_item_delete(profile=alice.profile, item=item)
    assert not Experience.objects.exists()


def test_a_member_cannot_change_someone_elses_item(alice, bob):
    item = ExperienceFactory(profile=bob.profile)
    with pytest.raises(PermissionError):
        services.section_item_save(profile=alice.profile, item=item, data={"title": "Stolen"})
    with pytest.raises(PermissionError):
        services.section_item_delete(profile=alice.profile, item=item)
    with pytest.raises(PermissionError):
        services.section_item_move(profile=alice.profile, item=item, direction=1)
    item.refresh_from_db()
    assert item.title == "Software engineer"
