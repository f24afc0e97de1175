"""The import graph and the no-signals rule, read from the source (ast), never imported.

Layers, bottom to top: libraries (`charts`, the chart kit) import no other package of ours,
so anything may use them; `clusters` (the core) imports only Django, the standard library,
third-party packages, the libraries and itself; `impact` may add `clusters`; `canvases`
may add `impact`.
Feature apps (any other top-level package: webhooks, BI, reports, notifications, demo...)
sit above the domains, and the interface `api` above everything; no domain imports them.
`api/rest` and `api/graphql` never import each other (shared interface code lives in `api/`).
New top-level packages are feature apps unless listed here, so they are covered at once.

What happens after a change reaches other apps through `clusters/hooks.py`, never through
Django signals: no project code outside the tests imports `django.dispatch` or a Django
signals module, or connects a receiver to a Django signal.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Standalone kits (no Django, nothing of ours): every layer may import them.
LIBRARIES = ("charts",)
# Each domain may import itself, the libraries and the domains listed before it.
DOMAINS = ("clusters", "impact", "canvases")
INTERFACE = "api"
# Top-level packages that are not Django apps of the service.
TOOLING = ("config", "tests", "benchmarks")
INTERFACES_APART = (("api.rest", "api.graphql"), ("api.graphql", "api.rest"))


def project_packages() -> set[str]:
    return {
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if not path.parent.name.startswith(".")
    }


def feature_apps() -> set[str]:
    return project_packages() - set(LIBRARIES) - set(DOMAINS) - {INTERFACE} - set(TOOLING)


@dataclass(frozen=True)
class Import:
    line: int
    text: str  # as written, for the message
    targets: tuple[str, ...]  # dotted modules it may load


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(module: str, is_package: bool, level: int, name: str | None) -> str:
    """The absolute name of `from <level dots><name> import ...` written in `module`."""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join([*base, name] if name else base)


def imports_in(source: str, module: str, *, is_package: bool = False) -> Iterator[Import]:
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(node.lineno, f"import {alias.name}", (alias.name,))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = _resolve(module, is_package, node.level, node.module)
            names = ", ".join(alias.name for alias in node.names)
            written = "." * node.level + (node.module or "")
            targets = (base, *(f"{base}.{alias.name}" for alias in node.names))
            yield Import(node.lineno, f"from {written} import {names}", targets)
        elif (
            isinstance(node, ast.Call)
            and _called_name(node.func) in ("import_module", "import_string")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            target = node.args[0].value
            yield Import(node.lineno, f"{_called_name(node.func)}({target!r})", (target,))


def _called_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _within(target: str, package: str) -> bool:
    return target == package or target.startswith(package + ".")


def forbidden_for(module: str, packages: set[str]) -> dict[str, str]:
    """Package -> why `module` may not import it."""
    top = module.split(".")[0]
    rules: dict[str, str] = {}
    if top in LIBRARIES:
        for package in sorted(packages - {top}):
            rules[package] = f"`{top}` is a library: it imports no other package of ours"
    if top in DOMAINS:
        allowed = set(DOMAINS[: DOMAINS.index(top) + 1])
        for package in sorted(packages - allowed - set(LIBRARIES)):
            rules[package] = (
                f"`{top}` is a domain app: it imports only Django, the standard library, "
                f"third-party packages, the libraries and "
                f"{', '.join(f'`{a}`' for a in sorted(allowed))}"
            )
    for importer, other in INTERFACES_APART:
        if _within(module, importer):
            rules[other] = (
                f"`{importer}` and `{other}` never import each other; "
                "shared interface code lives in `api/`"
            )
    if top != "tests" and "tests" in packages:
        rules["tests"] = "service code never imports the tests"
    return rules


def violations_in(source: str, module: str, *, path: str, is_package: bool = False) -> list[str]:
    rules = forbidden_for(module, project_packages())
    found = []
    for imp in imports_in(source, module, is_package=is_package):
        for package, why in rules.items():
            if any(_within(target, package) for target in imp.targets):
                found.append(f"{path}:{imp.line}: `{imp.text}` ({why})")
                break
    return found


def _is_django_signals(module: str) -> bool:
    return _within(module, "django.dispatch") or (
        _within(module, "django") and module.split(".")[-1] == "signals"
    )


def signal_uses_in(source: str, *, path: str) -> list[str]:
    """Imports of Django's signal machinery, and `.connect(` on anything that came from Django
    (`models.signals.post_save.connect`). Celery's signals are not Django signals."""
    tree = ast.parse(source)
    origin: dict[str, str] = {}  # local name -> module it came from
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                origin[(alias.asname or alias.name).split(".")[0]] = alias.name
                if _is_django_signals(alias.name):
                    found.append(f"{path}:{node.lineno}: `import {alias.name}`")
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                origin[alias.asname or alias.name] = full
                if _is_django_signals(node.module) or _is_django_signals(full):
                    found.append(f"{path}:{node.lineno}: `from {node.module} import {alias.name}`")
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "connect"
        ):
            root = node.func.value
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(root, ast.Name) and _within(origin.get(root.id, ""), "django"):
                found.append(f"{path}:{node.lineno}: `{ast.unparse(node.func)}(...)`")
    return found


def project_modules(*, include_tests: bool = True) -> Iterator[tuple[Path, str]]:
    for package in sorted(project_packages()):
        if package == "tests" and not include_tests:
            continue
        for path in sorted((ROOT / package).rglob("*.py")):
            yield path, module_name(path)


def _relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_the_import_graph_points_downward_only():
    found = []
    for path, module in project_modules():
        found += violations_in(
            path.read_text(),
            module,
            path=_relative(path),
            is_package=path.name == "__init__.py",
        )
    assert not found, "Imports against the layering:\n" + "\n".join(found)


def test_no_django_signal_receivers_in_project_code():
    found = []
    for path, _module in project_modules(include_tests=False):
        found += signal_uses_in(path.read_text(), path=_relative(path))
    assert not found, (
        "Django signals in project code; use clusters/hooks.py instead:\n" + "\n".join(found)
    )


def test_the_walk_sees_every_layer():
    modules = {module for _path, module in project_modules()}
    for package in (*LIBRARIES, *DOMAINS, INTERFACE, "api.rest", "api.graphql", "tests"):
        assert package in modules
    assert "tests.test_architecture" in modules


# The checker itself: each rule catches what it is meant to catch.


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("clusters.services.x", "from impact.selectors import mix", "`from impact.selectors"),
        ("clusters.x", "import api.rest.base", "`import api.rest.base`"),
        ("clusters.x", "from canvases import models", "`from canvases import models`"),
        ("clusters.x", "from config.settings import base", "`from config.settings"),
        ("clusters.x", "from benchmarks import bench_import", "`from benchmarks import"),
        ("clusters.x", "from tests.factories import make_program", "`from tests.factories"),
        ("clusters.x", "import_module('impact.tasks')", "`import_module('impact.tasks')`"),
        ("impact.x", "from canvases.models import Canvas", "`from canvases.models"),
        ("impact.x", "from api.auth import bearer", "`from api.auth"),
        ("impact.selectors.x", "from ...api import auth", "`from ...api import auth`"),
        ("canvases.x", "from api.rest import base", "`from api.rest import base`"),
        ("charts.x", "from clusters.numbers import money_text", "`from clusters.numbers"),
        ("charts.layouts.x", "from ...canvases import kinds", "`from ...canvases import kinds`"),
        ("api.rest.x", "from api.graphql.context import Scoped", "`from api.graphql.context"),
        ("api.rest.x", "from api import graphql", "`from api import graphql`"),
        ("api.rest.x", "from ..graphql import errors", "`from ..graphql import errors`"),
        ("api.graphql.x", "from ..rest.problems import x", "`from ..rest.problems import x`"),
    ],
)
def test_the_checker_refuses(module, source, expected):
    found = violations_in(source, module, path="x.py")
    assert len(found) == 1
    assert found[0].startswith(f"x.py:1: {expected}")


def test_the_checker_names_a_feature_app_for_every_domain(monkeypatch):
    monkeypatch.setattr(
        "tests.test_architecture.project_packages", lambda: {*DOMAINS, "api", "webhooks"}
    )
    assert feature_apps() == {"webhooks"}
    for domain in DOMAINS:
        found = violations_in("from webhooks.models import Endpoint", f"{domain}.x", path="x.py")
        assert found == [
            "x.py:1: `from webhooks.models import Endpoint` "
            f"(`{domain}` is a domain app: it imports only Django, the standard library, "
            "third-party packages, the libraries and "
            + ", ".join(f"`{a}`" for a in sorted(DOMAINS[: DOMAINS.index(domain) + 1]))
            + ")"
        ]


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("clusters.x", "from django.db import models\nfrom clusters.models import Program"),
        ("clusters.x", "from .models import Program\nimport pycountry"),
        ("impact.x", "from clusters.access import Access"),
        ("canvases.x", "from impact.selectors import funding_mix\nfrom clusters import hooks"),
        ("canvases.x", "from charts.layouts.boards import Block\nfrom charts import Svg"),
        ("charts.layouts.x", "from ..svg import Svg\nimport unicodedata"),
        ("api.rest.x", "from api.auth import BearerAuthentication\nfrom impact import tasks"),
        ("api.graphql.x", "from ..auth import bearer\nfrom .context import Scoped"),
        ("webhooks.x", "from clusters import hooks\nfrom impact.selectors import mix"),
    ],
)
def test_the_checker_allows(module, source):
    assert violations_in(source, module, path="x.py") == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from django.dispatch import receiver", "x.py:1: `from django.dispatch import receiver`"),
        (
            "from django.db.models.signals import post_save",
            "x.py:1: `from django.db.models.signals import post_save`",
        ),
        ("from django.db.models import signals", "x.py:1: `from django.db.models import signals`"),
        (
            "from django.db import models\nmodels.signals.post_save.connect(f)",
            "x.py:2: `models.signals.post_save.connect(...)`",
        ),
    ],
)
def test_the_signal_check_refuses(source, expected):
    assert expected in signal_uses_in(source, path="x.py")


def test_the_signal_check_allows_celery_signals_and_database_connections():
    source = (
        "from celery import signals\nimport psycopg\n"
        "signals.task_prerun.connect(f)\npsycopg.connect(url)\n"
    )
    assert signal_uses_in(source, path="x.py") == []
