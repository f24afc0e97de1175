"""What the mail app does after a change in clusters (``clusters.hooks``): an outbox entry
in the change's transaction (a rolled-back change tells nobody), delivered by Celery once
it commits."""

from __future__ import annotations

from clusters import hooks

from .models import Kind
from .services import notice_create


def on_submission_moved(event: hooks.Event) -> None:
    # The event's action is the mail's kind: submitted, approved, returned, reopened.
    notice_create(program_id=event.program_id, kind=Kind(event.data["action"]), data=event.data)


def on_submission_commented(event: hooks.Event) -> None:
    from clusters.models import ThreadMessage

    message = ThreadMessage.objects.for_program(event.program_id).get(pk=event.data["message_id"])
    notice_create(
        program_id=event.program_id,
        kind=Kind.COMMENTED,
        data={**event.data, "comment": message.comment},
    )


def register() -> None:
    hooks.register(hooks.SUBMISSION_MOVED, on_submission_moved)
    hooks.register(hooks.SUBMISSION_COMMENTED, on_submission_commented)
