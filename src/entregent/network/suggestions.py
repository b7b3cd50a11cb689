"""People you may know: who is suggested to a member, why, and how the member's reactions shape it.

Candidates come from four signals: friends of friends ranked by mutual connections (from the in-memory
graph index, no SQL), the same current company, the same school with overlapping years, and the same city
and industry. Never suggested: the member, their connections, anyone with an open invitation either way,
anyone blocked either way, anyone they dismissed in the last 90 days, deactivated members and members
restricted by moderation.

The SQL side is one UNION ALL statement whatever the member's profile (what to exclude, whether they have
any connection, and a bounded slice of each profile signal, each slice an indexed lookup with a LIMIT),
then one query checking the candidates (active, not restricted) with how often each was already shown.
Showing a page adds the profiles and the mutual connection named in the reason (two queries) and records
the impressions (one upsert). Nothing grows with the size of the network.

Suggestions shown on many days and never acted on sink: past `SINK_AFTER` days shown, each further day
multiplies the score by `SINK_RATE`. Acting on one (inviting, dismissing, blocking) takes it out anyway.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import CharField, Exists, F, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Lower
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from entregent.network import graph
from entregent.network.models import (
    Block,
    Connection,
    Invitation,
    SuggestionDismissal,
    SuggestionImpression,
)
from entregent.profiles.taxonomy import industry_label

if TYPE_CHECKING:
    from entregent.accounts.models import User
    from entregent.network.cards import MemberCard
    from entregent.profiles.models import Profile

# A dismissed member stays out of the suggestions for this long.
DISMISS_FOR = dt.timedelta(days=90)
# How many suggestions a member can page through, and how many the home page shows.
MAX_SUGGESTIONS = 120
HOME_SUGGESTIONS = 4
# The reason names one mutual connection: the first by name among this many (some may be deactivated).
NAMED_MUTUAL_POOL = 6
# The weight of each signal: mutual connections dominate (per mutual connection), then a shared current
# company, a shared school at the same time, and the same city and industry.
MUTUAL_WEIGHT = 10.0
COMPANY_WEIGHT = 8.0
SCHOOL_WEIGHT = 6.0
PLACE_WEIGHT = 3.0
# Sinking: an impression counts at most once per IMPRESSION_GAP; past SINK_AFTER counted impressions,
# each further one multiplies the score by SINK_RATE. Impressions older than IMPRESSION_MEMORY are
# forgotten (the count starts again).
IMPRESSION_GAP = dt.timedelta(hours=20)
IMPRESSION_MEMORY = dt.timedelta(days=90)
SINK_AFTER = 5
SINK_RATE = 0.7
# The open invitation statuses (an ignored invitation still looks pending to its sender).
OPEN_INVITATIONS = (Invitation.Status.PENDING, Invitation.Status.IGNORED)

# Kinds of rows in the one UNION ALL query.
_EXCLUDED, _CONNECTED, _COMPANY, _SCHOOL, _PLACE = "x", "c", "co", "sc", "pl"


@dataclass
class Suggestion:
    """One suggested member, with the signals behind it. `profile` and `mutual_name` are filled for the
    suggestions actually shown (see `suggestions_hydrate`)."""

    member_id: int
    mutual_count: int = 0
    company: str = ""
    school: str = ""
    school_years: tuple[int, int] | None = None
    city: str = ""
    industry: str = ""  # the industry code
    shown: int = 0  # impressions counted so far (stored)
    last_shown_at: dt.datetime | None = None
    score: float = 0.0
    profile: Profile | None = None
    mutual_name: str = ""

    @property
    def reasons(self) -> list[tuple[str, str]]:
        """(kind, text) for each signal, in order of weight; kinds: mutual, company, school, place."""
        reasons = []
        if self.mutual_count:
            reasons.append(("mutual", _mutual_text(self.mutual_count, self.mutual_name)))
        if self.company:
            # Translators: one reason for a suggestion, joined to others with "; " (lower case: the
            # sentence's first letter is capitalised by the code).
            reasons.append(("company", _("you both work at %(company)s") % {"company": self.company}))
        if self.school:
            reasons.append(("school", _school_text(self.school, self.school_years)))
        if self.city and self.industry:
            reasons.append(
                (
                    "place",
                    # Translators: a reason for a suggestion: the same city and industry as you.
                    _("also in %(city)s, %(industry)s")
                    % {"city": self.city, "industry": industry_label(self.industry)},
                )
            )
        return reasons

    @property
    def reason(self) -> str:
        """All the reasons in one sentence: "12 mutual connections, including Léa Roux; you both work at
        Acme"."""
        return _sentence([text for _kind, text in self.reasons])

    @property
    def reason_besides_mutuals(self) -> str:
        """The reasons other than mutual connections, for a member card that already names them."""
        return _sentence([text for kind, text in self.reasons if kind != "mutual"])


def _sentence(texts: list[str]) -> str:
    from entregent.core.text import join_reasons

    return capfirst(join_reasons(texts))


def _mutual_text(count: int, name: str) -> str:
    if count == 1 and name:
        return _("%(name)s is a mutual connection") % {"name": name}
    if name:
        return ngettext(
            "%(count)s mutual connection, including %(name)s",
            "%(count)s mutual connections, including %(name)s",
            count,
        ) % {"count": count, "name": name}
    return ngettext("%(count)s mutual connection", "%(count)s mutual connections", count) % {"count": count}


def _school_text(school: str, years: tuple[int, int] | None) -> str:
    if years is None:
        return _("you both studied at %(school)s") % {"school": school}
    start, end = years
    if start == end:
        return _("you both studied at %(school)s (%(year)s)") % {"school": school, "year": start}
    return _("you both studied at %(school)s (%(start)s–%(end)s)") % {
        "school": school,
        "start": start,
        "end": end,
    }


# ------------------------------------------------------------------------------------------ selectors


def suggestions_for(member: User, *, limit: int = MAX_SUGGESTIONS) -> list[Suggestion]:
    """Up to `limit` suggestions for `member`, best first (not yet hydrated with profiles). At most two
    SQL queries, plus the graph index's own poll of its change log."""
    limit = max(1, min(limit, MAX_SUGGESTIONS))
    fof_pool = limit + 30  # a margin for the deactivated and restricted, filtered afterwards
    signal_pool = max(8, limit // 3)
    rows = _signal_rows(member.pk, signal_pool)

    excluded: set[int] = set()
    found: dict[int, Suggestion] = {}
    has_connections = False
    for kind, member_id, text, other_text, a, b, c, d in rows:
        if kind == _EXCLUDED:
            excluded.add(member_id)
            continue
        if kind == _CONNECTED:
            has_connections = True
            continue
        suggestion = found.setdefault(member_id, Suggestion(member_id=member_id))
        if kind == _COMPANY:
            suggestion.company = suggestion.company or text
        elif kind == _SCHOOL and not suggestion.school:
            suggestion.school = text
            suggestion.school_years = _overlap(a, b, c, d)
        elif kind == _PLACE:
            suggestion.city, suggestion.industry = text, other_text

    if has_connections:
        # Without a single connection there is no friend of a friend and no mutual connection: the graph
        # index is not even needed.
        index = graph.get_index()
        for member_id, mutual_count in index.friends_of_friends(member.pk, limit=fof_pool, exclude=excluded):
            found.setdefault(member_id, Suggestion(member_id=member_id)).mutual_count = mutual_count
        for suggestion in found.values():
            if not suggestion.mutual_count and suggestion.member_id not in excluded:
                suggestion.mutual_count = index.mutual_count(member.pk, suggestion.member_id)
        # The profile signals are checked against connections in SQL already; this is the same rule
        # seen from the index (which may be a few milliseconds newer).
        found = {i: s for i, s in found.items() if not index.are_connected(member.pk, i)}
    found.pop(member.pk, None)
    for member_id in excluded:
        found.pop(member_id, None)
    if not found:
        return []

    now = timezone.now()
    kept = []
    for member_id, shown, last_shown_at in _eligible_with_impressions(member.pk, list(found)):
        suggestion = found[member_id]
        suggestion.shown, suggestion.last_shown_at = shown or 0, last_shown_at
        suggestion.score = _score(suggestion, now)
        kept.append(suggestion)
    kept.sort(key=lambda s: (-s.score, -s.mutual_count, s.member_id))
    return kept[:limit]


def _overlap(start: int | None, end: int | None, my_start: int | None, my_end: int | None):
    if None in (start, end, my_start, my_end):
        return None
    return (max(start, my_start), min(end, my_end))  # type: ignore[type-var]


def _effective_shown(suggestion: Suggestion, now: dt.datetime) -> int:
    if suggestion.last_shown_at is None or now - suggestion.last_shown_at > IMPRESSION_MEMORY:
        return 0
    return suggestion.shown


def _score(suggestion: Suggestion, now: dt.datetime) -> float:
    score = MUTUAL_WEIGHT * suggestion.mutual_count
    score += COMPANY_WEIGHT if suggestion.company else 0
    score += SCHOOL_WEIGHT if suggestion.school else 0
    score += PLACE_WEIGHT if suggestion.city and suggestion.industry else 0
    ignored = _effective_shown(suggestion, now) - SINK_AFTER
    if ignored > 0:
        score *= SINK_RATE**ignored
    return score


def _null_int():
    # A typed NULL: every branch of a UNION must agree on column types (PostgreSQL checks).
    return Cast(Value(None), IntegerField())


def _text(value: str):
    return Value(value, output_field=CharField())


# The columns of the UNION: kind, member id, two texts, four years.
_COLUMNS = ("row_kind", "row_member", "row_t", "row_u", "row_a", "row_b", "row_c", "row_d")


def _rows(queryset: QuerySet, kind: str, member: str, **values) -> QuerySet:
    """`queryset` as rows of the UNION: `member` (a path to a user id), then the texts `t`, `u` and the
    years `a` to `d` given (expressions or field names), the others empty."""
    columns = {"row_kind": _text(kind), "row_member": F(member)}
    for name in ("t", "u"):
        value = values.get(name)
        columns[f"row_{name}"] = F(value) if isinstance(value, str) else (value or _text(""))
    for name in ("a", "b", "c", "d"):
        value = values.get(name)
        columns[f"row_{name}"] = Cast(value, IntegerField()) if value is not None else _null_int()
    # No ORDER BY: a branch stops at its LIMIT without sorting all the matches (sections have a default
    # ordering).
    return queryset.order_by().annotate(**columns).values_list(*_COLUMNS)


def _exclusion_branches(member_id: int) -> list[QuerySet]:
    """Who may never be suggested to `member_id`, as rows of kind "x" (the friends-of-friends search
    skips them; the profile-signal branches exclude them in SQL too, so that their LIMIT counts only
    eligible members)."""
    cutoff = timezone.now() - DISMISS_FOR
    return [
        _rows(
            SuggestionDismissal.objects.filter(member_id=member_id, dismissed_at__gte=cutoff),
            _EXCLUDED,
            "suggested_id",
        ),
        _rows(
            Invitation.objects.filter(sender_id=member_id, status__in=OPEN_INVITATIONS),
            _EXCLUDED,
            "recipient_id",
        ),
        _rows(
            Invitation.objects.filter(recipient_id=member_id, status__in=OPEN_INVITATIONS),
            _EXCLUDED,
            "sender_id",
        ),
        _rows(Block.objects.filter(blocker_id=member_id), _EXCLUDED, "blocked_id"),
        _rows(Block.objects.filter(blocked_id=member_id), _EXCLUDED, "blocker_id"),
    ]


def _eligible(queryset: QuerySet, member_id: int, user_field: str) -> QuerySet:
    """`queryset` without the rows whose member (`user_field`, a path to a user id) may not be suggested
    to `member_id`: each rule a NOT IN over an indexed lookup of `member_id`'s own rows."""
    from entregent.trust.selectors import restricted_member_ids

    cutoff = timezone.now() - DISMISS_FOR
    never = [
        Connection.objects.filter(member_low_id=member_id).values("member_high_id"),
        Connection.objects.filter(member_high_id=member_id).values("member_low_id"),
        SuggestionDismissal.objects.filter(member_id=member_id, dismissed_at__gte=cutoff).values(
            "suggested_id"
        ),
        Invitation.objects.filter(sender_id=member_id, status__in=OPEN_INVITATIONS).values("recipient_id"),
        Invitation.objects.filter(recipient_id=member_id, status__in=OPEN_INVITATIONS).values("sender_id"),
        Block.objects.filter(blocker_id=member_id).values("blocked_id"),
        Block.objects.filter(blocked_id=member_id).values("blocker_id"),
        restricted_member_ids(),
    ]
    queryset = queryset.exclude(**{user_field: member_id})
    for ids in never:
        queryset = queryset.exclude(**{f"{user_field}__in": ids})
    return queryset


def _signal_branches(member_id: int, pool: int) -> list[QuerySet]:
    """A bounded slice of the members sharing a profile signal with `member_id`: same current company,
    same school at the same time, same city and industry. Each is a lookup on an index of the matching
    expression (lower-cased company, school, city) and stops at `pool` eligible rows."""
    from entregent.profiles.models import Education, Experience, Profile

    # The member's own companies, schools and place are subqueries: nothing to fetch first.
    # The reasons name the company, school and city as the member spelled them.
    my_companies = Experience.objects.filter(profile__user_id=member_id, is_current=True).annotate(
        key=Lower("company_name")
    )
    company = _rows(
        _eligible(Experience.objects.filter(is_current=True), member_id, "profile__user_id")
        .alias(key=Lower("company_name"))
        .filter(key__in=my_companies.values("key"), profile__user__is_active=True),
        _COMPANY,
        "profile__user_id",
        t=Subquery(my_companies.filter(key=OuterRef("key")).order_by("pk").values("company_name")[:1]),
    )[:pool]

    # Years of a study: either year alone stands for both; a study without any year overlaps nothing.
    years = {"start": Coalesce("start_year", "end_year"), "end": Coalesce("end_year", "start_year")}
    my_schools = Education.objects.filter(profile__user_id=member_id).annotate(key=Lower("school"), **years)
    same_time = my_schools.filter(key=OuterRef("key"), start__lte=OuterRef("end"), end__gte=OuterRef("start"))
    first_same_time = same_time.order_by("start", "pk")
    school = _rows(
        _eligible(Education.objects.all(), member_id, "profile__user_id")
        .alias(key=Lower("school"), **years)
        .filter(key__in=my_schools.filter(start__isnull=False).values("key"), profile__user__is_active=True)
        .filter(Exists(same_time)),
        _SCHOOL,
        "profile__user_id",
        t=Subquery(first_same_time.values("school")[:1]),
        a=F("start"),
        b=F("end"),
        c=Subquery(first_same_time.values("start")[:1]),
        d=Subquery(first_same_time.values("end")[:1]),
    )[:pool]

    me = Profile.objects.filter(user_id=member_id).exclude(city="").exclude(industry="")
    place = _rows(
        _eligible(Profile.objects.all(), member_id, "user_id")
        .alias(key=Lower("city"))
        .filter(
            key=Subquery(me.annotate(key=Lower("city")).values("key")[:1]),
            industry=Subquery(me.values("industry")[:1]),
            user__is_active=True,
        ),
        _PLACE,
        "user_id",
        t=Subquery(me.values("city")[:1]),
        u="industry",
    )[:pool]
    return [company, school, place]


def _signal_rows(member_id: int, pool: int) -> list[tuple]:
    """One UNION ALL statement: the exclusions, whether the member has a connection, and the profile
    signals. Each branch keeps its own LIMIT inside a derived table (SQLite refuses a LIMIT on a bare
    member of a compound SELECT)."""
    has_connection = [
        _rows(Connection.objects.filter(member_low_id=member_id), _CONNECTED, "member_high_id")[:1],
        _rows(Connection.objects.filter(member_high_id=member_id), _CONNECTED, "member_low_id")[:1],
    ]
    parts, params = [], []
    for number, queryset in enumerate(
        _exclusion_branches(member_id) + has_connection + _signal_branches(member_id, pool)
    ):
        try:
            sql, branch_params = queryset.query.sql_with_params()
        except EmptyResultSet:
            continue
        parts.append(f"SELECT * FROM ({sql}) branch_{number}")  # noqa: S608 - SQL compiled by the ORM
        params.extend(branch_params)
    with db_connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return [
            (kind, int(member), t or "", u or "", a, b, c, d)
            for kind, member, t, u, a, b, c, d in cursor.fetchall()
        ]


def _eligible_with_impressions(member_id: int, candidate_ids: list[int]) -> list[tuple]:
    """(member id, times shown, last shown) for the candidates that may be suggested: active, with a
    profile, not restricted. One query."""
    from entregent.profiles.models import Profile
    from entregent.trust.selectors import restricted_member_ids

    impression = SuggestionImpression.objects.filter(member_id=member_id, suggested_id=OuterRef("user_id"))
    return list(
        Profile.objects.filter(user_id__in=candidate_ids, user__is_active=True)
        .exclude(user_id__in=restricted_member_ids())
        .annotate(
            shown=Subquery(impression.values("shown")[:1]),
            last_shown_at=Subquery(impression.values("last_shown_at")[:1]),
        )
        .values_list("user_id", "shown", "last_shown_at")
    )


def suggestions_hydrate(
    member: User, suggestions: list[Suggestion], *, name_mutuals: bool = True
) -> list[Suggestion]:
    """Fill in the profiles of `suggestions` (the ones about to be shown) and, with `name_mutuals`, the
    mutual connection each reason names; drops any member deactivated meanwhile. Two queries (one
    without `name_mutuals`)."""
    from entregent.profiles.models import Profile

    if not suggestions:
        return []
    profiles = {
        p.user_id: p
        for p in Profile.objects.filter(
            user_id__in=[s.member_id for s in suggestions], user__is_active=True
        ).select_related("user")
    }
    suggestions = [s for s in suggestions if s.member_id in profiles]
    index = graph.get_index() if any(s.mutual_count for s in suggestions) else None
    wanted: dict[int, list[int]] = {}
    for suggestion in suggestions:
        suggestion.profile = profiles[suggestion.member_id]
        if index is not None and suggestion.mutual_count:
            mutual = index.mutual_ids(member.pk, suggestion.member_id)
            suggestion.mutual_count = len(mutual)  # exact, whatever capping the ranking used
            wanted[suggestion.member_id] = mutual[:NAMED_MUTUAL_POOL]
    some = {m for mutual in wanted.values() for m in mutual}
    if some and name_mutuals:
        names = {
            p.user_id: p
            for p in Profile.objects.filter(user_id__in=some, user__is_active=True).only(
                "user_id", "first_name", "last_name"
            )
        }
        for suggestion in suggestions:
            found = [names[m] for m in wanted.get(suggestion.member_id, []) if m in names]
            if found:
                suggestion.mutual_name = min(found, key=lambda p: (p.last_name, p.first_name)).display_name
    return suggestions


def suggestion_cards(viewer: User, suggestions: list[Suggestion]) -> list[tuple[MemberCard, Suggestion]]:
    """(member card, suggestion) for each of `suggestions` about to be shown: the card gives the degree,
    mutual connections and buttons, the suggestion its reason (naming the first mutual connection the
    card names). A fixed number of queries."""
    from entregent.network.cards import member_cards

    shown = suggestions_hydrate(viewer, suggestions, name_mutuals=False)
    if not shown:
        return []
    pairs = list(zip(member_cards(viewer, [s.profile for s in shown]), shown, strict=True))
    for card, suggestion in pairs:
        if card.mutual_profiles:
            suggestion.mutual_name = card.mutual_profiles[0].display_name
    return pairs


def home_suggestions(member: User) -> list[tuple[MemberCard, Suggestion]]:
    """The few suggestions the home page shows, as (card, suggestion), with their impressions counted."""
    items = suggestion_cards(member, suggestions_for(member, limit=HOME_SUGGESTIONS))
    impressions_record(member=member, suggestions=[suggestion for _card, suggestion in items])
    return items


# ------------------------------------------------------------------------------------------- services


def impressions_record(*, member: User, suggestions: list[Suggestion]) -> int:
    """Count one more impression of each of `suggestions` shown to `member`, at most once per
    IMPRESSION_GAP each; one upsert for all. Returns how many were counted."""
    now = timezone.now()
    rows = []
    for suggestion in suggestions:
        if suggestion.last_shown_at is not None and now - suggestion.last_shown_at < IMPRESSION_GAP:
            continue
        rows.append(
            SuggestionImpression(
                member_id=member.pk,
                suggested_id=suggestion.member_id,
                shown=_effective_shown(suggestion, now) + 1,
                last_shown_at=now,
            )
        )
    if rows:
        SuggestionImpression.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["member", "suggested"],
            update_fields=["shown", "last_shown_at"],
        )
    return len(rows)


@transaction.atomic
def suggestion_dismiss(*, member: User, suggested: User) -> SuggestionDismissal:
    """`member` no longer wants `suggested` among their suggestions: hidden for DISMISS_FOR (90 days);
    when they come back, their impressions start from zero."""
    if member.pk == suggested.pk:
        raise ValidationError(_("You are never suggested to yourself."), code="self")
    dismissal, _created = SuggestionDismissal.objects.update_or_create(
        member=member, suggested=suggested, defaults={"dismissed_at": timezone.now()}
    )
    SuggestionImpression.objects.filter(member=member, suggested=suggested).delete()
    return dismissal


def dismissed_until(dismissal: SuggestionDismissal) -> dt.datetime:
    return dismissal.dismissed_at + DISMISS_FOR
