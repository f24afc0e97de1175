"""GraphQL: a programme's webhook endpoints (programme admins), the same services as REST.

``webhooks(program)`` lists them; ``registerWebhook`` answers the endpoint with its
``secret`` (shown only then); ``deleteWebhook`` removes one.
"""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry.types import Info

from webhooks import selectors
from webhooks.models import Endpoint
from webhooks.services import endpoints as svc

from .context import Context


@strawberry.type(name="Webhook")
class WebhookType:
    id: int
    url: str
    events: list[str]
    description: str
    enabled: bool
    disabled_at: dt.datetime | None
    disabled_reason: str
    failing_since: dt.datetime | None
    created_at: dt.datetime

    @classmethod
    def of(cls, endpoint: Endpoint) -> WebhookType:
        return cls(
            id=endpoint.pk,
            url=endpoint.url,
            events=list(endpoint.events),
            description=endpoint.description,
            enabled=endpoint.enabled,
            disabled_at=endpoint.disabled_at,
            disabled_reason=endpoint.disabled_reason,
            failing_since=endpoint.failing_since,
            created_at=endpoint.created_at,
        )


@strawberry.type(name="WebhookRegistration")
class RegistrationType:
    webhook: WebhookType
    secret: str = strawberry.field(description="The whsec_ signing secret: shown only here.")


def _ctx(info: Info) -> Context:
    return info.context


@strawberry.type
class Query:
    @strawberry.field(description="The programme's webhook endpoints (program_admin).")
    def webhooks(self, info: Info, program: str) -> list[WebhookType]:
        access = _ctx(info).require_access(program)
        return [WebhookType.of(e) for e in selectors.endpoint_list(access=access).order_by("id")]


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Register a webhook endpoint (program_admin): events are "
        "submission.submitted|approved|returned|reopened, period.closed, portfolio.updated, "
        "canvas.updated, webhook.disabled."
    )
    def register_webhook(
        self, info: Info, program: str, url: str, events: list[str], description: str = ""
    ) -> RegistrationType:
        access = _ctx(info).require_access(program)
        endpoint, secret = svc.endpoint_create(
            access=access, data={"url": url, "events": events, "description": description}
        )
        return RegistrationType(webhook=WebhookType.of(endpoint), secret=secret)

    @strawberry.mutation(description="Remove a webhook endpoint (program_admin).")
    def delete_webhook(self, info: Info, program: str, id: int) -> bool:
        access = _ctx(info).require_access(program)
        svc.endpoint_delete(access=access, endpoint=selectors.endpoint_get(access=access, pk=id))
        return True
