"""Scales out: with REDIS_URL and a storage bucket, no web process or worker keeps state of
its own; with DATABASE_REPLICA_URL, exports read from the replica."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys

from tests.test_deploy import DEPLOY_ENV, ROOT, _clean_env, _run

SETTINGS_PROBE = """
import json
import django
django.setup()
from django.conf import settings
print(json.dumps({
    "caches": sorted({c["BACKEND"] for c in settings.CACHES.values()}),
    "sessions": settings.SESSION_ENGINE,
    "files": settings.STORAGES["default"]["BACKEND"],
    "bucket": settings.STORAGES["default"].get("OPTIONS", {}).get("bucket_name"),
    "broker": settings.CELERY_BROKER_URL,
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
}))
"""


def test_with_redis_and_a_bucket_no_process_keeps_local_state():
    env = _clean_env(
        **DEPLOY_ENV,
        DJANGO_SETTINGS_MODULE="config.settings.production",
        REDIS_URL="redis://cache.internal:6379/0",
        STORAGE_BUCKET="clusterbase-files",
    )
    result = _run(SETTINGS_PROBE, env)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out == {
        # one shared cache (rate limits, cached figures); nothing in process memory
        "caches": ["django_redis.cache.RedisCache"],
        # sessions in the shared database, behind the shared cache
        "sessions": "django.contrib.sessions.backends.cached_db",
        # files in the bucket, not on one machine's disk
        "files": "storages.backends.s3.S3Storage",
        "bucket": "clusterbase-files",
        # tasks go to the shared broker, for any worker on any machine
        "broker": "redis://cache.internal:6379/0",
        "eager": False,
    }


SEED = """
import django
django.setup()
from clusters.models import Program
from clusters.services.programs import program_create
from clusters.services.tokens import token_create
from tests.factories import ClusterFactory
from tests.givens import add_submission
program = program_create(slug="p", name="P", currency="EUR")
cluster = ClusterFactory.create(program=program, slug="c1")
add_submission(cluster, 2021, funding=[("membership_fees", "100.00")])
print(token_create(name="bi", role="program_analyst", program=program)[1])
"""

EXPORT = """
import django
django.setup()
from django.test import Client
response = Client().get("/api/v1/programs/p/exports/facts.csv?year=2021",
                        HTTP_AUTHORIZATION="Bearer %s", HTTP_HOST="127.0.0.1")
print(response.status_code)
print(b"".join(response.streaming_content).decode())
"""


def test_exports_read_from_the_replica_when_one_is_configured(tmp_path):
    primary, replica = tmp_path / "primary.sqlite3", tmp_path / "replica.sqlite3"
    env = _clean_env(DJANGO_SETTINGS_MODULE="config.settings.test")
    env["DATABASE_URL"] = f"sqlite:///{primary}"
    migrated = subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert migrated.returncode == 0, migrated.stderr
    seeded = _run(SEED, env)
    assert seeded.returncode == 0, seeded.stderr
    token = seeded.stdout.strip().splitlines()[-1]
    # given a replica that has the 2021 line, and a primary that has since changed it
    shutil.copy(primary, replica)
    with sqlite3.connect(primary) as db:
        db.execute("UPDATE clusters_fundingline SET amount = '999.00'")
    # when the export is read with DATABASE_REPLICA_URL set
    with_replica = _run(EXPORT % token, {**env, "DATABASE_REPLICA_URL": f"sqlite:///{replica}"})
    without = _run(EXPORT % token, env)
    # then it comes from the replica; without one, from the primary
    assert with_replica.returncode == 0, with_replica.stderr
    assert with_replica.stdout.splitlines()[0] == "200"
    assert "c1,2021,EUR,funding,membership_fees,100.00" in with_replica.stdout
    assert "c1,2021,EUR,funding,membership_fees,999.00" in without.stdout
