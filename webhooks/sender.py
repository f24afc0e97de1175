"""One HTTP POST of a webhook (httpx), to the address ``webhooks.targets`` checked.

Redirects are not followed (Standard Webhooks: a 3xx is a failure; update the URL), the
environment's proxies are not used, and the TLS server name and ``Host`` header are the
URL's host while the connection goes to the checked address.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import socket
import time
from dataclasses import dataclass

import httpx
from django.conf import settings

from clusters.validation import whole_number

from .targets import Resolver, TargetRefused, resolve_target

MAX_RETRY_AFTER = 24 * 3600


@dataclass(frozen=True)
class Outcome:
    status: int | None  # None: no HTTP answer (refused, timed out, unreachable)
    response_ms: int | None
    error: str = ""
    retry_after: int | None = None  # seconds, from the Retry-After header
    # True when the target was refused (private address): never retried
    refused: bool = False


def _retry_after(value: str | None, now: dt.datetime) -> int | None:
    if not value:
        return None
    value = value.strip()
    if (seconds := whole_number(value)) is not None:
        return min(seconds, MAX_RETRY_AFTER)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0, min(int((when - now).total_seconds()), MAX_RETRY_AFTER))


def post(
    url: str,
    headers: dict[str, str],
    body: bytes,
    *,
    resolver: Resolver = socket.getaddrinfo,
    timeout: float | None = None,
) -> Outcome:
    try:
        target = resolve_target(url, resolver=resolver)
    except TargetRefused as exc:
        return Outcome(None, None, f"refused: {exc}", refused=True)
    except ConnectionError as exc:
        return Outcome(None, None, str(exc)[:500])
    extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
    started = time.perf_counter()
    try:
        with httpx.Client(
            timeout=timeout or settings.WEBHOOKS_TIMEOUT_SECONDS,
            follow_redirects=False,
            trust_env=False,
        ) as client:
            response = client.post(
                target.connect_url,
                content=body,
                headers={**headers, "Host": target.host_header},
                extensions=extensions,
            )
    except httpx.TimeoutException:
        return Outcome(None, _ms(started), "timed out")
    except httpx.HTTPError as exc:
        return Outcome(None, _ms(started), f"{type(exc).__name__}: {exc}"[:500])
    return Outcome(
        response.status_code,
        _ms(started),
        "" if response.is_success else f"HTTP {response.status_code}",
        _retry_after(response.headers.get("Retry-After"), dt.datetime.now(dt.UTC)),
    )


def _ms(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)
