"""The completeness coach: a deterministic 0–100 profile-strength score on the three axes of the seed —
quantity (what is filled in), quality (whether it is filled in well) and orientation (whether the profile
speaks to the target the member chose) — with a level, an explanation per axis and concrete next steps,
each linked to the form that fixes it and ordered by how many points it adds.

Weights (points; the three axes add up to 100):

    axis         criterion            pts  earned when
    quantity     photo                  5  a profile photo is uploaded
    (40)         headline               4  the headline is not empty
                 about                  4  the About section is not empty
                 location               3  city and country (1 point for only one of them)
                 industry               3  an industry is chosen
                 experience             6  at least one position
                 education              5  at least one school
                 skills                 4  at least one skill
                 languages              2  at least one language
                 extras                 2  a certification, project or volunteer experience
                 contacts               1  at least one contact detail
                 open_to                1  open to work, hiring, mentoring or business
    quality      headline_specific      7  >= 5 words or >= 30 characters (3 points for 2–4 words)
    (35)         about_length           7  >= 40 words (3 points for 15–39 words)
                 recent_described       8  share of recent positions (current, or ended in the last
                                           5 years) whose description has >= 5 words
                 photo                  5  a profile photo is uploaded
                 five_skills            5  one point per skill, up to 5
                 dates_coherent         3  dated items exist and none is impossible (end before
                                           start, start in the future, > 2 current positions…)
    orientation  target                 5  a target industry or goal is chosen
    (25)         headline               6  the headline mentions a target keyword
                 about                  5  the About section mentions a target keyword
                 skills                 5  a skill matches a target keyword
                 recent_positions       4  a recent position's title or description matches

Target keywords are the chosen industry's keywords (profiles/taxonomy.py) plus the words of the free-text
goal minus French and English stop words; matching ignores case and accents (core.text.fold). Without a
target the orientation axis is 0 and "choose a target" is always the first next step.

Levels: Beginner < 50 <= Intermediate < 75 <= Advanced < 90 <= All-Star. All-Star also needs LinkedIn's
bar (industry, location, a current position with a description, two past positions, education, >= 3 skills,
a photo); when the score reaches 90 without it the level stays Advanced and the missing bar items come first
among the next steps.

Axis scores are rounded half up and the total is their sum, so the numbers on screen always add up; the
gain of a next step is computed by re-scoring the axes with that step done.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from entregent.core.text import fold
from entregent.profiles.taxonomy import industry_keywords, industry_label

if TYPE_CHECKING:
    from entregent.profiles.models import Profile

# --------------------------------------------------------------------------------------------- weights

WEIGHTS: dict[str, dict[str, int]] = {
    "quantity": {
        "photo": 5,
        "headline": 4,
        "about": 4,
        "location": 3,
        "industry": 3,
        "experience": 6,
        "education": 5,
        "skills": 4,
        "languages": 2,
        "extras": 2,
        "contacts": 1,
        "open_to": 1,
    },
    "quality": {
        "headline_specific": 7,
        "about_length": 7,
        "recent_described": 8,
        "photo": 5,
        "five_skills": 5,
        "dates_coherent": 3,
    },
    "orientation": {
        "target": 5,
        "headline": 6,
        "about": 5,
        "skills": 5,
        "recent_positions": 4,
    },
}
AXIS_MAX: dict[str, int] = {axis: sum(points.values()) for axis, points in WEIGHTS.items()}

# Thresholds the criteria use, named so the explanations and the tests quote the same numbers.
HEADLINE_MIN_WORDS = 5
HEADLINE_MIN_CHARS = 30
ABOUT_MIN_WORDS = 40
ABOUT_SHORT_WORDS = 15
DESCRIPTION_MIN_WORDS = 5
RECENT_YEARS = 5
SKILLS_RECOMMENDED = 5
MAX_CURRENT_POSITIONS = 2
EDUCATION_MAX_YEARS = 12
EDUCATION_MAX_YEARS_AHEAD = 8
ALL_STAR_MIN_SKILLS = 3
ALL_STAR_PAST_POSITIONS = 2
TOP_STEPS = 5

LEVELS: tuple[tuple[int, str, Promise], ...] = (
    (90, "all_star", gettext_lazy("All-Star")),
    (75, "advanced", gettext_lazy("Advanced")),
    (50, "intermediate", gettext_lazy("Intermediate")),
    (0, "beginner", gettext_lazy("Beginner")),
)

AXIS_LABELS: dict[str, Promise] = {
    "quantity": gettext_lazy("Quantity"),
    "quality": gettext_lazy("Quality"),
    "orientation": gettext_lazy("Orientation"),
}
AXIS_EXPLANATIONS: dict[str, Promise] = {
    "quantity": gettext_lazy("Which sections of your profile are filled in."),
    "quality": gettext_lazy(
        "Whether they are filled in well: a specific headline, a real About section, described recent "
        "positions, a photo, enough skills and dates that make sense."
    ),
    "orientation": gettext_lazy(
        "How much your headline, About section, skills and recent positions speak to the target you chose."
    ),
}

# French and English words that say nothing about a target ("find clients in retail" -> clients, retail).
STOP_WORDS = frozenset(
    """
    a an and any are as at be been but by can do for from get got have how i in into is it its me more my
    new of on or our out over so some than that the their them then there these they this to up us use
    want we what when where which who will with within without you your yours
    find finding get getting looking seeking search searching become becoming work working job jobs
    role roles position career grow growing build building help helping make more most new
    au aux avec ce ces cet cette dans de des du elle en et eux il ils je la le les leur leurs lui ma mais
    me mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu
    un une vos votre vous y d l j m n s t c qu est sont etre avoir fait faire plus tres
    trouver chercher cherche recherche rechercher devenir travailler travail emploi poste metier
    developper aider construire nouveau nouvelle nouveaux nouvelles mieux vers chez afin
    """.split()
)

_WORD = re.compile(r"[\w'’-]+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text or "")


def _half_up(value: float) -> int:
    return int(math.floor(value + 0.5 + 1e-9))


# ------------------------------------------------------------------------------------ public results


@dataclass(frozen=True)
class Level:
    code: str
    label: Any


@dataclass(frozen=True)
class Criterion:
    """One line of "why this score": what was checked, the points earned out of the points possible."""

    code: str
    label: Any
    earned: float
    max: int
    detail: str = ""

    @property
    def met(self) -> bool:
        return self.earned >= self.max


@dataclass(frozen=True)
class Axis:
    code: str
    label: Any
    score: int
    max: int
    criteria: tuple[Criterion, ...]

    @property
    def percentage(self) -> int:
        return _half_up(100 * self.score / self.max) if self.max else 0

    @property
    def explanation(self) -> Any:
        return AXIS_EXPLANATIONS[self.code]


@dataclass(frozen=True)
class NextStep:
    code: str
    label: str
    gain: int
    url: str
    for_all_star: bool = False


@dataclass(frozen=True)
class BarItem:
    code: str
    label: Any
    met: bool


@dataclass(frozen=True)
class Completeness:
    score: int
    level: Level
    axes: tuple[Axis, ...]
    next_steps: tuple[NextStep, ...]
    all_star_bar: tuple[BarItem, ...]
    has_target: bool
    target_industry: str = ""  # the label of the target industry, for "your target: …"
    target_goal: str = ""
    target_keywords: tuple[str, ...] = ()

    RING_RADIUS = 42

    @property
    def quantity(self) -> Axis:
        return self.axes[0]

    @property
    def quality(self) -> Axis:
        return self.axes[1]

    @property
    def orientation(self) -> Axis:
        return self.axes[2]

    @property
    def top_steps(self) -> tuple[NextStep, ...]:
        return self.next_steps[:TOP_STEPS]

    @property
    def bar_met(self) -> bool:
        return all(item.met for item in self.all_star_bar)

    @property
    def bar_missing(self) -> tuple[BarItem, ...]:
        return tuple(item for item in self.all_star_bar if not item.met)

    @property
    def is_all_star(self) -> bool:
        return self.level.code == "all_star"

    @property
    def next_level(self) -> Level | None:
        """The level above the current one (None at All-Star)."""
        codes = [code for _threshold, code, _label in LEVELS]
        index = codes.index(self.level.code)
        if index == 0:
            return None
        _threshold, code, label = LEVELS[index - 1]
        return Level(code, label)

    @property
    def points_to_next_level(self) -> int:
        """Points still missing to reach the next level's threshold (0 when only the All-Star bar is)."""
        for threshold, code, _label in LEVELS:
            if self.next_level and code == self.next_level.code:
                return max(threshold - self.score, 0)
        return 0

    # The ring is drawn with SVG attributes (strict CSP: no style attributes). Strings, not floats, so
    # a French locale never turns "263.89" into "263,89" inside an attribute.
    @property
    def ring_circumference(self) -> str:
        return f"{2 * math.pi * self.RING_RADIUS:.2f}"

    @property
    def ring_offset(self) -> str:
        return f"{2 * math.pi * self.RING_RADIUS * (1 - self.score / 100):.2f}"


def level_for(score: int, *, bar_met: bool) -> Level:
    for threshold, code, label in LEVELS:
        if score >= threshold:
            if code == "all_star" and not bar_met:
                continue
            return Level(code, label)
    return Level(LEVELS[-1][1], LEVELS[-1][2])


# ------------------------------------------------------------------------------------------- the facts

SECTION_RELATIONS = (
    "experiences",
    "educations",
    "skills",
    "languages",
    "certifications",
    "projects",
    "volunteering",
    "contacts",
)


def _ym(year: int | None, month: int | None, default_month: int) -> tuple[int, int] | None:
    return (year, month or default_month) if year else None


@dataclass
class _Facts:
    """What the coach reads of a profile, gathered once (one query per section, whatever its size)."""

    profile: Any
    today: dt.date
    experiences: list[Any]
    educations: list[Any]
    skills: list[Any]
    n_languages: int
    n_extras: int
    n_contacts: int
    recent: list[Any] = field(default_factory=list)

    @classmethod
    def of(cls, profile: Profile, today: dt.date) -> _Facts:
        # Reuses sections already prefetched by the caller; fetches the others once each.
        prefetch_related_objects([profile], *SECTION_RELATIONS)
        experiences = sorted(profile.experiences.all(), key=_recency, reverse=True)
        facts = cls(
            profile=profile,
            today=today,
            experiences=experiences,
            educations=list(profile.educations.all()),
            skills=list(profile.skills.all()),
            n_languages=len(profile.languages.all()),
            n_extras=len(profile.certifications.all())
            + len(profile.projects.all())
            + len(profile.volunteering.all()),
            n_contacts=len(profile.contacts.all()),
        )
        facts.recent = [e for e in experiences if _is_recent(e, today)]
        return facts

    @property
    def has_photo(self) -> bool:
        return bool(self.profile.photo)

    @property
    def past_positions(self) -> list[Any]:
        return [e for e in self.experiences if not e.is_current]

    @property
    def current_positions(self) -> list[Any]:
        return [e for e in self.experiences if e.is_current]


def _recency(experience: Any) -> tuple:
    end = (9999, 12) if experience.is_current else _ym(experience.end_year, experience.end_month, 12)
    return (end or (0, 0), (experience.start_year or 0, experience.start_month or 1), experience.pk or 0)


def _is_recent(experience: Any, today: dt.date) -> bool:
    return experience.is_current or bool(
        experience.end_year and experience.end_year >= today.year - RECENT_YEARS
    )


def _described(text: str) -> bool:
    return len(_words(text)) >= DESCRIPTION_MIN_WORDS


def _position_name(experience: Any) -> str:
    return _("“%(title)s at %(company)s”") % {"title": experience.title, "company": experience.company_name}


# ------------------------------------------------------------------------------- target keyword matching


@dataclass(frozen=True)
class _Target:
    keywords: tuple[str, ...]  # folded
    example: str  # what the next steps quote: a goal word as typed, or the industry's name
    _pattern: re.Pattern | None
    _short_pattern: re.Pattern | None

    @classmethod
    def of(cls, industry: str, goal: str) -> _Target:
        keywords: list[str] = []
        examples: list[str] = []
        for token in _words(goal):
            word = fold(token).strip("'’-")
            if not word or word in STOP_WORDS or (len(word) < 3 and not any(c.isdigit() for c in word)):
                continue
            # "clients" also finds "client": the matcher accepts an s/e/es ending on long words.
            if len(word) >= 5 and word.endswith("s") and not word.endswith("ss"):
                word = word[:-1]
            if word not in keywords:
                keywords.append(word)
                examples.append(token)
        for keyword in industry_keywords(industry):
            if keyword not in keywords:
                keywords.append(keyword)
        example = ", ".join(examples[:3]) or industry_label(industry) or goal.strip()
        long_words = [k for k in keywords if len(k) > 2]
        # Two-letter keywords (IT, HR, RH, UX, UI, 5G) only count written in capitals: "it" is a pronoun.
        short_words = [k for k in keywords if len(k) <= 2]
        return cls(
            keywords=tuple(keywords),
            example=example,
            _pattern=_compile(long_words, suffix=True) if long_words else None,
            _short_pattern=_compile([k.upper() for k in short_words], suffix=False, flags=0)
            if short_words
            else None,
        )

    def matches(self, text: str) -> list[str]:
        """The words of `text` (as written) that speak to the target, accents and case ignored."""
        if not text:
            return []
        found: list[str] = []
        # Most texts do not match: test the whole folded text first, map back to the original only then.
        if self._pattern is not None and self._pattern.search(fold(text)):
            folded, index = _fold_with_index(text)
            for match in self._pattern.finditer(folded):
                start, end = match.span()
                original = text[index[start] : index[end - 1] + 1]
                if original not in found:
                    found.append(original)
        if self._short_pattern is not None:
            for match in self._short_pattern.finditer(text):
                if match.group(0) not in found:
                    found.append(match.group(0))
        return found


def _compile(words: list[str], *, suffix: bool, flags: int = 0) -> re.Pattern:
    parts = []
    for word in sorted(set(words), key=len, reverse=True):
        body = r"[\s-]+".join(re.escape(piece) for piece in word.split())
        if suffix and len(word) >= 4:
            body += "(?:es|e|s)?"
        parts.append(body)
    return re.compile(r"(?<![\w])(?:" + "|".join(parts) + r")(?![\w])", flags)


def _fold_with_index(text: str) -> tuple[str, list[int]]:
    """fold(text), and for each folded character the index of the original character it came from,
    so a match in the folded text can be shown as the member wrote it ("Ingénieur")."""
    if text.isascii():  # the common case, and fold() of ASCII is lower()
        return text.lower(), list(range(len(text)))
    pieces: list[str] = []
    index: list[int] = []
    for position, char in enumerate(text):
        folded = _CHAR_FOLD.get(char)
        if folded is None:
            folded = fold(char)
            if len(_CHAR_FOLD) < 10_000:  # bounded: members write in every script there is
                _CHAR_FOLD[char] = folded
        pieces.append(folded)
        index.extend([position] * len(folded))
    return "".join(pieces), index


_CHAR_FOLD: dict[str, str] = {}


# ------------------------------------------------------------------------------------------- scoring


@dataclass
class _Fix:
    """A concrete action and the raw points it would add on each axis."""

    code: str
    label: str
    url: str
    gains: dict[str, float] = field(default_factory=dict)
    rank: int = 0  # tie-breaker: the order the criteria are checked in


class _Scoring:
    def __init__(self, facts: _Facts) -> None:
        self.facts = facts
        self.criteria: dict[str, list[Criterion]] = {axis: [] for axis in WEIGHTS}
        self.fixes: dict[str, _Fix] = {}

    # helpers
    def credit(self, axis: str, code: str, label: Any, earned: float, detail: str = "") -> None:
        self.criteria[axis].append(Criterion(code, label, earned, WEIGHTS[axis][code], detail))

    def fix(self, code: str, label: str, url: str, axis: str, gain: float) -> None:
        if gain <= 0:
            return
        entry = self.fixes.get(code)
        if entry is None:
            entry = self.fixes[code] = _Fix(code, label, url, rank=len(self.fixes))
        elif label and not entry.label:
            entry.label, entry.url = label, url
        entry.gains[axis] = entry.gains.get(axis, 0.0) + gain

    def raw(self, axis: str) -> float:
        return sum(c.earned for c in self.criteria[axis])


def _edit(anchor: str) -> str:
    return reverse("profiles:edit") + f"#{anchor}"


def _add(section: str) -> str:
    return reverse("profiles:section_add", args=[section])


def _edit_item(section: str, pk: int) -> str:
    return reverse("profiles:section_edit", args=[section, pk])


def _score_quantity(s: _Scoring) -> None:
    f, p, w = s.facts, s.facts.profile, WEIGHTS["quantity"]
    axis = "quantity"

    s.credit(axis, "photo", gettext_lazy("Photo"), w["photo"] if f.has_photo else 0)
    if not f.has_photo:
        s.fix("photo", _("Add a profile photo"), _edit("photo"), axis, w["photo"])

    s.credit(axis, "headline", gettext_lazy("Headline"), w["headline"] if p.headline.strip() else 0)
    if not p.headline.strip():
        s.fix(
            "headline",
            _("Write a headline that says what you do (5 words or more)"),
            _edit("intro"),
            axis,
            w["headline"],
        )

    s.credit(axis, "about", gettext_lazy("About"), w["about"] if p.about.strip() else 0)
    if not p.about.strip():
        s.fix("about", _("Write your About section (at least 40 words)"), _edit("about"), axis, w["about"])

    located = bool(p.city.strip()) + bool(p.country)
    earned = w["location"] if located == 2 else (1 if located else 0)
    s.credit(axis, "location", gettext_lazy("Location (city and country)"), earned)
    s.fix("location", _("Add your location (city and country)"), _edit("intro"), axis, w["location"] - earned)

    s.credit(axis, "industry", gettext_lazy("Industry"), w["industry"] if p.industry else 0)
    if not p.industry:
        s.fix("industry", _("Choose your industry"), _edit("intro"), axis, w["industry"])

    for code, label, present, fix_code, fix_label, url in (
        (
            "experience",
            gettext_lazy("Experience"),
            bool(f.experiences),
            "experience_add",
            _("Add your current position, with a description"),
            _add("experience"),
        ),
        (
            "education",
            gettext_lazy("Education"),
            bool(f.educations),
            "education_add",
            _("Add your education"),
            _add("education"),
        ),
        (
            "skills",
            gettext_lazy("Skills"),
            bool(f.skills),
            "skills_add",
            "",  # labelled by the quality criterion below, which always applies when this does
            _add("skills"),
        ),
        (
            "languages",
            gettext_lazy("Languages"),
            bool(f.n_languages),
            "languages_add",
            _("Add the languages you speak"),
            _add("languages"),
        ),
        (
            "extras",
            gettext_lazy("Certifications, projects or volunteering"),
            bool(f.n_extras),
            "extras_add",
            _("Add a certification, a project or volunteer experience"),
            _add("certifications"),
        ),
        (
            "contacts",
            gettext_lazy("Contact info"),
            bool(f.n_contacts),
            "contacts_add",
            _("Add contact info"),
            _add("contacts"),
        ),
    ):
        s.credit(axis, code, label, w[code] if present else 0)
        if not present:
            s.fix(fix_code, fix_label, url, axis, w[code])

    open_to = p.open_to_work != "off" or p.open_to_hiring or p.open_to_mentoring or p.open_to_business
    s.credit(axis, "open_to", gettext_lazy("Open to"), w["open_to"] if open_to else 0)
    if not open_to:
        s.fix(
            "open_to",
            _("Say what you are open to: work, hiring, mentoring or business"),
            _edit("open-to"),
            axis,
            w["open_to"],
        )


def _date_issues(f: _Facts) -> list[tuple[str, Any, str]]:
    """Impossible or implausible dates, as (section, item, reason) — the forms refuse most of them, but
    imports and older data may still carry them."""
    today = (f.today.year, f.today.month)
    issues: list[tuple[str, Any, str]] = []
    for e in f.experiences:
        start = _ym(e.start_year, e.start_month, 1)
        end = _ym(e.end_year, e.end_month, 12)
        if start and start > today:
            issues.append(("experience", e, _("starts in the future")))
        elif not e.is_current and end and start and end < start:
            issues.append(("experience", e, _("ends before it starts")))
    current = f.current_positions
    if len(current) > MAX_CURRENT_POSITIONS:
        # The oldest of the "current" positions is the likeliest to have ended.
        oldest = sorted(current, key=lambda e: (e.start_year or 0, e.start_month or 1, e.pk or 0))[0]
        issues.append(("experience", oldest, _("is one of %(n)d current positions") % {"n": len(current)}))
    for ed in f.educations:
        if ed.start_year and ed.end_year and ed.end_year < ed.start_year:
            issues.append(("education", ed, _("ends before it starts")))
        elif ed.start_year and ed.start_year > f.today.year:
            issues.append(("education", ed, _("starts in the future")))
        elif ed.start_year and ed.end_year and ed.end_year - ed.start_year > EDUCATION_MAX_YEARS:
            issues.append(("education", ed, _("lasts more than %(n)d years") % {"n": EDUCATION_MAX_YEARS}))
        elif ed.end_year and ed.end_year > f.today.year + EDUCATION_MAX_YEARS_AHEAD:
            issues.append(("education", ed, _("ends too far in the future")))
    return issues


def _score_quality(s: _Scoring) -> None:
    f, p, w = s.facts, s.facts.profile, WEIGHTS["quality"]
    axis = "quality"

    words = _words(p.headline)
    specific = len(words) >= HEADLINE_MIN_WORDS or len(p.headline.strip()) >= HEADLINE_MIN_CHARS
    earned = w["headline_specific"] if specific else (3 if len(words) >= 2 else 0)
    s.credit(
        axis,
        "headline_specific",
        gettext_lazy("Specific headline (at least 5 words or 30 characters)"),
        earned,
        ngettext("Your headline has %(n)d word.", "Your headline has %(n)d words.", len(words))
        % {"n": len(words)}
        if words
        else _("No headline yet."),
    )
    if earned < w["headline_specific"]:
        if p.headline.strip():
            label = _("Make your headline more specific: what you do, for whom, how (5 words or more)")
            s.fix("headline_specific", label, _edit("intro"), axis, w["headline_specific"] - earned)
        else:
            s.fix("headline", "", "", axis, w["headline_specific"])

    n_about = len(_words(p.about))
    earned = w["about_length"] if n_about >= ABOUT_MIN_WORDS else (3 if n_about >= ABOUT_SHORT_WORDS else 0)
    s.credit(
        axis,
        "about_length",
        gettext_lazy("About section of at least 40 words"),
        earned,
        ngettext("Your About section has %(n)d word.", "Your About section has %(n)d words.", n_about)
        % {"n": n_about},
    )
    if earned < w["about_length"]:
        if p.about.strip():
            label = _("Expand your About section to at least %(min)d words (now %(n)d)") % {
                "min": ABOUT_MIN_WORDS,
                "n": n_about,
            }
            s.fix("about_length", label, _edit("about"), axis, w["about_length"] - earned)
        else:
            s.fix("about", "", "", axis, w["about_length"])

    weight = w["recent_described"]
    if f.recent:
        described = [e for e in f.recent if _described(e.description)]
        earned = weight * len(described) / len(f.recent)
        detail = ngettext(
            "%(done)d of %(all)d recent position has a description.",
            "%(done)d of %(all)d recent positions have a description.",
            len(f.recent),
        ) % {
            "done": len(described),
            "all": len(f.recent),
        }
        for e in f.recent:
            if not _described(e.description):
                s.fix(
                    f"describe_{e.pk}",
                    _("Describe what you do as %(position)s") % {"position": _position_name(e)},
                    _edit_item("experience", e.pk),
                    axis,
                    weight / len(f.recent),
                )
    else:
        earned = 0
        detail = _("No current or recent position (last %(n)d years).") % {"n": RECENT_YEARS}
        if f.experiences:
            s.fix(
                "recent_add",
                _("Add your current or most recent position, with a description"),
                _add("experience"),
                axis,
                weight,
            )
        else:
            s.fix("experience_add", "", "", axis, weight)
    s.credit(axis, "recent_described", gettext_lazy("A description on each recent position"), earned, detail)

    s.credit(axis, "photo", gettext_lazy("Photo"), w["photo"] if f.has_photo else 0)
    if not f.has_photo:
        s.fix("photo", "", "", axis, w["photo"])

    n_skills = len(f.skills)
    earned = min(n_skills, SKILLS_RECOMMENDED) * w["five_skills"] / SKILLS_RECOMMENDED
    s.credit(
        axis,
        "five_skills",
        gettext_lazy("At least 5 skills"),
        earned,
        ngettext("You list %(n)d skill.", "You list %(n)d skills.", n_skills) % {"n": n_skills},
    )
    if n_skills < SKILLS_RECOMMENDED:
        missing = SKILLS_RECOMMENDED - n_skills
        label = (
            ngettext("Add %(n)d skill (5 recommended)", "Add %(n)d skills (5 recommended)", missing)
            % {"n": missing}
            if n_skills == 0
            else ngettext(
                "Add %(n)d more skill (5 recommended)", "Add %(n)d more skills (5 recommended)", missing
            )
            % {"n": missing}
        )
        s.fix("skills_add", label, _add("skills"), axis, w["five_skills"] - earned)

    dated = bool(f.experiences or f.educations)
    issues = _date_issues(f)
    earned = w["dates_coherent"] if dated and not issues else 0
    if not dated:
        detail = _("No dated experience or education yet.")
        s.fix("experience_add", "", "", axis, w["dates_coherent"])
        s.fix("education_add", "", "", axis, w["dates_coherent"])
    elif issues:
        detail = "; ".join(f"{item}: {reason}" for _section, item, reason in issues)
        section, item, _reason = issues[0]
        s.fix(
            "dates",
            _("Fix the dates of “%(item)s”") % {"item": item},
            _edit_item(section, item.pk),
            axis,
            w["dates_coherent"],
        )
    else:
        detail = _("Your dates are consistent.")
    s.credit(axis, "dates_coherent", gettext_lazy("Consistent dates"), earned, detail)


def _orientation_criteria(f: _Facts, target: _Target | None) -> list[tuple[str, Any, float, str]]:
    """(code, label, earned, detail) for the orientation axis with `target` (None: no target)."""
    w = WEIGHTS["orientation"]
    p = f.profile
    labels = {
        "target": gettext_lazy("A target is chosen"),
        "headline": gettext_lazy("Headline speaks to the target"),
        "about": gettext_lazy("About section speaks to the target"),
        "skills": gettext_lazy("Skills match the target"),
        "recent_positions": gettext_lazy("Recent positions speak to the target"),
    }
    if target is None:
        return [(code, labels[code], 0, _("Choose a target first.")) for code in labels]
    texts = {
        "headline": [p.headline],
        "about": [p.about],
        "skills": [skill.name for skill in f.skills],
        "recent_positions": [f"{e.title}\n{e.description}" for e in f.recent],
    }
    rows: list[tuple[str, Any, float, str]] = [("target", labels["target"], w["target"], "")]
    for code, chunks in texts.items():
        found: list[str] = []
        for chunk in chunks:
            for word in target.matches(chunk):
                if word not in found:
                    found.append(word)
        if found:
            detail = _("Mentions: %(words)s.") % {"words": ", ".join(found[:5])}
        else:
            detail = _("No target keyword found.")
        rows.append((code, labels[code], w[code] if found else 0, detail))
    return rows


def _score_orientation(s: _Scoring, target: _Target | None) -> None:
    f, p, w = s.facts, s.facts.profile, WEIGHTS["orientation"]
    axis = "orientation"
    rows = _orientation_criteria(f, target)
    for code, label, earned, detail in rows:
        s.credit(axis, code, label, earned, detail)
    if target is None:
        # Choosing a target is always the first step. What it adds is known exactly for one choice,
        # the member's own industry; for any other target it is at least the points for choosing.
        if p.industry:
            guess = _orientation_criteria(f, _Target.of(p.industry, ""))
            gain = sum(row[2] for row in guess)
        else:
            gain = w["target"]
        s.fix("target", _("Choose a target: an industry or a goal"), _edit("target"), axis, gain)
        return
    example = target.example
    earned = {code: e for code, _label, e, _detail in rows}
    if not earned["headline"]:
        s.fix(
            "target_headline",
            _("Mention your target (e.g. %(example)s) in your headline") % {"example": example},
            _edit("intro"),
            axis,
            w["headline"],
        )
    if not earned["about"]:
        s.fix(
            "target_about",
            _("Say how you relate to your target (e.g. %(example)s) in your About section")
            % {"example": example},
            _edit("about"),
            axis,
            w["about"],
        )
    if not earned["skills"]:
        s.fix(
            "target_skills",
            _("Add a skill related to your target (e.g. %(example)s)") % {"example": example},
            _add("skills"),
            axis,
            w["skills"],
        )
    if not earned["recent_positions"] and f.recent:
        latest = f.recent[0]
        s.fix(
            "target_position",
            _("Show how %(position)s relates to your target (e.g. %(example)s)")
            % {"position": _position_name(latest), "example": example},
            _edit_item("experience", latest.pk),
            axis,
            w["recent_positions"],
        )


# --------------------------------------------------------------------------------------- All-Star bar


ALL_STAR_MIN_CONNECTIONS = 50


def all_star_connections_requirement(profile: Profile) -> BarItem | None:
    """LinkedIn's All-Star bar also asks for 50+ connections (counted by the graph index, no query)."""
    from entregent.network import graph

    count = graph.get_index().connection_count(profile.user_id)
    return BarItem(
        "connections",
        gettext_lazy("At least %(n)d connections") % {"n": ALL_STAR_MIN_CONNECTIONS},
        count >= ALL_STAR_MIN_CONNECTIONS,
    )


def _all_star_bar(f: _Facts) -> list[tuple[BarItem, str, str, str]]:
    """Each bar item, with the code and label of the next step that meets it, and its URL."""
    p = f.profile
    current_described = any(_described(e.description) for e in f.current_positions)
    current_undescribed = next((e for e in f.current_positions if not _described(e.description)), None)
    if current_undescribed is not None:
        current_step = (
            f"describe_{current_undescribed.pk}",
            _("Describe what you do as %(position)s") % {"position": _position_name(current_undescribed)},
            _edit_item("experience", current_undescribed.pk),
        )
    else:
        # Same code as the step the score already proposes for it, so the two merge into one.
        current_step = (
            "experience_add" if not f.experiences else "recent_add" if not f.recent else "current_add",
            _("Add your current position, with a description"),
            _add("experience"),
        )
    n_past = len(f.past_positions)
    items = [
        (
            BarItem("industry", gettext_lazy("Industry"), bool(p.industry)),
            ("industry", _("Choose your industry"), _edit("intro")),
        ),
        (
            BarItem("location", gettext_lazy("Location"), bool(p.city.strip() and p.country)),
            ("location", _("Add your location (city and country)"), _edit("intro")),
        ),
        (
            BarItem(
                "current_position", gettext_lazy("A current position with a description"), current_described
            ),
            current_step,
        ),
        (
            BarItem("past_positions", gettext_lazy("Two past positions"), n_past >= ALL_STAR_PAST_POSITIONS),
            (
                "past_add",
                _("Add a past position (%(n)d of %(total)d)")
                % {"n": min(n_past + 1, ALL_STAR_PAST_POSITIONS), "total": ALL_STAR_PAST_POSITIONS},
                _add("experience"),
            ),
        ),
        (
            BarItem("education", gettext_lazy("Education"), bool(f.educations)),
            ("education_add", _("Add your education"), _add("education")),
        ),
        (
            BarItem("skills", gettext_lazy("At least 3 skills"), len(f.skills) >= ALL_STAR_MIN_SKILLS),
            ("skills_add", _("Add skills (at least 3)"), _add("skills")),
        ),
        (
            BarItem("photo", gettext_lazy("Photo"), f.has_photo),
            ("photo", _("Add a profile photo"), _edit("photo")),
        ),
    ]
    connections = all_star_connections_requirement(p)
    if connections is not None:
        items.append(
            (
                connections,
                (
                    "connections",
                    _("Grow your network to %(n)d connections: see people you may know")
                    % {"n": ALL_STAR_MIN_CONNECTIONS},
                    reverse("network:suggestions"),
                ),
            )
        )
    return [(item, code, label, url) for item, (code, label, url) in items]


# --------------------------------------------------------------------------------------------- entry


def completeness_for(profile: Profile, *, today: dt.date | None = None) -> Completeness:
    """The profile's strength, level, per-axis explanation and next steps. Reads each section once."""
    facts = _Facts.of(profile, today or timezone.localdate())
    has_target = bool(profile.target_industry or profile.target_goal.strip())
    target = _Target.of(profile.target_industry, profile.target_goal) if has_target else None

    scoring = _Scoring(facts)
    _score_quantity(scoring)
    _score_quality(scoring)
    _score_orientation(scoring, target)

    raw = {axis: min(scoring.raw(axis), AXIS_MAX[axis]) for axis in WEIGHTS}
    axis_scores = {axis: _half_up(value) for axis, value in raw.items()}
    score = sum(axis_scores.values())
    axes = tuple(
        Axis(axis, AXIS_LABELS[axis], axis_scores[axis], AXIS_MAX[axis], tuple(scoring.criteria[axis]))
        for axis in WEIGHTS
    )

    bar = _all_star_bar(facts)
    bar_met = all(item.met for item, *_step in bar)
    level = level_for(score, bar_met=bar_met)

    def gain_of(fix: _Fix) -> int:
        points = sum(
            _half_up(min(raw[axis] + extra, AXIS_MAX[axis])) - axis_scores[axis]
            for axis, extra in fix.gains.items()
        )
        # A fraction of a point can vanish in the rounding; a step that adds something never shows +0.
        return max(points, 1) if sum(fix.gains.values()) > 0 else points

    steps: list[tuple[tuple, NextStep]] = []
    for fix in scoring.fixes.values():
        if not fix.label:  # a gain filed under a step another criterion labels; never labelled: skip
            continue
        step = NextStep(fix.code, fix.label, gain_of(fix), fix.url)
        first = 0 if fix.code == "target" else 1
        steps.append(((first, -step.gain, fix.rank), step))
    blocking = score >= LEVELS[0][0] and not bar_met
    if blocking:
        # Score enough for All-Star but not LinkedIn's bar: the missing bar items are the next steps.
        by_code = {step.code: (key, step) for key, step in steps}
        for item, code, label, url in bar:
            if item.met:
                continue
            if code in by_code:
                key, step = by_code[code]
                steps.remove((key, step))
                steps.append(((0, *key[1:]), replace(step, for_all_star=True)))
            else:
                steps.append(((0, 0, 1000 + len(steps)), NextStep(code, label, 0, url, for_all_star=True)))
    steps.sort(key=lambda pair: pair[0])

    return Completeness(
        score=score,
        level=level,
        axes=axes,
        next_steps=tuple(step for _key, step in steps),
        all_star_bar=tuple(item for item, *_step in bar),
        has_target=has_target,
        target_industry=industry_label(profile.target_industry),
        target_goal=profile.target_goal.strip(),
        target_keywords=target.keywords if target else (),
    )
