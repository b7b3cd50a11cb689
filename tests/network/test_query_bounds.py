"""Pages that show members run the same number of SQL queries whatever the size of the network: each is
measured with 2 members in its list and with 12, and the counts must be equal."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from entregent.network.models import Follow, Introduction, Invitation
from tests.factories import ExperienceFactory, connect
from tests.network.conftest import veteran

pytestmark = pytest.mark.django_db


def _network(size: int, tag: str):
    """Me, my friend Ben and `size` others: each connected to me and to Ben (so mutual connections and
    suggestions have work), following me, invited by me or inviting me, at my company."""
    me = veteran(first_name="Mia", last_name="Roux", slug=f"mia-roux-{tag}")
    ExperienceFactory(profile=me.profile, company_name="Acme")
    ben = veteran(first_name="Ben", last_name="Moreau", slug=f"ben-moreau-{tag}")
    connect(me, ben)
    for n in range(size):
        friend = veteran(first_name="Friend", last_name=f"Number{n}")
        connect(me, friend)
        connect(ben, friend)
        far = veteran(first_name="Far", last_name=f"Number{n}")  # 2nd degree through Ben: suggested
        connect(ben, far)
        ExperienceFactory(profile=far.profile, company_name="Acme")
        Follow.objects.get_or_create(follower=veteran(first_name="Fan", last_name=f"Number{n}"), followed=me)
        Invitation.objects.create(sender=veteran(first_name="Inviter", last_name=f"Number{n}"), recipient=me)
        Invitation.objects.create(sender=me, recipient=veteran(first_name="Invited", last_name=f"Number{n}"))
        target = veteran(first_name="Target", last_name=f"Number{n}")
        connect(ben, target)
        Introduction.objects.create(requester=me, intermediary=ben, target=target, why="Why", message="Hi")
    return me, ben


PAGES = {
    "my network": lambda ben: reverse("network:home"),
    "invitations sent": lambda ben: reverse("network:sent"),
    "connections": lambda ben: reverse("network:connections"),
    "followers": lambda ben: reverse("network:followers"),
    "following": lambda ben: reverse("network:following"),
    "mutual connections": lambda ben: reverse("network:mutual", args=[ben.profile.slug]),
    "someone's connections": lambda ben: reverse("network:member_connections", args=[ben.profile.slug]),
    "people you may know": lambda ben: reverse("network:suggestions"),
    "introductions": lambda ben: reverse("network:introductions") + "?tab=requester",
    "search": lambda ben: reverse("search") + "?q=number",
    "home": lambda ben: reverse("home"),
    "profile": lambda ben: ben.profile.get_absolute_url(),
}


def _count(client, url: str) -> tuple[int, str]:
    client.get(url)  # the session's first request records it; measure the next one
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), response.content.decode()


@pytest.mark.parametrize("page", PAGES)
def test_a_page_showing_members_runs_the_same_queries_for_2_or_12_members(client, warm_graph, page):
    networks = [_network(2, "small"), _network(12, "big")]
    warm_graph()
    counts = []
    for me, ben in networks:
        client.force_login(me)
        count, html = _count(client, PAGES[page](ben))
        assert "Number1" in html or page == "profile"  # the list is really there
        counts.append(count)
    assert counts[0] == counts[1], counts
