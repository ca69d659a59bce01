"""Offline input and events: staff record a workshop's proposal on behalf of its source, it waits
for the moderation, is shown as offline input without the staff member's name; residents cannot
record anything or touch events; the calendar file keeps RFC 5545's rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from participation.core.audit import ModerationDecision
from participation.events import ics
from participation.events.models import Event, OfflineSource
from participation.moderation import services as moderation
from participation.proposals.models import PENDING, Proposal
from tests.conftest import logged_in
from tests.drafting import open_phase


@pytest.fixture
def people(users, db):
    open_phase(db, votes=True, comments=True, proposals=True, supports=True)
    db.session.commit()
    return {
        "planner": users(email="plan@example.org", display_name="Petra Planerin", roles=("participant", "planner")),
        "moderator": users(email="mod@example.org", display_name="Mo", roles=("participant", "moderator")),
        "resident": users(email="res@example.org", display_name="Resi"),
    }


def _source(staff, name="Workshop Chorweiler", participants="12"):
    return staff.submit(
        "/planning/offline",
        {
            "kind": "workshop",
            "name": name,
            "held_on": "2025-03-12",
            "participants": participants,
            "stakeholder_group": "residents",
            "event_id": "",
            "note": "",
        },
    )


def test_staff_record_a_workshop_proposal_marked_as_offline_input(app, db, people):
    staff = logged_in(app, "plan@example.org")
    assert _source(staff).status_code == 303
    source = db.session.scalar(select(OfflineSource))
    recorded = staff.submit(
        f"/planning/offline/{source.id}",
        {
            "proposal-title": "Freies WLAN im Bürgerzentrum",
            "proposal-body": "Mehr Zugänge in Chorweiler.",
            "proposal-topic": "smart_city",
            "proposal-district": "chorweiler",
        },
        action=f"/planning/offline/{source.id}/proposal",
    )
    assert recorded.status_code == 303
    proposal = db.session.scalar(select(Proposal))
    assert proposal.author_id is None and proposal.offline_source_id == source.id
    assert proposal.status == PENDING and proposal.held_because == "offline"
    audit = db.session.scalar(select(ModerationDecision).where(ModerationDecision.action == "record_offline"))
    assert audit.actor_id == people["planner"].id and audit.target_id == proposal.id
    # the moderation approves it like any held-back contribution; then everyone reads its origin
    queue = logged_in(app, "mod@example.org").get("/moderation/new").get_data(as_text=True)
    assert "Freies WLAN im Bürgerzentrum" in queue and "Offline-Beitrag, von der Stabsstelle erfasst" in queue
    moderation.decide(people["moderator"], proposal, moderation.Decision("new", "approve", None))
    db.session.commit()
    page = app.test_client().get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "Workshop Chorweiler (12 Teilnehmende), erfasst von der Stabsstelle" in page
    assert "Offline-Beitrag" in page
    assert "Petra Planerin" not in page


def test_residents_record_nothing_and_touch_no_events(app, db, people):
    resident = logged_in(app, "res@example.org")
    assert resident.get("/planning/offline").status_code == 403
    assert _source(resident).status_code == 403
    assert resident.get("/planning/events/new").status_code == 403
    assert db.session.scalar(select(OfflineSource)) is None


def _event_values(**changes):
    return {
        "title_de": "Infoabend, Teil 1; Köln",
        "title_en": "",
        "description_de": "",
        "description_en": "",
        "day": "2099-05-04",
        "start_time": "18:00",
        "end_time": "20:00",
        "place": "Rathaus, Spanischer Bau",
        "accessibility": "Aufzug am Eingang",
        "step_free": "y",
        "registration_url": "https://example.org/anmelden",
        "contact": "",
    } | changes


def test_events_are_made_by_planners_and_shown_with_a_calendar_file(app, db, people):
    staff = logged_in(app, "plan@example.org")
    bad = staff.submit("/planning/events/new", _event_values(registration_url="javascript:alert(1)"))
    assert bad.status_code == 422 and db.session.scalar(select(Event)) is None
    assert staff.submit("/planning/events/new", _event_values()).status_code == 303
    event = db.session.scalar(select(Event))
    assert event.starts_at == datetime(2099, 5, 4, 16, 0, tzinfo=UTC)  # 18:00 summer time in Cologne
    visitor = app.test_client()
    assert "Infoabend, Teil 1; Köln" in visitor.get("/").get_data(as_text=True)
    calendar = visitor.get(f"/events/{event.id}.ics")
    assert calendar.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert calendar.headers["Content-Disposition"].startswith("attachment")
    text = calendar.get_data().decode("utf-8")
    assert "SUMMARY:Infoabend\\, Teil 1\\; Köln\r\n" in text
    assert "DTSTART:20990504T160000Z\r\n" in text and f"UID:event-{event.id}@localhost\r\n" in text


def test_calendar_text_is_escaped_and_folded_at_75_octets():
    assert ics.escape_text("a,b;c\\d\nneu") == "a\\,b\\;c\\\\d\\nneu"
    # what some calendar reads as a line break never stays raw
    assert ics.escape_text("a\u2028b\u2029c\x0bd\x0ce\x85f\r\ng") == "a\\nb\\nc\\nd\\ne\\nf\\ng"
    line = "DESCRIPTION:" + "Größere Öffnungszeiten für Kölner*innen, " * 6
    folded = ics.fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join(part[1:] if i else part for i, part in enumerate(parts)) == line
    event = Event(
        id=7,
        title_de="Ä\nB",
        title_en="",
        description_de="x;y",
        description_en="",
        place="P, Q",
        accessibility="",
        contact="",
        registration_url="",
        starts_at=datetime(2025, 1, 1, tzinfo=UTC),
        ends_at=None,
        updated_at=datetime(2025, 1, 1, tzinfo=UTC),
    )
    text = ics.calendar(event, "example.org", "https://example.org/events/7", "de", datetime(2025, 1, 1, tzinfo=UTC))
    assert "\n" not in text.replace("\r\n", "")
    assert "SUMMARY:Ä\\nB\r\n" in text and "LOCATION:P\\, Q\r\n" in text and "DTEND:20250101T020000Z" in text


def test_past_events_leave_the_home_page(app, db, people):
    db.session.add(Event(title_de="Vorbei", title_en="", place="Kalk", starts_at=datetime.now(UTC) - timedelta(days=2)))
    db.session.commit()
    assert "Vorbei" not in app.test_client().get("/").get_data(as_text=True)


def test_hostile_text_in_every_new_field_is_shown_as_text(app, db, people):
    """The naughty strings in every field of events and sources, on every page that shows them."""
    from tests.xss import check, payloads

    strings = payloads()[::25]
    events, sources, proposals = [], [], []
    for number, payload in enumerate(strings):
        text = payload[:140] or "x"
        event = Event(
            title_de=text,
            title_en=text,
            description_de=payload,
            description_en=payload,
            place=text,
            accessibility=payload,
            contact=text,
            registration_url="https://example.org/?q=%3Cscript%3E",
            starts_at=datetime.now(UTC) + timedelta(days=1, minutes=number),
        )
        source = OfflineSource(
            kind="letter", name=text, held_on=datetime(2025, 3, 1).date(), participants=3, note=payload, event=event
        )
        db.session.add_all([event, source])
        events.append(event)
        sources.append(source)
    db.session.flush()
    from participation.offline import services as offline

    for source in sources[::5]:
        proposal = offline.record_proposal(people["planner"], source, "Brief", "Text", "education", None)
        proposal.status, proposal.published_at = "published", datetime.now(UTC)
        proposals.append(proposal)
    db.session.commit()
    staff = logged_in(app, "plan@example.org")
    visitor = app.test_client()
    check(visitor.get("/"), "home with events")
    check(visitor.get("/events"), "events")
    check(staff.get("/planning/events"), "manage events")
    check(staff.get("/planning/offline"), "sources")
    for event, source in zip(events, sources, strict=True):
        check(visitor.get(f"/events/{event.id}"), ("event", event.id))
        check(staff.get(f"/planning/events/{event.id}"), ("edit event", event.id))
        check(staff.get(f"/planning/offline/{source.id}"), ("source", source.id))
    for proposal in proposals:
        check(visitor.get(f"/proposals/{proposal.id}"), ("offline proposal", proposal.id))
    check(visitor.get("/proposals/"), "list with offline input")
    # typed and shown again with an error (no day given)
    echoed = staff.submit(
        "/planning/events/new", _event_values(title_de=strings[3][:140], day="", place=strings[5][:190])
    )
    assert echoed.status_code == 422
    check(echoed, "event form echo")
