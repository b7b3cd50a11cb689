"""The operator's plan editor: plans with their features, quotas and prices inline, the trial, completeness
multipliers, pricing zones, which member holds which plan, and (read-only) quota usage. Forms validate like
`entregent plans import`: names come from the registry, numbers are bounded, a plan members hold or the trial
uses cannot be deleted."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from entregent.plans import models
from entregent.plans.registry import REGISTRY


def _feature_choices():
    return [(code, f"{spec.label} ({code})") for code, spec in REGISTRY.features.items()]


def _quota_choices():
    return [(code, f"{spec.label} ({code})") for code, spec in REGISTRY.quotas.items()]


class FeatureGrantForm(forms.ModelForm):
    feature = forms.ChoiceField(label=_("feature"), choices=_feature_choices)

    class Meta:
        model = models.FeatureGrant
        fields = ["feature", "enabled"]


class QuotaLimitForm(forms.ModelForm):
    quota = forms.ChoiceField(label=_("quota"), choices=_quota_choices)

    class Meta:
        model = models.QuotaLimit
        fields = ["quota", "limit", "carry_over_cap", "expires_after_days"]


class CompletenessMultiplierForm(forms.ModelForm):
    quota = forms.ChoiceField(label=_("quota"), choices=_quota_choices)

    class Meta:
        model = models.CompletenessMultiplier
        fields = ["level", "quota", "multiplier"]


class FeatureGrantInline(admin.TabularInline):
    model = models.FeatureGrant
    form = FeatureGrantForm
    extra = 0


class QuotaLimitInline(admin.TabularInline):
    model = models.QuotaLimit
    form = QuotaLimitForm
    extra = 0


class PriceInline(admin.TabularInline):
    model = models.Price
    extra = 0


@admin.register(models.Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "position", "is_default", "is_public", "members")
    list_editable = ("position", "is_public")
    search_fields = ("code", "name")
    inlines = [FeatureGrantInline, QuotaLimitInline, PriceInline]

    @admin.display(description=_("members holding it"))
    def members(self, plan: models.Plan) -> int:
        return plan.assignments.count()


@admin.register(models.PlanAssignment)
class PlanAssignmentAdmin(admin.ModelAdmin):
    list_display = ("member", "plan", "starts_at", "ends_at", "note")
    list_filter = ("plan",)
    search_fields = ("member__email",)
    raw_id_fields = ("member",)


@admin.register(models.TrialSettings)
class TrialSettingsAdmin(admin.ModelAdmin):
    list_display = ("__str__", "enabled", "plan", "days", "warn_days_before")

    def has_add_permission(self, request) -> bool:
        return not models.TrialSettings.objects.exists() and super().has_add_permission(request)


@admin.register(models.CompletenessMultiplier)
class CompletenessMultiplierAdmin(admin.ModelAdmin):
    form = CompletenessMultiplierForm
    list_display = ("quota", "level", "multiplier")
    list_filter = ("level", "quota")


class ZoneCountryInline(admin.TabularInline):
    model = models.ZoneCountry
    extra = 1


class ZonePriceInline(admin.TabularInline):
    model = models.Price
    extra = 0


@admin.register(models.Zone)
class ZoneAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "is_default", "country_list")
    inlines = [ZoneCountryInline, ZonePriceInline]

    @admin.display(description=_("countries"))
    def country_list(self, zone: models.Zone) -> str:
        return ", ".join(zone.countries.values_list("country", flat=True))


@admin.register(models.QuotaUsage)
class QuotaUsageAdmin(admin.ModelAdmin):
    list_display = ("member", "quota", "window_start", "used")
    list_filter = ("quota",)
    search_fields = ("member__email",)
    readonly_fields = ("member", "quota", "window_start", "used")

    def has_add_permission(self, request) -> bool:
        return False


# Subscriptions, receipts and trial notices (their own module, registered with the rest of the plans admin).
from entregent.plans import billing_admin  # noqa: E402, F401
