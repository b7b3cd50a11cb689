"""People you may know through the JSON API: the list with its reasons (paginated), dismiss; the same
selectors and service as the pages, scoped to the caller. A read-only token reads but cannot dismiss;
reading never counts as showing."""

from __future__ import annotations

import pytest

from entregent.network import suggestions as sug
from entregent.network.models import Block, SuggestionDismissal, SuggestionImpression
from tests.api.conftest import ApiClient, make_token
from tests.factories import ExperienceFactory, connect, member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def me(db):
    user = member(first_name="Maud", last_name="Ferrand", slug="maud-ferrand")
    ExperienceFactory(profile=user.profile, company_name="Acme")
    return user


@pytest.fixture
def people(me):
    friend = member(first_name="Fanny", last_name="Ami", slug="fanny-ami")
    connect(me, friend)
    second = member(first_name="Sacha", last_name="Second", slug="sacha-second")
    connect(friend, second)
    ExperienceFactory(profile=second.profile, company_name="Acme")
    stranger = member(first_name="Stan", last_name="Ger", slug="stan-ger")
    ExperienceFactory(profile=stranger.profile, company_name="acme")
    return friend, second, stranger


@pytest.fixture
def api(client, me):
    return ApiClient(client, make_token(me, "write"))


def test_the_list_gives_each_member_card_with_the_reasons(api, me, people):
    _friend, second, stranger = people

    response = api.get("/me/suggestions")

    assert response.status_code == 200
    data = response.json()
    assert (data["count"], data["page"], data["pages"]) == (2, 1, 1)
    first, other = data["items"]
    assert first["member"]["slug"] == "sacha-second"
    assert first["member"]["degree"] == 2
    assert first["member"]["mutual_names"] == ["Fanny Ami"]
    assert first["reason"] == "Fanny Ami is a mutual connection; you both work at Acme"
    assert first["reasons"] == [
        {"kind": "mutual", "text": "Fanny Ami is a mutual connection"},
        {"kind": "company", "text": "you both work at Acme"},
    ]
    assert other["member"]["slug"] == "stan-ger"
    assert other["member"]["degree"] is None
    assert other["reasons"] == [{"kind": "company", "text": "you both work at Acme"}]


def test_the_list_is_paginated(api, me):
    for _ in range(30):
        ExperienceFactory(profile=member().profile, company_name="Acme")

    first = api.get("/me/suggestions").json()
    second = api.get("/me/suggestions", page=2).json()

    assert (first["count"], first["pages"], len(first["items"])) == (30, 2, 24)
    assert (second["page"], len(second["items"])) == (2, 6)


def test_reading_the_list_does_not_count_impressions(api, me, people):
    api.get("/me/suggestions")

    assert not SuggestionImpression.objects.exists()


def test_a_read_only_token_reads_but_cannot_dismiss(client, me, people):
    _friend, second, _stranger = people
    reader = ApiClient(client, make_token(me, "read"))

    assert reader.get("/me/suggestions").status_code == 200
    response = reader.post("/me/suggestions/sacha-second/dismiss")
    assert response.status_code == 403
    assert not SuggestionDismissal.objects.exists()


def test_anonymous_callers_get_401(client, people):
    anonymous = ApiClient(client)

    assert anonymous.get("/me/suggestions").status_code == 401
    assert anonymous.post("/me/suggestions/sacha-second/dismiss").status_code == 401
    assert not SuggestionDismissal.objects.exists()


def test_dismiss_removes_the_member_for_90_days(api, me, people):
    _friend, second, stranger = people

    response = api.post("/me/suggestions/stan-ger/dismiss")

    assert response.status_code == 200
    dismissal = SuggestionDismissal.objects.get(member=me, suggested=stranger)
    assert response.json()["slug"] == "stan-ger"
    assert response.json()["dismissed_until"].startswith(sug.dismissed_until(dismissal).date().isoformat())
    assert [item["member"]["slug"] for item in api.get("/me/suggestions").json()["items"]] == ["sacha-second"]


def test_dismissing_myself_is_a_422_and_changes_nothing(api, me):
    response = api.post("/me/suggestions/maud-ferrand/dismiss")

    assert response.status_code == 422
    assert response.json()["errors"] == {"__all__": ["You are never suggested to yourself."]}
    assert not SuggestionDismissal.objects.exists()


def test_dismissing_someone_i_may_not_see_is_a_404(api, me, people):
    _friend, second, _stranger = people
    Block.objects.create(blocker=me, blocked=second)

    assert api.post("/me/suggestions/sacha-second/dismiss").status_code == 404
    assert api.post("/me/suggestions/nobody-at-all/dismiss").status_code == 404
    assert api.post("/me/suggestions/not%20a%20slug/dismiss").status_code in (404, 422)
    assert not SuggestionDismissal.objects.exists()


def test_blocked_members_never_appear(api, me, people):
    _friend, second, stranger = people
    Block.objects.create(blocker=stranger, blocked=me)

    slugs = [item["member"]["slug"] for item in api.get("/me/suggestions").json()["items"]]

    assert slugs == ["sacha-second"]


def test_a_bad_page_number_is_a_422(api, me):
    assert api.get("/me/suggestions", page=0).status_code == 422
    assert api.get("/me/suggestions", page="two").status_code == 422
