"""The member's public face: the profile, its sections, its contact details and its slug history.

Models hold data and invariants only; writes go through `services.py`, reads through `selectors.py`,
and who may see what is decided by `entregent.core.policy`.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entregent.profiles.taxonomy import INDUSTRY_CHOICES

SLUG_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{1,98})[a-z0-9]$"
MONTHS = [(i, dt.date(2000, i, 1).strftime("%m")) for i in range(1, 13)]


def year_validators() -> list:
    return [MinValueValidator(1940), MaxValueValidator(2100)]


class Visibility(models.TextChoices):
    """Who may see an item: ordered from the most private to the most public."""

    ONLY_ME = "me", _("Only me")
    CONNECTIONS = "connections", _("My connections")
    MEMBERS = "members", _("All members")
    PUBLIC = "public", _("Everyone, including logged-out visitors")


class OpenToWork(models.TextChoices):
    OFF = "off", _("Not looking")
    RECRUITERS = "recruiters", _("Recruiters only")
    ALL = "all", _("All members (frame on my photo)")


# Sections a member can switch on or off for the public (logged-out) profile.
PUBLIC_SECTIONS = (
    "photo",
    "headline",
    "about",
    "experience",
    "education",
    "skills",
    "languages",
    "certifications",
    "projects",
    "volunteering",
)


def default_public_sections() -> dict[str, bool]:
    return dict.fromkeys(PUBLIC_SECTIONS, True)


class ViewerMode(models.TextChoices):
    """How a member appears to the people whose profiles they view."""

    NAME = "name", _("With my name and headline")
    SEMI_PRIVATE = "semi", _("Semi-private: “Someone at <my current company>” (or in my industry)")
    PRIVATE = "private", _("Private: “Anonymous member”")


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    slug = models.CharField(
        _("public URL"), max_length=100, unique=True, validators=[RegexValidator(SLUG_PATTERN)]
    )
    first_name = models.CharField(_("first name"), max_length=60)
    last_name = models.CharField(_("last name"), max_length=60)
    headline = models.CharField(_("headline"), max_length=120, blank=True)
    about = models.TextField(_("about"), max_length=2600, blank=True)
    city = models.CharField(_("city"), max_length=80, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    industry = models.CharField(_("industry"), max_length=40, blank=True, choices=INDUSTRY_CHOICES)

    photo = models.ImageField(_("photo"), upload_to="photos/", blank=True)
    photo_small = models.ImageField(upload_to="photos/", blank=True)
    banner = models.ImageField(_("banner"), upload_to="banners/", blank=True)

    open_to_work = models.CharField(
        _("open to work"), max_length=12, choices=OpenToWork.choices, default=OpenToWork.OFF
    )
    open_to_work_titles = models.CharField(_("roles I am looking for"), max_length=200, blank=True)
    open_to_hiring = models.BooleanField(_("hiring"), default=False)
    open_to_mentoring = models.BooleanField(_("mentoring"), default=False)
    open_to_business = models.BooleanField(_("business partnerships"), default=False)

    target_industry = models.CharField(
        _("target industry"), max_length=40, blank=True, choices=INDUSTRY_CHOICES
    )
    target_goal = models.CharField(_("goal"), max_length=160, blank=True)

    public_sections = models.JSONField(default=default_public_sections)
    public_profile = models.BooleanField(
        _("show my profile to logged-out visitors and search engines"), default=True
    )
    search_text = models.TextField(blank=True, editable=False)  # folded name + headline
    search_name = models.CharField(max_length=121, blank=True, editable=False)  # folded name only

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    # How this member appears on the viewers page of the profiles they visit (see ProfileVisit).
    # "follow": others see Follow as this member's primary button, Connect in the "More" menu.
    primary_action = models.CharField(
        _("primary button on my profile"),
        max_length=7,
        choices=[("connect", _("Connect")), ("follow", _("Follow"))],
        default="connect",
    )
    # Hide my connection list from my connections (mutual connections stay visible, as on LinkedIn).
    hide_connections = models.BooleanField(_("hide my connection list from my connections"), default=False)
    viewer_mode = models.CharField(
        _("how you appear when you view profiles"),
        max_length=8,
        choices=ViewerMode.choices,
        default=ViewerMode.NAME,
    )

    class Meta:
        constraints = [models.UniqueConstraint(Lower("slug"), name="profile_slug_ci_unique")]
        indexes = [
            models.Index(fields=["last_name", "first_name"]),
            models.Index(
                Lower("city"), F("industry"), name="profile_city_industry"
            ),  # same city and industry
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("profiles:detail", kwargs={"slug": self.slug})

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def initials(self) -> str:
        return (self.first_name[:1] + self.last_name[:1]).upper()

    def shows_publicly(self, section: str) -> bool:
        return bool(self.public_profile and self.public_sections.get(section, True))


class SlugChange(models.Model):
    """A former public URL: redirects to the profile for 180 days, then may be taken again."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="slug_changes")
    old_slug = models.CharField(max_length=100, db_index=True)
    changed_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-changed_at"]

    def __str__(self) -> str:
        return self.old_slug


class ContactDetail(models.Model):
    class Kind(models.TextChoices):
        EMAIL = "email", _("Email")
        PHONE = "phone", _("Phone")
        WEBSITE = "website", _("Website")

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    label = models.CharField(_("label"), max_length=40, blank=True)
    value = models.CharField(_("value"), max_length=200)
    visibility = models.CharField(
        _("who can see it"), max_length=12, choices=Visibility.choices, default=Visibility.CONNECTIONS
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.value}"


class Section(models.Model):
    """What every profile section shares: an owner and a place in the member's order."""

    NEW_ON_TOP = False  # new experience, education… go first, like LinkedIn; skills go last
    position = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "id"]


def _check_period(
    start_year: int | None,
    start_month: int | None,
    end_year: int | None,
    end_month: int | None,
    current: bool = False,
    *,
    start_field: str = "start_year",
    end_field: str = "end_year",
) -> None:
    today = timezone.localdate()
    if start_year and (start_year, start_month or 1) > (today.year, today.month):
        raise ValidationError({start_field: _("The start date cannot be in the future.")})
    if current:
        return
    if end_year and start_year and (end_year, end_month or 12) < (start_year, start_month or 1):
        raise ValidationError({end_field: _("The end date cannot be before the start date.")})


class Experience(Section):
    class EmploymentType(models.TextChoices):
        FULL_TIME = "full_time", _("Full-time")
        PART_TIME = "part_time", _("Part-time")
        SELF_EMPLOYED = "self_employed", _("Self-employed")
        FREELANCE = "freelance", _("Freelance")
        CONTRACT = "contract", _("Contract")
        INTERNSHIP = "internship", _("Internship")
        APPRENTICESHIP = "apprenticeship", _("Apprenticeship")

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="experiences")
    title = models.CharField(_("title"), max_length=120)
    company_name = models.CharField(_("company"), max_length=120)
    employment_type = models.CharField(
        _("employment type"), max_length=20, choices=EmploymentType.choices, blank=True
    )
    location = models.CharField(_("location"), max_length=120, blank=True)
    start_month = models.PositiveSmallIntegerField(_("start month"), choices=MONTHS)
    start_year = models.PositiveSmallIntegerField(_("start year"), validators=year_validators())
    end_month = models.PositiveSmallIntegerField(_("end month"), choices=MONTHS, null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(
        _("end year"), validators=year_validators(), null=True, blank=True
    )
    is_current = models.BooleanField(_("I currently work here"), default=False)
    description = models.TextField(_("description"), max_length=2000, blank=True)

    NEW_ON_TOP = True

    class Meta(Section.Meta):
        indexes = [
            # People you may know: the members currently at the same company.
            models.Index(
                Lower("company_name"), name="experience_current_company", condition=Q(is_current=True)
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.company_name}"

    def clean(self) -> None:
        if not self.is_current and not self.end_year:
            raise ValidationError({"end_year": _("Give an end date, or tick “I currently work here”.")})
        _check_period(self.start_year, self.start_month, self.end_year, self.end_month, self.is_current)
        if self.is_current:
            self.end_year = self.end_month = None


class Education(Section):
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="educations")
    school = models.CharField(_("school"), max_length=120)
    degree = models.CharField(_("degree"), max_length=120, blank=True)
    field_of_study = models.CharField(_("field of study"), max_length=120, blank=True)
    start_year = models.PositiveSmallIntegerField(
        _("start year"), validators=year_validators(), null=True, blank=True
    )
    end_year = models.PositiveSmallIntegerField(
        _("end year (or expected)"), validators=year_validators(), null=True, blank=True
    )
    activities = models.TextField(_("activities and societies"), max_length=500, blank=True)
    description = models.TextField(_("description"), max_length=1000, blank=True)

    NEW_ON_TOP = True

    class Meta(Section.Meta):
        indexes = [models.Index(Lower("school"), name="education_school")]  # people from the same school

    def __str__(self) -> str:
        return self.school

    def clean(self) -> None:
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("The end year cannot be before the start year.")})


class Skill(Section):
    MAX_PER_PROFILE = 50
    MAX_PINNED = 3

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="skills")
    name = models.CharField(_("skill"), max_length=80)
    pinned = models.BooleanField(_("show among my top 3 skills"), default=False)

    class Meta(Section.Meta):
        ordering = ["-pinned", "position", "id"]
        constraints = [
            models.UniqueConstraint("profile", Lower("name"), name="skill_unique_per_profile"),
        ]

    def __str__(self) -> str:
        return self.name


class Language(Section):
    class Proficiency(models.TextChoices):
        ELEMENTARY = "elementary", _("Elementary proficiency")
        LIMITED = "limited_working", _("Limited working proficiency")
        PROFESSIONAL = "professional_working", _("Professional working proficiency")
        FULL = "full_professional", _("Full professional proficiency")
        NATIVE = "native", _("Native or bilingual proficiency")

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="languages")
    name = models.CharField(_("language"), max_length=60)
    proficiency = models.CharField(_("proficiency"), max_length=24, choices=Proficiency.choices)

    class Meta(Section.Meta):
        constraints = [
            models.UniqueConstraint("profile", Lower("name"), name="language_unique_per_profile"),
        ]

    def __str__(self) -> str:
        return self.name


class Certification(Section):
    NEW_ON_TOP = True
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="certifications")
    name = models.CharField(_("name"), max_length=120)
    authority = models.CharField(_("issuing organisation"), max_length=120)
    issue_month = models.PositiveSmallIntegerField(_("issue month"), choices=MONTHS, null=True, blank=True)
    issue_year = models.PositiveSmallIntegerField(
        _("issue year"), validators=year_validators(), null=True, blank=True
    )
    expiry_month = models.PositiveSmallIntegerField(
        _("expiration month"), choices=MONTHS, null=True, blank=True
    )
    expiry_year = models.PositiveSmallIntegerField(
        _("expiration year"), validators=year_validators(), null=True, blank=True
    )
    licence_number = models.CharField(_("credential ID"), max_length=80, blank=True)
    url = models.URLField(_("credential URL"), blank=True)

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        _check_period(
            self.issue_year,
            self.issue_month,
            self.expiry_year,
            self.expiry_month,
            start_field="issue_year",
            end_field="expiry_year",
        )


class Project(Section):
    NEW_ON_TOP = True
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="projects")
    title = models.CharField(_("project name"), max_length=120)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    url = models.URLField(_("project URL"), blank=True)
    start_month = models.PositiveSmallIntegerField(_("start month"), choices=MONTHS, null=True, blank=True)
    start_year = models.PositiveSmallIntegerField(
        _("start year"), validators=year_validators(), null=True, blank=True
    )
    end_month = models.PositiveSmallIntegerField(_("end month"), choices=MONTHS, null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(
        _("end year"), validators=year_validators(), null=True, blank=True
    )
    is_current = models.BooleanField(_("I am currently working on this project"), default=False)

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        _check_period(self.start_year, self.start_month, self.end_year, self.end_month, self.is_current)


class Volunteering(Section):
    NEW_ON_TOP = True
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="volunteering")
    organization = models.CharField(_("organisation"), max_length=120)
    role = models.CharField(_("role"), max_length=120)
    cause = models.CharField(_("cause"), max_length=80, blank=True)
    start_month = models.PositiveSmallIntegerField(_("start month"), choices=MONTHS, null=True, blank=True)
    start_year = models.PositiveSmallIntegerField(
        _("start year"), validators=year_validators(), null=True, blank=True
    )
    end_month = models.PositiveSmallIntegerField(_("end month"), choices=MONTHS, null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(
        _("end year"), validators=year_validators(), null=True, blank=True
    )
    is_current = models.BooleanField(_("I am currently volunteering in this role"), default=False)
    description = models.TextField(_("description"), max_length=2000, blank=True)

    class Meta(Section.Meta):
        verbose_name_plural = "volunteering"

    def __str__(self) -> str:
        return f"{self.role} — {self.organization}"

    def clean(self) -> None:
        _check_period(self.start_year, self.start_month, self.end_year, self.end_month, self.is_current)


class ProfileVisit(models.Model):
    """One member viewed another's profile on one day: at most one row per viewer, profile and day.

    Named "visit" because `selectors.ProfileView` already names what a viewer may see of a profile.
    Keyed by the viewed member (the first column of the unique constraint), the way the viewers page
    reads it, and the way the table would be sharded. `viewer_mode` is the viewer's setting at the
    time of the view: changing it later does not unmask, or mask, past views."""

    viewed = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    viewer_mode = models.CharField(max_length=8, choices=ViewerMode.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["viewed", "day", "viewer"], name="profile_visit_once_a_day"),
            models.CheckConstraint(
                condition=~models.Q(viewer=models.F("viewed")), name="profile_visit_not_own"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.viewer_id} → {self.viewed_id} on {self.day}"
