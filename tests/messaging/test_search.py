"""Message search: accent-insensitive, one typo per word forgiven, highlighted snippets, only the
member's own conversations (not hidden ones, nothing said after they left a group), edits and
deletions followed by the index, punctuation refused; the results page. Runs on SQLite and, with
DATABASE_URL pointing at PostgreSQL, on PostgreSQL (each backend has its own index)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from entregent.messaging import services
from entregent.messaging.models import Message, Participant
from entregent.messaging.search import (
    Term,
    search_messages,
    search_words_prune,
    snippet,
    terms_of,
    typo_variants,
)
from entregent.network import services as network
from tests.factories import connect
from tests.network.conftest import veteran

pytestmark = pytest.mark.django_db

QUOTE = "Bonjour Hélène, voici le devis pour la rénovation du hangar."


def _ids(hits) -> list[int]:
    return [hit.message.pk for hit in hits]


@pytest.fixture
def quote(pair):
    """Ann sent Ben a quote; a second, unrelated conversation of Ann's is there too."""
    ann, ben = pair
    conversation, message = services.conversation_start(sender=ann, recipients=[ben], body=QUOTE)
    services.message_send(conversation=conversation, sender=ben, body="Merci, je regarde ce soir.")
    return conversation, message


# ------------------------------------------------------------------------------------------- finding


@pytest.fixture(params=["scope", "index"])
def either_plan(request, monkeypatch):
    """On PostgreSQL, a small inbox is read through the conversation index and a large one through
    the trigram index: run the test both ways (no difference on SQLite)."""
    if request.param == "index":
        monkeypatch.setattr("entregent.messaging.search.POSTGRES_SCAN_MAX", 0)
    return request.param


def test_helene_devis_finds_the_message_with_accents_and_highlights_both_words(pair, quote, either_plan):
    ann, ben = pair
    conversation, message = quote
    for member in (ann, ben):
        hits = search_messages(member, "helene devis")
        assert _ids(hits) == [message.pk]
        assert hits[0].conversation_id == conversation.pk
        assert "<mark>Hélène</mark>" in hits[0].snippet and "<mark>devis</mark>" in hits[0].snippet
        assert hits[0].score > 0


@pytest.mark.parametrize(
    "query",
    ["devsi", "helen", "hlene helene", "Hélene DEVIS", "HÉLÈNE", "renovaton", "devis,,, hélène!!", "hagnar"],
)
def test_accents_case_prefixes_and_one_typo_per_word_are_forgiven(pair, quote, query, either_plan):
    ann, _ben = pair
    assert _ids(search_messages(ann, query)) == [quote[1].pk]


@pytest.mark.parametrize("query", ["devxsx", "helene facture", "hel devis z", "vis", "ovation"])
def test_every_word_must_match_and_two_typos_are_too_many(pair, quote, query):
    ann, _ben = pair
    assert search_messages(ann, query) == []


def test_accents_in_the_message_do_not_matter_either_way(pair):
    ann, ben = pair
    conversation, plain = services.conversation_start(sender=ann, recipients=[ben], body="Helene a signe")
    accented = services.message_send(conversation=conversation, sender=ben, body="Élodie a signé")
    assert _ids(search_messages(ann, "Hélène signé")) == [plain.pk]
    assert _ids(search_messages(ann, "elodie signe")) == [accented.pk]


def test_short_words_match_whole_words_only(pair):
    ann, ben = pair
    conversation, rh = services.conversation_start(
        sender=ann, recipients=[ben], body="Le poste RH est ouvert"
    )
    services.message_send(conversation=conversation, sender=ben, body="Lecture rhétorique")
    assert _ids(search_messages(ann, "rh")) == [rh.pk]
    assert _ids(search_messages(ann, "le rh")) == [rh.pk]


def test_exact_matches_rank_before_typos_and_recent_before_old(pair, either_plan):
    ann, ben = pair
    conversation, fuzzy = services.conversation_start(sender=ann, recipients=[ben], body="Le devsi arrive")
    old = services.message_send(conversation=conversation, sender=ben, body="Voici le devis")
    new = services.message_send(conversation=conversation, sender=ann, body="Le devis corrigé")
    Message.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=90))
    assert _ids(search_messages(ann, "devis")) == [new.pk, old.pk, fuzzy.pk]
    scores = [hit.score for hit in search_messages(ann, "devis")]
    assert scores == sorted(scores, reverse=True)


def test_results_come_by_page(pair):
    ann, ben = pair
    conversation, first = services.conversation_start(sender=ann, recipients=[ben], body="contrat 0")
    sent = [first] + [
        services.message_send(conversation=conversation, sender=ann, body=f"contrat {n}") for n in range(1, 5)
    ]
    everything = _ids(search_messages(ann, "contrat", limit=10))
    assert sorted(everything) == sorted(m.pk for m in sent)
    pages = (
        _ids(search_messages(ann, "contrat", limit=2))
        + _ids(search_messages(ann, "contrat", limit=2, offset=2))
        + _ids(search_messages(ann, "contrat", limit=2, offset=4))
    )
    assert pages == everything
    assert search_messages(ann, "contrat", limit=2, offset=10) == []


def test_snippets_are_escaped_cut_around_the_match_and_marked():
    terms = [Term("devis", typo_variants("devis"))]
    html = snippet("<b>x</b> " + "mot " * 80 + "le Devis & le devsi " + "fin " * 80, terms)
    assert "<b>" not in html and "&amp;" in html
    assert html.startswith("…") and html.endswith("…")
    assert "<mark>Devis</mark>" in html and "<mark>devsi</mark>" in html
    assert len(html) < 300
    assert snippet("Straße in Köln", [Term("strasse", frozenset())]) == "<mark>Straße</mark> in Köln"
    decomposed = "He\u0301le\u0300ne"
    assert snippet(decomposed, [Term("helene", frozenset())]) == f"<mark>{decomposed}</mark>"


# ------------------------------------------------------------------------------------------- who sees


def test_never_another_members_messages(pair, quote, cat, either_plan):
    ann, ben = pair
    dan = veteran(first_name="Dan", last_name="Petit", slug="dan-petit")
    connect(cat, dan)
    connect(ben, cat)
    _other, theirs = services.conversation_start(sender=cat, recipients=[dan], body="Hélène veut le devis")
    _ben_cat, bens = services.conversation_start(sender=ben, recipients=[cat], body="Le devis d'Hélène")
    assert _ids(search_messages(ann, "helene devis")) == [quote[1].pk]
    assert set(_ids(search_messages(cat, "helene devis"))) == {theirs.pk, bens.pk}
    assert _ids(search_messages(dan, "helene devis")) == [theirs.pk]
    stranger = veteran(first_name="Eve", last_name="Nobody", slug="eve-nobody")
    assert search_messages(stranger, "helene devis") == []


def test_a_conversation_hidden_by_a_block_is_not_searched(pair, quote):
    ann, ben = pair
    network.block(blocker=ann, blocked=ben)
    assert Participant.objects.get(conversation=quote[0], member=ann).hidden
    assert search_messages(ann, "devis") == []
    assert _ids(search_messages(ben, "devis")) == [quote[1].pk]  # the blocked member keeps theirs
    network.unblock(blocker=ann, blocked=ben)
    assert _ids(search_messages(ann, "devis")) == [quote[1].pk]


def test_after_leaving_a_group_only_what_was_said_before_is_found(pair, cat, either_plan):
    ann, ben = pair
    connect(ann, cat)
    group, before = services.conversation_start(
        sender=ann, recipients=[ben, cat], body="Planning du chantier", name="Chantier"
    )
    services.group_leave(conversation=group, member=ben)
    after = services.message_send(conversation=group, sender=ann, body="Nouveau planning du chantier")
    assert _ids(search_messages(ben, "chantier")) == [before.pk]
    assert set(_ids(search_messages(cat, "chantier"))) == {before.pk, after.pk}


# --------------------------------------------------------------------------------------- changes


def test_edits_and_deletions_are_followed(pair, quote):
    ann, ben = pair
    _conversation, message = quote
    services.message_edit(message=message, member=ann, body="Bonjour Hélène, voici la facture.")
    assert search_messages(ben, "devis") == []
    assert _ids(search_messages(ben, "helene facture")) == [message.pk]
    services.message_delete(message=message, member=ann)
    assert search_messages(ben, "facture") == []
    assert search_messages(ben, "helene") == []


def test_words_nobody_holds_any_more_are_forgotten(pair, quote):
    ann, _ben = pair
    services.message_edit(message=quote[1], member=ann, body="Bonjour, voici la facture.")
    pruned = search_words_prune()
    if connection.vendor == "postgresql":
        assert pruned >= 1
        with connection.cursor() as cursor:
            cursor.execute("SELECT word FROM messaging_search_word")
            words = {row[0] for row in cursor.fetchall()}
        assert "facture" in words and "devis" not in words and "helene" not in words
    else:
        assert pruned == 0


def test_deleting_a_conversation_leaves_nothing_in_the_index(pair, quote):
    ann, _ben = pair
    quote[0].delete()
    assert search_messages(ann, "devis") == []
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM messaging_message_fts WHERE messaging_message_fts MATCH 'devis'"
            )
            assert cursor.fetchone()[0] == 0


def test_the_index_and_its_triggers_survive_every_migration():
    """A later migration that rebuilds messaging_message on SQLite (Django copies the table) drops its
    triggers silently: this fails until that migration creates them again (0002_search's statements)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'messaging_message'"
            )
            assert {row[0] for row in cursor.fetchall()} >= {
                "messaging_message_fts_insert",
                "messaging_message_fts_update",
                "messaging_message_fts_delete",
            }
        elif connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = 'messaging_message'::regclass")
            assert "messaging_message_search_word" in {row[0] for row in cursor.fetchall()}
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'messaging_message'")
            assert "messaging_message_search_trgm" in {row[0] for row in cursor.fetchall()}


# ------------------------------------------------------------------------------------------ bad input


@pytest.mark.parametrize("query", ["?!", "…", " -- ", "«»", "___"])
def test_a_query_of_punctuation_only_is_refused_with_a_clear_message(pair, quote, query):
    ann, _ben = pair
    with pytest.raises(ValidationError) as error:
        search_messages(ann, query)
    assert "no letter or digit" in error.value.message_dict["q"][0]


def test_an_empty_query_is_refused_and_long_queries_are_cut():
    with pytest.raises(ValidationError):
        terms_of("   ")
    assert len(terms_of(" ".join(f"mot{n}" for n in range(50)))) == 8


# ------------------------------------------------------------------------------------------ the page


def test_the_page_groups_hits_by_conversation_with_names_snippets_and_links(client, pair, quote, cat):
    ann, ben = pair
    connect(ann, cat)
    connect(ben, cat)
    group, in_group = services.conversation_start(
        sender=cat, recipients=[ann, ben], body="Hélène a validé le devis", name="Chantier Hélène"
    )
    client.force_login(ann)
    response = client.get(reverse("messaging:search"), {"q": "helene devis"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Chantier Hélène" in page and "Ben Moreau" in page
    assert page.count('value="helene devis"') == 1  # in this page's field, not the people search
    assert page.count("<mark>Hélène</mark>") >= 2
    assert reverse("messaging:conversation", args=[group.pk]) in page
    assert reverse("messaging:conversation", args=[quote[0].pk]) in page
    assert page.index(f'data-message-id="{in_group.pk}"') < page.index(f'data-message-id="{quote[1].pk}"')


def test_the_page_refuses_punctuation_next_to_the_field_with_422(client, pair):
    ann, _ben = pair
    client.force_login(ann)
    response = client.get(reverse("messaging:search"), {"q": "?!?"})
    assert response.status_code == 422
    page = response.content.decode()
    assert 'aria-invalid="true"' in page and 'id="message-search-error"' in page
    assert "no letter or digit" in page and 'value="?!?"' in page


def test_the_page_empty_state_and_blank_form(client, pair, quote):
    ann, _ben = pair
    client.force_login(ann)
    blank = client.get(reverse("messaging:search"))
    assert blank.status_code == 200 and 'id="message-search-q"' in blank.content.decode()
    empty = client.get(reverse("messaging:search"), {"q": "zeppelin"})
    assert empty.status_code == 200 and "No message matches" in empty.content.decode()


def test_the_page_paginates(client, pair):
    ann, ben = pair
    conversation, _first = services.conversation_start(sender=ann, recipients=[ben], body="relance 0")
    for n in range(1, 23):
        services.message_send(conversation=conversation, sender=ann, body=f"relance {n}")
    client.force_login(ann)
    first = client.get(reverse("messaging:search"), {"q": "relance"}).content.decode()
    assert first.count('class="message-search__hit"') == 20 and 'rel="next"' in first
    second = client.get(reverse("messaging:search"), {"q": "relance", "page": "2"}).content.decode()
    assert second.count('class="message-search__hit"') == 3 and 'rel="prev"' in second
    assert 'rel="next"' not in second


def test_the_page_needs_a_signed_in_member(client):
    response = client.get(reverse("messaging:search"), {"q": "devis"})
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_page_runs_the_same_number_of_queries_for_2_or_12_conversations(
    client, django_assert_max_num_queries, warm_graph
):
    from django.test.utils import CaptureQueriesContext

    me = veteran(first_name="Ann", last_name="Leroy", slug="ann-leroy")
    counts = []
    for size in (2, 12):
        others = [
            veteran(first_name=f"P{size}x{n}", last_name="Pair", slug=f"p-{size}-{n}") for n in range(size)
        ]
        for other in others:
            connect(me, other)
            services.conversation_start(sender=other, recipients=[me], body=f"Le devis numéro {size}")
        client.force_login(me)
        warm_graph()
        client.get(reverse("messaging:search"), {"q": "devis"})  # warm caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("messaging:search"), {"q": f"devis {size}"})
        assert response.content.decode().count('class="message-search__hit"') == size
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(20):
        client.get(reverse("messaging:search"), {"q": "devis"})
