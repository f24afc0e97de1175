"""The BI and webhook apps sit above the domains, and the OData feed beside REST and
GraphQL: imports run downward only (clusters and impact never import them; they never
import an interface; api/odata imports neither api/rest nor api/graphql)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _imports(package: str) -> set[str]:
    found: set[str] = set()
    for path in (ROOT / package).rglob("*.py"):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = module.split(".")[: -node.level]
                    found.add(".".join([*base, node.module] if node.module else base))
                else:
                    found.add(node.module or "")
    return found


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("clusters", ("bi", "webhooks", "api")),
        ("impact", ("bi", "webhooks", "api")),
        ("bi", ("webhooks", "api", "demo")),
        ("webhooks", ("bi", "api", "impact", "demo")),
        ("api/odata", ("api.rest", "api.graphql")),
        ("api/rest", ("api.odata", "api.graphql")),
        ("api/graphql", ("api.odata", "api.rest")),
    ],
)
def test_imports_run_downward(package, forbidden):
    bad = sorted(
        name
        for name in _imports(package)
        if any(name == f or name.startswith(f"{f}.") for f in forbidden)
    )

    assert bad == []
