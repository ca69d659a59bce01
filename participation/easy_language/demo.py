"""Summaries in easy language for the demo: two chapters of the first version and two measures, so
that the page "Leichte Sprache" lists something and the sections beside the text can be seen. Only
where nobody has written a summary yet."""

from __future__ import annotations

from sqlalchemy import select

from participation.drafts.models import Chapter, MasterplanVersion
from participation.extensions import db
from participation.measures.models import Measure

# chapter position in version 1: (Leichte Sprache, plain English)
CHAPTERS = {
    1: (
        "Köln will digitaler werden.\n"
        "Digital bedeutet: mit dem Computer, mit dem Handy oder im Internet.\n"
        "Dafür schreibt die Stadt einen großen Plan.\n"
        "Der Plan heißt: Masterplan.\n\n"
        "Die Stadt schreibt den Plan zusammen mit den Menschen in Köln.\n"
        "Sie können den Plan lesen.\n"
        "Sie können Ihre Meinung zum Plan schreiben.\n\n"
        "Das ist der Stadt wichtig:\n\n"
        "- Die Technik soll den Menschen helfen.\n"
        "- Alle Menschen sollen die Angebote benutzen können.\n"
        "- Manche Menschen benutzen kein Internet.\n"
        "  Diese Menschen bekommen weiter Hilfe im Amt.",
        "Cologne wants to become more digital.\n"
        "Digital means: with a computer, a mobile phone or on the internet.\n"
        "The city writes a big plan for it.\n"
        "The plan is called: masterplan.\n\n"
        "The city writes the plan together with the people of Cologne.\n"
        "You can read the plan and say what you think.",
    ),
    2: (
        "In diesem Kapitel geht es um Lernen.\n\n"
        "Alle Schulen in Köln sollen schnelles Internet bekommen.\n"
        "Die Kinder sollen Tablets für den Unterricht bekommen.\n"
        "Ein Tablet ist ein kleiner Computer mit einem Bildschirm zum Tippen.\n\n"
        "Auch Erwachsene sollen Neues lernen können.\n"
        "Zum Beispiel in der Stadt-Bibliothek.\n"
        "Dort zeigen Ihnen Menschen: So benutzen Sie den Computer.",
        "",
    ),
}
# external id of a demo measure: (Leichte Sprache, plain English)
MEASURES = {
    "demo-schulen-glasfaser": (
        "Alle Schulen in Köln bekommen schnelles Internet.\n"
        "Das Internet kommt durch ein besonderes Kabel.\n"
        "Das Kabel heißt: Glasfaser-Kabel.\n"
        "In allen Klassen-Zimmern gibt es dann WLAN.\n"
        "WLAN ist Internet ohne Kabel.\n\n"
        "Manche Stadt-Teile brauchen besonders viel Hilfe.\n"
        "Die Schulen dort bekommen das Internet zuerst.",
        "All schools in Cologne get fast internet.\n"
        "The internet comes through a special cable.\n"
        "Every classroom gets Wi-Fi.\n"
        "Wi-Fi is internet without a cable.",
    ),
    "demo-ozg-termine": (
        "Sie brauchen einen Termin beim Amt?\n"
        "Dann können Sie den Termin im Internet machen.\n"
        "Sie müssen nicht anrufen.\n"
        "Sie müssen nicht lange warten.",
        "",
    ),
}


def seed_demo_summaries() -> None:
    first = db.session.scalar(select(MasterplanVersion.id).where(MasterplanVersion.number == 1))
    if first is not None:
        for chapter in db.session.scalars(
            select(Chapter).where(Chapter.version_id == first, Chapter.position.in_(list(CHAPTERS)))
        ):
            if not chapter.easy_summary_de and not chapter.easy_summary_en:
                chapter.easy_summary_de, chapter.easy_summary_en = CHAPTERS[chapter.position]
    for measure in db.session.scalars(select(Measure).where(Measure.external_id.in_(list(MEASURES)))):
        if not measure.easy_summary_de and not measure.easy_summary_en:
            measure.easy_summary_de, measure.easy_summary_en = MEASURES[measure.external_id]
    db.session.flush()
