from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "entregent.api"
    label = "api"
