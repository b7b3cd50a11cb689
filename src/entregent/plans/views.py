"""The member's "My plan" page (what they may do, what is used and left, what would unlock more) and the
operator's overview page under the admin (members per plan, trials, subscriptions and receipts). Both only
read: a member never changes their plan or quotas here."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from entregent.plans import selectors


@login_required
@require_GET
def my_plan(request: HttpRequest) -> HttpResponse:
    return render(request, "plans/my_plan.html", {"my_plan": selectors.my_plan_for(request.user)})


@require_GET
def _operator_overview(request: HttpRequest) -> HttpResponse:
    context = {
        **admin.site.each_context(request),
        "title": _("Plans overview"),
        "overview": selectors.operator_overview(),
    }
    return render(request, "admin/plans/overview.html", context)


# Staff only: the admin's own check (redirect to the admin login; a logged-in non-staff member too).
operator_overview = admin.site.admin_view(_operator_overview)
