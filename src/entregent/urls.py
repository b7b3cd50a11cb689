from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from entregent.api.urls import api
from entregent.core import views as core_views
from entregent.plans import views as plans_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("search/", core_views.search, name="search"),
    path("outbox/", core_views.outbox, name="outbox"),
    path("media/<path:path>", core_views.media, name="media"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("accounts/", include("allauth.urls")),
    path("settings/", include("entregent.accounts.urls")),
    path("in/", include("entregent.profiles.urls")),
    path("network/", include("entregent.network.urls")),
    path("trust/", include("entregent.trust.urls")),
    path("messaging/", include("entregent.messaging.urls")),
    path("plans/billing/", include("entregent.plans.billing_urls")),
    path("plans/", include("entregent.plans.urls")),
    path("api/v1/", api.urls),
    path(f"{settings.ADMIN_URL}plans/overview/", plans_views.operator_overview, name="plans_overview"),
    path(settings.ADMIN_URL, admin.site.urls),
]
