import pytest

from entregent.profiles import services
from tests.factories import member

pytestmark = pytest.mark.django_db


def _names(response) -> list[str]:
    return [card.profile.display_name for card in response.context["results"]]


def test_search_ignores_accents_and_case_and_needs_every_word(client, alice):
    member(first_name="Élodie", last_name="Müller", slug="elodie-muller", headline="Ingénieure données")
    member(first_name="Elodie", last_name="Durand", slug="elodie-durand", headline="Juriste")
    client.force_login(alice)
    assert _names(client.get("/search/", {"q": "elodie"})) == ["Elodie Durand", "Élodie Müller"]
    assert _names(client.get("/search/", {"q": "ELODIE ingenieure"})) == ["Élodie Müller"]
    assert _names(client.get("/search/", {"q": "muller"})) == ["Élodie Müller"]


def test_logged_out_search_finds_only_public_profiles(client):
    hidden = member(first_name="Chloé", last_name="Secret", slug="chloe-secret")
    services.profile_update(profile=hidden.profile, public_profile=False)
    member(first_name="Chloé", last_name="Public", slug="chloe-public")
    assert _names(client.get("/search/", {"q": "chloe"})) == ["Chloé Public"]


def test_logged_out_search_does_not_match_or_show_a_hidden_headline(client, bob):
    services.profile_update(
        profile=bob.profile, headline="Négociateur discret", public_sections={"headline": False}
    )
    assert _names(client.get("/search/", {"q": "negociateur"})) == []
    response = client.get("/search/", {"q": "bob durand"})
    assert _names(response) == ["Bob Durand"]
    assert "Négociateur" not in response.content.decode()


def test_members_see_and_match_every_headline(client, alice, bob):
    services.profile_update(
        profile=bob.profile, headline="Négociateur discret", public_sections={"headline": False}
    )
    client.force_login(alice)
    response = client.get("/search/", {"q": "negociateur"})
    assert _names(response) == ["Bob Durand"]
    assert "Négociateur discret" in response.content.decode()


def test_deactivated_members_are_never_found(client, alice, bob):
    bob.is_active = False
    bob.save()
    client.force_login(alice)
    assert _names(client.get("/search/", {"q": "bob"})) == []


def test_results_are_paginated_with_a_bounded_number_of_queries(
    client, alice, warm_graph, django_assert_max_num_queries
):
    for n in range(45):
        member(first_name="Camille", last_name=f"Test{n:02d}", slug=f"camille-test-{n}")
    client.force_login(alice)
    warm_graph()
    with django_assert_max_num_queries(17):
        first = client.get("/search/", {"q": "camille"})
    assert len(first.context["results"]) == 20
    third = client.get("/search/", {"q": "camille", "page": 3})
    assert len(third.context["results"]) == 5
    assert "Page 3 of 3" in third.content.decode()


def test_an_empty_query_shows_no_result(client):
    response = client.get("/search/", {"q": "   "})
    assert response.status_code == 200
    assert response.context["results"] == []
