"""Messaging through the JSON API: the same services, selectors and access policy as the pages. Each
endpoint's happy path, bad input (422, nothing changed), a stranger (404), a blocked member, a read-only
token, and InMail credits (429 when spent)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from entregent import plans
from entregent.messaging import services
from entregent.messaging.models import (
    Attachment,
    Conversation,
    Label,
    Message,
    MessagingSettings,
    Participant,
)
from entregent.network import services as network
from tests.api.conftest import ApiClient, make_token
from tests.factories import ContactFactory, connect
from tests.messaging.conftest import sales_member
from tests.network.conftest import veteran

pytestmark = pytest.mark.django_db


def _api(client, user, scope: str = "write") -> ApiClient:
    return ApiClient(client, make_token(user, scope))


def _row(conversation_id: int, member) -> Participant:
    return Participant.objects.get(conversation_id=conversation_id, member=member)


def _start(client, sender, *slugs, body="Hello", **extra):
    return _api(client, sender).post("/me/conversations", {"recipients": list(slugs), "body": body, **extra})


# ------------------------------------------------------------------------------------ conversations


def test_write_to_a_connection_then_read_the_conversation_and_its_messages(client, pair):
    ann, ben = pair
    started = _start(client, ann, "ben-moreau", body="Hello **Ben**")
    assert started.status_code == 201, started.content
    conversation = started.json()
    assert conversation["kind"] == "direct" and conversation["title"] == "Ben Moreau"
    assert [p["member"]["slug"] for p in conversation["participants"]] == ["ben-moreau"]
    assert conversation["last_message"]["mine"] and conversation["state"]["unread"] is False

    bens = _api(client, ben)
    inbox = bens.get("/me/conversations").json()
    assert inbox["count"] == 1 and inbox["page"] == 1 and inbox["pages"] == 1
    row = inbox["items"][0]
    assert row["id"] == conversation["id"] and row["state"]["unread"] and row["state"]["unread_count"] == 1
    assert (
        row["last_message"]["excerpt"] == "Hello **Ben**"
        and row["last_message"]["sender_name"] == "Ann Leroy"
    )
    assert bens.get("/me/messaging/unread").json() == {"conversations": 1}

    detail = bens.get(f"/me/conversations/{conversation['id']}")
    assert detail.status_code == 200 and detail.json()["state"]["folder"] == "focused"
    # Reading the conversation through GET does not mark it read.
    assert _row(conversation["id"], ben).unread_count == 1

    messages = bens.get(f"/me/conversations/{conversation['id']}/messages").json()
    assert messages["has_older"] is False and messages["older_before_id"] is None
    (message,) = messages["items"]
    assert message["body"] == "Hello **Ben**" and "<strong>Ben</strong>" in message["html"]
    assert message["sender"]["slug"] == "ann-leroy" and not message["mine"] and not message["can_edit"]

    read = bens.put(f"/me/conversations/{conversation['id']}/state", {"read": True})
    assert read.status_code == 200 and read.json()["state"]["unread"] is False
    assert bens.get("/me/messaging/unread").json() == {"conversations": 0}

    reply = bens.post(f"/me/conversations/{conversation['id']}/messages", {"body": "Hi Ann"})
    assert reply.status_code == 201 and reply.json()["mine"] and reply.json()["can_edit"]
    # Read receipts: Ann sees when Ben read it.
    seen = _api(client, ann).get(f"/me/conversations/{conversation['id']}").json()
    assert seen["participants"][0]["last_read_at"] is not None


def test_read_receipts_turned_off_hide_the_read_position(client, pair):
    ann, ben = pair
    conversation = _start(client, ann, "ben-moreau").json()
    MessagingSettings.objects.create(member=ben, read_receipts=False)
    _api(client, ben).put(f"/me/conversations/{conversation['id']}/state", {"read": True})
    seen = _api(client, ann).get(f"/me/conversations/{conversation['id']}").json()
    assert seen["participants"][0]["last_read_at"] is None


def test_bad_input_is_a_422_and_nothing_is_stored(client, pair):
    ann, _ben = pair
    api = _api(client, ann)
    for body in (
        {"recipients": ["ben-moreau"], "body": "   "},
        {"recipients": ["ben-moreau"], "body": "x" * 2001},
        {"recipients": [], "body": "Hello"},
        {"recipients": ["ben-moreau"], "body": "Hello", "attachments": ["cv.pdf"]},
        {"recipients": ["ben moreau!"], "body": "Hello"},
        {"recipients": ["ben-moreau"], "body": "Hel\x00lo"},
        {"recipients": ["ann-leroy"], "body": "To myself"},
    ):
        response = api.post("/me/conversations", body)
        assert response.status_code == 422, (body, response.content)
        assert response.json()["errors"]
    assert api.post("/me/conversations", raw="{not json").status_code == 400
    assert not Conversation.objects.exists() and not Message.objects.exists()


def test_a_stranger_without_inmail_gets_the_lock_with_its_reason(client, ann, cat):
    response = _start(client, ann, "cat-blanc")
    assert response.status_code == 403
    lock = response.json()
    assert "your plan has no InMail" in lock["reason"] and lock["detail"] == lock["reason"]
    assert any("connect" in hint for hint in lock["unlock"])
    assert not Conversation.objects.exists()

    access = _api(client, ann).get("/members/cat-blanc/message-access").json()
    assert access["mode"] == "locked" and access["reason"] == lock["reason"]
    assert access["inmail_credits_left"] == 0 and access["conversation_id"] is None


def test_an_inmail_needs_a_subject_spends_a_credit_and_429_once_credits_are_spent(client, cat):
    seller = sales_member(first_name="Sam", last_name="Seller", slug="sam-seller")
    api = _api(client, seller)
    access = api.get("/members/cat-blanc/message-access").json()
    left = plans.remaining(seller, "inmail.credits")
    assert access["mode"] == "inmail" and access["inmail_credits_left"] == left and left > 0

    no_subject = _start(client, seller, "cat-blanc", body="Could we talk?")
    assert no_subject.status_code == 422 and "subject" in no_subject.json()["errors"]
    assert plans.remaining(seller, "inmail.credits") == left and not Conversation.objects.exists()

    sent = _start(client, seller, "cat-blanc", body="Could we talk?", subject="Your logistics project")
    assert sent.status_code == 201, sent.content
    assert sent.json()["kind"] == "inmail" and sent.json()["title"] == "Your logistics project"
    assert plans.remaining(seller, "inmail.credits") == left - 1
    cats = _api(client, cat).get("/me/conversations", folder="other").json()
    assert [c["id"] for c in cats["items"]] == [sent.json()["id"]]
    assert (
        _api(client, seller).get("/members/cat-blanc/message-access").json()["conversation_id"]
        == (sent.json()["id"])
    )
    # Writing again before an answer is refused with the reason.
    again = api.post(f"/me/conversations/{sent.json()['id']}/messages", {"body": "Did you see it?"})
    assert again.status_code == 403 and "Wait for an answer" in again.json()["detail"]

    dora = veteran(first_name="Dora", last_name="Petit", slug="dora-petit")
    while plans.remaining(seller, "inmail.credits"):
        plans.consume(seller, "inmail.credits")
    out = _start(client, seller, "dora-petit", body="Hello", subject="A question")
    assert out.status_code == 429, out.content
    assert out.json()["detail"] and "resets_at" in out.json()
    assert not Conversation.objects.filter(participants__member=dora).exists()
    assert _api(client, seller).get("/members/dora-petit/message-access").json()["mode"] == "locked"


def test_a_member_refusing_inmail_is_a_403_not_a_429(client, cat):
    seller = sales_member(slug="sam-seller")
    MessagingSettings.objects.create(member=cat, refuse_inmail=True)
    response = _start(client, seller, "cat-blanc", subject="Hi")
    assert response.status_code == 403 and "does not accept InMail" in response.json()["reason"]


def test_a_group_of_connections_and_a_stranger_in_a_group(client, pair, cat):
    ann, ben = pair
    connect(ann, cat)
    group = _start(client, ann, "ben-moreau", "cat-blanc", body="Hello both", name="Project")
    assert group.status_code == 201 and group.json()["kind"] == "group"
    assert group.json()["title"] == "Project" and len(group.json()["participants"]) == 2
    dora = veteran(slug="dora-petit")
    refused = _start(client, ann, "ben-moreau", "dora-petit")
    assert refused.status_code == 403 and refused.json()["detail"]
    assert not Participant.objects.filter(member=dora).exists()


def test_messages_page_backwards_with_before_id(client, pair):
    ann, ben = pair
    conversation, _ = services.conversation_start(sender=ann, recipients=[ben], body="1")
    for n in range(2, 6):
        services.message_send(conversation=conversation, sender=ann, body=str(n))
    api = _api(client, ben)
    page = api.get(f"/me/conversations/{conversation.pk}/messages", limit=2).json()
    assert [m["body"] for m in page["items"]] == ["4", "5"] and page["has_older"]
    older = api.get(
        f"/me/conversations/{conversation.pk}/messages", limit=2, before_id=page["older_before_id"]
    ).json()
    assert [m["body"] for m in older["items"]] == ["2", "3"]
    oldest = api.get(
        f"/me/conversations/{conversation.pk}/messages", limit=2, before_id=older["older_before_id"]
    ).json()
    assert [m["body"] for m in oldest["items"]] == ["1"] and not oldest["has_older"]
    assert api.get(f"/me/conversations/{conversation.pk}/messages", limit=0).status_code == 422


def test_attachments_are_listed_with_their_download_address(client, pair):
    ann, ben = pair
    conversation, message = services.conversation_start(sender=ann, recipients=[ben], body="The quote")
    attachment = Attachment(
        message=message, original_name="devis.pdf", content_type="application/pdf", size=4
    )
    attachment.file.save("devis.pdf", ContentFile(b"%PDF"), save=False)
    attachment.save()
    items = _api(client, ben).get(f"/me/conversations/{conversation.pk}/messages").json()["items"]
    (listed,) = items[0]["attachments"]
    assert (
        listed["name"] == "devis.pdf" and listed["size"] == 4 and listed["content_type"] == "application/pdf"
    )
    assert listed["url"].endswith(f"/{attachment.pk}/")
    attachment.file.delete(save=False)


def test_the_inbox_runs_the_same_number_of_queries_for_2_or_12_conversations(
    client, ann, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = _api(client, ann)

    def add(count: int) -> None:
        for _ in range(count):
            other = veteran()
            connect(ann, other)
            services.conversation_start(sender=other, recipients=[ann], body="Hello")

    def measure() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get("/me/conversations").status_code == 200
        return len(queries)

    add(2)
    measure()  # the token's "last used" is written on its first request
    few = measure()
    add(10)
    assert measure() == few
    with django_assert_max_num_queries(15):
        api.get("/me/conversations")


# ---------------------------------------------------------------------------------- edit and delete


def test_edit_within_15_minutes_and_delete_own_messages(client, pair):
    ann, ben = pair
    conversation, message = services.conversation_start(sender=ann, recipients=[ben], body="Helo")
    anns, bens = _api(client, ann), _api(client, ben)
    edited = anns.patch(f"/me/messages/{message.pk}", {"body": "Hello"})
    assert edited.status_code == 200 and edited.json()["body"] == "Hello" and edited.json()["edited_at"]
    assert anns.patch(f"/me/messages/{message.pk}", {"body": ""}).status_code == 422
    assert anns.patch(f"/me/messages/{message.pk}", {"body": "x" * 2001}).status_code == 422
    # Someone else's message in my conversation: visible, but not mine to change.
    assert bens.patch(f"/me/messages/{message.pk}", {"body": "Hijack"}).status_code == 403
    assert bens.delete(f"/me/messages/{message.pk}").status_code == 403
    Message.objects.filter(pk=message.pk).update(created_at=timezone.now() - dt.timedelta(minutes=16))
    late = anns.patch(f"/me/messages/{message.pk}", {"body": "Hello!"})
    assert late.status_code == 403 and "15 minutes" in late.json()["detail"]
    assert Message.objects.get(pk=message.pk).body == "Hello"

    assert anns.delete(f"/me/messages/{message.pk}").status_code == 204
    shown = bens.get(f"/me/conversations/{conversation.pk}/messages").json()["items"][0]
    assert shown["deleted"] and shown["body"] == "" and shown["html"] == ""


# ------------------------------------------------------------------------------- organising the inbox


def test_organise_a_conversation_and_filter_the_inbox(client, pair):
    ann, ben = pair
    conversation, _ = services.conversation_start(sender=ben, recipients=[ann], body="Quote attached")
    api = _api(client, ann)
    label = api.post("/me/message-labels", {"name": "Clients", "colour": "#AA0000"}).json()
    other_label = api.post("/me/message-labels", {"name": "Later"}).json()
    url = f"/me/conversations/{conversation.pk}/state"

    changed = api.put(url, {"starred": True, "muted": True, "labels": [label["id"], other_label["id"]]})
    assert changed.status_code == 200, changed.content
    state = changed.json()["state"]
    assert state["starred"] and state["muted"]
    assert {lbl["name"] for lbl in state["labels"]} == {"Clients", "Later"}
    assert api.put(url, {"labels": [label["id"]]}).json()["state"]["labels"] == [
        {"id": label["id"], "name": "Clients", "colour": "#aa0000"}
    ]
    assert api.get("/me/conversations", filter="starred").json()["count"] == 1
    assert api.get("/me/conversations", label=label["id"]).json()["count"] == 1
    assert api.get("/me/conversations", label=other_label["id"]).json()["count"] == 0

    assert api.put(url, {"unread": True}).json()["state"]["unread"]
    assert api.get("/me/conversations", filter="unread").json()["count"] == 1
    assert api.put(url, {"read": True, "unread": True}).status_code == 422

    assert api.put(url, {"folder": "other"}).json()["state"]["folder"] == "other"
    assert api.get("/me/conversations", folder="focused").json()["count"] == 0
    assert api.get("/me/conversations", folder="other").json()["count"] == 1

    reminded = api.put(url, {"remind_days": 3}).json()["state"]
    assert reminded["remind_at"] is not None and not reminded["reminder_due"]
    assert api.put(url, {"remind_days": None}).json()["state"]["remind_at"] is None
    assert api.put(url, {"remind_days": 31}).status_code == 422

    until = (timezone.now() + dt.timedelta(days=2)).isoformat()
    assert api.put(url, {"snoozed_until": until}).json()["state"]["snoozed_until"] is not None
    assert api.get("/me/conversations").json()["count"] == 0
    assert api.get("/me/conversations", filter="snoozed").json()["count"] == 1
    assert api.put(url, {"snoozed_until": None}).json()["state"]["snoozed_until"] is None

    assert api.put(url, {"archived": True}).json()["state"]["archived"]
    assert api.get("/me/conversations").json()["count"] == 0
    assert api.get("/me/conversations", filter="archived").json()["count"] == 1


def test_a_refused_state_change_changes_nothing(client, pair):
    ann, ben = pair
    conversation, _ = services.conversation_start(sender=ben, recipients=[ann], body="Hi")
    api = _api(client, ann)
    url = f"/me/conversations/{conversation.pk}/state"
    past = (timezone.now() - dt.timedelta(days=1)).isoformat()
    response = api.put(url, {"archived": True, "starred": True, "snoozed_until": past})
    assert response.status_code == 422 and "snoozed_until" in response.json()["errors"]
    far = (timezone.now() + dt.timedelta(days=400)).isoformat()
    assert api.put(url, {"archived": True, "snoozed_until": far}).status_code == 422
    assert api.put(url, {"snoozed_until": "0001-01-01T00:00:00+23:59"}).status_code == 422
    assert api.put(url, {"folder": "spam"}).status_code == 422
    assert api.put(url, {"starred": True, "surprise": 1}).status_code == 422
    row = _row(conversation.pk, ann)
    assert not row.archived and not row.starred and row.snoozed_until is None


def test_labels_crud(client, ann):
    api = _api(client, ann)
    created = api.post("/me/message-labels", {"name": "Clients", "colour": "#00aa00"})
    assert created.status_code == 201 and created.json()["colour"] == "#00aa00"
    label_id = created.json()["id"]
    assert api.post("/me/message-labels", {"name": "clients"}).status_code == 422  # same name
    assert api.post("/me/message-labels", {"name": "Red", "colour": "red"}).status_code == 422
    assert api.post("/me/message-labels", {"name": ""}).status_code == 422
    assert api.post("/me/message-labels", {"name": "x" * 41}).status_code == 422
    assert api.post("/me/message-labels", {"name": "   "}).status_code == 422
    api.post("/me/message-labels", {"name": "Partners"})
    assert api.patch(f"/me/message-labels/{label_id}", {"name": "Partners"}).status_code == 422
    renamed = api.patch(f"/me/message-labels/{label_id}", {"name": "Customers", "colour": "#0000FF"})
    assert renamed.status_code == 200 and renamed.json() == {
        "id": label_id,
        "name": "Customers",
        "colour": "#0000ff",
    }
    assert [lbl["name"] for lbl in api.get("/me/message-labels").json()] == ["Customers", "Partners"]
    assert api.delete(f"/me/message-labels/{label_id}").status_code == 204
    assert [lbl["name"] for lbl in api.get("/me/message-labels").json()] == ["Partners"]


# --------------------------------------------------------------------------------- settings, search


def test_messaging_settings_read_and_change(client, ann):
    api = _api(client, ann)
    mine = ContactFactory(profile=ann.profile)
    theirs = ContactFactory(profile=veteran().profile)
    read = api.get("/me/messaging-settings").json()
    assert {k: read[k] for k in ("read_receipts", "refuse_inmail", "email_unread", "shared")} == {
        "read_receipts": True,
        "refuse_inmail": False,
        "email_unread": "hourly",
        "shared": "auto",
    }
    assert [item["key"] for item in read["shareable"]] == ["account", str(mine.pk)]
    assert not MessagingSettings.objects.exists()  # reading creates nothing
    changed = api.patch(
        "/me/messaging-settings", {"read_receipts": False, "email_unread": "off", "shared": [str(mine.pk)]}
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["read_receipts"] is False and changed.json()["email_unread"] == "off"
    assert changed.json()["shared"] == [str(mine.pk)]
    assert api.patch("/me/messaging-settings", {"shared": []}).json()["shared"] == []
    refused = api.patch("/me/messaging-settings", {"refuse_inmail": True, "shared": [str(theirs.pk)]})
    assert refused.status_code == 422 and "shared" in refused.json()["errors"]
    assert api.patch("/me/messaging-settings", {"email_unread": "daily"}).status_code == 422
    assert api.patch("/me/messaging-settings", {"shared": "everything"}).status_code == 422
    settings = MessagingSettings.objects.get(member=ann)
    assert not settings.refuse_inmail and not settings.read_receipts
    assert api.patch("/me/messaging-settings", {"shared": "auto"}).json()["shared"] == "auto"


def test_search_finds_my_messages_only(client, pair, cat):
    pytest.importorskip("entregent.messaging.search")
    ann, ben = pair
    connect(ben, cat)
    services.conversation_start(sender=ben, recipients=[ann], body="Hélène a envoyé le devis")
    services.conversation_start(sender=ben, recipients=[cat], body="Hélène: le devis de Cat")
    found = _api(client, ann).get("/me/messaging/search", q="helene devis")
    assert found.status_code == 200, found.content
    (hit,) = found.json()["items"]
    assert hit["message"]["body"] == "Hélène a envoyé le devis" and "<mark>" in hit["snippet"]
    assert _api(client, ann).get("/me/messaging/search", q="?!").status_code == 422
    assert _api(client, ann).get("/me/messaging/search", q="").status_code == 422


# ------------------------------------------------------------------------- scope: strangers, blocks


def test_another_members_conversations_messages_and_labels_are_404(client, pair, cat):
    ann, ben = pair
    conversation, message = services.conversation_start(sender=ann, recipients=[ben], body="Private")
    label = services.label_create(owner=ann, name="Mine")
    cats = _api(client, cat)
    base = f"/me/conversations/{conversation.pk}"
    assert cats.get(base).status_code == 404
    assert cats.get(f"{base}/messages").status_code == 404
    assert cats.post(f"{base}/messages", {"body": "Intrusion"}).status_code == 404
    assert cats.put(f"{base}/state", {"archived": True}).status_code == 404
    assert cats.patch(f"/me/messages/{message.pk}", {"body": "Changed"}).status_code == 404
    assert cats.delete(f"/me/messages/{message.pk}").status_code == 404
    assert cats.patch(f"/me/message-labels/{label.pk}", {"name": "Stolen"}).status_code == 404
    assert cats.delete(f"/me/message-labels/{label.pk}").status_code == 404
    assert cats.get("/me/conversations", label=label.pk).status_code == 404
    assert cats.get("/me/conversations").json()["count"] == 0
    # Someone else's label on my own conversation: refused, nothing changes.
    bens = _api(client, ben)
    assert bens.put(f"{base}/state", {"labels": [label.pk]}).status_code == 422
    assert not _row(conversation.pk, ben).labels.exists()
    assert Message.objects.get(pk=message.pk).body == "Private" and Label.objects.filter(pk=label.pk).exists()
    assert cats.get("/me/conversations/999999").status_code == 404


def test_a_block_hides_the_conversation_for_the_blocker_and_the_member_for_both(client, pair):
    ann, ben = pair
    conversation, _ = services.conversation_start(sender=ann, recipients=[ben], body="Hello")
    network.block(blocker=ben, blocked=ann)
    bens, anns = _api(client, ben), _api(client, ann)
    assert bens.get(f"/me/conversations/{conversation.pk}").status_code == 404
    assert bens.get(f"/me/conversations/{conversation.pk}/messages").status_code == 404
    assert bens.get("/me/conversations").json()["count"] == 0
    # The blocked member cannot reach the blocker: not by slug, not in the old conversation.
    assert _start(client, ann, "ben-moreau").status_code == 404
    assert anns.get("/members/ben-moreau/message-access").status_code == 404
    refused = anns.post(f"/me/conversations/{conversation.pk}/messages", {"body": "Hello?"})
    assert refused.status_code == 403
    seen = anns.get(f"/me/conversations/{conversation.pk}").json()
    assert seen["participants"] == []
    assert all(
        m["sender"] is None or m["mine"]
        for m in anns.get(f"/me/conversations/{conversation.pk}/messages").json()["items"]
    )
    assert Message.objects.count() == 1


# ---------------------------------------------------------------------------------- authentication


def test_a_read_only_token_reads_but_cannot_write(client, pair):
    ann, ben = pair
    conversation, message = services.conversation_start(sender=ann, recipients=[ben], body="Hello")
    api = _api(client, ann, "read")
    assert api.get("/me/conversations").status_code == 200
    assert api.get(f"/me/conversations/{conversation.pk}/messages").status_code == 200
    assert api.get("/me/messaging-settings").status_code == 200
    writes = [
        api.post("/me/conversations", {"recipients": ["ben-moreau"], "body": "More"}),
        api.post(f"/me/conversations/{conversation.pk}/messages", {"body": "More"}),
        api.patch(f"/me/messages/{message.pk}", {"body": "Changed"}),
        api.delete(f"/me/messages/{message.pk}"),
        api.put(f"/me/conversations/{conversation.pk}/state", {"archived": True}),
        api.post("/me/message-labels", {"name": "Clients"}),
        api.patch("/me/messaging-settings", {"refuse_inmail": True}),
    ]
    for response in writes:
        assert response.status_code == 403 and "read-only" in response.json()["detail"]
    assert Message.objects.get().body == "Hello" and not _row(conversation.pk, ann).archived
    assert not Label.objects.exists() and not MessagingSettings.objects.exists()


def test_every_endpoint_needs_a_member(client, db):
    anonymous = ApiClient(client)
    for path in (
        "/me/conversations",
        "/me/conversations/1",
        "/me/conversations/1/messages",
        "/me/message-labels",
        "/me/messaging/unread",
        "/me/messaging/search?q=devis",
        "/me/messaging-settings",
        "/members/ann-leroy/message-access",
    ):
        assert anonymous.get(path).status_code == 401, path
    assert anonymous.post("/me/conversations", {"recipients": ["x"], "body": "Hi"}).status_code == 401
    assert ApiClient(client, "ent_not-a-token").get("/me/conversations").status_code == 401


# ------------------------------------------------------------------------ the document, with real data


def _load_schema():
    import schemathesis

    from entregent.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application).include(tag="messaging")


schema = _load_schema()
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


@pytest.fixture
def inbox_with_data(db):
    """Ann (who calls) in a conversation with Ben (messages, an attachment, a label, a reminder), and a
    conversation between Ben and Cat that nothing Ann does may change."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    ann = veteran(first_name="Ann", last_name="Leroy", slug="ann-leroy")
    ben = veteran(first_name="Ben", last_name="Moreau", slug="ben-moreau")
    cat = veteran(first_name="Cat", last_name="Blanc", slug="cat-blanc")
    connect(ann, ben)
    connect(ben, cat)
    conversation, first = services.conversation_start(sender=ben, recipients=[ann], body="Hello *Ann*")
    mine = services.message_send(conversation=conversation, sender=ann, body="Hi Ben")
    Attachment.objects.create(
        message=first, file="messages/x.pdf", original_name="x.pdf", content_type="application/pdf", size=3
    )
    label = services.label_create(owner=ann, name="Clients")
    services.conversation_label(conversation=conversation, member=ann, label=label)
    services.conversation_remind(conversation=conversation, member=ann, days=2)
    theirs, their_message = services.conversation_start(sender=ben, recipients=[cat], body="Private")
    their_label = services.label_create(owner=cat, name="Cat's")
    before = _messaging_snapshot(theirs)
    ids = {
        "conversation_id": [theirs.pk, conversation.pk],
        "message_id": [their_message.pk, first.pk, mine.pk],
        "label_id": [their_label.pk, label.pk],
    }
    yield make_token(ann), ids
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
    assert _messaging_snapshot(theirs) == before, "a request by Ann changed someone else's conversation"


def _messaging_snapshot(conversation) -> list:
    return [
        list(Message.objects.filter(conversation=conversation).order_by("pk").values()),
        list(Participant.objects.filter(conversation=conversation).order_by("pk").values()),
        list(Label.objects.exclude(owner__profile__slug="ann-leroy").order_by("pk").values()),
    ]


@schema.parametrize()
@settings(
    max_examples=8,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_messaging_answers_match_the_document_on_real_conversations(case, inbox_with_data):
    token, ids = inbox_with_data
    headers = {"Authorization": f"Bearer {token}"}
    case.call_and_validate(headers=headers, checks=CHECKS)
    for name, values in ids.items():
        if name in (case.path_parameters or {}):
            for value in values:  # someone else's first (a 404), then Ann's own
                case.path_parameters[name] = value
                case.call_and_validate(headers=headers, checks=CHECKS)
