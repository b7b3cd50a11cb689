"""Schemathesis runs over the whole OpenAPI document, in process, against the WSGI app: every
operation with generated data (valid and invalid), as member A with a read-write token, and the
member endpoints also at member B's address, B's former address and A's own, and the item
endpoints at B's items and A's. No answer may be a 5xx, every answer must match the document
(status code, content type, body schema), and nothing of B's may change.

Bounded and derandomized so that CI is fast and stable; it runs on SQLite and PostgreSQL alike (each
operation is one test in pytest-django's rolled-back transaction, requests run in the same thread).
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from entregent.core.policy import are_connected
from entregent.profiles import services as profile_services
from tests.api.conftest import make_token
from tests.factories import (
    ContactFactory,
    EducationFactory,
    ExperienceFactory,
    SkillFactory,
    connect,
    member,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


def _load_schema():
    # Loaded at collection: producing the document touches no database. (schemathesis's lazy
    # `from_fixture` loader does not work with pytest 9.2, which renamed a node attribute it uses.)
    from entregent.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


schema = _load_schema()


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests go through the real WSGI handler, which closes the database connection when a
    request ends; that would end the test's transaction (on PostgreSQL). Django's test client
    disconnects the same signal handlers for the same reason."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def two_members(db):
    """Member A (who calls) and member B, each with a filled profile; B changed address once."""
    a = member(first_name="Ada", last_name="Lovelace", slug="ada-lovelace")
    b = member(first_name="Blaise", last_name="Pascal", slug="blaise-old")
    profile_services.profile_change_slug(profile=b.profile, slug="blaise-pascal")
    for user in (a, b):
        ExperienceFactory(profile=user.profile)
        EducationFactory(profile=user.profile)
        SkillFactory(profile=user.profile)
        ContactFactory(profile=user.profile, visibility="public")
        ContactFactory(profile=user.profile, visibility="connections")
    b_before = _snapshot(b)
    yield a, b, make_token(a)
    assert _snapshot(b) == b_before, "a request by A changed B's profile"


def _snapshot(user) -> dict:
    """Everything of a member's profile that A's requests must never change."""
    from entregent.profiles.models import Profile
    from entregent.profiles.sections import SECTIONS

    profile = Profile.objects.get(user=user)
    data = {"profile": [profile.slug, profile.headline, profile.first_name, profile.public_sections]}
    for name, spec in SECTIONS.items():
        data[name] = list(spec.model.objects.filter(profile=profile).order_by("pk").values())
    return data


def _item_ids(user, case) -> list[int]:
    """A's and B's own items of the section this operation edits."""
    from entregent.profiles.sections import SECTIONS

    section = case.path.split("/")[5] if case.path.count("/") >= 5 else ""
    spec = SECTIONS.get(section)
    if spec is None:
        return []
    return list(spec.model.objects.filter(profile__user=user).values_list("pk", flat=True)[:1])


@schema.parametrize()
@settings(
    max_examples=12,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_match_the_schema_and_never_fail(case, two_members):
    a, b, token = two_members
    headers = {"Authorization": f"Bearer {token}"}
    case.call_and_validate(headers=headers, checks=CHECKS)

    if "slug" in (case.path_parameters or {}):
        for slug in ("blaise-pascal", "blaise-old", "ada-lovelace"):
            case.path_parameters["slug"] = slug
            case.call_and_validate(headers=headers, checks=CHECKS)
            case.call_and_validate(checks=CHECKS)  # logged out
        if not are_connected(a.pk, b.pk):
            connect(a, b)
        case.path_parameters["slug"] = "blaise-pascal"
        case.call_and_validate(headers=headers, checks=CHECKS)
    if "item_id" in (case.path_parameters or {}):
        for user in (b, a):  # B's item first: a 404, then A's own item
            for pk in _item_ids(user, case):
                case.path_parameters["item_id"] = pk
                case.call_and_validate(headers=headers, checks=CHECKS)
