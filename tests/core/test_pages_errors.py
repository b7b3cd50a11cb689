"""Error pages: in the site's layout (with its icon, so browsers ask for nothing else), translated."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_a_404_in_the_site_layout(client):
    response = client.get("/in/nobody-here/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and 'rel="icon"' in html and 'id="main"' in html


def test_the_404_page_speaks_french(client):
    html = client.get("/in/nobody-here/", headers={"accept-language": "fr"}).content.decode()
    assert "Page introuvable" in html


def test_the_500_page_stands_alone(client):
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("en"):
        html = render_to_string("500.html")
    assert "Something went wrong" in html and 'rel="icon"' in html
