"""Where the network's parts meet: a block ends the introductions between the pair, the daily job expires
old introductions, an ignored invitation feeds the sender's automatic restriction, and the member sees
what their rules did, on My network and through the API."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from entregent.network import introductions, services, triage
from entregent.network.models import Introduction, Invitation, TriageAction
from entregent.trust import selectors as trust
from tests.factories import connect
from tests.trust.conftest import crowd, invite, solid

pytestmark = pytest.mark.django_db


@pytest.fixture
def trio_with_a_relay(ann, ben, cat):
    connect(ann, ben)
    connect(ben, cat)
    asked = introductions.introduction_ask(
        requester=ann, intermediary=ben, target=cat, why="We met in Lyon.", message="Hello Cat."
    )
    return ann, ben, cat, asked


def test_blocking_the_relay_withdraws_the_introduction_asked_through_them(trio_with_a_relay):
    ann, ben, _cat, asked = trio_with_a_relay
    services.block(blocker=ann, blocked=ben)
    asked.refresh_from_db()
    assert asked.status == Introduction.Status.WITHDRAWN
    assert introductions.introductions_for(ann, "requester").filter(status="asked").count() == 0


def test_blocking_the_requester_closes_the_request_for_the_target(trio_with_a_relay):
    ann, ben, cat, asked = trio_with_a_relay
    introductions.introduction_forward(introduction=asked, member=ben, word="Ann is great.")
    services.block(blocker=cat, blocked=ann)
    asked.refresh_from_db()
    assert asked.status == Introduction.Status.DECLINED_BY_TARGET


def test_the_daily_job_expires_introductions_left_30_days(trio_with_a_relay, capsys):
    _ann, _ben, _cat, asked = trio_with_a_relay
    Introduction.objects.filter(pk=asked.pk).update(created_at=timezone.now() - dt.timedelta(days=31))
    call_command("network", "daily")
    asked.refresh_from_db()
    assert asked.status == Introduction.Status.EXPIRED
    assert "Introductions expired: 1" in capsys.readouterr().out


def test_ignoring_the_invitation_that_crosses_the_rate_restricts_the_sender(
    django_capture_on_commit_callbacks,
):
    sender = solid()
    others = crowd(20)
    invite(sender, others[:9], status=Invitation.Status.IGNORED, ago=dt.timedelta(days=2))
    [last, *_rest] = invite(sender, others[9:], ago=dt.timedelta(days=2))
    assert not trust.is_restricted(sender.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_ignore(invitation=last, member=last.recipient)
    assert trust.is_restricted(sender.pk)


def test_an_ignored_invitation_below_the_rate_restricts_nobody(django_capture_on_commit_callbacks):
    sender = solid()
    others = crowd(20)
    [first, *_rest] = invite(sender, others, ago=dt.timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_ignore(invitation=first, member=first.recipient)
    assert not trust.is_restricted(sender.pk)


def _selective(me):
    triage.preset_install(member=me, code="selective")


def test_my_network_shows_which_rule_decided_for_held_and_sorted_invitations(client):
    me = solid(first_name="Mia", last_name="Roux")
    noted = solid(first_name="Nina", last_name="Lambert")
    plain = solid(first_name="Paul", last_name="Girard")
    _selective(me)
    services.invitation_send(sender=noted, recipient=me, note="We met at the Lyon meetup.")
    services.invitation_send(sender=plain, recipient=me)
    assert Invitation.objects.get(sender=noted).status == Invitation.Status.ACCEPTED
    assert Invitation.objects.get(sender=plain).triage_action == TriageAction.HOLD
    client.force_login(me)

    inbox = client.get(reverse("network:home")).content.decode()
    assert "Paul Girard" in inbox
    held = triage.explain(Invitation.objects.get(sender=plain))
    assert held == "No rule applies: held for your review."
    assert held in inbox and '{"' not in inbox  # the reason in words, not the stored JSON
    assert "Your 3 rules sort new invitations as they arrive." in inbox

    sorted_page = client.get(reverse("network:home"), {"box": "sorted"}).content.decode()
    assert "Nina Lambert" in sorted_page and "Accepted by your rules" in sorted_page
    accepted = triage.explain(Invitation.objects.get(sender=noted))
    assert accepted.startswith("Rule 3 “Wrote a note”") and accepted in sorted_page
    assert "Paul Girard" not in sorted_page


def test_the_api_gives_the_rule_in_words(client):
    from tests.api.conftest import ApiClient

    me = solid(first_name="Mia", last_name="Roux")
    plain = solid(first_name="Paul", last_name="Girard")
    _selective(me)
    services.invitation_send(sender=plain, recipient=me)
    client.force_login(me)
    [item] = ApiClient(client).get("/me/invitations/received").json()["items"]
    assert item["triage_action"] == "hold"
    assert item["triage_reason"] == "No rule applies: held for your review."


def test_a_profile_points_to_the_open_introduction_request_instead_of_a_new_one(client, trio_with_a_relay):
    ann, _ben, cat, asked = trio_with_a_relay
    client.force_login(ann)
    page = client.get(cat.profile.get_absolute_url()).content.decode()
    assert reverse("network:introduction_detail", args=[asked.pk]) in page
    assert reverse("network:introduction_new", args=[cat.profile.slug]) not in page
    introductions.introduction_withdraw(introduction=asked, member=ann)
    page = client.get(cat.profile.get_absolute_url()).content.decode()
    assert reverse("network:introduction_new", args=[cat.profile.slug]) in page
