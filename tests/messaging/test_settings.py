"""Messaging settings (/messaging/settings/): read receipts, refusing InMail, mails about unread messages
and the contact details shared in one click, saved for the member only; and the labels page: list,
create, rename and recolour, delete after confirmation. Bad input is a 422 with the message next to the
field and nothing changed; someone else's label or contact detail is a 404 or refused; pages run the
same number of queries whatever the number of labels or contact details."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from entregent.core import policy
from entregent.messaging import contacts, preferences, services
from entregent.messaging.models import Label, MessagingSettings, Participant
from tests.factories import ContactFactory
from tests.messaging.conftest import sales_member

pytestmark = pytest.mark.django_db

SETTINGS = reverse("messaging:settings")
LABELS = reverse("messaging:labels")


@pytest.fixture
def ann_client(client, ann):
    client.force_login(ann)
    return client


def _form(**fields) -> dict:
    data = {"email_unread": "hourly", "sharing": "auto"}
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def _settings(member) -> MessagingSettings | None:
    return MessagingSettings.objects.filter(member=member).first()


# -------------------------------------------------------------------------------------------- settings


def test_the_settings_page_shows_the_defaults_and_only_my_contact_details(ann_client, ann, ben):
    mine = ContactFactory(profile=ann.profile, kind="phone", value="+33 6 11 11 11 11")
    ContactFactory(profile=ben.profile, kind="phone", value="+33 6 99 99 99 99")
    response = ann_client.get(SETTINGS)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Messaging settings" in html and ann.email in html and mine.value in html
    assert "+33 6 99 99 99 99" not in html and ben.email not in html
    form = response.context["form"]
    assert form["read_receipts"].value() is True and form["refuse_inmail"].value() is False
    assert form["sharing"].value() == "auto" and form["email_unread"].value() == "hourly"
    assert f'href="{LABELS}"' in html
    assert _settings(ann) is None  # reading creates nothing


def test_saving_the_settings(ann_client, ann, cat):
    phone = ContactFactory(profile=ann.profile, kind="phone", value="+33 6 11 11 11 11")
    response = ann_client.post(
        SETTINGS,
        _form(refuse_inmail="on", email_unread="off", sharing="chosen", shared=[contacts.ACCOUNT, phone.pk]),
    )
    assert response.status_code == 302 and response.url == SETTINGS
    saved = _settings(ann)
    assert (saved.read_receipts, saved.refuse_inmail, saved.email_unread) == (False, True, "off")
    assert saved.shared_contact_ids == [contacts.ACCOUNT, phone.pk]
    assert contacts.sharing_of(type(ann).objects.get(pk=ann.pk)) == {contacts.ACCOUNT, str(phone.pk)}
    # The access policy reads the same row: a Sales member can no longer send Ann an InMail.
    assert policy.message_access(sales_member(), ann).mode == policy.WRITE_LOCKED
    page = ann_client.get(SETTINGS)
    assert page.context["form"]["sharing"].value() == "chosen"
    assert "Your messaging settings are saved." in page.content.decode()
    assert ann_client.post(SETTINGS, _form(read_receipts="on")).status_code == 302
    assert _settings(ann).shared_contact_ids == []  # automatic again
    assert contacts.sharing_of(type(ann).objects.get(pk=ann.pk)) == contacts.AUTO


def test_ticking_nothing_is_remembered_as_nothing(ann_client, ann):
    assert ann_client.post(SETTINGS, _form(sharing="chosen")).status_code == 302
    assert _settings(ann).shared_contact_ids == [contacts.NOTHING]
    assert contacts.sharing_of(type(ann).objects.get(pk=ann.pk)) == set()


@pytest.mark.parametrize(
    "fields",
    [
        {"email_unread": "daily"},
        {"email_unread": None},
        {"sharing": "everything"},
        {"sharing": "chosen", "shared": ["999999"]},
        {"sharing": "chosen", "shared": ["ben"]},
    ],
)
def test_bad_settings_are_refused_and_nothing_is_saved(ann_client, ann, fields):
    response = ann_client.post(SETTINGS, _form(read_receipts=None, **fields))
    assert response.status_code == 422
    assert 'role="alert"' in response.content.decode()
    assert _settings(ann) is None


def test_sharing_someone_elses_contact_detail_is_refused(ann_client, ann, ben):
    theirs = ContactFactory(profile=ben.profile)
    response = ann_client.post(SETTINGS, _form(sharing="chosen", shared=[theirs.pk]))
    assert response.status_code == 422 and _settings(ann) is None
    with pytest.raises(Exception, match="contact details you have"):
        preferences.preferences_update(member=ann, shared=[theirs.pk])


def test_the_settings_page_runs_as_many_queries_with_2_or_12_contact_details(ann_client, ann):
    ann_client.get(SETTINGS)  # the session's first request records it
    counts = []
    for total in (2, 12):
        for n in range(total - ann.profile.contacts.count()):
            ContactFactory(profile=ann.profile, value=f"ann{total}-{n}@example.org")
        with CaptureQueriesContext(connection) as queries:
            assert ann_client.get(SETTINGS).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 30


def test_settings_need_a_signed_in_member(client):
    for url in (SETTINGS, LABELS):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response.url


# ---------------------------------------------------------------------------------------------- labels


def test_the_labels_page_lists_my_labels_with_their_use(ann_client, pair, cat):
    ann, ben = pair
    client_label = services.label_create(owner=ann, name="Clients", colour="#aa0000")
    services.label_create(owner=ann, name="Recruiters")
    services.label_create(owner=ben, name="Bens own label")
    conversation, _ = services.conversation_start(sender=ann, recipients=[ben], body="Hi")
    services.conversation_label(conversation=conversation, member=ann, label=client_label)
    response = ann_client.get(LABELS)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Clients" in html and "Recruiters" in html and "Bens own label" not in html
    assert 'type="color"' in html and 'fill="#aa0000"' in html
    assert "On 1 conversation" in html and "On 0 conversations" in html
    assert reverse("messaging:label_delete", args=[client_label.pk]) in html


def test_creating_a_label(ann_client, ann):
    response = ann_client.post(LABELS, {"new-name": "  Clients ", "new-colour": "#FF8800"})
    assert response.status_code == 302 and response.url == LABELS
    label = Label.objects.get(owner=ann)
    assert (label.name, label.colour) == ("Clients", "#ff8800")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"new-name": "", "new-colour": "#ff8800"}, "Give the label a name."),
        ({"new-name": "   ", "new-colour": "#ff8800"}, "Give the label a name."),
        ({"new-name": "clients", "new-colour": "#ff8800"}, "You already have a label with this name."),
        ({"new-name": "Suppliers", "new-colour": "red"}, "Choose a colour as #rrggbb."),
        ({"new-name": "Suppliers", "new-colour": "#ggg000"}, "Choose a colour as #rrggbb."),
        ({"new-name": "x" * 41, "new-colour": "#ff8800"}, "at most 40 characters"),
    ],
)
def test_a_bad_label_is_refused_with_its_reason_and_nothing_stored(ann_client, ann, data, message):
    services.label_create(owner=ann, name="Clients")
    response = ann_client.post(LABELS, data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert list(Label.objects.filter(owner=ann).values_list("name", flat=True)) == ["Clients"]


def test_renaming_and_recolouring_a_label(ann_client, ann):
    label = services.label_create(owner=ann, name="Clients")
    services.label_create(owner=ann, name="Suppliers")
    url = reverse("messaging:label_edit", args=[label.pk])
    prefix = f"label-{label.pk}"
    assert ann_client.get(url).status_code == 200
    response = ann_client.post(url, {f"{prefix}-name": "Customers", f"{prefix}-colour": "#00AA00"})
    assert response.status_code == 302 and response.url == LABELS
    label.refresh_from_db()
    assert (label.name, label.colour) == ("Customers", "#00aa00")
    for name, colour, message in (
        ("suppliers", "#00aa00", "You already have a label with this name."),
        ("", "#00aa00", "Give the label a name."),
        ("Customers", "green", "Choose a colour as #rrggbb."),
    ):
        refused = ann_client.post(url, {f"{prefix}-name": name, f"{prefix}-colour": colour})
        assert refused.status_code == 422 and message in refused.content.decode()
        label.refresh_from_db()
        assert (label.name, label.colour) == ("Customers", "#00aa00")


def test_deleting_a_label_asks_first(ann_client, pair):
    ann, ben = pair
    label = services.label_create(owner=ann, name="Clients")
    conversation, _ = services.conversation_start(sender=ann, recipients=[ben], body="Hi")
    services.conversation_label(conversation=conversation, member=ann, label=label)
    url = reverse("messaging:label_delete", args=[label.pk])
    page = ann_client.get(url)
    assert page.status_code == 200 and "Delete the label Clients?" in page.content.decode()
    assert Label.objects.filter(pk=label.pk).exists()
    response = ann_client.post(url)
    assert response.status_code == 302 and response.url == LABELS
    assert not Label.objects.filter(pk=label.pk).exists()
    assert Participant.objects.filter(conversation=conversation).count() == 2  # the conversation stays


def test_someone_elses_label_is_a_404(ann_client, ben):
    theirs = services.label_create(owner=ben, name="Private")
    prefix = f"label-{theirs.pk}"
    for method, name, data in (
        ("get", "label_edit", {}),
        ("post", "label_edit", {f"{prefix}-name": "Mine", f"{prefix}-colour": "#000000"}),
        ("get", "label_delete", {}),
        ("post", "label_delete", {}),
    ):
        response = getattr(ann_client, method)(reverse(f"messaging:{name}", args=[theirs.pk]), data)
        assert response.status_code == 404, (method, name)
    theirs.refresh_from_db()
    assert theirs.name == "Private"


def test_the_labels_page_runs_as_many_queries_with_2_or_12_labels(ann_client, pair):
    ann, ben = pair
    conversation, _ = services.conversation_start(sender=ann, recipients=[ben], body="Hi")
    ann_client.get(LABELS)  # the session's first request records it
    counts = []
    for total in (2, 12):
        for n in range(total - Label.objects.filter(owner=ann).count()):
            label = services.label_create(owner=ann, name=f"Label {total}-{n}")
            services.conversation_label(conversation=conversation, member=ann, label=label)
        with CaptureQueriesContext(connection) as queries:
            assert ann_client.get(LABELS).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 30


def test_the_labels_page_is_paginated(ann_client, ann):
    Label.objects.bulk_create([Label(owner=ann, name=f"Label {n:03}") for n in range(55)])
    first = ann_client.get(LABELS).content.decode()
    assert "Label 049" in first and "Label 050" not in first and 'rel="next"' in first
    assert "Label 054" in ann_client.get(LABELS, {"page": 2}).content.decode()
