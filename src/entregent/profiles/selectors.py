"""Reads of profiles, always through the access policy: what a given viewer may see of a member."""

from __future__ import annotations

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
    condition = Q()
    for word in words:
        if anonymous:
            condition &= Q(search_name__contains=word) | (
                Q(search_text__contains=word) & ~Q(public_sections__headline=False)
            )
        else:
            condition &= Q(search_text__contains=word)
    return qs.filter(condition).order_by("last_name", "first_name", "pk")
