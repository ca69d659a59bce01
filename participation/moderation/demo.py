"""Demo data for the moderation's queues, for `flask seed demo`."""

from __future__ import annotations

from participation.accounts.models import find_user_by_email
from participation.comments.services import add_comment
from participation.moderation.services import flag
from participation.proposals import services


def seed_demo_moderation(created) -> None:
    """Something for the moderation's queues: a proposal and a comment waiting for approval, and
    a comment reported twice (one report short of hiding it)."""
    guest = find_user_by_email("gast@example.org")
    services.submit(
        guest,
        "Freies WLAN auf allen Rheinbrücken",
        "Auf der Deutzer Brücke und der Hohenzollernbrücke sollte es freies WLAN geben.",
        "infrastructure",
        held_because=["first"],
    )
    add_comment(guest, "Das dauert doch wieder Jahre.", None, proposal=created[1], held_because=["first"])
    rude = add_comment(
        find_user_by_email("mehmet@example.org"), "So ein Unsinn, wer denkt sich so was aus?", None, proposal=created[2]
    )
    for email, reason, note in (
        ("anna@example.org", "insult", "Das ist herabsetzend."),
        ("verein@example.org", "other", ""),
    ):
        flag(find_user_by_email(email), rude, reason, note)
