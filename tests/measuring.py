"""Test helpers for the action concept: organisations with verified members, measures made
through the services the app uses, interim reports."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from participation.core.models import utcnow
from participation.measures import services
from participation.measures.models import Measure
from participation.organisations.models import VERIFIED, Membership, Organisation
from participation.phases.models import Phase


def organisation(db, name="RheinEnergie AG", kind="municipal_company") -> Organisation:
    found = db.session.scalar(select(Organisation).where(Organisation.name == name))
    if found is None:
        found = Organisation(name=name, kind=kind)
        db.session.add(found)
        db.session.flush()
    return found


def verified_member(db, user, org: Organisation) -> Membership:
    membership = Membership(user_id=user.id, organisation_id=org.id, status=VERIFIED, decided_at=utcnow())
    db.session.add(membership)
    db.session.flush()
    return membership


def measure(db, actor=None, public=True, **values) -> Measure:
    """A measure of the field of action "infrastructure", responsible RheinEnergie unless said."""
    values.setdefault("title_de", "Glasfaser für alle Schulen")
    values.setdefault("title_en", "Fibre for every school")
    values.setdefault("topic", "infrastructure")
    values.setdefault("organisation_id", organisation(db).id)
    values.setdefault("starts_on", date(2026, 1, 1))
    values.setdefault("planned_end_on", date(2027, 12, 31))
    made = services.create_measure(actor, values)
    if public:
        services.publish_measure(actor, made)
    return made


def measure_phase(db, running=True, **values) -> Phase:
    """A phase that opens comments on measures: running (since yesterday, ten days long), or
    starting in a week. Committed."""
    start = utcnow() - timedelta(days=1) if running else utcnow() + timedelta(days=7)
    values = {
        "slug": f"measures-{int(running)}",
        "title_de": "Maßnahmen diskutieren",
        "title_en": "Discussing measures",
        "starts_at": start,
        "ends_at": start + timedelta(days=10),
        "opens_measure_comments": True,
    } | values
    phase = Phase(**values)
    db.session.add(phase)
    db.session.commit()
    return phase
