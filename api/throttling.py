"""Rate limits per API token (DRF's cache-backed throttles; Redis when REDIS_URL is set)."""

from __future__ import annotations

from typing import Any, cast

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from clusters.models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    """One bucket per token; callers without a token share buckets by client address."""

    def __init__(self) -> None:
        # The rate depends on the request (token or not), so it is chosen in allow_request.
        pass

    def get_rate(self) -> str | None:
        # Read the settings on each request so an operator's (or a test's) change applies.
        # djangorestframework-stubs types the rates as numbers; DRF's setting holds "n/period".
        rates = cast(dict[str, str | None], api_settings.DEFAULT_THROTTLE_RATES)
        return rates.get(self.scope) if self.scope is not None else None

    def allow_request(self, request: Any, view: Any) -> bool:
        self.scope = "token" if isinstance(request.auth, ApiToken) else "anon"
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request: Any, view: Any) -> str:
        if isinstance(request.auth, ApiToken):
            return f"throttle:token:{request.auth.pk}"
        return f"throttle:anon:{self.get_ident(request)}"
