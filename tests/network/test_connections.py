import datetime as dt

import pytest
from django.utils import timezone

from entregent.network import selectors, services
from entregent.network.models import Connection, Follow, Invitation
from tests.factories import connect
from tests.network.conftest import veteran

pytestmark = pytest.mark.django_db


def test_removing_a_connection_is_silent_and_stops_following_both_ways(ann, ben):
    invitation = services.invitation_send(sender=ann, recipient=ben)
    services.invitation_accept(invitation=invitation, member=ben)
    assert services.connection_remove(member=ben, other=ann) is True
    assert not selectors.are_connected(ann, ben)
    assert not Follow.objects.exists()
    assert Invitation.objects.get().status == "accepted"  # nothing tells Ann


def test_removing_a_connection_that_does_not_exist_changes_nothing(ann, ben, cat):
    connect(ann, cat)
    assert services.connection_remove(member=ann, other=ben) is False
    assert Connection.objects.count() == 1


def test_after_removal_either_may_invite_again(ann, ben):
    connect(ann, ben)
    services.connection_remove(member=ann, other=ben)
    assert services.invitation_send(sender=ben, recipient=ann).status == "pending"


def test_inviting_someone_whose_invitation_you_ignored_accepts_it(ann, ben):
    invitation = services.invitation_send(sender=ann, recipient=ben)
    services.invitation_ignore(invitation=invitation, member=ben)
    assert services.invitation_send(sender=ben, recipient=ann).pk == invitation.pk
    assert selectors.are_connected(ann, ben)


def test_connections_of_lists_profiles_newest_first_or_by_name(ann, ben, cat):
    dan = veteran(first_name="Dan", last_name="Aubert", slug="dan-aubert")
    outsider = veteran()
    connect(ben, outsider)
    connect(ann, ben)
    later = connect(ann, dan)
    Connection.objects.filter(pk=later.pk).update(created_at=timezone.now() + dt.timedelta(minutes=1))
    recent = list(selectors.connections_of(ann))
    assert [p.user_id for p in recent] == [dan.pk, ben.pk]
    assert recent[0].connected_at > recent[1].connected_at
    assert [p.last_name for p in selectors.connections_of(ann, order="name")] == ["Aubert", "Moreau"]
    assert selectors.connection_ids_of(ann) == {ben.pk, dan.pk}
    assert selectors.connection_count(ann) == 2
    assert selectors.connection_count(ben) == 2
    assert selectors.connection_count(cat) == 0


def test_connections_of_leaves_out_deactivated_members(ann, ben, cat):
    connect(ann, ben)
    connect(ann, cat)
    cat.is_active = False
    cat.save(update_fields=["is_active"])
    assert [p.user_id for p in selectors.connections_of(ann)] == [ben.pk]


def test_connections_of_runs_one_query(ann, ben, cat, django_assert_num_queries):
    connect(ann, ben)
    connect(ann, cat)
    with django_assert_num_queries(1):
        names = [p.user.email for p in selectors.connections_of(ann)]
    assert len(names) == 2


@pytest.mark.parametrize(
    ("count", "tier", "shown"),
    [
        (0, "0-100", "0"),
        (99, "0-100", "99"),
        (100, "100-500", "100"),
        (499, "100-500", "499"),
        (500, "500+", "500+"),
        (30000, "500+", "500+"),
    ],
)
def test_network_tier_and_displayed_count(count, tier, shown):
    assert selectors.network_tier(count) == tier
    assert selectors.connection_count_display(count) == shown
    assert str(selectors.TIER_LABELS[tier])


def test_mutual_connections_are_those_connected_to_both(ann, ben, cat):
    dan, eve, fay = veteran(), veteran(), veteran()
    for mutual in (cat, dan):
        connect(ann, mutual)
        connect(ben, mutual)
    connect(ann, eve)
    connect(ben, fay)
    connect(ann, ben)
    assert selectors.mutual_connection_ids(ann, ben) == sorted([cat.pk, dan.pk])
    assert selectors.mutual_connection_ids(ben, ann) == sorted([cat.pk, dan.pk])
    assert selectors.mutual_connection_ids(ann, eve) == []


def test_are_connected_either_way(ann, ben, cat):
    connect(ben, ann)
    assert selectors.are_connected(ann, ben) and selectors.are_connected(ben, ann)
    assert not selectors.are_connected(ann, cat)


def test_degree_between_members(ann, ben, cat):
    dan, eve, fay = veteran(), veteran(), veteran()
    connect(ann, ben)  # ann - ben - cat - dan ; eve alone ; fay blocked by ann but connected to ben
    connect(ben, cat)
    connect(cat, dan)
    connect(ben, fay)
    assert selectors.degree_between(ann, ben) == 1
    assert selectors.degree_between(ann, cat) == 2
    assert selectors.degree_between(cat, ann) == 2
    assert selectors.degree_between(ann, dan) == 3
    assert selectors.degree_between(dan, ann) == 3
    assert selectors.degree_between(ann, eve) is None
    assert selectors.degree_between(ann, ann) is None
    services.block(blocker=fay, blocked=cat)
    assert selectors.degree_between(cat, fay) is None


def test_mutual_connections_as_profiles_by_name(ann, ben):
    zed = veteran(first_name="Zed", last_name="Zola")
    abe = veteran(first_name="Abe", last_name="Abel")
    for mutual in (zed, abe):
        connect(ann, mutual)
        connect(ben, mutual)
    assert [p.last_name for p in selectors.mutual_connections(ann, ben)] == ["Abel", "Zola"]
