"""Messaging URLs under /messaging/: the inbox and conversations, settings and labels, live updates,
attachments."""

from django.urls import include, path

app_name = "messaging"

urlpatterns = [
    path("live/", include("entregent.messaging.urls_live")),
    path("files/", include("entregent.messaging.urls_files")),
    path("settings/", include("entregent.messaging.urls_settings")),
    path("search/", include("entregent.messaging.urls_search")),
    path("", include("entregent.messaging.urls_pages")),
]
