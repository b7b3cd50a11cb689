"""Forms of the account pages: allauth's sign-up form with the member's name, and the form
that creates a personal access token."""

from __future__ import annotations

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from entregent.accounts.models import User
from entregent.profiles import services as profile_services


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form plus a first and last name: a member starts with a profile.

    The account and its profile are created in one transaction, so a failure in between never
    leaves an account without a profile (every page expects one)."""

    first_name = forms.CharField(
        label=_("First name"), max_length=60, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=60, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )

    field_order = ["first_name", "last_name", "email", "password1", "password2"]

    def save(self, request) -> User:
        with transaction.atomic():
            user = super().save(request)
            profile_services.profile_create(
                user=user,
                first_name=self.cleaned_data["first_name"],
                last_name=self.cleaned_data["last_name"],
            )
        return user


class AccessTokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=80)
    scope = forms.ChoiceField(
        label=_("Scope"),
        choices=[("read", _("Read only")), ("write", _("Read and write"))],
        widget=forms.RadioSelect,
        initial="read",
    )
