"""A small action concept as the public sees it outside its pages (open data, API, feed): two
published measures with their parts, a draft with its own parts, a published and a draft interim
report, and sources of which one was hidden by moderation since it was linked."""

from __future__ import annotations

from datetime import date

from participation.comments.services import add_comment
from participation.core.models import utcnow
from participation.measures import services
from participation.proposals import services as proposals
from participation.reporting.models import PUBLISHED, InterimReport, ReportMeasure, ReportSection
from tests.drafting import first_paragraph, hide_as_spam, open_phase
from tests.measuring import measure, organisation

HOSTILE = '<script>alert("x")</script> & <b>Glasfaser</b>'
DRAFT_TITLE = "Geheime Entwurfsmaßnahme"
DRAFT_UPDATE = "Noch nicht öffentlich: Entwurfsneuigkeit"
HIDDEN_PROPOSAL = "Verstecktes Werbeangebot"
DRAFT_REPORT = "Entwurf des zweiten Berichts"
# what the action concept adds to the open-data ZIP
MEASURE_FILES = {
    "measures.csv",
    "milestones.csv",
    "indicators.csv",
    "indicator_values.csv",
    "measure_updates.csv",
    "measure_sources.csv",
    "measure_paragraphs.csv",
    "interim_reports.csv",
    "interim_report_measures.csv",
}


def report(db, title: str, measures, publish: bool, period=(date(2026, 1, 1), date(2026, 6, 30))) -> InterimReport:
    """A report with a snapshot row per measure (as the reporting services will make it)."""
    made = InterimReport(title_de=title, title_en=f"{title} (en)", period_start=period[0], period_end=period[1])
    db.session.add(made)
    db.session.flush()
    for item in measures:
        db.session.add(
            ReportMeasure(
                report_id=made.id,
                measure_id=item.id,
                topic=item.topic,
                status=item.status,
                progress=item.progress,
                weight=item.weight,
                planned_end_on=item.planned_end_on,
            )
        )
    db.session.add(
        ReportSection(report_id=made.id, topic="infrastructure", text_de="Gut voran.", text_en="Going well.")
    )
    db.session.flush()
    if publish:
        made.status, made.published_at, made.snapshot_taken_at = PUBLISHED, utcnow(), utcnow()
        db.session.flush()
    return made


def action_concept(db, users, draft) -> dict:
    open_phase(db, votes=True, comments=True, proposals=True, supports=True)
    planner = users(email="plan@example.org", display_name="Planerin Paula", roles=("participant", "planner"))
    mod = users(email="mod@example.org", display_name="Mona", roles=("participant", "moderator"))
    erika = users(email="erika@example.org", display_name="Erika Mustermann", stakeholder_group="residents")
    paragraph = first_paragraph(draft)
    kept = proposals.submit(erika, "Glasfaser für Schulen", "Alle Schulen ans Netz.", "education")
    hidden = proposals.submit(erika, HIDDEN_PROPOSAL, "Werbung", "education")
    comment = add_comment(erika, "Auch Berufsschulen", "addition", paragraph.chapter, paragraph)

    fibre = measure(db, planner, title_de=HOSTILE, status="implementing", budget_eur=250000.0)
    services.add_milestone(planner, fibre, {"title_de": "Ausschreibung", "planned_on": date(2026, 3, 1)})
    indicator = services.add_indicator(
        planner, fibre, {"title_de": "Schulen mit Glasfaser", "unit_de": "%", "baseline": 10.0, "target": 100.0}
    )
    services.record_value(planner, indicator, date(2026, 6, 30), 35.0, "Schulverwaltungsamt")
    services.link_paragraph(planner, fibre, paragraph.lineage_key)
    for proposal in (kept, hidden):
        services.link_source(planner, fibre, proposal_id=proposal.id)
    services.link_source(planner, fibre, comment_id=comment.id)
    services.post_update(planner, fibre, f"Erste Schulen angeschlossen {HOSTILE}", "First schools connected")

    office = organisation(db, "Amt für Schulentwicklung", "city_office")
    schools = measure(
        db, planner, title_de="Tablets für Grundschulen", topic="education", organisation_id=office.id,
        district="ehrenfeld", inside_administration=False,
    )  # fmt: skip
    services.post_update(planner, schools, "Tablets bestellt")

    secret = measure(db, planner, public=False, title_de=DRAFT_TITLE, topic="education")
    services.post_update(planner, secret, DRAFT_UPDATE)
    services.add_milestone(planner, secret, {"title_de": "Geheimer Meilenstein", "planned_on": date(2026, 5, 1)})
    services.link_source(planner, secret, proposal_id=kept.id)

    published = report(db, "Erster Zwischenbericht", [fibre, schools, secret], publish=True)
    unpublished = report(db, DRAFT_REPORT, [fibre], publish=False)
    db.session.commit()
    hide_as_spam(mod, planner, hidden)
    db.session.commit()
    return {
        "planner": planner,
        "paragraph": paragraph,
        "kept": kept,
        "hidden": hidden,
        "comment": comment,
        "fibre": fibre,
        "schools": schools,
        "secret": secret,
        "office": office,
        "report": published,
        "draft_report": unpublished,
    }
