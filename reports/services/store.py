"""Keeping generated reports: Django's storage API (``default_storage``: files under
MEDIA_ROOT by default, any django-storages backend when ``STORAGES["default"]`` names one).

Each file is named after its content (``.../cluster-12-en-<sha256 prefix>.pdf``), so a
report generated again from the same data finds its file already there, and a new version
never overwrites a file another reader may be streaming: the row is switched to the new
files in a transaction, and the old files are deleted once that commits. Works the same on
backends that refuse to overwrite (S3 with ``file_overwrite=False``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Iterable, Mapping
from typing import IO, Any

from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from clusters.models import Cluster, Job, Program

from ..models import StoredReport

logger = logging.getLogger(__name__)

EXTENSIONS = {"html": "html", "pdf": "pdf", "zip": "zip"}


def _name(
    program: Program,
    kind: str,
    cluster: Cluster | None,
    year: int,
    language: str,
    fmt: str,
    digest: str,
) -> str:
    owner = f"cluster-{cluster.pk}" if cluster is not None else "programme"
    return f"reports/{program.pk}/{year}/{kind}/{owner}-{language}-{digest[:20]}.{EXTENSIONS[fmt]}"


def _digest(content: bytes | IO[bytes]) -> tuple[str, int]:
    if isinstance(content, bytes):
        return hashlib.sha256(content).hexdigest(), len(content)
    content.seek(0)
    digest, size = hashlib.sha256(), 0
    for chunk in iter(lambda: content.read(1024 * 1024), b""):
        digest.update(chunk)
        size += len(chunk)
    content.seek(0)
    return digest.hexdigest(), size


def _delete(names: Iterable[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:  # already gone, or the backend is down: an orphan, never an error
            logger.warning("could not delete the replaced report file %s", name)


def report_store(
    *,
    program: Program,
    kind: str,
    cluster: Cluster | None,
    year: int,
    language: str,
    files: Mapping[str, bytes | IO[bytes]],
    pages: int | None,
    as_of: dt.datetime,
    job: Job | None = None,
) -> StoredReport:
    """Store a report's files (bytes, or a file open for reading, e.g. a large zip) and
    point its row at them, replacing an earlier version."""
    stored: dict[str, dict[str, Any]] = {}
    written: list[str] = []
    for fmt, content in sorted(files.items()):
        digest, size = _digest(content)
        name = _name(program, kind, cluster, year, language, fmt, digest)
        if not default_storage.exists(name):
            body = ContentFile(content) if isinstance(content, bytes) else File(content)
            name = default_storage.save(name, body)
            written.append(name)
        stored[fmt] = {"name": name, "size": size, "sha256": digest}
    try:
        with transaction.atomic():
            row = (
                StoredReport.objects.for_program(program)
                .select_for_update()
                .filter(kind=kind, cluster=cluster, year=year, language=language)
                .first()
            )
            old = {f["name"] for f in row.files.values()} if row is not None else set()
            if row is None:
                row = StoredReport(
                    program=program, kind=kind, cluster=cluster, year=year, language=language
                )
            row.files, row.pages, row.as_of, row.job = stored, pages, as_of, job
            row.generated_at = timezone.now()
            row.save()
            stale = old - {f["name"] for f in stored.values()}
            transaction.on_commit(lambda: _delete(sorted(stale)), robust=True)
    except Exception:
        _delete(written)
        raise
    return row
