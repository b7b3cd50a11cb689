import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from entregent.core import policy
from entregent.network import selectors, services
from entregent.network.models import Block, Connection, Follow, Invitation, Unblock
from tests.factories import connect

pytestmark = pytest.mark.django_db


def test_following_is_one_way_and_idempotent(ann, ben):
    first = services.follow(follower=ann, followed=ben)
    assert services.follow(follower=ann, followed=ben).pk == first.pk
    assert list(Follow.objects.values_list("follower_id", "followed_id")) == [(ann.pk, ben.pk)]


def test_unfollowing(ann, ben):
    services.follow(follower=ann, followed=ben)
    assert services.unfollow(follower=ann, followed=ben) is True
    assert services.unfollow(follower=ann, followed=ben) is False
    assert not Follow.objects.exists()


def test_following_oneself_is_refused(ann):
    with pytest.raises(ValidationError, match="yourself"):
        services.follow(follower=ann, followed=ann)
    assert not Follow.objects.exists()


def test_the_database_refuses_a_self_follow_too(ann):
    with pytest.raises(IntegrityError), transaction.atomic():
        Follow.objects.create(follower=ann, followed=ann)


@pytest.mark.parametrize("direction", ["follower blocked", "follower was blocked"])
def test_following_across_a_block_is_refused(ann, ben, direction):
    blocker, blocked = (ann, ben) if direction == "follower blocked" else (ben, ann)
    Block.objects.create(blocker=blocker, blocked=blocked)
    with pytest.raises(PermissionDenied):
        services.follow(follower=ann, followed=ben)
    assert not Follow.objects.exists()


def test_blocking_removes_connection_invitations_and_follows_both_ways(ann, ben, cat):
    connect(ann, ben)
    services.follow(follower=ann, followed=ben)
    services.follow(follower=ben, followed=ann)
    services.follow(follower=cat, followed=ann)
    # Leftover open invitations both ways, one of them ignored.
    Invitation.objects.create(sender=ann, recipient=ben)
    Invitation.objects.create(sender=ben, recipient=ann, status="ignored")
    Invitation.objects.create(sender=ben, recipient=ann, status="withdrawn")
    to_cat = services.invitation_send(sender=ann, recipient=cat)
    services.block(blocker=ben, blocked=ann)
    assert policy.is_blocked(ann.pk, ben.pk)
    assert not selectors.are_connected(ann, ben)
    assert list(Invitation.objects.filter(status__in=["pending", "ignored"])) == [to_cat]
    assert list(Follow.objects.values_list("follower_id", "followed_id")) == [(cat.pk, ann.pk)]


def test_blocked_members_cannot_invite_or_follow_each_other(ann, ben):
    services.block(blocker=ann, blocked=ben)
    for sender, recipient in ((ann, ben), (ben, ann)):
        with pytest.raises(PermissionDenied):
            services.invitation_send(sender=sender, recipient=recipient)
        with pytest.raises(PermissionDenied):
            services.follow(follower=sender, followed=recipient)
    assert not Invitation.objects.exists() and not Follow.objects.exists()


def test_blocking_twice_changes_nothing_and_oneself_is_refused(ann, ben):
    first = services.block(blocker=ann, blocked=ben)
    assert services.block(blocker=ann, blocked=ben).pk == first.pk
    with pytest.raises(ValidationError, match="yourself"):
        services.block(blocker=ann, blocked=ann)
    assert Block.objects.count() == 1


def test_a_blocked_member_may_block_back(ann, ben):
    services.block(blocker=ann, blocked=ben)
    services.block(blocker=ben, blocked=ann)
    services.unblock(blocker=ann, blocked=ben)
    assert policy.is_blocked(ann.pk, ben.pk)  # Ben's block still holds


def test_unblocking_lets_them_connect_again(ann, ben):
    services.block(blocker=ann, blocked=ben)
    assert services.unblock(blocker=ann, blocked=ben) is True
    assert not policy.is_blocked(ann.pk, ben.pk)
    invitation = services.invitation_send(sender=ben, recipient=ann)
    services.invitation_accept(invitation=invitation, member=ann)
    assert selectors.are_connected(ann, ben)


def test_only_the_blocker_can_unblock(ann, ben):
    services.block(blocker=ann, blocked=ben)
    assert services.unblock(blocker=ben, blocked=ann) is False
    assert policy.is_blocked(ann.pk, ben.pk)
    assert not Unblock.objects.exists()


def test_no_reblock_within_48_hours_of_an_unblock(ann, ben):
    services.block(blocker=ann, blocked=ben)
    services.unblock(blocker=ann, blocked=ben)
    with pytest.raises(PermissionDenied, match="48 hours"):
        services.block(blocker=ann, blocked=ben)
    assert not Block.objects.exists()
    # The wait binds only the member who unblocked.
    services.block(blocker=ben, blocked=ann)
    services.unblock(blocker=ben, blocked=ann)
    Unblock.objects.filter(blocker=ann).update(unblocked_at=timezone.now() - dt.timedelta(hours=49))
    services.block(blocker=ann, blocked=ben)
    assert policy.is_blocked(ann.pk, ben.pk)


def test_a_refused_block_keeps_the_connection(ann, ben):
    services.block(blocker=ann, blocked=ben)
    services.unblock(blocker=ann, blocked=ben)
    connect(ann, ben)
    with pytest.raises(PermissionDenied):
        services.block(blocker=ann, blocked=ben)
    assert Connection.objects.count() == 1


def test_followers_and_following_lists_newest_first(ann, ben, cat):
    services.follow(follower=ben, followed=ann)
    later = services.follow(follower=cat, followed=ann)
    Follow.objects.filter(pk=later.pk).update(created_at=timezone.now() + dt.timedelta(minutes=1))
    services.follow(follower=ann, followed=cat)
    assert [p.user_id for p in selectors.followers_of(ann)] == [cat.pk, ben.pk]
    assert [p.user_id for p in selectors.following_of(ann)] == [cat.pk]
    assert [p.user_id for p in selectors.following_of(ben)] == [ann.pk]
    assert selectors.follower_count(ann) == 2
    assert selectors.is_following(ben, ann) and not selectors.is_following(ann, ben)


def test_follow_lists_leave_out_blocked_and_deactivated_members(ann, ben, cat):
    services.follow(follower=ben, followed=ann)
    services.follow(follower=cat, followed=ann)
    Block.objects.create(blocker=ann, blocked=ben)  # a bare row: the selector still hides Ben
    cat.is_active = False
    cat.save(update_fields=["is_active"])
    assert list(selectors.followers_of(ann)) == []


def test_follow_lists_run_one_query(ann, ben, cat, django_assert_num_queries):
    services.follow(follower=ben, followed=ann)
    services.follow(follower=cat, followed=ann)
    with django_assert_num_queries(1):
        assert len([p.user.email for p in selectors.followers_of(ann)]) == 2


def test_connections_made_before_follows_existed_get_follows_both_ways(ann, ben, cat):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("entregent.network.migrations.0004_follow_unblock")
    connect(ann, ben)
    services.follow(follower=ann, followed=ben)  # already there: kept, not duplicated
    migration.follow_existing_connections(apps, None)
    pairs = set(Follow.objects.values_list("follower_id", "followed_id"))
    assert pairs == {(ann.pk, ben.pk), (ben.pk, ann.pk)}
