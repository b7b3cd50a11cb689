import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import member


def veteran(**profile_fields):
    """A member whose trial ended long ago: on the default plan unless assigned another."""
    user = member(**profile_fields)
    user.date_joined = timezone.now() - dt.timedelta(days=400)
    user.save(update_fields=["date_joined"])
    return user


@pytest.fixture
def free_member(db):
    return veteran()
