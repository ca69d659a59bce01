"""`flask --app wsgi privacy purge`: remove what is past its retention period (privacy.retention)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from participation.privacy import retention

privacy_cli = AppGroup("privacy", help="Data protection: remove what is past its retention period.")


def _when(moment) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


@privacy_cli.command("purge")
@click.option(
    "--batch",
    type=click.IntRange(min=1),
    default=retention.BATCH,
    show_default=True,
    help="Rows per transaction.",
)
def purge(batch: int) -> None:
    """Delete accounts never confirmed (UNCONFIRMED_ACCOUNT_DAYS after registering) and blank the
    address, subject and text of mail sent or given up MAIL_RETENTION_DAYS ago, forget new email
    addresses whose link expired (EMAIL_CHANGE_HOURS); print the counts.
    Safe to run again, and on several hosts at once on PostgreSQL; run it daily."""
    done = retention.purge(batch=batch)
    line = f"unconfirmed accounts deleted: {done.accounts} (registered before {_when(done.accounts_before)})"
    if done.mail_of_accounts:
        line += f", with the content of {done.mail_of_accounts} mails to them"
    click.echo(line)
    if done.accounts_kept:
        click.echo(
            f"unconfirmed accounts kept: {done.accounts_kept} (something refers to them, they logged in "
            "once, or a link mailed to them is still valid)"
        )
    click.echo(f"mail contents deleted: {done.mail} (sent or given up before {_when(done.mail_before)})")
    click.echo(
        f"unconfirmed new email addresses deleted: {done.pending_emails} "
        f"(asked for before {_when(done.pending_before)})"
    )
    click.echo("client addresses: none in the database (rate-limit counts expire with their windows)")
