"""Concurrent writers on PostgreSQL: the If-Match check and the write happen under a row
lock (select_for_update), so parallel saves never silently overwrite each other.

Run with DATABASE_URL pointing at PostgreSQL; on SQLite (which serialises every write
anyway) these tests are skipped.
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection

from clusters.models import Submission, SubmissionEvent
from tests.givens import YEAR, add_submission, body, open_period, sub_url

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 6


@pytest.fixture(autouse=True)
def _needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks: set DATABASE_URL=postgres://... to run")


def _race(calls):
    """Run each call in its own thread (own connection), all released at once."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            results[i] = call()
        except Exception as exc:  # recorded and asserted on below, never swallowed
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_parallel_puts_with_the_same_if_match_one_wins_the_others_get_412(cast):
    open_period(cast.prog_a)
    assert cast.admin_a.client().put(sub_url(), body(), format="json").status_code == 201
    clients = [cast.editor_a1.client() if i % 2 else cast.admin_a.client() for i in range(THREADS)]
    calls = [
        (
            lambda c=c, i=i: c.put(
                sub_url(), body(notes=f"writer {i}"), format="json", HTTP_IF_MATCH='"1"'
            )
        )
        for i, c in enumerate(clients)
    ]

    responses = _race(calls)

    statuses = Counter(r.status_code for r in responses)
    assert statuses == {200: 1, 412: THREADS - 1}
    winner = next(r for r in responses if r.status_code == 200).json()
    stored = Submission.objects.for_program(cast.prog_a).get(cluster=cast.a1, year=YEAR)
    assert (stored.version, stored.notes) == (2, winner["notes"])
    assert SubmissionEvent.objects.for_program(cast.prog_a).count() == 2


def test_parallel_creates_give_one_201_and_never_a_500(cast):
    open_period(cast.prog_a)
    clients = [cast.admin_a.client() for _ in range(THREADS)]
    calls = [
        (lambda c=c, i=i: c.put(sub_url(), body(notes=f"w{i}"), format="json"))
        for i, c in enumerate(clients)
    ]

    responses = _race(calls)

    statuses = Counter(r.status_code for r in responses)
    assert statuses[201] == 1
    assert set(statuses) <= {200, 201, 412}
    assert Submission.objects.for_program(cast.prog_a).filter(cluster=cast.a1).count() == 1


def test_parallel_submits_change_the_state_once(cast):
    open_period(cast.prog_a)
    add_submission(cast.a1, state="draft")
    clients = [m.client() for m in [cast.admin_a, cast.editor_a1] * (THREADS // 2)]
    calls = [(lambda c=c: c.post(sub_url(suffix="submit"))) for c in clients]

    responses = _race(calls)

    assert [r.status_code for r in responses] == [200] * THREADS
    stored = Submission.objects.for_program(cast.prog_a).get(cluster=cast.a1, year=YEAR)
    assert (stored.state, stored.version) == ("submitted", 2)
    assert list(
        SubmissionEvent.objects.for_program(cast.prog_a).values_list("action", flat=True)
    ) == ["submitted"]
