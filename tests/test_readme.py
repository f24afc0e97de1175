"""The README cannot drift: every shell example in README.md and docs/ runs, as written,
against a live demo server started the way `make run` starts it (see tests/readme_examples.py
for the rules, and how to mark the rare block that cannot run here)."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command

from clusters.models import ApiToken
from tests.readme_examples import ROOT, documents, examples, script
from tests.services import free_port

EXPORT = re.compile(r"^\s*export (ADMIN|ANALYST|EDITOR)=(cb_\S+)", re.M)
DEMO_KEY = "readme-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"


def _demo_env(tmp_path: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "CELERY_")) and k not in ("REDIS_URL", "DATABASE_URL")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        DJANGO_SECRET_KEY=DEMO_KEY,
        LOG_LEVEL="WARNING",
    )
    return env


def _manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture
def demo_server(tmp_path):
    """`make run` on a fresh database: migrate, load the demo, serve; the printed tokens."""
    env = _demo_env(tmp_path)
    _manage(env, "migrate", "--noinput", "-v0")
    printed = _manage(env, "load_demo")
    tokens = dict(EXPORT.findall(printed))
    assert set(tokens) == {"ADMIN", "ANALYST", "EDITOR"}, printed
    port = free_port(range(18000, 18020))
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail((tmp_path / "server.log").read_text())
                time.sleep(0.2)
        yield port, tokens, env, printed
    finally:
        server.terminate()
        server.wait(timeout=15)
        log.close()


def test_every_readme_example_runs_against_the_demo(demo_server, tmp_path):
    port, tokens, env, _ = demo_server
    found = examples()
    runnable = [e for e in found if e.skip_reason is None]
    assert len(runnable) >= 10, [e.where for e in found]
    # a reader's working directory: the checkout's .venv and manage.py, files land here
    workdir = tmp_path / "reader"
    workdir.mkdir()
    (workdir / ".venv").symlink_to(ROOT / ".venv")
    (workdir / "manage.py").symlink_to(ROOT / "manage.py")
    result = subprocess.run(
        ["bash", "-c", script(runnable, port=port, exports=tokens)],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    announced = re.findall(r"^>>> example (\S+)$", result.stdout, re.M)
    failed_at = announced[-1] if announced else "before the first example"
    assert result.returncode == 0, (
        f"the example at {failed_at} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    assert announced == [e.where for e in runnable]
    assert result.stdout.rstrip().endswith(">>> all examples ran")


def test_skipped_examples_are_rare_and_say_why():
    skipped = [(e.where, e.skip_reason) for e in examples() if e.skip_reason is not None]
    assert all(reason.strip() for _, reason in skipped)
    assert len(skipped) <= len(examples()) // 3, skipped


def test_the_docs_stand_alone():
    for path in documents():
        assert "../shared" not in path.read_text(), path


@pytest.mark.django_db
def test_make_run_prints_the_same_tokens_and_admin_login_on_every_run(settings):
    # given local settings (stable demo credentials)
    settings.DEMO_STABLE_CREDENTIALS = True
    first, second = io.StringIO(), io.StringIO()
    # when the demo is loaded twice (two `make run`s)
    call_command("load_demo", stdout=first)
    call_command("load_demo", stdout=second)
    # then the same tokens are printed and still work, and so is the admin login
    tokens = dict(EXPORT.findall(first.getvalue()))
    assert dict(EXPORT.findall(second.getvalue())) == tokens
    assert len(tokens) == 3
    for raw in tokens.values():
        assert ApiToken.objects.get(
            key_hash=__import__("hashlib").sha256(raw.encode()).hexdigest()
        ).is_active
    first_login = re.search(r"user (\S+)  password (\S+)", first.getvalue())
    login = re.search(r"user (\S+)  password (\S+)", second.getvalue())
    assert login and first_login and login.groups() == first_login.groups()
    from django.test import Client

    assert Client().login(username=login[1], password=login[2])


@pytest.mark.django_db
def test_elsewhere_each_run_makes_new_tokens_and_no_admin_login(settings):
    settings.DEMO_STABLE_CREDENTIALS = False
    first, second = io.StringIO(), io.StringIO()
    call_command("load_demo", stdout=first)
    call_command("load_demo", stdout=second)
    old, new = dict(EXPORT.findall(first.getvalue())), dict(EXPORT.findall(second.getvalue()))
    assert set(old) == set(new) and not set(old.values()) & set(new.values())
    assert "password" not in second.getvalue()
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="demo-admin").exists()


def test_bash_and_curl_are_there():
    assert shutil.which("bash") and shutil.which("curl")
