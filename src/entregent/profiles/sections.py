"""The registry of profile sections: one place says which model, form and label each has, so the
add/edit/delete/reorder views, the API and the completeness coach share one list."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from entregent.profiles import forms as f
from entregent.profiles import models as m


@dataclass(frozen=True)
class SectionSpec:
    name: str
    model: type[models.Model]
    form: type[forms.ModelForm]
    related: str
    title: Promise
    add_label: Promise


SECTIONS: dict[str, SectionSpec] = {
    spec.name: spec
    for spec in [
        SectionSpec(
            "experience", m.Experience, f.ExperienceForm, "experiences", _("Experience"), _("Add a position")
        ),
        SectionSpec(
            "education", m.Education, f.EducationForm, "educations", _("Education"), _("Add education")
        ),
        SectionSpec("skills", m.Skill, f.SkillForm, "skills", _("Skills"), _("Add a skill")),
        SectionSpec(
            "languages", m.Language, f.LanguageForm, "languages", _("Languages"), _("Add a language")
        ),
        SectionSpec(
            "certifications",
            m.Certification,
            f.CertificationForm,
            "certifications",
            _("Licences and certifications"),
            _("Add a licence or certification"),
        ),
        SectionSpec("projects", m.Project, f.ProjectForm, "projects", _("Projects"), _("Add a project")),
        SectionSpec(
            "volunteering",
            m.Volunteering,
            f.VolunteeringForm,
            "volunteering",
            _("Volunteering"),
            _("Add volunteer experience"),
        ),
        SectionSpec(
            "contacts", m.ContactDetail, f.ContactForm, "contacts", _("Contact info"), _("Add contact info")
        ),
    ]
}
