"""The messaging pages: the inbox (folders, filters, labels, rows, bulk actions, the rows' fragment), a
conversation (messages oldest first with older pages, Markdown-lite, edits and deletions, events, contact
messages, attachments, read receipts, the reply form, the member's actions, groups), a new message (recipients,
the lock and InMail), the profile's Message button and the top bar's badge. Each with its roles: a
participant, another member (404), a blocked member, a visitor (to the login page); bad input is refused
with 422 or 403 and stores nothing; every page runs the same number of queries with 2 or 20 items."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from entregent import plans
from entregent.messaging import services
from entregent.messaging.models import (
    Attachment,
    Conversation,
    Label,
    Message,
    MessagingSettings,
    Participant,
    SenderFolder,
)
from entregent.network import services as network
from tests.factories import connect
from tests.messaging.conftest import sales_member
from tests.network.conftest import veteran

pytestmark = pytest.mark.django_db

INBOX = reverse("messaging:inbox")
NEW = reverse("messaging:new")
BULK = reverse("messaging:bulk")


def _url(conversation, name="conversation") -> str:
    return reverse(f"messaging:{name}", args=[conversation.pk])


def _row(conversation, member) -> Participant:
    return Participant.objects.get(conversation=conversation, member=member)


def _html(response) -> str:
    return response.content.decode()


def _main(response) -> str:
    html = _html(response)
    return html[html.index("<main") : html.index("</main>")]


def _talk(pair, body="Hello Ben"):
    ann, ben = pair
    conversation, message = services.conversation_start(sender=ann, recipients=[ben], body=body)
    return conversation, message


# ------------------------------------------------------------------------------------------- inbox


def test_the_inbox_shows_each_conversation_with_its_members_preview_time_and_unread_state(client, pair):
    ann, ben = pair
    conversation, _ = _talk(pair, "Are you free **Tuesday** for the review?")
    client.force_login(ben)
    response = client.get(INBOX)
    assert response.status_code == 200
    main = _main(response)
    assert "Ann Leroy" in main and "Are you free Tuesday for the review?" in main  # marks left out
    assert "inbox-row--unread" in main and ", unread</span>" in main
    assert f'data-conversation-id="{conversation.pk}"' in main
    assert "data-inbox" in main and f'data-rows-url="{reverse("messaging:inbox_rows")}"' in main
    client.force_login(ann)
    main = _main(client.get(INBOX))
    assert "Ben Moreau" in main and "You: Are you free Tuesday" in main and "inbox-row--unread" not in main


def test_the_inbox_asks_a_visitor_to_sign_in(client):
    response = client.get(INBOX)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_deleted_last_message_reads_message_deleted(client, pair):
    ann, ben = pair
    _conversation, message = _talk(pair, "Oops, wrong person")
    services.message_delete(message=message, member=ann)
    client.force_login(ben)
    main = _main(client.get(INBOX))
    assert "Message deleted" in main and "Oops" not in main


def test_a_group_row_shows_its_name_and_an_inmail_its_subject_in_other(client, pair, cat):
    ann, ben = pair
    connect(ann, cat)
    services.conversation_start(sender=ann, recipients=[ben, cat], body="Kick-off", name="Project Atlas")
    seller = sales_member(first_name="Sam", last_name="Seller")
    services.conversation_start(sender=seller, recipients=[ben], subject="Your logistics project", body="Hi")
    client.force_login(ben)
    focused = _main(client.get(INBOX))
    assert (
        "Project Atlas" in focused and "Ann: Kick-off" in focused and "Your logistics project" not in focused
    )
    other = _main(client.get(INBOX + "?folder=other"))
    assert "Your logistics project" in other and "Sam Seller" in other and "Project Atlas" not in other
    inmail = _main(client.get(INBOX + "?filter=inmail"))
    assert "Your logistics project" in inmail and "Project Atlas" not in inmail
    assert 'href="/messaging/?folder=other" aria-current' not in focused
    assert re.search(r'folder=other">Other <span class="badge badge--count">1', focused)  # Other has news


def test_filters_starred_archived_and_labels_with_their_colours(client, pair, cat):
    ann, ben = pair
    connect(ben, cat)
    first, _ = _talk(pair)
    second, _ = services.conversation_start(sender=cat, recipients=[ben], body="From Cat")
    services.conversation_star(conversation=first, member=ben)
    services.conversation_archive(conversation=second, member=ben)
    label = services.label_create(owner=ben, name="Clients", colour="#cc3300")
    services.conversation_label(conversation=first, member=ben, label=label)
    client.force_login(ben)
    inbox = _main(client.get(INBOX))
    assert "Ann Leroy" in inbox and "From Cat" not in inbox  # archived
    assert 'fill="#cc3300"' in inbox and "Clients" in inbox and "Starred" in inbox
    assert "From Cat" in _main(client.get(INBOX + "?filter=archived"))
    starred = _main(client.get(INBOX + "?filter=starred"))
    assert "Ann Leroy" in starred and "Cat Blanc" not in starred
    labelled = _main(client.get(INBOX + f"?label={label.pk}"))
    assert "Ann Leroy" in labelled and "Conversations labelled “Clients”" in labelled


def test_another_members_label_is_a_404(client, pair):
    ann, ben = pair
    theirs = services.label_create(owner=ann, name="Secret")
    client.force_login(ben)
    assert client.get(INBOX + f"?label={theirs.pk}").status_code == 404


def test_the_inbox_is_paginated(client, ann):
    for n in range(23):
        friend = veteran(first_name="Friend", last_name=f"Number{n:02d}")
        connect(ann, friend)
        services.conversation_start(sender=friend, recipients=[ann], body=f"Message {n}")
    client.force_login(ann)
    first = _main(client.get(INBOX))
    assert first.count("data-inbox-row") == 20 and "Page 1 of 2" in first and "Number22" in first
    second = _main(client.get(INBOX + "?page=2"))
    assert second.count("data-inbox-row") == 3 and "Number00" in second


def test_the_inbox_has_a_search_box_keyboard_help_and_its_script(client, ann):
    client.force_login(ann)
    html = _html(client.get(INBOX))
    assert "entregent/inbox.js" in html and "<dialog" in html and "Keyboard shortcuts" in html
    for key in (
        "<kbd>j</kbd>",
        "<kbd>k</kbd>",
        "<kbd>o</kbd>",
        "<kbd>e</kbd>",
        "<kbd>s</kbd>",
        "<kbd>u</kbd>",
    ):
        assert key in html
    search = reverse("messaging:search") if _has_url("messaging:search") else None
    if search:
        assert f'action="{search}"' in html and 'name="q"' in html


def _has_url(name: str) -> bool:
    from django.urls import NoReverseMatch

    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


def test_the_rows_fragment_lists_the_first_page_only(client, pair):
    conversation, _ = _talk(pair)
    client.force_login(pair[1])
    response = client.get(reverse("messaging:inbox_rows"))
    html = _html(response)
    assert response.status_code == 200 and "<main" not in html
    assert f'data-conversation-id="{conversation.pk}"' in html


# --------------------------------------------------------------------------------------- bulk actions


def _two_conversations(pair, cat):
    ann, ben = pair
    connect(ben, cat)
    first, _ = _talk(pair)
    second, _ = services.conversation_start(sender=cat, recipients=[ben], body="From Cat")
    return first, second


def test_bulk_actions_on_a_selection(client, pair, cat):
    ann, ben = pair
    first, second = _two_conversations(pair, cat)
    label = services.label_create(owner=ben, name="Follow up")
    client.force_login(ben)
    ids = [first.pk, second.pk]
    for action in ("star", "read", f"label:{label.pk}", "other", "archive"):
        response = client.post(BULK, {"ids": ids, "action": action, "next": INBOX})
        assert response.status_code == 302, action
    for conversation in (first, second):
        row = _row(conversation, ben)
        assert row.starred and row.unread_count == 0 and row.archived and row.folder == "other"
        assert list(row.labels.all()) == [label]
    assert SenderFolder.objects.filter(member=ben, sender=cat, folder="other").exists()  # taught
    client.post(BULK, {"ids": ids, "action": "unread"})
    client.post(BULK, {"ids": ids, "action": f"unlabel:{label.pk}"})
    client.post(BULK, {"ids": [first.pk], "action": "unarchive"})
    client.post(BULK, {"ids": [first.pk], "action": "focused"})
    assert _row(first, ben).marked_unread and not _row(first, ben).labels.exists()
    assert not _row(first, ben).archived and _row(second, ben).archived
    assert _row(first, ben).folder == "focused"


def test_a_rows_own_button_acts_on_that_row_only(client, pair, cat):
    ann, ben = pair
    first, second = _two_conversations(pair, cat)
    client.force_login(ben)
    response = client.post(
        BULK, {"row": f"{first.pk}:star", "ids": [second.pk], "next": INBOX + "?filter=unread"}
    )
    assert response.status_code == 302 and response["Location"] == INBOX + "?filter=unread"
    assert _row(first, ben).starred and not _row(second, ben).starred


def test_bulk_without_a_selection_or_with_an_unknown_action_is_refused(client, pair, cat):
    ann, ben = pair
    first, second = _two_conversations(pair, cat)
    client.force_login(ben)
    response = client.post(BULK, {"action": "star"})
    assert response.status_code == 422 and "Select at least one conversation." in _html(response)
    response = client.post(BULK, {"ids": [first.pk, second.pk], "action": "explode"})
    assert response.status_code == 422 and "Choose an action." in _html(response)
    someone_elses = services.label_create(owner=ann, name="Ann's")
    response = client.post(BULK, {"ids": [first.pk], "action": f"label:{someone_elses.pk}"})
    assert response.status_code == 422 and not _row(first, ben).labels.exists()
    assert not Participant.objects.filter(member=ben, starred=True).exists()


def test_bulk_on_another_members_conversation_is_a_404_and_changes_nothing(client, pair, cat):
    ann, ben = pair
    connect(ann, cat)
    mine, _ = _talk(pair)
    theirs, _ = services.conversation_start(sender=ann, recipients=[cat], body="Private")
    client.force_login(ben)
    response = client.post(BULK, {"ids": [mine.pk, theirs.pk], "action": "archive"})
    assert response.status_code == 404
    assert not Participant.objects.filter(archived=True).exists()


def test_bulk_asks_a_visitor_to_sign_in(client, pair):
    conversation, _ = _talk(pair)
    response = client.post(BULK, {"ids": [conversation.pk], "action": "archive"})
    assert response.status_code == 302 and not Participant.objects.filter(archived=True).exists()


# ------------------------------------------------------------------------------------- conversation


def test_opening_a_conversation_shows_it_oldest_first_and_marks_it_read(client, pair):
    ann, ben = pair
    conversation, _ = _talk(pair, "First, with a [link](https://example.org) and <script>alert(1)</script>")
    services.message_send(conversation=conversation, sender=ann, body="Second")
    assert _row(conversation, ben).unread_count == 2
    client.force_login(ben)
    response = client.get(_url(conversation))
    main = _main(response)
    assert response.status_code == 200
    assert main.index("First, with") < main.index("Second")
    assert '<a href="https://example.org" rel="nofollow noopener noreferrer ugc">link</a>' in main
    assert "<script>alert" not in main
    assert f'data-after-url="{_url(conversation, "messages_after")}?after=' in main
    assert 'enctype="multipart/form-data"' in main and 'name="attachments"' in main and "multiple" in main
    assert _row(conversation, ben).unread_count == 0 and _row(conversation, ben).last_read_at is not None


def test_another_member_and_a_visitor_never_see_a_conversation(client, pair, cat):
    ann, ben = pair
    conversation, message = _talk(pair)
    client.force_login(cat)
    for name in ("conversation", "messages_after", "group_add", "group_leave"):
        assert client.get(_url(conversation, name)).status_code == 404, name
    for name in ("action", "group_rename", "group_leave"):
        assert client.post(_url(conversation, name), {"action": "archive", "name": "x"}).status_code == 404
    assert client.post(_url(conversation), {"body": "Intrusion"}).status_code == 404
    assert client.get(reverse("messaging:message_edit", args=[message.pk])).status_code == 404
    assert client.post(reverse("messaging:message_delete", args=[message.pk])).status_code == 404
    client.logout()
    response = client.get(_url(conversation))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Message.objects.count() == 1 and not Message.objects.filter(deleted_at__isnull=False).exists()


def test_a_blocker_loses_the_conversation_and_the_blocked_member_cannot_write_in_it(client, pair):
    ann, ben = pair
    conversation, _ = _talk(pair)
    network.block(blocker=ben, blocked=ann)
    client.force_login(ben)
    assert client.get(_url(conversation)).status_code == 404
    assert client.get(INBOX).status_code == 200 and "Ann Leroy" not in _main(client.get(INBOX))
    client.force_login(ann)
    page = _main(client.get(_url(conversation)))
    assert "This member cannot be reached." in page and 'id="compose"' not in page
    response = client.post(_url(conversation), {"body": "Hello?"})
    assert response.status_code == 403 and "This member cannot be reached." in _html(response)
    assert Message.objects.count() == 1


def test_a_reply_is_stored_and_the_page_goes_to_it(client, pair):
    ann, ben = pair
    conversation, _ = _talk(pair)
    client.force_login(ben)
    response = client.post(_url(conversation), {"body": "Hi Ann"})
    reply = Message.objects.get(body="Hi Ann")
    assert response.status_code == 302 and response["Location"] == _url(conversation) + f"#message-{reply.pk}"
    assert reply.sender == ben


def test_an_empty_or_too_long_reply_is_refused_next_to_the_field_and_nothing_is_stored(client, pair):
    ann, ben = pair
    conversation, _ = _talk(pair)
    client.force_login(ben)
    response = client.post(_url(conversation), {"body": "   "})
    assert response.status_code == 422 and "Write a message." in _html(response)
    assert 'id="compose-body_error"' in _html(response)
    long = "x" * 2001
    response = client.post(_url(conversation), {"body": long})
    assert response.status_code == 422 and "at most 2000 characters" in _html(response)
    assert long in _html(response)  # what was typed is kept
    assert Message.objects.count() == 1


def test_older_messages_come_by_pages(client, pair):
    ann, ben = pair
    conversation, _ = _talk(pair, "Message 00")
    for n in range(1, 35):
        services.message_send(conversation=conversation, sender=ann, body=f"Message {n:02d}")
    client.force_login(ben)
    latest = _main(client.get(_url(conversation)))
    assert "Message 34" in latest and "Message 10" in latest and "Message 09" not in latest
    older = re.search(r'href="([^"]+\?before=\d+)" rel="prev"', latest).group(1)
    page = _main(client.get(older.replace("&amp;", "&")))
    assert "Message 00" in page and "Message 09" in page and "Message 10" not in page
    assert "Back to the latest messages" in page and "data-after-url" not in page


def test_edited_and_deleted_messages_say_so(client, pair):
    ann, ben = pair
    conversation, message = _talk(pair, "Helo")
    services.message_edit(message=message, member=ann, body="Hello")
    gone = services.message_send(conversation=conversation, sender=ann, body="Secret plan")
    services.message_delete(message=gone, member=ann)
    client.force_login(ben)
    main = _main(client.get(_url(conversation)))
    assert "(edited)" in main and "Message deleted" in main and "Secret plan" not in main
    assert reverse("messaging:message_edit", args=[message.pk]) not in main  # not Ben's


def test_a_member_edits_their_own_message_within_15_minutes(client, pair):
    ann, ben = pair
    conversation, message = _talk(pair, "Helo")
    url = reverse("messaging:message_edit", args=[message.pk])
    client.force_login(ann)
    assert url in _main(client.get(_url(conversation)))
    page = client.get(url)
    assert page.status_code == 200 and "data-inline-form" in _html(page) and "Helo" in _html(page)
    response = client.post(url, {"body": "Hello"})
    assert response.status_code == 302 and response["Location"].endswith(f"#message-{message.pk}")
    message.refresh_from_db()
    assert message.body == "Hello" and message.edited_at is not None


def test_editing_someone_elses_message_or_too_late_is_refused_and_changes_nothing(client, pair):
    ann, ben = pair
    conversation, message = _talk(pair, "Original")
    url = reverse("messaging:message_edit", args=[message.pk])
    client.force_login(ben)
    assert client.get(url).status_code == 403
    response = client.post(url, {"body": "Forged"})
    assert response.status_code == 403 and "You can only edit your own messages." in _html(response)
    Message.objects.filter(pk=message.pk).update(created_at=timezone.now() - dt.timedelta(minutes=16))
    client.force_login(ann)
    assert url not in _main(client.get(_url(conversation)))
    response = client.post(url, {"body": "Too late"})
    assert response.status_code == 403 and "15 minutes" in _html(response)
    response = client.post(url, {"body": "x" * 2001})
    assert response.status_code == 422
    message.refresh_from_db()
    assert message.body == "Original" and message.edited_at is None


def test_a_member_deletes_their_own_message_after_confirming(client, pair):
    ann, ben = pair
    conversation, message = _talk(pair, "Wrong chat")
    url = reverse("messaging:message_delete", args=[message.pk])
    client.force_login(ben)
    assert client.post(url).status_code == 403
    client.force_login(ann)
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Wrong chat" in _html(confirm)
    assert client.post(url).status_code == 302
    message.refresh_from_db()
    assert message.deleted_at is not None and message.body == ""


def test_events_say_what_happened_and_an_introduction_shows_both_texts(client, pair, cat):
    from entregent.network import introductions
    from entregent.network.models import Introduction

    ann, ben = pair
    connect(ann, cat)
    group, _ = services.conversation_start(sender=ann, recipients=[ben, cat], body="Hi", name="Atlas")
    dan = veteran(first_name="Dan", last_name="Roux")
    connect(ann, dan)
    services.group_add(conversation=group, member=ann, new=dan)
    services.group_rename(conversation=group, member=ann, name="Atlas team")
    services.group_leave(conversation=group, member=cat)
    client.force_login(ben)
    main = _main(client.get(_url(group)))
    assert "Ann Leroy added Dan Roux." in main
    assert "Ann Leroy named the conversation “Atlas team”." in main
    assert "Cat Blanc left the conversation." in main  # named though she left

    connect(ben, cat)
    request = Introduction.objects.create(
        requester=ann, intermediary=ben, target=cat, why="Hiring", message="I would love to meet Cat."
    )
    request.intermediary_word = "Ann is great."
    request.save()
    conversation = services.conversation_for_introduction(introduction=request)
    client.force_login(cat)
    main = _main(client.get(_url(conversation)))
    assert "Ben Moreau introduced Ann Leroy to you." in main
    assert "Ann Leroy’s message" in main and "I would love to meet Cat." in main
    assert "Ben Moreau’s word" in main and "Ann is great." in main
    assert introductions  # imported for its models' registration


def test_attachments_show_images_as_thumbnails_and_files_as_links_with_their_size(client, pair):
    ann, ben = pair
    conversation, message = _talk(pair, "Files")
    Attachment.objects.create(
        message=message,
        file="messages/a.png",
        original_name="plan.png",
        content_type="image/png",
        size=2048,
        width=640,
        height=480,
    )
    Attachment.objects.create(
        message=message,
        file="messages/b.pdf",
        original_name="quote.pdf",
        content_type="application/pdf",
        size=3 * 1024 * 1024,
    )
    image, pdf = Attachment.objects.order_by("pk")
    client.force_login(ben)
    main = _main(client.get(_url(conversation)))
    file_url = reverse("messaging:attachment", args=[image.pk])
    assert f'src="{file_url}?inline=1" alt="plan.png" width="640" height="480"' in main
    assert f'href="{reverse("messaging:attachment", args=[pdf.pk])}"' in main and "quote.pdf" in main
    assert "3.0\xa0MB" in main and "2.0\xa0KB" in main


def test_attachments_go_to_the_service_and_a_refused_file_is_shown_next_to_the_field(
    client, pair, monkeypatch
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from entregent.messaging import attachments

    ann, ben = pair
    conversation, _ = _talk(pair)
    client.force_login(ben)
    fake = SimpleUploadedFile("invoice.pdf", b"MZ\x90\x00 an executable", content_type="application/pdf")
    response = client.post(_url(conversation), {"body": "See attached", "attachments": [fake]})
    assert response.status_code == 422 and 'id="compose-attachments_error"' in _html(response)
    assert "See attached" in _html(response) and Message.objects.count() == 1
    seen = {}
    monkeypatch.setattr(attachments, "check", lambda files: list(files))
    monkeypatch.setattr(
        attachments, "attach", lambda message, files: seen.update(names=[f.name for f in files])
    )
    files = [SimpleUploadedFile("a.pdf", b"%PDF-1"), SimpleUploadedFile("b.pdf", b"%PDF-2")]
    response = client.post(_url(conversation), {"body": "", "attachments": files})
    assert response.status_code == 302 and seen["names"] == ["a.pdf", "b.pdf"]


def test_read_receipts_show_seen_only_when_both_sides_keep_them_on(client, pair):
    ann, ben = pair
    conversation, _ = _talk(pair, "Did you read this?")
    client.force_login(ann)
    assert "msg__seen" not in _main(client.get(_url(conversation)))
    services.conversation_read(conversation=conversation, member=ben)
    assert "msg__seen" in _main(client.get(_url(conversation)))
    MessagingSettings.objects.create(member=ben, read_receipts=False)
    assert "msg__seen" not in _main(client.get(_url(conversation)))
    MessagingSettings.objects.filter(member=ben).update(read_receipts=True)
    MessagingSettings.objects.create(member=ann, read_receipts=False)
    assert "msg__seen" not in _main(client.get(_url(conversation)))  # like LinkedIn: both ways


def test_contact_messages_and_the_accept_button(client, pair):
    ann, ben = pair
    conversation, _ = _talk(pair)
    request = Message.objects.create(
        conversation=conversation, sender=ann, kind=Message.Kind.CONTACT_REQUEST, data={"accepted_by": []}
    )
    Message.objects.create(
        conversation=conversation,
        sender=ann,
        kind=Message.Kind.CONTACT_SHARE,
        data={"details": [{"kind": "email", "label": "", "value": "ann@example.org"}]},
    )
    client.force_login(ben)
    main = _main(client.get(_url(conversation)))
    assert "Ann Leroy asks for your contact details." in main
    assert f'action="{reverse("messaging:contact_request_accept", args=[request.pk])}"' in main
    assert 'href="mailto:ann@example.org"' in main and "Ann Leroy shared their contact details." in main
    assert f'action="{reverse("messaging:contact_share", args=[conversation.pk])}"' in main
    assert f'action="{reverse("messaging:contact_request", args=[conversation.pk])}"' in main
    client.force_login(ann)
    assert reverse("messaging:contact_request_accept", args=[request.pk]) not in _main(
        client.get(_url(conversation))
    )


def test_an_inmails_recipient_can_mark_it_as_spam(client, cat):
    seller = sales_member(first_name="Sam", last_name="Seller")
    conversation, _ = services.conversation_start(
        sender=seller, recipients=[cat], subject="Offer", body="Buy"
    )
    spam = reverse("messaging:inmail_spam", args=[conversation.pk])
    client.force_login(cat)
    main = _main(client.get(_url(conversation)))
    assert f'action="{spam}"' in main and "Offer" in main and "InMail" in main
    client.force_login(seller)
    main = _main(client.get(_url(conversation)))
    assert spam not in main and "You can write again once they answer your InMail." in main


# ----------------------------------------------------------------------------------- member actions


def _act(client, conversation, action, **data):
    return client.post(_url(conversation, "action"), {"action": action, **data})


def test_star_mute_archive_and_move_from_the_conversation(client, pair):
    ann, ben = pair
    conversation, _ = _talk(pair)
    client.force_login(ben)
    assert _act(client, conversation, "star")["Location"] == _url(conversation)
    assert _act(client, conversation, "mute").status_code == 302
    assert _act(client, conversation, "other").status_code == 302
    assert _act(client, conversation, "archive")["Location"] == INBOX
    row = _row(conversation, ben)
    assert row.starred and row.muted and row.folder == "other" and row.archived
    page = _main(client.get(_url(conversation)))
    for button in ("Remove the star", "Unmute", "Move to Focused", "Move back to the inbox"):
        assert button in page
    (
        _act(client, conversation, "unstar"),
        _act(client, conversation, "unmute"),
        _act(client, conversation, "unarchive"),
    )
    row = _row(conversation, ben)
    assert not (row.starred or row.muted or row.archived)


def test_mark_unread_goes_back_to_the_inbox_so_the_page_does_not_read_it_again(client, pair):
    ann, ben = pair
    conversation, _ = _talk(pair)
    client.force_login(ben)
    client.get(_url(conversation))
    response = _act(client, conversation, "unread")
    assert response["Location"] == INBOX and _row(conversation, ben).marked_unread


def test_snooze_with_a_preset_or_a_time_and_refuse_the_past(client, pair):
    ann, ben = pair
    conversation, _ = _talk(pair)
    client.force_login(ben)
    page = _main(client.get(_url(conversation)))
    assert "Later today" in page and "Tomorrow" in page and "Next week" in page
    assert _act(client, conversation, "snooze", preset="tomorrow")["Location"] == INBOX
    until = _row(conversation, ben).snoozed_until
    assert until > timezone.now() + dt.timedelta(hours=1) and timezone.localtime(until).hour == 8
    assert "Ann Leroy" not in _main(client.get(INBOX))
    assert "Ann Leroy" in _main(client.get(INBOX + "?filter=snoozed"))
    assert "Snoozed until" in _main(client.get(_url(conversation)))
    _act(client, conversation, "unsnooze")
    assert _row(conversation, ben).snoozed_until is None
    past = (timezone.localtime() - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = _act(client, conversation, "snooze", preset="custom", until=past)
    assert response.status_code == 422 and "Choose a time in the future." in _html(response)
    response = _act(client, conversation, "snooze", preset="custom", until="")
    assert response.status_code == 422 and "Choose a date and time." in _html(response)
    assert _row(conversation, ben).snoozed_until is None
    later = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    assert _act(client, conversation, "snooze", preset="custom", until=later).status_code == 302
    assert _row(conversation, ben).snoozed_until is not None


def test_a_reminder_is_set_refused_out_of_range_and_shows_a_banner_when_due(client, pair):
    ann, ben = pair
    conversation, _ = _talk(pair)
    client.force_login(ann)
    response = _act(client, conversation, "remind", days="45")
    assert response.status_code == 422 and "Choose between 1 and 30 days." in _html(response)
    assert _row(conversation, ann).remind_at is None
    assert _act(client, conversation, "remind", days="3").status_code == 302
    assert "Reminder on" in _main(client.get(_url(conversation)))
    services.reminders_due(now=timezone.now() + dt.timedelta(days=4))
    page = _main(client.get(_url(conversation)))
    assert "No reply yet." in page and "reminder-banner" in page
    _act(client, conversation, "remind_cancel")
    assert "No reply yet." not in _main(client.get(_url(conversation)))


def test_labels_are_ticked_on_the_conversation(client, pair):
    ann, ben = pair
    conversation, _ = _talk(pair)
    clients = services.label_create(owner=ben, name="Clients", colour="#118833")
    urgent = services.label_create(owner=ben, name="Urgent")
    client.force_login(ben)
    assert _act(client, conversation, "labels", labels=[clients.pk, urgent.pk]).status_code == 302
    assert set(_row(conversation, ben).labels.all()) == {clients, urgent}
    _act(client, conversation, "labels", labels=[urgent.pk])
    assert list(_row(conversation, ben).labels.all()) == [urgent]
    theirs = services.label_create(owner=ann, name="Ann's")
    response = _act(client, conversation, "labels", labels=[theirs.pk])
    assert response.status_code == 422 and list(_row(conversation, ben).labels.all()) == [urgent]
    assert _act(client, conversation, "dance").status_code == 422


# -------------------------------------------------------------------------------------------- groups


def test_a_group_is_renamed_grows_with_a_connection_and_can_be_left(client, pair, cat):
    ann, ben = pair
    connect(ann, cat)
    group, _ = services.conversation_start(sender=ann, recipients=[ben, cat], body="Hi", name="Atlas")
    dan = veteran(first_name="Dan", last_name="Roux")
    connect(ann, dan)
    stranger = veteran(first_name="Eve", last_name="Stranger")
    client.force_login(ann)
    page = _main(client.get(_url(group)))
    assert "Members" in page and "Cat Blanc" in page and "Rename" in page and "Leave the conversation" in page
    assert client.post(_url(group, "group_rename"), {"name": "Atlas team"}).status_code == 302
    response = client.post(_url(group, "group_rename"), {"name": "x" * 101})
    assert response.status_code == 422
    group.refresh_from_db()
    assert group.name == "Atlas team"
    picker = _main(client.get(_url(group, "group_add") + "?q=dan"))
    assert "Dan Roux" in picker and "Cat Blanc" not in picker
    response = client.post(_url(group, "group_add"), {"member": stranger.pk})
    assert response.status_code == 403 and "You can only add your connections." in _html(response)
    assert client.post(_url(group, "group_add"), {"member": dan.pk}).status_code == 302
    assert _row(group, dan).left_at is None
    client.force_login(cat)
    assert client.get(_url(group, "group_leave")).status_code == 200
    assert client.post(_url(group, "group_leave"))["Location"] == INBOX
    page = _main(client.get(_url(group)))
    assert "You left this conversation" in page and 'id="compose"' not in page
    assert client.post(_url(group), {"body": "Still here?"}).status_code == 403


# ----------------------------------------------------------------------------------------- new message


def test_writing_to_a_connection_from_the_new_message_page(client, pair, cat):
    ann, ben = pair
    client.force_login(ann)
    page = _main(client.get(NEW))
    assert "Ben Moreau" in page and "Cat Blanc" not in page  # connections only
    assert 'data-filter-list="recipients-list"' in page and 'enctype="multipart/form-data"' in page
    response = client.post(NEW, {"to": [ben.pk], "body": "Hello from the page"})
    conversation = Conversation.objects.get()
    assert response.status_code == 302 and response["Location"].startswith(_url(conversation))
    assert conversation.kind == "direct" and conversation.messages.get().body == "Hello from the page"


def test_the_message_button_of_a_connection_opens_our_conversation(client, pair):
    ann, ben = pair
    conversation, _ = _talk(pair)
    client.force_login(ann)
    response = client.get(NEW + "?to=ben-moreau")
    assert response.status_code == 302 and response["Location"] == _url(conversation)


def test_a_group_needs_connections_and_takes_a_name(client, pair, cat):
    ann, ben = pair
    connect(ann, cat)
    client.force_login(ann)
    response = client.post(NEW, {"to": [ben.pk, cat.pk], "name": "Atlas", "body": "Kick-off"})
    group = Conversation.objects.get(kind="group")
    assert response.status_code == 302 and group.name == "Atlas" and group.participants.count() == 3
    stranger = veteran(first_name="Eve", last_name="Stranger")
    response = client.post(NEW, {"to": [ben.pk, stranger.pk], "body": "Hi"})
    assert response.status_code == 422 and "Choose members from the list." in _html(response)
    assert "Eve Stranger" not in _html(response)  # a posted id never reveals a name
    assert Conversation.objects.count() == 1


def test_a_new_message_without_recipient_or_text_is_refused_and_keeps_what_was_typed(client, pair):
    ann, ben = pair
    client.force_login(ann)
    response = client.post(NEW, {"body": "Lost words?"})
    assert response.status_code == 422 and "Choose at least one member to write to." in _html(response)
    assert "Lost words?" in _html(response)
    response = client.post(NEW, {"to": [ben.pk], "body": ""})
    assert response.status_code == 422 and "Write a message." in _html(response)
    assert f'value="{ben.pk}" id="to-{ben.pk}" checked' in _html(response)
    assert not Conversation.objects.exists()


def test_find_filters_the_recipients_without_losing_the_draft(client, pair, cat):
    ann, ben = pair
    connect(ann, cat)
    client.force_login(ann)
    response = client.post(NEW, {"to": [ben.pk], "q": "cat", "find": "1", "body": "Draft"})
    html = _main(response)
    assert response.status_code == 200 and "Draft" in html and "Cat Blanc" in html
    assert f'value="{ben.pk}" id="to-{ben.pk}" checked' in html  # still chosen
    assert not Conversation.objects.exists()
    assert "Ben Moreau" not in _main(client.get(NEW + "?q=cat"))


def test_a_stranger_shows_the_lock_with_its_reason_and_cannot_be_written_to(client, ann, cat):
    client.force_login(ann)
    page = _main(client.get(NEW + "?to=cat-blanc"))
    assert "You are not connected to Cat Blanc, and your plan has no InMail." in page
    assert "What unlocks it:" in page and "Invite Cat to connect" in page
    response = client.post(NEW + "?to=cat-blanc", {"to_slug": "cat-blanc", "to": [cat.pk], "body": "Hi"})
    assert response.status_code == 403 and "your plan has no InMail" in _html(response)
    assert not Conversation.objects.exists()


def test_an_inmail_asks_for_a_subject_shows_the_credits_and_spends_one(client, cat):
    seller = sales_member(first_name="Sam", last_name="Seller")
    credits = plans.remaining(seller, "inmail.credits")
    client.force_login(seller)
    page = _main(client.get(NEW + "?to=cat-blanc"))
    assert "this message is an InMail and spends one credit" in page
    assert f"{credits} InMail credits left." in page and 'name="subject"' in page
    response = client.post(NEW, {"to_slug": "cat-blanc", "to": [cat.pk], "body": "Hello"})
    assert response.status_code == 422 and "An InMail needs a subject." in _html(response)
    assert plans.remaining(seller, "inmail.credits") == credits and not Conversation.objects.exists()
    response = client.post(NEW, {"to_slug": "cat-blanc", "to": [cat.pk], "subject": "x" * 201, "body": "Hi"})
    assert response.status_code == 422 and not Conversation.objects.exists()
    response = client.post(
        NEW, {"to_slug": "cat-blanc", "to": [cat.pk], "subject": "Your project", "body": "Hi"}
    )
    assert response.status_code == 302
    conversation = Conversation.objects.get()
    assert conversation.kind == "inmail" and conversation.subject == "Your project"
    assert plans.remaining(seller, "inmail.credits") == credits - 1


def test_an_inmail_without_credits_is_refused_with_what_unlocks_it(client, cat, monkeypatch):
    seller = sales_member(first_name="Sam", last_name="Seller")
    monkeypatch.setattr(plans, "remaining", lambda member, quota: 0)
    client.force_login(seller)
    page = _main(client.get(NEW + "?to=cat-blanc"))
    assert "no InMail credit left this month" in page and "Credits come back" in page


def test_a_blocked_or_hidden_member_cannot_be_picked(client, pair):
    ann, ben = pair
    network.block(blocker=ben, blocked=ann)
    client.force_login(ann)
    assert client.get(NEW + "?to=ben-moreau").status_code == 404
    response = client.post(NEW, {"to": [ben.pk], "body": "Hi"})
    assert response.status_code == 422 and not Conversation.objects.exists()


def test_the_new_message_page_asks_a_visitor_to_sign_in(client):
    assert client.get(NEW).status_code == 302


# ------------------------------------------------------------------------------- profile and top bar


def test_the_profile_message_button_shows_the_lock_and_its_reason(client, pair, cat):
    ann, ben = pair
    client.force_login(ann)
    connection = _main(client.get(ben.profile.get_absolute_url()))
    assert f'href="{NEW}?to=ben-moreau"' in connection and "lock-menu" not in connection
    stranger = _main(client.get(cat.profile.get_absolute_url()))
    assert "lock-menu" in stranger and "your plan has no InMail" in stranger
    assert "locked, see why" in stranger and f'href="{NEW}?to=cat-blanc"' not in stranger
    seller = sales_member(first_name="Sam", last_name="Seller")
    client.force_login(seller)
    inmail = _main(client.get(cat.profile.get_absolute_url()))
    assert f'href="{NEW}?to=cat-blanc"' in inmail and "InMail" in inmail
    client.force_login(cat)
    assert "messaging/new" not in _main(client.get(cat.profile.get_absolute_url()))  # not to oneself


def test_the_top_bar_shows_the_unread_badge_and_the_live_script(client, pair):
    ann, ben = pair
    _talk(pair)
    client.force_login(ben)
    html = _html(client.get(INBOX))
    assert re.search(r'<span class="badge badge--count" data-messaging-badge>1</span>', html)
    assert "entregent/live.js" in html
    client.force_login(ann)
    assert re.search(r"data-messaging-badge hidden>0</span>", _html(client.get(INBOX)))
    client.logout()
    assert "entregent/live.js" not in _html(client.get("/"))


# ---------------------------------------------------------------------------------- the live fragment


def test_the_messages_fragment_gives_newer_or_named_messages_and_reads_them(client, pair):
    ann, ben = pair
    conversation, first = _talk(pair, "One")
    second = services.message_send(conversation=conversation, sender=ann, body="Two")
    client.force_login(ben)
    url = _url(conversation, "messages_after")
    html = _html(client.get(f"{url}?after={first.pk}"))
    assert f'data-message-id="{second.pk}"' in html and f'data-message-id="{first.pk}"' not in html
    assert "<main" not in html and _row(conversation, ben).unread_count == 0
    html = _html(client.get(f"{url}?ids={first.pk}"))
    assert f'data-message-id="{first.pk}"' in html and "Two" not in html


# ------------------------------------------------------------------------------------- query bounds


def _count(client, url: str) -> int:
    client.get(url)  # the session's first request records it; measure the next one
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _inbox_of(size: int, tag: str):
    me = veteran(first_name="Mia", last_name=f"Roux{tag}", slug=f"mia-roux-{tag}")
    label = services.label_create(owner=me, name="Clients")
    for n in range(size):
        friend = veteran(first_name="Friend", last_name=f"Number{n}")
        connect(me, friend)
        conversation, _ = services.conversation_start(sender=friend, recipients=[me], body=f"Hello {n}")
        services.conversation_label(conversation=conversation, member=me, label=label)
        services.conversation_star(conversation=conversation, member=me)
    return me


@pytest.mark.parametrize("query", ["", "?filter=unread", "?folder=other", "?filter=connections", "label"])
def test_the_inbox_runs_the_same_queries_for_2_or_20_conversations(client, warm_graph, query):
    members = [_inbox_of(2, "small"), _inbox_of(20, "big")]
    warm_graph()
    counts = []
    for me in members:
        client.force_login(me)
        suffix = f"?label={Label.objects.get(owner=me).pk}" if query == "label" else query
        counts.append(_count(client, INBOX + suffix))
    assert counts[0] == counts[1], counts


def _conversation_of(size: int, tag: str):
    me = veteran(first_name="Mia", last_name=f"Roux{tag}", slug=f"mia-roux-{tag}")
    friend = veteran(first_name="Friend", last_name=f"Talk{tag}")
    connect(me, friend)
    conversation, message = services.conversation_start(sender=friend, recipients=[me], body="Start")
    Attachment.objects.create(
        message=message, file="messages/a.png", original_name="a.png", content_type="image/png", size=10
    )
    for n in range(size):
        sender = me if n % 2 else friend
        services.message_send(conversation=conversation, sender=sender, body=f"Message **{n}**")
    services.conversation_read(conversation=conversation, member=friend)
    return me, conversation


def test_a_conversation_runs_the_same_queries_for_2_or_20_messages(client, warm_graph):
    pages = [_conversation_of(2, "small"), _conversation_of(20, "big")]
    warm_graph()
    counts = []
    for me, conversation in pages:
        client.force_login(me)
        counts.append(_count(client, _url(conversation)))
    assert counts[0] == counts[1], counts


def test_a_group_conversation_runs_the_same_queries_for_2_or_20_members(client, warm_graph):
    groups = []
    for size, tag in ((2, "small"), (20, "big")):
        me = veteran(first_name="Mia", last_name=f"Roux{tag}", slug=f"mia-roux-{tag}")
        friends = []
        for n in range(size):
            friend = veteran(first_name="Friend", last_name=f"Member{n}")
            connect(me, friend)
            friends.append(friend)
        group, _ = services.conversation_start(sender=me, recipients=friends, body="Hi all", name="Team")
        for friend in friends:
            services.message_send(conversation=group, sender=friend, body="Hello")
            services.conversation_read(conversation=group, member=friend)
        groups.append((me, group))
    warm_graph()
    counts = []
    for me, group in groups:
        client.force_login(me)
        counts.append(_count(client, _url(group)))
    assert counts[0] == counts[1], counts


def test_the_new_message_page_runs_the_same_queries_for_2_or_20_connections(client, warm_graph):
    members = []
    for size, tag in ((2, "small"), (20, "big")):
        me = veteran(first_name="Mia", last_name=f"Roux{tag}", slug=f"mia-roux-{tag}")
        for n in range(size):
            connect(me, veteran(first_name="Friend", last_name=f"Number{n}"))
        members.append(me)
    warm_graph()
    counts = []
    for me in members:
        client.force_login(me)
        counts.append(_count(client, NEW))
    assert counts[0] == counts[1], counts
