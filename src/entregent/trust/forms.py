"""Forms of trust: reporting a member, and a moderator's decision on a case."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from entregent.trust.models import ModerationAction, Report
from entregent.trust.services import MAX_RESTRICT_DAYS, restrict_days_default

COMMENT_MAX = Report._meta.get_field("comment").max_length
REASON_MAX = ModerationAction._meta.get_field("reason").max_length


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what is wrong with this profile.")},
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": COMMENT_MAX, "data-counter": ""}),
        help_text=_(
            "What did you see? Only the moderators read it; the member is not told who reported them."
        ),
    )


ACTION_LABELS = {
    "dismiss": _("Dismiss: the reports are unfounded"),
    "warn": _("Warn: mail the member the reason below"),
    "restrict": _("Restrict: no invitations or messages for a number of days"),
    "lift": _("Lift the restriction in effect"),
    "suspend": _("Suspend: deactivate the account"),
    "reinstate": _("Reinstate the suspended account"),
}


class DecisionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a decision.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": REASON_MAX}),
        help_text=_(
            "Recorded with the decision. The member reads it in a warning, a restriction or a suspension."
        ),
        error_messages={"required": _("Say why: the decision is recorded with its reason.")},
    )
    days = forms.IntegerField(
        label=_("Restriction length (days)"),
        min_value=1,
        max_value=MAX_RESTRICT_DAYS,
        required=False,
        help_text=_("Only for a restriction."),
    )

    def __init__(self, *args, actions: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [(name, ACTION_LABELS[name]) for name in actions]
        self.fields["days"].initial = restrict_days_default()
