from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "entregent.messaging"
    label = "messaging"
    _listening = False

    def ready(self) -> None:
        from entregent.messaging import live, services

        # Live updates hear of every change after commit; services never import the transport.
        if not MessagingConfig._listening:
            services.on_change(live.publish_change)
            MessagingConfig._listening = True
