"""Every write of trust: a member reports another; moderators dismiss, warn, restrict, lift a restriction,
suspend or reinstate; the automatic rule restricts a member whose invitations are ignored or reported
past a rate, or whom several members reported. Each function is one transaction; a refusal raises a
translated ValidationError or PermissionDenied and changes nothing. Mails leave after commit.

The automatic rule (`review_member`), with its settings and defaults:

    TRUST_AUTO_RESTRICT_WINDOW_DAYS      30   the invitations and reports it reads are this recent…
    TRUST_AUTO_RESTRICT_MIN_INVITATIONS  20   …at least this many invitations sent in that window,
    TRUST_AUTO_RESTRICT_RATE            0.5   …and this share of them ignored, declined or reported;
    TRUST_AUTO_RESTRICT_REPORTS           3   or open reports from this many different members
    TRUST_AUTO_RESTRICT_DAYS             14   how long the restriction lasts

It only reads what happened after the member's last restriction ended and after the last moderator
decision about them, so a member is never restricted twice for the same invitations, and a moderator who
lifted a restriction or dismissed the reports is not overruled by the rule on the same evidence.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from entregent.core import policy
from entregent.trust import risk, selectors
from entregent.trust.models import ModerationAction, Report, Restriction

if TYPE_CHECKING:
    from entregent.accounts.models import User

RESTRICT_DAYS = 14  # a moderator's restriction, unless they choose another length
MAX_RESTRICT_DAYS = 365
AUTO_RESTRICT = {
    "WINDOW_DAYS": 30,
    "MIN_INVITATIONS": 20,
    "RATE": 0.5,
    "REPORTS": 3,
    "DAYS": 14,
}


def auto_setting(name: str):
    """TRUST_AUTO_RESTRICT_<name> from the settings, or its default."""
    return getattr(settings, f"TRUST_AUTO_RESTRICT_{name}", AUTO_RESTRICT[name])


def restrict_days_default() -> int:
    return int(getattr(settings, "TRUST_RESTRICT_DAYS", RESTRICT_DAYS))


def _when(moment: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _stem_of(member: User) -> str:
    profile = getattr(member, "profile", None)
    return risk.name_stem(profile.first_name, profile.last_name) if profile else ""


# ------------------------------------------------------------------------------------------------ mail


def _mail(member: User, template: str, context: dict) -> None:
    """Queue a mail to the member after commit (trust/emails/<template>_subject.txt, _message.txt/html)."""
    from entregent.accounts.tasks import send_email

    profile = getattr(member, "profile", None)
    context = {
        "name": profile.first_name if profile else "",
        "site_name": settings.SITE_NAME,
        "site_url": getattr(settings, "SITE_URL", "").rstrip("/"),
        **context,
    }
    subject = render_to_string(f"trust/emails/{template}_subject.txt", context).strip()
    payload = {
        "subject": settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        "body": render_to_string(f"trust/emails/{template}_message.txt", context),
        "html": render_to_string(f"trust/emails/{template}_message.html", context),
        "to": [member.email],
    }
    transaction.on_commit(lambda: send_email.enqueue(**payload))


# --------------------------------------------------------------------------------------------- reports


@transaction.atomic
def report_create(*, reporter: User, reported: User, reason: str, comment: str = "") -> Report:
    """`reporter` tells the moderators that `reported` looks fake, spams, harasses or scams. One open
    report per pair: reporting again while it is open is refused and stores nothing. The reported member
    is then reviewed by the automatic rule."""
    comment = (comment or "").strip()
    if reporter.pk == reported.pk:
        raise ValidationError(_("You cannot report yourself."), code="self")
    if not reported.is_active or policy.is_blocked(reporter.pk, reported.pk):
        raise PermissionDenied(_("You cannot report this member."))
    existing = selectors.open_report_by(reporter, reported)
    if existing is not None:
        raise ValidationError(
            _("You already reported this member on %(when)s; the moderators have not finished looking at it.")
            % {"when": _when(existing.created_at)},
            code="duplicate",
        )
    report = Report(
        reporter=reporter, reported=reported, reason=reason, comment=comment, name_stem=_stem_of(reported)
    )
    report.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:  # the same report sent twice at once
        raise ValidationError(
            _("You already reported this member; the moderators have not finished looking at it."),
            code="duplicate",
        ) from None
    review_member(reported.pk)
    return report


# ------------------------------------------------------------------------------------ automatic rule


def _evidence_since(member_id: int, now: dt.datetime) -> dt.datetime:
    """Where the automatic rule starts reading: the window's start, or later if a restriction ended or a
    moderator decided about the member since."""
    since = now - dt.timedelta(days=int(auto_setting("WINDOW_DAYS")))
    ended = (
        Restriction.objects.filter(member_id=member_id, starts_at__lte=now)
        .aggregate(last=Max(Coalesce("lifted_at", "ends_at")))
        .get("last")
    )
    decided = (
        ModerationAction.objects.filter(member_id=member_id, moderator__isnull=False)
        .aggregate(last=Max("created_at"))
        .get("last")
    )
    return max(
        [moment for moment in (since, ended, decided) if moment is not None and moment <= now] or [since]
    )


def auto_restriction_reason(member_id: int, *, now: dt.datetime | None = None) -> str:
    """Why the automatic rule would restrict the member now, in words for them; "" when it would not."""
    now = now or timezone.now()
    since = _evidence_since(member_id, now)
    counts = risk.invitation_counts([member_id], since=since, now=now).get(member_id)
    if (
        counts is not None
        and counts.sent >= int(auto_setting("MIN_INVITATIONS"))
        and counts.bad_share >= float(auto_setting("RATE"))
    ):
        return ngettext(
            "Many of the invitations you sent recently were ignored or reported: %(bad)d of %(sent)d "
            "in the last %(days)d day.",
            "Many of the invitations you sent recently were ignored or reported: %(bad)d of %(sent)d "
            "in the last %(days)d days.",
            max(1, (now - since).days),
        ) % {"bad": counts.bad, "sent": counts.sent, "days": max(1, (now - since).days)}
    reporters = risk.open_reporter_counts([member_id], since=since).get(member_id, 0)
    if reporters >= int(auto_setting("REPORTS")):
        return ngettext(
            "%(n)d member reported your profile; the moderators will look at the reports.",
            "%(n)d members reported your profile; the moderators will look at the reports.",
            reporters,
        ) % {"n": reporters}
    return ""


@transaction.atomic
def review_member(member_id: int, *, now: dt.datetime | None = None) -> Restriction | None:
    """Apply the automatic rule to one member: restrict them (with a mail saying why and until when) when
    their recent invitations were ignored or reported past the rate, or several members reported them.
    Returns the new restriction, or None. Idempotent: a member already restricted, suspended or within
    the rate is left as they are."""
    from entregent.accounts.models import User as UserModel

    now = now or timezone.now()
    member = (
        UserModel.objects.select_for_update(of=("self",))
        .select_related("profile")
        .filter(pk=member_id, is_active=True)
        .first()
    )
    if member is None or selectors._in_effect(now).filter(member_id=member_id).exists():
        return None
    reason = auto_restriction_reason(member_id, now=now)
    if not reason:
        return None
    until = now + dt.timedelta(days=int(auto_setting("DAYS")))
    return _restrict(member=member, moderator=None, reason=reason, until=until, now=now)


def _restrict(
    *, member: User, moderator: User | None, reason: str, until: dt.datetime, now: dt.datetime
) -> Restriction:
    kind = ModerationAction.Kind.RESTRICT if moderator else ModerationAction.Kind.AUTO_RESTRICT
    action = ModerationAction.objects.create(
        member=member, moderator=moderator, kind=kind, reason=reason, until=until, created_at=now
    )
    # A new restriction replaces the one in effect (a moderator shortening or extending it).
    selectors._in_effect(now).filter(member_id=member.pk).update(lifted_at=now)
    restriction = Restriction(
        member=member, reason=reason, automatic=moderator is None, starts_at=now, ends_at=until, action=action
    )
    restriction.full_clean()
    restriction.save()
    _mail(member, "restricted", {"reason": reason, "until": _when(until), "automatic": moderator is None})
    return restriction


def members_to_review(*, now: dt.datetime | None = None, days: int = 2):
    """Ids of the active members the daily job reviews: those who sent invitations, or whose invitations
    were answered, in the last `days` days, and those with open reports."""
    from django.db.models import Q

    from entregent.accounts.models import User as UserModel
    from entregent.network.models import Invitation

    now = now or timezone.now()
    since = now - dt.timedelta(days=days)
    senders = Invitation.objects.filter(Q(created_at__gte=since) | Q(responded_at__gte=since)).values(
        "sender_id"
    )
    reported = Report.objects.filter(status=Report.Status.OPEN).values("reported_id")
    return (
        UserModel.objects.filter(Q(pk__in=senders) | Q(pk__in=reported), is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def review_recent(*, now: dt.datetime | None = None, batch: int = 500) -> dict[str, int]:
    """The daily job: review every member who invited or was reported recently, each in their own
    transaction. Returns how many were reviewed and restricted."""
    now = now or timezone.now()
    counts = {"reviewed": 0, "restricted": 0}
    ids = members_to_review(now=now)
    last = 0
    while True:
        chunk = list(ids.filter(pk__gt=last)[:batch])
        if not chunk:
            return counts
        for member_id in chunk:
            counts["reviewed"] += 1
            if review_member(member_id, now=now) is not None:
                counts["restricted"] += 1
        last = chunk[-1]


def restrictions_ended(*, now: dt.datetime | None = None, days: int = 1) -> int:
    """How many restrictions ran out in the last `days` days (for the daily job's report)."""
    now = now or timezone.now()
    return Restriction.objects.filter(
        lifted_at__isnull=True, ends_at__lte=now, ends_at__gt=now - dt.timedelta(days=days)
    ).count()


# ----------------------------------------------------------------------------------------- moderation


def _require_moderator(moderator: User, member: User) -> None:
    if not (moderator.is_active and moderator.is_staff):
        raise PermissionDenied(_("Only moderators can do this."))
    if moderator.pk == member.pk:
        raise PermissionDenied(_("You cannot moderate your own account."))


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why: the decision is recorded with its reason.")})
    if len(reason) > 1000:
        raise ValidationError({"reason": _("Keep the reason under %(limit)d characters.") % {"limit": 1000}})
    return reason


def _close_reports(member: User, action: ModerationAction, status: str) -> int:
    return Report.objects.filter(reported_id=member.pk, status=Report.Status.OPEN).update(
        status=status, resolved_at=action.created_at, resolution=action
    )


def _record(*, moderator: User, member: User, kind: str, reason: str, until=None) -> ModerationAction:
    return ModerationAction.objects.create(
        member=member,
        moderator=moderator,
        kind=kind,
        reason=reason,
        until=until,
        name_stem=_stem_of(member) if kind == ModerationAction.Kind.SUSPEND else "",
    )


@transaction.atomic
def reports_dismiss(*, moderator: User, member: User, reason: str) -> ModerationAction:
    """The reports on `member` were unfounded: they are closed, and nothing happens to the member."""
    _require_moderator(moderator, member)
    reason = _require_reason(reason)
    action = _record(moderator=moderator, member=member, kind=ModerationAction.Kind.DISMISS, reason=reason)
    _close_reports(member, action, Report.Status.DISMISSED)
    return action


@transaction.atomic
def member_warn(*, moderator: User, member: User, reason: str) -> ModerationAction:
    """Mail the member a warning with the moderator's words; their open reports are closed."""
    _require_moderator(moderator, member)
    reason = _require_reason(reason)
    action = _record(moderator=moderator, member=member, kind=ModerationAction.Kind.WARN, reason=reason)
    _close_reports(member, action, Report.Status.ACTIONED)
    _mail(member, "warned", {"reason": reason})
    return action


@transaction.atomic
def member_restrict(*, moderator: User, member: User, reason: str, days: int | None = None) -> Restriction:
    """Keep the member from inviting and messaging for `days` days (14 by default), their pending
    invitations hidden; they get a mail and a notice on every page saying why and until when."""
    _require_moderator(moderator, member)
    reason = _require_reason(reason)
    days = restrict_days_default() if days is None else days
    if not 1 <= days <= MAX_RESTRICT_DAYS:
        raise ValidationError({"days": _("Choose between 1 and %(max)d days.") % {"max": MAX_RESTRICT_DAYS}})
    if member.is_staff:
        raise PermissionDenied(_("Staff accounts cannot be restricted or suspended here."))
    if not member.is_active:
        raise ValidationError(_("This account is suspended; reinstate it first."), code="inactive")
    now = timezone.now()
    restriction = _restrict(
        member=member, moderator=moderator, reason=reason, until=now + dt.timedelta(days=days), now=now
    )
    _close_reports(member, restriction.action, Report.Status.ACTIONED)
    return restriction


@transaction.atomic
def restriction_lift(*, moderator: User, member: User, reason: str) -> ModerationAction:
    """End the restriction in effect now (automatic or not)."""
    _require_moderator(moderator, member)
    reason = _require_reason(reason)
    now = timezone.now()
    if not selectors._in_effect(now).filter(member_id=member.pk).exists():
        raise ValidationError(_("This member is not restricted."), code="not_restricted")
    action = _record(moderator=moderator, member=member, kind=ModerationAction.Kind.LIFT, reason=reason)
    selectors._in_effect(now).filter(member_id=member.pk).update(lifted_at=now)
    return action


@transaction.atomic
def member_suspend(*, moderator: User, member: User, reason: str) -> ModerationAction:
    """Deactivate the account (they can no longer sign in and disappear from the site); their open
    reports are closed and they get a mail with the reason."""
    _require_moderator(moderator, member)
    reason = _require_reason(reason)
    if member.is_staff:
        raise PermissionDenied(_("Staff accounts cannot be restricted or suspended here."))
    if not member.is_active:
        raise ValidationError(_("This account is already suspended."), code="inactive")
    action = _record(moderator=moderator, member=member, kind=ModerationAction.Kind.SUSPEND, reason=reason)
    member.is_active = False
    member.save(update_fields=["is_active"])
    _close_reports(member, action, Report.Status.ACTIONED)
    _mail(member, "suspended", {"reason": reason})
    return action


@transaction.atomic
def member_reinstate(*, moderator: User, member: User, reason: str) -> ModerationAction:
    """Reactivate an account the moderators suspended (not one deactivated for another reason)."""
    _require_moderator(moderator, member)
    reason = _require_reason(reason)
    last = (
        ModerationAction.objects.filter(
            member_id=member.pk, kind__in=[ModerationAction.Kind.SUSPEND, ModerationAction.Kind.REINSTATE]
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    if member.is_active or last is None or last.kind != ModerationAction.Kind.SUSPEND:
        raise ValidationError(_("This account was not suspended by the moderators."), code="not_suspended")
    action = _record(moderator=moderator, member=member, kind=ModerationAction.Kind.REINSTATE, reason=reason)
    member.is_active = True
    member.save(update_fields=["is_active"])
    return action


# The actions of the case page, by name, with what each needs.
ACTIONS = {
    "dismiss": reports_dismiss,
    "warn": member_warn,
    "restrict": member_restrict,
    "lift": restriction_lift,
    "suspend": member_suspend,
    "reinstate": member_reinstate,
}


def moderation_decide(*, moderator: User, member: User, action: str, reason: str, days: int | None = None):
    """One entry point for the case page and the API: run the named action."""
    if action not in ACTIONS:
        raise ValidationError({"action": _("Choose an action.")})
    if action == "restrict":
        return member_restrict(moderator=moderator, member=member, reason=reason, days=days)
    return ACTIONS[action](moderator=moderator, member=member, reason=reason)
