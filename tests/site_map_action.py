"""The site map's part of the action concept (issue 19): a public measure with a part of every
kind, its discussion and an advisory board, interim reports (a published one and a draft), and
the samples of their URL arguments. tests/site_map.py seeds and uses them."""

from __future__ import annotations

import io
import uuid
from datetime import timedelta
from typing import TYPE_CHECKING

from participation.core.models import utcnow
from participation.extensions import db

if TYPE_CHECKING:
    from tests.site_map import Site


def seed_reports(site: Site) -> None:
    from datetime import date

    from participation.reporting import services

    planner = site.users["planner"]
    published = services.create_report(
        planner,
        {
            "title_de": "Probebericht",
            "title_en": "Sample report",
            "period_start": date(2025, 1, 1),
            "period_end": date(2025, 6, 30),
        },
    )
    services.set_section(planner, published, "infrastructure", "Ein **Text** zum Feld.", "")
    services.publish_report(planner, published)
    draft = services.create_report(
        planner,
        {
            "title_de": "Entwurf",
            "title_en": "Draft",
            "period_start": date(2025, 7, 1),
            "period_end": date(2025, 12, 31),
        },
    )
    site.published_report_id, site.draft_report_id = published.id, draft.id


# the planners' pages of a draft; the public pages and the correction take the published report
_DRAFT_REPORT_PAGES = {"reports.manage", "reports.section", "reports.refresh"}


def report_sample(site: Site, endpoint: str) -> int:
    """Publishing and deleting use their sample up: each such URL gets a draft of its own."""
    if endpoint in ("reports.publish", "reports.delete"):
        from datetime import date

        from participation.reporting import services

        planner = _persona(site, "planner")
        draft = services.create_report(
            planner,
            {"title_de": "Zum Verbrauchen", "period_start": date(2026, 1, 1), "period_end": date(2026, 6, 30)},
        )
        db.session.commit()
        return draft.id
    return site.draft_report_id if endpoint in _DRAFT_REPORT_PAGES else site.published_report_id


def seed_measure(site: Site) -> None:
    """A published measure with every part its page and its editors' pages show: a milestone, an
    indicator with two values, an update, a status change, a linked paragraph of the public
    version and the accepted proposal behind it."""
    from datetime import date

    from participation.drafts.models import Paragraph
    from participation.measures import services

    planner = site.users["planner"]
    made = services.create_measure(
        planner,
        {
            "title_de": "Glasfaser für alle Schulen",
            "title_en": "Fibre for every school",
            "description_de": "Alle Schulen bekommen **Glasfaser**.",
            "topic": "infrastructure",
            "organisation_id": site.organisation_id,
            "starts_on": date(2026, 1, 1),
            "planned_end_on": date(2027, 12, 31),
            "budget_eur": 250000,
        },
    )
    services.publish_measure(planner, made)
    stone = services.add_milestone(planner, made, {"title_de": "Ausschreibung", "planned_on": date(2026, 3, 1)})
    indicator = services.add_indicator(
        planner, made, {"title_de": "Schulen mit Glasfaser", "unit_de": "%", "baseline": 10, "target": 100}
    )
    services.record_value(planner, indicator, date(2026, 1, 1), 25, "Schulamt")
    services.record_value(planner, indicator, date(2026, 6, 1), 40, "Schulamt")
    services.post_update(planner, made, "Die Ausschreibung läuft.")
    services.change_measure(planner, made, {"status": "implementing"}, reason="Los geht's")
    paragraph = db.session.get(Paragraph, site.public["paragraph_id"])
    services.link_paragraph(planner, made, paragraph.lineage_key)
    services.link_source(planner, made, proposal_id=site.accepted_id)
    site.measures = {"measure_id": made.id, "milestone_id": stone.id, "indicator_id": indicator.id}


def seed_measure_talk(site: Site, author) -> None:
    """A comment on the sample measure while a phase opens comments on measures, and an advisory
    board the participant speaks for (its statements on the published report and version)."""
    from participation.comments.services import add_comment
    from participation.measures.models import Measure
    from tests.measuring import measure_phase, organisation, verified_member

    # comments on measures open (the demo's phases do not open them)
    measure_phase(db, slug="sample-measure-comments", position=98, ends_at=utcnow() + timedelta(days=30))
    made = db.session.get(Measure, site.measures["measure_id"])
    add_comment(author, "Ein Kommentar zur Maßnahme.", None, measure=made)
    board = organisation(db, "Beirat Digitales Köln", kind="advisory_board")
    verified_member(db, site.users["participant"], board)
    site.board_id = board.id


# the editors' routes that use their sample up: each such URL gets one of its own
_MEASURE_DISPOSABLES = {
    "measure_editing.delete",
    "measure_editing.remove_milestone",
    "measure_editing.remove_indicator",
    "measure_editing.remove_value",
    "measure_editing.unlink_paragraph",
    "measure_editing.unlink_source",
}


def measure_sample(key: str):
    """The seeded measure and its parts; removing and deleting get fresh ones (a draft to delete)."""

    def sample(site: Site, endpoint: str) -> int:
        if endpoint not in _MEASURE_DISPOSABLES:
            return site.measures[key]
        from datetime import date

        from participation.measures import services
        from participation.measures.models import Measure, MeasureParagraph, MeasureSource

        planner = _persona(site, "planner")
        measure = db.session.get(Measure, site.measures["measure_id"])
        if key == "measure_id":
            fresh = services.create_measure(
                planner,
                {"title_de": "Zum Löschen", "topic": "education"} | {"organisation_id": measure.organisation_id},
            )
            made = fresh.id
        elif key == "milestone_id":
            made = services.add_milestone(planner, measure, {"title_de": "Weg", "planned_on": date(2026, 1, 1)}).id
        elif key == "indicator_id":
            made = services.add_indicator(planner, measure, {"title_de": "Weg", "target": 1}).id
        elif key == "value_id":
            indicator = services.add_indicator(planner, measure, {"title_de": "Mit Wert", "target": 1})
            made = services.record_value(planner, indicator, date(2026, 1, 1), 1).id
        elif key == "link_id":
            services.link_paragraph(planner, measure, uuid.uuid4().hex)
            made = db.session.scalar(db.select(db.func.max(MeasureParagraph.id)))
        else:
            other = services.create_measure(
                planner, {"title_de": "Mit Quelle", "topic": "education"} | {"organisation_id": measure.organisation_id}
            )
            services.link_source(planner, other, proposal_id=site.accepted_id)
            made = db.session.scalar(db.select(db.func.max(MeasureSource.id)))
        db.session.commit()
        return made

    return sample


def _persona(site: Site, persona: str):
    """The persona's account in this session: a sample may be asked for in another app context
    than the seeding's, where the seeded objects are detached."""
    from participation.accounts.models import find_user_by_email

    return find_user_by_email(site.email(persona))


def measure_import_sample(site: Site, endpoint: str) -> int:
    """An upload of the planner persona waiting for its confirmation: one new measure (a
    confirmation uses it up, so each URL gets its own)."""
    from participation.measures.models import MeasureImport

    data = "title_de,topic,organisation\nProbemaßnahme,education,Beispiel GmbH\n".encode()
    kept = MeasureImport(user_id=_persona(site, "planner").id, filename="probe.csv", data=data)
    db.session.add(kept)
    db.session.commit()
    return kept.id


def strategy_document_sample(site: Site, endpoint: str) -> int:
    """A PDF of the advisory board (the participant speaks for it); deleting uses one up: each
    such URL gets one of its own."""
    from participation.organisations import documents
    from participation.organisations.models import Organisation

    if site.strategy_document_id and endpoint != "organisation_pages.delete_document":
        return site.strategy_document_id
    board = db.session.get(Organisation, site.board_id)
    made = documents.store(None, board, io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "Strategie des Beirats", "", 2024)
    db.session.commit()
    if endpoint != "organisation_pages.delete_document":
        site.strategy_document_id = made.id
    return made.id


def seed_announcements(site: Site) -> None:
    """A published announcement (the public pages) and a draft (the planners' pages)."""
    from participation.announcements import services

    planner = site.users["planner"]
    published = services.create(planner, {"title_de": "Entwurf 2 ist online", "body_de": "Jetzt **lesen**."})
    services.publish(planner, published)
    draft = services.create(
        planner, {"title_de": "Neue Phase", "title_en": "New phase", "body_de": "Bald.", "body_en": "Soon."}
    )
    site.announcements = {"published": published.id, "draft": draft.id}


def announcement_sample(site: Site, endpoint: str) -> int:
    """The public page shows the published one; the planners' pages work on a draft, and publishing
    uses its draft up: each publish URL gets a draft of its own."""
    if endpoint == "announcements.show":
        return site.announcements["published"]
    if endpoint == "announcements.publish":
        from participation.announcements import services

        draft = services.create(_persona(site, "planner"), {"title_de": "Probe", "body_de": "Probe."})
        db.session.commit()
        return draft.id
    return site.announcements["draft"]


def announcement_token(target, endpoint: str) -> str:
    """A live link for the target account: a confirmation of a fresh request, or the stop link of a
    fresh subscription (stopping uses it up: every URL gets a subscription of its own)."""
    from participation.announcements import subscriptions
    from participation.announcements.models import AnnouncementSubscription

    subscriptions.unsubscribe(target.id)
    subscriptions.request_subscription(target)
    row = db.session.get(AnnouncementSubscription, target.id)
    token = subscriptions.confirm_token(row, target.email)
    if endpoint != "announcements.confirm":
        subscriptions.confirm(token)
        token = row.stop_token
    db.session.commit()
    return token
