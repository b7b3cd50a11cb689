import pytest

from entregent.plans.services import plan_assign
from tests.factories import connect
from tests.network.conftest import veteran


def sales_member(**fields):
    """A Sales-plan member, a year old, with a profile good enough for InMail (Beginner profiles get
    none)."""
    import datetime as dt

    from django.utils import timezone

    from tests.profiles.test_completeness import full

    user = full(connections=0).user
    for field, value in fields.items():
        setattr(user.profile, field, value)
    user.profile.save()
    user.date_joined = timezone.now() - dt.timedelta(days=400)
    user.save(update_fields=["date_joined"])
    plan_assign(member=user, plan="sales")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


@pytest.fixture
def ann(db):
    return veteran(first_name="Ann", last_name="Leroy", slug="ann-leroy")


@pytest.fixture
def ben(db):
    return veteran(first_name="Ben", last_name="Moreau", slug="ben-moreau")


@pytest.fixture
def cat(db):
    return veteran(first_name="Cat", last_name="Blanc", slug="cat-blanc")


@pytest.fixture
def pair(ann, ben):
    connect(ann, ben)
    return ann, ben
