from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "entregent.core"
    label = "core"
