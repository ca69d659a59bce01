"""participation.all_models names every models module, so no test file or command depends on
which area happened to be imported first."""

from __future__ import annotations

import ast
from pathlib import Path

import participation
from participation import all_models


def _defines_a_model(path: Path) -> bool:
    """A class deriving from db.Model at the top of the module."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ClassDef) and any(ast.unparse(base) == "db.Model" for base in node.bases):
            return True
    return False


def test_every_module_defining_a_model_is_imported_by_all_models():
    package = Path(participation.__file__).parent
    on_disk = {
        ".".join(("participation", *path.relative_to(package).with_suffix("").parts)).removesuffix(".__init__")
        for path in package.rglob("*.py")
        if _defines_a_model(path)
    }
    assert "participation.core.audit" in on_disk  # the scan sees models outside models.py
    imported = set()
    for node in ast.walk(ast.parse(Path(all_models.__file__).read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            imported |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
    assert on_disk - imported == set()
