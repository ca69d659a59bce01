"""Demo interim reports for `flask seed demo`: the second half of 2025 and the first half of 2026,
made from the demo measures' dated history (participation/measures/demo.py), so the second
report shows new, completed, stopped and delayed measures against the first. Call it after
seed_demo_measures; running it again adds nothing."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from participation.accounts.models import find_user_by_email
from participation.extensions import db
from participation.reporting.models import InterimReport
from participation.reporting.services import create_report, publish_report, set_section

# the planners' editorial text per field of action, by the report's period end
SECTIONS = {
    date(2025, 12, 31): {
        "administration": (
            "Der Schwerpunkt lag auf den Onlinediensten nach dem Onlinezugangsgesetz. Die Terminbuchung für die "
            "Kundenzentren ist weitgehend umgesetzt; der digitale Bauantrag verzögert sich, weil die Anbindung an "
            "das Fachverfahren des Landes später kommt als geplant.",
            "The focus was on online services under the Online Access Act. Booking appointments at the customer "
            "centres is largely in place; the digital building application is delayed because the connection to "
            "the state's system comes later than planned.",
        ),
        "infrastructure": (
            "Der Ausbau des stadtweiten LoRaWAN-Netzes kommt voran. Die Glasfaseranbindung der Schulen folgt dem "
            "Zeitplan der Förderprogramme.",
            "The city-wide LoRaWAN network is growing. Connecting the schools to fibre follows the timetable of "
            "the funding programmes.",
        ),
    },
    date(2026, 6, 30): {
        "administration": (
            "Die Online-Terminbuchung ist abgeschlossen. Neu im Handlungskonzept ist der Mängelmelder, der "
            "Meldenden sagt, wann repariert wird.",
            "Online appointment booking is completed. New in the action concept is the defect reporting "
            "service, which tells people when a repair is due.",
        ),
        "smart_city": (
            "Die digitalen Info-Stelen wurden gestoppt: Die Förderzusage des Landes ist entfallen und die "
            "Testgeräte wurden wenig genutzt. Die Mittel fließen in das LoRaWAN-Netz.",
            "The digital information kiosks were stopped: the state's funding was withdrawn and the test "
            "devices were little used. The funds go to the LoRaWAN network.",
        ),
    },
}

DEMO_REPORTS = [
    (
        "Zwischenbericht zum Handlungskonzept, 2. Halbjahr 2025",
        "Interim report on the action concept, second half of 2025",
        date(2025, 7, 1),
        date(2025, 12, 31),
    ),
    (
        "Zwischenbericht zum Handlungskonzept, 1. Halbjahr 2026",
        "Interim report on the action concept, first half of 2026",
        date(2026, 1, 1),
        date(2026, 6, 30),
    ),
]


def seed_demo_reports() -> list[InterimReport]:
    """Both reports, published, oldest first; only those that are missing."""
    planner = find_user_by_email("planung@example.org")
    existing = set(db.session.scalars(select(InterimReport.title_de)))
    made = []
    for title_de, title_en, start, end in DEMO_REPORTS:
        if title_de in existing:
            continue
        report = create_report(
            planner, {"title_de": title_de, "title_en": title_en, "period_start": start, "period_end": end}
        )
        for topic, (text_de, text_en) in SECTIONS.get(end, {}).items():
            set_section(planner, report, topic, text_de, text_en)
        publish_report(planner, report)
        made.append(report)
    db.session.flush()
    return made
