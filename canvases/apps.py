from django.apps import AppConfig


class CanvasesConfig(AppConfig):
    name = "canvases"
    verbose_name = "Canvases"
