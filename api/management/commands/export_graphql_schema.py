"""Write the GraphQL schema (SDL) to api/graphql/schema.graphql, or check it for drift."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from strawberry.printer import print_schema

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "graphql" / "schema.graphql"


class Command(BaseCommand):
    help = "Export the GraphQL schema to api/graphql/schema.graphql (--check: fail on drift)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="fail if the file is out of date")

    def handle(self, *args, check: bool = False, **options):
        from api.graphql.schema import schema

        sdl = print_schema(schema).rstrip() + "\n"
        if check:
            current = SCHEMA_FILE.read_text() if SCHEMA_FILE.exists() else ""
            if current != sdl:
                raise CommandError(
                    f"{SCHEMA_FILE} is out of date: run `python manage.py export_graphql_schema`."
                )
            self.stdout.write("GraphQL schema file is up to date.")
            return
        SCHEMA_FILE.write_text(sdl)
        self.stdout.write(f"Wrote {SCHEMA_FILE} ({len(sdl.splitlines())} lines).")
