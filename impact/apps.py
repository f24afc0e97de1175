from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "impact"
    verbose_name = "Figures and value impact"

    def ready(self) -> None:
        from . import hooks
        from .figures import register_figure
        from .selectors.portfolio import register_portfolio_figures
        from .selectors.value_impact import VALUE_IMPACT, value_impact_figure

        # Stored per programme-year by the recompute task, served with as_of.
        register_portfolio_figures()
        register_figure(VALUE_IMPACT, value_impact_figure)
        # What impact does after a change in clusters: drop stale figures, queue a recompute.
        hooks.register()
