"""A new member's whole journey in Chromium: sign up, confirm the email from the mail that was
really sent, build a profile to "Advanced", check what the public sees, change the public URL."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from entregent.profiles.models import Profile
from tests.e2e.conftest import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PASSWORD = "Tr3s-secret-passphrase"


def _photo(tmp_path: Path) -> Path:
    image = Image.new("RGB", (600, 600), (40, 90, 160))
    ImageDraw.Draw(image).ellipse((150, 100, 450, 400), fill=(240, 200, 170))
    path = tmp_path / "me.jpg"
    image.save(path, "JPEG")
    return path


def _confirmation_link(mailoutbox) -> str:
    assert mailoutbox, "no mail was sent"
    body = mailoutbox[-1].body
    match = re.search(r"https?://\S+/accounts/confirm-email/\S+/", body)
    assert match, body
    return match.group(0)


def _add_item(page, section: str, fields: dict[str, str], checks: tuple[str, ...] = ()) -> None:
    page.goto(f"/in/me/edit/{section}/add/")
    for selector, value in fields.items():
        element = page.locator(selector)
        if element.evaluate("e => e.tagName") == "SELECT":
            element.select_option(value)
        else:
            element.fill(value)
    for selector in checks:
        page.locator(selector).check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/in/[a-z0-9-]+/"))
    assert page.locator(".errorlist").count() == 0


def test_a_new_member_builds_a_profile_the_public_sees_in_part(page, new_page, mailoutbox, tmp_path):
    # Sign up.
    page.goto("/accounts/signup/")
    assert_accessible(page)
    page.get_by_label("First name").fill("Léa")
    page.get_by_label("Last name").fill("Fontaine")
    page.get_by_label("Email").fill("lea.fontaine@example.org")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/"))

    # Confirm the address from the mail actually sent, which logs the member in.
    page.goto(_confirmation_link(mailoutbox))
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/$"))
    assert page.get_by_role("heading", name="Profile strength").is_visible()
    assert_accessible(page)

    # Intro, about, target, photo.
    page.goto("/in/me/edit/")
    assert_accessible(page)
    page.locator("#intro-headline").fill(
        "Ingénieure logiciel Python pour le commerce de détail et la distribution"
    )
    page.locator("#intro-city").fill("Lyon")
    page.locator("#intro-country").select_option("FR")
    page.locator("#intro-industry").select_option("software")
    page.locator("#intro form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/in/me/edit/"))
    page.locator("#about-about").fill(
        "Je conçois des logiciels Python pour des enseignes du commerce de détail. "
        "Depuis huit ans, j'aide les équipes de distribution à prévoir la demande, à réduire les ruptures "
        "de stock et à mieux servir leurs clients en magasin comme en e-commerce. "
        "J'aime les architectures simples, les tests solides et les équipes qui partagent leurs choix."
    )
    page.locator("#about form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/in/me/edit/"))
    page.locator("#target-target_industry").select_option("retail")
    page.locator("#target-target_goal").fill("trouver des clients dans le commerce")
    page.locator("#target form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/in/me/edit/"))
    page.locator("#photo-image").set_input_files(str(_photo(tmp_path)))
    page.locator("#photo form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/in/me/edit/"))
    assert page.locator("#photo img.avatar").is_visible()

    # Sections: a current position with a description, an education, five skills.
    _add_item(
        page,
        "experience",
        {
            "#id_title": "Ingénieure logiciel",
            "#id_company_name": "Distrib'Avenir",
            "#id_start_month": "3",
            "#id_start_year": "2019",
            "#id_description": "Prévision de la demande pour 300 magasins du commerce de détail, en Python.",
        },
        checks=("#id_is_current",),
    )
    _add_item(
        page,
        "education",
        {
            "#id_school": "INSA Lyon",
            "#id_degree": "Diplôme d'ingénieur",
            "#id_start_year": "2012",
            "#id_end_year": "2017",
        },
    )
    for skill in ("Python", "Django", "Prévision de la demande", "Commerce de détail", "PostgreSQL"):
        _add_item(page, "skills", {"#id_name": skill})

    # The coach now says Advanced.
    profile = Profile.objects.get(user__email="lea.fontaine@example.org")
    page.goto(profile.get_absolute_url())
    meter = page.get_by_role("img", name=re.compile(r"Profile strength: \d+ out of 100"))
    assert "Advanced" in meter.get_attribute("aria-label")
    assert_accessible(page)
    if os.environ.get("ENTREGENT_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "profile.png"), full_page=False)

    # Inline editing: the position's form opens in place; an error shows there, then the fix saves.
    experience = page.locator("#experience")
    experience.get_by_role("link", name=re.compile("^Edit")).first.click()
    editor = experience.get_by_role("region", name=re.compile("Edit"))
    editor.locator("#id_title").fill("")
    editor.get_by_role("button", name="Save").click()
    expect(editor.locator(".errorlist").first).to_be_visible()
    assert page.url.endswith(profile.get_absolute_url())
    editor.locator("#id_title").fill("Ingénieure logiciel senior")
    editor.get_by_role("button", name="Save").click()
    expect(page.locator("#experience .item__title").first).to_have_text("Ingénieure logiciel senior")
    expect(page.locator(".inline-editor")).to_have_count(0)

    # Hide skills from the public; a contact detail visible to connections only.
    page.goto("/in/me/edit/")
    page.locator("#visibility-section_skills").uncheck()
    page.locator("#visibility form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/in/me/edit/"))
    _add_item(
        page,
        "contacts",
        {"#id_kind": "phone", "#id_value": "+33 6 12 34 56 78"},
        checks=("#id_visibility_1",),
    )

    # A logged-out visitor sees the public parts only.
    visitor = new_page()
    visitor.goto(profile.get_absolute_url())
    assert visitor.get_by_role("heading", name="Léa Fontaine").is_visible()
    assert visitor.get_by_text("Ingénieure logiciel Python pour le commerce").first.is_visible()
    assert visitor.get_by_role("heading", name="Experience").is_visible()
    assert visitor.get_by_role("heading", name="Skills").count() == 0
    assert visitor.get_by_text("PostgreSQL").count() == 0
    assert visitor.get_by_text("+33 6 12 34 56 78").count() == 0
    assert visitor.get_by_role("heading", name="Profile strength").count() == 0
    assert_accessible(visitor)

    # Change the public URL; the old one redirects to the new one.
    old_url = profile.get_absolute_url()
    page.goto("/in/me/edit/")
    page.locator("#public-url-slug").fill("lea-fontaine-python-retail")
    page.locator("#public-url form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/in/me/edit/"))
    visitor.goto(old_url)
    assert visitor.url.endswith("/in/lea-fontaine-python-retail/")
    assert visitor.get_by_role("heading", name="Léa Fontaine").is_visible()


def test_photo_upload_of_a_fake_image_shows_an_error_and_keeps_the_page(page, tmp_path, django_user_model):
    from tests.factories import member

    user = member(first_name="Zoé", last_name="Petit", slug="zoe-petit")
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill("correct-horse-battery-9")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/$"))
    fake = tmp_path / "cv.jpg"
    fake.write_bytes(b"this is not an image at all" * 10)
    page.goto("/in/me/edit/")
    page.locator("#photo-image").set_input_files(str(fake))
    page.locator("#photo form button[type=submit]").click()
    assert page.get_by_text("not a valid image").is_visible()
    assert not Profile.objects.get(pk=user.profile.pk).photo
