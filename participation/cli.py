"""Command-line tools: `flask --app wsgi users|seed|outbox|translate|drafts|export|measures|privacy ...`."""

from __future__ import annotations

import logging
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import click
from email_validator import EmailNotValidError, validate_email
from flask import Flask, current_app
from flask.cli import AppGroup

from participation import ROOT
from participation.announcements.commands import announcements_cli
from participation.extensions import db
from participation.mail.commands import mail_cli
from participation.measures.transfer_cli import measures_cli
from participation.privacy.commands import privacy_cli

users_cli = AppGroup("users", help="Manage user accounts.")
seed_cli = AppGroup("seed", help="Fill the database with demo data.")
outbox_cli = AppGroup("outbox", help="Deliver queued mail.")
translate_cli = AppGroup("translate", help="Extract, update and compile translations.")
drafts_cli = AppGroup("drafts", help="Masterplan drafts.")
export_cli = AppGroup("export", help="Data for the public.")


@export_cli.command("open-data")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), required=False)
def export_open_data(directory: Path | None) -> None:
    """Make the open-data ZIP (anonymised, published content only) that the site serves, and
    write a copy into DIRECTORY if given."""
    from participation.exports import open_data, stored

    try:
        made = stored.make_locked()
    except stored.Busy:
        raise click.ClickException("another worker is making the open data right now; try again later") from None
    click.echo(f"stored the open data ({made.size:,} bytes), served from now on")
    if directory is not None:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / open_data.FILE_NAME
        with path.open("wb") as out:
            for piece in stored.chunks(made.id):
                out.write(piece)
        click.echo(f"wrote {path} ({path.stat().st_size:,} bytes)")


@drafts_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--version", "number", type=int, default=None, help="Re-import into this version (being prepared).")
@click.option("--title", default=None, help='Default: a Word file\'s Title, else "Digitales Köln 2025".')
def drafts_import(path: str, number: int | None, title: str | None) -> None:
    """Import a draft from Markdown (.md) or Word (.docx) into a new version, or into one being prepared."""
    from pathlib import Path

    from sqlalchemy import select

    from participation.drafts import services
    from participation.drafts.importer import ImportError_, apply_draft
    from participation.drafts.models import PREPARING, MasterplanVersion
    from participation.drafts.upload import parse_upload

    try:
        draft = parse_upload(path, Path(path).read_bytes())
    except ImportError_ as error:
        raise click.ClickException(str(error)) from error
    for warning in draft.warnings:
        click.echo(f"warning: {warning}")
    if number is None:
        version = services.create_version(None, title or draft.title or "Digitales Köln 2025")
    else:
        version = db.session.scalar(select(MasterplanVersion).where(MasterplanVersion.number == number))
        if version is None or version.status != PREPARING:
            raise click.ClickException(f"version {number} does not exist or is no longer being prepared")
    result = apply_draft(version, draft)
    db.session.commit()
    click.echo(
        f"version {version.number}: {len(draft.chapters)} chapters, {draft.paragraph_count} paragraphs "
        f"({result['kept']} kept their history, {result['new']} new, {result['removed']} removed)"
    )


@users_cli.command("create-admin")
@click.argument("email")
@click.option("--display-name", default="Administration", show_default=True)
@click.option("--password", default=None, help="Asked for when omitted; leave that empty to generate one.")
def create_admin(email: str, display_name: str, password: str | None) -> None:
    """Create an administrator account (or give an existing account the admin role)."""
    from participation.accounts.models import UserRole, find_user_by_email
    from participation.auth.services import create_user, display_name_taken

    try:
        email = validate_email(email, check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise click.BadParameter(str(exc), param_hint="EMAIL") from exc
    user = find_user_by_email(email)
    if user is not None:
        if "admin" not in user.roles:
            user.role_rows.append(UserRole(role="admin"))
        db.session.commit()
        click.echo(f"{email} already exists and now has the admin role.")
        return
    generated = False
    if password is None and sys.stdin.isatty():
        password = click.prompt(
            "Password (empty: generate one)", default="", hide_input=True, confirmation_prompt=True, show_default=False
        )
    if not password:
        password, generated = secrets.token_urlsafe(15), True
    if len(password) < 10:
        raise click.BadParameter("use at least 10 characters", param_hint="--password")
    name = display_name
    suffix = 1
    while display_name_taken(name):
        suffix += 1
        name = f"{display_name} {suffix}"
    create_user(email, name, password, "administration", roles=("participant", "admin"), confirmed=True)
    db.session.commit()
    click.echo(f"Created admin {email}.")
    if generated:
        click.echo(f"Generated password: {password}")


@seed_cli.command("demo")
def seed_demo() -> None:
    """Demo accounts for every role, the phases and the pages; safe to run again."""
    from participation.seed import seed_demo as run

    logins = run()
    db.session.commit()
    click.echo("Demo data is in place.")
    if current_app.config["APP_ENV"] == "development":
        click.echo(f"Demo logins (password for all: {current_app.config['DEMO_PASSWORD']}):")
        for email, roles in logins:
            click.echo(f"  {email:32} {', '.join(roles)}")
    else:
        click.echo("Demo passwords are random outside development; use 'password forgot' to set one.")


@seed_cli.command("scale")
@click.option("--factor", default=1.0, show_default=True, help="Multiply every default size (0.01 for a quick run).")
@click.option("--users", type=click.IntRange(min=1), default=None, help="Accounts (default 100,000 x factor).")
@click.option("--seed", "random_seed", default=2025, show_default=True, help="Random seed: same seed, same data.")
def seed_scale(factor: float, users: int | None, random_seed: int) -> None:
    """Cologne-sized data for benchmarks, inserted in bulk (needs the repository's bench/)."""
    try:
        # benchmark-only code stays out of the installed package: it lives in the repository
        from bench.scale import seed_scale as run
    except ModuleNotFoundError as missing:
        if missing.name != "bench":
            raise
        raise click.ClickException("the scale data lives in the repository's bench/: run it in a checkout") from None

    started = time.monotonic()
    for line in run(factor=factor, seed=random_seed, users=users):
        click.echo(line)
    db.session.commit()
    click.echo(f"done in {time.monotonic() - started:.1f} s")


@outbox_cli.command("work")
@click.option("--once", is_flag=True, help="Deliver what is pending, then stop.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds to wait when nothing is pending.")
@click.option("--batch", default=100, show_default=True)
def outbox_work(once: bool, interval: float, batch: int) -> None:
    """Deliver pending mail. Several workers may run at once, on several hosts on PostgreSQL.

    Progress and errors go to the log ("participation.mail"). SIGTERM (systemd's stop, a
    deployment) lets the worker finish the message it is sending and give back the rest of
    its claim; it then exits with 0."""
    from participation.core.logs import database_trace
    from participation.mail import delivery

    log = logging.getLogger("participation.mail")
    delivery.STOP.clear()
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: delivery.STOP.set())
    log.info("outbox: worker started")
    try:
        while not delivery.STOP.is_set():
            try:
                sent, failed = delivery.deliver_pending(limit=batch)
            except Exception as error:  # the database went away, say: keep the worker, try again
                if once:
                    raise
                trace = database_trace(error)
                if trace is None:
                    log.exception("outbox: delivery stopped; trying again in %s s", interval)
                else:
                    log.error("outbox: delivery stopped; trying again in %s s\n%s", interval, trace)
                sent = failed = 0
            finally:
                db.session.remove()
            if once:  # one run, asked for at the terminal: its result is the command's output
                if sent or failed:
                    click.echo(f"outbox: {sent} sent, {failed} not sent")
                return
            if sent or failed:
                log.info("outbox: %d sent, %d not sent", sent, failed)
            if sent + failed < batch:
                _rest(interval, delivery.STOP)
        log.info("outbox: stopped on request")
    finally:
        signal.signal(signal.SIGTERM, previous)


def _rest(seconds: float, stop) -> None:
    """Wait up to `seconds`, in short sleeps, so that a stop request is heard within half a second."""
    deadline = time.monotonic() + seconds
    while True:
        time.sleep(max(0.0, min(0.5, deadline - time.monotonic())))
        if stop.is_set() or time.monotonic() >= deadline:
            return


@outbox_cli.command("failed")
@click.option("--limit", default=200, show_default=True, help="Show at most this many, oldest first.")
def outbox_failed(limit: int) -> None:
    """List mail given up after its attempts, with the last error; `outbox retry` queues it again."""
    from sqlalchemy import func, select

    from participation.mail.delivery import failed_messages, masked_address
    from participation.mail.models import FAILED, OutboxMessage

    messages = failed_messages(limit)
    total = db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.status == FAILED))
    if not messages:
        click.echo("No failed mail.")
        return
    click.echo(f"{'id':>7}  {'kind':24} {'recipient':28} {'tries':>5}  {'last try (UTC)':16}  last error")
    for message in messages:
        tried = message.last_attempt_at.strftime("%Y-%m-%d %H:%M") if message.last_attempt_at else "-"
        error = message.last_error or "-"
        if message.recipient:  # blank once `privacy purge` deleted the mail's content
            error = error.replace(message.recipient, masked_address(message.recipient))
        else:
            error = "(content deleted by privacy purge)"
        click.echo(
            f"{message.id:>7}  {message.kind:24} {masked_address(message.recipient):28} {message.attempts:>5}  "
            f"{tried:16}  {error}"
        )
    click.echo(f"{total} failed" + (f", the oldest {len(messages)} shown" if total > len(messages) else "") + ".")


@outbox_cli.command("retry")
@click.argument("ids", nargs=-1, type=int)
@click.option("--all", "every", is_flag=True, help="Queue every failed message again.")
def outbox_retry(ids: tuple[int, ...], every: bool) -> None:
    """Queue failed mail again (IDS as `outbox failed` lists them, or --all), keeping its Message-ID."""
    from sqlalchemy import select

    from participation.mail.delivery import requeue_failed
    from participation.mail.models import FAILED, OutboxMessage

    if bool(ids) == every:
        raise click.UsageError("name the ids of failed messages, or --all")
    if ids:
        failed = set(
            db.session.scalars(
                select(OutboxMessage.id).where(
                    OutboxMessage.id.in_(ids), OutboxMessage.status == FAILED, OutboxMessage.purged_at.is_(None)
                )
            )
        )
        others = sorted(set(ids) - failed)
        if others:
            raise click.ClickException(
                f"not failed mail, or its content was deleted, nothing queued: {', '.join(map(str, others))}"
            )
    queued = requeue_failed(list(ids) if ids else None)
    db.session.commit()
    click.echo(f"queued again: {len(queued)}" + (f" ({', '.join(map(str, queued))})" if 0 < len(queued) <= 20 else ""))


def _pybabel(*args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", *args], check=True, cwd=ROOT, stdout=subprocess.DEVNULL
    )


# pybabel passes over folders whose names start with "_", so templates/_macros is named too
EXTRACT_INPUTS = ("participation", "templates", "templates/_macros")
EXTRACT_OPTIONS = ("-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "--no-location", "--sort-output")


def extract_messages(output: str) -> None:
    _pybabel("extract", *EXTRACT_OPTIONS, "-o", output, *EXTRACT_INPUTS)


@translate_cli.command("update")
def translate_update() -> None:
    """Extract every message and merge it into translations/*/messages.po."""
    extract_messages("translations/messages.pot")
    _pybabel(
        "update", "-i", "translations/messages.pot", "-d", "translations", "--no-fuzzy-matching", "--ignore-obsolete"
    )


@translate_cli.command("compile")
def translate_compile() -> None:
    """Compile the .po files into .mo files."""
    _pybabel("compile", "-d", "translations")


@translate_cli.command("init")
@click.argument("locale")
def translate_init(locale: str) -> None:
    """Start a catalogue for a new language."""
    _pybabel("init", "-i", "translations/messages.pot", "-d", "translations", "-l", locale)


def register_cli(app: Flask) -> None:
    groups = (users_cli, seed_cli, outbox_cli, mail_cli, translate_cli, drafts_cli, export_cli, measures_cli)
    for group in (*groups, privacy_cli, announcements_cli):
        app.cli.add_command(group)
