"""Reports through the JSON API: the same service and refusals as the page, errors in the API's format."""

import pytest

from entregent.network.models import Block
from entregent.trust import services
from entregent.trust.models import Report
from tests.api.conftest import ApiClient, make_token

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def api(client, alice):
    return ApiClient(client, make_token(alice))


def test_report_a_member(api, alice, bob):
    response = api.post("/members/bob-durand/report", {"reason": "scam", "comment": "Asked for money."})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["member"] == {"slug": "bob-durand", "display_name": "Bob Durand"}
    assert (body["reason"], body["reason_label"], body["comment"], body["status"]) == (
        "scam",
        "Scam or fraud",
        "Asked for money.",
        "open",
    )
    assert Report.objects.get().reporter == alice


def test_reporting_twice_while_open_is_a_422_and_stores_nothing(api, bob):
    assert api.post("/members/bob-durand/report", {"reason": "spam"}).status_code == 201
    response = api.post("/members/bob-durand/report", {"reason": "spam"})
    assert response.status_code == 422
    assert "You already reported this member on" in response.json()["errors"]["__all__"][0]
    assert Report.objects.count() == 1


def test_reporting_yourself_is_a_422(api):
    response = api.post("/members/alice-martin/report", {"reason": "fake"})
    assert response.status_code == 422
    assert response.json()["errors"]["__all__"] == ["You cannot report yourself."]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "reason"),
        ({"reason": "rude"}, "reason"),
        ({"reason": "spam", "comment": "x" * 1001}, "comment"),
        ({"reason": "spam", "extra": 1}, "extra"),
        ({"reason": "spam", "comment": "a\x00b"}, "comment"),
    ],
)
def test_bad_input_is_a_422_with_the_field(api, bob, body, field):
    response = api.post("/members/bob-durand/report", body)
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert not Report.objects.exists()


@pytest.mark.parametrize("slug", ["nobody", "bad slug!", "x" * 101])
def test_unknown_members_are_404(api, slug):
    assert api.post(f"/members/{slug}/report", {"reason": "spam"}).status_code == 404


@pytest.mark.parametrize("direction", ["alice blocked bob", "bob blocked alice"])
def test_a_blocked_pair_is_404(api, alice, bob, direction):
    blocker, blocked = (alice, bob) if direction == "alice blocked bob" else (bob, alice)
    Block.objects.create(blocker=blocker, blocked=blocked)
    assert api.post("/members/bob-durand/report", {"reason": "spam"}).status_code == 404
    assert not Report.objects.exists()


def test_a_read_only_token_cannot_report(client, alice, bob):
    response = ApiClient(client, make_token(alice, "read")).post(
        "/members/bob-durand/report", {"reason": "spam"}
    )
    assert response.status_code == 403
    assert not Report.objects.exists()


def test_visitors_cannot_report(client, bob):
    assert ApiClient(client).post("/members/bob-durand/report", {"reason": "spam"}).status_code == 401


def test_my_reports_newest_first_without_others(api, alice, bob):
    from tests.factories import member

    carol = member(first_name="Carol", last_name="Petit", slug="carol-petit")
    services.report_create(reporter=alice, reported=bob, reason="spam")
    services.report_create(reporter=alice, reported=carol, reason="fake")
    services.report_create(reporter=carol, reported=bob, reason="scam")  # not Alice's
    Report.objects.filter(reported=bob).update(status="dismissed")
    Block.objects.create(blocker=carol, blocked=alice)
    body = api.get("/me/reports").json()
    assert body["count"] == 2
    assert [(i["member"]["display_name"], i["member"]["slug"], i["status"]) for i in body["items"]] == [
        ("Carol Petit", None, "open"),  # blocked since: no address to follow
        ("Bob Durand", "bob-durand", "reviewed"),
    ]
    assert api.get("/me/reports", limit=1, offset=1).json()["items"][0]["reason"] == "spam"
    assert api.get("/me/reports", limit=0).status_code == 422


def test_my_reports_runs_a_bounded_number_of_queries(api, alice, django_assert_max_num_queries):
    from tests.factories import member

    for _ in range(2):
        services.report_create(reporter=alice, reported=member(), reason="spam")
    with django_assert_max_num_queries(10) as few:
        api.get("/me/reports")
    for _ in range(10):
        services.report_create(reporter=alice, reported=member(), reason="spam")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api.get("/me/reports").json()["items"]) == 12
