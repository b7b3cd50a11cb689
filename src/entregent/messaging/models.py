"""Conversations between members: 1:1, groups (up to 50, all connected to their creator), InMail to a
non-connection, and the three-member conversation an accepted introduction opens. Each member's view of a
conversation — read position, folder, archive, star, mute, snooze, reminder, labels — lives on their
`Participant` row, so the inbox is one indexed query on one member's rows (member-keyed, Citus-friendly).
Services in services.py write all of this; nothing here has side effects."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_PARTICIPANTS = 50
BODY_MAX = 2000  # a message, or an InMail's body
SUBJECT_MAX = 200  # an InMail's subject
GROUP_NAME_MAX = 100


class Conversation(models.Model):
    class Kind(models.TextChoices):
        DIRECT = "direct", _("Conversation")
        GROUP = "group", _("Group conversation")
        INMAIL = "inmail", _("InMail")
        INTRODUCTION = "introduction", _("Introduction")

    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.DIRECT)
    name = models.CharField(_("name"), max_length=GROUP_NAME_MAX, blank=True)  # groups only
    subject = models.CharField(_("subject"), max_length=SUBJECT_MAX, blank=True)  # InMail only
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The one direct conversation of a pair: "<low id>:<high id>" (empty for other kinds).
    pair_key = models.CharField(max_length=41, blank=True)
    introduction = models.OneToOneField(
        "network.Introduction", on_delete=models.SET_NULL, null=True, blank=True, related_name="conversation"
    )
    last_message_at = models.DateTimeField(null=True, blank=True)
    last_message = models.ForeignKey(
        "Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # InMail: the credit spent, given back when the recipient answers within 90 days.
    inmail_sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    inmail_credit_spent = models.BooleanField(default=False)
    inmail_refundable_until = models.DateTimeField(null=True, blank=True)
    inmail_answered_at = models.DateTimeField(null=True, blank=True)
    inmail_credit_refunded = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pair_key"], condition=~Q(pair_key=""), name="conversation_one_direct_per_pair"
            )
        ]

    def __str__(self) -> str:
        return self.name or self.subject or f"#{self.pk}"


class Participant(models.Model):
    """One member in one conversation, with their own view of it."""

    class Folder(models.TextChoices):
        FOCUSED = "focused", _("Focused")
        OTHER = "other", _("Other")

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="participants")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)
    # Copied from the conversation at each new message, so one member's inbox sorts on their own rows.
    last_message_at = models.DateTimeField(null=True, blank=True)
    last_read_at = models.DateTimeField(null=True, blank=True)
    unread_count = models.PositiveIntegerField(default=0)
    marked_unread = models.BooleanField(default=False)
    folder = models.CharField(max_length=8, choices=Folder.choices, default=Folder.FOCUSED)
    archived = models.BooleanField(default=False)
    starred = models.BooleanField(default=False)
    muted = models.BooleanField(default=False)
    hidden = models.BooleanField(default=False)  # the member blocked someone in it
    marked_spam = models.BooleanField(default=False)  # an InMail the recipient marked as spam
    snoozed_until = models.DateTimeField(null=True, blank=True)
    # "Remind me if no reply in N days": due at remind_at unless someone else wrote after remind_from.
    remind_at = models.DateTimeField(null=True, blank=True)
    remind_from = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    last_emailed_at = models.DateTimeField(null=True, blank=True)
    labels = models.ManyToManyField("Label", blank=True, related_name="participants")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "member"], name="participant_once"),
        ]
        indexes = [
            models.Index(fields=["member", "archived", "-last_message_at"], name="inbox_order"),
            models.Index(fields=["member", "unread_count"], name="inbox_unread"),
            # The periodic job's unread mails, snoozes and reminders read only the rows that need it.
            models.Index(
                fields=["last_message_at"], name="participant_unread_due", condition=Q(unread_count__gt=0)
            ),
            models.Index(
                fields=["snoozed_until"], name="participant_snoozed", condition=Q(snoozed_until__isnull=False)
            ),
            models.Index(
                fields=["remind_at"], name="participant_reminder", condition=Q(remind_at__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} in {self.conversation_id}"

    @property
    def is_unread(self) -> bool:
        return self.unread_count > 0 or self.marked_unread


def _attachment_path(instance: Attachment, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"messages/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class Message(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("Message")
        SYSTEM = "system", _("Event")  # joined, left, renamed, introduction
        CONTACT_SHARE = "contact_share", _("Contact details shared")
        CONTACT_REQUEST = "contact_request", _("Contact details asked")

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.TEXT)
    body = models.TextField(_("message"), max_length=BODY_MAX, blank=True)
    # System and contact messages: what happened, as data rendered in each reader's language.
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    # Accent-folded text for search (body, and the attachments' names).
    search_text = models.TextField(blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["conversation", "created_at", "id"], name="message_order")]

    def __str__(self) -> str:
        return f"#{self.pk} in {self.conversation_id}"


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=_attachment_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return self.original_name


class Label(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=40)
    colour = models.CharField(_("colour"), max_length=7, default="#0a66c2")  # #rrggbb
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="label_unique_name")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SenderFolder(models.Model):
    """What a member taught the Focused / Other split by moving a conversation: this sender's
    conversations go to this folder from now on."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    folder = models.CharField(max_length=8, choices=Participant.Folder.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "sender"], name="sender_folder_once")]

    def __str__(self) -> str:
        return f"{self.sender_id} → {self.folder} for {self.member_id}"


class MessagingSettings(models.Model):
    """A member's messaging choices (a row only once they change a default)."""

    class Digest(models.TextChoices):
        HOURLY = "hourly", _("At most once an hour per conversation")
        OFF = "off", _("Never")

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messaging_settings"
    )
    read_receipts = models.BooleanField(_("Send read receipts"), default=True)
    refuse_inmail = models.BooleanField(_("Refuse InMail"), default=False)
    email_unread = models.CharField(
        _("Email me about unread messages"), max_length=8, choices=Digest.choices, default=Digest.HOURLY
    )
    # Contact details shared in one click: ids of the member's ContactDetail rows.
    shared_contact_ids = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"messaging settings of {self.member_id}"
