"""Local development: the only settings that turn DEBUG on (GraphiQL, introspection,
Django's technical pages). SQLite and eager Celery unless DATABASE_URL / REDIS_URL are set.

The secret key is made once per checkout and kept in ``var/local-secret-key`` (ignored by
git), so sessions, and the demo tokens and admin login derived from it, survive restarts
without a key in the repository.
"""

import secrets

from .base import *  # noqa: F403
from .base import BASE_DIR, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])


def _local_secret_key() -> str:
    path = BASE_DIR / "var" / "local-secret-key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env("DJANGO_SECRET_KEY", default="") or _local_secret_key()
# whitenoise serves static files straight from the apps here (no collectstatic needed).
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405

# load_demo prints the same demo tokens and admin login on every run (derived from the
# key above). Never set this anywhere but on a developer's machine.
DEMO_STABLE_CREDENTIALS = True
