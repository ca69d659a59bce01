"""`flask --app wsgi measures import FILE` and `measures export FILE`: the upload page's import
and export for files too large to upload, with the same preview and the same all or nothing."""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask.cli import AppGroup

from participation.extensions import db

measures_cli = AppGroup("measures", help="Import and export measures (XLSX, or CSV files in a ZIP).")


def _echo_plan(plan) -> None:
    click.echo(f"{'table':<12} {'create':>8} {'update':>8} {'unchanged':>10}")
    for table, count in plan.counts().items():
        click.echo(f"{table:<12} {count['create']:>8} {count['update']:>8} {count['unchanged']:>10}")
    for problem in plan.problems:
        place = f"{problem.table}, row {problem.row}" if problem.row else problem.table
        if problem.column:
            place += f", column {problem.column}"
        click.echo(f"error: {place}: {problem.message}", err=True)


@measures_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what would change, and every problem; write nothing.")
def import_measures(path: Path, dry_run: bool) -> None:
    """Import measures, milestones, indicators and values from PATH (.xlsx, .zip of CSV files, .csv).
    Nothing is written if the file has any problem (exit code 1)."""
    from participation.measures.transfer_apply import apply_plan
    from participation.measures.transfer_plan import make_plan
    from participation.measures.transfer_read import MAX_FILE_BYTES, UnreadableFile

    started = time.monotonic()
    with path.open("rb") as source:
        data = source.read(MAX_FILE_BYTES + 1)
    try:
        plan = make_plan(path.name, data)
    except UnreadableFile as error:
        raise click.ClickException(str(error)) from None
    _echo_plan(plan)
    if not plan.ok:
        db.session.rollback()
        raise click.ClickException(f"{len(plan.problems)} problem(s): nothing was imported")
    if dry_run:
        db.session.rollback()
        click.echo(f"dry run: nothing was written ({time.monotonic() - started:.1f} s)")
        return
    try:
        apply_plan(plan, None)
        db.session.commit()
    except Exception as error:
        db.session.rollback()
        raise click.ClickException(f"the import failed and was undone: {error}") from error
    click.echo(f"imported ({time.monotonic() - started:.1f} s)")


@measures_cli.command("export")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def export_measures(path: Path) -> None:
    """Write every measure with its milestones, indicators and values to PATH: .xlsx, or .zip
    (a CSV file per table)."""
    from participation.measures import transfer

    if path.suffix.lower() not in (".xlsx", ".zip"):
        raise click.ClickException("PATH must end in .xlsx or .zip")
    chunks = transfer.xlsx_chunks() if path.suffix.lower() == ".xlsx" else transfer.zip_chunks()
    with path.open("wb") as out:
        for piece in chunks:
            out.write(piece)
    db.session.rollback()
    click.echo(f"wrote {path} ({path.stat().st_size:,} bytes)")
