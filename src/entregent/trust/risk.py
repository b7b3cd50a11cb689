"""The risk score: how much a member looks like a fake or abusive account, from transparent signals, each
worth points and explained in plain words to whoever sees the score ("no photo; account created 2 days
ago; 40 invitations sent in the last 24 hours").

    signal                 points  when
    no photo                   15  no profile photo
    sparse profile             15  fewer than 15 of the 40 "quantity" points of the completeness coach
                                   (the sections filled in: headline, about, location, experience…)
    new account                20  joined less than 7 days ago (10 points under 30 days)
    invitations in a day       15  20 or more invitations in the last 24 hours (25 points from 50)
    ignored or reported        10  at least 10 invitations in the last 30 days and 30 % of them ignored,
                                   declined by the recipient's rules or whose recipient reported the
                                   sender (25 points from 50 %)
    far outside                10  at least 10 invitations in the last 30 days and 70 % of them to
                                   people in another industry *and* another country
    headline contradicts       15  the headline names an employer ("… at Acme", "@Acme", "chez Acme")
                                   that none of the member's current positions is at
    name pattern               15  the same name, once accents, digits and punctuation are removed, as
                                   another account that was reported (report not dismissed) or suspended
    name with digits            5  digits in the first or last name
    reported                   10  per member with an open report on them, at most 20

The score is the sum, capped at 100. Levels: LOW below 30, MEDIUM from 30, HIGH from 60 (settings
TRUST_RISK_MEDIUM and TRUST_RISK_HIGH). A whole list of members is scored in six queries whatever its
length (`evidence_of`), so invitation lists and the moderation queue stay bounded.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from entregent.core.text import fold

if TYPE_CHECKING:
    from collections.abc import Iterable

LOW, MEDIUM, HIGH = "low", "medium", "high"

# --- thresholds and points (see the table above) ---------------------------------------------------
MEDIUM_FROM = 30
HIGH_FROM = 60

NO_PHOTO_POINTS = 15
SPARSE_BELOW = 15  # quantity points of the completeness coach, out of 40
SPARSE_POINTS = 15
NEW_ACCOUNT_DAYS, NEW_ACCOUNT_POINTS = 7, 20
YOUNG_ACCOUNT_DAYS, YOUNG_ACCOUNT_POINTS = 30, 10
DAY_INVITATIONS, DAY_INVITATIONS_POINTS = 20, 15
DAY_INVITATIONS_HIGH, DAY_INVITATIONS_HIGH_POINTS = 50, 25
WINDOW_DAYS = 30
IGNORED_MIN_SENT = 10
IGNORED_SHARE, IGNORED_POINTS = 0.3, 10
IGNORED_SHARE_HIGH, IGNORED_HIGH_POINTS = 0.5, 25
FAR_MIN_SENT, FAR_SHARE, FAR_POINTS = 10, 0.7, 10
HEADLINE_POINTS = 15
NAME_FLAGGED_POINTS = 15
NAME_DIGITS_POINTS = 5
REPORT_POINTS, REPORT_MAX_POINTS = 10, 20

# The "quantity" criteria of the completeness coach (profiles/completeness.py), recomputed here from one
# query per list of members instead of one query per section and member.
QUANTITY_CRITERIA = (
    "photo",
    "headline",
    "about",
    "location",
    "industry",
    "experience",
    "education",
    "skills",
    "languages",
    "extras",
    "contacts",
    "open_to",
)

# "Senior engineer at Acme", "Engineer @Acme", "Ingénieure chez Acme", "Entwickler bei Acme"
_CLAIM = re.compile(r"(?:\b(?:at|chez|bei)\s+|@\s*)([^|·•,;/()\[\]\-–—]+)", re.IGNORECASE)
_CLAIM_END = re.compile(r"\s+(?:and|et|und|&)\s+.*$", re.IGNORECASE)
# Phrases after "at" that name no employer.
_NOT_EMPLOYERS = frozenset(
    {
        "the moment",
        "moment",
        "home",
        "large",
        "heart",
        "scale",
        "work",
        "present",
        "the",
        "all",
        "any",
        "ease",
    }
)


def medium_from() -> int:
    return int(getattr(settings, "TRUST_RISK_MEDIUM", MEDIUM_FROM))


def high_from() -> int:
    return int(getattr(settings, "TRUST_RISK_HIGH", HIGH_FROM))


def level_for(score: int) -> str:
    if score >= high_from():
        return HIGH
    if score >= medium_from():
        return MEDIUM
    return LOW


@dataclass(frozen=True)
class Signal:
    code: str
    points: int
    reason: str  # translated, plain words


@dataclass(frozen=True)
class Risk:
    level: str  # LOW, MEDIUM or HIGH
    score: int  # 0–100
    reasons: list[str] = field(default_factory=list)  # translated, plain words
    signals: tuple[Signal, ...] = ()  # the same reasons with their code and points

    @property
    def summary(self) -> str:
        return "; ".join(self.reasons)


NO_RISK = Risk(level=LOW, score=0)


# --------------------------------------------------------------------------------------- name pattern


def name_stem(first_name: str, last_name: str) -> str:
    """'Jöhn  Smith-42' -> 'john smith': the name without accents, digits or punctuation."""
    letters = re.sub(r"[\W\d_]+", " ", fold(f"{first_name} {last_name}"))
    stem = " ".join(letters.split())
    return stem if len(stem.replace(" ", "")) >= 2 else ""


def has_digits(first_name: str, last_name: str) -> bool:
    return any(c.isdigit() for c in first_name + last_name)


# ------------------------------------------------------------------------------------------ headline


def _key(text: str) -> str:
    return "".join(c for c in fold(text) if c.isalnum())


def headline_employer(headline: str) -> str:
    """The employer a headline names ("Sales lead at Acme Corp | speaker" -> "Acme Corp"), or ""."""
    match = _CLAIM.search(headline or "")
    if not match:
        return ""
    claim = _CLAIM_END.sub("", match.group(1)).strip(" .!:")
    if len(_key(claim)) < 2 or " ".join(fold(claim).split()) in _NOT_EMPLOYERS:
        return ""
    return claim


def headline_contradicts(headline: str, current_companies: list[str]) -> str:
    """The employer the headline names when none of the current positions is there (else "").
    Members with no current position are not judged: a headline is all they have."""
    claim = headline_employer(headline)
    if not claim or not current_companies:
        return ""
    claim_key = _key(claim)
    for company in current_companies:
        company_key = _key(company)
        if company_key and (company_key in claim_key or claim_key in company_key):
            return ""
    return claim


# ------------------------------------------------------------------------------------------ evidence


@dataclass
class InvitationCounts:
    """Invitations a member sent: in the last 24 hours, and since the start of the window."""

    day: int = 0
    sent: int = 0
    ignored: int = 0  # ignored by the recipient, or declined by their rules
    reported: int = 0  # whose recipient reported the sender
    bad: int = 0  # ignored, declined or reported (each invitation counted once)
    far: int = 0  # to someone in another industry and another country

    @property
    def bad_share(self) -> float:
        return self.bad / self.sent if self.sent else 0.0


@dataclass
class Evidence:
    """What the risk score reads of one member."""

    member_id: int
    first_name: str = ""
    last_name: str = ""
    headline: str = ""
    date_joined: dt.datetime | None = None
    has_photo: bool = False
    quantity: float = 0
    sections_filled: int = 0
    sections_total: int = len(QUANTITY_CRITERIA)
    current_companies: list[str] = field(default_factory=list)
    invitations: InvitationCounts = field(default_factory=InvitationCounts)
    open_reporters: int = 0
    name_flagged: bool = False
    has_profile: bool = True

    def account_age_days(self, now: dt.datetime) -> int:
        return (now - self.date_joined).days if self.date_joined else 0


def _quantity(profile: Any) -> tuple[float, int]:
    """(points, criteria met) of the completeness coach's quantity axis, from the annotated profile."""
    from entregent.profiles.completeness import WEIGHTS

    weights = WEIGHTS["quantity"]
    city, country = bool(profile.city.strip()), bool(profile.country.strip())
    met = {
        "photo": 1.0 if profile.photo else 0.0,
        "headline": 1.0 if profile.headline.strip() else 0.0,
        "about": 1.0 if profile.about.strip() else 0.0,
        "location": 1.0 if city and country else (1 / 3 if city or country else 0.0),
        "industry": 1.0 if profile.industry else 0.0,
        "experience": float(profile.has_experience),
        "education": float(profile.has_education),
        "skills": float(profile.has_skill),
        "languages": float(profile.has_language),
        "extras": float(profile.has_certification or profile.has_project or profile.has_volunteering),
        "contacts": float(profile.has_contact),
        "open_to": float(
            profile.open_to_work != "off"
            or profile.open_to_hiring
            or profile.open_to_mentoring
            or profile.open_to_business
        ),
    }
    points = sum(weights[name] * met[name] for name in QUANTITY_CRITERIA)
    return points, sum(1 for name in QUANTITY_CRITERIA if met[name] >= 1)


def invitation_counts(
    member_ids: Iterable[int], *, since: dt.datetime, now: dt.datetime | None = None
) -> dict[int, InvitationCounts]:
    """Per sender: invitations sent since `since` (and in the last 24 hours), how many of those were
    ignored, declined or reported, and how many went far outside the sender's industry and country. One
    query for any number of members."""
    from entregent.network.models import Invitation, TriageAction
    from entregent.trust.models import Report

    now = now or timezone.now()
    ids = list(member_ids)
    if not ids:
        return {}
    day_start = now - dt.timedelta(days=1)
    reported = Exists(
        Report.objects.filter(
            reporter_id=OuterRef("recipient_id"), reported_id=OuterRef("sender_id")
        ).exclude(status=Report.Status.DISMISSED)
    )
    ignored = Q(status=Invitation.Status.IGNORED) | Q(triage_action=TriageAction.DECLINE)
    in_window = Q(created_at__gte=since)
    far = (
        Q(sender__profile__industry__gt="", recipient__profile__industry__gt="")
        & Q(sender__profile__country__gt="", recipient__profile__country__gt="")
        & ~Q(recipient__profile__industry=F("sender__profile__industry"))
        & ~Q(recipient__profile__country=F("sender__profile__country"))
    )
    rows = (
        Invitation.objects.filter(sender_id__in=ids, created_at__gte=min(since, day_start))
        .values("sender_id")
        .annotate(
            day=Count("pk", filter=Q(created_at__gte=day_start)),
            sent=Count("pk", filter=in_window),
            ignored=Count("pk", filter=in_window & ignored),
            reported=Count("pk", filter=in_window & Q(reported)),
            bad=Count("pk", filter=in_window & (ignored | Q(reported))),
            far=Count("pk", filter=in_window & far),
        )
        .order_by()
    )
    return {
        row["sender_id"]: InvitationCounts(
            day=row["day"],
            sent=row["sent"],
            ignored=row["ignored"],
            reported=row["reported"],
            bad=row["bad"],
            far=row["far"],
        )
        for row in rows
    }


def open_reporter_counts(member_ids: Iterable[int], *, since: dt.datetime | None = None) -> dict[int, int]:
    """Per member: how many distinct members have an open report on them (made since `since`)."""
    from entregent.trust.models import Report

    reports = Report.objects.filter(reported_id__in=list(member_ids), status=Report.Status.OPEN)
    if since is not None:
        reports = reports.filter(created_at__gte=since)
    rows = reports.values("reported_id").annotate(n=Count("reporter_id", distinct=True)).order_by()
    return {row["reported_id"]: row["n"] for row in rows}


def _flagged_stems(stems: dict[int, str]) -> dict[str, set[int]]:
    """For each name stem, the accounts with that stem that were reported (not dismissed) or suspended."""
    from entregent.trust.models import ModerationAction, Report

    wanted = {stem for stem in stems.values() if stem}
    if not wanted:
        return {}
    reported = (
        Report.objects.filter(name_stem__in=wanted)
        .exclude(status=Report.Status.DISMISSED)
        .values_list("name_stem", "reported_id")
        .order_by()
    )
    suspended = (
        ModerationAction.objects.filter(kind=ModerationAction.Kind.SUSPEND, name_stem__in=wanted)
        .values_list("name_stem", "member_id")
        .order_by()
    )
    found: dict[str, set[int]] = {}
    for stem, member_id in reported.union(suspended):
        found.setdefault(stem, set()).add(member_id)
    return found


def evidence_of(member_ids: Iterable[int], *, now: dt.datetime | None = None) -> dict[int, Evidence]:
    """The evidence for each member, in at most six queries whatever the number of members: profiles
    (with which sections exist), current positions, invitations, open reports, and the name patterns of
    reported or suspended accounts (one query). A member without a profile gets an empty Evidence."""
    from entregent.profiles import models as pm

    now = now or timezone.now()
    ids = list(dict.fromkeys(member_ids))
    if not ids:
        return {}

    def exists(model: type) -> Exists:
        return Exists(model.objects.filter(profile_id=OuterRef("pk")))

    profiles = (
        pm.Profile.objects.filter(user_id__in=ids)
        .select_related("user")
        .annotate(
            has_experience=exists(pm.Experience),
            has_education=exists(pm.Education),
            has_skill=exists(pm.Skill),
            has_language=exists(pm.Language),
            has_certification=exists(pm.Certification),
            has_project=exists(pm.Project),
            has_volunteering=exists(pm.Volunteering),
            has_contact=exists(pm.ContactDetail),
        )
        .order_by()
    )
    found: dict[int, Evidence] = {
        member_id: Evidence(member_id=member_id, has_profile=False) for member_id in ids
    }
    claims: list[int] = []
    for profile in profiles:
        points, filled = _quantity(profile)
        evidence = Evidence(
            member_id=profile.user_id,
            first_name=profile.first_name,
            last_name=profile.last_name,
            headline=profile.headline,
            date_joined=profile.user.date_joined,
            has_photo=bool(profile.photo),
            quantity=points,
            sections_filled=filled,
        )
        found[profile.user_id] = evidence
        if headline_employer(profile.headline):
            claims.append(profile.user_id)

    if claims:
        positions = pm.Experience.objects.filter(profile__user_id__in=claims, is_current=True).values_list(
            "profile__user_id", "company_name"
        )
        for member_id, company in positions:
            found[member_id].current_companies.append(company)

    counts = invitation_counts(ids, since=now - dt.timedelta(days=WINDOW_DAYS), now=now)
    reporters = open_reporter_counts(ids)
    stems = {
        member_id: name_stem(e.first_name, e.last_name) for member_id, e in found.items() if e.has_profile
    }
    flagged = _flagged_stems(stems)
    for member_id, evidence in found.items():
        evidence.invitations = counts.get(member_id, InvitationCounts())
        evidence.open_reporters = reporters.get(member_id, 0)
        others = flagged.get(stems.get(member_id, ""), set()) - {member_id}
        evidence.name_flagged = bool(others)
    return found


# --------------------------------------------------------------------------------------------- score


def _age_reason(days: int) -> str:
    if days < 1:
        return _("account created today")
    return ngettext("account created %(n)d day ago", "account created %(n)d days ago", days) % {"n": days}


def signals_of(evidence: Evidence, *, now: dt.datetime | None = None) -> list[Signal]:
    """Each signal that holds for the member, with its points and its reason in plain words."""
    now = now or timezone.now()
    if not evidence.has_profile:
        return []
    found: list[Signal] = []
    if not evidence.has_photo:
        found.append(Signal("no_photo", NO_PHOTO_POINTS, _("no photo")))
    if evidence.quantity < SPARSE_BELOW:
        found.append(
            Signal(
                "sparse_profile",
                SPARSE_POINTS,
                _("sparse profile (%(filled)d of %(total)d sections filled in)")
                % {"filled": evidence.sections_filled, "total": evidence.sections_total},
            )
        )
    if evidence.date_joined is not None:
        days = evidence.account_age_days(now)
        if days < NEW_ACCOUNT_DAYS:
            found.append(Signal("new_account", NEW_ACCOUNT_POINTS, _age_reason(days)))
        elif days < YOUNG_ACCOUNT_DAYS:
            found.append(Signal("young_account", YOUNG_ACCOUNT_POINTS, _age_reason(days)))
    counts = evidence.invitations
    if counts.day >= DAY_INVITATIONS:
        points = DAY_INVITATIONS_HIGH_POINTS if counts.day >= DAY_INVITATIONS_HIGH else DAY_INVITATIONS_POINTS
        found.append(
            Signal(
                "invitations_day",
                points,
                ngettext(
                    "%(n)d invitation sent in the last 24 hours",
                    "%(n)d invitations sent in the last 24 hours",
                    counts.day,
                )
                % {"n": counts.day},
            )
        )
    if counts.sent >= IGNORED_MIN_SENT and counts.bad_share >= IGNORED_SHARE:
        points = IGNORED_HIGH_POINTS if counts.bad_share >= IGNORED_SHARE_HIGH else IGNORED_POINTS
        found.append(
            Signal(
                "ignored",
                points,
                ngettext(
                    "%(bad)d of %(sent)d invitation sent in the last %(days)d days ignored or reported",
                    "%(bad)d of %(sent)d invitations sent in the last %(days)d days ignored or reported",
                    counts.sent,
                )
                % {"bad": counts.bad, "sent": counts.sent, "days": WINDOW_DAYS},
            )
        )
    if counts.sent >= FAR_MIN_SENT and counts.far / counts.sent >= FAR_SHARE:
        found.append(
            Signal(
                "far_outside",
                FAR_POINTS,
                ngettext(
                    "%(far)d of %(sent)d recent invitation to people in another industry and country",
                    "%(far)d of %(sent)d recent invitations to people in another industry and country",
                    counts.sent,
                )
                % {"far": counts.far, "sent": counts.sent},
            )
        )
    claim = headline_contradicts(evidence.headline, evidence.current_companies)
    if claim:
        found.append(
            Signal(
                "headline",
                HEADLINE_POINTS,
                _("headline names “%(company)s” but no current position is there") % {"company": claim},
            )
        )
    if evidence.name_flagged:
        found.append(
            Signal("name_pattern", NAME_FLAGGED_POINTS, _("same name as an account reported or suspended"))
        )
    if has_digits(evidence.first_name, evidence.last_name):
        found.append(Signal("name_digits", NAME_DIGITS_POINTS, _("digits in the name")))
    if evidence.open_reporters:
        found.append(
            Signal(
                "reported",
                min(REPORT_POINTS * evidence.open_reporters, REPORT_MAX_POINTS),
                ngettext(
                    "reported by %(n)d member (under review)",
                    "reported by %(n)d members (under review)",
                    evidence.open_reporters,
                )
                % {"n": evidence.open_reporters},
            )
        )
    return found


def risk_from(evidence: Evidence, *, now: dt.datetime | None = None) -> Risk:
    signals = signals_of(evidence, now=now)
    score = min(100, sum(signal.points for signal in signals))
    return Risk(
        level=level_for(score),
        score=score,
        reasons=[signal.reason for signal in signals],
        signals=tuple(signals),
    )
