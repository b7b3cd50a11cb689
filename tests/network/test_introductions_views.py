"""Introductions pages: the section with its three tabs, the request form, one introduction and each role's
answers — for A, B, C, a stranger and a blocked member; bad input re-renders the form (422) and stores
nothing; the list runs a bounded number of queries."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from entregent.core import policy
from entregent.network import introductions as intro
from entregent.network import services
from entregent.network.models import Block, Introduction
from tests.factories import connect
from tests.network.conftest import veteran

Status = Introduction.Status


@pytest.fixture
def trio(ann, ben, cat):
    connect(ann, ben)
    connect(ben, cat)
    return ann, ben, cat


def client_for(member) -> Client:
    client = Client()
    client.force_login(member)
    return client


def ask(a, b, c) -> Introduction:
    return intro.introduction_ask(requester=a, intermediary=b, target=c, why="Why", message="Hello Cat")


def new_url(member) -> str:
    return reverse("network:introduction_new", args=[member.profile.slug])


def detail_url(introduction) -> str:
    return reverse("network:introduction_detail", args=[introduction.pk])


def action_url(name, introduction) -> str:
    return reverse(f"network:introduction_{name}", args=[introduction.pk])


# ------------------------------------------------------------------------------------------ the form


def test_request_form_lists_mutual_connections_and_sends(trio, django_capture_on_commit_callbacks):
    a, b, c = trio
    client = client_for(a)
    page = client.get(new_url(c))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ask for an introduction to Cat Blanc" in html
    assert 'type="radio"' in html and "Ben Moreau" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(new_url(c), {"intermediary": b.pk, "why": "Same field", "message": "Hi Cat"})
    introduction = Introduction.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(introduction)
    assert (introduction.requester, introduction.intermediary, introduction.target) == (a, b, c)
    assert [m.to for m in mail.outbox] == [[b.email]]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"why": "", "message": "Hi"}, "why"),
        ({"why": "Why", "message": ""}, "message"),
        ({"why": "w" * 601, "message": "Hi"}, "why"),
        ({"why": "Why", "message": "m" * 601}, "message"),
    ],
)
def test_request_form_bad_texts_keep_the_input(trio, data, field):
    a, b, c = trio
    response = client_for(a).post(new_url(c), {"intermediary": b.pk, **data})
    assert response.status_code == 422
    form = response.context["form"]
    assert field in form.errors
    assert form["why"].value() == data["why"]  # what was typed is kept
    assert Introduction.objects.count() == 0


def test_request_form_refuses_a_member_not_connected_to_both(trio):
    a, b, c = trio
    outsider = veteran(first_name="Sam", last_name="Roux")
    connect(a, outsider)
    response = client_for(a).post(new_url(c), {"intermediary": outsider.pk, "why": "W", "message": "M"})
    assert response.status_code == 422
    assert "connected to both" in str(response.context["form"].errors["intermediary"])
    assert Introduction.objects.count() == 0


def test_request_form_over_the_limit_is_refused(trio):
    a, b, c = trio
    limit = intro.plans.limit(a, intro.QUOTA)
    for n in range(limit):
        target = veteran(first_name=f"T{n}", last_name="Target")
        connect(b, target)
        ask(a, b, target)
    response = client_for(a).post(new_url(c), {"intermediary": b.pk, "why": "W", "message": "M"})
    assert response.status_code == 403
    assert "waiting for an answer" in response.content.decode()
    assert Introduction.objects.filter(target=c).count() == 0


@pytest.mark.parametrize("case", ["self", "connected", "pending", "no_mutual"])
def test_request_form_explains_why_it_is_not_possible(trio, case):
    a, b, c = trio
    target = c
    if case == "self":
        target = a
    elif case == "connected":
        target = b
    elif case == "pending":
        ask(a, b, c)
    else:
        target = veteran(first_name="Far", last_name="Away")
    client = client_for(a)
    response = client.get(new_url(target))
    assert response.status_code == 403
    assert response.context["form"] is None and response.context["problem"]
    response = client.post(new_url(target), {"intermediary": b.pk, "why": "W", "message": "M"})
    assert response.status_code == 403
    assert Introduction.objects.count() == (1 if case == "pending" else 0)


def test_request_form_is_a_404_for_blocked_or_unknown_members(trio):
    a, b, c = trio
    client = client_for(a)
    assert client.get(new_url(c).replace(c.profile.slug, "nobody-here")).status_code == 404
    Block.objects.create(blocker=c, blocked=a)
    assert client.get(new_url(c)).status_code == 404
    assert client.post(new_url(c), {"intermediary": b.pk, "why": "W", "message": "M"}).status_code == 404
    assert Introduction.objects.count() == 0


def test_request_form_leaves_out_blocked_intermediaries(trio):
    a, b, c = trio
    other = veteran(first_name="Dan", last_name="Noir")
    connect(a, other)
    connect(other, c)
    services.block(blocker=other, blocked=a)
    html = client_for(a).get(new_url(c)).content.decode()
    assert "Ben Moreau" in html and "Dan Noir" not in html


def test_logged_out_visitors_are_sent_to_login(trio):
    a, b, c = trio
    response = Client().get(reverse("network:introductions"))
    assert response.status_code == 302 and "login" in response["Location"]


# ---------------------------------------------------------------------------------------- roles


def test_each_role_sees_the_introduction_and_its_own_answers(trio):
    a, b, c = trio
    introduction = ask(a, b, c)
    html = client_for(a).get(detail_url(introduction)).content.decode()
    assert "Introduction to Cat Blanc through Ben Moreau" in html and "Withdraw my request" in html
    html = client_for(b).get(detail_url(introduction)).content.decode()
    assert "Ann Leroy asks you to introduce them to Cat Blanc" in html
    assert "Forward to Cat Blanc" in html and "Why" in html
    assert client_for(c).get(detail_url(introduction)).status_code == 404  # not forwarded yet
    intro.introduction_forward(introduction=introduction, member=b, word="Meet Ann")
    html = client_for(c).get(detail_url(introduction)).content.decode()
    assert "Ben Moreau introduces you to Ann Leroy" in html and "Meet Ann" in html
    assert "Accept and connect with Ann Leroy" in html


@pytest.mark.parametrize("who", ["stranger", "blocked"])
def test_strangers_and_blocked_members_get_404_everywhere(trio, who):
    a, b, c = trio
    introduction = ask(a, b, c)
    intro.introduction_forward(introduction=introduction, member=b)
    if who == "stranger":
        viewer = veteran(first_name="Eve", last_name="Outsider")
    else:
        viewer = c
        Block.objects.create(blocker=a, blocked=c)
    client = client_for(viewer)
    assert client.get(detail_url(introduction)).status_code == 404
    for name in ("forward", "decline", "accept", "withdraw"):
        assert client.post(action_url(name, introduction), {}).status_code == 404
    assert Introduction.objects.get(pk=introduction.pk).status == Status.FORWARDED
    assert not policy.are_connected(a.pk, c.pk)
    listing = client.get(reverse("network:introductions"), {"tab": "received"})
    assert listing.context["rows"] == []


def test_roles_cannot_take_each_others_answers(trio):
    a, b, c = trio
    introduction = ask(a, b, c)
    # A cannot forward or decline; C cannot see it yet; B cannot withdraw or accept.
    assert client_for(a).post(action_url("forward", introduction)).status_code == 404
    assert client_for(a).post(action_url("decline", introduction)).status_code == 404
    assert client_for(b).post(action_url("withdraw", introduction)).status_code == 404
    assert client_for(b).post(action_url("accept", introduction)).status_code == 404
    assert client_for(c).post(action_url("accept", introduction)).status_code == 404
    assert Introduction.objects.get(pk=introduction.pk).status == Status.ASKED


def test_forward_decline_accept_through_the_pages(trio, django_capture_on_commit_callbacks):
    a, b, c = trio
    introduction = ask(a, b, c)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(b).post(action_url("forward", introduction), {"intermediary_word": "Meet Ann"})
    assert response.status_code == 302
    introduction.refresh_from_db()
    assert introduction.status == Status.FORWARDED and introduction.intermediary_word == "Meet Ann"
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(c).post(action_url("accept", introduction))
    assert response.status_code == 302 and response["Location"] == a.profile.get_absolute_url()
    assert policy.are_connected(a.pk, c.pk)
    assert [m.to for m in mail.outbox] == [[c.email], [a.email]]
    # Answering again: the page says it is closed, nothing changes.
    response = client_for(c).post(action_url("decline", introduction), {"decline_reason": ""})
    assert response.status_code == 422
    assert "no longer waiting" in response.content.decode()
    assert Introduction.objects.get(pk=introduction.pk).status == Status.ACCEPTED


def test_decline_with_a_reason_and_a_too_long_reason(trio):
    a, b, c = trio
    introduction = ask(a, b, c)
    client = client_for(b)
    response = client.post(action_url("decline", introduction), {"decline_reason": "r" * 301})
    assert response.status_code == 422
    assert response.context["decline_form"]["decline_reason"].value() == "r" * 301
    assert Introduction.objects.get(pk=introduction.pk).status == Status.ASKED
    response = client.post(action_url("forward", introduction), {"intermediary_word": "w" * 601})
    assert response.status_code == 422
    assert Introduction.objects.get(pk=introduction.pk).status == Status.ASKED
    response = client.post(action_url("decline", introduction), {"decline_reason": "Hardly know her"})
    assert response.status_code == 302
    introduction.refresh_from_db()
    assert introduction.status == Status.DECLINED_BY_INTERMEDIARY
    html = client_for(a).get(detail_url(introduction)).content.decode()
    assert "Hardly know her" in html and "Ben Moreau declined to forward it" in html


def test_withdraw_asks_for_confirmation(trio):
    a, b, c = trio
    introduction = ask(a, b, c)
    client = client_for(a)
    page = client.get(action_url("withdraw", introduction))
    assert page.status_code == 200 and "Withdraw your request for an introduction to Cat Blanc?" in (
        page.content.decode()
    )
    assert Introduction.objects.get(pk=introduction.pk).status == Status.ASKED
    assert client.post(action_url("withdraw", introduction)).status_code == 302
    assert Introduction.objects.get(pk=introduction.pk).status == Status.WITHDRAWN
    again = client.post(action_url("withdraw", introduction))
    assert again.status_code == 422 and "no longer waiting" in again.content.decode()


def test_forward_refused_after_a_block_says_why(trio):
    a, b, c = trio
    introduction = ask(a, b, c)
    Block.objects.create(blocker=c, blocked=a)
    response = client_for(b).post(action_url("forward", introduction), {"intermediary_word": "Hi"})
    assert response.status_code == 403
    assert "not possible" in response.content.decode()
    assert Introduction.objects.get(pk=introduction.pk).status == Status.ASKED


# ------------------------------------------------------------------------------------------ the list


def test_list_tabs_show_each_role(trio):
    a, b, c = trio
    introduction = ask(a, b, c)
    intro.introduction_forward(introduction=introduction, member=b)
    url = reverse("network:introductions")
    html = client_for(a).get(url, {"tab": "requested"}).content.decode()
    assert "Introduction to Cat Blanc through Ben Moreau" in html and "Withdraw…" in html
    html = client_for(b).get(url, {"tab": "relay"}).content.decode()
    assert "Ann Leroy asks you to introduce them to Cat Blanc" in html
    response = client_for(c).get(url)  # opens on what waits for C
    assert response.context["tab"] == "received"
    html = response.content.decode()
    assert "Ben Moreau introduces you to Ann Leroy" in html
    assert 'aria-current="page">Received' in html
    # Tabs of the other roles are empty for C.
    assert client_for(c).get(url, {"tab": "requested"}).context["rows"] == []


def test_target_never_reads_the_why_meant_for_the_intermediary(trio):
    a, b, c = trio
    introduction = intro.introduction_ask(
        requester=a, intermediary=b, target=c, why="Secret reason for Ben", message="Hello Cat"
    )
    intro.introduction_forward(introduction=introduction, member=b)
    for page in (reverse("network:introductions") + "?tab=received", detail_url(introduction)):
        html = client_for(c).get(page).content.decode()
        assert "Hello Cat" in html and "Secret reason for Ben" not in html


def _relay_requests(b, count: int) -> None:
    """`count` requests for B to relay, each from and to members of their own."""
    for n in range(count):
        target = veteran(first_name=f"T{n}", last_name="Target")
        requester = veteran(first_name=f"R{n}", last_name="Requester")
        connect(b, target)
        connect(requester, b)
        ask(requester, b, target)


def _queries(client, tab: str, django_assert_max_num_queries) -> tuple[int, int]:
    url = reverse("network:introductions")
    client.get(url, {"tab": tab})  # the graph index is built once per process
    with django_assert_max_num_queries(25) as captured:
        response = client.get(url, {"tab": tab})
    return len(captured.captured_queries), len(response.context["rows"])


def test_list_page_runs_a_bounded_number_of_queries(trio, django_assert_max_num_queries):
    a, b, c = trio
    client = client_for(b)
    _relay_requests(b, 2)
    few, rows = _queries(client, "relay", django_assert_max_num_queries)
    assert rows == 2
    _relay_requests(b, 12)
    many, rows = _queries(client, "relay", django_assert_max_num_queries)
    assert rows == 14
    assert many == few  # whatever the number of introductions


def test_requested_and_received_tabs_are_bounded_too(trio, django_assert_max_num_queries):
    a, b, c = trio
    limit = intro.plans.limit(a, intro.QUOTA)
    for n in range(limit):
        target = veteran(first_name=f"T{n}", last_name="Target")
        connect(b, target)
        introduction = ask(a, b, target)
        intro.introduction_forward(introduction=introduction, member=b)
    few = _queries(client_for(a), "requested", django_assert_max_num_queries)
    assert few[1] == limit
    for n in range(6):
        requester = veteran(first_name=f"R{n}", last_name="Requester")
        connect(requester, b)
        introduction = ask(requester, b, c)
        intro.introduction_forward(introduction=introduction, member=b)
    received = _queries(client_for(c), "received", django_assert_max_num_queries)
    assert received[1] == 6
