from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from clusters.services.programs import program_create


class Command(BaseCommand):
    help = "Create a programme (tenant) with the standard funding sources and KPIs."

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--currency", required=True, help="ISO 4217, e.g. EUR")
        parser.add_argument("--country", default="", help="ISO 3166-1 alpha-2, e.g. NO")

    def handle(self, *args, slug, name, currency, country, **options):
        try:
            program = program_create(
                slug=slug, name=name, currency=currency.upper(), country=country.upper()
            )
        except ValidationError as exc:
            raise CommandError(
                "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Created programme '{program.slug}' ({program.name}, {program.currency})."
            )
        )
