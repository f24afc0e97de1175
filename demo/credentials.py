"""The demo's tokens and admin login, as ``load_demo`` (``make run``) prints them.

With local settings (``DEMO_STABLE_CREDENTIALS``), every run prints the same three tokens
and the same admin password: they are derived from the checkout's own secret key (made
once per machine, see config/settings/local.py), so a BI tool or a shell set up with them
keeps working across restarts, while no two machines share them. Elsewhere each run makes
fresh tokens, revokes the demo tokens printed before, and creates no admin login.

The tokens are printed as ``export`` lines under the names the README's examples use.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from clusters.models import ApiToken, Program, Role, hash_token
from clusters.models.tenancy import TOKEN_PREFIX
from clusters.services.tokens import token_create, token_revoke

ADMIN_USERNAME = "demo-admin"


@dataclass(frozen=True)
class DemoToken:
    variable: str  # the shell variable the README's examples use
    role: str
    clusters: tuple[str, ...]

    @property
    def name(self) -> str:
        return f"demo {self.role}"

    def label(self, program: Program) -> str:
        if self.clusters:
            return f"{self.role} of {', '.join(self.clusters)} in {program.slug}"
        return f"{self.role} of {program.slug}"


DEMO_TOKENS = (
    DemoToken("ADMIN", Role.PROGRAM_ADMIN, ()),
    DemoToken("ANALYST", Role.PROGRAM_ANALYST, ()),
    DemoToken("EDITOR", Role.CLUSTER_EDITOR, ("ocean-tech",)),
)


def _derive(label: str, length: int) -> bytes:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"clusterbase demo: {label}".encode(), hashlib.sha256).digest()[:length]


def stable_token_value(token: DemoToken, program: Program) -> tuple[str, str]:
    """(raw token, lookup prefix) for this demo token on this checkout: always the same."""
    lookup = _derive(f"{program.slug} {token.role} lookup", 4).hex()
    secret = base64.urlsafe_b64encode(_derive(f"{program.slug} {token.role} secret", 32))
    return f"{TOKEN_PREFIX}_{lookup}_{secret.decode().rstrip('=')}", lookup


def stable_admin_password() -> str:
    return base64.urlsafe_b64encode(_derive("admin password", 12)).decode()


def _stable_token(token: DemoToken, program: Program) -> str:
    raw, lookup = stable_token_value(token, program)
    existing = ApiToken.objects.filter(key_hash=hash_token(raw)).first()
    if existing is not None:
        if existing.revoked_at is not None or existing.expires_at is not None:
            existing.revoked_at = existing.expires_at = None
            existing.save(update_fields=["revoked_at", "expires_at"])
        return raw
    # token_create validates role and clusters; the derived value then replaces the random one
    created, _ = token_create(
        name=token.name, role=token.role, program=program, cluster_slugs=list(token.clusters)
    )
    ApiToken.objects.filter(pk=created.pk).update(prefix=lookup, key_hash=hash_token(raw))
    return raw


def _fresh_token(token: DemoToken, program: Program) -> str:
    for old in ApiToken.objects.filter(program=program, name=token.name, revoked_at__isnull=True):
        token_revoke(token=old)
    _, raw = token_create(
        name=token.name, role=token.role, program=program, cluster_slugs=list(token.clusters)
    )
    return raw


def _stable_admin_login() -> tuple[str, str]:
    password = stable_admin_password()
    user, _ = get_user_model().objects.get_or_create(username=ADMIN_USERNAME)
    user.is_staff = user.is_superuser = user.is_active = True
    user.set_password(password)
    user.save()
    return ADMIN_USERNAME, password


@transaction.atomic
def demo_credentials_issue(*, program: Program, write: Callable[[str], object]) -> dict[str, str]:
    """Issue (or re-issue) the demo tokens and, locally, the admin login, and print them.
    Returns the tokens by variable name."""
    stable = getattr(settings, "DEMO_STABLE_CREDENTIALS", False)
    tokens = {
        t.variable: (_stable_token(t, program) if stable else _fresh_token(t, program))
        for t in DEMO_TOKENS
    }
    if stable:
        write("\nDemo tokens (the same on every run; the README's examples use these names):")
    else:
        write("\nDemo tokens (new on every run; the ones printed before are revoked):")
    for t in DEMO_TOKENS:
        write(f"  export {t.variable}={tokens[t.variable]}  # {t.label(program)}")
    if stable:
        username, password = _stable_admin_login()
        write(f"\nDjango admin: /admin/  user {username}  password {password}")
    return tokens
