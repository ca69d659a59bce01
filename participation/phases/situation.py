"""Where the process stands, in words: which phases are running, until when, and when the next
one starts. Every refusal of an action outside its phase ends with it, so a person who finds
voting closed also learns what they can do now and when the closed action may open again."""

from __future__ import annotations

from datetime import datetime

from flask_babel import format_date, format_time, get_locale
from flask_babel import gettext as _

from participation.phases.models import Phase, next_phase, running_phases


def moment(value: datetime) -> str:
    """A moment as people read it in the city's time: "5. März 2027, 18:00"."""
    return f"{format_date(value, 'long')}, {format_time(value, 'short')}"


def describe(phase: Phase) -> str:
    title = phase.localized("title", str(get_locale()))
    if phase.ends_at is None:
        return _("“%(title)s”", title=title)
    return _("“%(title)s” (until %(end)s)", title=title, end=moment(phase.ends_at))


def situation(now: datetime | None = None) -> str:
    """One or two sentences: what is open now, and when the next phase starts."""
    running = running_phases(now)  # both read once per request when `now` is not given
    upcoming = next_phase(now)
    if running:
        parts = [_("Open now: %(phases)s.", phases=", ".join(describe(phase) for phase in running))]
    else:
        parts = [_("No phase of the process is running at the moment.")]
    if upcoming is not None:
        parts.append(
            _(
                "The next phase, “%(title)s”, starts on %(start)s.",
                title=upcoming.localized("title", str(get_locale())),
                start=moment(upcoming.starts_at),
            )
        )
    else:
        parts.append(_("No further phase is planned yet."))
    return " ".join(parts)


def refusal_text(closed: str) -> str:
    """`closed` (what is not open, as a sentence) followed by the situation."""
    return f"{closed} {situation()}"
