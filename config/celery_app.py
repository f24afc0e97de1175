"""The Celery app. Like config.wsgi it defaults to production settings: a worker started
without DJANGO_SETTINGS_MODULE never runs with DEBUG or a development key."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("clusterbase")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

from config.requestlog import connect_task_logging  # noqa: E402

connect_task_logging()
