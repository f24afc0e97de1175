"""gunicorn settings, sized from the environment: ``gunicorn -c config/gunicorn.py config.wsgi``.

WEB_CONCURRENCY processes (default 2 per core + 1) of WEB_THREADS threads each (default
4: requests mostly wait on the database), bound to $HOST:$PORT (default 0.0.0.0:8000).
Workers are recycled after a few thousand requests (with jitter, so not all at once) and a
request running longer than WEB_TIMEOUT seconds is killed. The access log is the
application's own JSON line per request (config.requestlog), so gunicorn's is off.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


bind = f"{os.environ.get('HOST', '0.0.0.0')}:{_int('PORT', 8000)}"
workers = _int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)
threads = _int("WEB_THREADS", 4)
worker_class = "gthread"
timeout = _int("WEB_TIMEOUT", 60)
graceful_timeout = _int("WEB_GRACEFUL_TIMEOUT", 30)
keepalive = _int("WEB_KEEPALIVE", 5)
max_requests = _int("WEB_MAX_REQUESTS", 5000)
max_requests_jitter = _int("WEB_MAX_REQUESTS_JITTER", 500)
# Load the application once in the master: a broken configuration (no secret key) stops
# the server at start instead of in every worker, and workers share the loaded code.
preload_app = True
# Only a proxy on these addresses may set X-Forwarded-* (comma-separated, "*" for any).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
