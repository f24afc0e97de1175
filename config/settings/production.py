"""Production: the default of config.wsgi, config.asgi and the Celery app.

Refuses to start without DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS; never DEBUG; HTTPS
only (HSTS, secure cookies, a redirect to https). Behind a proxy that terminates TLS, set
DJANGO_SECURE_PROXY_SSL_HEADER=true so the X-Forwarded-Proto it sends is trusted; only then,
since a client could otherwise claim https itself. `manage.py check --deploy` is clean with
the variables the README's deployment section lists.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import LOG_LEVEL, env, logging_config

DEBUG = False

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured(
        "Set DJANGO_SECRET_KEY to a long random value (50 characters or more), e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'. Production settings "
        "do not start without one."
    )
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "Set DJANGO_ALLOWED_HOSTS to the host names this service answers to, comma-separated."
    )
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

if env.bool("DJANGO_SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# Probes call the process directly over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Static files hashed and compressed once at build time (collectstatic), served by
# whitenoise with far-future caching. GraphiQL (DEBUG only) is not served here, so its
# bundles are not collected.
STATICFILES_DIRS = []
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# One JSON object a line, unless LOG_FORMAT says otherwise.
LOG_FORMAT = env("LOG_FORMAT", default="json")
LOGGING = logging_config(fmt=LOG_FORMAT, level=LOG_LEVEL)
# The worker logs through LOGGING above (JSON) instead of Celery's own plain handler.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Mail goes out over SMTP (EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.org:587).
vars().update(env.email_url("EMAIL_URL", default="smtp://localhost:25"))
