"""Reads of profiles, always through the access policy: what a given viewer may see of a member."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from entregent.core import policy
from entregent.core.policy import Relation
from entregent.core.text import fold
from entregent.profiles.models import Profile, Skill, SlugChange
from entregent.profiles.services import SLUG_CHANGES_PER_WINDOW, SLUG_WINDOW

SECTION_RELATED = {
    "experience": "experiences",
    "education": "educations",
    "skills": "skills",
    "languages": "languages",
    "certifications": "certifications",
    "projects": "projects",
    "volunteering": "volunteering",
}


def profile_of(user) -> Profile:
    """The signed-in member's own profile, fresh from the database (forms may change it in memory
    while validating; the copy the top bar shows must not be)."""
    profile = Profile.objects.select_related("user").filter(user_id=getattr(user, "pk", None)).first()
    if profile is None:
        raise Http404
    return profile


@dataclass
class SlugStatus:
    """What the public URL card tells its owner: how many changes are left, when the next one frees
    up, and which former addresses still redirect (and until when)."""

    changes_left: int
    next_change_at: Any  # datetime | None: when a used change leaves the 180-day window
    redirects: list[tuple[str, Any]]  # (old slug, redirects until)


def slug_status(profile: Profile) -> SlugStatus:
    since = timezone.now() - SLUG_WINDOW
    recent = list(profile.slug_changes.filter(changed_at__gte=since).order_by("changed_at"))
    left = max(0, SLUG_CHANGES_PER_WINDOW - len(recent))
    next_at = recent[0].changed_at + SLUG_WINDOW if recent and not left else None
    redirects = [
        (c.old_slug, c.changed_at + SLUG_WINDOW) for c in reversed(recent) if c.old_slug != profile.slug
    ]
    return SlugStatus(changes_left=left, next_change_at=next_at, redirects=redirects)


def section_counts(profile: Profile) -> dict[str, int]:
    """How many items each section holds, in one query (for the edit page's section list)."""
    from entregent.profiles.sections import SECTIONS

    annotations = {}
    for name, spec in SECTIONS.items():
        counted = (
            spec.model.objects.filter(profile_id=OuterRef("pk"))
            .order_by()
            .values("profile_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        annotations[f"n_{name}"] = Coalesce(Subquery(counted, output_field=IntegerField()), 0)
    row = Profile.objects.filter(pk=profile.pk).values(**annotations).get()
    return {name: row[f"n_{name}"] for name in SECTIONS}


def skill_usage(profile: Profile) -> dict[str, int]:
    """Skills listed and pinned, against their limits, for the skill form's hint."""
    counts = Skill.objects.filter(profile=profile).aggregate(
        total=Count("pk"), pinned=Count("pk", filter=Q(pinned=True))
    )
    return {
        "total": counts["total"],
        "max": Skill.MAX_PER_PROFILE,
        "pinned": counts["pinned"],
        "max_pinned": Skill.MAX_PINNED,
    }


def profile_for_slug(slug: str) -> tuple[Profile | None, str | None]:
    """The profile at `slug`, or (None, new_slug) when `slug` is a former address still redirecting."""
    profile = Profile.objects.select_related("user").filter(slug=slug.lower()).first()
    if profile:
        return profile, None
    change = (
        SlugChange.objects.select_related("profile")
        .filter(old_slug=slug.lower(), changed_at__gte=timezone.now() - SLUG_WINDOW)
        .order_by("-changed_at")
        .first()
    )
    if change:
        return None, change.profile.slug
    return None, None


def profile_or_redirect_for(viewer, slug: str) -> tuple[Profile | None, str | None]:
    """Like `profile_for_slug`, but a former address only redirects a viewer who may see the
    profile it now leads to: a hidden profile does not exist for them, under any address."""
    profile, new_slug = profile_for_slug(slug)
    if new_slug:
        target = Profile.objects.select_related("user").get(slug=new_slug)
        if not policy.can_view_profile(policy.relation_of(viewer, target), target):
            return None, None
    return profile, new_slug


@dataclass
class ProfileView:
    """Everything a viewer may see of a profile, already filtered by the policy."""

    profile: Profile
    relation: Relation
    is_owner: bool
    preview: str | None
    sections: dict[str, list[Any]] = field(default_factory=dict)
    contacts: list[Any] = field(default_factory=list)
    show_photo: bool = True
    show_headline: bool = True
    show_about: bool = True

    @property
    def is_public_view(self) -> bool:
        return self.relation == Relation.PUBLIC


def profile_view_for(viewer, profile: Profile, *, preview: str | None = None) -> ProfileView:
    """What `viewer` may see of `profile`. The owner may preview it as 'public', 'member' or
    'connection'. Raises Http404 when the viewer may not see the profile at all."""
    relation = policy.relation_of(viewer, profile)
    is_owner = relation == Relation.OWNER
    if is_owner and preview in policy.PREVIEW_CHOICES:
        relation = policy.PREVIEW_CHOICES[preview]
    else:
        preview = None
    policy.require_can_view_profile(relation, profile)
    view = ProfileView(profile=profile, relation=relation, is_owner=is_owner, preview=preview)
    view.show_photo = policy.can_see_section(relation, profile, "photo")
    view.show_headline = policy.can_see_section(relation, profile, "headline")
    view.show_about = policy.can_see_section(relation, profile, "about")
    visible = {s: r for s, r in SECTION_RELATED.items() if policy.can_see_section(relation, profile, s)}
    # One query per visible section, whatever the number of items, cached on the profile itself so
    # that whatever else reads it on this page (the completeness coach) does not query again.
    prefetch_related_objects([profile], *visible.values(), "contacts")
    for section, related in SECTION_RELATED.items():
        view.sections[section] = list(getattr(profile, related).all()) if section in visible else []
    view.contacts = [c for c in profile.contacts.all() if policy.can_see(relation, c.visibility)]
    return view


def member_search(viewer, query: str) -> QuerySet[Profile]:
    """Members whose name or headline contains every word of `query`, accents and case ignored,
    filtered by the policy: logged-out visitors find only public profiles, and match a headline only
    where its owner shows it publicly."""
    words = fold(query).split()[:6]
    qs = Profile.objects.select_related("user").filter(user__is_active=True)
    if not words:
        return qs.none()
    anonymous = not viewer or not viewer.is_authenticated
    if anonymous:
        qs = qs.filter(public_profile=True)
    else:
        qs = policy.exclude_blocked(qs, viewer.pk, "user_id")
    condition = Q()
    for word in words:
        if anonymous:
            condition &= Q(search_name__contains=word) | (
                Q(search_text__contains=word) & ~Q(public_sections__headline=False)
            )
        else:
            condition &= Q(search_text__contains=word)
    return qs.filter(condition).order_by("last_name", "first_name", "pk")


# --- Who viewed my profile ---------------------------------------------------------------------
# What a member may see of the views of their own profile, as their plan allows: always the
# signed-in member's own (no member id is ever taken from the request). Views by a deactivated or
# deleted account vanish (deleted ones cascade; deactivated ones are filtered out here).
# Members blocked either way vanish from the list (core.policy.exclude_blocked).

VIEWERS_PER_PAGE = 20
CHART_MAX_WEEKS = 53  # the chart's window when the plan keeps the history forever
TOP_COMPANIES = 5


@dataclass
class ViewerEntry:
    """One viewer on the list, as they chose to appear when they viewed (their snapshot mode):
    `profile` is set only for a viewer who showed their name; otherwise `label` says what may be
    said ("Someone at Acme", "Anonymous member")."""

    mode: str
    last_day: Any  # date of their latest view in the window
    visits: int  # days on which they viewed, in the window
    profile: Profile | None = None
    label: str = ""


@dataclass
class WeekBar:
    start: Any  # date
    end: Any  # date
    count: int
    x: int = 0
    y: int = 0
    height: int = 0


@dataclass
class ViewersReport:
    history_days: int | None  # None: the plan keeps the whole history
    total_views: int  # viewer-days in the window
    weeks: list[WeekBar]
    max_week: int
    entries: list[ViewerEntry]
    page: Any  # a Paginator page when the whole list is shown, else None
    visible_limit: int | None  # None: every viewer in the window
    total_viewers: int  # entries on the paginated list; distinct members when the plan shows a few
    list_locked: bool  # browsing privately without the full list: LinkedIn's rule
    companies: list[tuple[str, int]]
    browsing_mode: str
    chart_width: int = 0
    chart_height: int = 100

    shown_viewers: int = 0  # distinct members among the entries shown

    @property
    def hidden_viewers(self) -> int:
        """Members who viewed in the window but are beyond what the plan shows."""
        if self.visible_limit is None or self.list_locked:
            return 0
        return max(0, self.total_viewers - self.shown_viewers)


def _visits_of(member, history_days: int | None):
    from entregent.profiles.models import ProfileVisit

    visits = ProfileVisit.objects.filter(viewed_id=member.pk, viewer__is_active=True)
    visits = policy.exclude_blocked(visits, member.pk, "viewer_id")
    if history_days is not None:
        visits = visits.filter(day__gt=timezone.localdate() - dt.timedelta(days=history_days))
    return visits


def profile_visit_window(member) -> int | None:
    """How many days back the member sees their profile views (None: no limit), from their plan."""
    from entregent import plans

    return plans.limit(member, "profile_views.history_days")


RECENT_VIEWS_DAYS = 90  # the home card's and own profile's "12 profile views in the last 90 days"


def profile_visit_count(member, *, days: int = RECENT_VIEWS_DAYS) -> int:
    """Views of the member's profile in the last `days` days: one COUNT, no plan lookup, so the link
    on the home card and on the member's own profile costs a single query whatever the plan."""
    return _visits_of(member, days).count()


def _semi_private_label(profile: Profile | None) -> str:
    from django.utils.translation import gettext as _

    if profile is not None:
        positions = getattr(profile, "current_positions", [])
        if positions:
            return _("Someone at %(company)s") % {"company": positions[0].company_name}
        if profile.industry:
            return _("Someone in %(industry)s") % {"industry": profile.get_industry_display()}
    return _("Anonymous member")


def _week_bars(visits, weeks: int) -> list[WeekBar]:
    """Views per week, oldest first; the last bar is the seven days ending today."""
    today = timezone.localdate()
    since = today - dt.timedelta(days=7 * weeks - 1)
    counts = [0] * weeks
    per_day = visits.filter(day__gte=since).order_by().values("day").annotate(n=Count("pk"))
    for row in per_day:
        back = (today - row["day"]).days // 7
        if 0 <= back < weeks:
            counts[weeks - 1 - back] += row["n"]
    bars = []
    for i, count in enumerate(counts):
        end = today - dt.timedelta(days=7 * (weeks - 1 - i))
        bars.append(WeekBar(start=end - dt.timedelta(days=6), end=end, count=count))
    return bars


def viewers_report(member, *, page_number: str | int | None = None) -> ViewersReport:
    """Everything the viewers page shows the signed-in `member` about views of their own profile,
    limited by their plan: the list (the last few viewers, or everyone in the history window,
    paginated), views per week, and where identified viewers work. A member whose plan lacks the
    full list and who browses privately keeps the figures but loses the list, as on LinkedIn."""
    from django.core.paginator import Paginator
    from django.db.models import Max, Prefetch

    from entregent import plans
    from entregent.profiles.models import Experience, ViewerMode

    history_days = profile_visit_window(member)
    visible_limit = plans.limit(member, "profile_views.visible_viewers")
    browsing_mode = member.profile.viewer_mode  # the copy the top bar reads too: no extra query
    list_locked = browsing_mode != ViewerMode.NAME and not plans.has(member, "profile_views.full_list")

    visits = _visits_of(member, history_days)
    weeks = CHART_MAX_WEEKS if history_days is None else max(1, min(CHART_MAX_WEEKS, -(-history_days // 7)))
    bars = _week_bars(visits, weeks)
    total_views = visits.count()

    # One entry per viewer and mode: someone who viewed once openly and once privately appears as
    # two entries, so the private view is never tied to their name.
    grouped = (
        visits.order_by()
        .values("viewer_id", "viewer_mode")
        .annotate(last_at=Max("created_at"), last_day=Max("day"), visits=Count("pk"))
        .order_by("-last_at", "viewer_id", "viewer_mode")
    )
    page = None
    rows: list[dict] = []
    total_viewers = 0
    if not list_locked:
        if visible_limit is None:
            page = Paginator(grouped, VIEWERS_PER_PAGE).get_page(page_number)
            rows = list(page.object_list)
            total_viewers = page.paginator.count
        else:
            rows = list(grouped[:visible_limit])
            shown = {r["viewer_id"] for r in rows}
            # Members, not entries: "3 more members viewed your profile" counts people.
            total_viewers = (
                visits.order_by().values("viewer_id").distinct().count()
                if len(rows) == visible_limit
                else len(shown)
            )
            total_viewers = max(total_viewers, len(shown))

    wanted = {r["viewer_id"] for r in rows if r["viewer_mode"] != ViewerMode.PRIVATE}
    current = Prefetch(
        "experiences",
        queryset=Experience.objects.filter(is_current=True).order_by("position", "id"),
        to_attr="current_positions",
    )
    profiles = (
        {p.user_id: p for p in Profile.objects.filter(user_id__in=wanted).prefetch_related(current)}
        if wanted
        else {}
    )
    entries = []
    for row in rows:
        entry = ViewerEntry(mode=row["viewer_mode"], last_day=row["last_day"], visits=row["visits"])
        profile = profiles.get(row["viewer_id"])
        if row["viewer_mode"] == ViewerMode.NAME and profile is not None:
            entry.profile = profile
        elif row["viewer_mode"] == ViewerMode.SEMI_PRIVATE:
            entry.label = _semi_private_label(profile)
        else:
            entry.label = _semi_private_label(None)
        entries.append(entry)

    companies: list[tuple[str, int]] = []
    if list_locked:
        pass
    elif visible_limit is None:
        identified = visits.filter(viewer_mode=ViewerMode.NAME).values("viewer_id")
        companies = [
            (row["company_name"], row["n"])
            for row in Experience.objects.filter(is_current=True, profile__user_id__in=identified)
            .values("company_name")
            .annotate(n=Count("profile_id", distinct=True))
            .order_by("-n", "company_name")[:TOP_COMPANIES]
        ]
    else:  # never say more about where viewers work than the list itself shows
        tally: dict[str, set[int]] = {}
        for entry in entries:
            if entry.profile is not None:
                for position in entry.profile.current_positions:
                    tally.setdefault(position.company_name, set()).add(entry.profile.pk)
        companies = sorted(((name, len(ids)) for name, ids in tally.items()), key=lambda c: (-c[1], c[0]))
        companies = companies[:TOP_COMPANIES]

    report = ViewersReport(
        history_days=history_days,
        total_views=total_views,
        weeks=bars,
        max_week=max((b.count for b in bars), default=0),
        entries=entries,
        page=page,
        visible_limit=visible_limit,
        total_viewers=total_viewers,
        list_locked=list_locked,
        companies=companies,
        browsing_mode=browsing_mode,
        shown_viewers=len({r["viewer_id"] for r in rows}),
    )
    _lay_out_chart(report)
    return report


def _lay_out_chart(report: ViewersReport) -> None:
    """Bar geometry in SVG units, computed here: the page may not carry inline styles (CSP)."""
    bar, gap, height = 10, 4, report.chart_height
    scale = max(report.max_week, 1)
    for i, week in enumerate(report.weeks):
        week.height = round(week.count * height / scale) if week.count else 0
        week.x = i * (bar + gap)
        week.y = height - week.height
    report.chart_width = len(report.weeks) * (bar + gap) - gap
