"""Demo organisations for `flask seed demo`: Cologne's municipal companies, a university, an
association, the city offices that carry measures and the advisory board, with verified members
and one request waiting."""

from __future__ import annotations

from sqlalchemy import select

from participation.accounts.models import find_user_by_email
from participation.core.models import utcnow
from participation.extensions import db
from participation.organisations.models import REQUESTED, VERIFIED, Membership, Organisation

DEMO_ORGANISATIONS = [
    ("RheinEnergie AG", "municipal_company", "Energie- und Wasserversorgung in Köln."),
    ("KölnBusiness Wirtschaftsförderung", "municipal_company", "Wirtschaftsförderung der Stadt Köln."),
    ("Koelnmesse GmbH", "municipal_company", "Messen und Kongresse."),
    ("AWB Abfallwirtschaftsbetriebe Köln", "municipal_company", "Abfall, Straßenreinigung und Winterdienst."),
    ("Universität zu Köln", "university", ""),
    ("Digitalverein Köln e.V.", "association", "Ehrenamtliche Digitalhilfe in den Veedeln (Demo)."),
    # the city offices responsible for measures of the action concept
    (
        "Amt für Informationsverarbeitung",
        "city_office",
        "IT der Stadt Köln; zusammengelegt mit der Stabsstelle Digitalisierung, mit einer Smart-City-Einheit.",
    ),
    ("Amt für Schulentwicklung", "city_office", "Schulbau, Ausstattung und Digitalisierung der Kölner Schulen."),
    ("Amt für Stadtentwicklung und Statistik", "city_office", "Stadtentwicklung, Statistik und offene Daten."),
    ("Amt für Bürgerdienste", "city_office", "Bürgerämter, Meldewesen und Terminservice."),
    ("Stadtbibliothek Köln", "city_office", "Zentralbibliothek und Stadtteilbibliotheken."),
    (
        "Beirat Digitales Köln",
        "advisory_board",
        "Beirat aus Wirtschaft, Wissenschaft und Zivilgesellschaft; nimmt Stellung zu Zwischenberichten.",
    ),
]
# (email, organisation, status, note)
DEMO_MEMBERSHIPS = [
    ("stadtwerke@example.org", "RheinEnergie AG", VERIFIED, "Team Digitalisierung"),
    ("verein@example.org", "Digitalverein Köln e.V.", VERIFIED, "Vorstand"),
    ("uni@example.org", "Universität zu Köln", REQUESTED, "Lehrstuhl Stadtinformatik"),
    ("rheinenergie@example.org", "RheinEnergie AG", VERIFIED, "Projektbüro Smart City"),
    ("beirat@example.org", "Beirat Digitales Köln", VERIFIED, "Geschäftsstelle des Beirats"),
]


def seed_demo_organisations() -> None:
    """Only the organisations that are missing."""
    existing = {organisation.name: organisation for organisation in db.session.scalars(select(Organisation))}
    for name, kind, description in DEMO_ORGANISATIONS:
        if name not in existing:
            existing[name] = Organisation(name=name, kind=kind, description=description)
            db.session.add(existing[name])
    db.session.flush()
    for email, name, status, note in DEMO_MEMBERSHIPS:
        user = find_user_by_email(email)
        organisation = existing[name]
        known = db.session.scalar(
            select(Membership.id).where(Membership.user_id == user.id, Membership.organisation_id == organisation.id)
        )
        if known is None:
            decided = utcnow() if status == VERIFIED else None
            db.session.add(
                Membership(
                    user_id=user.id, organisation_id=organisation.id, status=status, note=note, decided_at=decided
                )
            )
    db.session.flush()
