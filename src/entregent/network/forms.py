"""Forms of the network pages: an invitation's note, the connection list's filters and the member's
network preferences."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from entregent.network.models import Invitation

NOTE_MAX = Invitation._meta.get_field("note").max_length


class InvitationForm(forms.Form):
    note = forms.CharField(
        label=_("Add a note (optional)"),
        max_length=NOTE_MAX,
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": NOTE_MAX, "data-counter": ""}),
        help_text=_("Up to 300 characters. Say how you know each other or why you want to connect."),
        error_messages={
            "max_length": _("A note has at most %(limit_value)d characters (it has %(show_value)d).")
        },
    )


class ConnectionFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by name"), max_length=100, required=False)
    company = forms.CharField(label=_("Current company"), max_length=120, required=False)
    location = forms.CharField(label=_("Location"), max_length=80, required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=[("recent", _("Recently added")), ("name", _("Last name"))],
        required=False,
    )


class NetworkPreferencesForm(forms.Form):
    primary_action = forms.ChoiceField(
        label=_("Main button on my profile"),
        choices=[
            ("connect", _("Connect: people invite me to connect")),
            ("follow", _("Follow: people follow my posts; Connect stays in the “More” menu")),
        ],
        widget=forms.RadioSelect,
    )
    hide_connections = forms.BooleanField(
        label=_("Hide my connection list from my connections"),
        required=False,
        help_text=_("They still see the connections you have in common."),
    )
