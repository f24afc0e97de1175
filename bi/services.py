"""BI database logins: ``bi_login_create`` makes (or rotates) a PostgreSQL role that reads
the ``reporting`` views of one programme and nothing else (see ``bi.reporting``)."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from clusters.models import Program
from clusters.validation import invalid

from .models import BiLogin
from .reporting import SCHEMA

_ROLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class NeedsPostgres(RuntimeError):
    """BI logins are PostgreSQL roles; the embedded SQLite database has none."""


@dataclass(frozen=True)
class Login:
    role: str
    password: str
    database: str
    host: str
    port: str
    created: bool  # False: an existing login got a new password


def default_role(program: Program) -> str:
    return ("bi_" + re.sub(r"[^a-z0-9_]", "_", program.slug.lower()))[:63]


@transaction.atomic
def bi_login_create(*, program: Program, role: str | None = None) -> Login:
    """Create the programme's BI login, or give an existing one a new password.

    The password is random, returned once, and stored by PostgreSQL only (as a SCRAM
    verifier computed here, so the statement carries no clear-text password). The role can
    log in, read the ``reporting`` views (which show this programme's rows only) and do
    nothing else; its sessions are read-only. Needs a database user with CREATEROLE.
    """
    if connection.vendor != "postgresql":
        raise NeedsPostgres(
            "create_bi_login needs PostgreSQL (DATABASE_URL=postgres://...): BI logins are "
            "database roles reading the reporting schema, which SQLite does not have."
        )
    from psycopg import sql

    role = role or default_role(program)
    if not _ROLE.match(role):
        invalid("login", "A login is lowercase letters, digits and _ (at most 63).", "invalid")
    mapped = BiLogin.objects.filter(role=role).first()
    if mapped is not None and mapped.program_id != program.pk:
        invalid("login", f"'{role}' is the BI login of another programme.", "taken")
    password = secrets.token_urlsafe(24)
    raw = connection.connection  # the psycopg connection, for quoting and the verifier
    verifier = raw.pgconn.encrypt_password(password.encode(), role.encode(), b"scram-sha-256")
    ident = sql.Identifier(role)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        exists = cursor.fetchone() is not None
        if exists and mapped is None:
            invalid(
                "login",
                f"A database role '{role}' exists and is no BI login: choose another name.",
                "taken",
            )
        statements = [
            sql.SQL(
                "CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION "
                "NOINHERIT CONNECTION LIMIT 10 PASSWORD {}"
                if not exists
                else "ALTER ROLE {} PASSWORD {}"
            ).format(ident, sql.Literal(verifier.decode())),
            sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
                sql.Identifier(connection.settings_dict["NAME"]), ident
            ),
            sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(sql.Identifier(SCHEMA), ident),
            sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA {} TO {}").format(
                sql.Identifier(SCHEMA), ident
            ),
            sql.SQL("ALTER ROLE {} SET search_path = {}").format(ident, sql.Identifier(SCHEMA)),
            sql.SQL("ALTER ROLE {} SET default_transaction_read_only = on").format(ident),
        ]
        for statement in statements:
            cursor.execute(statement.as_string(raw))
    if mapped is None:
        BiLogin.objects.create(program=program, role=role)
    else:
        mapped.rotated_at = timezone.now()
        mapped.save(update_fields=["rotated_at"])
    settings = connection.settings_dict
    return Login(
        role=role,
        password=password,
        database=settings["NAME"],
        host=settings.get("HOST") or "localhost",
        port=str(settings.get("PORT") or 5432),
        created=mapped is None,
    )
