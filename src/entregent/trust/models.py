"""Fake-profile protection: members' reports, the moderators' decisions and restrictions.

A `Report` is one member telling the moderators that another looks fake, spams, harasses or scams;
a member has at most one open report on the same member. A `ModerationAction` records every decision
(who, when, why) — by a staff member, or by the automatic rule when `moderator` is empty. A
`Restriction` keeps a member from inviting and messaging until `ends_at` (or until lifted); their
pending invitations are hidden meanwhile. Writes go through `services.py`, reads through
`selectors.py`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Report(models.Model):
    class Reason(models.TextChoices):
        FAKE = "fake", _("Fake profile")
        SPAM = "spam", _("Spam")
        HARASSMENT = "harassment", _("Harassment")
        SCAM = "scam", _("Scam or fraud")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DISMISSED = "dismissed", _("Dismissed")
        ACTIONED = "actioned", _("Acted upon")

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trust_reports_made"
    )
    reported = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trust_reports_received"
    )
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    comment = models.CharField(_("comment"), max_length=1000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    # The reported member's name without accents, digits or punctuation when reported: other accounts
    # with the same name pattern score higher (fake accounts come in series: "John Smith1", "John Smith7").
    name_stem = models.CharField(max_length=121, blank=True, db_index=True, editable=False)
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolution = models.ForeignKey(
        "trust.ModerationAction",
        verbose_name=_("decision"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "reported"], condition=Q(status="open"), name="report_one_open_per_pair"
            ),
            models.CheckConstraint(condition=~Q(reporter=F("reported")), name="report_not_self"),
        ]
        indexes = [
            models.Index(fields=["reported", "status"]),
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["reporter", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.reporter_id} reported {self.reported_id} ({self.reason}, {self.status})"


class ModerationQueue(Report):
    """No table of its own: the moderation queue's entry in the admin index (its list opens the queue)."""

    class Meta:
        proxy = True
        verbose_name = _("moderation queue")
        verbose_name_plural = _("moderation queue")


class ModerationAction(models.Model):
    class Kind(models.TextChoices):
        DISMISS = "dismiss", _("Dismiss the reports")
        WARN = "warn", _("Warn")
        RESTRICT = "restrict", _("Restrict")
        AUTO_RESTRICT = "auto_restrict", _("Restricted automatically")
        LIFT = "lift", _("Lift the restriction")
        SUSPEND = "suspend", _("Suspend")
        REINSTATE = "reinstate", _("Reinstate")

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trust_actions_received"
    )
    # Empty for a decision of the automatic rule.
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trust_actions_taken",
    )
    kind = models.CharField(_("action"), max_length=14, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=1000, blank=True)
    until = models.DateTimeField(_("until"), null=True, blank=True)
    name_stem = models.CharField(max_length=121, blank=True, db_index=True, editable=False)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation actions")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["member", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.member_id} by {self.moderator_id or 'rule'}"


class Restriction(models.Model):
    """While in effect (started, not ended, not lifted) the member cannot invite or message, and their
    pending invitations are hidden from recipients."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trust_restrictions"
    )
    reason = models.CharField(_("reason shown to the member"), max_length=1000)
    automatic = models.BooleanField(_("automatic"), default=False)
    starts_at = models.DateTimeField(_("from"), default=timezone.now)
    ends_at = models.DateTimeField(_("until"))
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    action = models.ForeignKey(
        ModerationAction, on_delete=models.SET_NULL, null=True, blank=True, related_name="restrictions"
    )

    class Meta:
        verbose_name = _("restriction")
        verbose_name_plural = _("restrictions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="restriction_ends_after_start"
            )
        ]
        indexes = [models.Index(fields=["member", "ends_at"]), models.Index(fields=["ends_at"])]

    def __str__(self) -> str:
        return f"{self.member_id} restricted until {self.ends_at:%Y-%m-%d %H:%M}"

    def in_effect(self, now=None) -> bool:
        now = now or timezone.now()
        return self.lifted_at is None and self.starts_at <= now < self.ends_at
