"""Writes to a member's profile. Every function is one transaction, checks its input with
`full_clean()` and raises ValidationError with a translated message; nothing is half-saved."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from entregent.accounts.models import User
from entregent.core.images import Variant, process_image
from entregent.core.text import fold
from entregent.profiles.models import SLUG_PATTERN, ContactDetail, Profile, Skill, SlugChange

SLUG_CHANGES_PER_WINDOW = 5
SLUG_WINDOW = dt.timedelta(days=180)
RESERVED_SLUGS = frozenset(
    """
    admin api about accounts account login logout signup settings help support static media in
    me my home feed jobs company companies school schools search messaging messages notifications
    network mynetwork premium pricing plans privacy terms legal security outbox demo entregent
    www mail root staff moderator moderation official null undefined edit new public
    """.split()
)

PHOTO_VARIANTS = [Variant("photo", 400, 400, crop=True), Variant("photo_small", 96, 96, crop=True)]
BANNER_VARIANTS = [Variant("banner", 1584, 396, crop=True)]

IDENTITY_FIELDS = (
    "first_name",
    "last_name",
    "headline",
    "about",
    "city",
    "country",
    "industry",
    "open_to_work",
    "open_to_work_titles",
    "open_to_hiring",
    "open_to_mentoring",
    "open_to_business",
    "target_industry",
    "target_goal",
    "public_profile",
    "primary_action",
    "hide_connections",
)


def search_text_for(profile: Profile) -> str:
    return fold(" ".join([profile.first_name, profile.last_name, profile.headline]))


def search_name_for(profile: Profile) -> str:
    return fold(f"{profile.first_name} {profile.last_name}")


def refresh_search_fields(profile: Profile) -> None:
    """Folded copies of the name and headline, for accent-insensitive search on every database.
    The name is kept apart so a logged-out search never matches a headline its owner hid."""
    profile.search_text = search_text_for(profile)
    profile.search_name = search_name_for(profile)


def _slug_taken(slug: str, *, exclude_profile_id: int | None = None) -> bool:
    holders = Profile.objects.filter(slug__iexact=slug)
    recent = SlugChange.objects.filter(old_slug__iexact=slug, changed_at__gte=timezone.now() - SLUG_WINDOW)
    if exclude_profile_id is not None:
        holders = holders.exclude(pk=exclude_profile_id)
        recent = recent.exclude(profile_id=exclude_profile_id)
    return holders.exists() or recent.exists()


def _slug_base(first_name: str, last_name: str) -> str:
    base = slugify(f"{first_name} {last_name}")[:90].strip("-")
    if len(base) < 3 or base in RESERVED_SLUGS:
        base = (base + "-member").strip("-")
    return base


def unique_slug(first_name: str, last_name: str) -> str:
    base = _slug_base(first_name, last_name)
    candidate, n = base, 1
    while _slug_taken(candidate):
        n += 1
        candidate = f"{base}-{n}"
    return candidate


@transaction.atomic
def profile_create(*, user: User, first_name: str, last_name: str, **fields: Any) -> Profile:
    profile = Profile(user=user, first_name=first_name.strip(), last_name=last_name.strip(), **fields)
    profile.slug = unique_slug(profile.first_name, profile.last_name)
    refresh_search_fields(profile)
    profile.full_clean()
    profile.save()
    return profile


@transaction.atomic
def profile_update(*, profile: Profile, **fields: Any) -> Profile:
    unknown = set(fields) - set(IDENTITY_FIELDS) - {"public_sections"}
    if unknown:
        raise ValueError(f"Not profile fields: {sorted(unknown)}")
    profile = Profile.objects.select_for_update().get(pk=profile.pk)
    for name, value in fields.items():
        if name != "public_sections":  # merged below, never replaced wholesale
            setattr(profile, name, value.strip() if isinstance(value, str) else value)
    if "public_sections" in fields:
        from entregent.profiles.models import PUBLIC_SECTIONS

        sections = fields["public_sections"]
        if not isinstance(sections, dict) or set(sections) - set(PUBLIC_SECTIONS):
            raise ValidationError({"public_sections": _("Unknown section.")})
        profile.public_sections = {**profile.public_sections, **{k: bool(v) for k, v in sections.items()}}
    if profile.country:
        from entregent.profiles.countries import COUNTRY_CODES

        if profile.country not in COUNTRY_CODES:
            raise ValidationError({"country": _("Choose a country from the list.")})
    refresh_search_fields(profile)
    profile.full_clean()
    profile.save()
    return profile


def slug_changes_left(profile: Profile) -> int:
    used = profile.slug_changes.filter(changed_at__gte=timezone.now() - SLUG_WINDOW).count()
    return max(0, SLUG_CHANGES_PER_WINDOW - used)


def validate_slug(slug: str, *, profile: Profile) -> str:
    slug = slug.strip().lower()
    if not re.fullmatch(SLUG_PATTERN, slug) or "--" in slug:
        raise ValidationError(
            _(
                "Use 3 to 100 characters: lower-case letters, digits and hyphens, "
                "starting and ending with a letter or digit."
            ),
            code="invalid",
        )
    if slug in RESERVED_SLUGS:
        raise ValidationError(_("This address is reserved. Choose another one."), code="reserved")
    if _slug_taken(slug, exclude_profile_id=profile.pk):
        raise ValidationError(_("This address is already taken. Choose another one."), code="taken")
    return slug


@transaction.atomic
def profile_change_slug(*, profile: Profile, slug: str) -> Profile:
    profile = Profile.objects.select_for_update().get(pk=profile.pk)
    slug = validate_slug(slug, profile=profile)
    if slug == profile.slug:
        return profile
    if slug_changes_left(profile) <= 0:
        raise ValidationError(
            _("You can change your public URL at most %(n)d times in 180 days.")
            % {"n": SLUG_CHANGES_PER_WINDOW},
            code="too_many_changes",
        )
    SlugChange.objects.create(profile=profile, old_slug=profile.slug)
    # A member taking back one of their own former addresses no longer needs it to redirect.
    profile.slug_changes.filter(old_slug=slug).delete()
    profile.slug = slug
    try:
        profile.save(update_fields=["slug", "updated_at"])
    except IntegrityError:
        raise ValidationError(_("This address is already taken. Choose another one."), code="taken") from None
    return profile


@transaction.atomic
def profile_set_photo(*, profile: Profile, upload) -> Profile:
    files = process_image(upload, PHOTO_VARIANTS)  # raises before anything is stored
    profile = Profile.objects.select_for_update().get(pk=profile.pk)
    old = [f.name for f in (profile.photo, profile.photo_small) if f]
    _store_images(profile, {"photo": files["photo"], "photo_small": files["photo_small"]})
    _delete_files_on_commit(profile.photo.storage, old)
    return profile


@transaction.atomic
def profile_set_banner(*, profile: Profile, upload) -> Profile:
    files = process_image(upload, BANNER_VARIANTS)
    profile = Profile.objects.select_for_update().get(pk=profile.pk)
    old = [profile.banner.name] if profile.banner else []
    _store_images(profile, {"banner": files["banner"]})
    _delete_files_on_commit(profile.banner.storage, old)
    return profile


def _store_images(profile: Profile, files: dict[str, Any]) -> None:
    """Write the new files, then the row; if the row cannot be saved, the new files go too, so a
    failed upload never leaves an orphan in MEDIA_ROOT."""
    written: list[str] = []
    storage = Profile._meta.get_field("photo").storage
    try:
        for field, content in files.items():
            suffix = "s" if field == "photo_small" else ""
            getattr(profile, field).save(_file_name(profile, suffix), content, save=False)
            written.append(getattr(profile, field).name)
        profile.save(update_fields=[*files, "updated_at"])
    except Exception:
        for name in written:
            storage.delete(name)
        raise


@transaction.atomic
def profile_remove_photo(*, profile: Profile) -> Profile:
    profile = Profile.objects.select_for_update().get(pk=profile.pk)
    old = [f.name for f in (profile.photo, profile.photo_small) if f]
    profile.photo = profile.photo_small = ""
    profile.save(update_fields=["photo", "photo_small", "updated_at"])
    _delete_files_on_commit(Profile._meta.get_field("photo").storage, old)
    return profile


@transaction.atomic
def profile_remove_banner(*, profile: Profile) -> Profile:
    profile = Profile.objects.select_for_update().get(pk=profile.pk)
    old = [profile.banner.name] if profile.banner else []
    profile.banner = ""
    profile.save(update_fields=["banner", "updated_at"])
    _delete_files_on_commit(Profile._meta.get_field("banner").storage, old)
    return profile


def _file_name(profile: Profile, suffix: str = "") -> str:
    """Unguessable per upload, so a photo hidden from the public cannot be fetched by its address."""
    return f"{profile.pk}-{secrets.token_urlsafe(12)}{'-' + suffix if suffix else ''}.jpg"


def _delete_files_on_commit(storage, names: list[str]) -> None:
    def delete() -> None:
        for name in names:
            storage.delete(name)

    if names:
        transaction.on_commit(delete)


# --- Sections --------------------------------------------------------------------------------------


def _check_section_limits(model: type[models.Model], profile: Profile, item: models.Model) -> None:
    if model is Skill:
        skills = Skill.objects.filter(profile=profile).exclude(pk=item.pk)
        if item.pk is None and skills.count() >= Skill.MAX_PER_PROFILE:
            raise ValidationError(
                _("You can list at most %(n)d skills. Remove one before adding another.")
                % {"n": Skill.MAX_PER_PROFILE},
                code="too_many",
            )
        if item.pinned and skills.filter(pinned=True).count() >= Skill.MAX_PINNED:
            raise ValidationError(
                {
                    "pinned": _(
                        "You already have %(n)d top skills. Unpin one of them first, or leave this unticked."
                    )
                    % {"n": Skill.MAX_PINNED}
                }
            )
        if skills.filter(name__iexact=item.name.strip()).exists():
            raise ValidationError({"name": _("This skill is already on your profile.")})
    if model.__name__ == "Language":
        if model.objects.filter(profile=profile, name__iexact=item.name.strip()).exclude(pk=item.pk).exists():
            raise ValidationError({"name": _("This language is already on your profile.")})


@transaction.atomic
def section_item_save(*, profile: Profile, item: models.Model, data: dict[str, Any]) -> models.Model:
    """Create or update one item of a section (experience, education, skill…) from clean data."""
    model = type(item)
    if item.pk is not None and item.profile_id != profile.pk:
        raise PermissionError("Not this member's item.")
    for name, value in data.items():
        setattr(item, name, value.strip() if isinstance(value, str) else value)
    item.profile = profile
    if item.pk is None:
        if getattr(model, "NEW_ON_TOP", False):
            model.objects.filter(profile=profile).update(position=F("position") + 1)
            item.position = 0
        else:
            last = model.objects.filter(profile=profile).aggregate(m=Max("position"))["m"]
            item.position = 0 if last is None else last + 1
    _check_section_limits(model, profile, item)
    item.full_clean()
    item.save()
    Profile.objects.filter(pk=profile.pk).update(updated_at=timezone.now())
    return item


@transaction.atomic
def section_item_delete(*, profile: Profile, item: models.Model) -> None:
    if item.profile_id != profile.pk:
        raise PermissionError("Not this member's item.")
    item.delete()
    Profile.objects.filter(pk=profile.pk).update(updated_at=timezone.now())


@transaction.atomic
def section_item_move(*, profile: Profile, item: models.Model, direction: int) -> None:
    """Swap `item` with its neighbour in the member's order (direction -1 = up, +1 = down)."""
    if item.profile_id != profile.pk:
        raise PermissionError("Not this member's item.")
    model = type(item)
    items = list(model.objects.filter(profile=profile).select_for_update())
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index + direction
    if not 0 <= target < len(items):
        return
    items[index], items[target] = items[target], items[index]
    for position, other in enumerate(items):
        other.position = position
    model.objects.bulk_update(items, ["position"])


@transaction.atomic
def contact_save(*, profile: Profile, contact: ContactDetail, data: dict[str, Any]) -> ContactDetail:
    return section_item_save(profile=profile, item=contact, data=data)  # type: ignore[return-value]


# --- Who viewed my profile ---------------------------------------------------------------------


def profile_visit_record(*, viewer: User, viewed: Profile) -> None:
    """Note that `viewer` saw `viewed` today: one INSERT that does nothing when the row exists, so
    the profile page stays fast and two simultaneous page views cannot record twice.

    Nothing is recorded for logged-out visitors, for the owner (previews included: only the owner
    may preview) or for an account without a profile. The viewer's profile is the one the top bar
    loads on every page anyway, so reading its mode costs no query. No full_clean(): nothing here
    comes from user input, and its unique check would be the extra read this avoids.
    A blocked pair never gets here: the profile page is a 404 between them (core.policy)."""
    from entregent.profiles.models import ProfileVisit

    if not viewer.is_authenticated or viewer.pk == viewed.user_id:
        return
    viewer_profile = getattr(viewer, "profile", None)
    if viewer_profile is None:
        return
    visit = ProfileVisit(
        viewed_id=viewed.user_id,
        viewer_id=viewer.pk,
        day=timezone.localdate(),
        viewer_mode=viewer_profile.viewer_mode,
    )
    ProfileVisit.objects.bulk_create([visit], ignore_conflicts=True)


@transaction.atomic
def profile_set_viewer_mode(*, profile: Profile, viewer_mode: str) -> Profile:
    """How the member appears when they view profiles from now on (past views keep their mode)."""
    profile = Profile.objects.select_for_update().get(pk=profile.pk)
    profile.viewer_mode = viewer_mode
    profile.full_clean()
    profile.save(update_fields=["viewer_mode", "updated_at"])
    return profile
