"""factory_boy factories for every model tests touch; a test never hand-builds related rows."""

from __future__ import annotations

import functools

import factory
from factory.django import DjangoModelFactory

from entregent.accounts.models import User
from entregent.network.models import Connection
from entregent.profiles import models as pm
from entregent.profiles.services import search_name_for, search_text_for

PASSWORD = "correct-horse-battery-9"


def _password_hash() -> str:
    from django.contrib.auth.hashers import get_hashers

    return _hash_with(get_hashers()[0].algorithm)


@functools.cache
def _hash_with(hasher: str) -> str:
    from django.contrib.auth.hashers import make_password

    return make_password(PASSWORD, hasher=hasher)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"member{n}@example.org")
    # One real Argon2 hash, computed once and shared: hashing per member would dominate test time.
    password = factory.LazyFunction(lambda: _password_hash())
    is_active = True


class ProfileFactory(DjangoModelFactory):
    class Meta:
        model = pm.Profile

    user = factory.SubFactory(UserFactory)
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    slug = factory.Sequence(lambda n: f"member-{n}")
    headline = "Product manager"
    search_text = factory.LazyAttribute(search_text_for)
    search_name = factory.LazyAttribute(search_name_for)


def member(**profile_fields) -> User:
    """A user with a profile, and a verified primary email so allauth lets them log in."""
    from allauth.account.models import EmailAddress

    profile = ProfileFactory(**profile_fields)
    EmailAddress.objects.create(user=profile.user, email=profile.user.email, verified=True, primary=True)
    return profile.user


class ExperienceFactory(DjangoModelFactory):
    class Meta:
        model = pm.Experience

    profile = factory.SubFactory(ProfileFactory)
    title = "Software engineer"
    company_name = "Acme"
    start_month = 1
    start_year = 2020
    is_current = True


class EducationFactory(DjangoModelFactory):
    class Meta:
        model = pm.Education

    profile = factory.SubFactory(ProfileFactory)
    school = "Université de Lyon"
    degree = "Master"
    field_of_study = "Computer science"
    start_year = 2012
    end_year = 2017


class SkillFactory(DjangoModelFactory):
    class Meta:
        model = pm.Skill

    profile = factory.SubFactory(ProfileFactory)
    name = factory.Sequence(lambda n: f"Skill {n}")


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = pm.ContactDetail

    profile = factory.SubFactory(ProfileFactory)
    kind = "email"
    value = factory.Sequence(lambda n: f"contact{n}@example.org")
    visibility = "connections"


def connect(a: User, b: User) -> Connection:
    """Connected members, following each other as a connection implies."""
    from entregent.network.models import Follow, GraphChange

    low, high = Connection.pair(a.pk, b.pk)
    Follow.objects.bulk_create(
        [Follow(follower=a, followed=b), Follow(follower=b, followed=a)], ignore_conflicts=True
    )
    GraphChange.objects.create(kind=GraphChange.Kind.ADD, member_low=low, member_high=high)
    return Connection.objects.create(member_low_id=low, member_high_id=high)


def give_connections(user: User, count: int) -> None:
    """`count` connections for `user` with bare accounts, written in bulk (for counts, not for pages)."""
    from entregent.network.models import GraphChange

    start = User.objects.count()
    others = User.objects.bulk_create(
        [User(email=f"contact{start}-{n}@example.org", password="!") for n in range(count)]
    )
    if not others[0].pk:  # backends that do not return ids from a bulk insert
        others = list(User.objects.filter(email__startswith=f"contact{start}-"))
    pairs = [Connection.pair(user.pk, other.pk) for other in others]
    GraphChange.objects.bulk_create(
        [GraphChange(kind=GraphChange.Kind.ADD, member_low=low, member_high=high) for low, high in pairs]
    )
    Connection.objects.bulk_create(
        [Connection(member_low_id=low, member_high_id=high) for low, high in pairs]
    )
