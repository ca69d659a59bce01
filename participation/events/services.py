"""Event operations and the upcoming events; services flush, the request commits."""

from __future__ import annotations

from sqlalchemy import func, or_, select

from participation.core.audit import record_decision
from participation.core.models import utcnow
from participation.events.models import Event
from participation.extensions import db

HOME_LIMIT = 3


def upcoming(limit: int | None = None) -> list[Event]:
    """Events not yet over, soonest first."""
    now = utcnow()
    query = (
        select(Event)
        .where(or_(Event.starts_at >= now, func.coalesce(Event.ends_at, Event.starts_at) > now))
        .order_by(Event.starts_at, Event.id)
    )
    if limit:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def past(limit: int = 50) -> list[Event]:
    now = utcnow()
    query = select(Event).where(func.coalesce(Event.ends_at, Event.starts_at) <= now)
    return list(db.session.scalars(query.order_by(Event.starts_at.desc(), Event.id.desc()).limit(limit)))


def create_event(actor, values: dict) -> Event:
    event = Event(**values)
    db.session.add(event)
    db.session.flush()
    record_decision(actor, "create_event", event, after={"title": event.title_de, "starts_at": event.starts_at})
    return event


def change_event(actor, event: Event, values: dict) -> None:
    before = {"title": event.title_de, "starts_at": event.starts_at, "place": event.place}
    for name, value in values.items():
        setattr(event, name, value)
    db.session.flush()
    after = {"title": event.title_de, "starts_at": event.starts_at, "place": event.place}
    record_decision(actor, "change_event", event, before=before, after=after)


def delete_event(actor, event: Event) -> None:
    record_decision(actor, "delete_event", event, before={"title": event.title_de, "starts_at": event.starts_at})
    db.session.delete(event)
    db.session.flush()
