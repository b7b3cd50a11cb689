"""Recording profile views: one per viewer, profile and day; never the owner, a logged-out visitor
or a preview; the viewer's privacy mode is kept as it was at the time of the view."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from entregent.profiles import services
from entregent.profiles.models import ProfileVisit, ViewerMode

pytestmark = pytest.mark.django_db


def test_viewing_a_profile_records_one_view(client, alice, bob):
    client.force_login(bob)
    assert client.get("/in/alice-martin/").status_code == 200
    visit = ProfileVisit.objects.get()
    assert (visit.viewed, visit.viewer, visit.day) == (alice, bob, timezone.localdate())
    assert visit.viewer_mode == ViewerMode.NAME


def test_viewing_twice_the_same_day_records_once(client, alice, bob):
    client.force_login(bob)
    client.get("/in/alice-martin/")
    client.get("/in/alice-martin/")
    assert ProfileVisit.objects.count() == 1


def test_viewing_again_the_next_day_records_again(alice, bob):
    ProfileVisit.objects.create(
        viewed=alice, viewer=bob, day=timezone.localdate() - dt.timedelta(days=1), viewer_mode="name"
    )
    services.profile_visit_record(viewer=bob, viewed=alice.profile)
    assert ProfileVisit.objects.filter(viewed=alice, viewer=bob).count() == 2


def test_owner_viewing_own_profile_records_nothing(alice_client):
    alice_client.get("/in/alice-martin/")
    assert not ProfileVisit.objects.exists()


def test_owner_preview_records_nothing(alice_client):
    for preview in ("public", "member", "connection"):
        assert alice_client.get(f"/in/alice-martin/?view={preview}").status_code == 200
    assert not ProfileVisit.objects.exists()


def test_logged_out_visitor_records_nothing(client, alice):
    assert client.get("/in/alice-martin/").status_code == 200
    assert not ProfileVisit.objects.exists()


def test_hidden_or_missing_profile_records_nothing(client, alice, bob):
    alice.is_active = False
    alice.save()
    client.force_login(bob)
    assert client.get("/in/alice-martin/").status_code == 404
    assert client.get("/in/nobody-here/").status_code == 404
    assert not ProfileVisit.objects.exists()


def test_recording_costs_one_insert_and_no_read(client, alice, bob):
    client.force_login(bob)
    client.get("/in/alice-martin/")  # the row now exists: the next INSERT does nothing
    with CaptureQueriesContext(connection) as queries:
        client.get("/in/alice-martin/")
    visits = [q["sql"] for q in queries.captured_queries if "profiles_profilevisit" in q["sql"]]
    assert len(visits) == 1 and visits[0].lstrip().upper().startswith("INSERT")
    # The viewer's own profile (for their mode) is the one the top bar reads anyway: read once.
    own = [
        q
        for q in queries.captured_queries
        if 'FROM "profiles_profile"' in q["sql"] and f'"user_id" = {bob.pk}' in q["sql"]
    ]
    assert len(own) == 1


def test_the_database_refuses_a_second_row_the_same_day(alice, bob):
    services.profile_visit_record(viewer=bob, viewed=alice.profile)
    with pytest.raises(IntegrityError):
        ProfileVisit.objects.create(viewed=alice, viewer=bob, day=timezone.localdate(), viewer_mode="name")


@pytest.mark.parametrize("mode", [ViewerMode.SEMI_PRIVATE, ViewerMode.PRIVATE])
def test_the_viewer_mode_at_view_time_is_kept(client, alice, bob, mode):
    services.profile_set_viewer_mode(profile=bob.profile, viewer_mode=mode)
    client.force_login(bob)
    client.get("/in/alice-martin/")
    services.profile_set_viewer_mode(profile=bob.profile, viewer_mode=ViewerMode.NAME)
    assert ProfileVisit.objects.get().viewer_mode == mode


def test_unknown_viewer_mode_is_refused_and_nothing_changes(bob):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.profile_set_viewer_mode(profile=bob.profile, viewer_mode="invisible")
    bob.profile.refresh_from_db()
    assert bob.profile.viewer_mode == ViewerMode.NAME


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite serialises every write transaction, so threads cannot race there",
)
def test_simultaneous_page_views_record_exactly_one_row_without_error():
    import threading

    from tests.factories import member

    viewed, viewer = member(), member()
    barrier = threading.Barrier(12)
    errors: list[BaseException] = []

    def request() -> None:
        try:
            barrier.wait()
            services.profile_visit_record(viewer=viewer, viewed=viewed.profile)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=request) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert ProfileVisit.objects.filter(viewed=viewed, viewer=viewer).count() == 1
