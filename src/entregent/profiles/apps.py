from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "entregent.profiles"
    label = "profiles"
