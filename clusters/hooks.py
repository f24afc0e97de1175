"""What other apps do after a change in the clusters app: an explicit hook list, no signals.

The clusters app knows nothing of the apps built on its data (figures in ``impact``,
webhooks, mail). Its services announce what changed by calling ``announce(event)``; apps
that care register a function for an event kind in their ``AppConfig.ready()``::

    # impact/apps.py
    from clusters import hooks
    hooks.register(hooks.FIGURE_INPUTS_CHANGED, figures_inputs_changed)

A hook runs inside the service's transaction, right when the change is written, so it can
write in the same transaction (drop stale stored figures) and queue work with
``transaction.on_commit`` (a worker never sees a half-written change, and a rolled-back
change queues nothing). ``registered()`` lists every hook, for the docs and the tests.

Event kinds:

| kind | when | data |
|---|---|---|
| ``figure_inputs_changed`` | approved content of some years changed (approve, reopen, import, fx rates) | ``years`` |
| ``program_restated`` | every year changed at once (a cluster regrouped or renamed, the programme currency) | |
| ``submission_moved`` | a submission changed state (submit, approve, return, reopen; a facts import with approve, for each existing submission it approves) | ``cluster``, ``year``, ``action``, ``state``, ``submission_id``; a return adds ``comment`` and ``fields`` (``[{"field", "comment"}]``) |
| ``submission_commented`` | someone wrote in a submission's thread | ``cluster``, ``year``, ``submission_id``, ``message_id``, ``author``, ``role`` |
| ``period_reminder`` | the mail app reminded a cluster's editors that the period closes in ``days`` days (announced by ``notifications``) | ``cluster``, ``year``, ``state``, ``closes_on``, ``days`` |
| ``period_late`` | the mail app told a cluster's editors and the admins that the cluster is late (announced by ``notifications``) | ``cluster``, ``year``, ``state``, ``closes_on`` |
| ``period_closed`` | a reporting period's state changed to closed (``period_update``) | ``year`` |
| ``figures_updated`` | the recompute stored a year's portfolio figures (``impact.services.figures``) | ``year`` |
| ``canvas_updated`` | a cluster's canvas got a new version (announced by ``canvases.services``) | ``cluster``, ``kind``, ``alternative``, ``version`` |

Every mail the ``notifications`` app sends stands for one of these events, so a webhook
can follow what people are told. Apps above clusters announce their kinds here too
(``figures_updated`` by impact, ``canvas_updated`` by canvases), so one list says what
happens where; the webhooks app turns ``submission_moved``, ``period_closed``,
``figures_updated`` and ``canvas_updated`` into events (``submission.*``,
``period.closed``, ``portfolio.updated``, ``canvas.updated``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

FIGURE_INPUTS_CHANGED = "figure_inputs_changed"
PROGRAM_RESTATED = "program_restated"
SUBMISSION_MOVED = "submission_moved"
SUBMISSION_COMMENTED = "submission_commented"
PERIOD_REMINDER = "period_reminder"
PERIOD_LATE = "period_late"
PERIOD_CLOSED = "period_closed"
FIGURES_UPDATED = "figures_updated"
CANVAS_UPDATED = "canvas_updated"
KINDS = (
    FIGURE_INPUTS_CHANGED,
    PROGRAM_RESTATED,
    SUBMISSION_MOVED,
    SUBMISSION_COMMENTED,
    PERIOD_REMINDER,
    PERIOD_LATE,
    PERIOD_CLOSED,
    FIGURES_UPDATED,
    CANVAS_UPDATED,
)


@dataclass(frozen=True)
class Event:
    kind: str
    program_id: int
    years: tuple[int, ...] = ()
    data: dict[str, Any] = field(default_factory=dict)


Hook = Callable[[Event], None]
_HOOKS: dict[str, list[Hook]] = {kind: [] for kind in KINDS}


def register(kind: str, hook: Hook) -> Hook:
    """Call ``hook(event)`` for every event of ``kind`` (once, however often registered)."""
    if kind not in _HOOKS:
        raise ValueError(f"Unknown hook kind {kind!r}; one of {', '.join(KINDS)}.")
    if hook not in _HOOKS[kind]:
        _HOOKS[kind].append(hook)
    return hook


def registered() -> dict[str, list[str]]:
    """Every registered hook by kind, as ``module.function`` names."""
    return {
        kind: [f"{h.__module__}.{h.__qualname__}" for h in hooks] for kind, hooks in _HOOKS.items()
    }


def announce(event: Event) -> None:
    """Run every hook registered for the event's kind, in registration order."""
    for hook in _HOOKS[event.kind]:
        hook(event)


def figure_inputs_changed(*, program_id: int, years: set[int] | list[int]) -> None:
    announce(Event(FIGURE_INPUTS_CHANGED, program_id, tuple(sorted(set(years)))))


def program_restated(*, program_id: int) -> None:
    announce(Event(PROGRAM_RESTATED, program_id))
