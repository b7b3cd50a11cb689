"""The network through the JSON API: the same services and policy as the pages."""

from __future__ import annotations

import pytest

from entregent.network import services
from entregent.network.models import Block, Invitation
from tests.api.conftest import ApiClient, make_token
from tests.factories import connect
from tests.network.conftest import veteran


@pytest.fixture
def trio(db):
    ann = veteran(first_name="Ann", last_name="Leroy", slug="ann-leroy")
    ben = veteran(first_name="Ben", last_name="Moreau", slug="ben-moreau")
    cat = veteran(first_name="Cat", last_name="Blanc", slug="cat-blanc")
    connect(ann, ben)
    return ann, ben, cat


def _api(client, user) -> ApiClient:
    return ApiClient(client, make_token(user))


def test_invite_with_a_note_then_accept_through_the_api(client, trio):
    ann, _ben, cat = trio
    sent = _api(client, cat).post("/members/ann-leroy/invitation", {"note": "Hello Ann"})
    assert sent.status_code == 201, sent.content
    assert sent.json()["status"] == "pending" and sent.json()["member"]["slug"] == "ann-leroy"
    received = _api(client, ann).get("/me/invitations/received").json()
    assert received["count"] == 1 and received["items"][0]["note"] == "Hello Ann"
    assert received["items"][0]["risk_level"] in ("low", "medium", "high")
    invitation_id = received["items"][0]["id"]
    # Only the recipient can answer.
    assert _api(client, cat).post(f"/me/invitations/{invitation_id}/accept").status_code == 404
    accepted = _api(client, ann).post(f"/me/invitations/{invitation_id}/accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert [m["slug"] for m in _api(client, cat).get("/me/connections").json()["items"]] == ["ann-leroy"]


def test_a_note_over_300_characters_is_a_422_and_nothing_is_stored(client, trio):
    _ann, _ben, cat = trio
    response = _api(client, cat).post("/members/ann-leroy/invitation", {"note": "x" * 301})
    assert response.status_code == 422
    assert not Invitation.objects.exists()


def test_inviting_a_connection_or_oneself_is_refused(client, trio):
    ann, _ben, _cat = trio
    api = _api(client, ann)
    assert api.post("/members/ben-moreau/invitation", {"note": ""}).status_code == 422
    assert api.post("/members/ann-leroy/invitation", {"note": ""}).status_code == 422
    assert not Invitation.objects.exists()


def test_degree_and_mutual_connections_of_a_member(client, trio):
    ann, ben, cat = trio
    connect(ben, cat)
    card = _api(client, cat).get("/members/ann-leroy/network").json()
    assert card["degree"] == 2 and card["mutual_count"] == 1 and card["mutual_names"] == ["Ben Moreau"]
    mutual = _api(client, cat).get("/members/ann-leroy/mutual-connections").json()
    assert [m["slug"] for m in mutual["items"]] == ["ben-moreau"]


def test_a_blocked_member_is_404_everywhere_in_the_network_api(client, trio):
    ann, ben, cat = trio
    connect(ben, cat)
    blocked = _api(client, ann).put("/me/blocks/cat-blanc")
    assert blocked.status_code == 200 and Block.objects.filter(blocker=ann, blocked=cat).exists()
    api = _api(client, cat)
    for path in (
        "/members/ann-leroy/network",
        "/members/ann-leroy/mutual-connections",
        "/members/ann-leroy/connections",
    ):
        assert api.get(path).status_code == 404, path
    assert api.post("/members/ann-leroy/invitation", {"note": ""}).status_code == 404
    assert api.put("/me/following/ann-leroy").status_code == 404
    assert [b["name"] for b in _api(client, ann).get("/me/blocks").json()] == ["Cat Blanc"]
    assert _api(client, ann).delete(f"/me/blocks/by-id/{cat.pk}").status_code == 204
    assert _api(client, ann).put("/me/blocks/cat-blanc").status_code == 403  # 48 hours to re-block


def test_follow_unfollow_and_preferences(client, trio):
    ann, _ben, cat = trio
    api = _api(client, cat)
    assert api.put("/me/following/ann-leroy").json()["following"] is True
    assert [m["slug"] for m in api.get("/me/following").json()["items"]] == ["ann-leroy"]
    assert api.delete("/me/following/ann-leroy").status_code == 204
    prefs = _api(client, ann).patch("/me/network-preferences", {"primary_action": "follow"})
    assert prefs.json() == {"primary_action": "follow", "hide_connections": False}
    assert api.get("/members/ann-leroy/network").json()["primary_action"] == "follow"
    assert _api(client, ann).patch("/me/network-preferences", {"primary_action": "shout"}).status_code == 422


def test_hidden_connection_lists_show_only_shared_connections(client, trio):
    ann, ben, cat = trio
    dan = veteran(first_name="Dan", last_name="Roux", slug="dan-roux")
    connect(ann, cat)
    connect(ann, dan)
    connect(ben, cat)
    ann.profile.hide_connections = True
    ann.profile.save()
    slugs = [m["slug"] for m in _api(client, ben).get("/members/ann-leroy/connections").json()["items"]]
    assert slugs == ["cat-blanc"]


def test_withdraw_and_remove(client, trio):
    ann, ben, cat = trio
    invitation = services.invitation_send(sender=cat, recipient=ann)
    assert _api(client, ann).post(f"/me/invitations/sent/{invitation.pk}/withdraw").status_code == 404
    assert (
        _api(client, cat).post(f"/me/invitations/sent/{invitation.pk}/withdraw").json()["status"]
        == "withdrawn"
    )
    assert _api(client, ann).delete("/me/connections/ben-moreau").status_code == 204
    assert _api(client, ann).delete("/me/connections/ben-moreau").status_code == 404
