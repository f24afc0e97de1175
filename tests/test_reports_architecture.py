"""The reports app sits above the domains: it imports clusters, impact, canvases and the chart
kit; nothing below imports it, and it imports no interface."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _imports(package: str) -> set[tuple[str, str]]:
    """(file, imported top-level package) for every absolute import under ``package``."""
    found = set()
    for path in (ROOT / package).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            found |= {(str(path.relative_to(ROOT)), name.split(".")[0]) for name in names}
    return found


@pytest.mark.parametrize("package", ["clusters", "impact", "canvases", "charts", "notifications"])
def test_nothing_below_imports_reports(package):
    assert [f for f, name in _imports(package) if name == "reports"] == []


def test_reports_import_no_interface_and_only_domains_below():
    imported = {name for _f, name in _imports("reports")}

    assert "api" not in imported and "demo" not in imported
    assert {"clusters", "impact", "canvases", "charts"} <= imported


def test_the_chart_kit_needs_no_django():
    assert [f for f, name in _imports("charts") if name == "django"] == []
