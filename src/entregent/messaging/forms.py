"""Forms of the messaging pages: writing (a message, a new conversation with its recipients, an edit),
and the member's organisation of a conversation (snooze, reminder, group name). They parse and show
errors; every rule lives in services.py, whose errors land on these forms' fields."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from entregent.messaging.models import BODY_MAX, GROUP_NAME_MAX, SUBJECT_MAX


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files under one name. The attachments module validates them (type, size, content);
    the view passes `request.FILES.getlist("attachments")` to the service."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if data in (None, "", [], ()):
            return []
        return list(data) if isinstance(data, list | tuple) else [data]


def _body_widget(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "maxlength": BODY_MAX, "data-counter": ""})


def apply_error(form: forms.Form, error: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """A service's ValidationError onto the form: on the field it names when the form has it (or the
    form's name for it, from `aliases`), at the top otherwise."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            field = (aliases or {}).get(field, field)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Write a message"),
        max_length=BODY_MAX,
        required=False,
        strip=True,
        widget=_body_widget(),
        help_text=_("**bold**, *italic*, lists and links work. Up to 2,000 characters."),
        error_messages={
            "max_length": _("A message has at most %(limit_value)d characters (this one has %(show_value)d).")
        },
    )
    attachments = AttachmentsField(
        label=_("Attach files"),
        required=False,
        help_text=_("Images or PDF, up to 10 MB each."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachments"].widget.attrs.update({"accept": "image/*,application/pdf"})


class MessageEditForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        max_length=BODY_MAX,
        required=False,
        strip=True,
        widget=_body_widget(4),
        error_messages={
            "max_length": _("A message has at most %(limit_value)d characters (this one has %(show_value)d).")
        },
    )


class NewConversationForm(MessageForm):
    """A new conversation: recipients (checkboxes), the InMail's subject, a group's name."""

    to = forms.TypedMultipleChoiceField(
        label=_("To"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("Choose members from the list.")},
    )
    subject = forms.CharField(
        label=_("Subject"),
        max_length=SUBJECT_MAX,
        required=False,
        widget=forms.TextInput(attrs={"maxlength": SUBJECT_MAX}),
        help_text=_("An InMail needs a subject (up to 200 characters)."),
    )
    name = forms.CharField(
        label=_("Group name (optional)"),
        max_length=GROUP_NAME_MAX,
        required=False,
        widget=forms.TextInput(attrs={"maxlength": GROUP_NAME_MAX}),
        help_text=_("When you write to several connections at once."),
    )
    field_order = ["to", "subject", "name", "body", "attachments"]

    def __init__(self, *args, choices=(), inmail: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = list(choices)
        subject = self.fields["subject"]
        subject.required = inmail
        if inmail:
            subject.error_messages["required"] = _("An InMail needs a subject.")
            subject.help_text = _("Up to 200 characters.")


class GroupRenameForm(forms.Form):
    name = forms.CharField(
        label=_("Conversation name"),
        max_length=GROUP_NAME_MAX,
        required=False,
        widget=forms.TextInput(attrs={"maxlength": GROUP_NAME_MAX}),
    )


class SnoozeForm(forms.Form):
    PRESETS = ("later", "tomorrow", "next_week", "custom")

    preset = forms.ChoiceField(choices=[(p, p) for p in PRESETS], required=False)
    until = forms.DateTimeField(
        label=_("Until"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("preset") in ("", None, "custom")
            and not cleaned.get("until")
            and "until" not in self.errors
        ):
            self.add_error("until", _("Choose a date and time."))
        return cleaned


class RemindForm(forms.Form):
    days = forms.IntegerField(
        label=_("Remind me if no reply in"),
        min_value=1,
        max_value=30,
        initial=3,
        widget=forms.NumberInput(attrs={"min": 1, "max": 30}),
        help_text=_("days (1 to 30). We remind you with a notification and a banner here."),
        error_messages={
            "min_value": _("Choose between 1 and 30 days."),
            "max_value": _("Choose between 1 and 30 days."),
            "required": _("Choose between 1 and 30 days."),
            "invalid": _("Choose between 1 and 30 days."),
        },
    )
