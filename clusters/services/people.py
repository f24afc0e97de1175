"""People in a programme: memberships (a person's role, an editor's clusters)."""

from __future__ import annotations

from django.db import transaction

from ..models import Membership, Role
from ..validation import Problems, check_choice


@transaction.atomic
def membership_save(*, membership: Membership) -> Membership:
    """Save a membership (from the admin). Its clusters are the form's to set afterwards,
    limited there to the programme's own clusters."""
    problems = Problems()
    check_choice(membership.role, field="role", problems=problems, choices=Role.values)
    problems.raise_if_any()
    membership.save()
    return membership
