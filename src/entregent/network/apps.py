from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "entregent.network"
    label = "network"
