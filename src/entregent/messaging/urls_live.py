"""Live updates (the Server-Sent Events stream) and the unsubscribe link of unread-message mails."""

from django.urls import path

from entregent.messaging import views_live

urlpatterns = [
    path("events/", views_live.events, name="live_events"),
    path("unsubscribe/<str:token>/", views_live.unsubscribe, name="unsubscribe"),
]
