"""How many examples a property test tries: its own budget under the `ci` profile that
`make test` loads (derandomized, the same examples every run), WIDE_FACTOR times that under
the `wide` profile of `make test-wide` (randomized). Profiles: the root conftest.py."""

from __future__ import annotations

from hypothesis import settings

WIDE_FACTOR = 5


def examples(budget: int) -> int:
    # Read when a test module is imported, after pytest has loaded --hypothesis-profile.
    if settings.get_current_profile_name() == "wide":
        return budget * WIDE_FACTOR
    return budget
