"""Admin for reports, moderation decisions and restrictions, and the moderation queue's entry in the admin
index (its list opens the queue page). Decisions are made on the queue's case pages, which record who,
when and why; the admin lists them and lets staff correct a restriction's dates."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

from entregent.trust.models import ModerationAction, ModerationQueue, Report, Restriction


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("id", "reported", "reporter", "reason", "status", "created_at", "resolved_at")
    list_filter = ("status", "reason")
    list_select_related = ("reported", "reporter")
    search_fields = ("reported__email", "reporter__email", "comment")
    raw_id_fields = ("reporter", "reported", "resolution")
    readonly_fields = ("name_stem",)
    date_hierarchy = "created_at"
    show_full_result_count = False


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    list_display = ("id", "member", "kind", "moderator", "created_at", "until")
    list_filter = ("kind",)
    list_select_related = ("member", "moderator")
    search_fields = ("member__email", "moderator__email", "reason")
    raw_id_fields = ("member", "moderator")
    readonly_fields = ("name_stem",)
    date_hierarchy = "created_at"
    show_full_result_count = False


@admin.register(Restriction)
class RestrictionAdmin(admin.ModelAdmin):
    list_display = ("id", "member", "automatic", "starts_at", "ends_at", "lifted_at")
    list_filter = ("automatic",)
    list_select_related = ("member",)
    search_fields = ("member__email", "reason")
    raw_id_fields = ("member", "action")
    show_full_result_count = False


@admin.register(ModerationQueue)
class ModerationQueueAdmin(admin.ModelAdmin):
    """Only a link: the queue is its own page, with the evidence and the decisions."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    def changelist_view(self, request: HttpRequest, extra_context=None):
        return HttpResponseRedirect(reverse("trust:queue"))
