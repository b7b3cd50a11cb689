"""/api/v1/me/triage-rules…: read and replace the rule set (validated like the page), dry run, presets,
apply now; tokens, scopes and other members' rules."""

import json

import pytest

from entregent.network import triage
from entregent.network.models import Connection, Invitation, TriageRule
from tests.api.conftest import make_token
from tests.factories import EducationFactory, ExperienceFactory, connect, member
from tests.network.conftest import veteran

pytestmark = pytest.mark.django_db

BASE = "/api/v1/me/triage-rules"


class Api:
    def __init__(self, client, token=None):
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def call(self, method, path, body=None):
        kwargs = {"headers": self.headers}
        if body is not None:
            kwargs |= {"data": json.dumps(body), "content_type": "application/json"}
        return getattr(self.client, method)(path, **kwargs)


@pytest.fixture
def me(db):
    return veteran(first_name="Mia", last_name="Roux", slug="mia-roux")


@pytest.fixture
def api(client, me):
    return Api(client, make_token(me, "write"))


def stored(user):
    return list(
        TriageRule.objects.filter(owner=user).order_by("position").values_list("name", "action", "conditions")
    )


SELECTIVE = {
    "rules": [
        {
            "name": "Shared",
            "action": "accept",
            "conditions": [{"field": "mutuals", "op": "at_least", "value": 3}],
        },
        {
            "name": "Notes",
            "action": "accept",
            "conditions": [{"field": "has_note", "op": "is", "value": True}],
        },
    ]
}


def test_replace_then_read_the_rule_set(api, me):
    assert api.call("get", BASE).json() == {"rules": []}
    response = api.call("put", BASE, SELECTIVE)
    assert response.status_code == 200
    rules = response.json()["rules"]
    assert [(r["position"], r["name"], r["action"], r["enabled"]) for r in rules] == [
        (1, "Shared", "accept", True),
        (2, "Notes", "accept", True),
    ]
    assert rules[0]["conditions"] == [{"field": "mutuals", "op": "at_least", "value": 3}]
    assert rules[0]["description"] == "Mutual connections at least 3"
    assert api.call("get", BASE).json()["rules"] == rules
    # Editing by id keeps the rule; left out, the other one goes.
    edited = {"rules": [{"id": rules[1]["id"], "name": "Notes first", "action": "accept", "conditions": []}]}
    assert api.call("put", BASE, edited).json()["rules"][0]["id"] == rules[1]["id"]
    assert stored(me) == [("Notes first", "accept", [])]


@pytest.mark.parametrize(
    ("body", "key", "message"),
    [
        (
            {"rules": [{"action": "accept", "conditions": [{"field": "age", "op": "is", "value": 3}]}]},
            "rules.0.conditions.0.field",
            "Select a valid choice",
        ),
        (
            {"rules": [{"action": "accept", "conditions": [{"field": "mutuals", "op": "is", "value": 3}]}]},
            "rules.0.conditions.0.op",
            "cannot be compared with “is”",
        ),
        (
            {"rules": [{"action": "accept", "conditions": [{"field": "degree", "op": "is", "value": 7}]}]},
            "rules.0.conditions.0.value",
            "not a possible value for “Degree”",
        ),
        (
            {
                "rules": [
                    {"action": "accept", "conditions": [{"field": "has_note", "op": "is", "value": "yes"}]}
                ]
            },
            "rules.0.conditions.0.value",
            "yes or no",
        ),
        (
            {
                "rules": [
                    {
                        "action": "accept",
                        "conditions": [
                            {"field": "mutuals", "op": "at_least", "value": 5},
                            {"field": "mutuals", "op": "fewer_than", "value": 2},
                        ],
                    }
                ]
            },
            "rules.0.conditions",
            "contradict each other",
        ),
        (
            {"rules": [{"action": "accept"}, {"action": "hold", "conditions": []}]},
            "rules.1",
            "same conditions but different actions",
        ),
        ({"rules": [{"action": "hold"}] * 21}, "rules", "at most 20 rules"),
        ({"rules": [{"action": "hold", "name": "a\u0000b"}]}, "rules.0.name", "Null characters"),
        ({"rules": [{"action": "hold", "colour": "red"}]}, "rules.0.colour", "unknown"),
    ],
)
def test_a_refused_rule_set_is_a_422_and_changes_nothing(api, me, body, key, message):
    api.call("put", BASE, SELECTIVE)
    before = stored(me)
    response = api.call("put", BASE, body)
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert any(message in text for text in errors[key]), errors
    assert stored(me) == before


def test_another_members_rule_cannot_be_edited(api, me, client):
    other = veteran()
    [theirs] = triage.rules_replace(
        member=other, rules=triage.clean_rules([{"action": "hold", "name": "Theirs"}])
    )
    response = api.call("put", BASE, {"rules": [{"id": theirs.pk, "action": "accept"}]})
    assert response.status_code == 422 and "rules.0.id" in response.json()["errors"]
    assert stored(other) == [("Theirs", "hold", [])]
    assert api.call("get", BASE).json() == {"rules": []}


def test_tokens_and_scopes(client, me):
    assert Api(client).call("get", BASE).status_code == 401
    read = Api(client, make_token(me, "read"))
    assert read.call("get", BASE).status_code == 200
    assert read.call("put", BASE, SELECTIVE).status_code == 403
    assert read.call("post", f"{BASE}/apply").status_code == 403
    assert stored(me) == []


def test_a_dry_run_lists_each_decision_and_changes_nothing(api, me):
    shared = veteran()
    ExperienceFactory(profile=shared.profile)
    EducationFactory(profile=shared.profile)
    for _ in range(3):
        friend = member()
        connect(me, friend)
        connect(shared, friend)
    loose = veteran()
    first = Invitation.objects.create(sender=shared, recipient=me)
    Invitation.objects.create(sender=loose, recipient=me)
    before = (
        list(Invitation.objects.values_list("pk", "status", "triage_action")),
        Connection.objects.count(),
    )
    response = api.call("post", f"{BASE}/dry-run", SELECTIVE)
    assert response.status_code == 200
    data = response.json()
    assert data["pending"] == 2
    assert data["counts"] == {"accept": 1, "hold": 1, "decline": 0, "suspicious": 0}
    by_id = {row["invitation_id"]: row for row in data["invitations"]}
    assert by_id[first.pk]["action"] == "accept" and by_id[first.pk]["rule_position"] == 1
    assert by_id[first.pk]["reason"] == "Rule 1 “Shared”: 3 mutual connections (≥ 3)"
    assert by_id[first.pk]["sender"]["slug"] == shared.profile.slug
    assert (
        list(Invitation.objects.values_list("pk", "status", "triage_action")),
        Connection.objects.count(),
    ) == before
    assert stored(me) == []
    assert api.call("post", f"{BASE}/dry-run", {"rules": [{"action": "hold"}] * 2}).status_code == 422


def test_presets(api, me):
    presets = api.call("get", f"{BASE}/presets").json()
    assert [p["code"] for p in presets] == ["open", "selective", "closed"]
    response = api.call("post", f"{BASE}/preset", {"preset": "open"})
    assert response.status_code == 200
    assert [r["action"] for r in response.json()["rules"]] == ["suspicious", "accept"]
    assert api.call("post", f"{BASE}/preset", {"preset": "everyone"}).status_code == 422
    assert [a for _n, a, _c in stored(me)] == ["suspicious", "accept"]


def test_apply_now(api, me):
    sender = veteran()
    invitation = Invitation.objects.create(sender=sender, recipient=me, note="Hello")
    api.call("put", BASE, SELECTIVE)
    response = api.call("post", f"{BASE}/apply")
    assert response.status_code == 200
    assert response.json() == {"accept": 1, "hold": 0, "decline": 0, "suspicious": 0}
    invitation.refresh_from_db()
    assert invitation.status == "accepted" and invitation.triage_action == "accept"
