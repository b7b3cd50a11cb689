"""Messaging in Chromium, each member in a browser of their own.

Alice and Bruno are connected. Bruno keeps his inbox open; Alice writes to him from his profile, and
her message appears in Bruno's inbox without a reload, with the unread badge of the top bar. Bruno
opens it, labels it, snoozes it (it leaves the inbox for the Snoozed filter), finds it again by
searching a misspelled word without its accents, and replies; Alice, with the conversation open, sees
the reply appear. Then the InMail: a Sales-plan member writes to a stranger with a subject, spending a
credit; the stranger finds the InMail in Other and answers, and the credit comes back; a Free member
finds the lock with its reason instead of a way to write. Each main screen passes an accessibility
scan."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from entregent import plans
from entregent.messaging.models import Conversation, Label, Message, Participant
from tests.e2e.conftest import assert_accessible
from tests.factories import connect
from tests.messaging.conftest import sales_member
from tests.network.conftest import veteran

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PASSWORD = "correct-horse-battery-9"  # the factories' shared password
UNREAD = re.compile(r"^Alice Marchand\s*, unread$")
LIVE = 10_000  # ms: live updates arrive within 2 s; the margin is for a loaded test machine

FIRST = "Bonjour Bruno, Hélène m’a transmis le devis hier : peux-tu le relire avant jeudi ?"
REPLY = "Merci Alice, je le relis demain matin et je te rappelle."
PITCH = "Bonjour Thomas, nous aidons les transporteurs à planifier leurs tournées : un café ?"
SUBJECT = "Vos tournées de livraison"
ANSWER = "Bonjour, volontiers : appelez-moi la semaine prochaine."


def _log_in(page, user) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(re.compile(r"^[^?#]+://[^/]+/$"))  # the home page, not the login form again


def _listening(page) -> None:
    """Waits until the page's live stream is open: its first event sets the badge's count."""
    expect(page.locator("[data-messaging-badge][data-unread]").first).to_be_attached(timeout=LIVE)


def _inbox(page):
    return page.get_by_role("list", name="Conversations")


def test_a_message_appears_live_is_organised_found_and_answered_live(page, new_page):
    from entregent.plans import engine

    engine.ensure_default_plans()  # browser tests flush the migrated defaults between tests
    alice = veteran(first_name="Alice", last_name="Marchand", slug="alice-marchand")
    bruno = veteran(first_name="Bruno", last_name="Petit", slug="bruno-petit")
    connect(alice, bruno)

    page_a = page
    page_b = new_page(viewport={"width": 1280, "height": 900})
    _log_in(page_a, alice)
    _log_in(page_b, bruno)

    # 1. Bruno has his inbox open, with nothing in it yet.
    page_b.goto("/messaging/")
    expect(page_b.get_by_role("heading", name="Messaging", level=1)).to_be_visible()
    badge_b = page_b.locator("header [data-messaging-badge]").first
    expect(badge_b).to_be_hidden()
    assert_accessible(page_b)
    _listening(page_b)

    # 2. Alice writes to him from his profile.
    page_a.goto("/in/bruno-petit/")
    page_a.get_by_role("link", name="Message Bruno Petit").click()
    expect(page_a.get_by_role("heading", name="Write to Bruno Petit")).to_be_visible()
    expect(page_a.get_by_role("checkbox", name="Bruno Petit")).to_be_checked()
    assert_accessible(page_a)
    page_a.get_by_label("Write a message").fill(FIRST)
    page_a.get_by_role("button", name="Send", exact=True).click()
    expect(page_a.get_by_role("heading", name="Bruno Petit", level=1)).to_be_visible()
    messages_a = page_a.get_by_role("list", name="Messages")
    expect(messages_a).to_contain_text("Hélène m’a transmis le devis")
    conversation = Conversation.objects.get()

    # 3. It appears in Bruno's inbox, unread, and his badge counts it: no reload.
    row = _inbox(page_b).get_by_role("listitem").filter(has_text="Alice Marchand")
    expect(row).to_be_visible(timeout=LIVE)
    expect(row).to_contain_text("Hélène m’a transmis le devis")
    expect(row.get_by_role("link", name=UNREAD)).to_be_visible()
    expect(badge_b).to_be_visible(timeout=LIVE)
    expect(badge_b).to_have_text("1")
    assert_accessible(page_b)

    # Alice keeps the conversation open and listens for the reply.
    _listening(page_a)

    # 4. Bruno opens it: read, the badge clears.
    row.get_by_role("link", name=UNREAD).click()
    expect(page_b.get_by_role("heading", name="Alice Marchand", level=1)).to_be_visible()
    expect(page_b.get_by_role("list", name="Messages")).to_contain_text(FIRST)
    expect(badge_b).to_be_hidden()
    assert_accessible(page_b)
    conversation_url = page_b.url

    # 5. He creates a label and puts the conversation under it.
    page_b.get_by_role("link", name="Manage labels").click()
    expect(page_b.get_by_role("heading", name="My labels", level=1)).to_be_visible()
    create = page_b.get_by_role("form", name="Create a label")
    create.get_by_label("Name").fill("Devis clients")
    create.get_by_role("button", name="Create label").click()
    yours = page_b.get_by_role("region", name="Your labels")
    expect(yours.get_by_role("link", name="Devis clients", exact=True)).to_be_visible()
    label = Label.objects.get(owner=bruno, name="Devis clients")
    page_b.goto(conversation_url)
    organise = page_b.get_by_role("complementary", name="About this conversation")
    organise.get_by_role("checkbox", name="Devis clients").check()
    organise.get_by_role("button", name="Save labels").click()
    expect(page_b.get_by_role("list", name="Labels")).to_contain_text("Devis clients")
    mine = Participant.objects.get(conversation=conversation, member=bruno)
    assert list(mine.labels.all()) == [label]

    # 6. He snoozes it until tomorrow: it leaves the inbox for the Snoozed filter.
    organise = page_b.get_by_role("complementary", name="About this conversation")
    organise.locator("summary", has_text="Snooze").click()
    organise.get_by_role("button", name=re.compile(r"^Tomorrow")).click()
    page_b.wait_for_load_state()
    mine.refresh_from_db()
    assert mine.snoozed_until is not None
    page_b.goto("/messaging/")
    expect(_inbox(page_b).get_by_role("link", name=re.compile("Alice Marchand"))).to_have_count(0)
    page_b.get_by_role("navigation", name="Filters").get_by_role("link", name="Snoozed").click()
    snoozed = _inbox(page_b).get_by_role("listitem").filter(has_text="Alice Marchand")
    expect(snoozed).to_be_visible()
    expect(snoozed).to_contain_text("Snoozed until")
    expect(snoozed).to_contain_text("Devis clients")
    assert_accessible(page_b)

    # 7. He searches it with a typo and no accents, and finds it highlighted.
    page_b.get_by_role("search").get_by_label("Search messages").fill("helene devsi")
    page_b.get_by_role("search").get_by_label("Search messages").press("Enter")
    expect(page_b.get_by_role("heading", name="Search messages", level=1)).to_be_visible()
    hit = page_b.locator(".message-search__hit").filter(has_text="transmis")
    expect(hit).to_have_count(1)
    marks = hit.locator(".message-search__snippet mark")
    expect(marks.filter(has_text="Hélène")).to_have_count(1)
    expect(marks.filter(has_text="devis")).to_have_count(1)
    assert_accessible(page_b)

    # 8. He opens it from the result and replies.
    hit.get_by_role("link", name=re.compile("Open the conversation")).click()
    expect(page_b.get_by_role("heading", name="Alice Marchand", level=1)).to_be_visible()
    page_b.get_by_label("Write a message").fill(REPLY)
    page_b.get_by_role("button", name="Send", exact=True).click()
    messages_b = page_b.get_by_role("list", name="Messages")
    expect(messages_b).to_contain_text(REPLY)
    assert Message.objects.filter(conversation=conversation, sender=bruno, body=REPLY).exists()
    assert_accessible(page_b)
    if os.environ.get("ENTREGENT_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page_b.evaluate("window.scrollTo(0, 0)")
        page_b.screenshot(path=str(SCREENSHOTS / "messaging.png"), full_page=False)

    # 9. Alice, whose conversation stayed open, sees the reply appear without a reload.
    expect(messages_a.get_by_text(REPLY)).to_be_visible(timeout=LIVE)
    assert_accessible(page_a)


def test_an_inmail_spends_a_credit_that_comes_back_when_answered(page, new_page):
    from entregent.plans import engine

    engine.ensure_default_plans()
    sophie = sales_member(first_name="Sophie", last_name="Laurent")
    thomas = veteran(first_name="Thomas", last_name="Renaud", slug="thomas-renaud")
    veteran(first_name="Ugo", last_name="Fabre", slug="ugo-fabre")
    fanny = veteran(first_name="Fanny", last_name="Roche", slug="fanny-roche")
    credits = plans.remaining(sophie, "inmail.credits")
    assert credits and credits > 1

    page_s = page
    page_t = new_page(viewport={"width": 1280, "height": 900})
    page_f = new_page(viewport={"width": 1280, "height": 900})
    _log_in(page_s, sophie)
    _log_in(page_t, thomas)
    _log_in(page_f, fanny)

    # 1. Sophie (Sales plan) writes to Thomas, a stranger: an InMail, with a subject and a credit.
    page_s.goto("/in/thomas-renaud/")
    page_s.get_by_role("link", name=re.compile(r"^Message Thomas Renaud")).click()
    expect(page_s.get_by_role("heading", name="Write to Thomas Renaud")).to_be_visible()
    expect(page_s.get_by_role("note")).to_contain_text("this message is an InMail and spends one credit")
    expect(page_s.get_by_text(f"{credits} InMail credits left.")).to_be_visible()
    subject = page_s.get_by_label("Subject")
    expect(subject).to_be_visible()
    assert_accessible(page_s)
    subject.fill(SUBJECT)
    page_s.get_by_label("Write a message").fill(PITCH)
    page_s.get_by_role("button", name="Send the InMail").click()
    expect(page_s.get_by_role("heading", name="Thomas Renaud", level=1)).to_be_visible()
    expect(page_s.get_by_text(SUBJECT)).to_be_visible()
    inmail = Conversation.objects.get(kind="inmail")
    assert inmail.subject == SUBJECT
    assert plans.remaining(sophie, "inmail.credits") == credits - 1
    # Writing to another stranger shows the lowered count.
    page_s.goto("/messaging/new/?to=ugo-fabre")
    expect(page_s.get_by_text(f"{credits - 1} InMail credits left.")).to_be_visible()

    # 2. Thomas finds it in Other, with its subject, and answers: Sophie's credit comes back.
    page_t.goto("/messaging/")
    expect(_inbox(page_t).get_by_role("link", name=re.compile("Sophie Laurent"))).to_have_count(0)
    page_t.get_by_role("navigation", name="Folders").get_by_role("link", name=re.compile(r"^Other")).click()
    row = _inbox(page_t).get_by_role("listitem").filter(has_text="Sophie Laurent")
    expect(row).to_contain_text("InMail")
    expect(row).to_contain_text(SUBJECT)
    assert_accessible(page_t)
    row.get_by_role("link", name=re.compile("Sophie Laurent")).click()
    expect(page_t.get_by_role("list", name="Messages")).to_contain_text(PITCH)
    page_t.get_by_label("Write a message").fill(ANSWER)
    page_t.get_by_role("button", name="Send", exact=True).click()
    expect(page_t.get_by_role("list", name="Messages")).to_contain_text(ANSWER)
    assert plans.remaining(sophie, "inmail.credits") == credits
    page_s.reload()
    expect(page_s.get_by_text(f"{credits} InMail credits left.")).to_be_visible()

    # 3. Fanny, on the Free plan, finds the lock and its reason, and nothing to send.
    page_f.goto("/in/thomas-renaud/")
    expect(page_f.get_by_role("link", name=re.compile(r"^Message Thomas Renaud"))).to_have_count(0)
    lock = page_f.locator(".lock-menu")
    lock.locator("summary").click()
    expect(lock).to_contain_text("You are not connected to Thomas Renaud, and your plan has no InMail.")
    expect(lock).to_contain_text("What unlocks it:")
    assert_accessible(page_f)
    page_f.goto("/messaging/new/?to=thomas-renaud")
    expect(page_f.get_by_role("note")).to_contain_text("your plan has no InMail")
    expect(page_f.get_by_label("Write a message")).to_have_count(0)
    expect(page_f.get_by_role("button", name=re.compile("^Send"))).to_have_count(0)
    expect(page_f.get_by_role("link", name="Write to your connections instead")).to_be_visible()
    assert_accessible(page_f)
    assert Conversation.objects.count() == 1
