"""Recompute and store portfolio figures now, in this process (no worker needed)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from clusters.models import Program
from impact.services.figures import figures_recompute_year, figures_store_missing, figures_years


class Command(BaseCommand):
    help = (
        "Recompute the stored portfolio figures of one programme or all, or (--missing) only "
        "the years a change left to be recomputed, e.g. after the broker was down."
    )

    def add_arguments(self, parser):
        parser.add_argument("--program", help="programme slug (default: every programme)")
        parser.add_argument(
            "--missing", action="store_true", help="only years whose stored figures are missing"
        )

    def handle(self, *args, program=None, missing=False, **options):
        programs = Program.objects.order_by("slug")
        if program:
            programs = programs.filter(slug=program)
            if not programs.exists():
                raise CommandError(f"No programme '{program}'.")
        if missing:
            done = figures_store_missing(program_ids=[p.pk for p in programs])
            slugs = dict(programs.values_list("pk", "slug"))
            for program_id, year in done:
                self.stdout.write(f"{slugs[program_id]} {year}: stored")
            self.stdout.write(f"{len(done)} programme-year(s) recomputed.")
            return
        count = 0
        for prog in programs:
            for year in figures_years(program=prog):
                figures_recompute_year(program_id=prog.pk, year=year)
                self.stdout.write(f"{prog.slug} {year}: stored")
                count += 1
        self.stdout.write(f"{count} programme-year(s) recomputed.")
