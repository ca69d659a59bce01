"""An event as an iCalendar file (RFC 5545), written by hand: one VEVENT, times in UTC ('Z'),
text escaped (§3.3.11) and lines folded at 75 octets (§3.1) with CRLF endings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from participation.events.models import Event

LINE_OCTETS = 75
DEFAULT_LENGTH = timedelta(hours=2)  # an event without an end: a calendar needs one


def escape_text(value: str) -> str:
    """TEXT values: backslash, semicolon and comma escaped; every line break becomes \\n."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    # every other character some calendar reads as a line break is one here too (never raw)
    for other in ("\x0b", "\x0c", "\x85", "\u2028", "\u2029"):
        value = value.replace(other, "\n")
    return value.replace("\n", "\\n")


def fold(line: str) -> str:
    """A content line cut into pieces of at most 75 octets, never inside a UTF-8 character;
    each continuation starts with one space (which counts towards its 75)."""
    pieces, current, size, limit = [], [], 0, LINE_OCTETS
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, LINE_OCTETS - 1
        current.append(char)
        size += octets
    pieces.append("".join(current))
    return "\r\n ".join(pieces)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(event: Event, host: str, url: str, locale: str, now: datetime) -> str:
    """The whole file for `event`; `host` makes the UID unique worldwide and stable for the event."""
    ends_at = event.ends_at or event.starts_at + DEFAULT_LENGTH
    description = "\n\n".join(
        part for part in (event.localized("description", locale), event.accessibility, event.contact) if part
    )
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Stadt Koeln//Digitales Koeln 2025//DE",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:event-{event.id}@{host}",
        f"DTSTAMP:{_utc(now)}",
        f"LAST-MODIFIED:{_utc(event.updated_at)}",
        f"DTSTART:{_utc(event.starts_at)}",
        f"DTEND:{_utc(ends_at)}",
        f"SUMMARY:{escape_text(event.localized('title', locale))}",
        f"LOCATION:{escape_text(event.place)}",
    ]
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    lines.append(f"URL:{event.registration_url or url}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + "\r\n" for line in lines)
