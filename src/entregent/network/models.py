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
