"""/messaging/settings/…: the member's messaging preferences and labels, and the conversation buttons that
share or ask for contact details and mark an InMail as spam (names in the "messaging" namespace)."""

from django.urls import path

from entregent.messaging import views_settings as views

urlpatterns = [
    path("", views.settings_page, name="settings"),
    path("labels/", views.labels, name="labels"),
    path("labels/<int:pk>/", views.label_edit, name="label_edit"),
    path("labels/<int:pk>/delete/", views.label_delete, name="label_delete"),
    path("conversations/<int:pk>/share-contact/", views.contact_share, name="contact_share"),
    path("conversations/<int:pk>/ask-contact/", views.contact_request, name="contact_request"),
    path(
        "messages/<int:pk>/accept-contact-request/",
        views.contact_request_accept,
        name="contact_request_accept",
    ),
    path("conversations/<int:pk>/spam/", views.inmail_spam, name="inmail_spam"),
]
