"""/network/…: each feature keeps its own URL module (invitations, connections, follows and blocks; people
you may know; introductions; triage rules)."""

from django.urls import include, path

app_name = "network"

urlpatterns = [
    path("suggestions/", include("entregent.network.urls_suggestions")),
    path("introductions/", include("entregent.network.urls_introductions")),
    path("rules/", include("entregent.network.urls_triage")),
    path("", include("entregent.network.urls_invitations")),
]
