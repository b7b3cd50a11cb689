from django.urls import path

from entregent.profiles import views, views_viewers

app_name = "profiles"

urlpatterns = [
    path("me/", views.me, name="me"),
    path("me/views/", views_viewers.viewers, name="viewers"),
    path("me/edit/", views.edit, name="edit"),
    path("me/edit/<slug:card>/", views.edit_card, name="edit_card"),
    path("me/edit/<slug:card>/remove/", views.remove_image, name="remove_image"),
    path("me/edit/<str:section>/add/", views.section_form, name="section_add"),
    path("me/edit/<str:section>/<int:pk>/", views.section_form, name="section_edit"),
    path("me/edit/<str:section>/<int:pk>/delete/", views.section_delete, name="section_delete"),
    path("me/edit/<str:section>/<int:pk>/move/", views.section_move, name="section_move"),
    path("<str:slug>/", views.detail, name="detail"),
]
