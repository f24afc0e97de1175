"""Safe by default: what an operator gets from `gunicorn config.wsgi` and the production
settings, tried in fresh processes exactly as a deployment starts them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = "k" * 20 + "0123456789abcdefghijklmnopqrstuvwxyzABCDEF"
DEPLOY_ENV = {
    "DJANGO_SECRET_KEY": GOOD_KEY,
    "DJANGO_ALLOWED_HOSTS": "api.example.org",
    "DJANGO_SECURE_PROXY_SSL_HEADER": "true",
}


def _clean_env(**extra: str) -> dict[str, str]:
    """The environment of a fresh deployment: none of the test run's Django variables."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "CELERY_")) and k not in ("REDIS_URL", "LOG_FORMAT")
    }
    env.update(extra)
    return env


def _run(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_without_a_secret_key_refuse_to_start():
    # given a deployment that forgot DJANGO_SECRET_KEY
    env = _clean_env(DJANGO_ALLOWED_HOSTS="api.example.org")
    # when gunicorn imports the WSGI application
    result = _run("import config.wsgi", env)
    # then the process stops, naming the variable, instead of running with a known key
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "Set DJANGO_SECRET_KEY" in result.stderr


def test_production_settings_refuse_a_short_key_and_missing_hosts():
    short = _run("import config.wsgi", _clean_env(DJANGO_SECRET_KEY="changeme"))
    assert short.returncode != 0 and "Set DJANGO_SECRET_KEY" in short.stderr
    no_hosts = _run("import config.wsgi", _clean_env(DJANGO_SECRET_KEY=GOOD_KEY))
    assert no_hosts.returncode != 0 and "Set DJANGO_ALLOWED_HOSTS" in no_hosts.stderr


WSGI_PROBE = """
import io, json, sys
import config.wsgi
from django.conf import settings

def call(path, *, scheme="https", accept="*/*", method="GET"):
    environ = {
        "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "",
        "SERVER_NAME": "api.example.org", "SERVER_PORT": "443", "HTTP_HOST": "api.example.org",
        "HTTP_ACCEPT": accept, "HTTP_X_FORWARDED_PROTO": scheme, "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""), "wsgi.errors": sys.stderr, "wsgi.version": (1, 0),
        "wsgi.multithread": False, "wsgi.multiprocess": False, "wsgi.run_once": False,
    }
    seen = {}
    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = int(status.split()[0]), dict(headers)
    body = b"".join(config.wsgi.application(environ, start_response))
    return {"status": seen["status"], "type": seen["headers"].get("Content-Type", ""),
            "location": seen["headers"].get("Location", ""),
            "hsts": seen["headers"].get("Strict-Transport-Security", ""),
            "body": body.decode("utf-8", "replace")[:3000]}

print(json.dumps({
    "settings": settings.SETTINGS_MODULE,
    "debug": settings.DEBUG,
    "unknown": call("/no/such/page/"),
    "unknown_api": call("/api/v1/nothing-here/"),
    "graphiql": call("/graphql/", accept="text/html"),
    "introspection": call("/graphql/?query=%7B__schema%7Btypes%7Bname%7D%7D%7D"),
    "plain_http": call("/api/v1/programs/", scheme="http"),
    "healthz_http": call("/healthz", scheme="http"),
}))
"""


def test_config_wsgi_with_no_settings_variable_serves_no_technical_page():
    # given the environment of a deployment that never set DJANGO_SETTINGS_MODULE
    env = _clean_env(**DEPLOY_ENV)
    assert "DJANGO_SETTINGS_MODULE" not in env
    # when config.wsgi (what `gunicorn config.wsgi` loads) answers requests
    result = _run(WSGI_PROBE, env)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    # then it runs production settings, DEBUG off
    assert (out["settings"], out["debug"]) == ("config.settings.production", False)
    # an unknown page is a problem-details 404, not Django's technical page with the URLconf
    for key in ("unknown", "unknown_api"):
        page = out[key]
        assert (page["status"], page["type"]) == (404, "application/problem+json")
        assert "URLconf" not in page["body"] and "<html" not in page["body"].lower()
    # no GraphiQL page: the HTML request gets the bearer-token 401 like any client
    assert out["graphiql"]["status"] == 401
    assert "graphiql" not in out["graphiql"]["body"].lower()
    # plain HTTP is redirected to HTTPS, with HSTS on HTTPS answers; probes are not redirected
    assert out["plain_http"]["status"] == 301
    assert out["plain_http"]["location"] == "https://api.example.org/api/v1/programs/"
    assert out["unknown"]["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert out["healthz_http"]["status"] == 200


def test_check_deploy_is_clean_with_the_documented_variables():
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "check",
            "--deploy",
            # the deployment checks (drf-spectacular adds schema warnings of its own, which
            # say nothing about a deployment)
            "--tag",
            "security",
            "--fail-level",
            "WARNING",
            "--settings",
            "config.settings.production",
        ],
        cwd=ROOT,
        env=_clean_env(**DEPLOY_ENV),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_manage_py_says_which_settings_it_runs():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--settings", "config.settings.test"],
        cwd=ROOT,
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[0] == "[manage.py: settings config.settings.test]"


STATIC_PROBE = """
import io, json, re, sys
import config.wsgi

def get(path):
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "",
        "SERVER_NAME": "api.example.org", "SERVER_PORT": "443", "HTTP_HOST": "api.example.org",
        "HTTP_X_FORWARDED_PROTO": "https", "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""), "wsgi.errors": sys.stderr, "wsgi.version": (1, 0),
        "wsgi.multithread": False, "wsgi.multiprocess": False, "wsgi.run_once": False,
    }
    seen = {}
    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = int(status.split()[0]), dict(headers)
    body = b"".join(config.wsgi.application(environ, start_response))
    return seen["status"], seen["headers"], body.decode("utf-8", "replace")

status, _, page = get("/api/docs/")
assets = re.findall(r'(?:src|href)="([^"]+)"', page)
served = {a: get(a)[0] for a in assets}
css = re.search(r'href="(/static/admin/css/base[^"]*)"', get("/admin/login/")[2]).group(1)
css_status, css_headers, _ = get(css)
print(json.dumps({"docs": status, "assets": assets, "served": served, "admin_css": css,
                  "admin_css_status": css_status, "cache": css_headers.get("Cache-Control", "")}))
"""


def test_production_serves_its_own_static_files_and_docs_assets(tmp_path):
    # given the static files collected as the Dockerfile does at build time
    env = _clean_env(
        **DEPLOY_ENV,
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        DJANGO_SETTINGS_MODULE="config.settings.production",
    )
    collected = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert collected.returncode == 0, collected.stderr
    # when the production application serves the API docs and the admin
    result = _run(STATIC_PROBE, env)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    # then Swagger UI's scripts and styles come from this service (no other host) and load
    assert out["docs"] == 200
    assert out["assets"] and all(a.startswith("/static/") for a in out["assets"])
    assert any("swagger-ui-bundle" in a for a in out["assets"])
    assert set(out["served"].values()) == {200}, out["served"]
    # and the admin is styled: its hashed stylesheet is served, cached for good
    assert out["admin_css"].startswith("/static/admin/css/base.") and out["admin_css"] != (
        "/static/admin/css/base.css"
    )
    assert out["admin_css_status"] == 200
    assert "max-age=315360000" in out["cache"]


@pytest.mark.parametrize("module", ["config.wsgi", "config.asgi", "config.celery_app"])
def test_entry_points_default_to_production_settings(module):
    code = f"import os, {module}; print(os.environ['DJANGO_SETTINGS_MODULE'])"
    result = _run(code, _clean_env(**DEPLOY_ENV))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "config.settings.production"
