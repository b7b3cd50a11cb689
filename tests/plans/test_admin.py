import pytest
from django.urls import reverse

from entregent.plans.models import Plan, QuotaLimit
from entregent.plans.services import plan_assign
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(email="root@example.org", is_staff=True, is_superuser=True))
    return client


def _plan_form(plan: Plan, **quota_changes) -> dict:
    data = {
        "code": plan.code,
        "name": plan.name,
        "description": plan.description,
        "position": plan.position,
        "is_public": "on",
    }
    if plan.is_default:
        data["is_default"] = "on"
    for prefix, rows, fields in (
        ("features", plan.features.all(), ["feature", "enabled"]),
        ("quotas", plan.quotas.all(), ["quota", "limit", "carry_over_cap", "expires_after_days"]),
        ("prices", plan.prices.all(), ["zone", "currency", "monthly", "yearly_discount", "tax_rate"]),
    ):
        rows = list(rows)
        data.update({f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": len(rows)})
        for i, row in enumerate(rows):
            data[f"{prefix}-{i}-id"] = row.pk
            data[f"{prefix}-{i}-plan"] = plan.pk
            for field in fields:
                value = getattr(row, field + "_id", None) if field == "zone" else getattr(row, field)
                if prefix == "quotas" and row.quota in quota_changes and field == "limit":
                    value = quota_changes[row.quota]
                if isinstance(value, bool):
                    if value:
                        data[f"{prefix}-{i}-{field}"] = "on"
                else:
                    data[f"{prefix}-{i}-{field}"] = "" if value is None else value
    return data


def test_operator_edits_a_quota_in_the_plan_page(admin_client):
    plan = Plan.objects.get(code="free")
    url = reverse("admin:plans_plan_change", args=[plan.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, _plan_form(plan, **{"search.monthly": 40}))
    assert response.status_code == 302
    assert QuotaLimit.objects.get(plan=plan, quota="search.monthly").limit == 40


@pytest.mark.parametrize("bad", [-1, 5_000_000, "lots"])
def test_negative_or_absurd_numbers_are_refused_and_nothing_is_saved(admin_client, bad):
    plan = Plan.objects.get(code="free")
    url = reverse("admin:plans_plan_change", args=[plan.pk])
    response = admin_client.post(url, _plan_form(plan, **{"search.monthly": bad}))
    assert response.status_code == 200
    assert response.context["errors"]
    assert QuotaLimit.objects.get(plan=plan, quota="search.monthly").limit == 300


def test_a_plan_members_hold_cannot_be_deleted(admin_client, alice):
    plan = Plan.objects.get(code="business")
    plan_assign(member=alice, plan=plan)
    url = reverse("admin:plans_plan_delete", args=[plan.pk])
    response = admin_client.post(url, {"post": "yes"})
    assert Plan.objects.filter(pk=plan.pk).exists()
    assert b"protected" in response.content.lower() or b"Cannot delete" in response.content


def test_a_plan_nobody_holds_can_be_deleted(admin_client):
    plan = Plan.objects.get(code="business")
    response = admin_client.post(reverse("admin:plans_plan_delete", args=[plan.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Plan.objects.filter(pk=plan.pk).exists()


@pytest.mark.parametrize(
    "model", ["plan", "planassignment", "trialsettings", "completenessmultiplier", "zone", "quotausage"]
)
def test_every_admin_list_opens(admin_client, model):
    assert admin_client.get(reverse(f"admin:plans_{model}_changelist")).status_code == 200
