"""Parallel writers against a real SQLite file, as ``make run`` serves it (not a test module).

``python -m tests.sqlite_writers DB_FILE`` migrates a fresh database in ``DB_FILE`` with the
project's settings, then prints, as JSON, what parallel requests answered:

- ``distinct``: 20 writes at once (10 REST ``PUT``, 10 GraphQL ``putSubmission``), each to
  another cluster's submission;
- ``same``: 20 REST ``PUT`` at once to one submission, all with the ``If-Match`` they read;
- ``held``: one ``PUT`` while another connection holds SQLite's write lock past the busy
  timeout (shortened to 0.2 s for this one).

``tests/test_sqlite_writers.py`` runs it in a subprocess: pytest-django's SQLite test
database lives in memory, where SQLite's file locking never happens.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import threading
from typing import Any

WRITERS = 20


def _put_body(amount: str) -> dict[str, Any]:
    return {"currency": "EUR", "funding": [{"source": "membership_fees", "amount": amount}]}


GRAPHQL_PUT = """mutation($c: String!, $d: SubmissionInput!) {
  putSubmission(program: "writers", cluster: $c, year: 2021, input: $d) { version } }"""


def _in_parallel(calls: list[Any]) -> list[dict[str, Any]]:
    """Run each call in its own thread (its own database connection), all released at once."""
    from django.db import connection

    start = threading.Barrier(len(calls))
    results: list[dict[str, Any]] = [{} for _ in calls]

    def run(i: int) -> None:
        try:
            start.wait()
            results[i] = calls[i]()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _answer(response: Any) -> dict[str, Any]:
    body = response.json()
    return {
        "status": response.status_code,
        "code": body.get("code") if isinstance(body, dict) else None,
        "retry_after": response.headers.get("Retry-After"),
        "graphql": [e.get("extensions", {}).get("code") for e in body.get("errors") or []]
        if "data" in body
        else None,
    }


def main(db_file: str) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from clusters.models import Role
    from clusters.services.tokens import token_create
    from tests.factories import ClusterFactory, make_program
    from tests.givens import open_period

    call_command("migrate", verbosity=0)
    program = make_program("writers")
    open_period(program, 2021)
    for i in range(WRITERS):
        ClusterFactory.create(program=program, slug=f"c{i:02d}")
    _, raw = token_create(name="admin", role=Role.PROGRAM_ADMIN, program=program)
    auth: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    url = "/api/v1/programs/writers/clusters/{}/submissions/2021/"
    connection.close()

    def rest(slug: str, amount: str, **headers: Any) -> Any:
        return lambda: _answer(
            Client(raise_request_exception=False).put(
                url.format(slug),
                _put_body(amount),
                content_type="application/json",
                **auth,
                **headers,
            )
        )

    def graphql(slug: str, amount: str) -> Any:
        body = {"query": GRAPHQL_PUT, "variables": {"c": slug, "d": _put_body(amount)}}
        return lambda: _answer(
            Client(raise_request_exception=False).post(
                "/graphql/", body, content_type="application/json", **auth
            )
        )

    distinct = _in_parallel(
        [rest(f"c{i:02d}", f"{i}.00") for i in range(10)]
        + [graphql(f"c{i:02d}", f"{i}.00") for i in range(10, WRITERS)]
    )
    same = _in_parallel(
        [rest("c00", f"{1000 + i}.00", HTTP_IF_MATCH='"1"') for i in range(WRITERS)]
    )

    holder = sqlite3.connect(db_file, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    connection.close()
    connection.settings_dict["OPTIONS"]["timeout"] = 0.2
    try:
        held = rest("c01", "7.00")()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    return {"distinct": distinct, "same": same, "held": held}


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    print(json.dumps(main(sys.argv[1])))
