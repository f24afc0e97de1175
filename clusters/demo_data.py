"""Yearly demo figures for the demo clusters (periods, fx rates, submissions)."""

from __future__ import annotations

from collections.abc import Callable

from .access import Access


def load_demo_years(*, access: Access, log: Callable[[str], object]) -> None:
    """Reporting periods and submissions arrive with the submissions work (issue 3)."""
    log("Demo submissions: none yet.")
