from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "impact"
    verbose_name = "Value impact"

    def ready(self) -> None:
        # The value-impact figure is stored per programme-year by the portfolio recompute
        # task (queued when an approval changes), and served from there.
        from clusters.services.portfolio import register_figure

        from .selectors import VALUE_IMPACT, value_impact_figure

        register_figure(VALUE_IMPACT, value_impact_figure)
