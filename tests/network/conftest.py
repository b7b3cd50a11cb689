import datetime as dt

import pytest
from django.utils import timezone

from entregent import plans
from tests.factories import member


def veteran(**profile_fields):
    """A member whose trial ended long ago: on the Free plan, with finite quotas."""
    user = member(**profile_fields)
    user.date_joined = timezone.now() - dt.timedelta(days=400)
    user.save(update_fields=["date_joined"])
    return user


def quotas(user) -> tuple:
    return (plans.remaining(user, "invitations.weekly"), plans.remaining(user, "invitation_notes.monthly"))


@pytest.fixture
def ann(db):
    return veteran(first_name="Ann", last_name="Leroy", slug="ann-leroy")


@pytest.fixture
def ben(db):
    return veteran(first_name="Ben", last_name="Moreau", slug="ben-moreau")


@pytest.fixture
def cat(db):
    return veteran(first_name="Cat", last_name="Blanc", slug="cat-blanc")
