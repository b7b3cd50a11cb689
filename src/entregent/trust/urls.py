from django.urls import path

from entregent.trust import views

app_name = "trust"

urlpatterns = [
    path("report/<str:slug>/", views.report, name="report"),
    path("moderation/", views.queue, name="queue"),
    path("moderation/<int:member_id>/", views.case, name="case"),
]
