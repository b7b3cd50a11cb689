"""Admin for connections and invitations. These tables grow to millions of rows: members are
picked by id (raw_id_fields) and changelists skip the full count."""

from __future__ import annotations

from django.contrib import admin

from entregent.network.models import Block, Connection, Follow, Invitation, Unblock


@admin.register(Connection)
class ConnectionAdmin(admin.ModelAdmin):
    list_display = ("id", "member_low", "member_high", "created_at")
    list_select_related = ("member_low", "member_high")
    search_fields = ("member_low__email", "member_high__email")
    raw_id_fields = ("member_low", "member_high")
    show_full_result_count = False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("id", "sender", "recipient", "status", "created_at", "responded_at")
    list_filter = ("status",)
    list_select_related = ("sender", "recipient")
    search_fields = ("sender__email", "recipient__email")
    raw_id_fields = ("sender", "recipient")
    show_full_result_count = False


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ("id", "blocker", "blocked", "created_at")
    list_select_related = ("blocker", "blocked")
    search_fields = ("blocker__email", "blocked__email")
    raw_id_fields = ("blocker", "blocked")
    show_full_result_count = False


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ("id", "follower", "followed", "created_at")
    list_select_related = ("follower", "followed")
    search_fields = ("follower__email", "followed__email")
    raw_id_fields = ("follower", "followed")
    show_full_result_count = False


@admin.register(Unblock)
class UnblockAdmin(admin.ModelAdmin):
    list_display = ("id", "blocker", "blocked", "unblocked_at")
    list_select_related = ("blocker", "blocked")
    search_fields = ("blocker__email", "blocked__email")
    raw_id_fields = ("blocker", "blocked")
    show_full_result_count = False
