"""Demo proposals for `flask seed demo`, written for this project: ideas as Kölner*innen,
businesses, universities and municipal companies might bring them in."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select

from participation.accounts.models import find_user_by_email
from participation.core.models import utcnow
from participation.extensions import db
from participation.organisations.models import Organisation

# (author email, title, body, topic, chapter number or 0, district or None, status, answer)
DEMO_PROPOSALS = [
    (
        "anna@example.org",
        "Kostenloses WLAN in allen Stadtteilbibliotheken",
        "Viele Schüler*innen in Ehrenfeld haben zu Hause kein stabiles Internet. Die Stadtteilbibliotheken "
        "sollten **kostenloses WLAN** ohne Anmeldung anbieten und abends länger öffnen.\n\n"
        "- Anmeldung ohne Ausweis\n- Steckdosen an den Arbeitsplätzen\n- Drucken für Bewerbungen",
        "education",
        2,
        "ehrenfeld",
        "published",
        "",
    ),
    (
        "mehmet@example.org",
        "Termine im Bürgeramt online buchen – auch für Angehörige",
        "Ich möchte für meine Eltern Termine im Bürgeramt buchen können, ohne ihr Konto zu benutzen. "
        "Eine Vertretungsfunktion wie bei der Krankenkasse wäre ideal.",
        "administration",
        4,
        None,
        "under_review",
        "",
    ),
    (
        "startup@example.org",
        "Ein Reallabor für Lieferroboter in Mülheim",
        "Start-ups brauchen Flächen, auf denen sie neue Logistik erproben können. Wir schlagen ein "
        "zeitlich begrenztes Reallabor im Mülheimer Hafen vor, begleitet von der Stadt und den Anwohnenden.",
        "economy",
        3,
        "muelheim",
        "published",
        "",
    ),
    (
        "uni@example.org",
        "Offene Verkehrsdaten in Echtzeit",
        "Die KVB und die Stadt sollten Fahrplan- und Verspätungsdaten in Echtzeit als offene Daten "
        "bereitstellen (GTFS-Realtime). Forschung und Apps könnten damit bessere Auskünfte geben.",
        "open_data",
        6,
        None,
        "accepted",
        "Die Stadt nimmt den Vorschlag auf: Kapitel 6 des nächsten Entwurfs nennt Echtzeitdaten des "
        "Nahverkehrs als eines der ersten Open-Data-Angebote.",
    ),
    (
        "stadtwerke@example.org",
        "Sensoren für Bodenfeuchte an Stadtbäumen",
        "Mit Funksensoren an jungen Stadtbäumen kann das Grünflächenamt gezielt gießen. Die Daten laufen "
        "über das LoRaWAN-Netz der Stadtwerke und werden öffentlich gezeigt.",
        "smart_city",
        5,
        "citywide",
        "published",
        "",
    ),
    (
        "verein@example.org",
        "Digitale Sprechstunden für Seniorinnen und Senioren in jedem Veedel",
        "Ehrenamtliche helfen einmal pro Woche beim Smartphone, bei Online-Banking und Videotelefonie. "
        "Die Stadt stellt Räume und eine kleine Aufwandsentschädigung.",
        "education",
        2,
        "kalk",
        "partly_accepted",
        "Sprechstunden in den Bürgerzentren nehmen wir auf; eine Aufwandsentschädigung kann der Haushalt "
        "2025 noch nicht tragen.",
    ),
    (
        "anna@example.org",
        "Glasfaser für Schulen in Chorweiler zuerst",
        "Die Schulen im Kölner Norden sind beim Ausbau oft die letzten. Der Ausbauplan sollte Schulen in "
        "Stadtteilen mit vielen Kindern aus armen Familien zuerst anschließen.",
        "infrastructure",
        7,
        "chorweiler",
        "published",
        "",
    ),
    (
        "gast@example.org",
        "Von Wien lernen: ein Beteiligungsportal für alle Bezirke",
        "Wien bündelt Beteiligung der Bezirke auf einer Plattform. Köln sollte die Bezirksvertretungen "
        "ebenfalls auf dieser Plattform Vorschläge sammeln lassen.",
        "cities",
        8,
        None,
        "not_accepted",
        "Die Bezirksvertretungen entscheiden selbst über ihre Beteiligungsformate; der Masterplan kann "
        "das nicht vorgeben. Die Plattform steht ihnen aber offen.",
    ),
    (
        "mehmet@example.org",
        "Mängelmelder mit Rückmeldung, wann repariert wird",
        "Wenn ich eine kaputte Laterne melde, möchte ich erfahren, wann sie repariert wird – nicht nur "
        "eine Eingangsbestätigung.",
        "administration",
        4,
        "porz",
        "published",
        "",
    ),
    (
        "startup@example.org",
        "Ein Ansprechpartner für Gründungen statt fünf Ämter",
        "Wer in Köln ein digitales Unternehmen gründet, läuft heute durch mehrere Ämter. Ein "
        "Gründungslotse bei KölnBusiness könnte alle Anträge bündeln.",
        "economy",
        3,
        "innenstadt",
        "published",
        "",
    ),
    (
        "uni@example.org",
        "Datenkompetenz in der Verwaltung stärken",
        "Eine Weiterbildungsreihe mit den Kölner Hochschulen, damit Fachämter ihre Daten selbst "
        "auswerten und veröffentlichen können.",
        "administration",
        4,
        None,
        "published",
        "",
    ),
    (
        "verein@example.org",
        "Barrierefreie Formulare als Pflicht",
        "Alle Online-Formulare der Stadt sollten vor dem Start mit Screenreadern und nur mit der "
        "Tastatur geprüft werden – von Menschen, die darauf angewiesen sind.",
        "vision",
        1,
        None,
        "published",
        "",
    ),
]

# (commenter email, proposal index, text)
DEMO_PROPOSAL_COMMENTS = [
    ("mehmet@example.org", 0, "Gute Idee! In Kalk fehlt das genauso."),
    ("uni@example.org", 0, "Wir könnten Studierende als Lernbegleitung vermitteln."),
    ("anna@example.org", 1, "Das würde mir auch bei meiner Oma sehr helfen."),
    ("verein@example.org", 2, "Bitte die Anwohnenden früh einbinden, die Gehwege sind dort eng."),
    ("stadtwerke@example.org", 3, "Die Schnittstelle wird gerade vorbereitet."),
    ("gast@example.org", 4, "Gibt es schon Erfahrungen aus anderen Städten?"),
    ("startup@example.org", 8, "Eine offene Schnittstelle für Meldungen wäre hilfreich."),
]


def seed_demo_proposals() -> None:
    """Only when there is no proposal yet; supports from demo users of every group."""
    from participation.comments.services import add_comment
    from participation.drafts.services import current_version
    from participation.proposals import services
    from participation.proposals.models import ANSWERED_STATUSES, Proposal

    if db.session.scalar(select(Proposal.id).limit(1)) is not None:
        return
    version = current_version()
    chapters = version.chapters if version else []
    now = utcnow()
    created = []
    # verified members write as their organisation (see participation/organisations/demo.py)
    speaking_as = {
        "stadtwerke@example.org": db.session.scalar(
            select(Organisation.id).where(Organisation.name == "RheinEnergie AG")
        )
    }
    for number, (email, title, body, topic, chapter_no, district, status, answer) in enumerate(DEMO_PROPOSALS):
        author = find_user_by_email(email)
        chapter = chapters[chapter_no - 1] if chapter_no and chapter_no <= len(chapters) else None
        proposal = services.submit(
            author,
            title,
            body,
            topic,
            chapter.id if chapter else None,
            district,
            organisation_id=speaking_as.get(email),
        )
        proposal.created_at = proposal.published_at = now - timedelta(days=20 - number, hours=number)
        proposal.status = status
        if status in ANSWERED_STATUSES or status == "under_review":
            proposal.answer = answer
            proposal.answered_at = now - timedelta(days=2) if status in ANSWERED_STATUSES else None
        created.append(proposal)
    db.session.flush()

    supporters = [
        find_user_by_email(email)
        for email in (
            "anna@example.org",
            "mehmet@example.org",
            "startup@example.org",
            "uni@example.org",
            "stadtwerke@example.org",
            "verein@example.org",
            "amt@example.org",
            "gast@example.org",
        )
    ]
    rng = random.Random(2025)  # noqa: S311 (demo data, reproducible)
    for proposal in created:
        for person in supporters:
            if person.id != proposal.author_id and rng.random() < 0.55:
                services.support(person, proposal)
    for email, index, text in DEMO_PROPOSAL_COMMENTS:
        add_comment(find_user_by_email(email), text, None, proposal=created[index])
    _seed_moderation_demo(created)


def _seed_moderation_demo(created) -> None:
    """Something for the moderation's queues: a proposal and a comment waiting for approval, and
    a comment reported twice (one report short of hiding it)."""
    from participation.comments.services import add_comment
    from participation.moderation.services import flag
    from participation.proposals import services

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
