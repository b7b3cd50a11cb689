from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "entregent.messaging"
    label = "messaging"
