"""Forms for the profile pages. They only parse and show errors; rules live in services/models."""

from __future__ import annotations

import re

from django import forms
from django.utils.dates import MONTHS as MONTH_NAMES
from django.utils.translation import gettext_lazy as _

from entregent.profiles import models as m
from entregent.profiles.countries import country_choices
from entregent.profiles.taxonomy import INDUSTRY_CHOICES


class IdentityForm(forms.ModelForm):
    class Meta:
        model = m.Profile
        fields = ["first_name", "last_name", "headline", "city", "country", "industry"]
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "headline": forms.TextInput(attrs={"maxlength": 120, "data-counter": ""}),
            "city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
        }
        help_texts = {
            "headline": _(
                "Say what you do and for whom, e.g. “Data engineer helping retailers forecast demand”."
            ),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"] = forms.ChoiceField(
            label=_("country"),
            required=False,
            choices=[("", "—"), *country_choices()],
            error_messages={"invalid_choice": _("Choose a country from the list.")},
            widget=forms.Select(attrs={"autocomplete": "country"}),
        )
        self.fields["industry"].choices = [("", "—"), *INDUSTRY_CHOICES]


class AboutForm(forms.ModelForm):
    class Meta:
        model = m.Profile
        fields = ["about"]
        widgets = {"about": forms.Textarea(attrs={"rows": 10, "maxlength": 2600, "data-counter": ""})}
        help_texts = {
            "about": _("Markdown-lite: **bold**, *italic*, lists and links. At most 2,600 characters.")
        }


class OpenToForm(forms.ModelForm):
    class Meta:
        model = m.Profile
        fields = [
            "open_to_work",
            "open_to_work_titles",
            "open_to_hiring",
            "open_to_mentoring",
            "open_to_business",
        ]
        widgets = {"open_to_work": forms.RadioSelect}
        help_texts = {
            "open_to_work": _(
                "“Recruiters only” keeps it off your public profile; “All members” also puts a green "
                "frame on your photo."
            ),
            "open_to_work_titles": _("For example: Data engineer, Analytics lead."),
        }


class TargetForm(forms.ModelForm):
    class Meta:
        model = m.Profile
        fields = ["target_industry", "target_goal"]
        help_texts = {
            "target_industry": _("The sector you want your profile to speak to."),
            "target_goal": _("Your goal in a few words, e.g. “find clients in retail”."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target_industry"].choices = [("", "—"), *INDUSTRY_CHOICES]


class ImageForm(forms.Form):
    image = forms.FileField(
        label=_("Image file"),
        help_text=_("JPEG, PNG or WebP, at most 5 MB."),
        error_messages={
            "required": _("Choose an image file to upload."),
            "empty": _("The file you chose is empty."),
            "invalid": _("This file is not a valid image. Upload a JPEG, PNG or WebP image."),
        },
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )


class SlugForm(forms.Form):
    slug = forms.CharField(
        label=_("Your public URL"),
        max_length=100,
        help_text=_("3 to 100 characters: lower-case letters, digits and hyphens."),
        widget=forms.TextInput(
            attrs={"autocapitalize": "none", "autocomplete": "off", "spellcheck": "false"}
        ),
    )


class VisibilityForm(forms.Form):
    public_profile = forms.BooleanField(
        label=_("Show my profile to logged-out visitors and search engines"), required=False
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        labels = {
            "photo": _("Photo"),
            "headline": _("Headline"),
            "about": _("About"),
            "experience": _("Experience"),
            "education": _("Education"),
            "skills": _("Skills"),
            "languages": _("Languages"),
            "certifications": _("Licences and certifications"),
            "projects": _("Projects"),
            "volunteering": _("Volunteering"),
        }
        for section in m.PUBLIC_SECTIONS:
            self.fields[f"section_{section}"] = forms.BooleanField(label=labels[section], required=False)

    @staticmethod
    def initial_for(profile: m.Profile) -> dict[str, bool]:
        initial = {"public_profile": profile.public_profile}
        for section in m.PUBLIC_SECTIONS:
            initial[f"section_{section}"] = bool(profile.public_sections.get(section, True))
        return initial

    def profile_fields(self) -> list[forms.BoundField]:
        return [self["public_profile"]]

    def section_fields(self) -> list[forms.BoundField]:
        return [self[f"section_{section}"] for section in m.PUBLIC_SECTIONS]

    def public_sections(self) -> dict[str, bool]:
        return {section: self.cleaned_data[f"section_{section}"] for section in m.PUBLIC_SECTIONS}


def _year(**attrs) -> forms.NumberInput:
    return forms.NumberInput(
        attrs={"min": 1940, "max": 2100, "inputmode": "numeric", "data-half": "", **attrs}
    )


def _month(**attrs) -> forms.Select:
    return forms.Select(attrs={"data-half": "", **attrs})


def _dated(start: str | None, end: str | None, *, toggled: bool = False) -> dict[str, forms.Widget]:
    """Month and year widgets shown side by side; with `toggled`, the end date is the one that
    "I currently work here" hides (site.js) and the model ignores."""
    widgets: dict[str, forms.Widget] = {}
    if start:
        widgets[f"{start}_month"] = _month()
        widgets[f"{start}_year"] = _year()
    if end:
        extra = {"data-end-date": ""} if toggled else {}
        widgets[f"{end}_month"] = _month(**extra)
        widgets[f"{end}_year"] = _year(**extra)
    return widgets


class SectionForm(forms.ModelForm):
    """Shows months by name in the member's language rather than as 01…12."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name.endswith("_month"):
                field.choices = [("", _("Month")), *MONTH_NAMES.items()]
            elif name.endswith("_year"):
                # The model's 1940–2100 bounds, rather than the 0 a positive integer field implies.
                field.widget.attrs.update({"min": 1940, "max": 2100})
            elif isinstance(field, forms.ChoiceField) and not isinstance(field.widget, forms.RadioSelect):
                choices = list(field.choices)
                if choices and choices[0][0] == "":
                    field.choices = [("", "—"), *choices[1:]]


CURRENT_HELP = _("While this is ticked, the end date is left empty and shown as “Present”.")


class ExperienceForm(SectionForm):
    class Meta:
        model = m.Experience
        fields = [
            "title",
            "company_name",
            "employment_type",
            "location",
            "is_current",
            "start_month",
            "start_year",
            "end_month",
            "end_year",
            "description",
        ]
        widgets = {
            **_dated("start", "end", toggled=True),
            "is_current": forms.CheckboxInput(attrs={"data-current-toggle": ""}),
            "description": forms.Textarea(attrs={"rows": 5, "maxlength": 2000, "data-counter": ""}),
        }
        help_texts = {
            "is_current": CURRENT_HELP,
            "description": _("What you did and achieved: a few lines help people (and the coach)."),
        }


class EducationForm(SectionForm):
    class Meta:
        model = m.Education
        fields = ["school", "degree", "field_of_study", "start_year", "end_year", "activities", "description"]
        widgets = {
            "start_year": _year(),
            "end_year": _year(),
            "activities": forms.Textarea(attrs={"rows": 3, "maxlength": 500, "data-counter": ""}),
            "description": forms.Textarea(attrs={"rows": 4, "maxlength": 1000, "data-counter": ""}),
        }


class SkillForm(SectionForm):
    class Meta:
        model = m.Skill
        fields = ["name", "pinned"]
        help_texts = {
            "pinned": _("Your top 3 skills come first on your profile."),
        }


class LanguageForm(SectionForm):
    class Meta:
        model = m.Language
        fields = ["name", "proficiency"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["proficiency"].choices = [("", _("Choose a level")), *m.Language.Proficiency.choices]


class CertificationForm(SectionForm):
    class Meta:
        model = m.Certification
        fields = [
            "name",
            "authority",
            "issue_month",
            "issue_year",
            "expiry_month",
            "expiry_year",
            "licence_number",
            "url",
        ]
        widgets = _dated("issue", "expiry")
        help_texts = {"expiry_year": _("Leave empty if this credential does not expire.")}


class ProjectForm(SectionForm):
    class Meta:
        model = m.Project
        fields = [
            "title",
            "url",
            "is_current",
            "start_month",
            "start_year",
            "end_month",
            "end_year",
            "description",
        ]
        widgets = {
            **_dated("start", "end", toggled=True),
            "is_current": forms.CheckboxInput(attrs={"data-current-toggle": ""}),
            "description": forms.Textarea(attrs={"rows": 5, "maxlength": 2000, "data-counter": ""}),
        }
        help_texts = {"is_current": CURRENT_HELP}


class VolunteeringForm(SectionForm):
    class Meta:
        model = m.Volunteering
        fields = [
            "organization",
            "role",
            "cause",
            "is_current",
            "start_month",
            "start_year",
            "end_month",
            "end_year",
            "description",
        ]
        widgets = {
            **_dated("start", "end", toggled=True),
            "is_current": forms.CheckboxInput(attrs={"data-current-toggle": ""}),
            "description": forms.Textarea(attrs={"rows": 5, "maxlength": 2000, "data-counter": ""}),
        }
        help_texts = {"is_current": CURRENT_HELP}


class ContactForm(SectionForm):
    class Meta:
        model = m.ContactDetail
        fields = ["kind", "label", "value", "visibility"]
        widgets = {"visibility": forms.RadioSelect}

    def clean(self):
        data = super().clean()
        kind, value = data.get("kind"), (data.get("value") or "").strip()
        try:
            if kind == m.ContactDetail.Kind.EMAIL:
                data["value"] = forms.EmailField().clean(value)
            elif kind == m.ContactDetail.Kind.WEBSITE:
                data["value"] = forms.URLField(assume_scheme="https").clean(value)
            elif kind == m.ContactDetail.Kind.PHONE and not re.fullmatch(r"\+?[0-9 ().-]{6,25}", value):
                raise forms.ValidationError(_("Enter a phone number, e.g. +33 6 12 34 56 78."))
        except forms.ValidationError as error:
            self.add_error("value", error)
        return data
