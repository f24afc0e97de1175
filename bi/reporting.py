"""The PostgreSQL ``reporting`` schema: one view per BI table, for tools that read a
database (Metabase, Superset, Tableau, Power BI's PostgreSQL connector).

Row-level security by view: every view is a ``security_barrier`` view that keeps only the
rows of the programme mapped to the connected role (``current_user``) in ``bi_bilogin``,
and the filter runs before any condition the reader adds. The views run with their
owner's rights, so a BI login needs (and gets, from ``create_bi_login``) only USAGE on the
schema and SELECT on the views: it cannot read the application's tables, nor the login
mapping, and sees nothing while it is mapped to no programme.

The views hold submissions in every state (filter ``state = 'approved'`` for what the
portfolio figures count); ``funding_mix`` holds the stored figures of the years with an
approved submission (a figure being recomputed appears again once it is stored).

A migration that drops or retypes a column these views read must drop and recreate them
(``drop_sql()`` / ``create_sql()``); adding columns needs nothing.
"""

from __future__ import annotations

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import ProjectState

SCHEMA = "reporting"

# Rows of the programme mapped to the connected database role.
_MINE = "IN (SELECT l.program_id FROM bi_bilogin l WHERE l.role = current_user::text)"

_FX_JOIN = (
    "LEFT JOIN clusters_fxrate fx ON fx.program_id = s.program_id "
    "AND fx.year = s.year AND fx.currency = s.currency"
)
_CONVERTED = """
    CASE WHEN s.currency = p.currency THEN t.amount
         WHEN fx.rate IS NOT NULL THEN t.amount * fx.rate END AS amount_converted,
    CASE WHEN s.currency = p.currency THEN 1::numeric(24, 10)
         ELSE fx.rate END AS fx_rate,
    p.currency AS program_currency"""
_FACT_UPDATED = (
    "GREATEST(s.updated_at, c.updated_at, "
    "CASE WHEN s.currency <> p.currency THEN fx.updated_at END) AS updated_at"
)

VIEWS: dict[str, str] = {
    "clusters": f"""
SELECT p.slug AS program, c.slug AS cluster, c.name, c.country, c.region, c.sector,
       c.founded_year::integer AS founded_year, c.stage, c.category, c.status,
       c.created_at, c.updated_at, c.deleted_at
FROM clusters_cluster c
JOIN clusters_program p ON p.id = c.program_id
WHERE c.program_id {_MINE}""",
    "funding_sources": f"""
SELECT p.slug AS program, f.code AS source, f.name, f.category, f.is_standard AS standard
FROM clusters_fundingsource f
JOIN clusters_program p ON p.id = f.program_id
WHERE f.program_id {_MINE}""",
    "kpis": f"""
SELECT p.slug AS program, k.code AS kpi, k.name, k.unit, k.kind, k.aggregation,
       k.is_standard AS standard
FROM clusters_kpidefinition k
JOIN clusters_program p ON p.id = k.program_id
WHERE k.program_id {_MINE}""",
    "funding": f"""
SELECT p.slug AS program, c.slug AS cluster, s.year::integer AS year, fs.code AS source,
       fs.category, s.currency, t.amount,{_CONVERTED},
       t.in_kind, t.restricted, t.note, s.state, {_FACT_UPDATED}
FROM clusters_fundingline t
JOIN clusters_submission s ON s.id = t.submission_id
JOIN clusters_cluster c ON c.id = s.cluster_id
JOIN clusters_program p ON p.id = t.program_id
JOIN clusters_fundingsource fs ON fs.id = t.source_id
{_FX_JOIN}
WHERE t.program_id {_MINE}""",
    "costs": f"""
SELECT p.slug AS program, c.slug AS cluster, s.year::integer AS year, t.category,
       s.currency, t.amount,{_CONVERTED},
       t.note, s.state, {_FACT_UPDATED}
FROM clusters_costline t
JOIN clusters_submission s ON s.id = t.submission_id
JOIN clusters_cluster c ON c.id = s.cluster_id
JOIN clusters_program p ON p.id = t.program_id
{_FX_JOIN}
WHERE t.program_id {_MINE}""",
    "kpi_values": f"""
SELECT p.slug AS program, c.slug AS cluster, s.year::integer AS year, k.code AS kpi,
       t.value, k.unit, k.kind, s.state, GREATEST(s.updated_at, c.updated_at) AS updated_at
FROM clusters_kpivalue t
JOIN clusters_submission s ON s.id = t.submission_id
JOIN clusters_cluster c ON c.id = s.cluster_id
JOIN clusters_program p ON p.id = t.program_id
JOIN clusters_kpidefinition k ON k.id = t.kpi_id
WHERE t.program_id {_MINE}""",
    "submissions": f"""
SELECT p.slug AS program, c.slug AS cluster, s.year::integer AS year, s.currency, s.state,
       s.version::integer AS version, s.staff_fte, s.created_at, s.submitted_at,
       s.approved_at, GREATEST(s.updated_at, c.updated_at) AS updated_at
FROM clusters_submission s
JOIN clusters_cluster c ON c.id = s.cluster_id
JOIN clusters_program p ON p.id = s.program_id
WHERE s.program_id {_MINE}""",
    "funding_mix": f"""
WITH mix AS (
    SELECT ps.program_id, ps.year, ps.payload, ps.computed_at
    FROM clusters_portfoliosnapshot ps
    WHERE ps.kind = 'funding_mix' AND ps.params = '' AND ps.program_id {_MINE}
      AND EXISTS (SELECT 1 FROM clusters_submission s WHERE s.program_id = ps.program_id
                  AND s.year = ps.year AND s.state = 'approved')
)
SELECT p.slug AS program, m.year::integer AS year, cat.key::varchar AS category,
       ''::varchar AS source, (cat.value->>'amount')::numeric(38, 2) AS amount,
       (cat.value->>'share')::double precision AS share,
       (m.payload->>'currency')::varchar AS currency, m.computed_at AS as_of
FROM mix m JOIN clusters_program p ON p.id = m.program_id
CROSS JOIN LATERAL jsonb_each(m.payload->'by_category') AS cat(key, value)
UNION ALL
SELECT p.slug, m.year::integer, (src->>'category')::varchar, (src->>'source')::varchar,
       (src->>'amount')::numeric(38, 2), (src->>'share')::double precision,
       (m.payload->>'currency')::varchar, m.computed_at
FROM mix m JOIN clusters_program p ON p.id = m.program_id
CROSS JOIN LATERAL jsonb_array_elements(m.payload->'by_source') AS src""",
}

_REGRANT = f"""
DO $$
DECLARE login record;
BEGIN
  FOR login IN SELECT l.role FROM bi_bilogin l JOIN pg_roles r ON r.rolname = l.role LOOP
    EXECUTE format('GRANT USAGE ON SCHEMA {SCHEMA} TO %I', login.role);
    EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA {SCHEMA} TO %I', login.role);
  END LOOP;
END $$;"""


def create_sql() -> list[str]:
    statements = [f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}"]
    for name, select in VIEWS.items():
        statements.append(
            f"CREATE OR REPLACE VIEW {SCHEMA}.{name} WITH (security_barrier = true) AS {select}"
        )
    # logins made before these views were (re)created read them too
    statements.append(_REGRANT)
    return statements


def drop_sql() -> list[str]:
    return [f"DROP VIEW IF EXISTS {SCHEMA}.{name}" for name in VIEWS] + [
        f"DROP SCHEMA IF EXISTS {SCHEMA}"
    ]


class PostgresOnlySQL(migrations.RunSQL):
    """RunSQL that runs on PostgreSQL only: SQLite has no schemas, roles or row security
    (the embedded database serves the REST and OData exports only)."""

    def database_forwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
