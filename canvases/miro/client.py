"""A small client for the parts of Miro's REST API v2 the canvases use, over httpx.

Why not the official ``miro_api`` package: it pins ``urllib3<2``, which the rest of the
service's dependencies have left behind. This client needs a dozen calls.

It honours Miro's limits: a 429 waits for ``Retry-After`` (or ``X-RateLimit-Reset``)
before trying again, a response with ``X-RateLimit-Remaining: 0`` pauses the next call
until the reset, and transient failures (5xx, timeouts, dropped connections) are retried
with exponential backoff. ``sleep`` and ``clock`` are injectable so tests never wait. The
access token goes only into the ``Authorization`` header: never into a message or a log.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx

from clusters.validation import whole_number

BULK_LIMIT = 20  # Miro creates at most 20 items per bulk call
PAGE_LIMIT = 50  # and reads at most 50 per page
MAX_WAIT_SECONDS = 120.0


class MiroError(Exception):
    """A Miro call that failed for good; the message is safe to show (no token, no body)."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class MiroNotFound(MiroError):
    pass


def _retry_after(response: httpx.Response, now: float) -> float | None:
    raw = response.headers.get("Retry-After")
    if raw:
        raw = raw.strip()
        if (seconds := whole_number(raw)) is not None:
            return float(seconds)
        try:
            parsed = email.utils.parsedate_to_datetime(raw) if raw else None
        except (TypeError, ValueError):
            parsed = None  # not a date either: fall back to the rate-limit reset or backoff
        if parsed is not None:
            return max(parsed.timestamp() - now, 0.0)
    reset = response.headers.get("X-RateLimit-Reset")
    if reset and (moment := whole_number(reset.strip())) is not None:
        return max(moment - now, 0.0)
    return None


class MiroClient:
    def __init__(
        self,
        *,
        token: str,
        base_url: str,
        timeout: float = 20.0,
        max_retries: int = 5,
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], float] = time.time,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"),
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            timeout=timeout,
            transport=transport,
        )
        self.max_retries = max_retries
        self.sleep = sleep or time.sleep
        self.clock = clock
        self._pause_until = 0.0
        self.waits: list[float] = []  # every wait, for progress reports and tests

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> MiroClient:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _wait(self, seconds: float) -> None:
        seconds = min(max(seconds, 0.0), MAX_WAIT_SECONDS)
        self.waits.append(seconds)
        self.sleep(seconds)

    def request(
        self, method: str, path: str, *, params: dict[str, Any] | None = None, json: Any = None
    ) -> Any:
        for attempt in range(self.max_retries + 1):
            pause = self._pause_until - self.clock()
            if pause > 0:
                self._wait(pause)
            self._pause_until = 0.0
            try:
                response = self._http.request(method, path, params=params, json=json)
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                if attempt == self.max_retries:
                    raise MiroError(
                        f"Miro did not answer {method} {path} ({type(exc).__name__})."
                    ) from exc
                self._wait(min(2**attempt * 0.5, 30.0))
                continue
            remaining = response.headers.get("X-RateLimit-Remaining")
            if remaining is not None and remaining.strip() == "0":
                reset = whole_number(response.headers.get("X-RateLimit-Reset", "").strip())
                if reset is not None:
                    self._pause_until = float(reset)
            if response.status_code == 429:
                if attempt == self.max_retries:
                    raise MiroError("Miro kept answering 429 Too Many Requests.", status=429)
                wait = _retry_after(response, self.clock())
                self._wait(wait if wait is not None else min(2**attempt, 60.0))
                continue
            if response.status_code >= 500:
                if attempt == self.max_retries:
                    raise MiroError(
                        f"Miro answered {response.status_code} to {method} {path} {attempt + 1} times.",
                        status=response.status_code,
                    )
                self._wait(min(2**attempt * 0.5, 30.0))
                continue
            if response.status_code == 404:
                raise MiroNotFound(f"Miro has no {path} (404).", status=404)
            if response.status_code >= 400:
                raise MiroError(
                    f"Miro refused {method} {path}: {response.status_code} {_message(response)}",
                    status=response.status_code,
                )
            if response.status_code == 204 or not response.content:
                return None
            try:
                return response.json()
            except ValueError as exc:
                raise MiroError(
                    f"Miro answered {method} {path} with something that is not JSON."
                ) from exc
        raise MiroError(f"Miro call {method} {path} gave up.")  # pragma: no cover

    # --- the calls -------------------------------------------------------------------------

    def get_board(self, board_id: str) -> dict[str, Any]:
        return self.request("GET", f"/v2/boards/{board_id}")

    def create_frame(self, board_id: str, body: dict[str, Any]) -> dict[str, Any]:
        return self.request("POST", f"/v2/boards/{board_id}/frames", json=body)

    def get_frame(self, board_id: str, frame_id: str) -> dict[str, Any]:
        return self.request("GET", f"/v2/boards/{board_id}/frames/{frame_id}")

    def update_item(
        self, board_id: str, collection: str, item_id: str, body: dict[str, Any]
    ) -> dict[str, Any]:
        """PATCH one item: ``collection`` is ``frames``, ``shapes`` or ``sticky_notes``."""
        return self.request("PATCH", f"/v2/boards/{board_id}/{collection}/{item_id}", json=body)

    def delete_item(self, board_id: str, collection: str, item_id: str) -> None:
        self.request("DELETE", f"/v2/boards/{board_id}/{collection}/{item_id}")

    def bulk_create(self, board_id: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Create up to 20 items in one all-or-nothing call; their ids in the same order."""
        if not 0 < len(items) <= BULK_LIMIT:
            raise ValueError(f"A bulk call takes 1 to {BULK_LIMIT} items, not {len(items)}.")
        answer = self.request("POST", f"/v2/boards/{board_id}/items/bulk", json=items)
        created = answer.get("data", []) if isinstance(answer, dict) else answer
        if not isinstance(created, list) or len(created) != len(items):
            raise MiroError("Miro's bulk answer does not list the items it created.")
        return created

    def items(
        self, board_id: str, *, item_type: str | None = None, parent_item_id: str | None = None
    ) -> Iterator[dict[str, Any]]:
        """Every item of the board (of a type, or inside a frame), page after page."""
        cursor: str | None = None
        while True:
            params: dict[str, Any] = {"limit": PAGE_LIMIT}
            if item_type:
                params["type"] = item_type
            if parent_item_id:
                params["parent_item_id"] = parent_item_id
            if cursor:
                params["cursor"] = cursor
            page = self.request("GET", f"/v2/boards/{board_id}/items", params=params) or {}
            yield from page.get("data", [])
            cursor = page.get("cursor")
            if not cursor:
                return


def _message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    text = body.get("message", "") if isinstance(body, dict) else ""
    return str(text)[:200]
