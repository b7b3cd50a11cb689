"""Who knows whom. A `Connection` is one row per unordered pair (member_low < member_high);
degrees 2 and 3 are computed from these rows, never stored. The network issue builds the
services, views and graph index on top of these tables; the demo seeder already fills them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Connection(models.Model):
    # The unique (low, high) constraint and the (high, low) index cover each side's lookups, so the
    # foreign keys need no index of their own on the largest table.
    member_low = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="connections_low", db_index=False
    )
    member_high = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="connections_high", db_index=False
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member_low", "member_high"], name="connection_unique_pair"),
            models.CheckConstraint(condition=Q(member_low__lt=F("member_high")), name="connection_ordered"),
        ]
        indexes = [models.Index(fields=["member_high", "member_low"])]

    def __str__(self) -> str:
        return f"{self.member_low_id}–{self.member_high_id}"

    @staticmethod
    def pair(a_id: int, b_id: int) -> tuple[int, int]:
        return (a_id, b_id) if a_id < b_id else (b_id, a_id)


class TriageAction(models.TextChoices):
    ACCEPT = "accept", _("Accept")
    HOLD = "hold", _("Hold for my review")
    DECLINE = "decline", _("Decline silently")
    SUSPICIOUS = "suspicious", _("Put in “suspicious”")


class Invitation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        IGNORED = "ignored", _("Ignored")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPIRED = "expired", _("Expired")

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations_sent"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations_received"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)
    # The 7-day follow-up sent to the sender of a still-pending invitation with a note (once).
    reminded_at = models.DateTimeField(null=True, blank=True)
    # What the recipient's triage rules decided when the invitation arrived, and why (shown to them).
    triage_action = models.CharField(max_length=10, choices=TriageAction.choices, blank=True)
    triage_rule = models.ForeignKey(
        "network.TriageRule", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    triage_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sender", "recipient"],
                condition=Q(status="pending"),
                name="invitation_one_pending_per_pair",
            ),
            models.CheckConstraint(condition=~Q(sender=F("recipient")), name="invitation_not_self"),
        ]
        indexes = [models.Index(fields=["recipient", "status", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.sender_id}→{self.recipient_id} ({self.status})"


class Block(models.Model):
    """`blocker` blocked `blocked`: the two disappear for each other everywhere, whoever blocked.
    The network issue adds the block/unblock actions; the access policy already honours the rows."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_made"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_received"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_unique_pair"),
            models.CheckConstraint(condition=~Q(blocker=F("blocked")), name="block_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocks {self.blocked_id}"


class Follow(models.Model):
    """`follower` sees `followed`'s public activity. One way; a connection implies following both ways."""

    # The unique (follower, followed) constraint covers "whom do I follow"; the (followed, -created_at)
    # index covers "who follows me", newest first.
    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="following", db_index=False
    )
    followed = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followers", db_index=False
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "followed"], name="follow_unique_pair"),
            models.CheckConstraint(condition=~Q(follower=F("followed")), name="follow_not_self"),
        ]
        indexes = [models.Index(fields=["followed", "-created_at"], name="follow_followed_recent")]

    def __str__(self) -> str:
        return f"{self.follower_id} follows {self.followed_id}"


class Unblock(models.Model):
    """When `blocker` last lifted a block on `blocked`: a re-block waits 48 hours (against block/unblock
    games). One row per ordered pair, updated on each unblock."""

    blocker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    blocked = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    unblocked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["blocker", "blocked"], name="unblock_unique_pair")]

    def __str__(self) -> str:
        return f"{self.blocker_id} unblocked {self.blocked_id}"


class TriageRule(models.Model):
    """One of a member's ordered rules sorting incoming invitations: the first enabled rule whose
    conditions all hold decides the action. `conditions` is a list of {"field", "op", "value"} objects
    (see network/triage.py for the fields and their meaning)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="triage_rules")
    position = models.PositiveIntegerField(default=0)
    name = models.CharField(_("name"), max_length=80, blank=True)
    conditions = models.JSONField(default=list, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=TriageAction.choices)
    enabled = models.BooleanField(_("enabled"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["owner", "position", "pk"]
        indexes = [models.Index(fields=["owner", "position"])]

    def __str__(self) -> str:
        return f"{self.owner_id} #{self.position}: {self.action}"


class Introduction(models.Model):
    """The relais relationnel: `requester` (A) asks `intermediary` (B), connected to both, to introduce
    them to `target` (C). B forwards with a word of their own or declines; C accepts or declines."""

    class Status(models.TextChoices):
        ASKED = "asked", _("Waiting for the intermediary")
        FORWARDED = "forwarded", _("Forwarded")
        DECLINED_BY_INTERMEDIARY = "declined_b", _("Declined by the intermediary")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED_BY_TARGET = "declined_c", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPIRED = "expired", _("Expired")

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="introductions_requested"
    )
    intermediary = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="introductions_to_relay"
    )
    target = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="introductions_received"
    )
    why = models.CharField(_("why (to the intermediary)"), max_length=600)
    message = models.CharField(_("message to carry"), max_length=600)
    intermediary_word = models.CharField(_("your word"), max_length=600, blank=True)
    decline_reason = models.CharField(_("reason"), max_length=300, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ASKED)
    created_at = models.DateTimeField(default=timezone.now)
    forwarded_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(requester=F("target"))
                & ~Q(requester=F("intermediary"))
                & ~Q(intermediary=F("target")),
                name="introduction_three_members",
            ),
        ]
        indexes = [
            models.Index(fields=["requester", "status"]),
            models.Index(fields=["intermediary", "status"]),
            models.Index(fields=["target", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.requester_id} → {self.intermediary_id} → {self.target_id} ({self.status})"


class SuggestionDismissal(models.Model):
    """`member` dismissed `suggested` from their people-you-may-know: hidden for 90 days."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    suggested = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    dismissed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "suggested"], name="dismissal_unique_pair")]

    def __str__(self) -> str:
        return f"{self.member_id} dismissed {self.suggested_id}"


class SuggestionImpression(models.Model):
    """How often `suggested` was shown to `member` without being acted on: suggestions shown often
    and ignored sink."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    suggested = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    shown = models.PositiveIntegerField(default=0)
    last_shown_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "suggested"], name="impression_unique_pair")]

    def __str__(self) -> str:
        return f"{self.suggested_id} shown to {self.member_id} ×{self.shown}"


class GraphChange(models.Model):
    """The change log of the connection graph: one row per connection added or removed, written in the
    same transaction as the change. Every process's in-memory graph index follows it by id."""

    class Kind(models.TextChoices):
        ADD = "add", "add"
        REMOVE = "remove", "remove"

    id = models.BigAutoField(primary_key=True)
    kind = models.CharField(max_length=6, choices=Kind.choices)
    member_low = models.BigIntegerField()  # as wide as the user ids they copy
    member_high = models.BigIntegerField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} {self.member_low}–{self.member_high}"
