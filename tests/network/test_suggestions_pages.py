"""People you may know, as pages: /network/suggestions/ (paginated), Dismiss, and the card on the home page.
Roles: the owner sees suggestions; a connection, an invited member and a blocked member are never among
them; a 2nd-degree member and a stranger sharing a company are."""

from __future__ import annotations

import pytest
from django.urls import reverse

from entregent.network import graph
from entregent.network import suggestions as sug
from entregent.network.models import Block, SuggestionDismissal, SuggestionImpression
from tests.factories import ExperienceFactory, connect, member

pytestmark = pytest.mark.django_db

PAGE = reverse("network:suggestions")


def dismiss_url(user) -> str:
    return reverse("network:suggestion_dismiss", args=[user.profile.slug])


@pytest.fixture
def me(db):
    user = member(first_name="Maud", last_name="Ferrand", slug="maud-ferrand")
    ExperienceFactory(profile=user.profile, company_name="Acme")
    return user


@pytest.fixture
def people(me):
    """A connection of mine, a 2nd-degree member through them, and a stranger at my company."""
    friend = member(first_name="Fanny", last_name="Ami", slug="fanny-ami")
    connect(me, friend)
    second = member(first_name="Sacha", last_name="Second", slug="sacha-second")
    connect(friend, second)
    stranger = member(first_name="Stan", last_name="Ger", slug="stan-ger")
    ExperienceFactory(profile=stranger.profile, company_name="ACME")
    return friend, second, stranger


@pytest.fixture
def my_client(client, me):
    client.force_login(me)
    return client


def test_anonymous_visitors_are_sent_to_log_in(client, people):
    _friend, second, _stranger = people
    page = client.get(PAGE)
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("account_login"))

    dismissed = client.post(dismiss_url(second))
    assert dismissed.status_code == 302
    assert dismissed["Location"].startswith(reverse("account_login"))
    assert not SuggestionDismissal.objects.exists()


def test_the_page_lists_each_suggestion_as_a_member_card_with_its_reason(my_client, me, people):
    friend, second, stranger = people

    page = my_client.get(PAGE)

    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1" in html and "People you may know" in html
    # 2nd degree: the card names the mutual connection, with the degree badge and Connect.
    assert "Sacha Second" in html and "2nd" in html
    assert "Fanny Ami is a mutual connection" in html
    assert reverse("network:invite", args=["sacha-second"]) in html
    # A stranger at my company: the reason line.
    assert "Stan Ger" in html and "You both work at Acme" in html
    # Dismiss is a plain form with the member's name for screen readers.
    assert f'action="{dismiss_url(second)}"' in html
    assert 'Dismiss<span class="visually-hidden"> Stan Ger</span>' in html
    # My connection and myself are never suggested.
    assert 'href="/in/fanny-ami/"' not in html.split('id="suggestions-title"')[1].split("</ul>")[0]
    assert 'href="/in/maud-ferrand/"' not in html.split('id="suggestions-title"')[1].split("</ul>")[0]


def test_showing_the_page_counts_an_impression_of_each_suggestion(my_client, me, people):
    _friend, second, stranger = people

    my_client.get(PAGE)
    my_client.get(PAGE)  # the same day: counted once

    assert dict(SuggestionImpression.objects.filter(member=me).values_list("suggested_id", "shown")) == {
        second.pk: 1,
        stranger.pk: 1,
    }


def test_blocked_and_invited_members_are_not_on_the_page(my_client, me, people):
    from entregent.network.models import Invitation

    _friend, second, stranger = people
    Block.objects.create(blocker=second, blocked=me)
    Invitation.objects.create(sender=me, recipient=stranger)

    html = my_client.get(PAGE).content.decode()

    assert "Sacha Second" not in html and "Stan Ger" not in html
    assert "Complete my profile" in html


def test_dismiss_hides_the_member_and_returns_to_the_page(my_client, me, people):
    _friend, second, stranger = people

    response = my_client.post(dismiss_url(stranger), {"next": PAGE + "?page=1"}, follow=True)

    assert response.redirect_chain == [(PAGE + "?page=1", 302)]
    html = response.content.decode()
    assert "Stan Ger will not be suggested to you for 90 days." in html
    assert "Sacha Second" in html
    assert 'href="/in/stan-ger/"' not in html
    assert SuggestionDismissal.objects.filter(member=me, suggested=stranger).count() == 1


def test_dismiss_from_the_home_page_goes_back_home(my_client, people):
    _friend, second, _stranger = people

    response = my_client.post(dismiss_url(second), {"next": "/"})

    assert response.status_code == 302 and response["Location"] == "/"


def test_dismiss_never_redirects_to_another_site(my_client, people):
    _friend, second, _stranger = people

    response = my_client.post(dismiss_url(second), {"next": "https://evil.example/"})

    assert response["Location"] == PAGE


def test_dismiss_only_by_post(my_client, people):
    _friend, second, _stranger = people

    assert my_client.get(dismiss_url(second)).status_code == 405
    assert not SuggestionDismissal.objects.exists()


def test_dismissing_myself_is_refused_with_a_message(my_client, me, people):
    response = my_client.post(dismiss_url(me))

    assert response.status_code == 403
    assert "You are never suggested to yourself." in response.content.decode()
    assert not SuggestionDismissal.objects.exists()


def test_dismissing_a_member_who_blocked_me_or_does_not_exist_is_a_404(my_client, me, people):
    _friend, second, _stranger = people
    Block.objects.create(blocker=second, blocked=me)
    gone = member(slug="gone-member")
    gone.is_active = False
    gone.save(update_fields=["is_active"])

    assert my_client.post(dismiss_url(second)).status_code == 404
    assert my_client.post(dismiss_url(gone)).status_code == 404
    assert my_client.post(reverse("network:suggestion_dismiss", args=["nobody-here"])).status_code == 404
    assert not SuggestionDismissal.objects.exists()


def test_a_member_can_only_dismiss_for_themselves(client, me, people):
    _friend, second, stranger = people
    other = member(slug="otto-other")
    client.force_login(other)

    # Whatever the form says, the dismissal is the signed-in member's own.
    client.post(dismiss_url(stranger), {"member": me.pk, "member_id": me.pk})

    assert list(SuggestionDismissal.objects.values_list("member_id", "suggested_id")) == [
        (other.pk, stranger.pk)
    ]
    client.force_login(me)
    assert "Stan Ger" in client.get(PAGE).content.decode()


def test_the_page_is_paginated(my_client, me):
    for _ in range(sug.MAX_SUGGESTIONS // 4 + 6):  # 36: one full page of 24 and 12 more
        ExperienceFactory(profile=member().profile, company_name="Acme")

    first = my_client.get(PAGE)
    second = my_client.get(PAGE + "?page=2")

    assert len(first.context["items"]) == 24
    assert len(second.context["items"]) == 12
    assert 'rel="next"' in first.content.decode()
    assert "Page 2 of 2" in second.content.decode()
    first_ids = {s.member_id for _c, s in first.context["items"]}
    assert first_ids.isdisjoint({s.member_id for _c, s in second.context["items"]})


def test_the_empty_page_says_what_to_do_next(client):
    newcomer = member()
    client.force_login(newcomer)

    html = client.get(PAGE).content.decode()

    assert "No suggestions for now." in html
    assert reverse("profiles:edit") in html
    assert 'action="/search/"' in html and 'for="suggestions-search"' in html


# ------------------------------------------------------------------------------------------ home page


def test_the_home_page_shows_a_few_suggestions_and_a_link_to_all(my_client, me):
    for _ in range(6):
        ExperienceFactory(profile=member().profile, company_name="Acme")

    html = my_client.get("/").content.decode()

    card = html[html.index('id="home-suggestions-title"') :]
    card = card[: card.index("</section>")]
    assert card.count('class="member-card"') == sug.HOME_SUGGESTIONS
    assert "You both work at Acme" in card
    assert 'name="next" value="/"' in card
    assert f'href="{PAGE}"' in card
    assert SuggestionImpression.objects.filter(member=me).count() == sug.HOME_SUGGESTIONS


def test_the_home_page_without_suggestions_says_what_to_do(client):
    newcomer = member()
    client.force_login(newcomer)

    html = client.get("/").content.decode()

    assert "No suggestions yet" in html


# ------------------------------------------------------------------------------------------- queries


def _grow(viewer, *, friends, per_friend, colleagues):
    for _ in range(friends):
        friend = member()
        connect(viewer, friend)
        for _ in range(per_friend):
            connect(friend, member())
    for _ in range(colleagues):
        ExperienceFactory(profile=member().profile, company_name="Acme")


@pytest.mark.parametrize("url", [PAGE, "/"])
def test_pages_run_a_bounded_number_of_queries_whatever_the_network_size(
    client, url, django_assert_max_num_queries
):
    small, large = member(), member()
    for viewer in (small, large):
        ExperienceFactory(profile=viewer.profile, company_name="Acme")
    _grow(small, friends=2, per_friend=2, colleagues=2)
    _grow(large, friends=12, per_friend=8, colleagues=30)
    graph.get_index()

    counts = []
    for viewer in (small, large):
        client.force_login(viewer)
        with django_assert_max_num_queries(40) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured.captured_queries))

    assert counts[0] == counts[1]
