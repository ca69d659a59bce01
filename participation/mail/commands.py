"""`flask --app wsgi mail digest`: the daily and weekly digests, run once a day (cron or a
systemd timer); safe to run twice and on several hosts at once (participation.mail.digest)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from participation.mail import digest_sending

mail_cli = AppGroup("mail", help="Notifications gathered into digests.")


@mail_cli.command("digest")
def send_digests() -> None:
    """Write the due daily and weekly digests into the outbox (the outbox worker sends them)."""
    sent = digest_sending.send_due()
    click.echo(f"digests: {sent} queued")
