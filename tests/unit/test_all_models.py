"""participation.all_models names every models module, so no test file or command depends on
which area happened to be imported first."""

from __future__ import annotations

import ast
from pathlib import Path

import participation
from participation import all_models


def test_every_models_module_is_imported_by_all_models():
    package = Path(participation.__file__).parent
    on_disk = {
        ".".join(("participation", *path.relative_to(package).with_suffix("").parts))
        for path in [*package.rglob("models.py"), *package.rglob("models/__init__.py")]
    }
    on_disk = {name.removesuffix(".__init__") for name in on_disk}
    imported = set()
    for node in ast.walk(ast.parse(Path(all_models.__file__).read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            imported |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
    assert on_disk - imported == set()
