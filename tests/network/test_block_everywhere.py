"""A block makes both members disappear for each other everywhere: every page and API list that shows
members is checked before the block (the member is there, so the check can fail) and after it (gone),
from both sides."""

import pytest
from django.urls import reverse
from django.utils import timezone

from entregent.network import introductions, services
from entregent.network.models import Follow, Invitation
from entregent.profiles.models import ProfileVisit
from tests.api.conftest import ApiClient
from tests.factories import connect
from tests.network.conftest import veteran

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(db):
    """Ann and Cat are 2nd degree through Ben and Fay; Ann follows Cat and viewed her profile; Cat asked Ben to introduce her to Ann; Gus, connected to Ann, is someone Cat could ask Ann
    to be introduced to."""
    ann = veteran(first_name="Ann", last_name="Leroy", slug="ann-leroy", city="Lyon", industry="banking")
    ben = veteran(first_name="Ben", last_name="Moreau", slug="ben-moreau")
    cat = veteran(first_name="Cat", last_name="Blanc", slug="cat-blanc", city="Lyon", industry="banking")
    fay = veteran(first_name="Fay", last_name="Petit", slug="fay-petit")
    gus = veteran(first_name="Gus", last_name="Lambert", slug="gus-lambert")
    for a, b in ((ann, ben), (ben, cat), (ann, fay), (fay, cat), (ann, gus)):
        connect(a, b)
    Follow.objects.create(follower=ann, followed=cat)
    ProfileVisit.objects.create(viewer=ann, viewed=cat, day=timezone.localdate(), viewer_mode="name")
    introductions.introduction_ask(
        requester=cat, intermediary=ben, target=ann, why="Ann works in my field.", message="Hello Ann."
    )
    return ann, ben, cat, fay, gus


def _pages(ann, ben, cat, gus) -> dict[str, str]:
    """What Cat opens, each URL with what to look for (Ann's name)."""
    return {
        "search": reverse("search") + "?q=leroy",
        "home": reverse("home"),
        "suggestions": reverse("network:suggestions"),
        "followers": reverse("network:followers"),
        "ben's connections": reverse("network:member_connections", args=[ben.profile.slug]),
        "introductions": reverse("network:introductions") + "?tab=requested",
        "profile viewers": reverse("profiles:viewers"),
    }


def _api_lists(ben) -> list[str]:
    return [
        "/me/suggestions",
        "/me/followers",
        f"/members/{ben.profile.slug}/connections",
        "/me/introductions",
    ]


def test_before_the_block_cat_meets_ann_on_every_page(client, scene):
    ann, ben, cat, _fay, gus = scene
    client.force_login(cat)
    missing = [
        name
        for name, url in _pages(ann, ben, cat, gus).items()
        if "Ann Leroy" not in client.get(url).content.decode()
    ]
    assert missing == []
    api = ApiClient(client)
    assert all("ann-leroy" in api.get(path).content.decode() for path in _api_lists(ben))


def test_after_the_block_ann_is_gone_for_cat_everywhere(client, scene):
    ann, ben, cat, _fay, gus = scene
    services.block(blocker=ann, blocked=cat)
    client.force_login(cat)
    for name, url in _pages(ann, ben, cat, gus).items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert "Ann Leroy" not in response.content.decode(), name
    assert client.get(ann.profile.get_absolute_url()).status_code == 404
    for url in (
        reverse("network:invite", args=[ann.profile.slug]),
        reverse("network:mutual", args=[ann.profile.slug]),
        reverse("network:member_connections", args=[ann.profile.slug]),
        reverse("network:introduction_new", args=[ann.profile.slug]),
    ):
        assert client.get(url).status_code == 404, url
    api = ApiClient(client)
    for path in _api_lists(ben):
        response = api.get(path)
        assert response.status_code == 200, path
        assert "ann-leroy" not in response.content.decode(), path
    for path in ("/members/ann-leroy", "/members/ann-leroy/network", "/members/ann-leroy/introducers"):
        assert api.get(path).status_code == 404, path


def test_after_the_block_cat_is_gone_for_ann_too(client, scene):
    ann, ben, cat, fay, _gus = scene
    services.block(blocker=ann, blocked=cat)
    client.force_login(ann)
    for url in (
        reverse("search") + "?q=blanc",
        reverse("network:suggestions"),
        reverse("network:following"),
        reverse("network:member_connections", args=[ben.profile.slug]),
        reverse("network:member_connections", args=[fay.profile.slug]),
        reverse("network:introductions") + "?tab=received",
    ):
        assert "Cat Blanc" not in client.get(url).content.decode(), url
    assert client.get(cat.profile.get_absolute_url()).status_code == 404


def test_an_invitation_disappears_with_the_block(client, scene):
    ann, _ben, cat, _fay, _gus = scene
    Invitation.objects.create(sender=ann, recipient=cat, note="Hello Cat")
    client.force_login(cat)
    assert "Hello Cat" in client.get(reverse("network:home")).content.decode()
    assert "ann-leroy" in ApiClient(client).get("/me/invitations/received").content.decode()
    services.block(blocker=cat, blocked=ann)
    assert "Hello Cat" not in client.get(reverse("network:home")).content.decode()
    assert "ann-leroy" not in ApiClient(client).get("/me/invitations/received").content.decode()
    client.force_login(ann)
    assert "Cat Blanc" not in client.get(reverse("network:sent")).content.decode()
    assert "cat-blanc" not in ApiClient(client).get("/me/invitations/sent").content.decode()
