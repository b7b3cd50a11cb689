from django.apps import AppConfig


class TrustConfig(AppConfig):
    name = "entregent.trust"
    label = "trust"
