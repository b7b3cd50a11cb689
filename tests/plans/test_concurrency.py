"""Twenty simultaneous requests spend exactly the quota, never more: real threads against the real server."""

import threading

import pytest
from django.db import connection

from entregent import plans
from entregent.plans.models import Plan, QuotaLimit, QuotaUsage
from entregent.plans.services import plan_assign
from tests.plans.conftest import veteran

THREADS = 20

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite serialises every write transaction, so threads cannot race there "
        "(run with DATABASE_URL=postgres://…)",
    ),
]


def _race(user, quota: str) -> tuple[int, list[plans.QuotaExceeded]]:
    barrier = threading.Barrier(THREADS)
    spent: list[int] = []
    refused: list[plans.QuotaExceeded] = []
    errors: list[BaseException] = []

    def request() -> None:
        try:
            barrier.wait()
            plans.consume(user, quota)
            spent.append(1)
        except plans.QuotaExceeded as error:
            refused.append(error)
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=request) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return len(spent), refused


def test_twenty_simultaneous_requests_spend_exactly_a_monthly_quota():

    user = veteran()
    plans.remaining(user, "search.monthly")
    QuotaLimit.objects.filter(plan__code="free", quota="search.monthly").update(limit=7)

    spent, refused = _race(user, "search.monthly")

    assert spent == 7
    assert len(refused) == THREADS - 7
    assert all(error.resets_at is not None and error.unlock for error in refused)
    assert QuotaUsage.objects.get(member=user, quota="search.monthly").used == 7
    assert plans.remaining(user, "search.monthly") == 0


def test_twenty_simultaneous_requests_spend_exactly_a_carried_over_balance():
    user = veteran()
    plans.remaining(user, "search.monthly")
    plan_assign(member=user, plan=Plan.objects.get(code="sales"))
    QuotaLimit.objects.filter(plan__code="sales", quota="inmail.credits").update(limit=6, carry_over_cap=18)
    from entregent.plans.models import CompletenessMultiplier

    CompletenessMultiplier.objects.filter(quota="inmail.credits").delete()
    assert plans.remaining(user, "inmail.credits") == 6

    spent, refused = _race(user, "inmail.credits")

    assert spent == 6
    assert len(refused) == THREADS - 6
    assert plans.remaining(user, "inmail.credits") == 0
