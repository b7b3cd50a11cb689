import pytest

pytestmark = pytest.mark.django_db


def test_landing_page_invites_visitors_to_join(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Join now" in response.content


def test_health_check_answers_ok(client):
    assert client.get("/healthz").content == b"ok"


def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
