"""Admin for member profiles, with every section inline. The public URL and the images are
read-only here: they change through the member's own pages, which enforce the slug rules and
re-encode uploads."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from entregent.profiles import models as pm
from entregent.profiles.services import refresh_search_fields


class SectionInline(admin.TabularInline):
    extra = 0
    show_change_link = False


class ExperienceInline(SectionInline):
    model = pm.Experience
    fields = (
        "title",
        "company_name",
        "start_month",
        "start_year",
        "end_month",
        "end_year",
        "is_current",
        "position",
    )


class EducationInline(SectionInline):
    model = pm.Education
    fields = ("school", "degree", "field_of_study", "start_year", "end_year", "position")


class SkillInline(SectionInline):
    model = pm.Skill
    fields = ("name", "pinned", "position")


class LanguageInline(SectionInline):
    model = pm.Language
    fields = ("name", "proficiency", "position")


class CertificationInline(SectionInline):
    model = pm.Certification
    fields = ("name", "authority", "licence_number", "position")


class ProjectInline(SectionInline):
    model = pm.Project
    fields = ("title", "is_current", "position")


class VolunteeringInline(SectionInline):
    model = pm.Volunteering
    fields = ("organization", "role", "cause", "is_current", "position")


class ContactDetailInline(SectionInline):
    model = pm.ContactDetail
    fields = ("kind", "label", "value", "visibility", "position")


class SlugChangeInline(SectionInline):
    model = pm.SlugChange
    fields = ("old_slug", "changed_at")
    readonly_fields = ("old_slug", "changed_at")
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(pm.Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("display_name", "slug", "user", "headline", "industry", "city", "country", "created_at")
    list_filter = ("industry", "open_to_work", "public_profile")
    list_select_related = ("user",)
    search_fields = ("first_name", "last_name", "slug", "user__email", "headline")
    raw_id_fields = ("user",)
    readonly_fields = (
        "slug",
        "photo",
        "photo_small",
        "banner",
        "search_text",
        "search_name",
        "created_at",
        "updated_at",
    )
    show_full_result_count = False
    inlines = [
        ExperienceInline,
        EducationInline,
        SkillInline,
        LanguageInline,
        CertificationInline,
        ProjectInline,
        VolunteeringInline,
        ContactDetailInline,
        SlugChangeInline,
    ]

    @admin.display(description=_("name"), ordering="last_name")
    def display_name(self, profile: pm.Profile) -> str:
        return profile.display_name

    def save_model(self, request, obj: pm.Profile, form, change: bool) -> None:
        refresh_search_fields(obj)
        super().save_model(request, obj, form, change)


@admin.register(pm.SlugChange)
class SlugChangeAdmin(admin.ModelAdmin):
    list_display = ("old_slug", "profile", "changed_at")
    list_select_related = ("profile",)
    search_fields = ("old_slug", "profile__slug", "profile__user__email")
    raw_id_fields = ("profile",)
    date_hierarchy = "changed_at"


@admin.register(pm.ProfileVisit)
class ProfileVisitAdmin(admin.ModelAdmin):
    """Read-only: visits are facts recorded by the site, for moderation and support only."""

    list_display = ("viewed", "viewer", "day", "viewer_mode")
    list_filter = ("viewer_mode",)
    search_fields = ("viewed__email", "viewer__email")
    raw_id_fields = ("viewed", "viewer")
    date_hierarchy = "day"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
