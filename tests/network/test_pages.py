"""The network pages as a member uses them: My network, invitations, the invite form, connections with
their filters, follows, blocks, mutual connections and someone's connection list — with the five
roles (owner, connection, 2nd degree, stranger, blocked), bad input and bounded query counts."""

import pytest
from django.urls import reverse

from entregent.network import services
from entregent.network.models import Block, Connection, Follow, Invitation
from tests.factories import ExperienceFactory, connect, member
from tests.network.conftest import veteran

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def circle(db):
    """Ann — Ben — Cat in a line (Ann and Cat are 2nd degree through Ben), Dan a stranger, Eve blocked
    by Ann."""
    ann = veteran(first_name="Ann", last_name="Leroy", slug="ann-leroy")
    ben = veteran(first_name="Ben", last_name="Moreau", slug="ben-moreau")
    cat = veteran(first_name="Cat", last_name="Blanc", slug="cat-blanc")
    dan = veteran(first_name="Dan", last_name="Roux", slug="dan-roux")
    eve = veteran(first_name="Eve", last_name="Noir", slug="eve-noir")
    connect(ann, ben)
    connect(ben, cat)
    services.block(blocker=ann, blocked=eve)
    return ann, ben, cat, dan, eve


# ------------------------------------------------------------------------------------------- profiles


def test_a_profile_shows_the_degree_and_mutual_connections_to_each_role(client, circle):
    ann, ben, cat, dan, eve = circle
    url = ann.profile.get_absolute_url()

    page = _login(client, ann).get(url).content.decode()  # owner
    assert "Ask for an introduction" not in page and "Remove connection" not in page

    page = _login(client, ben).get(url).content.decode()  # connection
    assert "1st-degree connection" in page and "Remove connection" in page

    page = _login(client, cat).get(url).content.decode()  # 2nd degree, Ben in common
    assert "2nd-degree connection" in page
    assert "Ben Moreau is a mutual connection" in page
    assert reverse("network:introduction_new", args=[ann.profile.slug]) in page
    assert reverse("network:invite", args=[ann.profile.slug]) in page

    page = _login(client, dan).get(url).content.decode()  # stranger
    assert "Out of your network" in page and "mutual connection" not in page

    assert _login(client, eve).get(url).status_code == 404  # blocked


def test_follow_as_primary_button_puts_connect_in_second_place(client, circle):
    ann, _ben, _cat, dan, _eve = circle
    ann.profile.primary_action = "follow"
    ann.profile.save()
    page = _login(client, dan).get(ann.profile.get_absolute_url()).content.decode()
    follow_at = page.index(reverse("network:follow", args=[ann.profile.slug]))
    connect_at = page.index(reverse("network:invite", args=[ann.profile.slug]))
    assert follow_at < connect_at


# --------------------------------------------------------------------------------------------- invite


def test_the_invite_form_advises_a_note_below_500_connections_with_examples(client, circle):
    ann, _ben, _cat, dan, _eve = circle
    page = _login(client, dan).get(reverse("network:invite", args=[ann.profile.slug])).content.decode()
    assert "fewer than 500 connections" in page
    assert "0–100 connections" in page
    assert page.count("Use this note") == 3
    prefilled = client.get(reverse("network:invite", args=[ann.profile.slug]) + "?example=0")
    assert "Hello Ann, we met recently" in prefilled.content.decode()


def test_inviting_with_a_note_shows_it_to_the_recipient_with_trust_information(client, circle):
    ann, _ben, _cat, dan, _eve = circle
    response = _login(client, dan).post(
        reverse("network:invite", args=[ann.profile.slug]), {"note": "We met at the Lyon meetup."}
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(sender=dan, recipient=ann)
    page = _login(client, ann).get(reverse("network:home")).content.decode()
    assert "We met at the Lyon meetup." in page
    assert "Dan Roux" in page and "fake profile" in page
    assert reverse("network:invitation_accept", args=[invitation.pk]) in page


def test_a_note_over_300_characters_is_refused_and_nothing_is_stored(client, circle):
    ann, _ben, _cat, dan, _eve = circle
    response = _login(client, dan).post(
        reverse("network:invite", args=[ann.profile.slug]), {"note": "x" * 301}
    )
    assert response.status_code == 422
    assert "at most 300 characters" in response.content.decode()
    assert not Invitation.objects.exists()


def test_inviting_twice_or_a_connection_is_refused_with_a_message(client, circle):
    ann, ben, _cat, dan, _eve = circle
    _login(client, dan).post(reverse("network:invite", args=[ann.profile.slug]), {"note": ""})
    again = client.post(reverse("network:invite", args=[ann.profile.slug]), {"note": ""})
    assert again.status_code == 422 and "already invited" in again.content.decode()
    connected = _login(client, ben).post(reverse("network:invite", args=[ann.profile.slug]), {"note": ""})
    assert connected.status_code == 422 and "already connected" in connected.content.decode()
    assert Invitation.objects.count() == 1


def test_a_blocked_member_cannot_reach_the_invite_form(client, circle):
    ann, _ben, _cat, _dan, eve = circle
    assert _login(client, eve).get(reverse("network:invite", args=[ann.profile.slug])).status_code == 404
    assert client.post(reverse("network:invite", args=[ann.profile.slug]), {"note": ""}).status_code == 404
    assert not Invitation.objects.exists()


def test_accept_ignore_and_withdraw_are_only_for_their_members(client, circle):
    ann, _ben, cat, dan, _eve = circle
    invitation = services.invitation_send(sender=dan, recipient=ann)
    # Neither a third member nor the sender can answer it.
    for intruder in (cat, dan):
        response = _login(client, intruder).post(reverse("network:invitation_accept", args=[invitation.pk]))
        assert response.status_code == 404
    assert (
        _login(client, cat).post(reverse("network:invitation_withdraw", args=[invitation.pk])).status_code
        == 404
    )
    _login(client, ann).post(reverse("network:invitation_accept", args=[invitation.pk]))
    assert Connection.objects.filter(member_low=min(ann, dan, key=lambda u: u.pk)).exists()
    invitation.refresh_from_db()
    assert invitation.status == "accepted"


def test_an_ignored_invitation_still_looks_pending_to_its_sender(client, circle):
    ann, _ben, _cat, dan, _eve = circle
    invitation = services.invitation_send(sender=dan, recipient=ann, note="Hello")
    _login(client, ann).post(reverse("network:invitation_ignore", args=[invitation.pk]))
    page = _login(client, dan).get(reverse("network:sent")).content.decode()
    assert "Ann Leroy" in page and "Pending" in page
    response = client.post(reverse("network:invitation_withdraw", args=[invitation.pk]))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == "withdrawn"


# ---------------------------------------------------------------------------------------- connections


def test_connections_sort_filter_and_search(client, db):
    me = veteran(first_name="Me", last_name="Self")
    zoe = veteran(first_name="Zoé", last_name="Abadie", city="Lyon")
    yan = veteran(first_name="Yan", last_name="Zola", city="Paris")
    ExperienceFactory(
        profile=yan.profile, company_name="Acme", is_current=True, end_year=None, end_month=None
    )
    connect(me, zoe)
    connect(me, yan)
    _login(client, me)
    url = reverse("network:connections")
    by_name = client.get(url, {"sort": "name"}).content.decode()
    assert by_name.index("Zoé Abadie") < by_name.index("Yan Zola")
    recent = client.get(url).content.decode()
    assert recent.index("Yan Zola") < recent.index("Zoé Abadie")
    assert "Zoé Abadie" not in client.get(url, {"company": "acme"}).content.decode()
    assert "Yan Zola" not in client.get(url, {"location": "lyon"}).content.decode()
    found = client.get(url, {"q": "zoe"}).content.decode()
    assert "Zoé Abadie" in found and "Yan Zola" not in found
    assert "No connection matches" in client.get(url, {"q": "nobody"}).content.decode()


def test_the_connections_page_runs_a_bounded_number_of_queries(client, db, django_assert_max_num_queries):
    me = veteran()
    for _ in range(3):
        connect(me, member())
    _login(client, me)
    client.get(reverse("network:connections"))
    with django_assert_max_num_queries(30) as small:
        client.get(reverse("network:connections"))
    for _ in range(25):
        other = member()
        connect(me, other)
        connect(other, member())
    with django_assert_max_num_queries(len(small.captured_queries) + 2):
        client.get(reverse("network:connections"))


def test_removing_a_connection_is_silent_and_stops_the_follows(client, circle):
    ann, ben, *_ = circle
    page = _login(client, ann).get(reverse("network:remove", args=[ben.profile.slug]))
    assert "is not told" in page.content.decode()
    client.post(reverse("network:remove", args=[ben.profile.slug]))
    assert not Connection.objects.exists() or not services.policy.are_connected(ann.pk, ben.pk)
    assert not Follow.objects.filter(follower=ann, followed=ben).exists()


# -------------------------------------------------------------------------------- follows and blocks


def test_follow_and_unfollow_from_a_profile(client, circle):
    ann, _ben, _cat, dan, _eve = circle
    _login(client, dan).post(reverse("network:follow", args=[ann.profile.slug]))
    assert "Ann Leroy" in client.get(reverse("network:following")).content.decode()
    assert "Dan Roux" in _login(client, ann).get(reverse("network:followers")).content.decode()
    _login(client, dan).post(reverse("network:unfollow", args=[ann.profile.slug]))
    assert not Follow.objects.filter(follower=dan, followed=ann).exists()


def test_blocking_hides_both_members_and_unblocking_waits_48_hours_to_block_again(client, circle):
    ann, _ben, cat, dan, _eve = circle

    def found(query):
        return [
            card.profile.display_name
            for card in client.get(reverse("search"), {"q": query}).context["results"]
        ]

    confirm = _login(client, dan).get(reverse("network:block", args=[ann.profile.slug]))
    assert "is not told" in confirm.content.decode()
    assert found("ann leroy") == ["Ann Leroy"]
    client.post(reverse("network:block", args=[ann.profile.slug]))
    assert client.get(ann.profile.get_absolute_url()).status_code == 404
    assert found("ann leroy") == []
    assert "Ann Leroy" in client.get(reverse("network:blocked")).content.decode()
    client.post(reverse("network:unblock", args=[ann.pk]))
    assert not Block.objects.filter(blocker=dan, blocked=ann).exists()
    client.post(reverse("network:block", args=[ann.profile.slug]))
    assert not Block.objects.filter(blocker=dan, blocked=ann).exists()
    # Nobody can lift a block they did not make.
    assert _login(client, cat).post(reverse("network:unblock", args=[dan.pk])).status_code == 404


# ----------------------------------------------------------------------------- mutual and their lists


def test_the_mutual_connections_page_lists_them_all(client, circle):
    ann, _ben, cat, _dan, _eve = circle
    page = _login(client, cat).get(reverse("network:mutual", args=[ann.profile.slug])).content.decode()
    assert "1 mutual connection with Ann Leroy" in page and "Ben Moreau" in page


def test_a_hidden_connection_list_shows_only_mutual_connections_to_connections(client, db):
    owner = veteran(first_name="Olga", last_name="Owner")
    friend = veteran(first_name="Fred", last_name="Friend")
    shared = veteran(first_name="Sam", last_name="Shared")
    private = veteran(first_name="Pia", last_name="Private")
    stranger = veteran(first_name="Stan", last_name="Ger")
    for other in (friend, shared, private):
        connect(owner, other)
    connect(friend, shared)
    connect(stranger, shared)
    url = reverse("network:member_connections", args=[owner.profile.slug])
    page = _login(client, friend).get(url).content.decode()
    assert "Pia Private" in page and "Sam Shared" in page
    owner.profile.hide_connections = True
    owner.profile.save()
    page = client.get(url).content.decode()
    assert "Sam Shared" in page and "Pia Private" not in page
    page = _login(client, stranger).get(url).content.decode()
    assert "Sam Shared" in page and "Pia Private" not in page and "Fred Friend" not in page
    client.logout()
    assert client.get(url).status_code in (302, 404)


def test_network_preferences_are_saved(client, circle):
    ann, *_ = circle
    _login(client, ann).post(
        reverse("network:preferences"), {"primary_action": "follow", "hide_connections": "on"}
    )
    ann.profile.refresh_from_db()
    assert ann.profile.primary_action == "follow" and ann.profile.hide_connections
    client.post(reverse("network:preferences"), {"primary_action": "shout"})
    ann.profile.refresh_from_db()
    assert ann.profile.primary_action == "follow"


def test_search_results_show_the_degree(client, circle):
    ann, _ben, cat, *_ = circle
    page = _login(client, cat).get(reverse("search"), {"q": "leroy"}).content.decode()
    assert "Ann Leroy" in page and "2nd-degree connection" in page


def test_the_top_bar_counts_invitations_waiting(client, circle):
    ann, _ben, _cat, dan, _eve = circle
    services.invitation_send(sender=dan, recipient=ann)
    page = _login(client, ann).get(reverse("home")).content.decode()
    assert "invitation waiting" in page


def test_network_pages_need_a_login(client, circle):
    ann, *_ = circle
    for name in (
        "network:home",
        "network:sent",
        "network:connections",
        "network:followers",
        "network:blocked",
    ):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(reverse("network:mutual", args=[ann.profile.slug])).status_code == 404
