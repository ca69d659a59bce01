"""`flask announcements send`: queue the mails of every published announcement not fully queued."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup

from participation.announcements import sending
from participation.extensions import db

announcements_cli = AppGroup("announcements", help="Announcements to the subscribers.")


@announcements_cli.command("send")
@click.option("--batch-size", default=sending.BATCH_SIZE, show_default=True, help="Subscribers per transaction.")
def send(batch_size: int) -> None:
    """Queue the mails in batches, each committed with the cursor: after a crash, run it again; it
    goes on where it stopped and queues nobody twice. Safe beside another sender."""
    for announcement in sending.waiting_announcements():
        started = time.monotonic()
        queued = sending.queue_all(announcement, batch_size, commit=db.session.commit)
        click.echo(f"announcement {announcement.id}: {queued} mails queued in {time.monotonic() - started:.1f} s")
