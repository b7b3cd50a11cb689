"""The OpenAPI document and the interactive docs page."""

from __future__ import annotations

from django.test import Client, modify_settings

from entregent.profiles.api import SECTION_CREATE
from entregent.profiles.sections import SECTIONS


def test_openapi_document_is_3_1_and_lists_the_endpoints(client, db):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.1")
    paths = document["paths"]
    assert {"get", "patch"} <= set(paths["/api/v1/me/profile"])
    assert "get" in paths["/api/v1/members/{slug}"]
    for section in SECTIONS:
        assert "post" in paths[f"/api/v1/me/profile/{section}"]
        assert {"patch", "delete"} <= set(paths[f"/api/v1/me/profile/{section}/{{item_id}}"])
    schemes = document["components"]["securitySchemes"]
    assert schemes["TokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A personal access token: `Authorization: Bearer ent_…`.",
    }
    assert schemes["SessionAuth"]["in"] == "cookie"
    # Reading a member is open to logged-out callers: an empty requirement says auth is optional.
    assert {} in paths["/api/v1/members/{slug}"]["get"]["security"]


def test_section_schemas_follow_the_forms(db):
    for name, spec in SECTIONS.items():
        assert set(SECTION_CREATE[name].model_fields) == set(spec.form._meta.fields)


def test_docs_page_never_loads_a_third_party_script(db):
    response = Client().get("/api/v1/docs")

    assert response.status_code in (200, 404)
    assert b"cdn" not in response.content.lower()


@modify_settings(INSTALLED_APPS={"append": "ninja"})
def test_docs_page_uses_local_swagger_assets(db):
    client = Client()

    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'src="/static/ninja/swagger-ui-bundle.js"' in html
    assert "https://" not in html
    for asset in ("swagger-ui-bundle.js", "swagger-ui-init.js", "swagger-ui.css"):
        assert client.get(f"/static/ninja/{asset}").status_code == 200
