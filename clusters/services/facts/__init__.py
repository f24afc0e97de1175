"""Importing the facts CSV (CONTRACT.md): many submissions restated in one go.

The rows of one cluster-year form one submission document that REPLACES that submission's
funding, costs and KPIs (an import is a full restatement of the cluster-years it
contains; ``staff_fte`` and ``notes`` of an existing submission, which the format does not
carry, are left alone). The optional columns ``in_kind,restricted,note`` restate the
lines' flags and notes; a file without them keeps those of the lines that exist.
Re-importing the same file, or an export, changes nothing.

- ``importer``: the entry point ``facts_import`` and its result;
- ``rows``: reading the CSV and validating every row (pass 1);
- ``assemble``: the validated file read again into one document per cluster-year (pass 2);
- ``bulk``: writing documents in batches;
- ``changes``: snapshots of submission content and their history entries;
- ``tuning``: planner statistics and foreign-key checks around a large import.
"""

from .importer import FactsImportResult, facts_import, facts_import_require_role

__all__ = ["FactsImportResult", "facts_import", "facts_import_require_role"]
