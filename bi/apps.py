from django.apps import AppConfig


class BiConfig(AppConfig):
    name = "bi"
    verbose_name = "BI tables"
