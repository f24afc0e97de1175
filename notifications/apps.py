from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Mail to people"

    def ready(self) -> None:
        from . import hooks

        # What the mail app does after a change in clusters: an outbox row in the change's
        # transaction, delivery by Celery once it commits.
        hooks.register()
