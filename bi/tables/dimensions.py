"""The dimension tables: clusters, funding sources and KPI definitions.

Their key columns carry the names the fact tables use (``cluster``, ``source``, ``kpi``),
so BI tools that relate tables by column name (Power BI's autodetect) join them as they are.
"""

from __future__ import annotations

from clusters.models import Cluster, FundingSource, KpiDefinition

from .. import columns as c
from .base import QueryTable


class ClustersTable(QueryTable):
    name = "clusters"
    entity_set = "Clusters"
    entity_type = "Cluster"
    sql_view = "clusters"
    description = (
        "The cluster registry. Analysts and admins also get removed clusters (deleted_at "
        "set, slug freed as `<slug>--deleted-<id>`): their approved years still count."
    )
    model = Cluster
    cluster_path = "pk"
    key = ("cluster",)
    columns = (
        c.text("cluster", "The cluster's slug.", "slug"),
        c.text("name", "The cluster's name.", "name"),
        c.text("country", "ISO 3166-1 alpha-2 country code.", "country"),
        c.text("region", "Region.", "region"),
        c.text("sector", "Sector.", "sector"),
        c.integer("founded_year", "Year founded.", "founded_year", nullable=True),
        c.text("stage", "baby, emerging, growth or supercluster.", "stage"),
        c.text("category", "grow, transform or build.", "category"),
        c.text("status", "active, alumni or closed.", "status"),
        c.datetime("created_at", "When it was registered (UTC).", "created_at"),
        c.datetime("updated_at", "When it last changed (UTC).", "updated_at"),
        c.datetime(
            "deleted_at",
            "When it was removed (UTC); empty while registered.",
            "deleted_at",
            nullable=True,
        ),
    )
    fetch = tuple(col.orm_path for col in columns)


class FundingSourcesTable(QueryTable):
    name = "funding-sources"
    entity_set = "FundingSources"
    entity_type = "FundingSource"
    sql_view = "funding_sources"
    description = "The funding-source catalogue plus the programme's own sources."
    model = FundingSource
    key = ("source",)
    columns = (
        c.text("source", "The source code.", "code"),
        c.text("name", "The source's name.", "name"),
        c.text("category", "public, private or project.", "category"),
        c.boolean(
            "standard", "From the standard catalogue (false: the programme's own).", "is_standard"
        ),
    )
    fetch = tuple(col.orm_path for col in columns)


class KpisTable(QueryTable):
    name = "kpis"
    entity_set = "Kpis"
    entity_type = "Kpi"
    sql_view = "kpis"
    description = "The programme's KPI definitions."
    model = KpiDefinition
    key = ("kpi",)
    columns = (
        c.text("kpi", "The KPI code.", "code"),
        c.text("name", "The KPI's name.", "name"),
        c.text("unit", "Unit.", "unit"),
        c.text("kind", "activity, output, outcome or impact.", "kind"),
        c.text("aggregation", "How the portfolio adds it up: sum or mean.", "aggregation"),
        c.boolean(
            "standard", "From the default KPI set (false: the programme's own).", "is_standard"
        ),
    )
    fetch = tuple(col.orm_path for col in columns)
