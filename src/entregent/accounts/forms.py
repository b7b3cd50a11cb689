from django import forms
from django.utils.translation import gettext_lazy as _

from entregent.profiles import services as profile_services


class SignupForm(forms.Form):
    """Extra fields on allauth's sign-up form: a member starts with a name and a profile."""

    first_name = forms.CharField(
        label=_("First name"), max_length=60, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=60, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )

    field_order = ["first_name", "last_name", "email", "password1", "password2"]

    def signup(self, request, user) -> None:
        profile_services.profile_create(
            user=user,
            first_name=self.cleaned_data["first_name"],
            last_name=self.cleaned_data["last_name"],
        )


class AccessTokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=80)
    scope = forms.ChoiceField(
        label=_("Scope"),
        choices=[("read", _("Read only")), ("write", _("Read and write"))],
        widget=forms.RadioSelect,
        initial="read",
    )
