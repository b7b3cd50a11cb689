"""Introductions, the relais relationnel: member A asks a mutual connection B to introduce them to a
2nd-degree member C. B forwards the request with a word of their own, or declines with an optional reason
to A; C then accepts (A and C are connected) or declines. A may withdraw while the request is open.

This module owns the writes (services, each one transaction) and the reads (selectors, every one scoped
to the member asking) of introductions. A refusal raises a translated ValidationError (bad input, a rule)
or PermissionDenied (a blocked member, a role the member does not hold), or plans.QuotaExceeded, and
leaves nothing stored. Mails leave only after commit.

Who sees what: A sees their requests with everything in them; B sees the requests addressed to them
(A's "why" and the message to carry); C sees an introduction only once B has forwarded it — never A's
"why" to B, never a request B declined. A member blocked either way by another of the three sees nothing
of the introduction. How many requests a member may have open at once is the plans quota
"introductions.pending"; an open request expires after 30 days without an answer.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from entregent import plans
from entregent.core import policy
from entregent.network import graph
from entregent.network.models import Introduction
from entregent.trust import selectors as trust

if TYPE_CHECKING:
    from entregent.accounts.models import User
    from entregent.profiles.models import Profile

Status = Introduction.Status

# The plans quota counting the requests a member has waiting for an answer (declared in plans/registry.py).
QUOTA = "introductions.pending"
# A request still waiting for B, or forwarded and waiting for C.
OPEN_STATUSES = (Status.ASKED, Status.FORWARDED)
# An open request expires this long after its last step (asked, or forwarded) without an answer.
EXPIRY = dt.timedelta(days=30)

# The three roles a member can hold in an introduction, and the tab of the Introductions page for each.
REQUESTER, INTERMEDIARY, TARGET = "requester", "intermediary", "target"
ROLES = (REQUESTER, INTERMEDIARY, TARGET)
ROLE_LABELS = {
    REQUESTER: gettext_lazy("Requested by me"),
    INTERMEDIARY: gettext_lazy("To relay"),
    TARGET: gettext_lazy("Received"),
}
_ROLE_FIELD = {REQUESTER: "requester", INTERMEDIARY: "intermediary", TARGET: "target"}


# ------------------------------------------------------------------------------------------- selectors


def _others(role: str) -> tuple[str, str]:
    return tuple(_ROLE_FIELD[r] for r in ROLES if r != role)  # type: ignore[return-value]


def _visible(member: User, role: str) -> Q:
    """Introductions where `member` holds `role`, as they may see them: C only once forwarded; none
    with a member blocked either way by `member` or no longer active."""
    from entregent.accounts.models import User as UserModel
    from entregent.network.models import Block

    if role not in ROLES:
        raise ValueError(role)
    visible = Q(**{_ROLE_FIELD[role]: member})
    if role == TARGET:
        visible &= Q(forwarded_at__isnull=False)
    blocked = Block.objects.filter(blocker_id=member.pk).values("blocked_id")
    blockers = Block.objects.filter(blocked_id=member.pk).values("blocker_id")
    # Subqueries rather than joins, so that the same condition also filters an aggregate.
    inactive = UserModel.objects.filter(is_active=False).values("pk")
    for other in _others(role):
        for hidden in (blocked, blockers, inactive):
            visible &= ~Q(**{f"{other}_id__in": hidden})
    return visible


def introductions_for(member: User, role: str) -> QuerySet:
    """The member's introductions in one role, the latest step first, with the three members' profiles."""
    order = ("-forwarded_at", "-pk") if role == TARGET else ("-created_at", "-pk")
    return (
        Introduction.objects.filter(_visible(member, role))
        .select_related("requester__profile", "intermediary__profile", "target__profile")
        .order_by(*order)
    )


def introductions_waiting(member: User) -> dict[str, int]:
    """How many introductions wait, by role: A's open requests, those B has to relay, those C has to
    answer. One query."""
    from django.db.models import Count

    waiting = {REQUESTER: OPEN_STATUSES, INTERMEDIARY: (Status.ASKED,), TARGET: (Status.FORWARDED,)}
    mine = Q(requester=member) | Q(intermediary=member) | Q(target=member)
    counts = Introduction.objects.filter(mine, status__in=OPEN_STATUSES).aggregate(
        **{role: Count("pk", filter=_visible(member, role) & Q(status__in=waiting[role])) for role in ROLES}
    )
    return {role: counts[role] or 0 for role in ROLES}


def role_of(introduction: Introduction, member: User) -> str | None:
    if introduction.requester_id == member.pk:
        return REQUESTER
    if introduction.intermediary_id == member.pk:
        return INTERMEDIARY
    if introduction.target_id == member.pk:
        return TARGET
    return None


def introduction_for(member: User, pk: int) -> tuple[Introduction, str]:
    """The introduction `pk` and the member's role in it, or Http404 when the member holds no role in it
    they may see (a stranger, C before B forwarded it, a blocked member): never another's introduction."""
    visible = Q(requester=member) | Q(intermediary=member) | Q(target=member, forwarded_at__isnull=False)
    found = (
        Introduction.objects.filter(visible, pk=pk)
        .select_related("requester__profile", "intermediary__profile", "target__profile")
        .first()
    )
    if found is None:
        raise Http404
    role = role_of(found, member)
    assert role is not None
    others = [getattr(found, f"{field}") for field in _others(role)]
    if any(not other.is_active or policy.is_blocked(member.pk, other.pk) for other in others):
        raise Http404
    return found, role


def intermediaries_for(requester: User, target: User) -> QuerySet:
    """Profiles of the members who could introduce `requester` to `target`: active connections of both,
    blocked by neither (nor blocking them), by name. Empty when the two are connected or blocked."""
    from entregent.profiles.models import Profile

    if requester.pk == target.pk or policy.is_blocked(requester.pk, target.pk):
        return Profile.objects.none()
    index = graph.get_index()
    if index.are_connected(requester.pk, target.pk):
        return Profile.objects.none()
    ids = index.mutual_ids(requester.pk, target.pk)
    profiles = Profile.objects.filter(user_id__in=ids, user__is_active=True)
    profiles = policy.exclude_blocked(profiles, requester.pk, "user_id")
    profiles = policy.exclude_blocked(profiles, target.pk, "user_id")
    return profiles.select_related("user").order_by("last_name", "first_name", "pk")


def open_introduction_to(requester: User, target: User) -> Introduction | None:
    """The requester's open request for an introduction to `target`, if any."""
    return (
        Introduction.objects.filter(requester=requester, target=target, status__in=OPEN_STATUSES)
        .order_by("-created_at")
        .first()
    )


def can_ask_introduction(viewer: User, target: User) -> bool:
    """Whether `viewer` may ask for an introduction to `target` (what a profile's "Ask for an
    introduction" link needs): a 2nd-degree member with a mutual connection who could relay, and no
    request already open. Quotas are checked when asking."""
    if not viewer.is_authenticated or viewer.pk == target.pk or not target.is_active:
        return False
    if graph.get_index().degree(viewer.pk, target.pk) != 2:
        return False
    if open_introduction_to(viewer, target) is not None:
        return False
    return intermediaries_for(viewer, target).exists()


@dataclass
class Actions:
    """What the viewer may do with an introduction, for the pages and the API."""

    forward: bool = False
    decline: bool = False
    accept: bool = False
    withdraw: bool = False

    @property
    def any(self) -> bool:
        return self.forward or self.decline or self.accept or self.withdraw

    def names(self) -> list[str]:
        return [name for name in ("forward", "accept", "decline", "withdraw") if getattr(self, name)]


def actions_for(introduction: Introduction, role: str) -> Actions:
    status = introduction.status
    if role == INTERMEDIARY and status == Status.ASKED:
        return Actions(forward=True, decline=True)
    if role == TARGET and status == Status.FORWARDED:
        return Actions(accept=True, decline=True)
    if role == REQUESTER and status in OPEN_STATUSES:
        return Actions(withdraw=True)
    return Actions()


def status_text(introduction: Introduction, role: str) -> str:
    """Where the introduction stands, in words for the member holding `role`."""
    names = {
        "requester": introduction.requester.profile.display_name,
        "intermediary": introduction.intermediary.profile.display_name,
        "target": introduction.target.profile.display_name,
    }
    status = introduction.status
    if status == Status.ASKED:
        if role == INTERMEDIARY:
            return _("Waiting for your answer")
        return _("Waiting for %(intermediary)s to forward it") % names
    if status == Status.FORWARDED:
        if role == TARGET:
            return _("Waiting for your answer")
        if role == INTERMEDIARY:
            return _("Forwarded; waiting for %(target)s") % names
        return _("Forwarded by %(intermediary)s; waiting for %(target)s") % names
    if status == Status.DECLINED_BY_INTERMEDIARY:
        if role == INTERMEDIARY:
            return _("You declined to forward it")
        return _("%(intermediary)s declined to forward it") % names
    if status == Status.DECLINED_BY_TARGET:
        if role == TARGET:
            return _("You declined")
        return _("%(target)s declined") % names
    if status == Status.ACCEPTED:
        if role == TARGET:
            return _("You accepted: you are connected with %(requester)s") % names
        if role == REQUESTER:
            return _("Accepted: you are connected with %(target)s") % names
        return _("Accepted: %(requester)s and %(target)s are connected") % names
    if status == Status.WITHDRAWN:
        if role == REQUESTER:
            return _("You withdrew it")
        return _("Withdrawn by %(requester)s") % names
    return _("Expired without an answer")


def status_tone(introduction: Introduction) -> str:
    """ "open", "accepted", "declined" or "closed": how the status badge looks."""
    if introduction.status in OPEN_STATUSES:
        return "open"
    if introduction.status == Status.ACCEPTED:
        return "accepted"
    if introduction.status in (Status.DECLINED_BY_INTERMEDIARY, Status.DECLINED_BY_TARGET):
        return "declined"
    return "closed"


def visible_texts(introduction: Introduction, role: str) -> dict[str, str]:
    """The texts the member holding `role` may read: A's "why" is for A and B; B's or C's reason for
    declining is for A and for whoever wrote it."""
    texts = {"message": introduction.message, "intermediary_word": introduction.intermediary_word}
    texts["why"] = introduction.why if role in (REQUESTER, INTERMEDIARY) else ""
    own_decline = (role == INTERMEDIARY and introduction.status == Status.DECLINED_BY_INTERMEDIARY) or (
        role == TARGET and introduction.status == Status.DECLINED_BY_TARGET
    )
    texts["decline_reason"] = introduction.decline_reason if role == REQUESTER or own_decline else ""
    return texts


# -------------------------------------------------------------------------------------------- services


def _clean_text(field: str, value: str) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise ValidationError({field: [_("Null characters are not allowed.")]}, code="null_characters")
    return value


def _lock_member(member: User) -> None:
    """Serialise one member's introduction requests (the duplicate and pending-count checks), on databases
    that lock rows; SQLite's write transactions are serialised already."""
    from entregent.accounts.models import User as UserModel

    UserModel.objects.select_for_update().filter(pk=member.pk).first()


def _require_no_block(*members: User) -> None:
    for i, first in enumerate(members):
        for second in members[i + 1 :]:
            if policy.is_blocked(first.pk, second.pk):
                raise PermissionDenied(_("This introduction is not possible."))


def _reserve_pending(requester: User, open_count: int) -> None:
    """Check the plan's limit of open requests against the truth (the open rows), bring the plan's usage
    counter to that truth (a request whose intermediary or target deleted their account disappears without
    an answer) and count the new request."""
    from entregent.plans import engine

    limit = plans.limit(requester, QUOTA)
    if limit is not None and open_count >= limit:
        raise plans.QuotaExceeded(
            _(
                "You already have %(count)s introduction requests waiting for an answer, as many as your "
                "plan allows. Withdraw one, or wait for an answer, before asking again."
            )
            % {"count": open_count},
            quota=QUOTA,
            unlock=engine.Standing(requester).unlock(QUOTA),
        )
    used = engine.Standing(requester).used(QUOTA)
    if used > open_count:
        engine.refund(requester, QUOTA, used - open_count)
    elif used < open_count:
        plans.consume(requester, QUOTA, open_count - used)
    plans.consume(requester, QUOTA)


def _release_pending(requester_id: int, n: int = 1) -> None:
    from entregent.accounts.models import User as UserModel
    from entregent.plans import engine

    engine.refund(UserModel(pk=requester_id), QUOTA, n)


@transaction.atomic
def introduction_ask(
    *, requester: User, intermediary: User, target: User, why: str, message: str
) -> Introduction:
    """A asks B to introduce them to C: `why` is for B, `message` is what B is asked to carry to C.
    B must be connected to both, A not yet to C; nobody among the three blocked by another."""
    why = _clean_text("why", why)
    message = _clean_text("message", message)
    if requester.pk == target.pk:
        raise ValidationError(_("You cannot ask for an introduction to yourself."), code="self")
    if intermediary.pk in (requester.pk, target.pk):
        raise ValidationError(
            _("Choose a third member, connected to both of you, to introduce you."), code="intermediary"
        )
    if not target.is_active or policy.is_blocked(requester.pk, target.pk):
        raise PermissionDenied(_("You cannot ask for an introduction to this member."))
    if (
        not intermediary.is_active
        or policy.is_blocked(requester.pk, intermediary.pk)
        or policy.is_blocked(intermediary.pk, target.pk)
    ):
        raise PermissionDenied(_("This member cannot introduce you."))
    if trust.is_restricted(requester.pk):
        raise PermissionDenied(_("Your account is restricted: you cannot ask for introductions for now."))
    _lock_member(requester)
    if policy.are_connected(requester.pk, target.pk):
        raise ValidationError(_("You are already connected to this member."), code="connected")
    if not (
        policy.are_connected(requester.pk, intermediary.pk)
        and policy.are_connected(intermediary.pk, target.pk)
    ):
        raise ValidationError(
            _("Only a member connected to both of you can introduce you."), code="not_mutual"
        )
    if open_introduction_to(requester, target) is not None:
        raise ValidationError(
            _("You already asked for an introduction to this member; wait for an answer or withdraw it."),
            code="pending",
        )
    introduction = Introduction(
        requester=requester, intermediary=intermediary, target=target, why=why, message=message
    )
    introduction.full_clean()
    # The plan's limit last: any refusal above counts nothing.
    open_count = Introduction.objects.filter(requester=requester, status__in=OPEN_STATUSES).count()
    _reserve_pending(requester, open_count)
    introduction.save()
    _mail_on_commit(introduction, "asked", to=intermediary)
    return introduction


def _lock(introduction: Introduction) -> Introduction:
    """The introduction as stored now, locked, so that two answers at once cannot both apply."""
    locked = (
        Introduction.objects.select_for_update(of=("self",))
        .select_related("requester__profile", "intermediary__profile", "target__profile")
        .get(pk=introduction.pk)
    )
    return locked


def _require_status(introduction: Introduction, *statuses: str) -> None:
    if introduction.status not in statuses:
        raise ValidationError(_("This introduction is no longer waiting for an answer."), code="closed")


def _copy(source: Introduction, into: Introduction) -> None:
    for name in ("status", "intermediary_word", "decline_reason", "forwarded_at", "responded_at"):
        setattr(into, name, getattr(source, name))


@transaction.atomic
def introduction_forward(*, introduction: Introduction, member: User, word: str = "") -> Introduction:
    """B forwards the request to C, with a word of their own (optional)."""
    if introduction.intermediary_id != member.pk:
        raise PermissionDenied(_("Only the member asked to relay this introduction can forward it."))
    word = _clean_text("intermediary_word", word)
    locked = _lock(introduction)
    _require_status(locked, Status.ASKED)
    requester, target = locked.requester, locked.target
    if not (requester.is_active and target.is_active):
        raise PermissionDenied(_("This introduction is not possible."))
    _require_no_block(requester, member, target)
    if policy.are_connected(requester.pk, target.pk):
        raise ValidationError(
            _("%(requester)s and %(target)s are already connected.")
            % {"requester": requester.profile.display_name, "target": target.profile.display_name},
            code="connected",
        )
    if not (policy.are_connected(member.pk, requester.pk) and policy.are_connected(member.pk, target.pk)):
        raise ValidationError(
            _("You can only forward an introduction between two of your connections."), code="not_mutual"
        )
    locked.intermediary_word = word
    locked.full_clean()
    locked.status = Status.FORWARDED
    locked.forwarded_at = timezone.now()
    locked.save(update_fields=["intermediary_word", "status", "forwarded_at"])
    _copy(locked, introduction)
    _mail_on_commit(locked, "forwarded", to=target)
    return locked


@transaction.atomic
def introduction_decline(*, introduction: Introduction, member: User, reason: str = "") -> Introduction:
    """B declines to relay the request, or C declines the introduction; either may say why (optional),
    and A is told."""
    role = role_of(introduction, member)
    if role not in (INTERMEDIARY, TARGET):
        raise PermissionDenied(_("Only the intermediary or the member introduced can decline it."))
    reason = _clean_text("decline_reason", reason)
    locked = _lock(introduction)
    if role == INTERMEDIARY:
        _require_status(locked, Status.ASKED)
        locked.status = Status.DECLINED_BY_INTERMEDIARY
    else:
        _require_status(locked, Status.FORWARDED)
        locked.status = Status.DECLINED_BY_TARGET
    locked.decline_reason = reason
    locked.full_clean()
    locked.responded_at = timezone.now()
    locked.save(update_fields=["status", "decline_reason", "responded_at"])
    _copy(locked, introduction)
    _release_pending(locked.requester_id)
    kind = "declined_intermediary" if role == INTERMEDIARY else "declined_target"
    _mail_on_commit(locked, kind, to=locked.requester)
    return locked


@transaction.atomic
def introduction_accept(*, introduction: Introduction, member: User) -> Introduction:
    """C accepts: A and C are connected (and follow each other)."""
    from entregent.network import services

    if introduction.target_id != member.pk:
        raise PermissionDenied(_("Only the member introduced can accept this introduction."))
    locked = _lock(introduction)
    _require_status(locked, Status.FORWARDED)
    if not locked.requester.is_active:
        raise PermissionDenied(_("This introduction is not possible."))
    _require_no_block(locked.requester, locked.intermediary, member)
    services.connection_make(a=locked.requester, b=member)
    locked.status = Status.ACCEPTED
    locked.responded_at = timezone.now()
    locked.save(update_fields=["status", "responded_at"])
    _copy(locked, introduction)
    _release_pending(locked.requester_id)
    _on_accepted(locked)
    return locked


def _on_accepted(introduction: Introduction) -> None:
    """What follows an accepted introduction, inside its transaction: a conversation between A, B and C
    opens with what was said, and A is told by mail."""
    from entregent.messaging import services as messaging

    messaging.conversation_for_introduction(introduction=introduction)
    _mail_on_commit(introduction, "accepted", to=introduction.requester)


@transaction.atomic
def introduction_withdraw(*, introduction: Introduction, member: User) -> Introduction:
    """A takes back a request still waiting for B or C. Nobody is told."""
    if introduction.requester_id != member.pk:
        raise PermissionDenied(_("Only the member who asked for this introduction can withdraw it."))
    locked = _lock(introduction)
    _require_status(locked, *OPEN_STATUSES)
    locked.status = Status.WITHDRAWN
    locked.responded_at = timezone.now()
    locked.save(update_fields=["status", "responded_at"])
    _copy(locked, introduction)
    _release_pending(locked.requester_id)
    return locked


@transaction.atomic
def introductions_expire(*, now: dt.datetime | None = None) -> int:
    """Expire the requests left 30 days without an answer: waiting for B since they were asked, or for C
    since B forwarded them. Nobody is told; the requesters' pending count goes down. Returns how many
    expired; the daily job calls this."""
    now = now or timezone.now()
    cutoff = now - EXPIRY
    stale = Introduction.objects.filter(
        Q(status=Status.ASKED, created_at__lt=cutoff) | Q(status=Status.FORWARDED, forwarded_at__lt=cutoff)
    )
    ids = list(stale.select_for_update().values_list("pk", "requester_id"))
    if not ids:
        return 0
    Introduction.objects.filter(pk__in=[pk for pk, _requester in ids]).update(
        status=Status.EXPIRED, responded_at=now
    )
    for requester_id, n in Counter(requester for _pk, requester in ids).items():
        _release_pending(requester_id, n)
    return len(ids)


@transaction.atomic
def introductions_end_for_block(*, blocker: User, blocked: User) -> int:
    """Close the open introductions in which both members of a new block take part, as the blocker's own
    answer: withdrawn if they asked for it, declined if they were to relay it or had received it (expired
    if it had not reached them yet, so that nobody reads a refusal into it). Nobody is told.
    Returns how many closed; `network.services.block` calls this."""
    pair = {blocker.pk, blocked.pk}
    both = (
        Q(requester__in=pair, intermediary__in=pair)
        | Q(requester__in=pair, target__in=pair)
        | Q(intermediary__in=pair, target__in=pair)
    )
    rows = list(
        Introduction.objects.select_for_update()
        .filter(both, status__in=OPEN_STATUSES)
        .filter(Q(requester=blocker) | Q(intermediary=blocker) | Q(target=blocker))
    )
    now = timezone.now()
    released: Counter[int] = Counter()
    for row in rows:
        role = role_of(row, blocker)
        if role == TARGET and row.status == Status.ASKED:
            # C never saw it: nobody may read a refusal from C into it.
            row.status = Status.EXPIRED
        else:
            row.status = {
                REQUESTER: Status.WITHDRAWN,
                INTERMEDIARY: Status.DECLINED_BY_INTERMEDIARY,
                TARGET: Status.DECLINED_BY_TARGET,
            }[role]
        row.responded_at = now
        row.save(update_fields=["status", "responded_at"])
        released[row.requester_id] += 1
    for requester_id, n in released.items():
        _release_pending(requester_id, n)
    return len(rows)


# ---------------------------------------------------------------------------------------------- mails

_SUBJECTS = {
    # B is asked to relay.
    "asked": gettext_lazy("%(requester)s asks you for an introduction to %(target)s"),
    # C receives the introduction.
    "forwarded": gettext_lazy("%(intermediary)s introduces you to %(requester)s"),
    # A is told the answer.
    "declined_intermediary": gettext_lazy("%(intermediary)s did not forward your introduction to %(target)s"),
    "declined_target": gettext_lazy("%(target)s declined your introduction"),
    "accepted": gettext_lazy("%(target)s accepted your introduction: you are now connected"),
}


def _absolute(path: str) -> str:
    return getattr(settings, "SITE_URL", "").rstrip("/") + path


def _mail(introduction: Introduction, kind: str, to: User) -> dict:
    names = {
        "requester": introduction.requester.profile.display_name,
        "intermediary": introduction.intermediary.profile.display_name,
        "target": introduction.target.profile.display_name,
    }
    context = {
        **names,
        "kind": kind,
        "recipient_name": to.profile.first_name,
        "introduction": introduction,
        "introduction_url": _absolute(reverse("network:introduction_detail", args=[introduction.pk])),
        "requester_url": _absolute(introduction.requester.profile.get_absolute_url()),
        "target_url": _absolute(introduction.target.profile.get_absolute_url()),
        "site_name": settings.SITE_NAME,
    }
    return {
        "subject": settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + str(_SUBJECTS[kind] % names),
        "body": render_to_string("network/emails/introduction_message.txt", context),
        "to": [to.email],
    }


def _mail_on_commit(introduction: Introduction, kind: str, *, to: User) -> None:
    from entregent.accounts.tasks import send_email

    payload = _mail(introduction, kind, to)  # rendered now, in the language of the member acting
    transaction.on_commit(lambda: send_email.enqueue(**payload))


def profiles_of(introductions: list[Introduction]) -> list[Profile]:
    """The distinct profiles of the members in `introductions` (already loaded with them), in order."""
    seen: dict[int, Profile] = {}
    for introduction in introductions:
        for member in (introduction.requester, introduction.intermediary, introduction.target):
            seen.setdefault(member.pk, member.profile)
    return list(seen.values())
