from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "entregent.plans"
    label = "plans"
