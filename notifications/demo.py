"""Demo people with mail addresses, so the demo's moves print mails (console backend)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.utils import timezone

from clusters.models import Cluster, Membership, Program, Role

from .models import Notice

DEMO_PEOPLE = [
    # (username and address, role, clusters held)
    ("programme-office@demo.example", Role.PROGRAM_ADMIN, []),
    ("ocean-tech-cfo@demo.example", Role.CLUSTER_EDITOR, ["ocean-tech"]),
]


def load_demo_people(program: Program, log: Callable[[str], None]) -> None:
    users = get_user_model().objects
    for email, role, slugs in DEMO_PEOPLE:
        user, _ = users.get_or_create(username=email, defaults={"email": email})
        membership, _ = Membership.objects.get_or_create(
            user=user, program=program, defaults={"role": role}
        )
        membership.clusters.set(Cluster.objects.for_program(program).filter(slug__in=slugs))
    # The demo's own history (its approvals) is not news: nobody is mailed about it.
    Notice.objects.for_program(program).filter(dispatched_at__isnull=True).update(
        dispatched_at=timezone.now()
    )
    log(f"People with mail: {', '.join(email for email, _, _ in DEMO_PEOPLE)}.")
