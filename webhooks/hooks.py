"""What the webhooks app does after a change in the domain apps (``clusters.hooks``).

Registered in ``WebhooksConfig.ready()``; each hook records the event in the change's own
transaction (``webhooks.events.event_record``).
"""

from __future__ import annotations

from clusters import hooks

from . import events


def on_submission_moved(event: hooks.Event) -> None:
    type_ = events.SUBMISSION_EVENTS.get(event.data.get("action", ""))
    if type_ is None:
        return
    data = {k: event.data[k] for k in ("cluster", "year", "state")}
    events.event_record(program_id=event.program_id, type_=type_, data=data)


def on_period_closed(event: hooks.Event) -> None:
    events.event_record(
        program_id=event.program_id, type_=events.PERIOD_CLOSED, data={"year": event.data["year"]}
    )


def on_figures_updated(event: hooks.Event) -> None:
    events.event_record(
        program_id=event.program_id,
        type_=events.PORTFOLIO_UPDATED,
        data={"year": event.data["year"]},
    )


def on_canvas_updated(event: hooks.Event) -> None:
    keys = ("cluster", "kind", "alternative", "version")
    data = {k: event.data[k] for k in keys if k in event.data}
    events.event_record(program_id=event.program_id, type_=events.CANVAS_UPDATED, data=data)


def register() -> None:
    hooks.register(hooks.SUBMISSION_MOVED, on_submission_moved)
    hooks.register(hooks.PERIOD_CLOSED, on_period_closed)
    hooks.register(hooks.FIGURES_UPDATED, on_figures_updated)
    hooks.register(hooks.CANVAS_UPDATED, on_canvas_updated)
