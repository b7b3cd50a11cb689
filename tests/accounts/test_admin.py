"""The admin site: members by email, read-only access tokens, profiles with their sections
inline, slug history, connections and invitations."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from entregent.accounts import services as account_services
from entregent.accounts.models import PersonalAccessToken, User
from entregent.network.models import Invitation
from entregent.profiles.models import Profile, SlugChange
from tests.factories import (
    ContactFactory,
    EducationFactory,
    ExperienceFactory,
    SkillFactory,
    UserFactory,
    connect,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(email="root@example.org", is_staff=True, is_superuser=True))
    return client


def test_admin_is_closed_to_members(alice_client):
    response = alice_client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_members_are_listed_and_searched_by_email(admin_client, alice, bob):
    response = admin_client.get(reverse("admin:accounts_user_changelist"), {"q": alice.email})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [alice]
    assert "Alice Martin" in response.content.decode()


def test_admin_creates_a_member_with_an_email(admin_client):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "new@example.org",
            "usable_password": "true",
            "password1": "a-long-and-unusual-passphrase",
            "password2": "a-long-and-unusual-passphrase",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(email="new@example.org")
    assert user.password.startswith("argon2")


def test_member_change_page_has_no_username_or_names(admin_client, alice):
    response = admin_client.get(reverse("admin:accounts_user_change", args=[alice.pk]))

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "email" in form.fields
    assert not {"username", "first_name", "last_name"} & set(form.fields)


def test_access_tokens_are_read_only_and_can_be_revoked(admin_client, alice):
    token, secret = account_services.token_create(user=alice, name="Script", scope="read")

    change = admin_client.get(reverse("admin:accounts_personalaccesstoken_change", args=[token.pk]))
    add = admin_client.get(reverse("admin:accounts_personalaccesstoken_add"))
    response = admin_client.post(
        reverse("admin:accounts_personalaccesstoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )

    assert change.status_code == 200
    html = change.content.decode()
    assert token.token_hash in html and secret not in html
    assert 'name="token_hash"' not in html  # shown, not editable
    assert add.status_code == 403
    assert response.status_code == 302
    assert PersonalAccessToken.objects.get(pk=token.pk).revoked_at is not None


def test_profile_change_page_shows_sections_inline(admin_client, alice):
    profile = alice.profile
    ExperienceFactory(profile=profile, title="Head of data")
    EducationFactory(profile=profile)
    SkillFactory(profile=profile, name="Python")
    ContactFactory(profile=profile, value="alice@work.example")
    SlugChange.objects.create(profile=profile, old_slug="alice-old")

    response = admin_client.get(reverse("admin:profiles_profile_change", args=[profile.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Head of data", "Université de Lyon", "Python", "alice@work.example", "alice-old"):
        assert text in html


def test_profiles_are_searched_by_name_and_email(admin_client, alice, bob):
    by_name = admin_client.get(reverse("admin:profiles_profile_changelist"), {"q": "Durand"})
    by_email = admin_client.get(reverse("admin:profiles_profile_changelist"), {"q": alice.email})

    assert list(by_name.context["cl"].result_list) == [bob.profile]
    assert list(by_email.context["cl"].result_list) == [alice.profile]


def test_editing_a_name_in_the_admin_keeps_search_in_step(admin_client, alice):
    profile = alice.profile
    url = reverse("admin:profiles_profile_change", args=[profile.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name in form.fields}
    data.update(first_name="Alicia", user=alice.pk, public_sections='{"about": true}')
    for prefix in (
        "experiences",
        "educations",
        "skills",
        "languages",
        "certifications",
        "projects",
        "volunteering",
        "contacts",
        "slug_changes",
    ):
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    profile = Profile.objects.get(pk=profile.pk)
    assert profile.first_name == "Alicia"
    assert "alicia" in profile.search_text
    assert profile.slug == "alice-martin"


def test_connections_and_invitations_are_listed(admin_client, alice, bob):
    connect(alice, bob)
    Invitation.objects.create(sender=alice, recipient=UserFactory(email="carl@example.org"), note="Hello")

    connections = admin_client.get(reverse("admin:network_connection_changelist"), {"q": bob.email})
    invitations = admin_client.get(
        reverse("admin:network_invitation_changelist"), {"status__exact": "pending"}
    )
    invitation = admin_client.get(
        reverse("admin:network_invitation_change", args=[Invitation.objects.get().pk])
    )

    assert connections.status_code == invitations.status_code == invitation.status_code == 200
    assert len(connections.context["cl"].result_list) == 1
    assert len(invitations.context["cl"].result_list) == 1
    assert "Hello" in invitation.content.decode()


@pytest.mark.django_db
def test_profile_visits_are_listed_read_only_for_staff(client, alice, bob):
    from entregent.profiles.models import ProfileVisit

    ProfileVisit.objects.create(viewed=alice, viewer=bob, day=timezone.localdate(), viewer_mode="name")
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    listing = client.get("/admin/profiles/profilevisit/")
    assert listing.status_code == 200
    assert bob.email in listing.content.decode()
    assert client.get("/admin/profiles/profilevisit/add/").status_code == 403
