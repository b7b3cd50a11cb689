"""Introductions through the JSON API: the same services and scoping as the pages — list by role, ask,
forward, decline, accept, withdraw, who could introduce me; strangers and blocked members get 404,
a read-only token cannot change anything, bad input is a 422 with the field named."""

from __future__ import annotations

import pytest
from django.core import mail

from entregent.core import policy
from entregent.network import introductions as intro
from entregent.network import services
from entregent.network.models import Block, Introduction
from tests.api.conftest import ApiClient, make_token
from tests.factories import connect
from tests.network.conftest import veteran

Status = Introduction.Status


@pytest.fixture
def trio(ann, ben, cat):
    connect(ann, ben)
    connect(ben, cat)
    return ann, ben, cat


@pytest.fixture
def api(client):
    def for_member(member, scope="write") -> ApiClient:
        return ApiClient(client, make_token(member, scope))

    return for_member


def body(a_slug="ben-moreau", c_slug="cat-blanc", **fields):
    return {"intermediary": a_slug, "target": c_slug, "why": "Same field", "message": "Hello Cat", **fields}


def test_full_flow_through_the_api(trio, api, django_capture_on_commit_callbacks):
    a, b, c = trio
    with django_capture_on_commit_callbacks(execute=True):
        created = api(a).post("/me/introductions", body())
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["role"] == "requester" and data["status"] == "asked" and data["actions"] == ["withdraw"]
    assert data["target"]["slug"] == "cat-blanc" and data["target"]["degree"] == 2
    pk = data["id"]

    relay = api(b).get("/me/introductions", role="intermediary").json()
    assert relay["count"] == 1 and relay["items"][0]["why"] == "Same field"
    assert relay["items"][0]["actions"] == ["forward", "decline"]
    assert api(b).get("/me/introductions/waiting").json()["intermediary"] == 1
    assert api(c).get(f"/me/introductions/{pk}").status_code == 404  # not forwarded yet

    with django_capture_on_commit_callbacks(execute=True):
        forwarded = api(b).post(f"/me/introductions/{pk}/forward", {"word": "Meet Ann"})
    assert forwarded.status_code == 200 and forwarded.json()["status"] == "forwarded"
    seen = api(c).get(f"/me/introductions/{pk}").json()
    assert seen["role"] == "target" and seen["why"] is None and seen["intermediary_word"] == "Meet Ann"
    assert seen["actions"] == ["accept", "decline"]

    with django_capture_on_commit_callbacks(execute=True):
        accepted = api(c).post(f"/me/introductions/{pk}/accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert accepted.json()["actions"] == []
    assert policy.are_connected(a.pk, c.pk)
    assert [m.to for m in mail.outbox] == [[b.email], [c.email], [a.email]]


def test_decline_and_withdraw(trio, api):
    a, b, c = trio
    pk = api(a).post("/me/introductions", body()).json()["id"]
    declined = api(b).post(f"/me/introductions/{pk}/decline", {"reason": "Hardly know her"})
    assert declined.json()["status"] == "declined_b"
    assert api(a).get(f"/me/introductions/{pk}").json()["decline_reason"] == "Hardly know her"
    second = api(a).post("/me/introductions", body()).json()["id"]
    withdrawn = api(a).post(f"/me/introductions/{second}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    again = api(a).post(f"/me/introductions/{second}/withdraw")
    assert again.status_code == 422 and "no longer waiting" in again.json()["detail"] + str(again.json())


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"why": ""}, "why"),
        ({"message": ""}, "message"),
        ({"why": "w" * 601}, "why"),
        ({"message": "m" * 601}, "message"),
        ({"why": "   "}, "why"),
        ({"message": "a\x00b"}, "message"),
        ({"extra": "x"}, "extra"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(trio, api, fields, field):
    a, _b, _c = trio
    response = api(a).post("/me/introductions", body(**fields))
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert Introduction.objects.count() == 0


def test_rules_refusals(trio, api):
    a, b, c = trio
    outsider = veteran(first_name="Sam", last_name="Roux", slug="sam-roux")
    connect(a, outsider)
    response = api(a).post("/me/introductions", body(a_slug="sam-roux"))
    assert response.status_code == 422 and "connected to both" in str(response.json())
    assert api(a).post("/me/introductions", body(c_slug="ann-leroy")).status_code == 422  # myself
    assert api(a).post("/me/introductions", body(c_slug="ben-moreau", a_slug="cat-blanc")).status_code == 422
    assert api(a).post("/me/introductions", body(c_slug="nobody")).status_code == 404
    assert Introduction.objects.count() == 0


def test_pending_limit_is_a_429(trio, api):
    a, b, _c = trio
    for n in range(intro.plans.limit(a, intro.QUOTA)):
        target = veteran(first_name=f"T{n}", last_name="Target", slug=f"t-{n}")
        connect(b, target)
        assert api(a).post("/me/introductions", body(c_slug=f"t-{n}")).status_code == 201
    response = api(a).post("/me/introductions", body())
    assert response.status_code == 429 and "waiting for an answer" in response.json()["detail"]


def test_blocked_members_are_404(trio, api):
    a, b, c = trio
    services.block(blocker=c, blocked=a)
    assert api(a).post("/me/introductions", body()).status_code == 404
    assert api(a).get("/members/cat-blanc/introducers").status_code == 404
    assert Introduction.objects.count() == 0


def test_strangers_blocked_and_wrong_roles(trio, api):
    a, b, c = trio
    introduction = intro.introduction_ask(requester=a, intermediary=b, target=c, why="W", message="M")
    intro.introduction_forward(introduction=introduction, member=b)
    pk = introduction.pk
    stranger = veteran(first_name="Eve", last_name="Outsider")
    for path in ("", "/forward", "/decline", "/accept", "/withdraw"):
        caller = api(stranger)
        response = (
            caller.post(f"/me/introductions/{pk}{path}", {})
            if path
            else caller.get(f"/me/introductions/{pk}")
        )
        assert response.status_code == 404
    # Parties in the wrong role are refused with a reason.
    assert api(b).post(f"/me/introductions/{pk}/accept").status_code == 403
    assert api(a).post(f"/me/introductions/{pk}/decline", {}).status_code == 403
    assert api(c).post(f"/me/introductions/{pk}/withdraw").status_code == 403
    Block.objects.create(blocker=a, blocked=c)
    assert api(c).get(f"/me/introductions/{pk}").status_code == 404
    assert api(c).post(f"/me/introductions/{pk}/accept").status_code == 404
    assert api(c).get("/me/introductions", role="target").json()["count"] == 0
    assert Introduction.objects.get(pk=pk).status == Status.FORWARDED
    assert not policy.are_connected(a.pk, c.pk)


def test_read_only_token_cannot_ask_or_answer(trio, api):
    a, b, c = trio
    assert api(a, "read").post("/me/introductions", body()).status_code == 403
    introduction = intro.introduction_ask(requester=a, intermediary=b, target=c, why="W", message="M")
    assert api(b, "read").post(f"/me/introductions/{introduction.pk}/forward", {}).status_code == 403
    assert api(b, "read").get(f"/me/introductions/{introduction.pk}").status_code == 200
    assert Introduction.objects.get().status == Status.ASKED


def test_introducers_lists_mutual_connections(trio, api):
    a, b, c = trio
    other = veteran(first_name="Dan", last_name="Noir", slug="dan-noir")
    connect(a, other)
    connect(other, c)
    data = api(a).get("/members/cat-blanc/introducers").json()
    assert [item["slug"] for item in data["items"]] == ["ben-moreau", "dan-noir"]
    assert api(a).get("/members/ben-moreau/introducers").json()["count"] == 0  # connected already


def test_logged_out_is_401(trio, client):
    assert ApiClient(client).get("/me/introductions").status_code == 401
