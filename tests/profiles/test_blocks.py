"""Blocks hide both ways: the policy answers for the profile page, the API, search and the viewers
list. (The block and unblock actions come with the network issue; here a block is a row.)"""

import pytest

from entregent.network.models import Block
from entregent.profiles.models import ProfileVisit
from tests.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def carol(db):
    return member(first_name="Carol", last_name="Petit", slug="carol-petit")


@pytest.mark.parametrize("direction", ["alice blocks bob", "bob blocks alice"])
def test_a_blocked_pair_cannot_see_each_others_profile_and_records_no_view(client, alice, bob, direction):
    blocker, blocked = (alice, bob) if direction == "alice blocks bob" else (bob, alice)
    Block.objects.create(blocker=blocker, blocked=blocked)
    client.force_login(alice)
    assert client.get("/in/bob-durand/").status_code == 404
    assert client.get("/api/v1/members/bob-durand").status_code == 404
    client.force_login(bob)
    assert client.get("/in/alice-martin/").status_code == 404
    assert not ProfileVisit.objects.exists()


def test_a_blocked_member_is_not_found_by_search(client, alice, bob):
    Block.objects.create(blocker=bob, blocked=alice)
    client.force_login(alice)
    names = [r["profile"].display_name for r in client.get("/search/", {"q": "bob"}).context["results"]]
    assert names == []


def test_a_viewer_blocked_after_viewing_vanishes_from_the_viewers_list(client, alice, bob, carol):
    for viewer in (bob, carol):
        client.force_login(viewer)
        assert client.get("/in/alice-martin/").status_code == 200
    assert ProfileVisit.objects.filter(viewed=alice).count() == 2
    Block.objects.create(blocker=alice, blocked=bob)
    client.force_login(alice)
    page = client.get("/in/me/views/").content.decode()
    assert "Carol Petit" in page
    assert "Bob Durand" not in page


def test_others_still_see_both_members(client, alice, bob, carol):
    Block.objects.create(blocker=alice, blocked=bob)
    client.force_login(carol)
    assert client.get("/in/alice-martin/").status_code == 200
    assert client.get("/in/bob-durand/").status_code == 200
