"""Contact details in a conversation — share mine in one click (what I ticked, or by default my account
email and what my profile already shows to the others), ask for theirs, answer a request once — and an
InMail marked as spam (archived, flagged, the sender reported once). The same rules as writing a message:
strangers, blocked pairs, former connections, restricted members and an InMail's unanswered sender are
refused and nothing is stored. The buttons: a redirect back with a flash message, 404 for a conversation
that is not the member's, 403 with the reason for a refusal, bounded queries."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from entregent import plans
from entregent.messaging import contacts, preferences, services, spam
from entregent.messaging.models import Conversation, Message, Participant
from entregent.messaging.views_settings import conversation_url
from entregent.network import services as network
from entregent.trust import risk
from entregent.trust.models import Report, Restriction
from tests.factories import ContactFactory, connect
from tests.messaging.conftest import sales_member

pytestmark = pytest.mark.django_db


def _start(sender, recipient, body="Hello", **fields) -> Conversation:
    conversation, _message = services.conversation_start(
        sender=sender, recipients=[recipient], body=body, **fields
    )
    return conversation


def _details(message) -> list[tuple[str, str]]:
    return [(d["kind"], d["value"]) for d in message.data["details"]]


def _row(conversation, member) -> Participant:
    return Participant.objects.get(conversation=conversation, member=member)


@pytest.fixture
def ann_contacts(ann):
    """Ann's profile: a phone her connections see, a website all members see, a private email."""
    return {
        "phone": ContactFactory(
            profile=ann.profile, kind="phone", value="+33 6 12 34 56 78", visibility="connections"
        ),
        "site": ContactFactory(
            profile=ann.profile, kind="website", value="https://ann.example", visibility="members"
        ),
        "private": ContactFactory(
            profile=ann.profile, kind="email", value="ann.private@example.org", visibility="me"
        ),
    }


# ------------------------------------------------------------------------------------------- sharing


def test_by_default_a_share_sends_the_account_email_and_what_the_profile_shows_the_others(pair, ann_contacts):
    ann, ben = pair
    conversation = _start(ann, ben)
    share = contacts.contact_share(conversation=conversation, member=ann)
    assert share.kind == Message.Kind.CONTACT_SHARE and share.sender == ann and share.body == ""
    assert _details(share) == [
        ("email", ann.email),
        ("phone", "+33 6 12 34 56 78"),
        ("website", "https://ann.example"),
    ]  # not the private email
    # Like any message: last of the conversation, unread for Ben, searchable by its values.
    conversation.refresh_from_db()
    assert conversation.last_message == share
    assert _row(conversation, ben).unread_count == 2 and _row(conversation, ann).unread_count == 0
    assert "ann.example" in share.search_text


def test_by_default_a_non_connection_does_not_get_what_only_connections_see(ann_contacts):
    ann = ann_contacts["phone"].profile.user
    seller = sales_member(first_name="Sam", last_name="Seller")
    conversation = _start(seller, ann, subject="A project", body="Could we talk?")
    credits = plans.remaining(seller, "inmail.credits")
    share = contacts.contact_share(conversation=conversation, member=ann)
    assert _details(share) == [("email", ann.email), ("website", "https://ann.example")]
    # Sharing answers the InMail: the sender's credit comes back, the conversation moves to Focused.
    conversation.refresh_from_db()
    assert conversation.inmail_answered_at is not None and conversation.inmail_credit_refunded
    assert plans.remaining(seller, "inmail.credits") == credits + 1
    assert _row(conversation, ann).folder == Participant.Folder.FOCUSED


def test_in_a_group_the_default_is_what_every_other_member_may_see(pair, cat, ann_contacts):
    ann, ben = pair
    connect(ben, cat)
    conversation, _ = services.conversation_start(sender=ben, recipients=[ann, cat], body="All three")
    share = contacts.contact_share(conversation=conversation, member=ann)  # Ann and Cat: not connected
    assert _details(share) == [("email", ann.email), ("website", "https://ann.example")]


def test_a_share_sends_exactly_what_the_member_ticked(pair, ann_contacts):
    ann, ben = pair
    private, phone = ann_contacts["private"], ann_contacts["phone"]
    preferences.preferences_update(member=ann, shared=[str(private.pk), phone.pk])
    share = contacts.contact_share(conversation=_start(ann, ben), member=ann)
    assert _details(share) == [("phone", phone.value), ("email", private.value)]  # the profile's order
    phone.delete()  # a detail deleted since is not sent
    assert _details(contacts.contact_share(conversation=share.conversation, member=ann)) == [
        ("email", private.value)
    ]


def test_a_share_keeps_what_was_given_when_the_profile_changes(pair, ann_contacts):
    ann, ben = pair
    share = contacts.contact_share(conversation=_start(ann, ben), member=ann)
    ann_contacts["phone"].value = "+33 7 00 00 00 00"
    ann_contacts["phone"].save()
    share.refresh_from_db()
    assert ("phone", "+33 6 12 34 56 78") in _details(share)


def test_sharing_with_nothing_ticked_is_refused_and_nothing_is_stored(pair):
    ann, ben = pair
    conversation = _start(ann, ben)
    preferences.preferences_update(member=ann, shared=[])
    with pytest.raises(ValidationError, match="none of your contact details"):
        contacts.contact_share(conversation=conversation, member=ann)
    assert Message.objects.count() == 1


def test_strangers_blocked_pairs_former_connections_and_restricted_members_cannot_share(pair, cat):
    ann, ben = pair
    conversation = _start(ann, ben)
    with pytest.raises(PermissionDenied):  # not in the conversation
        contacts.contact_share(conversation=conversation, member=cat)
    with pytest.raises(PermissionDenied):
        contacts.contact_request(conversation=conversation, member=cat)
    Restriction.objects.create(member=ann, reason="spam", ends_at=timezone.now() + dt.timedelta(days=3))
    with pytest.raises(PermissionDenied, match="restricted"):
        contacts.contact_share(conversation=conversation, member=ann)
    network.connection_remove(member=ben, other=ann)
    with pytest.raises(PermissionDenied, match="not connected"):
        contacts.contact_share(conversation=conversation, member=ben)
    connect(ann, ben)
    network.block(blocker=ann, blocked=ben)
    for post in (contacts.contact_share, contacts.contact_request):
        with pytest.raises(PermissionDenied, match="cannot be reached"):
            post(conversation=conversation, member=ben)
    assert Message.objects.count() == 1


def test_a_group_member_blocked_by_someone_in_the_group_cannot_share_with_it(pair, cat):
    ann, ben = pair
    connect(ann, cat)
    conversation, _ = services.conversation_start(sender=ann, recipients=[ben, cat], body="Hi both")
    network.block(blocker=cat, blocked=ben)
    with pytest.raises(PermissionDenied):
        contacts.contact_share(conversation=conversation, member=ben)
    contacts.contact_share(conversation=conversation, member=ann)


def test_an_inmail_sender_cannot_share_or_ask_before_an_answer(cat):
    seller = sales_member()
    conversation = _start(seller, cat, subject="Hi", body="Hello")
    for post in (contacts.contact_share, contacts.contact_request):
        with pytest.raises(PermissionDenied, match="Wait for an answer"):
            post(conversation=conversation, member=seller)
    services.message_send(conversation=conversation, sender=cat, body="Hello to you")
    contacts.contact_request(conversation=conversation, member=seller)


# ------------------------------------------------------------------------------------------ requests


def test_ask_then_the_other_accepts_once_and_shares_back(pair, ann_contacts):
    ann, ben = pair
    conversation = _start(ann, ben)
    request = contacts.contact_request(conversation=conversation, member=ben)
    assert request.kind == Message.Kind.CONTACT_REQUEST and request.data == {"accepted_by": []}
    assert contacts.request_open_for(request, ann.pk) and not contacts.request_open_for(request, ben.pk)
    with pytest.raises(ValidationError, match="already asked"):  # one open request at a time
        contacts.contact_request(conversation=conversation, member=ben)
    with pytest.raises(PermissionDenied, match="your own request"):
        contacts.contact_request_accept(message=request, member=ben)
    share = contacts.contact_request_accept(message=request, member=ann)
    assert share.kind == Message.Kind.CONTACT_SHARE and share.sender == ann
    assert share.data["request"] == request.pk and ("email", ann.email) in _details(share)
    request.refresh_from_db()
    assert request.data["accepted_by"] == [ann.pk] and not contacts.request_open_for(request, ann.pk)
    with pytest.raises(ValidationError, match="already shared"):
        contacts.contact_request_accept(message=request, member=ann)
    assert Message.objects.filter(kind=Message.Kind.CONTACT_SHARE).count() == 1
    contacts.contact_request(conversation=conversation, member=ben)  # answered: may ask again


def test_in_a_group_each_other_member_answers_a_request_once(pair, cat):
    ann, ben = pair
    connect(ann, cat)
    conversation, _ = services.conversation_start(sender=ann, recipients=[ben, cat], body="Hi both")
    request = contacts.contact_request(conversation=conversation, member=ann)
    contacts.contact_request_accept(message=request, member=ben)
    contacts.contact_request_accept(message=request, member=cat)
    request.refresh_from_db()
    assert request.data["accepted_by"] == [ben.pk, cat.pk]


def test_only_a_request_can_be_accepted_and_only_by_someone_in_the_conversation(pair, cat):
    ann, ben = pair
    conversation = _start(ann, ben)
    text = conversation.messages.get()
    with pytest.raises(PermissionDenied, match="does not ask"):
        contacts.contact_request_accept(message=text, member=ben)
    request = contacts.contact_request(conversation=conversation, member=ann)
    with pytest.raises(PermissionDenied):
        contacts.contact_request_accept(message=request, member=cat)
    request.refresh_from_db()
    assert request.data["accepted_by"] == []


# ---------------------------------------------------------------------------------------------- spam


def test_the_recipient_marks_an_inmail_as_spam_once_and_its_sender_is_reported(cat):
    seller = sales_member(first_name="Sam", last_name="Seller")
    conversation = _start(seller, cat, subject="Cheap leads", body="Buy now")
    assert spam.can_mark_spam(conversation, cat.pk) and not spam.can_mark_spam(conversation, seller.pk)
    row = spam.inmail_mark_spam(conversation=conversation, member=cat)
    assert row.marked_spam and row.archived
    report = Report.objects.get()
    assert (report.reporter, report.reported, report.reason) == (cat, seller, Report.Reason.SPAM)
    assert "Cheap leads" in report.comment
    assert risk.open_reporter_counts([seller.pk]) == {seller.pk: 1}  # feeds the trust signals
    spam.inmail_mark_spam(conversation=conversation, member=cat)  # again: nothing more
    assert Report.objects.count() == 1 and _row(conversation, cat).marked_spam


def test_an_inmail_is_marked_even_when_its_sender_was_already_reported(cat):
    from entregent.trust import services as trust

    seller = sales_member()
    trust.report_create(reporter=cat, reported=seller, reason="fake")
    conversation = _start(seller, cat, subject="Hi", body="Hello")
    assert spam.inmail_mark_spam(conversation=conversation, member=cat).marked_spam
    assert Report.objects.count() == 1


def test_only_the_recipient_of_an_inmail_can_mark_it_as_spam(pair, cat):
    ann, ben = pair
    seller = sales_member()
    inmail = _start(seller, cat, subject="Hi", body="Hello")
    with pytest.raises(PermissionDenied, match="recipient"):
        spam.inmail_mark_spam(conversation=inmail, member=seller)
    with pytest.raises(PermissionDenied):
        spam.inmail_mark_spam(conversation=inmail, member=ann)
    with pytest.raises(PermissionDenied, match="Only an InMail"):
        spam.inmail_mark_spam(conversation=_start(ann, ben), member=ben)
    assert not Participant.objects.filter(marked_spam=True).exists() and not Report.objects.exists()


# --------------------------------------------------------------------------------------------- views


def _post(client, name, pk, **extra):
    return client.post(reverse(f"messaging:{name}", args=[pk]), **extra)


def _flash(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


def test_the_share_button_shares_and_goes_back_to_the_conversation(
    client, pair, django_assert_max_num_queries
):
    ann, ben = pair
    conversation = _start(ann, ben)
    client.force_login(ann)
    with django_assert_max_num_queries(40):
        response = _post(client, "contact_share", conversation.pk)
    assert response.status_code == 302 and response.url == conversation_url(conversation.pk)
    assert _flash(response) == ["Your contact details were shared."]
    assert conversation.messages.filter(kind=Message.Kind.CONTACT_SHARE).count() == 1


def test_ask_and_accept_buttons(client, pair):
    ann, ben = pair
    conversation = _start(ann, ben)
    client.force_login(ben)
    response = _post(client, "contact_request", conversation.pk)
    assert response.status_code == 302 and _flash(response) == ["You asked for contact details."]
    again = _post(client, "contact_request", conversation.pk)  # refused with the reason, nothing stored
    assert again.status_code == 302 and "already asked" in _flash(again)[-1]
    request = conversation.messages.get(kind=Message.Kind.CONTACT_REQUEST)
    assert _post(client, "contact_request_accept", request.pk).status_code == 403  # my own request
    client.force_login(ann)
    response = _post(client, "contact_request_accept", request.pk)
    assert response.status_code == 302 and response.url == conversation_url(conversation.pk)
    assert conversation.messages.filter(kind=Message.Kind.CONTACT_SHARE, sender=ann).count() == 1


def test_buttons_in_someone_elses_conversation_are_404_and_store_nothing(client, pair, cat):
    ann, ben = pair
    conversation = _start(ann, ben)
    request = contacts.contact_request(conversation=conversation, member=ann)
    client.force_login(cat)
    for name, pk in (
        ("contact_share", conversation.pk),
        ("contact_request", conversation.pk),
        ("contact_request_accept", request.pk),
        ("inmail_spam", conversation.pk),
        ("contact_share", 999999),
    ):
        assert _post(client, name, pk).status_code == 404, name
    assert conversation.messages.count() == 2


def test_buttons_refuse_get_and_anonymous_visitors(client, pair):
    ann, ben = pair
    conversation = _start(ann, ben)
    url = reverse("messaging:contact_share", args=[conversation.pk])
    assert client.post(url).status_code == 302 and conversation.messages.count() == 1  # to sign in
    client.force_login(ann)
    assert client.get(url).status_code == 405


def test_a_blocked_member_gets_403_with_the_reason(client, pair):
    ann, ben = pair
    conversation = _start(ann, ben)
    network.block(blocker=ann, blocked=ben)
    client.force_login(ben)
    response = _post(client, "contact_share", conversation.pk)
    assert response.status_code == 403 and b"cannot be reached" in response.content
    client.force_login(ann)  # the conversation is hidden for the blocker
    assert _post(client, "contact_share", conversation.pk).status_code == 404


def test_the_spam_button(client, cat, ann):
    seller = sales_member()
    conversation = _start(seller, cat, subject="Hi", body="Hello")
    client.force_login(seller)
    assert _post(client, "inmail_spam", conversation.pk).status_code == 403
    client.force_login(cat)
    response = _post(client, "inmail_spam", conversation.pk)
    assert response.status_code == 302 and response.url == conversation_url(conversation.pk)
    assert "marked as spam" in _flash(response)[-1]
    assert _row(conversation, cat).marked_spam and Report.objects.filter(reason="spam").count() == 1


def test_the_share_button_runs_as_many_queries_in_a_group_of_3_as_of_10(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.network.conftest import veteran

    counts = []
    for size in (2, 9):
        creator, others = veteran(), [veteran() for _ in range(size)]
        for other in others:
            connect(creator, other)
        conversation, _ = services.conversation_start(sender=creator, recipients=others, body="Hi all")
        client.force_login(others[0])
        with CaptureQueriesContext(connection) as queries:
            assert _post(client, "contact_share", conversation.pk).status_code == 302
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 30
