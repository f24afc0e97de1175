"""``manage.py import_facts FILE --program S [--approve] [--dry-run]``: the facts CSV in."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from clusters.access import system_access
from clusters.models import Program
from clusters.services.facts import facts_import


class Command(BaseCommand):
    help = (
        "Import a facts CSV (cluster,year,currency,line,code,amount) into a programme. "
        "The whole file is validated first; every bad row is listed and nothing is written "
        "unless every row is good. Rows of one cluster-year replace that submission's content."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the CSV file (UTF-8)")
        parser.add_argument("--program", required=True, help="programme slug")
        parser.add_argument(
            "--approve",
            action="store_true",
            help="historical data: imported submissions become approved (also approved or "
            "submitted ones are restated)",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help='write nothing; print {"changes": [...]} (what would be added, changed and '
            "removed per cluster-year, and which states would change) as JSON on stdout",
        )
        parser.add_argument(
            "--report",
            action="store_true",
            help='after a real import, print the same {"changes": [...]} JSON on stdout',
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")

    def handle(
        self,
        *args,
        file: str,
        program: str,
        approve: bool,
        dry_run: bool,
        no_progress: bool,
        report: bool = False,
        **options,
    ):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file {file}.")
        prog = Program.objects.filter(slug=program).first()
        if prog is None:
            raise CommandError(f"No programme '{program}'.")
        access = system_access(prog, label=f"import_facts {path.name}", via="import")
        bars: dict[str, tqdm] = {}
        show = not no_progress

        def progress(phase: str, rows: int) -> None:
            if not show:
                return
            if phase not in bars:
                for bar in bars.values():
                    bar.close()
                total = (
                    None
                    if phase == "validate"
                    else bars["validate"].n
                    if "validate" in bars
                    else None
                )
                bars[phase] = tqdm(
                    desc=f"{phase:>8}",
                    unit=" rows",
                    total=total,
                    file=sys.stderr,
                    unit_scale=True,
                    leave=False,
                )
            bars[phase].update(rows)

        try:
            result = facts_import(
                access=access,
                open_lines=lambda: path.open(encoding="utf-8-sig", newline=""),
                approve=approve,
                dry_run=dry_run,
                progress=progress,
            )
        except ValidationError as exc:
            for bar in bars.values():
                bar.close()
            count = 0
            for where, messages in exc.message_dict.items():
                for message in messages:
                    self.stderr.write(f"{where}: {message}")
                    count += 1
            raise CommandError(f"{count} problem(s) in {path.name}; nothing was imported.") from exc
        for bar in bars.values():
            bar.close()
        prefix = "Dry run, nothing written: " if dry_run else ""
        summary = (
            f"{prefix}{result.rows} rows read, {result.cluster_years} submissions: "
            f"{result.created} created, {result.changed} changed, {result.unchanged} unchanged "
            f"in {result.seconds:.2f} s ({result.rows / max(result.seconds, 1e-9):,.0f} rows/s)."
        )
        if not (dry_run or report):
            self.stdout.write(summary)
            return
        # The JSON alone on stdout (for jq and scripts); the summary beside it on stderr.
        self.stderr.write(summary)
        answer = {"changes": result.changes, "changes_truncated": result.changes_truncated}
        self.stdout.write(json.dumps(answer, indent=2, ensure_ascii=False))
