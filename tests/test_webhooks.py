"""Webhooks with a real local receiver: registration, Standard Webhooks signatures (checked
with the standardwebhooks package), retries, rollbacks, redelivery, rotation, disabling,
and targets that must be refused."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import transaction
from django.utils import timezone
from standardwebhooks import Webhook

from tests.givens import add_submission, open_period
from tests.webhook_receiver import Receiver, receiver_fixture  # noqa: F401
from webhooks.models import Delivery, Endpoint
from webhooks.services.deliveries import backoff_delay, delivery_attempt

HOOKS = "/api/v1/programs/prog-a/webhooks/"
APPROVE = "/api/v1/programs/prog-a/clusters/a1/submissions/2021/approve"


@pytest.fixture
def local(settings):
    """Tests send to 127.0.0.1: the switch for private targets is on unless a test says."""
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    return settings


def _register(cast, url: str, events: list[str] | None = None) -> dict:
    response = cast.admin_a.client().post(
        HOOKS, {"url": url, "events": events or ["submission.approved"]}, format="json"
    )
    assert response.status_code == 201, response.content
    return response.json()


def _approve(cast, capture) -> None:
    add_submission(cast.a1, 2021, state="submitted")
    with capture(execute=True):
        response = cast.admin_a.client().post(APPROVE)
    assert response.status_code == 200, response.content


def test_registration_shows_the_secret_once(cast, local, receiver):
    created = _register(cast, receiver.url, ["submission.approved", "period.closed"])
    listed = cast.admin_a.client().get(HOOKS).json()
    stored = Endpoint.objects.for_program(cast.prog_a).get()

    assert created["secret"].startswith("whsec_")
    assert (created["url"], created["events"], created["enabled"]) == (
        receiver.url,
        ["submission.approved", "period.closed"],
        True,
    )
    assert listed["count"] == 1 and "secret" not in listed["results"][0]
    assert "secret" not in cast.admin_a.client().get(f"{HOOKS}{created['id']}/").json()
    assert created["secret"] not in stored.secret and stored.secret.startswith("gAAAA")


def test_an_approval_is_delivered_signed_as_standard_webhooks_says(
    cast,
    local,
    receiver,
    django_capture_on_commit_callbacks,
):
    secret = _register(cast, receiver.url)["secret"]

    _approve(cast, django_capture_on_commit_callbacks)

    assert len(receiver.requests) == 1
    sent = receiver.requests[0]
    payload = Webhook(secret).verify(sent.body, sent.headers)
    assert payload["type"] == "submission.approved"
    assert payload["data"] == {
        "program": "prog-a",
        "cluster": "a1",
        "year": 2021,
        "state": "approved",
    }
    assert dt.datetime.fromisoformat(payload["timestamp"]).tzinfo is not None
    assert sent.headers["webhook-id"].startswith("msg_")
    assert sent.headers["content-type"] == "application/json"
    delivery = Delivery.objects.for_program(cast.prog_a).get()
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("succeeded", 1, 200)


def test_a_500_is_retried_later_with_the_same_id_and_body(
    cast,
    local,
    receiver,
    django_capture_on_commit_callbacks,
):
    receiver.statuses = [500, 200]
    _register(cast, receiver.url)

    _approve(cast, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.for_program(cast.prog_a).get()
    waiting = (delivery.state, delivery.attempts, delivery.last_status)
    early = delivery_attempt(
        delivery_id=delivery.pk, now=delivery.next_attempt_at - dt.timedelta(seconds=1)
    )
    retried = delivery_attempt(delivery_id=delivery.pk, now=delivery.next_attempt_at)

    assert waiting == ("pending", 1, 500)
    assert 4 <= (delivery.next_attempt_at - delivery.created_at).total_seconds() <= 7
    assert early is not None and early.attempts == 1  # not due yet: nothing sent
    assert retried is not None and (retried.state, retried.attempts) == ("succeeded", 2)
    first, second = receiver.requests
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    assert first.body == second.body
    log = cast.admin_a.client().get(f"{HOOKS}{delivery.endpoint_id}/deliveries/").json()
    assert [
        (a["number"], a["status_code"], a["trigger"]) for a in log["results"][0]["attempts"]
    ] == [
        (1, 500, "event"),
        (2, 200, "retry"),
    ]


def test_backoff_is_exponential_with_jitter_and_honours_retry_after():
    assert [backoff_delay(n, rand=lambda: 0.5) for n in range(1, 9)] == [
        5,
        25,
        125,
        625,
        3125,
        15625,
        78125,
        86400,
    ]
    assert (backoff_delay(3, rand=lambda: 0.0), backoff_delay(3, rand=lambda: 1.0)) == (100, 150)
    assert backoff_delay(1, retry_after=120, rand=lambda: 0.5) == 120
    assert backoff_delay(4, retry_after=120, rand=lambda: 0.5) == 625


def test_429_waits_for_retry_after(cast, local, receiver, django_capture_on_commit_callbacks):
    receiver.statuses = [429]
    receiver.extra_headers = {"Retry-After": "120"}
    _register(cast, receiver.url)

    _approve(cast, django_capture_on_commit_callbacks)

    delivery = Delivery.objects.for_program(cast.prog_a).get()
    assert (delivery.state, delivery.last_status) == ("pending", 429)
    assert 119 <= (delivery.next_attempt_at - delivery.attempt_log.get().at).total_seconds() <= 120


def test_an_unreadable_retry_after_falls_back_to_backoff(
    cast, local, receiver, django_capture_on_commit_callbacks
):
    receiver.statuses = [429]
    receiver.extra_headers = {"Retry-After": "²"}
    _register(cast, receiver.url)

    _approve(cast, django_capture_on_commit_callbacks)

    delivery = Delivery.objects.for_program(cast.prog_a).get()
    assert (delivery.state, delivery.last_status) == ("pending", 429)
    assert 4 <= (delivery.next_attempt_at - delivery.attempt_log.get().at).total_seconds() <= 6


def test_nothing_is_sent_for_a_rolled_back_change(
    cast, local, receiver, django_capture_on_commit_callbacks
):
    from clusters.access import system_access
    from clusters.services.workflow import submission_approve

    _register(cast, receiver.url)
    add_submission(cast.a1, 2021, state="submitted")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            submission_approve(
                access=system_access(cast.prog_a, label="t"), cluster=cast.a1, year=2021
            )
            raise RuntimeError("the rest of the change failed")

    assert callbacks == []
    assert receiver.requests == []
    assert Delivery.objects.for_program(cast.prog_a).count() == 0


def test_redelivery_sends_the_same_id_and_body(
    cast, local, receiver, django_capture_on_commit_callbacks
):
    hook = _register(cast, receiver.url)
    _approve(cast, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.for_program(cast.prog_a).get()

    with django_capture_on_commit_callbacks(execute=True):
        response = cast.admin_a.client().post(
            f"{HOOKS}{hook['id']}/deliveries/{delivery.pk}/redeliver"
        )

    assert response.status_code == 202
    assert response.json()["webhook_id"] == receiver.requests[0].headers["webhook-id"]
    first, again = receiver.requests
    assert again.headers["webhook-id"] == first.headers["webhook-id"]
    assert again.body == first.body
    assert (
        Webhook(hook["secret"]).verify(again.body, again.headers)["type"] == "submission.approved"
    )


def test_a_private_target_is_refused_without_the_switch(cast, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    client = cast.admin_a.client()

    for url in (
        "http://127.0.0.1:8080/hook",
        "http://localhost/hook",
        "http://10.1.2.3/hook",
        "http://[::1]/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::ffff:192.168.0.1]/hook",
    ):
        response = client.post(HOOKS, {"url": url, "events": ["period.closed"]}, format="json")
        assert response.status_code == 400, url
        assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
            ("url", "private_target")
        ]
    assert Endpoint.objects.for_program(cast.prog_a).count() == 0


def test_a_target_that_became_private_is_refused_at_send_time(
    cast,
    local,
    receiver,
    django_capture_on_commit_callbacks,
):
    _register(cast, receiver.url)
    local.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False  # as if its name now resolved to 127.0.0.1

    _approve(cast, django_capture_on_commit_callbacks)

    delivery = Delivery.objects.for_program(cast.prog_a).get()
    assert receiver.requests == []
    assert (delivery.state, delivery.last_status) == ("failed", None)
    assert delivery.last_error.startswith("refused: 127.0.0.1 resolves to 127.0.0.1")


def test_send_time_check_uses_the_address_it_resolved():
    from webhooks.targets import TargetRefused, resolve_target

    public = lambda *a, **k: [(2, 1, 6, "", ("93.184.215.14", 443))]  # noqa: E731
    rebinding = lambda *a, **k: [(2, 1, 6, "", ("10.0.0.7", 443))]  # noqa: E731

    target = resolve_target("https://hooks.example.org/in?x=1", resolver=public)
    with pytest.raises(TargetRefused):
        resolve_target("https://hooks.example.org/in", resolver=rebinding)

    assert (target.connect_url, target.host_header) == (
        "https://93.184.215.14:443/in?x=1",
        "hooks.example.org",
    )


def test_410_disables_the_endpoint_and_records_webhook_disabled(
    cast,
    local,
    receiver,
    django_capture_on_commit_callbacks,
):
    watcher = Receiver().start()
    try:
        receiver.statuses = [410]
        gone = _register(cast, receiver.url)
        _register(cast, watcher.url, ["webhook.disabled"])

        _approve(cast, django_capture_on_commit_callbacks)

        endpoint = cast.admin_a.client().get(f"{HOOKS}{gone['id']}/").json()
        assert (endpoint["enabled"], endpoint["disabled_reason"]) == (
            False,
            "the receiver answered 410 Gone",
        )
        log = cast.admin_a.client().get(f"{HOOKS}{gone['id']}/deliveries/").json()["results"]
        assert [(d["type"], d["state"]) for d in log] == [
            ("webhook.disabled", "skipped"),
            ("submission.approved", "failed"),
        ]
        notice = json.loads(watcher.requests[0].body)
        assert (notice["type"], notice["data"]["webhook"], notice["data"]["url"]) == (
            "webhook.disabled",
            gone["id"],
            receiver.url,
        )
    finally:
        watcher.stop()


def test_an_endpoint_failing_for_days_is_disabled(
    cast, local, receiver, django_capture_on_commit_callbacks
):
    receiver.statuses = [503]
    hook = _register(cast, receiver.url)
    Endpoint.objects.for_program(cast.prog_a).filter(pk=hook["id"]).update(
        failing_since=timezone.now() - dt.timedelta(days=6)
    )

    _approve(cast, django_capture_on_commit_callbacks)

    endpoint = Endpoint.objects.for_program(cast.prog_a).get(pk=hook["id"])
    assert endpoint.enabled is False
    assert endpoint.disabled_reason.startswith("failing since ")
    assert (
        Delivery.objects.for_program(cast.prog_a).get(event__type="submission.approved").state
        == "failed"
    )


def test_a_rotated_secret_signs_beside_the_old_one_until_the_grace_period_ends(
    cast,
    local,
    receiver,
    django_capture_on_commit_callbacks,
):
    hook = _register(cast, receiver.url)
    rotated = cast.admin_a.client().post(f"{HOOKS}{hook['id']}/rotate-secret")
    new_secret = rotated.json()["secret"]

    _approve(cast, django_capture_on_commit_callbacks)
    sent = receiver.requests[0]
    delivery = Delivery.objects.for_program(cast.prog_a).get()
    Delivery.objects.for_program(cast.prog_a).update(state="pending")  # as a redelivery does
    after_grace = delivery_attempt(
        delivery_id=delivery.pk, now=timezone.now() + dt.timedelta(hours=25), trigger="redeliver"
    )

    assert rotated.status_code == 200 and new_secret != hook["secret"]
    assert len(sent.headers["webhook-signature"].split(" ")) == 2
    assert Webhook(new_secret).verify(sent.body, sent.headers)["type"] == "submission.approved"
    assert Webhook(hook["secret"]).verify(sent.body, sent.headers)["type"] == "submission.approved"
    assert after_grace is not None and after_grace.state == "succeeded"
    assert len(receiver.requests[1].headers["webhook-signature"].split(" ")) == 1


def test_ping_sends_a_ping_event(cast, local, receiver, django_capture_on_commit_callbacks):
    hook = _register(cast, receiver.url)

    with django_capture_on_commit_callbacks(execute=True):
        response = cast.admin_a.client().post(f"{HOOKS}{hook['id']}/ping")

    assert response.status_code == 202
    payload = Webhook(hook["secret"]).verify(
        receiver.requests[0].body, receiver.requests[0].headers
    )
    assert (payload["type"], payload["data"]) == (
        "webhook.ping",
        {"program": "prog-a", "webhook": hook["id"]},
    )


def test_a_closed_period_and_a_canvas_change_are_events(
    cast, local, receiver, django_capture_on_commit_callbacks
):
    _register(cast, receiver.url, ["period.closed", "canvas.updated"])
    open_period(cast.prog_a, 2021)
    client = cast.admin_a.client()

    with django_capture_on_commit_callbacks(execute=True):
        closed = client.patch(
            "/api/v1/programs/prog-a/periods/2021/", {"state": "closed"}, format="json"
        )
        again = client.patch(
            "/api/v1/programs/prog-a/periods/2021/", {"state": "closed"}, format="json"
        )
        canvas = client.put(
            "/api/v1/programs/prog-a/clusters/a1/canvases/value-triangle/",
            {
                "ambition_and_strategy": "Lead ocean autonomy",
                "structure_and_governance": "Board of members",
                "business_model_and_financing": "Fees and EU projects",
            },
            format="json",
        )

    assert (closed.status_code, again.status_code, canvas.status_code) == (200, 200, 201)
    assert [json.loads(r.body)["type"] for r in receiver.requests] == [
        "period.closed",
        "canvas.updated",
    ]
    assert json.loads(receiver.requests[0].body)["data"] == {"program": "prog-a", "year": 2021}
    assert json.loads(receiver.requests[1].body)["data"] == {
        "program": "prog-a",
        "cluster": "a1",
        "kind": "value-triangle",
        "alternative": "current",
        "version": 1,
    }


def test_a_stored_recompute_is_a_portfolio_updated_event(
    cast, local, receiver, django_capture_on_commit_callbacks
):
    _register(cast, receiver.url, ["portfolio.updated"])

    _approve(cast, django_capture_on_commit_callbacks)

    assert sorted(json.loads(r.body)["data"]["year"] for r in receiver.requests) == [2021, 2022]
    assert {json.loads(r.body)["type"] for r in receiver.requests} == {"portfolio.updated"}


def test_disabled_endpoints_get_nothing_and_enabling_forgets_failures(
    cast, local, receiver, django_capture_on_commit_callbacks
):
    hook = _register(cast, receiver.url)
    client = cast.admin_a.client()
    client.patch(f"{HOOKS}{hook['id']}/", {"enabled": False}, format="json")

    _approve(cast, django_capture_on_commit_callbacks)
    enabled = client.patch(f"{HOOKS}{hook['id']}/", {"enabled": True}, format="json").json()

    assert receiver.requests == []
    assert (enabled["enabled"], enabled["disabled_reason"], enabled["failing_since"]) == (
        True,
        "",
        None,
    )


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"url": "ftp://example.org/x", "events": ["period.closed"]}, "url", "invalid_url"),
        ({"url": "https://hooks.example.org/x", "events": []}, "events", "required"),
        (
            {"url": "https://hooks.example.org/x", "events": ["cluster.created"]},
            "events.0",
            "invalid_choice",
        ),
        (
            {"url": "https://hooks.example.org/x", "events": ["period.closed"], "secret": "x"},
            "secret",
            "unknown_field",
        ),
    ],
)
def test_bad_registrations_are_400_naming_the_field(cast, body, field, code):
    response = cast.admin_a.client().post(HOOKS, body, format="json")

    assert response.status_code == 400
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [(field, code)]


def test_graphql_registers_and_lists_webhooks(cast):
    from tests.graphql_client import gql

    made = gql(
        cast.admin_a,
        'mutation { registerWebhook(program: "prog-a", url: "https://hooks.example.org/in", '
        'events: ["submission.returned"]) { secret webhook { id url events enabled } } }',
    )
    listed = gql(cast.admin_a, '{ webhooks(program: "prog-a") { url events } }')

    assert made["errors"] is None
    registration = made["data"]["registerWebhook"]
    assert registration["secret"].startswith("whsec_")
    assert registration["webhook"]["events"] == ["submission.returned"]
    assert listed["data"]["webhooks"] == [
        {"url": "https://hooks.example.org/in", "events": ["submission.returned"]}
    ]
