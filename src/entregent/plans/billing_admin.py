"""The operator's billing screens: subscriptions (with the "Confirm payment" action for manual payments),
receipts and trial-ending notices, read-only except through the services (a receipt is never edited)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from entregent.plans import models
from entregent.plans.subscriptions import subscription_confirm_payment


@admin.register(models.Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = (
        "pk",
        "member",
        "plan",
        "period",
        "status",
        "amount",
        "currency",
        "current_period_end",
        "scheduled_plan",
        "provider",
    )
    list_filter = ("status", "provider", "plan", "period", "zone")
    search_fields = ("member__email", "provider_reference")
    raw_id_fields = ("member", "replaces")
    readonly_fields = [f.name for f in models.Subscription._meta.fields]
    actions = ["confirm_payment"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Confirm payment (starts or extends the subscription, issues the receipt)"))
    def confirm_payment(self, request, queryset) -> None:
        done = 0
        for subscription in queryset.order_by("pk"):
            try:
                receipt = subscription_confirm_payment(subscription=subscription)
            except ValidationError as error:
                self.message_user(
                    request,
                    _("Subscription #%(pk)s: %(error)s")
                    % {"pk": subscription.pk, "error": " ".join(error.messages)},
                    messages.ERROR,
                )
            else:
                done += 1
                self.message_user(
                    request,
                    _("Subscription #%(pk)s: payment recorded, receipt %(number)s issued.")
                    % {"pk": subscription.pk, "number": receipt.display_number},
                    messages.SUCCESS,
                )
        if not done:
            self.message_user(request, _("No payment was recorded."), messages.WARNING)
        else:
            self.message_user(
                request,
                ngettext("%(count)d payment recorded.", "%(count)d payments recorded.", done)
                % {"count": done},
                messages.INFO,
            )


@admin.register(models.Receipt)
class ReceiptAdmin(admin.ModelAdmin):
    list_display = (
        "display_number",
        "member",
        "plan_name",
        "period_start",
        "net_amount",
        "tax_amount",
        "total",
        "currency",
        "provider",
    )
    list_filter = ("currency", "zone", "provider")
    search_fields = ("member__email", "number", "provider_reference")
    readonly_fields = [f.name for f in models.Receipt._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # viewable, never edited

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(models.TrialNotice)
class TrialNoticeAdmin(admin.ModelAdmin):
    list_display = ("member", "trial_ends_at", "sent_at")
    search_fields = ("member__email",)
    readonly_fields = ("member", "trial_ends_at", "sent_at")

    def has_add_permission(self, request) -> bool:
        return False
