"""The submission workbook's shape, shared by the template and the upload, and who may use it.

Sheets: ``Funding`` (one row per funding source of the programme's catalogue), ``Costs``
(the four cost categories), ``KPIs`` (every KPI the programme defines, with its unit) and
``Info`` (cluster, year, currency, staff FTE, notes). An empty amount or value cell means
"no line".
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from ...access import Access
from ...models import Cluster

FUNDING_HEADER = ["source code", "name", "category", "amount", "in_kind", "restricted", "note"]
COSTS_HEADER = ["category", "name", "amount", "note"]
KPIS_HEADER = ["code", "name", "unit", "kind", "value"]
INFO_LABELS = [
    "programme",
    "cluster",
    "cluster name",
    "year",
    "currency",
    "staff_fte",
    "notes",
    "state",
    "version",
]
SHEETS = ("Funding", "Costs", "KPIs", "Info")


def workbook_require_writer(*, access: Access, cluster: Cluster) -> None:
    # The caller reached the cluster through its scope; an analyst may not write.
    if not (access.is_admin or access.is_editor):
        raise PermissionDenied(
            "The submission workbook is for the cluster's editor and program_admin."
        )
    if not access.holds_cluster(cluster.pk):
        raise Cluster.DoesNotExist
