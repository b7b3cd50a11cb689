"""The demo network: `entregent seed` fills an empty database with a believable, deterministic
network whose two demo logins work; `entregent demo` never runs in production."""

from __future__ import annotations

import io
import os
import shutil
import statistics
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F
from django.utils import timezone
from PIL import Image

from entregent.accounts.models import User
from entregent.core.text import fold
from entregent.demo import DEMO_LOGINS, DEMO_PASSWORD
from entregent.demo.plan import make_plan
from entregent.network.models import Connection, Invitation
from entregent.profiles import models as pm
from tests.factories import member

ROOT = Path(__file__).resolve().parents[2]


def seed(members: int = 150, seed: int = 7) -> str:
    out = io.StringIO()
    call_command("seed", members=members, seed=seed, stdout=out)
    return out.getvalue()


def degrees() -> Counter:
    counts: Counter = Counter()
    for low, high in Connection.objects.values_list("member_low_id", "member_high_id"):
        counts[low] += 1
        counts[high] += 1
    return counts


def snapshot() -> dict:
    profiles = pm.Profile.objects.order_by("user__email")
    return {
        "names": list(profiles.values_list("first_name", "last_name", "headline", "city")),
        "titles": sorted(pm.Experience.objects.values_list("profile__slug", "title", "start_year")),
        "connections": Connection.objects.count(),
        "invitations": Invitation.objects.count(),
    }


# --- Determinism ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_same_seed_gives_the_same_network():
    seed(members=120, seed=3)
    first = snapshot()
    User.objects.all().delete()

    seed(members=120, seed=3)

    assert snapshot() == first
    assert first["connections"] > 120


def test_different_seeds_give_different_networks():
    now = timezone.now()
    a = make_plan(members=200, seed=1, now=now)
    b = make_plan(members=200, seed=2, now=now)

    names_a = [(p.first_name, p.last_name) for p in a.persons[2:]]
    names_b = [(p.first_name, p.last_name) for p in b.persons[2:]]
    assert names_a != names_b
    assert a.edges != b.edges


# --- Structure --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_connections_are_ordered_pairs_without_self_connection_or_duplicate():
    seed()

    connections = Connection.objects.all()
    assert connections.count() > 0
    assert not connections.filter(member_low_id__gte=F("member_high_id")).exists()
    pairs = list(connections.values_list("member_low_id", "member_high_id"))
    assert len(pairs) == len(set(pairs))
    assert all(c.created_at <= timezone.now() for c in connections[:50])


@pytest.mark.django_db
def test_every_member_is_a_demo_account_with_a_verified_address_and_unique_address():
    seed()

    users = User.objects.all()
    assert users.count() == 150
    assert not users.filter(is_demo=False).exists()
    verified = EmailAddress.objects.filter(verified=True, primary=True)
    assert verified.count() == 150
    assert set(verified.values_list("email", flat=True)) == set(users.values_list("email", flat=True))
    slugs = list(pm.Profile.objects.values_list("slug", flat=True))
    assert len({s.lower() for s in slugs}) == 150
    for profile in pm.Profile.objects.all():
        assert fold(profile.first_name) in profile.search_text
        assert fold(profile.last_name) in profile.search_text
        assert profile.search_name == fold(f"{profile.first_name} {profile.last_name}")


@pytest.mark.django_db
def test_seeded_profiles_and_sections_pass_model_validation():
    seed()

    models = [pm.Profile, pm.Experience, pm.Education, pm.Skill, pm.Language, pm.Certification]
    models += [pm.Project, pm.Volunteering, pm.ContactDetail]
    for model in models:
        for item in model.objects.all():
            item.full_clean()
    assert pm.Experience.objects.count() > 150
    assert pm.Skill.objects.count() > 300


@pytest.mark.django_db
def test_network_mixes_countries_industries_and_profile_richness():
    seed(members=300)

    profiles = pm.Profile.objects.all()
    countries = Counter(profiles.values_list("country", flat=True))
    assert countries.most_common(1)[0][0] == "FR"
    assert len(countries) >= 4
    assert profiles.values("industry").distinct().count() >= 15
    with_photo = profiles.exclude(photo="").count()
    assert 0.15 * 300 < with_photo < 0.7 * 300
    assert profiles.filter(about="").exists() and profiles.exclude(about="").exists()
    assert pm.Language.objects.values("proficiency").distinct().count() == 5
    assert profiles.filter(open_to_work__in=["all", "recruiters"]).exists()
    companies = pm.Experience.objects.values("company_name").distinct().count()
    assert companies >= 25  # about members / 20, at least one per industry


@pytest.mark.django_db
def test_career_dates_are_coherent():
    seed()

    today = timezone.localdate()
    for experience in pm.Experience.objects.all():
        assert (experience.start_year, experience.start_month) <= (today.year, today.month)
        if experience.is_current:
            assert experience.end_year is None
        else:
            assert (experience.end_year, experience.end_month) >= (
                experience.start_year,
                experience.start_month,
            )
    for profile in pm.Profile.objects.prefetch_related("experiences"):
        current = [e for e in profile.experiences.all() if e.is_current]
        assert len(current) <= 1


def test_larger_network_has_a_few_hubs_and_a_heavy_tail():
    plan = make_plan(members=400, seed=5, now=timezone.now())
    counts: Counter = Counter()
    for a, b in plan.edges:
        counts[a] += 1
        counts[b] += 1
    degrees_sorted = sorted((counts[i] for i in range(400)), reverse=True)

    assert sum(d >= 100 for d in degrees_sorted) >= 4  # the hubs and the two demo logins
    assert statistics.median(degrees_sorted) < 30
    assert counts[0] >= 150  # Camille, the first demo login


def test_a_large_network_has_members_past_500_connections():
    plan = make_plan(members=4000, seed=11, now=timezone.now())
    counts: Counter = Counter()
    for a, b in plan.edges:
        counts[a] += 1
        counts[b] += 1

    assert sum(d > 500 for d in counts.values()) >= 2


def test_colleagues_and_classmates_are_connected_more_than_strangers():
    plan = make_plan(members=400, seed=9, now=timezone.now())
    edges = set(plan.edges)
    persons = plan.persons

    def connected_share(pairs: list[tuple[int, int]]) -> float:
        return sum((min(a, b), max(a, b)) in edges for a, b in pairs) / max(1, len(pairs))

    colleagues = [
        (a, b)
        for company in plan.companies
        for i, a in enumerate(company.members)
        for b in company.members[i + 1 :]
        if a != b
    ]
    strangers = [(a, a + 97) for a in range(2, 300)]
    assert connected_share(colleagues) > 3 * connected_share(strangers)
    assert len({p.city for p in persons}) > 10


@pytest.mark.django_db
def test_pending_invitations_come_with_and_without_a_note_between_unconnected_members():
    seed()

    pending = Invitation.objects.filter(status=Invitation.Status.PENDING)
    assert pending.exclude(note="").exists()
    assert pending.filter(note="").exists()
    connected = set(Connection.objects.values_list("member_low_id", "member_high_id"))
    for invitation in pending:
        assert invitation.sender_id != invitation.recipient_id
        assert Connection.pair(invitation.sender_id, invitation.recipient_id) not in connected


@pytest.mark.django_db
def test_a_few_suspicious_profiles_are_sparse_and_recent():
    from entregent.demo.writer import seed_network

    report = seed_network(members=200, seed=4)

    assert len(report.suspicious) >= 3
    for profile in pm.Profile.objects.filter(user_id__in=report.suspicious):
        assert not profile.photo
        assert profile.educations.count() == 0
        assert profile.skills.count() <= 1
        assert profile.experiences.count() == 1
        assert (timezone.now() - profile.user.date_joined).days <= 21
    sent = Invitation.objects.filter(sender_id__in=report.suspicious).count()
    assert sent >= 3 * len(report.suspicious)


@pytest.mark.django_db
def test_photos_are_generated_images_in_two_sizes():
    seed()

    profile = pm.Profile.objects.exclude(photo="").first()
    with Image.open(profile.photo.path) as big, Image.open(profile.photo_small.path) as small:
        assert big.size == (400, 400)
        assert small.size == (96, 96)


# --- The demo logins --------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("email", [email for email, _ in DEMO_LOGINS])
def test_demo_logins_can_sign_in_through_the_login_page(client, email):
    seed()

    response = client.post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD})

    assert response.status_code == 302
    home = client.get("/")
    assert home.context["user"].email == email


@pytest.mark.django_db
def test_demo_logins_have_rich_profiles_and_many_connections():
    seed(members=300)

    counts = degrees()
    median = statistics.median(counts.values())
    for email, _password in DEMO_LOGINS:
        profile = pm.Profile.objects.get(user__email=email)
        experiences = list(profile.experiences.all())
        current = [e for e in experiences if e.is_current]
        assert profile.photo and profile.banner
        assert profile.industry and profile.city and profile.country
        assert len(profile.about.split()) >= 40
        assert len(current) == 1 and current[0].description
        assert len(experiences) - len(current) >= 2
        assert profile.educations.count() >= 1
        assert profile.skills.count() >= 5 and profile.skills.filter(pinned=True).count() == 3
        assert profile.languages.count() >= 3
        assert profile.target_industry
        assert counts[profile.user_id] > 4 * median
        assert Invitation.objects.filter(recipient=profile.user, status="pending").exists()


@pytest.mark.django_db
def test_seeded_profile_pages_render(client):
    seed()

    for profile in pm.Profile.objects.order_by("pk")[:8]:
        response = client.get(profile.get_absolute_url())
        assert response.status_code == 200, profile.slug
    client.post("/accounts/login/", {"login": DEMO_LOGINS[0][0], "password": DEMO_PASSWORD})
    for profile in pm.Profile.objects.order_by("-pk")[:5]:
        assert client.get(profile.get_absolute_url()).status_code == 200


# --- The command ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_seed_shows_progress_phase_by_phase():
    output = seed()

    for phase in ("Planned", "Members:", "Connections:", "Invitations:", "Done:"):
        assert phase in output
    assert DEMO_LOGINS[0][0] in output


@pytest.mark.django_db
def test_seed_refuses_a_database_that_already_has_members():
    member(first_name="Real", last_name="Person")

    with pytest.raises(CommandError, match="empty database"):
        seed()

    assert User.objects.count() == 1


def test_demo_refuses_to_run_in_production(tmp_path):
    uv = shutil.which("uv")
    command = (
        [uv, "run", "--quiet", "entregent", "demo"] if uv else [sys.executable, "-m", "entregent", "demo"]
    )
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "UV_CACHE_DIR")}
    env.update(ENTREGENT_ENV="production", ENTREGENT_DATA_DIR=str(tmp_path))

    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)

    assert done.returncode == 2
    assert "refuses to run with ENTREGENT_ENV=production" in done.stderr
    assert not (tmp_path / "entregent.sqlite3").exists()


@pytest.mark.django_db
def test_demo_logins_have_recent_profile_views_some_of_them_private(client):
    seed(members=300)

    email = DEMO_LOGINS[0][0]
    user = pm.Profile.objects.get(user__email=email).user
    visits = pm.ProfileVisit.objects.filter(viewed=user)
    assert visits.count() >= 30
    assert visits.exclude(viewer_mode=pm.ViewerMode.NAME).exists()
    assert not pm.ProfileVisit.objects.filter(viewer=F("viewed")).exists()
    client.force_login(user)
    page = client.get("/in/me/views/")
    assert page.status_code == 200


@pytest.mark.django_db
def test_connected_members_follow_each_other():
    from entregent.network.models import Follow

    seed()
    connection = Connection.objects.first()
    assert Follow.objects.filter(follower=connection.member_low, followed=connection.member_high).exists()
    assert Follow.objects.filter(follower=connection.member_high, followed=connection.member_low).exists()
    assert Follow.objects.count() == 2 * Connection.objects.count()


@pytest.mark.django_db
def test_the_demo_logins_find_conversations_with_their_connections():
    from entregent.core import policy
    from entregent.messaging import selectors
    from entregent.messaging.models import Conversation

    seed(members=150)
    camille = User.objects.get(email=DEMO_LOGINS[0][0])
    rows = list(selectors.inbox_for(camille))
    assert len(rows) >= 5
    assert any(row.is_unread for row in rows) and any(not row.is_unread for row in rows)
    for row in rows:  # everyone is connected to the one who started the conversation
        creator = row.conversation.created_by_id
        others = [p.member_id for p in row.conversation.active_participants if p.member_id != creator]
        assert all(policy.are_connected(creator, other) for other in others)
        assert row.conversation.last_message.body
    assert Conversation.objects.filter(kind=Conversation.Kind.GROUP).exists()
