"""Database speed-ups around a large facts import: planner statistics, foreign-key checks.

Both keep the import's result identical; they only change how long the database takes.
"""

from __future__ import annotations

from typing import cast

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import Model

from ...access import Access
from ...models import (
    Cluster,
    CostLine,
    FundingLine,
    FundingSource,
    KpiDefinition,
    KpiValue,
    Program,
    Submission,
)
from ..documents import ReferenceData

# Above this many rows the import refreshes the planner's statistics before writing.
ANALYZE_ROWS = 50_000


def refresh_planner_stats() -> None:
    """ANALYZE the submission tables before a large import writes.

    Without current statistics (fresh tables, or a bulk load autovacuum has not seen yet)
    both SQLite and PostgreSQL pick the ``program_id`` index for "lines of these
    submissions" and read every line of the programme for each batch: an import of N rows
    then costs O(N^2). With statistics they use the ``submission_id`` index.
    """
    if connection.vendor not in ("postgresql", "sqlite"):
        return
    with connection.cursor() as cursor:
        for model in (Submission, FundingLine, CostLine, KpiValue):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def skip_fk_triggers(access: Access, cluster_ids: set[int], ref: ReferenceData) -> bool:
    """On PostgreSQL, check this transaction's foreign keys once per referenced row instead
    of once per inserted row.

    Django's foreign keys are deferred constraint triggers: each inserted line queues
    three checks (programme, submission, source or KPI) that run at commit, about as long
    as the COPY itself. Every key the import writes is known here: the programme, the
    clusters of pass 1, the programme's reference data, the actor, and submissions this
    transaction created or holds FOR UPDATE. So the import takes the same FOR KEY SHARE
    locks the triggers would take, once per row referenced (a row that has gone since
    pass 1 is a validation error), and switches the triggers off for this transaction
    only (``SET LOCAL session_replication_role``, set back to ``origin`` once the lines
    are in). Without the privilege to do so (not a
    superuser, no ``GRANT SET ON PARAMETER``) the triggers stay on and nothing changes.
    """
    if connection.vendor != "postgresql":
        return False
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        return False
    q = connection.ops.quote_name
    checks: list[tuple[type[Model], list[int], str]] = [
        (Program, [access.program.pk], "programme"),
        (Cluster, sorted(cluster_ids), "cluster"),
        (FundingSource, sorted(s.pk for s in ref.sources.values()), "funding source"),
        (KpiDefinition, sorted(k.pk for k in ref.kpis.values()), "KPI"),
    ]
    if access.user_id is not None:
        checks.append((get_user_model(), [access.user_id], "user"))
    with connection.cursor() as cursor:
        for model, ids, what in checks:
            if not ids:
                continue
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {q(model._meta.db_table)} "
                f"WHERE {q(cast(str, model._meta.pk.column))} = ANY(%s) FOR KEY SHARE) AS locked",
                [ids],
            )
            if cursor.fetchone()[0] != len(ids):
                raise ValidationError(
                    {
                        "file": [
                            ValidationError(
                                f"A {what} this file refers to was removed during the import; nothing was imported.",
                                code="concurrent_change",
                            )
                        ]
                    }
                )
    return True
