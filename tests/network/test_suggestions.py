"""People you may know: the signals and their reasons, the exclusions, dismissal, sinking and the query
bounds of the selectors and services in network/suggestions.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from entregent.network import graph
from entregent.network import suggestions as sug
from entregent.network.models import Block, Invitation, SuggestionDismissal, SuggestionImpression
from entregent.trust.models import Restriction
from tests.factories import EducationFactory, ExperienceFactory, connect, member

pytestmark = pytest.mark.django_db


def ids(suggestions) -> list[int]:
    return [s.member_id for s in suggestions]


def shown(viewer, limit=sug.MAX_SUGGESTIONS):
    """The suggestions as a page shows them: ranked, then hydrated (profiles, the named mutual)."""
    return sug.suggestions_hydrate(viewer, sug.suggestions_for(viewer, limit=limit))


def by_member(suggestions, user):
    return next(s for s in suggestions if s.member_id == user.pk)


@pytest.fixture
def me(db):
    return member(first_name="Maud", last_name="Ferrand", slug="maud-ferrand")


def friends(viewer, count, **fields):
    people = [member(**fields) for _ in range(count)]
    for person in people:
        connect(viewer, person)
    return people


# ------------------------------------------------------------------------------ friends of friends


def test_friends_of_friends_are_ranked_by_mutual_connections(me):
    f1, f2, f3 = friends(me, 3)
    three, one, two = member(), member(), member()
    for friend in (f1, f2, f3):
        connect(friend, three)
    connect(f1, one)
    connect(f2, two)
    connect(f3, two)

    result = sug.suggestions_for(me)

    assert ids(result) == [three.pk, two.pk, one.pk]
    assert [s.mutual_count for s in result] == [3, 2, 1]


def test_the_mutual_reason_counts_and_names_one_mutual_connection(me):
    anne = member(first_name="Anne", last_name="Aubert")
    zoe = member(first_name="Zoé", last_name="Zidane")
    connect(me, anne)
    connect(me, zoe)
    target, lone = member(), member()
    connect(anne, target)
    connect(zoe, target)
    connect(zoe, lone)

    result = shown(me)

    assert by_member(result, target).reason == "2 mutual connections, including Anne Aubert"
    assert by_member(result, target).reasons == [("mutual", "2 mutual connections, including Anne Aubert")]
    assert by_member(result, lone).reason == "Zoé Zidane is a mutual connection"


def test_a_deactivated_mutual_connection_is_not_named(me):
    gone = member(first_name="Gone", last_name="Away")
    connect(me, gone)
    target = member()
    connect(gone, target)
    gone.is_active = False
    gone.save(update_fields=["is_active"])

    assert by_member(shown(me), target).reason == "1 mutual connection"


# ------------------------------------------------------------------------------ profile signals


def test_same_current_company_whatever_the_case_with_the_company_as_i_spell_it(me):
    ExperienceFactory(profile=me.profile, company_name="Acme Lyon")
    colleague = member()
    ExperienceFactory(profile=colleague.profile, company_name="ACME LYON")
    former = member()
    ExperienceFactory(profile=former.profile, company_name="Acme Lyon", is_current=False, end_year=2021)
    elsewhere = member()
    ExperienceFactory(profile=elsewhere.profile, company_name="Globex")

    result = shown(me)

    assert ids(result) == [colleague.pk]
    assert result[0].reason == "You both work at Acme Lyon"
    assert result[0].reasons == [("company", "you both work at Acme Lyon")]


def test_my_former_company_does_not_count(me):
    ExperienceFactory(profile=me.profile, company_name="Acme", is_current=False, end_year=2021)
    ExperienceFactory(profile=member().profile, company_name="Acme")

    assert sug.suggestions_for(me) == []


def test_same_school_with_overlapping_years_shows_the_shared_years(me):
    EducationFactory(profile=me.profile, school="Université de Lyon", start_year=2012, end_year=2017)
    classmate = member()
    EducationFactory(profile=classmate.profile, school="université de lyon", start_year=2015, end_year=2019)
    later = member()
    EducationFactory(profile=later.profile, school="Université de Lyon", start_year=2019, end_year=2022)
    other_school = member()
    EducationFactory(profile=other_school.profile, school="Sorbonne", start_year=2012, end_year=2017)

    result = shown(me)

    assert ids(result) == [classmate.pk]
    assert result[0].reason == "You both studied at Université de Lyon (2015–2017)"


def test_a_study_with_a_single_year_overlaps_on_that_year(me):
    EducationFactory(profile=me.profile, school="ENS", start_year=2010, end_year=2014)
    one_year = member()
    EducationFactory(profile=one_year.profile, school="ENS", start_year=None, end_year=2014)
    no_years = member()
    EducationFactory(profile=no_years.profile, school="ENS", start_year=None, end_year=None)

    result = shown(me)

    assert ids(result) == [one_year.pk]
    assert result[0].reason == "You both studied at ENS (2014)"


def test_same_city_and_industry(me):
    me.profile.city, me.profile.industry = "Lyon", "software"
    me.profile.save(update_fields=["city", "industry"])
    neighbour = member(city="lyon", industry="software")
    member(city="Lyon", industry="retail")  # other industry
    member(city="Paris", industry="software")  # other city
    member(city="", industry="software")  # no city

    result = shown(me)

    assert ids(result) == [neighbour.pk]
    assert result[0].reason == "Also in Lyon, Software development"


def test_without_a_city_nobody_is_suggested_for_the_place(me):
    me.profile.industry = "software"
    me.profile.save(update_fields=["industry"])
    member(city="", industry="software")

    assert sug.suggestions_for(me) == []


def test_signals_add_up_in_one_sentence(me):
    me.profile.city, me.profile.industry = "Lyon", "software"
    me.profile.save(update_fields=["city", "industry"])
    ExperienceFactory(profile=me.profile, company_name="Acme")
    EducationFactory(profile=me.profile, school="INSA", start_year=2010, end_year=2015)
    friend = member(first_name="Paul", last_name="Petit")
    connect(me, friend)
    everything = member(city="Lyon", industry="software")
    connect(friend, everything)
    ExperienceFactory(profile=everything.profile, company_name="Acme")
    EducationFactory(profile=everything.profile, school="INSA", start_year=2011, end_year=2013)

    result = by_member(shown(me), everything)

    assert result.reason == (
        "Paul Petit is a mutual connection; you both work at Acme; you both studied at INSA (2011–2013); "
        "also in Lyon, Software development"
    )
    assert [kind for kind, _text in result.reasons] == ["mutual", "company", "school", "place"]
    assert result.reason_besides_mutuals == (
        "You both work at Acme; you both studied at INSA (2011–2013); also in Lyon, Software development"
    )


def test_mutual_connections_dominate_the_other_signals(me):
    me.profile.city, me.profile.industry = "Lyon", "software"
    me.profile.save(update_fields=["city", "industry"])
    ExperienceFactory(profile=me.profile, company_name="Acme")
    EducationFactory(profile=me.profile, school="INSA", start_year=2010, end_year=2015)
    f1, f2 = friends(me, 2)
    two_mutuals = member()
    connect(f1, two_mutuals)
    connect(f2, two_mutuals)
    one_mutual = member()
    connect(f1, one_mutual)
    colleague_classmate_neighbour = member(city="Lyon", industry="software")
    ExperienceFactory(profile=colleague_classmate_neighbour.profile, company_name="Acme")
    EducationFactory(
        profile=colleague_classmate_neighbour.profile, school="INSA", start_year=2012, end_year=2014
    )
    colleague = member()
    ExperienceFactory(profile=colleague.profile, company_name="Acme")
    classmate = member()
    EducationFactory(profile=classmate.profile, school="INSA", start_year=2012, end_year=2014)
    neighbour = member(city="Lyon", industry="software")

    assert ids(sug.suggestions_for(me)) == [
        two_mutuals.pk,  # 2 mutual connections
        colleague_classmate_neighbour.pk,  # company + school + place
        one_mutual.pk,  # 1 mutual connection
        colleague.pk,
        classmate.pk,
        neighbour.pk,
    ]


def test_a_colleague_who_is_also_a_friend_of_a_friend_gets_both_reasons(me):
    ExperienceFactory(profile=me.profile, company_name="Acme")
    friend = member(first_name="Rémi", last_name="Roux")
    connect(me, friend)
    colleague = member()
    connect(friend, colleague)
    ExperienceFactory(profile=colleague.profile, company_name="Acme")

    result = shown(me)

    assert ids(result) == [colleague.pk]
    assert result[0].reason == "Rémi Roux is a mutual connection; you both work at Acme"


# ---------------------------------------------------------------------------------------- exclusions


@pytest.fixture
def crowd(me):
    """`me` with one friend and ten members both share a company with and are friends of that friend."""
    ExperienceFactory(profile=me.profile, company_name="Acme")
    friend = member()
    connect(me, friend)
    people = []
    for _ in range(10):
        person = member()
        connect(friend, person)
        ExperienceFactory(profile=person.profile, company_name="Acme")
        people.append(person)
    return friend, people


def test_excluded_members_are_never_suggested(me, crowd):
    friend, people = crowd
    (
        connected,
        invited,
        inviting,
        ignored_mine,
        ignored_theirs,
        blocked,
        blocking,
        dismissed,
        inactive,
        restricted,
    ) = people
    connect(me, connected)
    Invitation.objects.create(sender=me, recipient=invited)
    Invitation.objects.create(sender=inviting, recipient=me)
    Invitation.objects.create(sender=me, recipient=ignored_mine, status=Invitation.Status.IGNORED)
    Invitation.objects.create(sender=ignored_theirs, recipient=me, status=Invitation.Status.IGNORED)
    Block.objects.create(blocker=me, blocked=blocked)
    Block.objects.create(blocker=blocking, blocked=me)
    SuggestionDismissal.objects.create(member=me, suggested=dismissed)
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    Restriction.objects.create(
        member=restricted, reason="Spam", ends_at=timezone.now() + dt.timedelta(days=7)
    )

    assert sug.suggestions_for(me) == []
    assert shown(me) == []


@pytest.mark.parametrize("status", ["accepted", "withdrawn", "expired"])
def test_a_closed_invitation_does_not_exclude(me, crowd, status):
    _friend, people = crowd
    Invitation.objects.create(sender=me, recipient=people[0], status=status)

    assert people[0].pk in ids(sug.suggestions_for(me))


def test_a_dismissed_member_comes_back_after_90_days(me, crowd):
    _friend, people = crowd
    dismissal = sug.suggestion_dismiss(member=me, suggested=people[0])
    assert people[0].pk not in ids(sug.suggestions_for(me))

    dismissal.dismissed_at = timezone.now() - dt.timedelta(days=89)
    dismissal.save(update_fields=["dismissed_at"])
    assert people[0].pk not in ids(sug.suggestions_for(me))

    dismissal.dismissed_at = timezone.now() - dt.timedelta(days=91)
    dismissal.save(update_fields=["dismissed_at"])
    assert people[0].pk in ids(sug.suggestions_for(me))


def test_an_ended_restriction_no_longer_excludes(me, crowd):
    _friend, people = crowd
    now = timezone.now()
    Restriction.objects.create(
        member=people[0],
        reason="Spam",
        starts_at=now - dt.timedelta(days=10),
        ends_at=now - dt.timedelta(days=3),
    )

    assert people[0].pk in ids(sug.suggestions_for(me))


def test_my_own_dismissals_only(me, crowd):
    _friend, people = crowd
    other = member()
    SuggestionDismissal.objects.create(member=other, suggested=people[0])

    assert people[0].pk in ids(sug.suggestions_for(me))


def test_nobody_is_suggested_to_themselves_and_members_without_a_profile_are_left_out(me):
    from entregent.accounts.models import User

    friend = member()
    connect(me, friend)
    staff = User.objects.create_user(email="staff@example.org", password="x")  # no profile
    connect(friend, staff)

    assert sug.suggestions_for(me) == []


# ------------------------------------------------------------------------------------------- sinking


def test_suggestions_shown_often_and_ignored_sink(me):
    f1, f2, f3 = friends(me, 3)
    popular, other = member(), member()
    for friend in (f1, f2, f3):
        connect(friend, popular)
    connect(f1, other)
    connect(f2, other)
    assert ids(sug.suggestions_for(me)) == [popular.pk, other.pk]

    # Shown on SINK_AFTER days: no change yet.
    impression = SuggestionImpression.objects.create(member=me, suggested=popular, shown=sug.SINK_AFTER)
    assert ids(sug.suggestions_for(me)) == [popular.pk, other.pk]

    # Two more days without a reaction: 30 × 0.7² = 14.7 < 20.
    impression.shown = sug.SINK_AFTER + 2
    impression.save(update_fields=["shown"])
    result = sug.suggestions_for(me)
    assert ids(result) == [other.pk, popular.pk]
    assert result[1].score == pytest.approx(30 * sug.SINK_RATE**2)


def test_old_impressions_are_forgotten(me):
    f1, f2 = friends(me, 2)
    popular, other = member(), member()
    connect(f1, popular)
    connect(f2, popular)
    connect(f1, other)
    SuggestionImpression.objects.create(
        member=me,
        suggested=popular,
        shown=sug.SINK_AFTER + 10,
        last_shown_at=timezone.now() - sug.IMPRESSION_MEMORY - dt.timedelta(days=1),
    )

    assert ids(sug.suggestions_for(me)) == [popular.pk, other.pk]


def test_impressions_count_once_a_day_in_one_query(me, crowd, django_assert_num_queries):
    _friend, people = crowd
    result = sug.suggestions_for(me)
    with django_assert_num_queries(1):
        assert sug.impressions_record(member=me, suggestions=result) == 10
    assert set(SuggestionImpression.objects.filter(member=me).values_list("shown", flat=True)) == {1}

    # Shown again the same day: not counted again, and no query at all.
    result = sug.suggestions_for(me)
    with django_assert_num_queries(0):
        assert sug.impressions_record(member=me, suggestions=result) == 0

    # A day later: counted.
    SuggestionImpression.objects.filter(member=me).update(last_shown_at=timezone.now() - dt.timedelta(days=1))
    result = sug.suggestions_for(me)
    with django_assert_num_queries(1):
        assert sug.impressions_record(member=me, suggestions=result[:3]) == 3
    counts = dict(SuggestionImpression.objects.filter(member=me).values_list("suggested_id", "shown"))
    assert sorted(counts.values()) == [1] * 7 + [2] * 3


def test_an_impression_counted_after_it_was_forgotten_starts_again(me, crowd):
    _friend, people = crowd
    SuggestionImpression.objects.create(
        member=me, suggested=people[0], shown=40, last_shown_at=timezone.now() - dt.timedelta(days=200)
    )
    suggestion = by_member(sug.suggestions_for(me), people[0])

    sug.impressions_record(member=me, suggestions=[suggestion])

    assert SuggestionImpression.objects.get(member=me, suggested=people[0]).shown == 1


# ------------------------------------------------------------------------------------------- dismiss


def test_dismissing_hides_for_90_days_and_forgets_the_impressions(me, crowd):
    _friend, people = crowd
    SuggestionImpression.objects.create(member=me, suggested=people[0], shown=3)

    dismissal = sug.suggestion_dismiss(member=me, suggested=people[0])

    assert sug.dismissed_until(dismissal) == dismissal.dismissed_at + dt.timedelta(days=90)
    assert not SuggestionImpression.objects.filter(member=me, suggested=people[0]).exists()


def test_dismissing_again_starts_the_90_days_over(me, crowd):
    _friend, people = crowd
    SuggestionDismissal.objects.create(
        member=me, suggested=people[0], dismissed_at=timezone.now() - dt.timedelta(days=200)
    )

    dismissal = sug.suggestion_dismiss(member=me, suggested=people[0])

    assert SuggestionDismissal.objects.filter(member=me, suggested=people[0]).count() == 1
    assert timezone.now() - dismissal.dismissed_at < dt.timedelta(minutes=1)


def test_dismissing_oneself_is_refused(me):
    with pytest.raises(ValidationError) as error:
        sug.suggestion_dismiss(member=me, suggested=me)

    assert error.value.messages == ["You are never suggested to yourself."]
    assert not SuggestionDismissal.objects.exists()


# ------------------------------------------------------------------------------------------ queries


def _network(viewer, *, friends_count, per_friend):
    """`viewer` with a company, a school and a place in common with some members, and friends each
    connected to `per_friend` more members (friends of friends)."""
    viewer.profile.city, viewer.profile.industry = "Lyon", "software"
    viewer.profile.save(update_fields=["city", "industry"])
    ExperienceFactory(profile=viewer.profile, company_name="Acme")
    EducationFactory(profile=viewer.profile, school="INSA", start_year=2010, end_year=2015)
    for friend in friends(viewer, friends_count):
        for _ in range(per_friend):
            connect(friend, member())
    for _ in range(friends_count):
        ExperienceFactory(profile=member().profile, company_name="Acme")
        EducationFactory(profile=member().profile, school="INSA", start_year=2012, end_year=2013)
        member(city="Lyon", industry="software")


def _queries(viewer) -> int:
    with CaptureQueriesContext(connection) as captured:
        result = shown(viewer, limit=24)
        sug.impressions_record(member=viewer, suggestions=result)
    assert result
    return len(captured.captured_queries)


def test_the_query_count_does_not_grow_with_the_network(me):
    small_viewer, large_viewer = me, member()
    _network(small_viewer, friends_count=2, per_friend=2)
    _network(large_viewer, friends_count=8, per_friend=6)
    graph.get_index()  # built once per process

    small, large = _queries(small_viewer), _queries(large_viewer)

    # The UNION, the candidates with their impressions, the profiles, the named mutual connections, the
    # impressions upsert, and the graph index's look at its change log (on each use; in production at
    # most every GRAPH_POLL_SECONDS).
    assert small == large <= 7


def test_the_signal_queries_can_use_an_index_with_a_limit(me):
    """The profile-signal branches are lookups on an expression index (lower-cased company, school, city)
    with a LIMIT, never a scan of all members. The indexes are created here when the schema lacks them."""
    from django.db import models
    from django.db.models import F, Q
    from django.db.models.functions import Lower

    from entregent.profiles.models import Education, Experience, Profile

    wanted = {
        "experience_current_company": (
            Experience,
            models.Index(
                Lower("company_name"), name="experience_current_company", condition=Q(is_current=True)
            ),
        ),
        "education_school": (Education, models.Index(Lower("school"), name="education_school")),
        "profile_city_industry": (
            Profile,
            models.Index(Lower("city"), F("industry"), name="profile_city_industry"),
        ),
    }
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for name, (model, index) in wanted.items():
            existing = connection.introspection.get_constraints(cursor, model._meta.db_table)
            if name not in existing:
                editor = connection.schema_editor(atomic=False)
                cursor.execute(str(index.create_sql(model, editor)))
    _network(me, friends_count=2, per_friend=1)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Tiny tables: ask whether an index can serve, as it would on a real network.
            cursor.execute("ANALYZE")
            cursor.execute("SET LOCAL enable_seqscan = off")

    for branch, name in zip(sug._signal_branches(me.pk, 10), wanted, strict=True):
        sql, params = branch.query.sql_with_params()
        assert " LIMIT 10" in sql
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("EXPLAIN " + sql, params)
            else:
                cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = "\n".join(str(row) for row in cursor.fetchall())
        assert name in plan, plan
