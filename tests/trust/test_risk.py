"""The risk score: each signal on its own, its thresholds, the levels, and bounded queries for a list."""

import datetime as dt

import pytest

from entregent.network.models import Invitation, TriageAction
from entregent.profiles.models import Language
from entregent.trust import risk
from entregent.trust.models import ModerationAction, Report
from entregent.trust.selectors import HIGH, LOW, MEDIUM, risk_of, risks_of
from tests.factories import ExperienceFactory, member
from tests.trust.conftest import aged, bare, crowd, invite, solid

pytestmark = pytest.mark.django_db


def codes(user) -> set[str]:
    return {signal.code for signal in risk_of(user).signals}


def test_a_solid_member_has_no_risk():
    user = solid()
    result = risk_of(user)
    assert (result.level, result.score, result.reasons) == (LOW, 0, [])


def test_no_photo():
    user = solid(photo="")
    assert codes(user) == {"no_photo"}
    assert risk_of(user).reasons == ["no photo"]
    assert risk_of(user).score == risk.NO_PHOTO_POINTS


def test_a_sparse_profile_says_how_many_sections_are_filled_in():
    user = bare(photo="photos/face.jpg", headline="")
    result = risk_of(user)
    assert "sparse_profile" in codes(user)
    assert "sparse profile (1 of 12 sections filled in)" in result.reasons


def test_a_profile_filled_in_enough_is_not_sparse():
    user = bare(photo="photos/face.jpg", about="About me", city="Lyon", country="FR")
    ExperienceFactory(profile=user.profile)
    assert "sparse_profile" not in codes(user)  # 5 photo + 4 headline + 4 about + 3 location + 6 = 22


@pytest.mark.parametrize(
    ("days", "code", "reason"),
    [
        (0, "new_account", "account created today"),
        (1, "new_account", "account created 1 day ago"),
        (2, "new_account", "account created 2 days ago"),
        (6, "new_account", "account created 6 days ago"),
        (7, "young_account", "account created 7 days ago"),
        (29, "young_account", "account created 29 days ago"),
    ],
)
def test_account_age(days, code, reason):
    user = aged(solid(), days)
    result = risk_of(user)
    assert codes(user) == {code}
    assert result.reasons == [reason]


def test_an_account_a_month_old_is_not_young():
    assert codes(aged(solid(), 30)) == set()


@pytest.mark.parametrize(("sent", "points"), [(19, 0), (20, 15), (49, 15), (50, 25)])
def test_invitations_sent_in_the_last_24_hours(sent, points):
    user = solid()
    invite(user, crowd(sent))
    result = risk_of(user)
    assert result.score == points
    if points:
        assert result.reasons == [f"{sent} invitations sent in the last 24 hours"]


def test_invitations_older_than_a_day_do_not_count_for_the_day():
    user = solid()
    invite(user, crowd(30), ago=dt.timedelta(hours=25))
    assert "invitations_day" not in codes(user)


def test_share_of_invitations_ignored_declined_or_reported():
    user = solid()
    others = crowd(20)
    old = dt.timedelta(days=3)
    invite(user, others[:4], status=Invitation.Status.IGNORED, ago=old)
    invite(user, others[4:6], ago=old, triage_action=TriageAction.DECLINE)
    invite(user, others[6:10], ago=old)
    for reporter in others[6:10]:  # their recipients reported the sender
        Report.objects.create(reporter=reporter, reported=user, reason="spam")
    invite(user, others[10:], status=Invitation.Status.ACCEPTED, ago=old)
    result = risk_of(user)
    signal = next(s for s in result.signals if s.code == "ignored")
    assert signal.points == risk.IGNORED_HIGH_POINTS  # 10 of 20 = 50 %
    assert signal.reason == "10 of 20 invitations sent in the last 30 days ignored or reported"


def test_a_lower_share_of_ignored_invitations_weighs_less():
    user = solid()
    others = crowd(10)
    invite(user, others[:3], status=Invitation.Status.IGNORED, ago=dt.timedelta(days=2))
    invite(user, others[3:], status=Invitation.Status.ACCEPTED, ago=dt.timedelta(days=2))
    signal = next(s for s in risk_of(user).signals if s.code == "ignored")
    assert signal.points == risk.IGNORED_POINTS  # 30 %


def test_few_invitations_or_old_ones_say_nothing_about_the_share():
    user = solid()
    invite(user, crowd(9), status=Invitation.Status.IGNORED, ago=dt.timedelta(days=2))
    invite(user, crowd(10), status=Invitation.Status.IGNORED, ago=dt.timedelta(days=31))
    assert "ignored" not in codes(user)


def test_a_dismissed_report_does_not_count_as_reported():
    user = solid()
    others = crowd(10)
    invite(user, others, ago=dt.timedelta(days=2))
    for reporter in others[:5]:
        Report.objects.create(reporter=reporter, reported=user, reason="spam", status=Report.Status.DISMISSED)
    assert "ignored" not in codes(user)


def test_many_invitations_far_outside_the_industry_and_country():
    user = solid(industry="banking", country="FR")
    far = crowd(8, industry="agriculture", country="BR")
    near = [member(industry="banking", country="BR"), member(industry="agriculture", country="FR")]
    invite(user, far + near, status=Invitation.Status.ACCEPTED, ago=dt.timedelta(days=2))
    result = risk_of(user)
    signal = next(s for s in result.signals if s.code == "far_outside")
    assert signal.reason == "8 of 10 recent invitations to people in another industry and country"


def test_invitations_to_people_whose_industry_is_unknown_are_not_far():
    user = solid(industry="banking", country="FR")
    invite(user, crowd(10, country="BR"), status=Invitation.Status.ACCEPTED, ago=dt.timedelta(days=2))
    assert "far_outside" not in codes(user)


def test_a_headline_naming_an_employer_no_current_position_is_at():
    user = solid(headline="Senior partner at Goldman Sachs | investor")
    result = risk_of(user)
    assert codes(user) == {"headline"}
    assert result.reasons == ["headline names “Goldman Sachs” but no current position is there"]


@pytest.mark.parametrize(
    "headline",
    [
        "Product manager at Acme",
        "Product manager @Acme Corp",
        "Cheffe de produit chez ACME",
        "Product manager",
        "Open to new challenges at the moment",
    ],
)
def test_a_headline_that_agrees_with_the_positions_or_names_no_employer(headline):
    assert "headline" not in codes(solid(headline=headline))


def test_a_member_without_a_current_position_is_not_judged_on_the_headline():
    user = bare(photo="photos/face.jpg", headline="CEO at Google")
    ExperienceFactory(profile=user.profile, company_name="Acme", is_current=False, end_year=2022)
    assert "headline" not in codes(user)


def test_a_name_seen_on_a_reported_account_with_digits():
    reporter = member()
    first = member(first_name="John", last_name="Smith1")
    Report.objects.create(reporter=reporter, reported=first, reason="fake", name_stem="john smith")
    user = solid(first_name="Jöhn", last_name="Smith-7")
    result = risk_of(user)
    assert codes(user) == {"name_pattern", "name_digits"}
    assert result.reasons == ["same name as an account reported or suspended", "digits in the name"]


def test_a_name_seen_on_a_suspended_account():
    suspended = member(first_name="Anna", last_name="Bell")
    ModerationAction.objects.create(member=suspended, kind="suspend", reason="fake", name_stem="anna bell")
    assert codes(solid(first_name="ANNA", last_name="Bell")) == {"name_pattern"}


def test_a_name_on_a_dismissed_report_or_on_oneself_only_is_not_a_pattern():
    reporter = member()
    user = solid(first_name="Zoe", last_name="Roux")
    other = member(first_name="Zoe", last_name="Roux")
    Report.objects.create(
        reporter=reporter, reported=other, reason="fake", name_stem="zoe roux", status="dismissed"
    )
    Report.objects.create(reporter=reporter, reported=user, reason="fake", name_stem="zoe roux")
    assert "name_pattern" not in codes(user)
    assert "name_pattern" in codes(other)  # the open report is on `user`, who shares the name


def test_open_reports_by_different_members():
    user = solid()
    for reporter in crowd(3):
        Report.objects.create(reporter=reporter, reported=user, reason="spam")
    signal = next(s for s in risk_of(user).signals if s.code == "reported")
    assert (signal.points, signal.reason) == (risk.REPORT_MAX_POINTS, "reported by 3 members (under review)")


def test_the_example_of_the_issue_reads_in_plain_words():
    user = aged(solid(photo=""), 2)
    invite(user, crowd(40))
    result = risk_of(user)
    assert result.reasons == [
        "no photo",
        "account created 2 days ago",
        "40 invitations sent in the last 24 hours",
    ]
    assert (result.score, result.level) == (15 + 20 + 15, MEDIUM)


def test_levels_and_their_thresholds(settings):
    assert [risk.level_for(s) for s in (0, 29, 30, 59, 60, 100)] == [LOW, LOW, MEDIUM, MEDIUM, HIGH, HIGH]
    settings.TRUST_RISK_MEDIUM, settings.TRUST_RISK_HIGH = 10, 20
    assert [risk.level_for(s) for s in (9, 10, 20)] == [LOW, MEDIUM, HIGH]


def test_the_score_is_capped_at_100():
    reporter = member()
    Report.objects.create(reporter=reporter, reported=member(), reason="fake", name_stem="x y")
    user = aged(member(photo="", first_name="X", last_name="Y2", headline="CEO at Google"), 1)
    ExperienceFactory(profile=user.profile, company_name="Acme")
    others = crowd(60, industry="agriculture", country="BR")
    user.profile.industry, user.profile.country = "banking", "FR"
    user.profile.save()
    invite(user, others, status=Invitation.Status.IGNORED)
    for r in others[:2]:
        Report.objects.create(reporter=r, reported=user, reason="spam")
    result = risk_of(user)
    assert sum(s.points for s in result.signals) > 100
    assert (result.score, result.level) == (100, HIGH)


def test_an_account_without_a_profile_has_no_risk(admin_user_without_profile):
    assert risk_of(admin_user_without_profile).score == 0


def test_risks_of_a_list_runs_a_bounded_number_of_queries(django_assert_max_num_queries):
    members = [solid(headline=f"Engineer at Company {i}") for i in range(3)]
    for m in members:
        invite(m, crowd(2))
        Language.objects.create(profile=m.profile, name="French", proficiency="native")
    with django_assert_max_num_queries(6) as few:
        risks_of(members)
    many = members + [solid(headline=f"Engineer at Firm {i}") for i in range(12)]
    with django_assert_max_num_queries(len(few.captured_queries)):
        result = risks_of(many)
    assert set(result) == {m.pk for m in many}


def test_risk_of_one_member_runs_at_most_six_queries(django_assert_max_num_queries):
    user = solid(photo="", headline="Engineer at Google")
    with django_assert_max_num_queries(6):
        risk_of(user)


def test_risks_of_accepts_ids_and_an_empty_list():
    user = solid()
    assert risks_of([]) == {}
    assert risks_of([user.pk])[user.pk].level == LOW
