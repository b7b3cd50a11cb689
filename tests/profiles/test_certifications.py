import pytest

from entregent.profiles.models import Certification

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"issue_month": "1", "issue_year": "2099"}, "cannot be in the future"),
        (
            {"issue_month": "6", "issue_year": "2020", "expiry_month": "1", "expiry_year": "2019"},
            "cannot be before the start date",
        ),
    ],
)
def test_incoherent_certification_dates_are_refused_next_to_the_field(alice_client, data, message):
    response = alice_client.post(
        "/in/me/edit/certifications/add/", {"name": "AWS Architect", "authority": "Amazon", **data}
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Certification.objects.exists()
