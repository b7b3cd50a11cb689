"""/messaging/search/: full-text search across the member's conversations (messaging/search.py)."""

from django.urls import path

from entregent.messaging import views_search

urlpatterns = [path("", views_search.search, name="search")]
