"""GET /api/v1/me/plan: the "My plan" page's data as JSON, for the member calling and only them; nothing in
the API changes a plan or a quota."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils.dateparse import parse_datetime

from entregent import plans
from entregent.plans.models import PlanAssignment, QuotaUsage
from entregent.plans.services import plan_assign
from tests.api.conftest import ApiClient, make_token
from tests.plans.conftest import veteran

pytestmark = pytest.mark.django_db


def _normalised(data):
    """Datetimes compared as instants to the millisecond (the JSON encoder writes milliseconds)."""
    if isinstance(data, dict):
        return {key: _normalised(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_normalised(value) for value in data]
    if isinstance(data, str) and len(data) >= 19 and data[4] == "-" and "T" in data:
        parsed = parse_datetime(data)
        return parsed.replace(microsecond=parsed.microsecond // 1000 * 1000) if parsed is not None else data
    return data


def test_logged_out_caller_gets_401(client):
    response = client.get("/api/v1/me/plan")
    assert response.status_code == 401


def test_json_matches_the_my_plan_page(client):
    user = veteran(country="CH")
    plan_assign(member=user, plan="career")
    plans.consume(user, "invitations.weekly", n=2)
    plans.consume(user, "search.monthly")
    client.force_login(user)
    page = client.get("/plans/").context["my_plan"].data
    response = client.get("/api/v1/me/plan")  # the site's own session
    assert response.status_code == 200
    body = response.json()
    page["region"].setdefault("error", None)  # the schema always has the key
    assert _normalised(body) == _normalised(page)
    assert body["plan"] == {"code": "career", "name": "Career", "source": "assignment"}
    invitations = next(q for q in body["quotas"] if q["code"] == "invitations.weekly")
    assert invitations["used"] == 2
    assert invitations["left"] == invitations["limit"] - 2
    assert body["region"]["zone"]["code"] == "switzerland"


def test_read_only_token_reads_my_plan_and_trial(client, alice):
    api = ApiClient(client, make_token(alice, "read"))
    response = api.get("/me/plan")
    assert response.status_code == 200
    body = response.json()
    assert body["plan"]["source"] == "trial"
    assert body["trial"]["active"] is True
    ends_at = parse_datetime(body["trial"]["ends_at"])
    assert abs(ends_at - (alice.date_joined + dt.timedelta(days=30))) < dt.timedelta(milliseconds=1)
    assert next(f for f in body["features"] if f["code"] == "inmail.send")["enabled"] is True
    unlimited = next(q for q in body["quotas"] if q["code"] == "invitation_notes.monthly")
    assert unlimited["limit"] is None and unlimited["left"] is None


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_no_method_changes_my_plan(client, method):
    user = veteran()
    api = ApiClient(client, make_token(user, "write"))
    payload = {"plan": {"code": "sales"}, "quotas": [{"code": "invitations.weekly", "limit": 100000}]}
    response = api._call(method, "/me/plan", payload)
    assert response.status_code == 405
    assert not PlanAssignment.objects.filter(member=user).exists()
    assert not QuotaUsage.objects.filter(member=user).exists()
    assert plans.limit(user, "invitations.weekly") == 50  # Free × Beginner


@pytest.mark.parametrize("path", ["/me/plan/quotas", "/me/plan/usage", "/me/plans", "/me/subscription/grant"])
def test_no_endpoint_grants_anything(client, path):
    user = veteran()
    api = ApiClient(client, make_token(user, "write"))
    response = api.post(path, {"plan": "sales", "limit": 100000})
    assert response.status_code in (404, 405)
    assert not PlanAssignment.objects.filter(member=user).exists()


def test_openapi_documents_only_reading_my_plan(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths["/api/v1/me/plan"]) == {"get"}
    assert not [path for path in paths if path.startswith("/api/v1/me/plan/")]
