"""Forms of the billing pages: which plan, which billing period, which payment method. Choices come from
the operator's configuration (offered plans, enabled providers), so a forged value is a form error."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from entregent.plans import providers
from entregent.plans.models import PERIOD_CHOICES, Plan


def _plan_choices():
    return [(p.code, p.display_name) for p in Plan.objects.filter(is_public=True, is_default=False)]


def _provider_choices():
    return [(p.name, p.label) for p in providers.enabled()]


class PlanChoiceForm(forms.Form):
    plan = forms.ChoiceField(label=_("Plan"), choices=_plan_choices)
    period = forms.ChoiceField(label=_("Billing"), choices=PERIOD_CHOICES, widget=forms.RadioSelect)
    provider = forms.ChoiceField(
        label=_("Payment method"), choices=_provider_choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, require_provider: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].required = require_provider
        descriptions = {p.name: p.description for p in providers.enabled()}
        self.provider_descriptions = descriptions


class ChangePlanForm(forms.Form):
    plan = forms.ChoiceField(label=_("New plan"), choices=_plan_choices)
    period = forms.ChoiceField(label=_("Billing"), choices=PERIOD_CHOICES, widget=forms.RadioSelect)
    provider = forms.ChoiceField(
        label=_("Payment method"), choices=_provider_choices, widget=forms.RadioSelect, required=False
    )
