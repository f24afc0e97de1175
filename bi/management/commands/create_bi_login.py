from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from bi.services import NeedsPostgres, bi_login_create
from clusters.models import Program


class Command(BaseCommand):
    help = (
        "Create (or rotate) a read-only PostgreSQL login for BI tools that sees only this "
        "programme's rows in the reporting schema; prints the password once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--program", required=True, help="programme slug")
        parser.add_argument("--login", help="role name (default: bi_<programme slug>)")

    def handle(self, *args, program, login=None, **options):
        try:
            prog = Program.objects.get(slug=program)
        except Program.DoesNotExist:
            raise CommandError(f"No programme '{program}'.") from None
        try:
            made = bi_login_create(program=prog, role=login)
        except NeedsPostgres as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        verb = "Created" if made.created else "Rotated the password of"
        self.stdout.write(f"{verb} the BI login of '{prog.slug}' (shown only now):")
        for label, value in (
            ("host", made.host),
            ("port", made.port),
            ("database", made.database),
            ("user", made.role),
            ("password", made.password),
            ("schema", "reporting"),
        ):
            self.stdout.write(f"  {label:<9} {value}")
