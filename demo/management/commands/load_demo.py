"""`manage.py load_demo`: the demo programme of every app (clusters, figures, roadmaps...)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from canvases.demo import load_demo_canvases
from clusters.access import system_access
from clusters.demo import DEMO_CLUSTERS, DEMO_PROGRAM
from clusters.demo_data import load_demo_years
from clusters.models import Cluster, Program
from clusters.services.programs import program_create
from clusters.services.registry import cluster_create
from demo.credentials import demo_credentials_issue
from impact.demo import load_demo_impact, load_demo_scenarios
from notifications.demo import load_demo_people


class Command(BaseCommand):
    help = "Load the demo programme with DOMAIN.md's example clusters and print demo tokens."

    def add_arguments(self, parser):
        parser.add_argument("--no-tokens", action="store_true", help="do not create demo tokens")

    @transaction.atomic
    def handle(self, *args, no_tokens=False, **options):
        program = Program.objects.filter(slug=DEMO_PROGRAM["slug"]).first()
        if program is None:
            program = program_create(**DEMO_PROGRAM)
            self.stdout.write(f"Created programme '{program.slug}'.")
        access = system_access(program, label="load_demo", via="demo")
        existing = set(Cluster.objects.for_program(program).values_list("slug", flat=True))
        for data in DEMO_CLUSTERS:
            if data["slug"] not in existing:
                cluster_create(access=access, data=data)
        self.stdout.write(
            f"Clusters: {len(DEMO_CLUSTERS)} ({len(DEMO_CLUSTERS) - len(existing & {d['slug'] for d in DEMO_CLUSTERS})} new)."
        )
        load_demo_years(access=access, log=self.stdout.write)
        load_demo_impact(access, self.stdout.write)
        load_demo_scenarios(access, self.stdout.write)
        load_demo_canvases(access, self.stdout.write)
        load_demo_people(program, self.stdout.write)
        if no_tokens:
            return
        demo_credentials_issue(program=program, write=self.stdout.write)
