from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo programme: above every domain app, so `load_demo` may use all of them."""

    name = "demo"
    verbose_name = "Demo data"
