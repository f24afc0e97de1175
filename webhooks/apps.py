from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        from . import hooks

        # Submission moves, closed periods, stored figures and canvas changes become events.
        hooks.register()
