"""Which database alias serves a read.

Exports and BI reads (the facts CSV, and the tables and OData feeds built on the same
selectors) may lag the primary by a moment; they go to the read replica when
``DATABASE_REPLICA_URL`` configures one, so a month-end BI refresh does not compete with
submissions. Everything else reads and writes the primary.
"""

from __future__ import annotations

from django.conf import settings


def reporting_alias() -> str:
    return "replica" if "replica" in settings.DATABASES else "default"
