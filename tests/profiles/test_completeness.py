"""The completeness coach: scores per axis, levels and the All-Star bar, orientation toward a target,
next steps (order, gains, links) and where the meter shows. Expected numbers come from the weight table
in entregent/profiles/completeness.py."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from entregent.profiles import models as pm
from entregent.profiles.completeness import AXIS_MAX, WEIGHTS, completeness_for, level_for
from tests.factories import (
    EducationFactory,
    ExperienceFactory,
    ProfileFactory,
    SkillFactory,
    give_connections,
)

pytestmark = pytest.mark.django_db

Y = timezone.localdate().year
DESCRIPTION = "Built and ran the Python platform that serves forty retail stores across France."
ABOUT = " ".join(
    "Ingénieure logiciel depuis dix ans, je conçois des plateformes Python fiables pour le commerce de "
    "détail. J'aime les équipes autonomes, les tests automatisés et les mises en production sans stress. "
    "Je cherche à rejoindre une équipe produit ambitieuse qui vend en ligne et en magasin partout en "
    "Europe.".split()
)
assert len(ABOUT.split()) >= 40

EMPTY: dict = {
    "photo": False,
    "headline": "",
    "about": "",
    "city": "",
    "country": "",
    "industry": "",
    "open_to_mentoring": False,
    "target_industry": "",
    "target_goal": "",
    "positions": [],
    "schools": [],
    "skills": [],
    "languages": 0,
    "extras": 0,
    "contacts": 0,
    "connections": 0,
}
# title, start year, end year (None: current), description
FULL: dict = {
    "photo": True,
    "headline": "Ingénieure logiciel Python pour le commerce de détail",
    "about": ABOUT,
    "city": "Lyon",
    "country": "FR",
    "industry": "software",
    "open_to_mentoring": True,
    "target_industry": "software",
    "target_goal": "",
    "positions": [
        ("Ingénieure logiciel senior", Y - 2, None, DESCRIPTION),
        ("Développeuse Python", Y - 5, Y - 2, DESCRIPTION),
        ("Développeuse junior", Y - 7, Y - 5, DESCRIPTION),
    ],
    "schools": [(Y - 12, Y - 7)],
    "skills": ["Python", "Django", "PostgreSQL", "Gestion de projet", "Scrum"],
    "languages": 1,
    "extras": 1,
    "contacts": 1,
    "connections": 50,
}


def build(**overrides) -> pm.Profile:
    """A profile described by EMPTY updated with `overrides` (a test's row of the table)."""
    spec = {**EMPTY, **overrides}
    profile = ProfileFactory(
        photo="photos/face.jpg" if spec["photo"] else "",
        photo_small="photos/face-small.jpg" if spec["photo"] else "",
        **{
            key: spec[key]
            for key in (
                "headline",
                "about",
                "city",
                "country",
                "industry",
                "open_to_mentoring",
                "target_industry",
                "target_goal",
            )
        },
    )
    for title, start, end, description in spec["positions"]:
        ExperienceFactory(
            profile=profile,
            title=title,
            start_year=start,
            end_year=end,
            end_month=12 if end else None,
            is_current=end is None,
            description=description,
        )
    for start, end in spec["schools"]:
        EducationFactory(profile=profile, start_year=start, end_year=end)
    for name in spec["skills"]:
        SkillFactory(profile=profile, name=name)
    for i in range(spec["languages"]):
        pm.Language.objects.create(profile=profile, name=f"Language {i}", proficiency="native")
    for i in range(spec["extras"]):
        pm.Project.objects.create(profile=profile, title=f"Project {i}")
    for i in range(spec["contacts"]):
        pm.ContactDetail.objects.create(profile=profile, kind="website", value=f"https://example.org/{i}")
    if spec["connections"]:
        give_connections(profile.user, spec["connections"])
    return profile


def full(**changes) -> pm.Profile:
    return build(**{**FULL, **changes})


def axis_scores(result) -> tuple[int, int, int]:
    return (result.quantity.score, result.quality.score, result.orientation.score)


# ---------------------------------------------------------------------------------- whole profiles


def test_weights_add_up_to_one_hundred():
    assert AXIS_MAX == {"quantity": 40, "quality": 35, "orientation": 25}
    assert sum(AXIS_MAX.values()) == 100


PROFILES = [
    # id, changes to FULL (None: start from EMPTY), (quantity, quality, orientation), score, level
    ("empty", None, (0, 0, 0), 0, "beginner"),
    ("all-star", {}, (40, 35, 25), 100, "all_star"),
    ("no target", {"target_industry": ""}, (40, 35, 0), 75, "advanced"),
    ("one-word headline", {"headline": "Ingénieure"}, (40, 28, 25), 93, "all_star"),
    ("three-word headline", {"headline": "Ingénieure logiciel senior"}, (40, 31, 25), 96, "all_star"),
    ("short about", {"about": " ".join(["mot"] * 20) + " logiciel"}, (40, 31, 25), 96, "all_star"),
    ("three skills", {"skills": ["Python", "Django", "Scrum"]}, (40, 33, 25), 98, "all_star"),
    ("dates: education of 20 years", {"schools": [(Y - 30, Y - 10)]}, (40, 32, 25), 97, "all_star"),
    # >= 90 but LinkedIn's bar is not met: Advanced
    ("no photo", {"photo": False}, (35, 30, 25), 90, "advanced"),
    ("two skills", {"skills": ["Python", "Django"]}, (40, 32, 25), 97, "advanced"),
    ("city only", {"country": ""}, (38, 35, 25), 98, "advanced"),
    ("no industry", {"industry": ""}, (37, 35, 25), 97, "advanced"),
    ("no education", {"schools": []}, (35, 35, 25), 95, "advanced"),
    ("one past position", {"positions": FULL["positions"][:2]}, (40, 35, 25), 100, "advanced"),
    (
        "current position undescribed",
        {"positions": [(*FULL["positions"][0][:3], ""), *FULL["positions"][1:]]},
        (40, 32, 25),  # 2 of 3 recent positions described: 8 * 2/3 = 5.33
        97,
        "advanced",
    ),
]


@pytest.mark.parametrize(
    ("changes", "axes", "score", "level"),
    [row[1:] for row in PROFILES],
    ids=[row[0] for row in PROFILES],
)
def test_profile_scores_on_each_axis_and_level(changes, axes, score, level):
    profile = build() if changes is None else full(**changes)
    result = completeness_for(profile)
    assert axis_scores(result) == axes
    assert result.score == score == sum(axes)
    assert result.level.code == level


def test_a_starter_profile_is_intermediate_with_every_point_explained():
    profile = build(
        photo=True,
        headline="Product manager",
        city="Nantes",
        country="FR",
        industry="retail",
        target_goal="find clients in retail",
        positions=[("Product manager", Y - 1, None, DESCRIPTION)],
        skills=["Retail", "Pricing", "SQL"],
    )
    result = completeness_for(profile)
    # quantity: photo 5 + headline 4 + location 3 + industry 3 + experience 6 + skills 4
    # quality: 2-word headline 3 + described position 8 + photo 5 + 3 skills 3 + dates 3
    # orientation: target 5 + a skill "Retail" 5 + the position mentions "retail" 4
    assert axis_scores(result) == (25, 22, 14)
    assert (result.score, result.level.code) == (61, "intermediate")
    for axis in result.axes:
        assert sum(c.max for c in axis.criteria) == axis.max
        assert round(sum(c.earned for c in axis.criteria)) == axis.score
    assert result.quantity.percentage == 63  # 25 of 40, rounded half up
    assert result.points_to_next_level == 14
    assert result.next_level.code == "advanced"


@pytest.mark.parametrize(
    ("score", "bar_met", "level"),
    [
        (0, True, "beginner"),
        (49, True, "beginner"),
        (50, True, "intermediate"),
        (74, True, "intermediate"),
        (75, True, "advanced"),
        (89, True, "advanced"),
        (90, True, "all_star"),
        (100, True, "all_star"),
        (90, False, "advanced"),
        (100, False, "advanced"),
        (49, False, "beginner"),
    ],
)
def test_level_boundaries(score, bar_met, level):
    assert level_for(score, bar_met=bar_met).code == level


def test_level_labels_are_translated():
    from django.utils import translation

    with translation.override("en"):
        assert str(level_for(60, bar_met=True).label) == "Intermediate"
    assert str(level_for(95, bar_met=True).label) == "All-Star"


# ------------------------------------------------------------------------------------------- axes


@pytest.mark.parametrize(
    ("field", "value", "lost"),
    [
        ("photo", False, WEIGHTS["quantity"]["photo"]),
        ("headline", "", WEIGHTS["quantity"]["headline"]),
        ("about", "", WEIGHTS["quantity"]["about"]),
        ("city", "", WEIGHTS["quantity"]["location"] - 1),
        ("industry", "", WEIGHTS["quantity"]["industry"]),
        ("positions", [], WEIGHTS["quantity"]["experience"]),
        ("schools", [], WEIGHTS["quantity"]["education"]),
        ("skills", [], WEIGHTS["quantity"]["skills"]),
        ("languages", 0, WEIGHTS["quantity"]["languages"]),
        ("extras", 0, WEIGHTS["quantity"]["extras"]),
        ("contacts", 0, WEIGHTS["quantity"]["contacts"]),
        ("open_to_mentoring", False, WEIGHTS["quantity"]["open_to"]),
    ],
)
def test_quantity_counts_each_section(field, value, lost):
    assert completeness_for(full(**{field: value})).quantity.score == 40 - lost


@pytest.mark.parametrize(
    ("headline", "points"),
    [
        ("", 0),
        ("Engineer", 0),
        ("Software engineer", 3),
        ("Chef de projet digital", 3),
        ("Senior backend engineer, payments", 7),  # 4 words but 33 characters
        ("I help shops sell more", 7),  # 5 words
    ],
)
def test_quality_wants_a_specific_headline(headline, points):
    result = completeness_for(build(headline=headline))
    assert _criterion(result.quality, "headline_specific").earned == points


@pytest.mark.parametrize(("words", "points"), [(0, 0), (14, 0), (15, 3), (39, 3), (40, 7), (120, 7)])
def test_quality_wants_an_about_of_forty_words(words, points):
    result = completeness_for(build(about=" ".join(["mot"] * words)))
    assert _criterion(result.quality, "about_length").earned == points


@pytest.mark.parametrize(("count", "points"), [(0, 0), (1, 1), (4, 4), (5, 5), (12, 5)])
def test_quality_wants_five_skills(count, points):
    result = completeness_for(build(skills=[f"Skill {i}" for i in range(count)]))
    assert _criterion(result.quality, "five_skills").earned == points


@pytest.mark.parametrize(
    ("positions", "points"),
    [
        ([], 0),
        ([("Engineer", Y - 1, None, DESCRIPTION)], 8),
        ([("Engineer", Y - 1, None, "Did things.")], 0),  # fewer than 5 words is not a description
        ([("Engineer", Y - 1, None, DESCRIPTION), ("Intern", Y - 3, Y - 2, "")], 4),
        # positions that ended more than 5 years ago are not "recent" and do not count either way
        ([("Engineer", Y - 1, None, DESCRIPTION), ("Intern", Y - 12, Y - 10, "")], 8),
        ([("Intern", Y - 12, Y - 10, DESCRIPTION)], 0),
    ],
)
def test_quality_wants_a_description_on_each_recent_position(positions, points):
    result = completeness_for(build(positions=positions))
    assert _criterion(result.quality, "recent_described").earned == pytest.approx(points)


def _incoherent(kind: str, profile: pm.Profile) -> None:
    # Forms refuse these; imports and older data may still hold them, so rows are written directly.
    if kind == "experience ends before it starts":
        pm.Experience.objects.create(
            profile=profile,
            title="Analyst",
            company_name="X",
            start_month=1,
            start_year=Y - 2,
            end_year=Y - 4,
        )
    elif kind == "experience starts in the future":
        pm.Experience.objects.create(
            profile=profile,
            title="Analyst",
            company_name="X",
            start_month=1,
            start_year=Y + 1,
            is_current=True,
        )
    elif kind == "three current positions":
        for i in range(3):
            ExperienceFactory(profile=profile, title=f"Role {i}", start_year=Y - 1 - i, is_current=True)
    elif kind == "education ends before it starts":
        pm.Education.objects.create(profile=profile, school="École", start_year=Y - 5, end_year=Y - 9)
    elif kind == "education of 20 years":
        EducationFactory(profile=profile, start_year=Y - 25, end_year=Y - 5)
    elif kind == "education ends too far ahead":
        EducationFactory(profile=profile, start_year=Y - 1, end_year=Y + 10)


@pytest.mark.parametrize(
    "kind",
    [
        "experience ends before it starts",
        "experience starts in the future",
        "three current positions",
        "education ends before it starts",
        "education of 20 years",
        "education ends too far ahead",
    ],
)
def test_incoherent_dates_lose_their_points_and_point_to_the_item(kind):
    profile = full()
    _incoherent(kind, profile)
    result = completeness_for(profile)
    assert _criterion(result.quality, "dates_coherent").earned == 0
    step = _step(result, "dates")
    assert step.gain == WEIGHTS["quality"]["dates_coherent"]
    assert re.fullmatch(r"/in/me/edit/(experience|education)/\d+/", step.url)


def test_coherent_dates_need_something_dated():
    assert _criterion(completeness_for(build()).quality, "dates_coherent").earned == 0
    assert _criterion(completeness_for(build(schools=[(Y - 5, Y - 2)])).quality, "dates_coherent").earned == 3


def test_two_current_positions_are_fine():
    positions = [("Founder", Y - 3, None, DESCRIPTION), ("Lecturer", Y - 2, None, DESCRIPTION)]
    result = completeness_for(build(positions=positions))
    assert _criterion(result.quality, "dates_coherent").earned == 3


# ------------------------------------------------------------------------------------ orientation


def test_without_a_target_orientation_is_zero_and_choosing_one_comes_first():
    result = completeness_for(full(target_industry="", target_goal=""))
    assert result.orientation.score == 0
    assert not result.has_target
    first = result.next_steps[0]
    assert first.code == "target"
    assert first.url == reverse("profiles:edit") + "#target"
    # Its gain is exact for the member's own industry: this profile already speaks to it fully.
    assert first.gain == 25


def test_choosing_a_target_comes_first_even_when_it_adds_little():
    result = completeness_for(build())
    assert result.next_steps[0].code == "target"
    assert result.next_steps[0].gain == WEIGHTS["orientation"]["target"]
    assert result.next_steps[0].gain < result.next_steps[1].gain


@pytest.mark.parametrize(
    ("headline", "matches"),
    [
        ("Ingénieur logiciel", True),
        ("ingenieur", True),
        ("INGÉNIEURE", True),
        ("Ingénieurs cloud", True),
        ("Chef de cuisine", False),
        ("Ingénierie", False),
    ],
)
def test_headline_matches_the_target_industry_accents_and_case_ignored(headline, matches):
    result = completeness_for(build(headline=headline, target_industry="software"))
    earned = _criterion(result.orientation, "headline").earned
    assert earned == (WEIGHTS["orientation"]["headline"] if matches else 0)


def test_goal_words_count_as_keywords_and_are_quoted_as_written():
    profile = build(
        headline="Ingenieur commercial",
        about="Vingt ans à accompagner la Grande Distribution et ses fournisseurs.",
        target_goal="Devenir ingénieur dans la grande distribution",
    )
    result = completeness_for(profile)
    assert set(result.target_keywords) == {"ingenieur", "grande", "distribution"}
    assert _criterion(result.orientation, "headline").earned == 6
    about = _criterion(result.orientation, "about")
    assert about.earned == 5
    assert "Grande" in about.detail and "Distribution" in about.detail


def test_goal_made_of_stop_words_gives_no_keyword():
    result = completeness_for(build(headline="Emploi et travail", target_goal="trouver un emploi"))
    assert result.has_target
    assert result.target_keywords == ()
    assert axis_scores(result)[2] == WEIGHTS["orientation"]["target"]


def test_plural_goal_words_match_the_singular():
    result = completeness_for(build(headline="Je trouve des client", target_goal="find clients in retail"))
    assert _criterion(result.orientation, "headline").earned == 6


def test_two_letter_keywords_only_count_in_capitals():
    target = {"target_industry": "it_services"}
    assert _criterion(
        completeness_for(build(headline="Responsable IT", **target)).orientation, "headline"
    ).met
    assert not _criterion(
        completeness_for(build(headline="Make it happen", **target)).orientation, "headline"
    ).met


def test_orientation_reads_skills_and_recent_positions_only():
    old = ("Ingénieur logiciel", Y - 15, Y - 10, DESCRIPTION)
    result = completeness_for(build(target_industry="software", positions=[old], skills=["Java"]))
    assert _criterion(result.orientation, "skills").met
    assert not _criterion(result.orientation, "recent_positions").met  # ended more than 5 years ago


def test_orientation_next_steps_quote_the_target():
    profile = build(target_goal="find clients in retail", positions=[("Analyst", Y - 1, None, DESCRIPTION)])
    result = completeness_for(profile)
    codes = {step.code: step for step in result.next_steps}
    assert "clients" in codes["target_headline"].label
    assert codes["target_headline"].url == reverse("profiles:edit") + "#intro"
    assert codes["target_about"].url == reverse("profiles:edit") + "#about"
    assert codes["target_skills"].url == reverse("profiles:section_add", args=["skills"])
    assert "target_position" not in codes  # the description already says "retail"


# ------------------------------------------------------------------------------------- next steps


def test_next_steps_are_ordered_by_what_they_add():
    result = completeness_for(build(headline="Engineer", target_industry="software"))
    gains = [step.gain for step in result.next_steps]
    assert gains == sorted(gains, reverse=True)
    assert all(gain > 0 for gain in gains)
    assert 3 <= len(result.top_steps) <= 5
    assert result.top_steps == result.next_steps[:5]


def test_empty_profile_next_steps_link_to_the_right_forms():
    steps = {step.code: step for step in completeness_for(build()).next_steps}
    edit = reverse("profiles:edit")
    assert steps["photo"].url == edit + "#photo"
    assert steps["photo"].gain == 10  # 5 for quantity and 5 for quality
    assert steps["headline"].url == edit + "#intro"
    assert steps["headline"].gain == 11
    assert steps["about"].url == edit + "#about"
    assert steps["open_to"].url == edit + "#open-to"
    for code, section in [
        ("experience_add", "experience"),
        ("education_add", "education"),
        ("skills_add", "skills"),
        ("languages_add", "languages"),
        ("extras_add", "certifications"),
        ("contacts_add", "contacts"),
    ]:
        assert steps[code].url == reverse("profiles:section_add", args=[section])
    # a described current position: 6 (section) + 8 (described) + 3 (first dated item)
    assert steps["experience_add"].gain == 17


def test_an_undescribed_position_links_to_its_edit_form():
    profile = build(positions=[("Analyst", Y - 1, None, ""), ("Intern", Y - 2, Y - 1, DESCRIPTION)])
    analyst = profile.experiences.get(title="Analyst")
    step = _step(completeness_for(profile), f"describe_{analyst.pk}")
    assert step.url == reverse("profiles:section_edit", args=["experience", analyst.pk])
    assert "Analyst" in step.label
    assert step.gain == 4  # half of the 8 points: one of two recent positions


SIMPLE_STEPS = [
    ("photo", {"photo": "photos/face.jpg"}),
    ("industry", {"industry": "software"}),
    ("location", {"city": "Lyon", "country": "FR"}),
    ("open_to", {"open_to_business": True}),
    ("headline_specific", {"headline": "I help retailers sell more online"}),
]


@pytest.mark.parametrize(("code", "fields"), SIMPLE_STEPS, ids=[row[0] for row in SIMPLE_STEPS])
def test_doing_a_next_step_adds_exactly_the_points_it_announced(code, fields):
    profile = build(headline="Engineer", positions=[("Analyst", Y - 1, None, DESCRIPTION)])
    before = completeness_for(profile)
    step = _step(before, code)
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.save()
    after = completeness_for(pm.Profile.objects.get(pk=profile.pk))
    assert after.score - before.score == step.gain
    assert code not in {s.code for s in after.next_steps}


def test_score_above_ninety_without_the_bar_lists_the_missing_bar_items_first():
    result = completeness_for(full(positions=FULL["positions"][:2], skills=["Python", "Django"]))
    assert result.score >= 90
    assert result.level.code == "advanced"
    assert {item.code for item in result.bar_missing} == {"past_positions", "skills"}
    first, second = result.next_steps[:2]
    assert first.for_all_star and second.for_all_star
    assert {first.code, second.code} == {"past_add", "skills_add"}
    urls = {first.url, second.url}
    assert urls == {
        reverse("profiles:section_add", args=["experience"]),
        reverse("profiles:section_add", args=["skills"]),
    }
    assert not any(step.for_all_star for step in result.next_steps[2:])
    assert result.next_level.code == "all_star"


def test_an_all_star_profile_has_nothing_left_to_do():
    result = completeness_for(full())
    assert result.is_all_star
    assert result.next_steps == ()
    assert result.next_level is None
    assert all(item.met for item in result.all_star_bar)


def test_the_all_star_bar_counts_real_connections():
    codes = {item.code for item in completeness_for(full()).all_star_bar}
    assert codes == {
        "industry",
        "location",
        "current_position",
        "past_positions",
        "education",
        "skills",
        "photo",
        "connections",
    }
    result = completeness_for(full(connections=49))
    assert result.level.code == "advanced"
    assert {item.code for item in result.bar_missing} == {"connections"}
    assert result.next_steps[0].code == "connections"
    assert result.next_steps[0].url == reverse("network:suggestions")


def test_the_coach_is_deterministic():
    profile = build(headline="Engineer", target_goal="find clients in retail", skills=["Retail"])
    assert completeness_for(profile) == completeness_for(pm.Profile.objects.get(pk=profile.pk))


# ------------------------------------------------------------------------------------ performance


def test_the_coach_reads_each_section_once_whatever_its_size(warm_graph, django_assert_max_num_queries):
    small = build(headline="Engineer")
    big = full(
        skills=[f"Skill {i}" for i in range(40)],
        positions=FULL["positions"] * 6,
        schools=[(Y - 12, Y - 7)] * 5,
        languages=5,
        extras=8,
        contacts=6,
    )
    for profile in (small, big):
        fresh = pm.Profile.objects.get(pk=profile.pk)
        warm_graph()
        with django_assert_max_num_queries(8):
            completeness_for(fresh)


def test_the_coach_reuses_sections_already_prefetched(warm_graph, django_assert_num_queries):
    from django.db.models import prefetch_related_objects

    profile = pm.Profile.objects.get(pk=full().pk)
    prefetch_related_objects([profile], "experiences", "skills")
    warm_graph()
    with django_assert_num_queries(6):
        completeness_for(profile)


# ------------------------------------------------------------------------------------------ pages


def test_meter_shows_on_the_owners_home_page(client):
    profile = build(headline="Engineer", photo=True)
    client.force_login(profile.user)
    result = completeness_for(profile)
    html = client.get("/").content.decode()
    label = f'aria-label="Profile strength: {result.score} out of 100, Beginner"'
    assert label in html
    assert 'role="img"' in html
    assert html.count("<meter") == 3
    assert f'stroke-dashoffset="{result.ring_offset}"' in html
    assert result.next_steps[0].url in html
    assert "How is this calculated?" in html


def test_meter_shows_on_the_owners_profile(client):
    profile = full(photo=False)
    client.force_login(profile.user)
    html = client.get(profile.get_absolute_url()).content.decode()
    assert 'aria-label="Profile strength: 90 out of 100, Advanced"' in html
    assert "Needed for All-Star" in html
    assert f'href="{reverse("profiles:edit")}#photo"' in html


def test_another_member_never_sees_the_meter(client, bob):
    profile = build(headline="Engineer")
    client.force_login(bob)
    response = client.get(profile.get_absolute_url())
    assert response.status_code == 200
    assert "Profile strength" not in response.content.decode()


def test_meter_hidden_from_visitors_and_in_previews(client):
    profile = build(headline="Engineer")
    assert "Profile strength" not in client.get(profile.get_absolute_url()).content.decode()
    client.force_login(profile.user)
    preview = client.get(profile.get_absolute_url() + "?view=member").content.decode()
    assert "Profile strength" not in preview


def test_meter_uses_no_inline_style_and_stays_valid_in_french(client):
    profile = build(headline="Ingénieur", photo=True, target_industry="software")
    client.force_login(profile.user)
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    card = html[html.index('class="card completeness"') :]
    card = card[: card.index("</section>")]
    assert "style=" not in card
    offset = re.search(r'stroke-dashoffset="([^"]+)"', card).group(1)
    assert re.fullmatch(r"\d+\.\d\d", offset)


def test_home_page_query_count_does_not_grow_with_the_profile(
    client, warm_graph, django_assert_max_num_queries
):
    small = build(headline="Engineer")
    big = full(skills=[f"Skill {i}" for i in range(40)], positions=FULL["positions"] * 6, extras=8)
    counts = []
    for profile in (small, big):
        client.force_login(profile.user)
        warm_graph()
        with django_assert_max_num_queries(23) as captured:  # with people you may know
            client.get("/")
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


# ---------------------------------------------------------------------------------------- helpers


def _criterion(axis, code):
    return next(c for c in axis.criteria if c.code == code)


def _step(result, code):
    return next(step for step in result.next_steps if step.code == code)
