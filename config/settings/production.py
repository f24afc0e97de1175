"""Production: secrets and hosts must come from the environment."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Mail goes out over SMTP (EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.org:587).
vars().update(env.email_url("EMAIL_URL", default="smtp://localhost:25"))
