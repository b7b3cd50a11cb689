"""Forms for the profile pages. They only parse and show errors; rules live in services/models."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from entregent.profiles import models as m
from entregent.profiles.countries import country_choices
from entregent.profiles.taxonomy import INDUSTRY_CHOICES


class IdentityForm(forms.ModelForm):
    class Meta:
        model = m.Profile
        fields = ["first_name", "last_name", "headline", "city", "country", "industry"]
        widgets = {
            "headline": forms.TextInput(attrs={"maxlength": 120, "data-counter": ""}),
        }
        help_texts = {
            "headline": _(
                "Say what you do and for whom, e.g. “Data engineer helping retailers forecast demand”."
            ),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"] = forms.ChoiceField(
            label=_("country"), required=False, choices=[("", "—"), *country_choices()]
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
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )


class SlugForm(forms.Form):
    slug = forms.CharField(
        label=_("Your public URL"),
        max_length=100,
        min_length=3,
        help_text=_("3 to 100 characters: lower-case letters, digits and hyphens."),
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


def _dated(fields: list[str]) -> dict:
    widgets = {}
    for name in fields:
        if name.endswith("_year"):
            widgets[name] = forms.NumberInput(attrs={"min": 1940, "max": 2100, "inputmode": "numeric"})
    return widgets


class ExperienceForm(forms.ModelForm):
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
            **_dated(["start_year", "end_year"]),
            "is_current": forms.CheckboxInput(attrs={"data-current-toggle": ""}),
            "end_month": forms.Select(attrs={"data-end-date": ""}),
            "end_year": forms.NumberInput(attrs={"min": 1940, "max": 2100, "data-end-date": ""}),
            "description": forms.Textarea(attrs={"rows": 5, "maxlength": 2000, "data-counter": ""}),
        }


class EducationForm(forms.ModelForm):
    class Meta:
        model = m.Education
        fields = ["school", "degree", "field_of_study", "start_year", "end_year", "activities", "description"]
        widgets = {
            **_dated(["start_year", "end_year"]),
            "activities": forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
            "description": forms.Textarea(attrs={"rows": 4, "maxlength": 1000}),
        }


class SkillForm(forms.ModelForm):
    class Meta:
        model = m.Skill
        fields = ["name", "pinned"]


class LanguageForm(forms.ModelForm):
    class Meta:
        model = m.Language
        fields = ["name", "proficiency"]


class CertificationForm(forms.ModelForm):
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
        widgets = _dated(["issue_year", "expiry_year"])


class ProjectForm(forms.ModelForm):
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
            **_dated(["start_year", "end_year"]),
            "is_current": forms.CheckboxInput(attrs={"data-current-toggle": ""}),
            "description": forms.Textarea(attrs={"rows": 5, "maxlength": 2000}),
        }


class VolunteeringForm(forms.ModelForm):
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
            **_dated(["start_year", "end_year"]),
            "is_current": forms.CheckboxInput(attrs={"data-current-toggle": ""}),
            "description": forms.Textarea(attrs={"rows": 5, "maxlength": 2000}),
        }


class ContactForm(forms.ModelForm):
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
