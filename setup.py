"""Packaging beyond pyproject.toml: templates/, translations/ and migrations/ stay at the top of
the repository, where people look for them, and go into the wheel inside the package
(participation/templates/ and so on), where the installed app finds them (participation.data_path).
The wheel also gets the compiled catalogues (.mo), which are not in git."""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

DATA_DIRECTORIES = ("templates", "translations", "migrations")


class BuildWithCatalogues(build_py):
    """Copy the package as usual, then compile each copied catalogue (.po) into its .mo."""

    def run(self) -> None:
        super().run()
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po_path in Path(self.build_lib, "participation", "translations").glob("*/LC_MESSAGES/*.po"):
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file)
            with po_path.with_suffix(".mo").open("wb") as mo_file:
                write_mo(mo_file, catalog)


def packages_in(directory: str, name: str) -> list[str]:
    """Every folder below `directory` as a package of the wheel (setuptools treats a folder of
    data as a package too), without the bytecode caches."""
    return [
        ".".join((name, *path.relative_to(directory).parts))
        for path in sorted({Path(directory), *Path(directory).rglob("*")})
        if path.is_dir() and "__pycache__" not in path.parts
    ]


setup(
    packages=[
        *packages_in("participation", "participation"),
        *(package for name in DATA_DIRECTORIES for package in packages_in(name, f"participation.{name}")),
    ],
    package_dir={f"participation.{name}": name for name in DATA_DIRECTORIES},
    package_data={"": ["*"]},
    exclude_package_data={"": ["*.pyc", "*.mo"]},
    cmdclass={"build_py": BuildWithCatalogues},
)
