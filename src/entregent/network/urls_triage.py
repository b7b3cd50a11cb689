"""/network/rules/…: the member's invitation rules (names in the "network" namespace)."""

from django.urls import path

from entregent.network.views import triage as views

urlpatterns = [
    path("", views.rules, name="rules"),
    path("preset/", views.rules_preset, name="rules_preset"),
    path("apply/", views.rules_apply, name="rules_apply"),
]
