"""The network in Chromium, with three members in three separate browsers: Alice invites Bruno with a
note; Bruno reads the note, Alice's trust information and their mutual connections on My network, and
accepts; Claire, already connected to Bruno, finds Alice as 2nd degree with Bruno as their mutual
connection and asks Bruno to introduce her; Bruno forwards the request with a word of his own; Alice
reads it and accepts, so Alice and Claire are connected; then Alice blocks Claire, who can no longer
find her — not in search, not at her profile's address, not among her connections. Each main screen
passes an accessibility scan."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from entregent.network.models import Block, Connection, Introduction, Invitation
from tests.e2e.conftest import assert_accessible
from tests.factories import EducationFactory, ExperienceFactory, connect
from tests.network.conftest import veteran

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PASSWORD = "correct-horse-battery-9"  # the factories' shared password

NOTE = "Hello Bruno, we met at the Lyon logistics meetup: shall we stay in touch?"
WHY = "Alice runs the Lyon meetup I would like to speak at."
MESSAGE = "Hello Alice, I build routing software for small carriers and would love to give a talk."
WORD = "Claire is a careful engineer; I worked with her for three years."


def _trustworthy(**fields):
    user = veteran(**fields)
    ExperienceFactory(profile=user.profile)
    EducationFactory(profile=user.profile)
    return user


def _log_in(page, user) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/$"))


def _more_menu(page):
    """Opens the profile's "More" menu and returns it."""
    menu = page.locator(".profile-actions details.menu")
    menu.locator("summary").click()
    return menu


def test_invite_accept_introduce_and_block_across_three_members(page, new_page):
    from entregent.plans import engine

    engine.ensure_default_plans()  # browser tests flush the migrated defaults between tests
    alice = _trustworthy(first_name="Alice", last_name="Marchand", slug="alice-marchand")
    bruno = _trustworthy(first_name="Bruno", last_name="Petit", slug="bruno-petit")
    claire = _trustworthy(first_name="Claire", last_name="Dubois", slug="claire-dubois")
    connect(bruno, claire)
    # Alice and Bruno already share a connection, which Bruno's invitation card shows.
    common = _trustworthy(first_name="Denis", last_name="Garnier", slug="denis-garnier")
    connect(alice, common)
    connect(bruno, common)

    page_a = page
    page_b = new_page(viewport={"width": 1280, "height": 900})
    page_c = new_page(viewport={"width": 1280, "height": 900})
    _log_in(page_a, alice)
    _log_in(page_b, bruno)
    _log_in(page_c, claire)

    # 1. Alice invites Bruno from his profile, with a note.
    page_a.goto("/in/bruno-petit/")
    page_a.get_by_role("link", name="Connect with Bruno Petit").click()
    expect(page_a.get_by_role("heading", name="Invite Bruno Petit to connect")).to_be_visible()
    assert_accessible(page_a)
    page_a.get_by_label("Add a note (optional)").fill(NOTE)
    page_a.get_by_role("button", name="Send the invitation").click()
    expect(page_a.get_by_text("Invitation sent to Bruno Petit.")).to_be_visible()
    assert Invitation.objects.filter(sender=alice, recipient=bruno, status="pending", note=NOTE).exists()

    # 2. Bruno reads the note, the trust information and their mutual connection, and accepts.
    page_b.goto("/network/")
    expect(page_b.get_by_role("heading", name="Invitations received")).to_be_visible()
    invitations = page_b.get_by_role("list", name="Invitations")
    card = invitations.get_by_role("listitem").filter(has_text="Alice Marchand")
    expect(card.get_by_role("link", name="Alice Marchand", exact=True)).to_be_visible()
    expect(card).to_contain_text("2nd-degree connection")
    expect(card.get_by_role("link", name="Denis Garnier is a mutual connection")).to_be_visible()
    expect(card.locator("blockquote")).to_have_text(NOTE)
    expect(card.locator(".trust")).to_contain_text(re.compile(r"fake profile"))
    assert_accessible(page_b)
    if os.environ.get("ENTREGENT_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page_b.screenshot(path=str(SCREENSHOTS / "network.png"), full_page=False)
    card.get_by_role("button", name="Accept Alice Marchand").click()
    expect(page_b.get_by_text("You are now connected with Alice Marchand.")).to_be_visible()
    assert Connection.objects.filter(**_pair(alice, bruno)).exists()

    # 3. Claire, connected to Bruno, finds Alice as 2nd degree with Bruno as their mutual connection.
    page_c.goto("/search/?q=Marchand")
    results = page_c.get_by_role("list", name="Results")
    result = results.get_by_role("listitem").filter(has_text="Alice Marchand")
    expect(result).to_contain_text("2nd-degree connection")
    expect(result.get_by_role("link", name="Bruno Petit is a mutual connection")).to_be_visible()
    result.get_by_role("link", name="Alice Marchand", exact=True).click()
    expect(page_c.get_by_role("heading", name="Alice Marchand", level=1)).to_be_visible()
    expect(page_c.get_by_text("2nd-degree connection")).to_be_visible()
    expect(page_c.get_by_role("link", name="Bruno Petit is a mutual connection")).to_be_visible()
    assert_accessible(page_c)

    # 4. Claire asks Bruno for an introduction to Alice.
    _more_menu(page_c).get_by_role("link", name="Ask for an introduction").click()
    expect(page_c.get_by_role("heading", name="Ask for an introduction to Alice Marchand")).to_be_visible()
    expect(page_c.get_by_role("radio", name=re.compile("Bruno Petit"))).to_be_checked()
    assert_accessible(page_c)
    page_c.get_by_label("Why you ask (only the intermediary reads this)").fill(WHY)
    page_c.get_by_label("Your message to Alice Marchand (the intermediary passes it on)").fill(MESSAGE)
    page_c.get_by_role("button", name="Send the request").click()
    expect(
        page_c.get_by_text("Your request was sent to Bruno Petit, who can introduce you to Alice Marchand.")
    ).to_be_visible()
    introduction = Introduction.objects.get(requester=claire, intermediary=bruno, target=alice)

    # 5. Bruno finds the request among his introductions and forwards it with a word of his own.
    page_b.goto("/network/introductions/")
    request = page_b.get_by_role("article", name="Claire Dubois asks you to introduce them to Alice Marchand")
    expect(request).to_contain_text(WHY)
    expect(request).to_contain_text(MESSAGE)
    assert_accessible(page_b)
    request.get_by_role("link", name="Forward or decline").click()
    page_b.get_by_label("Your word to introduce them (optional)").fill(WORD)
    page_b.get_by_role("button", name="Forward to Alice Marchand").click()
    expect(page_b.get_by_text("You introduced Claire Dubois to Alice Marchand.")).to_be_visible()

    # 6. Alice reads Claire's message with Bruno's word, and accepts: they are connected.
    page_a.goto("/network/introductions/")
    received = page_a.get_by_role("article", name="Bruno Petit introduces you to Claire Dubois")
    expect(received).to_contain_text(MESSAGE)
    expect(received).to_contain_text("Bruno Petit’s word")
    expect(received).to_contain_text(WORD)
    expect(received).not_to_contain_text(WHY)  # only the intermediary reads why Claire asked
    assert_accessible(page_a)
    received.get_by_role("button", name="Accept the introduction to Claire Dubois").click()
    expect(page_a.get_by_text("You are now connected with Claire Dubois.")).to_be_visible()
    assert Connection.objects.filter(**_pair(alice, claire)).exists()
    introduction.refresh_from_db()
    assert introduction.status == "accepted"
    page_a.goto("/network/connections/")
    expect(
        page_a.get_by_role("list", name="Connections").get_by_role("link", name="Claire Dubois", exact=True)
    ).to_be_visible()
    page_c.goto("/network/connections/")
    expect(
        page_c.get_by_role("list", name="Connections").get_by_role("link", name="Alice Marchand", exact=True)
    ).to_be_visible()

    # 7. Alice blocks Claire, after a confirmation.
    page_a.goto("/in/claire-dubois/")
    _more_menu(page_a).get_by_role("link", name="Block").click()
    expect(page_a.get_by_role("heading", name="Block Claire Dubois?")).to_be_visible()
    assert_accessible(page_a)
    page_a.get_by_role("button", name="Block").click()
    expect(page_a.get_by_text("You blocked Claire Dubois.")).to_be_visible()
    assert Block.objects.filter(blocker=alice, blocked=claire).exists()
    assert not Connection.objects.filter(**_pair(alice, claire)).exists()

    # Claire can no longer find Alice: not in search, not at her address, not among her connections.
    page_c.goto("/search/?q=Marchand")
    expect(page_c.get_by_text("No member matches “Marchand”.")).to_be_visible()
    expect(page_c.get_by_role("link", name="Alice Marchand", exact=True)).to_have_count(0)
    # Asked without loading the page: Django's bare 404 page has no icon link, and the browser's
    # /favicon.ico request would race the next page on the test server's single SQLite connection.
    assert page_c.request.get("/in/alice-marchand/").status == 404
    page_c.goto("/network/connections/")
    expect(page_c.get_by_role("heading", name="1 connection")).to_be_visible()
    expect(page_c.get_by_role("link", name="Alice Marchand", exact=True)).to_have_count(0)


def _pair(a, b) -> dict:
    low, high = Connection.pair(a.pk, b.pk)
    return {"member_low_id": low, "member_high_id": high}
