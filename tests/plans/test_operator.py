"""The operator's plans overview in the admin: members per plan, trials running and ending, subscriptions
and receipts per zone and month. Staff only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from entregent.plans.models import Plan, Receipt, Subscription
from entregent.plans.services import plan_assign
from tests.factories import UserFactory, member
from tests.plans.conftest import veteran

pytestmark = pytest.mark.django_db
URL = "/admin/plans/overview/"


@pytest.fixture
def staff_client(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    return client


def _joined(days_ago: float):
    user = member()
    user.date_joined = timezone.now() - dt.timedelta(days=days_ago)
    user.save(update_fields=["date_joined"])
    return user


def _subscription(user, zone: str, currency: str, total: str, *, number: int) -> Subscription:
    now = timezone.now()
    subscription = Subscription.objects.create(
        member=user,
        plan=Plan.objects.get(code="career"),
        period="month",
        country="CH" if zone == "switzerland" else "FR",
        zone=zone,
        amount=Decimal(total),
        currency=currency,
        tax_rate=Decimal("0"),
        status=Subscription.ACTIVE,
        current_period_start=now,
        current_period_end=now + dt.timedelta(days=30),
        provider="manual",
    )
    Receipt.objects.create(
        number=number,
        subscription=subscription,
        member=user,
        plan_name="Career",
        period="month",
        period_start=now,
        period_end=now + dt.timedelta(days=30),
        country=subscription.country,
        zone=zone,
        price=Decimal(total),
        net_amount=Decimal(total),
        tax_rate=Decimal("0"),
        tax_amount=Decimal("0"),
        total=Decimal(total),
        currency=currency,
        issued_at=now,
        paid_at=now,
        provider="manual",
    )
    return subscription


def test_logged_out_visitor_is_sent_to_the_admin_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_member_who_is_not_staff_cannot_see_it(alice_client):
    response = alice_client.get(URL)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert "Members per plan" not in response.content.decode()


def test_members_per_plan_count_trials_assignments_and_the_default(staff_client):
    veteran()
    veteran()
    plan_assign(member=veteran(), plan="career")
    plan_assign(member=veteran(), plan="sales")
    _joined(2)
    ending = _joined(26)  # 4 days left
    response = staff_client.get(URL)
    assert response.status_code == 200
    overview = response.context["overview"]
    counts = {p.code: p.members for p in overview.plans}
    # The staff member is new too: on the trial, like the two new members.
    assert counts == {"free": 2, "career": 1 + 3, "business": 0, "sales": 1}
    assert overview.total_members == 7
    assert overview.trials_running == 3
    assert [u.pk for u in overview.trials_ending] == [ending.pk]
    html = response.content.decode()
    assert ending.email in html
    assert 'role="img"' in html and 'aria-label="Members per plan"' in html
    assert "style=" not in html.split('id="content-main"')[1]


def test_subscriptions_and_receipts_per_zone_and_month(staff_client):
    _subscription(veteran(), "europe", "EUR", "35.99", number=1)
    _subscription(veteran(), "europe", "EUR", "35.99", number=2)
    _subscription(veteran(), "switzerland", "CHF", "43.13", number=3)
    response = staff_client.get(URL)
    billing = response.context["overview"].billing
    assert billing["zones"] == ["europe", "switzerland"]
    assert billing["in_effect"] == [{"zone": "europe", "count": 2}, {"zone": "switzerland", "count": 1}]
    this_month = billing["months"][-1]
    assert this_month["subscriptions"] == 3 and this_month["receipts"] == 3
    europe, switzerland = this_month["cells"]
    assert europe["totals"] == [("EUR", Decimal("71.98"))]
    assert switzerland["totals"] == [("CHF", Decimal("43.13"))]
    assert len(billing["months"]) == 12 and billing["months"][0]["subscriptions"] == 0
    html = response.content.decode()
    assert "71.98 EUR" in html and "43.13 CHF" in html
    assert 'aria-label="Receipts per month, last twelve months"' in html


def test_overview_reads_a_bounded_number_of_queries(staff_client, django_assert_max_num_queries):
    staff_client.get(URL)
    with django_assert_max_num_queries(30) as captured:
        staff_client.get(URL)
    few = len(captured)
    for index in range(5):
        _subscription(veteran(), "europe", "EUR", "10.00", number=10 + index)
        _joined(27)
    with django_assert_max_num_queries(few + 1):  # + the list of trials ending (empty before)
        staff_client.get(URL)


def test_plans_admin_index_links_to_the_overview(staff_client):
    html = staff_client.get("/admin/plans/").content.decode()
    assert 'href="/admin/plans/overview/"' in html
