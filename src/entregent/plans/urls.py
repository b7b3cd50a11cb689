from django.urls import path

from entregent.plans import views

app_name = "plans"

urlpatterns = [
    path("", views.my_plan, name="my_plan"),
]
