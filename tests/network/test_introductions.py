"""Introductions (the relais relationnel), services and selectors: A asks B, connected to both, to
introduce them to C; B forwards or declines; C accepts (connected) or declines; A withdraws; open
requests are limited by the plan and expire after 30 days. Every refusal leaves nothing stored."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from entregent import plans
from entregent.core import policy
from entregent.network import introductions as intro
from entregent.network import services
from entregent.network.models import Block, Follow, Introduction
from tests.factories import connect
from tests.network.conftest import veteran

Status = Introduction.Status
WHY = "We both work on open data; I would like to ask her about the Lyon project."
MESSAGE = "Hello Cat, Ben told me about your work on open data in Lyon. Could we talk?"


@pytest.fixture
def trio(ann, ben, cat):
    """Ann (A) and Cat (C) are both connected to Ben (B), not to each other."""
    connect(ann, ben)
    connect(ben, cat)
    return ann, ben, cat


def ask(a, b, c, **texts):
    return intro.introduction_ask(
        requester=a,
        intermediary=b,
        target=c,
        why=texts.get("why", WHY),
        message=texts.get("message", MESSAGE),
    )


def pending(member) -> int:
    return Introduction.objects.filter(requester=member, status__in=intro.OPEN_STATUSES).count()


# ------------------------------------------------------------------------------------------ the flow


def test_full_flow_connects_requester_and_target_and_mails_each_step(
    trio, django_capture_on_commit_callbacks
):
    a, b, c = trio
    with django_capture_on_commit_callbacks(execute=True):
        introduction = ask(a, b, c)
    assert introduction.status == Status.ASKED
    assert [m.to for m in mail.outbox] == [[b.email]]
    assert "Ann Leroy asks you for an introduction to Cat Blanc" in mail.outbox[0].subject
    assert WHY in mail.outbox[0].body and MESSAGE in mail.outbox[0].body
    assert f"/network/introductions/{introduction.pk}/" in mail.outbox[0].body
    assert plans.remaining(a, intro.QUOTA) == plans.limit(a, intro.QUOTA) - 1

    with django_capture_on_commit_callbacks(execute=True):
        intro.introduction_forward(introduction=introduction, member=b, word="Ann is great, meet her.")
    introduction.refresh_from_db()
    assert introduction.status == Status.FORWARDED and introduction.forwarded_at is not None
    assert mail.outbox[1].to == [c.email]
    assert "Ben Moreau introduces you to Ann Leroy" in mail.outbox[1].subject
    assert "Ann is great, meet her." in mail.outbox[1].body and MESSAGE in mail.outbox[1].body
    assert WHY not in mail.outbox[1].body  # A's reasons were for B only

    with django_capture_on_commit_callbacks(execute=True):
        intro.introduction_accept(introduction=introduction, member=c)
    introduction.refresh_from_db()
    assert introduction.status == Status.ACCEPTED and introduction.responded_at is not None
    assert policy.are_connected(a.pk, c.pk)
    assert Follow.objects.filter(follower=a, followed=c).exists()
    assert Follow.objects.filter(follower=c, followed=a).exists()
    assert mail.outbox[2].to == [a.email]
    assert "Cat Blanc accepted your introduction" in mail.outbox[2].subject
    assert len(mail.outbox) == 3
    assert plans.remaining(a, intro.QUOTA) == plans.limit(a, intro.QUOTA)


def test_intermediary_declines_with_a_reason_told_to_the_requester(trio, django_capture_on_commit_callbacks):
    a, b, c = trio
    introduction = ask(a, b, c)
    with django_capture_on_commit_callbacks(execute=True):
        intro.introduction_decline(introduction=introduction, member=b, reason="I barely know her.")
    introduction.refresh_from_db()
    assert introduction.status == Status.DECLINED_BY_INTERMEDIARY
    assert introduction.decline_reason == "I barely know her."
    assert [m.to for m in mail.outbox] == [[a.email]]
    assert "did not forward" in mail.outbox[0].subject and "I barely know her." in mail.outbox[0].body
    assert not policy.are_connected(a.pk, c.pk)
    assert pending(a) == 0 and plans.remaining(a, intro.QUOTA) == plans.limit(a, intro.QUOTA)


def test_target_declines_and_the_requester_is_told(trio, django_capture_on_commit_callbacks):
    a, b, c = trio
    introduction = ask(a, b, c)
    intro.introduction_forward(introduction=introduction, member=b)
    with django_capture_on_commit_callbacks(execute=True):
        intro.introduction_decline(introduction=introduction, member=c)
    introduction.refresh_from_db()
    assert introduction.status == Status.DECLINED_BY_TARGET
    assert [m.to for m in mail.outbox] == [[a.email]]
    assert "Cat Blanc declined your introduction" in mail.outbox[0].subject
    assert not policy.are_connected(a.pk, c.pk)


def test_requester_withdraws_while_pending_and_nobody_is_mailed(trio, django_capture_on_commit_callbacks):
    a, b, c = trio
    first = ask(a, b, c)
    with django_capture_on_commit_callbacks(execute=True):
        intro.introduction_withdraw(introduction=first, member=a)
    assert first.status == Status.WITHDRAWN and mail.outbox == []
    # Forwarded requests can be withdrawn too, and a new request to the same member is then allowed.
    second = ask(a, b, c)
    intro.introduction_forward(introduction=second, member=b)
    intro.introduction_withdraw(introduction=second, member=a)
    assert Introduction.objects.get(pk=second.pk).status == Status.WITHDRAWN
    assert plans.remaining(a, intro.QUOTA) == plans.limit(a, intro.QUOTA)


# ------------------------------------------------------------------------------- asking: bad input


def _refused(error, a, b, c, **texts):
    before = Introduction.objects.count(), plans.remaining(a, intro.QUOTA)
    with pytest.raises(error) as caught:
        ask(a, b, c, **texts)
    assert (Introduction.objects.count(), plans.remaining(a, intro.QUOTA)) == before
    return caught.value


def test_intermediary_must_be_connected_to_both(trio):
    a, b, c = trio
    stranger = veteran(first_name="Sam", last_name="Roux")
    connect(a, stranger)  # connected to A only
    error = _refused(ValidationError, a, stranger, c)
    assert "connected to both" in error.messages[0]
    other = veteran(first_name="Zoé", last_name="Petit")
    connect(other, c)  # connected to C only
    _refused(ValidationError, a, other, c)


def test_target_must_be_second_degree_not_already_connected(trio):
    a, b, c = trio
    connect(a, c)
    error = _refused(ValidationError, a, b, c)
    assert error.messages == ["You are already connected to this member."]


def test_third_degree_member_cannot_be_reached_through_a_non_mutual(trio):
    a, b, c = trio
    far = veteran(first_name="Far", last_name="Away")
    connect(c, far)  # 3rd degree from A: B is not connected to them
    _refused(ValidationError, a, b, far)


def test_asking_for_oneself_or_through_oneself_is_refused(trio):
    a, b, c = trio
    assert "yourself" in _refused(ValidationError, a, b, a).messages[0]
    _refused(ValidationError, a, a, c)
    _refused(ValidationError, a, c, c)


@pytest.mark.parametrize("pair", ["ab", "ba", "bc", "cb", "ac", "ca"])
def test_any_blocked_pair_among_the_three_is_refused(trio, pair):
    a, b, c = trio
    members = {"a": a, "b": b, "c": c}
    # A block row alone (the connections stay) so that only the block can be the reason.
    Block.objects.create(blocker=members[pair[0]], blocked=members[pair[1]])
    _refused(PermissionDenied, a, b, c)


def test_deactivated_members_cannot_take_part(trio):
    a, b, c = trio
    c.is_active = False
    c.save(update_fields=["is_active"])
    _refused(PermissionDenied, a, b, c)
    c.is_active, b.is_active = True, False
    c.save(update_fields=["is_active"])
    b.save(update_fields=["is_active"])
    _refused(PermissionDenied, a, b, c)


def test_one_open_request_per_target(trio):
    a, b, c = trio
    ask(a, b, c)
    other = veteran(first_name="Dan", last_name="Noir")
    connect(a, other)
    connect(other, c)
    error = _refused(ValidationError, a, other, c)
    assert "already asked" in error.messages[0]


@pytest.mark.parametrize(
    ("field", "texts"),
    [
        ("why", {"why": ""}),
        ("why", {"why": "   "}),
        ("message", {"message": ""}),
        ("why", {"why": "x" * 601}),
        ("message", {"message": "x" * 601}),
        ("message", {"message": "nul\x00byte"}),
    ],
)
def test_empty_or_too_long_texts_are_refused_on_their_field(trio, field, texts):
    a, b, c = trio
    error = _refused(ValidationError, a, b, c, **texts)
    assert field in error.message_dict


def test_texts_at_the_limit_are_kept_stripped(trio):
    a, b, c = trio
    introduction = ask(a, b, c, why="  " + "w" * 600 + " ", message="m" * 600)
    assert introduction.why == "w" * 600 and introduction.message == "m" * 600


def test_pending_requests_are_limited_by_the_plan(trio):
    a, b, _c = trio
    limit = plans.limit(a, intro.QUOTA)
    assert limit is not None
    targets = []
    for n in range(limit + 1):
        target = veteran(first_name=f"T{n}", last_name="Target")
        connect(b, target)
        targets.append(target)
    for target in targets[:limit]:
        ask(a, b, target)
    error = _refused(plans.QuotaExceeded, a, b, targets[limit])
    assert str(limit) in str(error) and error.quota == intro.QUOTA
    # An answer frees a place.
    first = Introduction.objects.filter(requester=a).order_by("pk").first()
    intro.introduction_decline(introduction=first, member=b)
    assert ask(a, b, targets[limit]).status == Status.ASKED


def test_pending_count_follows_the_truth_when_requests_vanish(trio):
    """A request whose intermediary deleted their account disappears without an answer: the plan's count
    is brought back to the open requests at the next request."""
    a, b, c = trio
    limit = plans.limit(a, intro.QUOTA)
    others = []
    for n in range(limit):
        target = veteran(first_name=f"T{n}", last_name="Gone")
        connect(b, target)
        ask(a, b, target)
        others.append(target)
    assert plans.remaining(a, intro.QUOTA) == 0
    b.delete()  # cascades: every request through B vanishes
    new_b = veteran(first_name="New", last_name="Bridge")
    connect(a, new_b)
    connect(new_b, c)
    ask(a, new_b, c)
    assert plans.remaining(a, intro.QUOTA) == limit - 1


def test_restricted_member_cannot_ask(trio, monkeypatch):
    a, b, c = trio
    monkeypatch.setattr(intro.trust, "is_restricted", lambda member_id: member_id == a.pk)
    error = _refused(PermissionDenied, a, b, c)
    assert "restricted" in str(error)


# ------------------------------------------------------------------------------------ roles and states


def test_only_the_intermediary_forwards(trio):
    a, b, c = trio
    introduction = ask(a, b, c)
    for member in (a, c, veteran(first_name="Eve", last_name="Outsider")):
        with pytest.raises(PermissionDenied):
            intro.introduction_forward(introduction=introduction, member=member)
    assert Introduction.objects.get(pk=introduction.pk).status == Status.ASKED


def test_only_the_target_accepts(trio):
    a, b, c = trio
    introduction = ask(a, b, c)
    intro.introduction_forward(introduction=introduction, member=b)
    for member in (a, b):
        with pytest.raises(PermissionDenied):
            intro.introduction_accept(introduction=introduction, member=member)
    assert not policy.are_connected(a.pk, c.pk)


def test_only_intermediary_or_target_declines_and_only_at_their_step(trio):
    a, b, c = trio
    introduction = ask(a, b, c)
    with pytest.raises(PermissionDenied):
        intro.introduction_decline(introduction=introduction, member=a)
    with pytest.raises(ValidationError):  # C cannot answer before B forwarded it
        intro.introduction_decline(introduction=introduction, member=c)
    with pytest.raises(ValidationError):
        intro.introduction_accept(introduction=introduction, member=c)
    intro.introduction_forward(introduction=introduction, member=b)
    with pytest.raises(ValidationError):  # B's step is over
        intro.introduction_decline(introduction=introduction, member=b)
    assert Introduction.objects.get(pk=introduction.pk).status == Status.FORWARDED


def test_only_the_requester_withdraws(trio):
    a, b, c = trio
    introduction = ask(a, b, c)
    for member in (b, c):
        with pytest.raises(PermissionDenied):
            intro.introduction_withdraw(introduction=introduction, member=member)
    assert Introduction.objects.get(pk=introduction.pk).status == Status.ASKED


@pytest.mark.parametrize("closing", ["withdraw", "decline", "accept"])
def test_nothing_can_be_done_with_a_closed_introduction(trio, closing):
    a, b, c = trio
    introduction = ask(a, b, c)
    intro.introduction_forward(introduction=introduction, member=b)
    if closing == "withdraw":
        intro.introduction_withdraw(introduction=introduction, member=a)
    elif closing == "decline":
        intro.introduction_decline(introduction=introduction, member=c)
    else:
        intro.introduction_accept(introduction=introduction, member=c)
    stale = Introduction.objects.get(pk=introduction.pk)
    status = stale.status
    stale.status = Status.FORWARDED  # an old copy, as a page loaded before the answer holds it
    for call in (
        lambda: intro.introduction_accept(introduction=stale, member=c),
        lambda: intro.introduction_decline(introduction=stale, member=c),
        lambda: intro.introduction_withdraw(introduction=stale, member=a),
    ):
        with pytest.raises(ValidationError) as caught:
            call()
        assert caught.value.messages == ["This introduction is no longer waiting for an answer."]
    assert Introduction.objects.get(pk=introduction.pk).status == status


def test_forward_and_accept_are_refused_once_a_block_appears(trio):
    a, b, c = trio
    introduction = ask(a, b, c)
    block = Block.objects.create(blocker=c, blocked=b)
    with pytest.raises(PermissionDenied):
        intro.introduction_forward(introduction=introduction, member=b)
    block.delete()
    intro.introduction_forward(introduction=introduction, member=b)
    Block.objects.create(blocker=a, blocked=c)
    with pytest.raises(PermissionDenied):
        intro.introduction_accept(introduction=introduction, member=c)
    assert not policy.are_connected(a.pk, c.pk)
    assert Introduction.objects.get(pk=introduction.pk).status == Status.FORWARDED


def test_forward_needs_the_intermediary_still_connected_to_both(trio):
    a, b, c = trio
    introduction = ask(a, b, c)
    services.connection_remove(member=b, other=c)
    with pytest.raises(ValidationError):
        intro.introduction_forward(introduction=introduction, member=b)
    assert Introduction.objects.get(pk=introduction.pk).status == Status.ASKED


def test_forward_refused_when_requester_and_target_connected_meanwhile(trio):
    a, b, c = trio
    introduction = ask(a, b, c)
    connect(a, c)
    with pytest.raises(ValidationError) as caught:
        intro.introduction_forward(introduction=introduction, member=b)
    assert "already connected" in caught.value.messages[0]


def test_accept_when_already_connected_meanwhile_still_closes_it(trio):
    a, b, c = trio
    introduction = ask(a, b, c)
    intro.introduction_forward(introduction=introduction, member=b)
    connect(a, c)
    intro.introduction_accept(introduction=introduction, member=c)
    assert Introduction.objects.get(pk=introduction.pk).status == Status.ACCEPTED


def test_word_and_reason_limits(trio):
    a, b, c = trio
    introduction = ask(a, b, c)
    with pytest.raises(ValidationError) as caught:
        intro.introduction_forward(introduction=introduction, member=b, word="w" * 601)
    assert "intermediary_word" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        intro.introduction_decline(introduction=introduction, member=b, reason="r" * 301)
    assert "decline_reason" in caught.value.message_dict
    assert Introduction.objects.get(pk=introduction.pk).status == Status.ASKED


# ---------------------------------------------------------------------------------------- expiry


def test_requests_expire_after_30_days_without_an_answer(trio):
    a, b, c = trio
    now = timezone.now()
    asked = ask(a, b, c)
    d = veteran(first_name="Dan", last_name="Noir")
    connect(b, d)
    forwarded = ask(a, b, d)
    intro.introduction_forward(introduction=forwarded, member=b)
    Introduction.objects.filter(pk=asked.pk).update(created_at=now - dt.timedelta(days=31))
    Introduction.objects.filter(pk=forwarded.pk).update(
        created_at=now - dt.timedelta(days=50), forwarded_at=now - dt.timedelta(days=29)
    )
    assert plans.remaining(a, intro.QUOTA) == plans.limit(a, intro.QUOTA) - 2
    assert intro.introductions_expire(now=now) == 1
    assert Introduction.objects.get(pk=asked.pk).status == Status.EXPIRED
    assert Introduction.objects.get(pk=forwarded.pk).status == Status.FORWARDED
    assert plans.remaining(a, intro.QUOTA) == plans.limit(a, intro.QUOTA) - 1
    # Forwarded 31 days ago without C's answer: expired too.
    assert intro.introductions_expire(now=now + dt.timedelta(days=2)) == 1
    assert Introduction.objects.get(pk=forwarded.pk).status == Status.EXPIRED
    assert intro.introductions_expire(now=now + dt.timedelta(days=2)) == 0
    with pytest.raises(ValidationError):
        intro.introduction_accept(introduction=Introduction.objects.get(pk=forwarded.pk), member=d)


# ---------------------------------------------------------------------------------------- blocks


@pytest.mark.parametrize(
    ("blocker", "blocked", "status"),
    [
        ("a", "c", Status.WITHDRAWN),
        ("b", "a", Status.DECLINED_BY_INTERMEDIARY),
        ("c", "b", Status.DECLINED_BY_TARGET),
    ],
)
def test_a_block_closes_open_introductions_between_the_pair(trio, blocker, blocked, status):
    a, b, c = trio
    members = {"a": a, "b": b, "c": c}
    introduction = ask(a, b, c)
    intro.introduction_forward(introduction=introduction, member=b)
    unrelated = veteran(first_name="Una", last_name="Other")
    connect(b, unrelated)
    other = ask(a, b, unrelated)
    closed = intro.introductions_end_for_block(blocker=members[blocker], blocked=members[blocked])
    assert closed == (2 if {blocker, blocked} == {"a", "b"} else 1)
    assert Introduction.objects.get(pk=introduction.pk).status == status
    if {blocker, blocked} != {"a", "b"}:
        assert Introduction.objects.get(pk=other.pk).status == Status.ASKED
    assert plans.remaining(a, intro.QUOTA) == plans.limit(a, intro.QUOTA) - pending(a)


def test_a_block_by_the_target_before_it_reached_them_reads_as_expired(trio):
    a, b, c = trio
    introduction = ask(a, b, c)
    assert intro.introductions_end_for_block(blocker=c, blocked=a) == 1
    assert Introduction.objects.get(pk=introduction.pk).status == Status.EXPIRED
    assert intro.introductions_end_for_block(blocker=c, blocked=a) == 0


# ------------------------------------------------------------------------------------- selectors


def test_each_role_sees_its_own_introductions(trio):
    a, b, c = trio
    introduction = ask(a, b, c)
    assert list(intro.introductions_for(a, intro.REQUESTER)) == [introduction]
    assert list(intro.introductions_for(b, intro.INTERMEDIARY)) == [introduction]
    assert list(intro.introductions_for(c, intro.TARGET)) == []  # not forwarded yet
    assert intro.introductions_waiting(b) == {"requester": 0, "intermediary": 1, "target": 0}
    with pytest.raises(Http404):
        intro.introduction_for(c, introduction.pk)
    intro.introduction_forward(introduction=introduction, member=b)
    assert list(intro.introductions_for(c, intro.TARGET)) == [introduction]
    assert intro.introduction_for(c, introduction.pk)[1] == intro.TARGET
    assert intro.introductions_waiting(c) == {"requester": 0, "intermediary": 0, "target": 1}
    assert intro.introductions_waiting(a) == {"requester": 1, "intermediary": 0, "target": 0}


def test_declined_by_the_intermediary_is_never_seen_by_the_target(trio):
    a, b, c = trio
    introduction = ask(a, b, c)
    intro.introduction_decline(introduction=introduction, member=b, reason="No.")
    assert list(intro.introductions_for(c, intro.TARGET)) == []
    with pytest.raises(Http404):
        intro.introduction_for(c, introduction.pk)


def test_strangers_and_blocked_members_see_nothing(trio):
    a, b, c = trio
    introduction = ask(a, b, c)
    intro.introduction_forward(introduction=introduction, member=b)
    with pytest.raises(Http404):
        intro.introduction_for(veteran(first_name="Eve", last_name="Outsider"), introduction.pk)
    Block.objects.create(blocker=a, blocked=c)
    with pytest.raises(Http404):
        intro.introduction_for(c, introduction.pk)
    with pytest.raises(Http404):
        intro.introduction_for(a, introduction.pk)
    assert list(intro.introductions_for(c, intro.TARGET)) == []
    assert list(intro.introductions_for(a, intro.REQUESTER)) == []
    # B is blocked by neither: B still sees it.
    assert intro.introduction_for(b, introduction.pk)[1] == intro.INTERMEDIARY


def test_texts_each_role_may_read(trio):
    a, b, c = trio
    introduction = ask(a, b, c)
    intro.introduction_forward(introduction=introduction, member=b, word="Meet her.")
    intro.introduction_decline(introduction=introduction, member=c, reason="Too busy.")
    introduction.refresh_from_db()
    assert intro.visible_texts(introduction, intro.REQUESTER)["why"] == WHY
    assert intro.visible_texts(introduction, intro.REQUESTER)["decline_reason"] == "Too busy."
    assert intro.visible_texts(introduction, intro.INTERMEDIARY)["why"] == WHY
    assert intro.visible_texts(introduction, intro.INTERMEDIARY)["decline_reason"] == ""
    target_texts = intro.visible_texts(introduction, intro.TARGET)
    assert target_texts["why"] == "" and target_texts["message"] == MESSAGE
    assert target_texts["intermediary_word"] == "Meet her." and target_texts["decline_reason"] == "Too busy."


def test_intermediaries_are_mutual_connections_not_blocked(trio):
    a, b, c = trio
    other = veteran(first_name="Dan", last_name="Noir")
    connect(a, other)
    connect(other, c)
    assert [p.user_id for p in intro.intermediaries_for(a, c)] == [b.pk, other.pk]  # by name: Moreau, Noir
    Block.objects.create(blocker=other, blocked=c)
    assert [p.user_id for p in intro.intermediaries_for(a, c)] == [b.pk]
    assert intro.can_ask_introduction(a, c)
    ask(a, b, c)
    assert not intro.can_ask_introduction(a, c)  # already asked
    assert not intro.can_ask_introduction(a, b)  # 1st degree
    connect(a, c)
    assert list(intro.intermediaries_for(a, c)) == []
