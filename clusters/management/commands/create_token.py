import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from clusters.models import Program, Role
from clusters.services.tokens import token_create


class Command(BaseCommand):
    help = "Create an API token and print it once (only its hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument("--program", help="programme slug (omit only with --site-staff)")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument(
            "--cluster",
            action="append",
            default=[],
            help="cluster slug; repeat for several (cluster_editor)",
        )
        parser.add_argument("--name", default="", help="what the token is for, e.g. 'Power BI'")
        parser.add_argument(
            "--user", default=None, help="username of the person the token belongs to"
        )
        parser.add_argument("--expires-days", type=int, default=None, help="expire after N days")
        parser.add_argument(
            "--site-staff", action="store_true", help="act as admin on every programme"
        )

    def handle(
        self, *args, program, role, cluster, name, user, expires_days, site_staff, **options
    ):
        prog = None
        if program:
            try:
                prog = Program.objects.get(slug=program)
            except Program.DoesNotExist as exc:
                raise CommandError(f"No programme '{program}'.") from exc
        owner = None
        if user:
            owner = get_user_model().objects.filter(username=user).first()
            if owner is None:
                raise CommandError(f"No user '{user}'.")
        expires_at = timezone.now() + dt.timedelta(days=expires_days) if expires_days else None
        try:
            token, raw = token_create(
                name=name or f"{role} token",
                role=role,
                program=prog,
                cluster_slugs=cluster,
                user=owner,
                expires_at=expires_at,
                site_staff=site_staff,
            )
        except ValidationError as exc:
            raise CommandError(
                "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
            ) from exc
        self.stderr.write(
            f"Token '{token.name}' ({role} in {program or 'every programme'}); it is shown only now:"
        )
        self.stdout.write(raw)
