"""Within one web request the engine reads a member's standing once; a change of plan in the same
request is seen at once; outside requests nothing is shared."""

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from entregent import plans
from entregent.plans import services
from entregent.plans.engine import RequestStandingsMiddleware

pytestmark = pytest.mark.django_db


def _in_request(view):
    return RequestStandingsMiddleware(view)(RequestFactory().get("/"))


def test_later_questions_in_one_request_reuse_the_standing(free_member):
    answers = {}

    def view(request):
        answers["first"] = plans.has(free_member, "profile_views.full_list")
        plans.limit(free_member, "profile_views.history_days")
        with CaptureQueriesContext(connection) as later:
            answers["limit"] = plans.limit(free_member, "profile_views.visible_viewers")
            answers["again"] = plans.has(free_member, "profile_views.full_list")
        answers["later_queries"] = len(later)
        return HttpResponse()

    _in_request(view)
    assert answers["first"] is False and answers["again"] is False
    assert answers["limit"] == 5
    assert answers["later_queries"] == 0


def test_a_plan_change_in_the_same_request_is_seen_at_once(free_member):
    answers = {}

    def view(request):
        answers["before"] = plans.has(free_member, "profile_views.full_list")
        services.plan_assign(member=free_member, plan="career")
        answers["after"] = plans.has(free_member, "profile_views.full_list")
        return HttpResponse()

    _in_request(view)
    assert answers == {"before": False, "after": True}


def test_outside_a_request_each_question_reads_afresh(free_member):
    assert plans.has(free_member, "profile_views.full_list") is False
    with CaptureQueriesContext(connection) as queries:
        plans.has(free_member, "profile_views.full_list")
    assert len(queries) > 0
