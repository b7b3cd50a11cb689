import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from entregent import plans
from entregent.network import selectors, services
from entregent.network.models import Block, Follow, Invitation
from entregent.plans.models import Plan
from tests.factories import connect
from tests.network.conftest import quotas, veteran

pytestmark = pytest.mark.django_db


def _refused(sender, recipient, error, *, note="", match=None):
    """The send is refused with `error`, and nothing is stored or spent."""
    before_quotas, before_rows = quotas(sender), Invitation.objects.count()
    with pytest.raises(error, match=match):
        services.invitation_send(sender=sender, recipient=recipient, note=note)
    assert quotas(sender) == before_quotas
    assert Invitation.objects.count() == before_rows


def test_an_invitation_is_pending_and_spends_one_weekly_invitation(ann, ben):
    weekly, notes = quotas(ann)
    invitation = services.invitation_send(sender=ann, recipient=ben)
    assert invitation.status == "pending" and invitation.note == ""
    assert quotas(ann) == (weekly - 1, notes)
    assert list(selectors.invitations_received(ben)) == [invitation]
    assert list(selectors.invitations_sent(ann)) == [invitation]


def test_a_note_is_stripped_and_spends_a_monthly_note(ann, ben):
    weekly, notes = quotas(ann)
    invitation = services.invitation_send(sender=ann, recipient=ben, note="  We met at the Lyon meetup.  ")
    assert invitation.note == "We met at the Lyon meetup."
    assert quotas(ann) == (weekly - 1, notes - 1)


def test_a_blank_note_is_no_note(ann, ben):
    _weekly, notes = quotas(ann)
    invitation = services.invitation_send(sender=ann, recipient=ben, note="   ")
    assert invitation.note == ""
    assert quotas(ann)[1] == notes


def test_inviting_oneself_is_refused(ann):
    _refused(ann, ann, ValidationError, match="yourself")


@pytest.mark.parametrize("direction", ["sender blocked", "sender was blocked"])
def test_inviting_across_a_block_is_refused(ann, ben, direction):
    blocker, blocked = (ann, ben) if direction == "sender blocked" else (ben, ann)
    Block.objects.create(blocker=blocker, blocked=blocked)
    _refused(ann, ben, PermissionDenied, match="cannot invite")


def test_inviting_a_connection_is_refused(ann, ben):
    connect(ann, ben)
    _refused(ann, ben, ValidationError, match="already connected")


def test_inviting_twice_is_refused(ann, ben):
    services.invitation_send(sender=ann, recipient=ben)
    _refused(ann, ben, ValidationError, match="already invited")


def test_inviting_again_after_being_ignored_is_refused_as_still_pending(ann, ben):
    invitation = services.invitation_send(sender=ann, recipient=ben)
    services.invitation_ignore(invitation=invitation, member=ben)
    _refused(ann, ben, ValidationError, match="already invited")


def test_inviting_someone_who_invited_you_accepts_their_invitation(ann, ben):
    theirs = services.invitation_send(sender=ben, recipient=ann, note="Hello Ann")
    before = quotas(ann)
    result = services.invitation_send(sender=ann, recipient=ben, note="Hi Ben")
    assert result.pk == theirs.pk
    theirs.refresh_from_db()
    assert theirs.status == "accepted"
    assert selectors.are_connected(ann, ben)
    assert quotas(ann) == before
    assert Invitation.objects.count() == 1


def test_a_note_over_300_characters_is_refused(ann, ben):
    _refused(ann, ben, ValidationError, note="x" * 301)


def test_a_note_of_300_characters_is_accepted(ann, ben):
    assert len(services.invitation_send(sender=ann, recipient=ben, note="x" * 300).note) == 300


def test_a_note_needs_the_feature(ann, ben):
    Plan.objects.get(code="free").features.filter(feature="invitations.note").update(enabled=False)
    assert not plans.has(ann, "invitations.note")
    _refused(ann, ben, PermissionDenied, note="Hello", match="note")
    services.invitation_send(sender=ann, recipient=ben)  # without a note it goes


def test_over_the_weekly_quota_nothing_is_stored_or_spent(ann, ben):
    Plan.objects.get(code="free").quotas.filter(quota="invitations.weekly").update(limit=0)
    _refused(ann, ben, plans.QuotaExceeded, note="With a note")
    assert plans.remaining(ann, "invitation_notes.monthly") > 0


def test_over_the_note_quota_nothing_is_stored_or_spent(ann, ben):
    Plan.objects.get(code="free").quotas.filter(quota="invitation_notes.monthly").update(limit=0)
    _refused(ann, ben, plans.QuotaExceeded, note="With a note", match="notes")
    services.invitation_send(sender=ann, recipient=ben)  # without a note it goes


def test_the_quota_error_says_when_it_comes_back(ann, ben):
    Plan.objects.get(code="free").quotas.filter(quota="invitations.weekly").update(limit=0)
    with pytest.raises(plans.QuotaExceeded) as caught:
        services.invitation_send(sender=ann, recipient=ben)
    assert caught.value.resets_at > timezone.now()


def test_withdrawing_then_reinviting_within_three_weeks_is_refused(ann, ben):
    invitation = services.invitation_send(sender=ann, recipient=ben)
    services.invitation_withdraw(invitation=invitation, member=ann)
    assert invitation.status == "withdrawn"
    _refused(ann, ben, PermissionDenied, match="withdrew")
    Invitation.objects.filter(pk=invitation.pk).update(responded_at=timezone.now() - dt.timedelta(days=22))
    assert services.invitation_send(sender=ann, recipient=ben).status == "pending"


def test_the_withdraw_cooldown_binds_only_the_sender(ann, ben):
    invitation = services.invitation_send(sender=ann, recipient=ben)
    services.invitation_withdraw(invitation=invitation, member=ann)
    assert services.invitation_send(sender=ben, recipient=ann).status == "pending"


def test_a_recipient_at_the_connection_cap_cannot_be_invited(ann, ben, cat, settings):
    settings.ENTREGENT_MAX_CONNECTIONS = 1
    connect(ben, cat)
    _refused(ann, ben, PermissionDenied, match="maximum")


def test_a_sender_at_the_connection_cap_cannot_invite(ann, ben, cat, settings):
    settings.ENTREGENT_MAX_CONNECTIONS = 1
    connect(ann, cat)
    _refused(ann, ben, PermissionDenied, match="maximum")


def test_accepting_connects_and_both_follow_each_other(ann, ben):
    invitation = services.invitation_send(sender=ann, recipient=ben)
    services.invitation_accept(invitation=invitation, member=ben)
    invitation.refresh_from_db()
    assert invitation.status == "accepted" and invitation.responded_at is not None
    assert selectors.are_connected(ann, ben)
    assert Follow.objects.filter(follower=ann, followed=ben).exists()
    assert Follow.objects.filter(follower=ben, followed=ann).exists()
    assert list(selectors.invitations_received(ben)) == []
    assert list(selectors.invitations_sent(ann)) == []


def test_only_the_recipient_can_accept_or_ignore(ann, ben, cat):
    invitation = services.invitation_send(sender=ann, recipient=ben)
    for intruder in (ann, cat):
        with pytest.raises(PermissionDenied):
            services.invitation_accept(invitation=invitation, member=intruder)
        with pytest.raises(PermissionDenied):
            services.invitation_ignore(invitation=invitation, member=intruder)
    invitation.refresh_from_db()
    assert invitation.status == "pending"
    assert not selectors.are_connected(ann, ben)


def test_only_the_sender_can_withdraw(ann, ben, cat):
    invitation = services.invitation_send(sender=ann, recipient=ben)
    for intruder in (ben, cat):
        with pytest.raises(PermissionDenied):
            services.invitation_withdraw(invitation=invitation, member=intruder)
    invitation.refresh_from_db()
    assert invitation.status == "pending"


def test_an_answered_invitation_cannot_be_answered_again(ann, ben):
    invitation = services.invitation_send(sender=ann, recipient=ben)
    services.invitation_withdraw(invitation=invitation, member=ann)
    with pytest.raises(ValidationError, match="no longer pending"):
        services.invitation_accept(invitation=invitation, member=ben)
    assert not selectors.are_connected(ann, ben)


def test_an_ignored_invitation_still_shows_pending_to_the_sender(ann, ben):
    invitation = services.invitation_send(sender=ann, recipient=ben)
    services.invitation_ignore(invitation=invitation, member=ben)
    assert list(selectors.invitations_received(ben)) == []
    sent = list(selectors.invitations_sent(ann))
    assert sent == [invitation]
    assert sent[0].shown_status == "pending"


def test_an_ignored_invitation_can_still_be_accepted_or_withdrawn(ann, ben, cat):
    first = services.invitation_send(sender=ann, recipient=ben)
    services.invitation_ignore(invitation=first, member=ben)
    services.invitation_accept(invitation=first, member=ben)
    assert selectors.are_connected(ann, ben)
    second = services.invitation_send(sender=ann, recipient=cat)
    services.invitation_ignore(invitation=second, member=cat)
    services.invitation_withdraw(invitation=second, member=ann)
    assert second.status == "withdrawn"


def test_accepting_past_the_cap_is_refused(ann, ben, cat, settings):
    invitation = services.invitation_send(sender=ann, recipient=ben)
    connect(ann, cat)
    settings.ENTREGENT_MAX_CONNECTIONS = 1
    with pytest.raises(PermissionDenied, match="maximum"):
        services.invitation_accept(invitation=invitation, member=ben)
    invitation.refresh_from_db()
    assert invitation.status == "pending"
    assert not selectors.are_connected(ann, ben)


def test_invitations_from_blocked_members_are_not_received(ann, ben, cat):
    services.invitation_send(sender=ann, recipient=ben)
    from_cat = services.invitation_send(sender=cat, recipient=ben)
    Block.objects.create(blocker=ben, blocked=ann)  # a bare row: the selector still hides it
    assert list(selectors.invitations_received(ben)) == [from_cat]


def test_invitations_older_than_six_months_expire(ann, ben, cat):
    old = services.invitation_send(sender=ann, recipient=ben)
    old_ignored = services.invitation_send(sender=cat, recipient=ben)
    services.invitation_ignore(invitation=old_ignored, member=ben)
    recent = services.invitation_send(sender=ann, recipient=cat)
    now = timezone.now()
    Invitation.objects.filter(pk__in=[old.pk, old_ignored.pk]).update(created_at=now - dt.timedelta(days=190))
    Invitation.objects.filter(pk=recent.pk).update(created_at=now - dt.timedelta(days=170))
    assert services.invitations_expire() == 2
    statuses = dict(Invitation.objects.values_list("pk", "status"))
    assert statuses == {old.pk: "expired", old_ignored.pk: "expired", recent.pk: "pending"}
    assert list(selectors.invitations_sent(ann)) == [recent]
    # An expired invitation does not stand in the way of a new one.
    assert services.invitation_send(sender=ann, recipient=ben).status == "pending"


def test_six_months_counts_calendar_months(ann, ben):
    invitation = services.invitation_send(sender=ann, recipient=ben)
    now = timezone.make_aware(dt.datetime(2026, 8, 31, 12, 0))
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.make_aware(dt.datetime(2026, 3, 1))
    )
    assert services.invitations_expire(now=now) == 0  # cutoff is 28 February
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.make_aware(dt.datetime(2026, 2, 27))
    )
    assert services.invitations_expire(now=now) == 1


def test_invitation_lists_run_one_query(ann, ben, cat, django_assert_num_queries):
    services.invitation_send(sender=ben, recipient=ann, note="Hello")
    services.invitation_send(sender=cat, recipient=ann)
    services.invitation_send(sender=ann, recipient=veteran())
    with django_assert_num_queries(1):
        assert {i.sender.profile.display_name for i in selectors.invitations_received(ann)} == {
            "Ben Moreau",
            "Cat Blanc",
        }
    with django_assert_num_queries(1):
        assert len([i.recipient.profile.display_name for i in selectors.invitations_sent(ann)]) == 1
