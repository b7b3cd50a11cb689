from django.urls import path  # noqa: F401

from entregent.network.views import triage as views  # noqa: F401

urlpatterns: list = []
