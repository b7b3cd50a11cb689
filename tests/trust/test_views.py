"""The report page with the five roles, bad input and refusals; the moderation queue and case pages for
staff only, their decisions, and their bounded query counts."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from entregent.network.models import Block
from entregent.trust import selectors, services
from entregent.trust.models import ModerationAction, Report, Restriction
from tests.factories import connect, member
from tests.trust.conftest import crowd, invite, solid

pytestmark = pytest.mark.django_db

BOB_REPORT = "/trust/report/bob-durand/"


@pytest.fixture
def carol(db):
    return member(first_name="Carol", last_name="Petit", slug="carol-petit")


def test_the_url_names():
    assert reverse("trust:report", kwargs={"slug": "bob-durand"}) == BOB_REPORT
    assert reverse("trust:queue") == "/trust/moderation/"
    assert reverse("trust:case", kwargs={"member_id": 7}) == "/trust/moderation/7/"


# ------------------------------------------------------------------------------------------ report page


def test_the_report_form_is_accessible(alice_client, bob):
    page = alice_client.get(BOB_REPORT)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Report Bob Durand" in html
    for value in ("fake", "spam", "harassment", "scam"):
        assert f'value="{value}"' in html
    assert "<legend>What is wrong?</legend>" in html
    assert 'for="id_comment"' in html
    assert 'maxlength="1000"' in html


@pytest.mark.parametrize("role", ["stranger", "connection", "second degree"])
def test_members_report_and_are_offered_to_block(client, alice, bob, carol, role):
    if role == "connection":
        connect(alice, bob)
    elif role == "second degree":
        connect(alice, carol)
        connect(carol, bob)
    client.force_login(alice)
    response = client.post(BOB_REPORT, {"reason": "spam", "comment": "Same pitch to everyone."}, follow=True)
    assert response.redirect_chain == [(BOB_REPORT, 302)]
    html = response.content.decode()
    assert "your report on Bob Durand was sent to the moderators" in html
    assert "You reported this member on" in html
    assert reverse("network:block", kwargs={"slug": "bob-durand"}) in html  # a link, not a form
    report = Report.objects.get()
    assert (report.reporter, report.reported, report.reason, report.comment) == (
        alice,
        bob,
        "spam",
        "Same pitch to everyone.",
    )


def test_reporting_twice_while_open_shows_the_report_and_stores_nothing(alice_client, alice, bob):
    services.report_create(reporter=alice, reported=bob, reason="spam")
    page = alice_client.get(BOB_REPORT)
    assert "You reported this member on" in page.content.decode()
    assert "<form" not in page.content.decode().split('class="card"')[1].split("</section>")[0]
    response = alice_client.post(BOB_REPORT, {"reason": "scam"})
    assert response.status_code == 422
    assert "You already reported this member on" in response.content.decode()
    assert Report.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose what is wrong with this profile."),
        ({"reason": "rude"}, "Select a valid choice."),
        ({"reason": "spam", "comment": "x" * 1001}, "at most 1000 characters"),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_nothing_is_stored(alice_client, bob, data, message):
    response = alice_client.post(BOB_REPORT, data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Report.objects.exists()


def test_the_typed_comment_is_kept_on_error(alice_client, bob):
    response = alice_client.post(BOB_REPORT, {"comment": "He asked for my bank details."})
    assert "He asked for my bank details." in response.content.decode()


def test_you_cannot_report_yourself(alice_client):
    response = alice_client.get("/trust/report/alice-martin/")
    assert response.status_code == 403
    assert "You cannot report yourself." in response.content.decode()
    assert alice_client.post("/trust/report/alice-martin/", {"reason": "fake"}).status_code == 403
    assert not Report.objects.exists()


@pytest.mark.parametrize("direction", ["alice blocked bob", "bob blocked alice"])
def test_a_blocked_pair_gets_a_404(alice_client, alice, bob, direction):
    blocker, blocked = (alice, bob) if direction == "alice blocked bob" else (bob, alice)
    Block.objects.create(blocker=blocker, blocked=blocked)
    assert alice_client.get(BOB_REPORT).status_code == 404
    assert alice_client.post(BOB_REPORT, {"reason": "spam"}).status_code == 404
    assert not Report.objects.exists()


def test_unknown_and_deactivated_members_are_404(alice_client, bob):
    assert alice_client.get("/trust/report/nobody-here/").status_code == 404
    bob.is_active = False
    bob.save()
    assert alice_client.get(BOB_REPORT).status_code == 404


def test_a_former_address_redirects_to_the_current_one(alice_client, bob):
    from entregent.profiles import services as profile_services

    profile_services.profile_change_slug(profile=bob.profile, slug="bob-d")
    response = alice_client.get(BOB_REPORT)
    assert response.status_code == 302 and response["Location"] == "/trust/report/bob-d/"


def test_visitors_are_asked_to_sign_in(client, bob):
    response = client.get(BOB_REPORT)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.post(BOB_REPORT, {"reason": "spam"})
    assert not Report.objects.exists()


# ------------------------------------------------------------------------------------ moderation pages


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def _reported(n_reporters: int = 2, **fields):
    user = solid(**fields)
    for reporter in crowd(n_reporters):
        Report.objects.create(reporter=reporter, reported=user, reason="spam", comment="Spam!")
    return user


@pytest.mark.parametrize("url", ["/trust/moderation/", "/trust/moderation/{id}/"])
def test_moderation_pages_are_404_for_members_who_are_not_staff(client, alice, bob, url):
    Report.objects.create(reporter=alice, reported=bob, reason="spam")
    client.force_login(alice)
    assert client.get(url.format(id=bob.pk)).status_code == 404
    assert client.post(url.format(id=bob.pk), {"action": "dismiss", "reason": "x"}).status_code == 404
    assert Report.objects.get().status == "open"
    client.logout()
    assert client.get(url.format(id=bob.pk)).status_code == 302  # sign in first


def test_the_queue_lists_open_reports_grouped_by_member_with_the_evidence(staff_client, alice, bob):
    rex = _reported(2, first_name="Rex", last_name="Spam", photo="")
    Report.objects.create(reporter=alice, reported=bob, reason="fake", comment="Stolen photo.")
    Report.objects.create(reporter=member(), reported=bob, reason="fake", status="dismissed")
    invite(rex, crowd(3))
    html = staff_client.get("/trust/moderation/").content.decode()
    assert html.index("Rex Spam") < html.index("Bob Durand")  # the most reported first
    assert "2 open reports by 2 members" in " ".join(html.split())
    assert "1 open report" in html
    assert "Spam: 2" in html and "Fake profile: 1" in html
    assert "“Stolen photo.”" in html
    assert "no photo" in html
    assert "3 sent, 0 ignored, 0 reported" in html
    assert f'href="/trust/moderation/{rex.pk}/"' in html


def test_the_queue_shows_automatic_restrictions(staff_client):
    user = solid(first_name="Auto", last_name="Matic")
    Restriction.objects.create(
        member=user, reason="Many ignored.", automatic=True, ends_at=timezone.now() + dt.timedelta(days=3)
    )
    html = staff_client.get("/trust/moderation/").content.decode()
    assert "Auto Matic" in html and "Many ignored." in html
    assert "No open report: nothing to review." in html


def test_the_queue_runs_a_bounded_number_of_queries(staff_client, django_assert_max_num_queries):
    for _ in range(3):
        _reported(2)
    with django_assert_max_num_queries(30) as few:
        assert staff_client.get("/trust/moderation/").status_code == 200
    for _ in range(8):
        _reported(3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = staff_client.get("/trust/moderation/")
    assert page.content.decode().count('href="/trust/moderation/') == 11


def test_the_queue_is_paginated(staff_client):
    for _ in range(21):
        _reported(1)
    page = staff_client.get("/trust/moderation/")
    assert "Page 1 of 2" in page.content.decode()
    assert staff_client.get("/trust/moderation/?page=2").status_code == 200
    assert staff_client.get("/trust/moderation/?page=zzz").status_code == 200


def test_the_case_page_shows_the_evidence_and_links(staff_client, alice):
    rex = _reported(1, first_name="Rex", last_name="Spam", photo="")
    Report.objects.create(reporter=alice, reported=rex, reason="scam", comment="Asked for money.")
    html = staff_client.get(f"/trust/moderation/{rex.pk}/").content.decode()
    assert "Asked for money." in html and "Alice Martin" in html
    assert "no photo" in html and "points" in html
    assert "/in/" + rex.profile.slug in html
    assert reverse("admin:accounts_user_change", args=[rex.pk]) in html
    for action in ("dismiss", "warn", "restrict", "suspend"):
        assert f'value="{action}"' in html
    assert 'value="reinstate"' not in html and 'value="lift"' not in html


def test_the_case_page_runs_a_bounded_number_of_queries(staff_client, django_assert_max_num_queries):
    few = _reported(1)
    with django_assert_max_num_queries(30) as counted:
        staff_client.get(f"/trust/moderation/{few.pk}/")
    many = _reported(10)
    with django_assert_max_num_queries(len(counted.captured_queries)):
        staff_client.get(f"/trust/moderation/{many.pk}/")


def test_an_unknown_case_is_404(staff_client):
    assert staff_client.get("/trust/moderation/999999/").status_code == 404


@pytest.mark.parametrize("action", ["dismiss", "warn", "restrict", "suspend"])
def test_a_decision_from_the_case_page(staff_client, staff, action, django_capture_on_commit_callbacks):
    rex = _reported(1)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            f"/trust/moderation/{rex.pk}/",
            {"action": action, "reason": "Looked at it.", "days": "7"},
            follow=True,
        )
    assert response.redirect_chain == [(f"/trust/moderation/{rex.pk}/", 302)]
    recorded = ModerationAction.objects.get(member=rex)
    assert (recorded.kind, recorded.moderator, recorded.reason) == (action, staff, "Looked at it.")
    assert not Report.objects.filter(status="open").exists()
    rex.refresh_from_db()
    assert rex.is_active == (action != "suspend")
    assert selectors.is_restricted(rex.pk) == (action == "restrict")
    if action == "restrict":
        assert selectors.restriction_of(rex.pk).ends_at - timezone.now() > dt.timedelta(days=6, hours=23)
    assert len(mail.outbox) == (0 if action == "dismiss" else 1)
    assert "Looked at it." in response.content.decode()  # in the history


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": "x"}, "Choose a decision."),
        ({"action": "dismiss"}, "Say why: the decision is recorded with its reason."),
        ({"action": "restrict", "reason": "x", "days": "400"}, "less than or equal to 365"),
        ({"action": "lift", "reason": "x"}, "Select a valid choice."),  # not restricted: not offered
    ],
)
def test_bad_decisions_are_refused_with_422_and_nothing_changes(staff_client, data, message):
    rex = _reported(1)
    response = staff_client.post(f"/trust/moderation/{rex.pk}/", data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not ModerationAction.objects.exists()
    assert Report.objects.get().status == "open"


def test_a_moderator_cannot_decide_about_themselves(staff_client, staff):
    response = staff_client.post(f"/trust/moderation/{staff.pk}/", {"action": "warn", "reason": "x"})
    assert response.status_code == 403
    assert "You cannot moderate your own account." in response.content.decode()
    assert not ModerationAction.objects.exists()


def test_a_suspended_member_can_be_reinstated_from_the_case_page(staff_client, staff):
    rex = _reported(1)
    services.member_suspend(moderator=staff, member=rex, reason="Fake.")
    html = staff_client.get(f"/trust/moderation/{rex.pk}/").content.decode()
    assert 'value="reinstate"' in html and 'value="suspend"' not in html
    staff_client.post(f"/trust/moderation/{rex.pk}/", {"action": "reinstate", "reason": "Appeal."})
    rex.refresh_from_db()
    assert rex.is_active


def test_the_admin_index_links_to_the_queue(client):
    from tests.factories import UserFactory

    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    index = client.get("/admin/").content.decode()
    assert "Moderation queue" in index
    response = client.get("/admin/trust/moderationqueue/")
    assert response.status_code == 302 and response["Location"] == "/trust/moderation/"
    assert client.get("/admin/trust/report/").status_code == 200
    assert client.get("/admin/trust/moderationaction/").status_code == 200
    assert client.get("/admin/trust/restriction/").status_code == 200
