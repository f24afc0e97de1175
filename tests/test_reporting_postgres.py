"""The PostgreSQL ``reporting`` schema and ``create_bi_login``.

On PostgreSQL: a BI login of programme A reads A's rows from every view and none of B's,
and cannot read the application's tables. On SQLite the command says it needs PostgreSQL.
Roles are cluster-wide in PostgreSQL, so each test names its own and drops it after.
"""

from __future__ import annotations

import secrets
from decimal import Decimal

import psycopg
import pytest
from django.core.management import call_command, execute_from_command_line
from django.db import connection

from bi.models import BiLogin
from bi.reporting import VIEWS
from bi.services import bi_login_create
from tests.isolation_matrix import _portfolio

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL: set DATABASE_URL=postgres://..."
)


@pytest.fixture
def roles():
    """Role names for this test, dropped afterwards whatever happens."""
    made: list[str] = []

    def new(label: str) -> str:
        made.append(f"bi_test_{label}_{secrets.token_hex(4)}")
        return made[-1]

    yield new
    with connection.cursor() as cursor:
        for role in made:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone():
                cursor.execute(f'DROP OWNED BY "{role}"')
                cursor.execute(f'DROP ROLE "{role}"')


def _connect(login) -> psycopg.Connection:
    return psycopg.connect(
        host=login.host,
        port=login.port,
        dbname=login.database,
        user=login.role,
        password=login.password,
        autocommit=True,
    )


@pytest.fixture
def both(cast):
    """Approved 2021 submissions, a KPI value each and stored funding mixes in A and B."""
    from clusters.models import KpiDefinition, KpiValue, Submission
    from impact.services.figures import figures_recompute_year

    _portfolio(cast)
    for cluster in (cast.a1, cast.a2, cast.b1):
        KpiValue.objects.create(
            program=cluster.program,
            submission=Submission.objects.for_program(cluster.program).get(cluster=cluster),
            kpi=KpiDefinition.objects.for_program(cluster.program).get(code="members_total"),
            value=Decimal("12"),
        )
    for program in (cast.prog_a, cast.prog_b):
        figures_recompute_year(program_id=program.pk, year=2021)
    return cast


@needs_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_login_of_a_reads_every_view_with_only_as_rows(both, roles):
    login_a = bi_login_create(program=both.prog_a, role=roles("a"))
    login_b = bi_login_create(program=both.prog_b, role=roles("b"))

    seen: dict[str, dict[str, set[str]]] = {"a": {}, "b": {}}
    for key, login in (("a", login_a), ("b", login_b)):
        with _connect(login) as conn:
            for view in VIEWS:
                rows = conn.execute(f"SELECT DISTINCT program FROM reporting.{view}").fetchall()
                seen[key][view] = {r[0] for r in rows}

    assert seen["a"] == {view: {"prog-a"} for view in VIEWS}
    assert seen["b"] == {view: {"prog-b"} for view in VIEWS}


@needs_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_login_cannot_read_the_applications_tables_or_write(both, roles):
    login = bi_login_create(program=both.prog_a, role=roles("a"))

    refused = []
    with _connect(login) as conn:
        for table in (
            "clusters_cluster",
            "clusters_fundingline",
            "bi_bilogin",
            "clusters_apitoken",
        ):
            try:
                conn.execute(f"SELECT * FROM public.{table} LIMIT 1")
            except psycopg.errors.InsufficientPrivilege:
                refused.append(table)
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            conn.execute("CREATE TEMP TABLE x (a int)")

    assert refused == [
        "clusters_cluster",
        "clusters_fundingline",
        "bi_bilogin",
        "clusters_apitoken",
    ]


@needs_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_views_hold_the_same_figures_as_the_rest_tables(both, roles):
    login = bi_login_create(program=both.prog_a, role=roles("a"))

    with _connect(login) as conn:
        funding = conn.execute(
            "SELECT cluster, amount, amount_converted, fx_rate, state FROM funding ORDER BY cluster"
        ).fetchall()
        mix = conn.execute(
            "SELECT category, amount, share FROM funding_mix WHERE source = '' ORDER BY category"
        ).fetchall()

    assert funding == [
        ("a1", Decimal("100.00"), Decimal("100.00"), Decimal("1.0000000000"), "approved"),
        ("a2", Decimal("100.00"), Decimal("100.00"), Decimal("1.0000000000"), "approved"),
    ]
    assert mix == [
        ("private", Decimal("0.00"), 0.0),
        ("project", Decimal("0.00"), 0.0),
        ("public", Decimal("200.00"), 1.0),
    ]


@needs_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_creating_it_again_rotates_the_password(both, roles):
    role = roles("a")
    first = bi_login_create(program=both.prog_a, role=role)

    second = bi_login_create(program=both.prog_a, role=role)

    assert (first.created, second.created) == (True, False)
    assert first.password != second.password
    assert BiLogin.objects.get(role=role).rotated_at is not None


@needs_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_command_prints_the_login_once(both, roles, capsys):
    role = roles("cmd")

    call_command("create_bi_login", "--program", "prog-a", "--login", role)

    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Created the BI login of 'prog-a' (shown only now):"
    assert [line.split()[0] for line in out[1:]] == [
        "host",
        "port",
        "database",
        "user",
        "password",
        "schema",
    ]
    assert out[4].split()[1] == role


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite answer")
def test_on_sqlite_the_command_says_it_needs_postgresql(cast, capsys):
    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(["manage.py", "create_bi_login", "--program", "prog-a"])

    assert exited.value.code == 1
    assert "create_bi_login needs PostgreSQL" in capsys.readouterr().err
