"""/network/introductions/…: the Introductions section (one tab per role), the request form for a
2nd-degree member, one introduction, and the answers of each role."""

from django.urls import path

from entregent.network.views import introductions as views

urlpatterns = [
    path("", views.introductions, name="introductions"),
    path("new/<str:slug>/", views.introduction_new, name="introduction_new"),
    path("<int:pk>/", views.introduction_detail, name="introduction_detail"),
    path("<int:pk>/forward/", views.introduction_forward, name="introduction_forward"),
    path("<int:pk>/decline/", views.introduction_decline, name="introduction_decline"),
    path("<int:pk>/accept/", views.introduction_accept, name="introduction_accept"),
    path("<int:pk>/withdraw/", views.introduction_withdraw, name="introduction_withdraw"),
]
