"""/network/rules/: the rule-set form (save, try, move, add, delete — without JavaScript), presets with
confirmation, "apply my rules now"; bad input is a 422 with nothing changed; a member only ever sees and
edits their own rules; bounded query counts."""

import pytest
from django.urls import reverse

from entregent.network import triage
from entregent.network.models import Block, Connection, Invitation, TriageRule
from tests.factories import EducationFactory, ExperienceFactory, connect, member
from tests.network.conftest import veteran

pytestmark = pytest.mark.django_db

RULES = reverse("network:rules")
PRESET = reverse("network:rules_preset")
APPLY = reverse("network:rules_apply")


def form(rules, do="save") -> dict:
    """The POST of the rules page for `rules`: dicts with name, action, enabled, conditions as (field, op,
    value choice) triples, optional id."""
    data = {"rules": str(len(rules)), "do": do}
    for i, rule in enumerate(rules):
        data[f"r{i}-id"] = str(rule.get("id", ""))
        data[f"r{i}-name"] = rule.get("name", "")
        data[f"r{i}-action"] = rule.get("action", "hold")
        if rule.get("enabled", True):
            data[f"r{i}-enabled"] = "on"
        conditions = rule.get("conditions", [])
        data[f"r{i}-rows"] = str(len(conditions) + 1)  # and the empty line the page always shows
        for j, (field, op, value) in enumerate(conditions):
            data |= {f"r{i}c{j}-field": field, f"r{i}c{j}-op": op, f"r{i}c{j}-value": value}
    return data


def stored(user) -> list[tuple]:
    return list(
        TriageRule.objects.filter(owner=user)
        .order_by("position")
        .values_list("position", "name", "action", "enabled", "conditions")
    )


def trustworthy():
    user = veteran()
    ExperienceFactory(profile=user.profile)
    EducationFactory(profile=user.profile)
    return user


@pytest.fixture
def me(db):
    return veteran(first_name="Mia", last_name="Roux", slug="mia-roux")


@pytest.fixture
def my_client(client, me):
    client.force_login(me)
    return client


def install(user, *rules):
    return triage.rules_replace(member=user, rules=triage.clean_rules(list(rules)))


SELECTIVE = [
    {"name": "Shared", "action": "accept", "conditions": [("mutuals", "at_least", "count:3")]},
    {"name": "Notes", "action": "accept", "conditions": [("has_note", "is", "yes")]},
]


# ------------------------------------------------------------------------------------------- the page


def test_the_page_needs_a_login(client):
    response = client.get(RULES)
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_page_lists_my_rules_in_order_with_presets(my_client, me):
    install(
        me,
        {
            "name": "Risky",
            "action": "suspicious",
            "conditions": [{"field": "risk", "op": "is", "value": "high"}],
        },
        {"name": "Everyone else", "action": "accept", "conditions": []},
    )
    response = my_client.get(RULES)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index('value="Risky"') < html.index('value="Everyone else"')
    assert 'value="risk:high" selected' in html
    for name in ("Open networker", "Selective", "Closed"):
        assert name in html
    assert "Try on my pending invitations" in html and "Save rules" in html


def test_saving_a_rule_set(my_client, me):
    response = my_client.post(RULES, form(SELECTIVE))
    assert response.status_code == 302 and response["Location"] == RULES
    assert stored(me) == [
        (1, "Shared", "accept", True, [{"field": "mutuals", "op": "at_least", "value": 3}]),
        (2, "Notes", "accept", True, [{"field": "has_note", "op": "is", "value": True}]),
    ]
    page = my_client.get(RULES).content.decode()
    assert "Your 2 rules are saved." in page


def test_saving_keeps_the_ids_of_edited_rules(my_client, me):
    first, _second = install(me, {"action": "accept", "conditions": []}, {"action": "hold", "enabled": False})
    rules = [
        {
            "id": first.pk,
            "name": "Renamed",
            "action": "decline",
            "conditions": [("degree", "is", "degree:out")],
        }
    ]
    assert my_client.post(RULES, form(rules)).status_code == 302
    [row] = TriageRule.objects.filter(owner=me)
    assert row.pk == first.pk and row.name == "Renamed" and row.action == "decline"


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ([{"conditions": [("age", "is", "yes")]}], "Select a valid choice"),
        ([{"action": "delete"}], "Select a valid choice"),
        ([{"conditions": [("mutuals", "is", "count:3")]}], "cannot be compared with"),
        ([{"conditions": [("mutuals", "at_least", "count:99999")]}], "Select a valid choice"),
        ([{"conditions": [("mutuals", "fewer_than", "count:0")]}], "from 1 to 30,000"),
        ([{"conditions": [("degree", "is", "count:2")]}], "in the “Degree” group"),
        ([{"conditions": [("degree", "is", "")]}], "Choose a value."),
        ([{"conditions": [("", "is", "yes")]}], "Choose a condition, or clear this line."),
        ([{"name": "x" * 81}], "at most 80 characters"),
        (
            [{"conditions": [("mutuals", "at_least", "count:5"), ("mutuals", "fewer_than", "count:2")]}],
            "contradict each other",
        ),
        (
            [{"conditions": [("degree", "is", "degree:1"), ("degree", "is", "degree:2")]}],
            "contradict each other",
        ),
        (
            [
                {"action": "accept", "conditions": [("has_note", "is", "yes")]},
                {"action": "decline", "conditions": [("has_note", "is", "yes")]},
            ],
            "same conditions but different actions",
        ),
        (
            [{"action": "hold"}, {"action": "accept", "conditions": [("has_note", "is", "yes")]}],
            "can never apply",
        ),
        ([{"action": "hold", "id": 987654}], "does not exist"),
        ([{"action": "hold"}] * 21, "at most 20 rules"),
    ],
)
def test_bad_input_is_a_422_with_the_message_and_nothing_saved(my_client, me, rules, message):
    install(me, {"name": "Keep me", "action": "hold", "conditions": []})
    before = stored(me)
    response = my_client.post(RULES, form(rules))
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html.replace("&quot;", '"').replace("&#x27;", "'")
    assert "Nothing was saved" in html or "at most 20 rules" in html
    assert stored(me) == before


def test_what_was_typed_is_kept_on_error(my_client, me):
    rules = [{"name": "My selective rule", "action": "accept", "conditions": [("mutuals", "is", "count:3")]}]
    html = my_client.post(RULES, form(rules)).content.decode()
    assert 'value="My selective rule"' in html
    assert 'value="count:3" selected' in html


# ------------------------------------------------------------------------- move, add, delete (no JS)


def test_moving_adding_and_deleting_rules_saves_nothing_until_save(my_client, me):
    rules = [
        {"name": "A", "action": "accept"},
        {"name": "B", "action": "hold", "conditions": [("has_note", "is", "no")]},
    ]
    html = my_client.post(RULES, form(rules, do="up-1")).content.decode()
    assert html.index('value="B"') < html.index('value="A"')
    assert "not saved yet" in html
    html = my_client.post(RULES, form(rules, do="down-0")).content.decode()
    assert html.index('value="B"') < html.index('value="A"')
    html = my_client.post(RULES, form(rules, do="delete-0")).content.decode()
    assert 'value="A"' not in html and 'value="B"' in html
    html = my_client.post(RULES, form(rules, do="add_rule")).content.decode()
    assert 'name="rules" value="3"' in html
    html = my_client.post(RULES, form(rules, do="add_condition-1")).content.decode()
    assert 'name="r1-rows" value="3"' in html  # its condition and two empty lines
    assert stored(me) == []


def test_an_unknown_button_is_refused(my_client, me):
    response = my_client.post(RULES, form([{"action": "hold"}], do="launch"))
    assert response.status_code == 422 and stored(me) == []


def test_adding_a_21st_rule_is_refused(my_client, me):
    response = my_client.post(RULES, form([{"action": "hold"}] * 20, do="add_rule"))
    assert response.status_code == 422
    assert "at most 20 rules" in response.content.decode()


# --------------------------------------------------------------------------------------------- dry run


def pending_set(me):
    shared, noted, loose = trustworthy(), trustworthy(), trustworthy()
    for _ in range(3):
        friend = member()
        connect(me, friend)
        connect(shared, friend)
    Invitation.objects.create(sender=shared, recipient=me)
    Invitation.objects.create(sender=noted, recipient=me, note="We met at the Lyon meetup.")
    Invitation.objects.create(sender=loose, recipient=me)
    return shared, noted, loose


def snapshot(me):
    return (
        sorted(
            Invitation.objects.filter(recipient=me).values_list(
                "pk", "status", "triage_action", "triage_reason"
            )
        ),
        Connection.objects.count(),
        stored(me),
    )


def test_trying_rules_shows_what_they_would_do_and_changes_nothing(my_client, me):
    shared, noted, loose = pending_set(me)
    install(me, {"action": "decline", "conditions": []})
    before = snapshot(me)
    response = my_client.post(RULES, form(SELECTIVE, do="try"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Of your 3 pending invitations: 2 would be accepted, 1 held for your review" in html
    assert "Would be accepted (2)" in html and "Would be held for your review (1)" in html
    assert shared.profile.display_name in html and loose.profile.display_name in html
    assert "Rule 1 “Shared”: 3 mutual connections (≥ 3)" in html
    assert "Rule 2 “Notes”: wrote a note" in html
    assert "We met at the Lyon meetup." in html
    assert snapshot(me) == before


def test_trying_a_bad_rule_set_is_a_422(my_client, me):
    pending_set(me)
    response = my_client.post(RULES, form([{"action": "hold"}, {"action": "hold"}], do="try"))
    assert response.status_code == 422 and "can never apply" in response.content.decode()


# --------------------------------------------------------------------------------------------- presets


def test_a_preset_installs_at_once_when_i_have_no_rules(my_client, me):
    response = my_client.post(PRESET, {"preset": "closed"})
    assert response.status_code == 302
    assert [(p, a) for p, _n, a, _e, _c in stored(me)] == [(1, "hold")]


def test_a_preset_asks_before_replacing_my_rules(my_client, me):
    install(me, {"name": "Mine", "action": "accept", "conditions": []})
    before = stored(me)
    response = my_client.post(PRESET, {"preset": "selective"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Use the “Selective” preset?" in html and "Mine" in html and "Replace my rules" in html
    assert stored(me) == before
    assert my_client.post(PRESET, {"preset": "selective", "confirm": "yes"}).status_code == 302
    assert [n for _p, n, _a, _e, _c in stored(me)] == ["Risky senders", "Shared connections", "Wrote a note"]


def test_an_unknown_preset_is_a_422(my_client, me):
    response = my_client.post(PRESET, {"preset": "everyone-but-bob", "confirm": "yes"})
    assert response.status_code == 422 and stored(me) == []


# ----------------------------------------------------------------------------------------- apply now


def test_apply_now_previews_then_applies(my_client, me):
    shared, noted, loose = pending_set(me)
    install(
        me,
        {
            "name": "Shared",
            "action": "accept",
            "conditions": [{"field": "mutuals", "op": "at_least", "value": 3}],
        },
        {
            "name": "No note",
            "action": "decline",
            "conditions": [{"field": "has_note", "op": "is", "value": False}],
        },
    )
    before = snapshot(me)
    preview = my_client.get(APPLY)
    assert preview.status_code == 200 and "Apply now" in preview.content.decode()
    assert snapshot(me) == before
    response = my_client.post(APPLY, follow=True)
    assert "Your rules sorted 3 pending invitations" in response.content.decode()
    statuses = dict(Invitation.objects.filter(recipient=me).values_list("sender_id", "status"))
    assert statuses == {shared.pk: "accepted", noted.pk: "pending", loose.pk: "ignored"}


# ------------------------------------------------------------------------------------ other members


@pytest.mark.parametrize("role", ["stranger", "connection", "second degree", "blocked"])
def test_another_member_can_neither_see_nor_edit_my_rules(client, me, role):
    [mine] = install(me, {"name": "Mia's secret rule", "action": "accept", "conditions": []})
    other = veteran()
    if role == "connection":
        connect(me, other)
    elif role == "second degree":
        middle = member()
        connect(me, middle)
        connect(middle, other)
    elif role == "blocked":
        Block.objects.create(blocker=me, blocked=other)
    client.force_login(other)
    assert "Mia&#x27;s secret rule" not in client.get(RULES).content.decode()
    response = client.post(RULES, form([{"id": mine.pk, "name": "Hijacked", "action": "decline"}]))
    assert response.status_code == 422 and "does not exist" in response.content.decode()
    assert stored(me) == [(1, "Mia's secret rule", "accept", True, [])]
    assert not TriageRule.objects.filter(owner=other).exists()
    client.post(PRESET, {"preset": "closed", "confirm": "yes"})
    client.post(APPLY)
    assert stored(me) == [(1, "Mia's secret rule", "accept", True, [])]


# -------------------------------------------------------------------------------------- query counts


@pytest.fixture
def settled_graph(settings):
    """The graph index up to date, then polling the change log at most every minute as a running process
    does between changes (tests otherwise poll on every use, one query each)."""

    def settle():
        from entregent.network import graph

        graph.get_index().follow_log(force=True)
        settings.GRAPH_POLL_SECONDS = 60

    return settle


def test_the_page_reads_a_bounded_number_of_queries(my_client, me, django_assert_max_num_queries):
    install(
        me,
        *[
            {"action": "hold", "conditions": [{"field": "mutuals", "op": "at_least", "value": 20 - n}]}
            for n in range(20)
        ],
    )
    with django_assert_max_num_queries(15):
        assert my_client.get(RULES).status_code == 200


@pytest.mark.parametrize("pending", [3, 30])
def test_a_dry_run_reads_a_bounded_number_of_queries(
    my_client, me, pending, settled_graph, django_assert_max_num_queries
):
    for _ in range(pending):
        sender = veteran()
        ExperienceFactory(profile=sender.profile)
        EducationFactory(profile=sender.profile)
        connect(sender, member())
        Invitation.objects.create(sender=sender, recipient=me, note="Hello")
    conditions = [
        ("degree", "at_least", "degree:1"),
        ("mutuals", "fewer_than", "count:100"),
        ("has_note", "is", "yes"),
        ("same_company", "is", "no"),
        ("same_school", "is", "no"),
        ("same_industry", "is", "no"),
        ("tier", "is", "tier:0-100"),
        ("completeness", "at_most", "completeness:all_star"),
        ("risk", "at_most", "risk:high"),
    ]
    rules = [{"name": "Everything", "action": "accept", "conditions": conditions}]
    settled_graph()
    with django_assert_max_num_queries(32):
        response = my_client.post(RULES, form(rules, do="try"))
    assert f"Would be accepted ({pending})" in response.content.decode()
    with django_assert_max_num_queries(32):
        assert my_client.get(APPLY).status_code == 200
