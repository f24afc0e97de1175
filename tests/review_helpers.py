"""Givens for the review tests: documents written through the submission service."""

from __future__ import annotations

from typing import Any

from clusters.access import system_access
from clusters.models import Cluster, Submission
from clusters.services.submissions import submission_put
from tests.givens import open_period


def doc(
    funding: dict[str, str] | None = None,
    costs: dict[str, str] | None = None,
    kpis: dict[str, str] | None = None,
    currency: str = "EUR",
) -> dict[str, Any]:
    """A submission body from {code: amount} maps (members_total defaults to 100, so the
    required-KPIs rule stays quiet unless a test says otherwise)."""
    return {
        "currency": currency,
        "funding": [{"source": s, "amount": a} for s, a in (funding or {}).items()],
        "costs": [{"category": c, "amount": a} for c, a in (costs or {}).items()],
        "kpis": [
            {"code": k, "value": v}
            for k, v in ({"members_total": "100"} if kpis is None else kpis).items()
        ],
    }


def write(cluster: Cluster, year: int, body: dict[str, Any], state: str = "draft") -> Submission:
    """The cluster's ``year`` submission with ``body``, then put in ``state`` (a given)."""
    open_period(cluster.program, year)
    submission, _ = submission_put(
        access=system_access(cluster.program, label="test"), cluster=cluster, year=year, data=body
    )
    if state != submission.state:
        Submission.objects.for_program(cluster.program).filter(pk=submission.pk).update(state=state)
        submission.refresh_from_db()
    return submission
