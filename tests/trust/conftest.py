import datetime as dt

import pytest
from django.utils import timezone

from entregent.network.models import Invitation
from tests.factories import EducationFactory, ExperienceFactory, SkillFactory, UserFactory, member


def aged(user, days: int):
    user.date_joined = timezone.now() - dt.timedelta(days=days)
    user.save(update_fields=["date_joined"])
    return user


def solid(**profile_fields):
    """A member nothing looks wrong about: a year old, a photo, a profile well filled in, a current job."""
    fields = {
        "photo": "photos/face.jpg",
        "headline": "Product manager at Acme",
        "about": "Ten years of building software products for retailers.",
        "city": "Lyon",
        "country": "FR",
        "industry": "banking",
        **profile_fields,
    }
    user = aged(member(**fields), 400)
    ExperienceFactory(profile=user.profile, title="Product manager", company_name="Acme")
    EducationFactory(profile=user.profile)
    SkillFactory(profile=user.profile)
    return user


def bare(**profile_fields):
    """A member with a name only (and the factory's headline), joined a year ago."""
    return aged(member(**profile_fields), 400)


def invite(sender, recipients, *, status=Invitation.Status.PENDING, ago=dt.timedelta(hours=1), **fields):
    """Invitations from `sender` to each recipient, sent `ago` ago."""
    when = timezone.now() - ago
    return Invitation.objects.bulk_create(
        [Invitation(sender=sender, recipient=r, status=status, created_at=when, **fields) for r in recipients]
    )


def crowd(n: int, **profile_fields):
    return [member(**profile_fields) for _ in range(n)]


@pytest.fixture
def staff(db):
    user = member(first_name="Sam", last_name="Modo", slug="sam-modo")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


@pytest.fixture
def admin_user_without_profile(db):
    return UserFactory(is_staff=True, is_superuser=True)
