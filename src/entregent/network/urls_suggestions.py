"""/network/suggestions/…: people you may know (names in the "network" namespace)."""

from django.urls import path

from entregent.network.views import suggestions as views

urlpatterns = [
    path("", views.suggestions, name="suggestions"),
    path("<str:slug>/dismiss/", views.suggestion_dismiss, name="suggestion_dismiss"),
]
