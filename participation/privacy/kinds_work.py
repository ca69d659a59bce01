"""What the person did in a role (moderator, planner, admin, organisation member): decisions in
the audit log, versions, incorporations, measures, their updates and changes, uploads waiting
for confirmation, interim reports, advisory board statements, settings and pages. Empty for most
people. What the work concerns (another person's account or text) is named by its number only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import literal, select, union_all

from participation.core.audit import ACTION_LABELS, TARGET_LABELS, ModerationDecision
from participation.core.settings import SiteSetting
from participation.drafts.models import MasterplanVersion, PendingImport
from participation.incorporation.models import EXTENTS, Incorporation
from participation.measures.models import Measure, MeasureChange, MeasureImport, MeasureUpdate
from participation.measures.services import SUBJECTS
from participation.organisations.models import Organisation, StrategyDocument
from participation.pages.models import Page
from participation.privacy.kinds import Field, Kind, streamed, table

DECISIONS_TAKEN = Kind(
    "decisions_taken",
    _l("Decisions you took"),
    _l(
        "The audit log's entries of what you decided or changed in a role: when, what, and the number of what"
        " it concerned."
    ),
    (
        Field("created_at", _l("Time")),
        Field("action", _l("Decision"), labels=ACTION_LABELS),
        Field("target_type", _l("Concerns"), labels=TARGET_LABELS),
        Field("target_id", _l("Its no.")),
    ),
    lambda user: streamed(
        select(
            ModerationDecision.created_at,
            ModerationDecision.action,
            ModerationDecision.target_type,
            ModerationDecision.target_id,
        )
        .where(ModerationDecision.actor_id == user.id)
        .order_by(ModerationDecision.created_at, ModerationDecision.id)
    ),
)

VERSIONS = Kind(
    "versions_created",
    _l("Masterplan versions you created"),
    _l("The versions of the masterplan you created as a planner."),
    (Field("number", _l("Version")), Field("title", _l("Title")), Field("created_at", _l("Created on"))),
    lambda user: streamed(
        select(MasterplanVersion.number, MasterplanVersion.title, MasterplanVersion.created_at)
        .where(MasterplanVersion.created_by_id == user.id)
        .order_by(MasterplanVersion.number)
    ),
)

INCORPORATIONS = Kind(
    "incorporations_recorded",
    _l("Incorporations you recorded"),
    _l("Contributions you took into a paragraph of the plan as a planner, with your note."),
    (
        Field("proposal_id", _l("Proposal no.")),
        Field("comment_id", _l("Comment no.")),
        Field("paragraph_id", _l("Paragraph no.")),
        Field("extent", _l("Taken"), labels=EXTENTS),
        Field("note", _l("Note")),
        Field("created_at", _l("Created on")),
    ),
    lambda user: streamed(
        select(
            Incorporation.proposal_id,
            Incorporation.comment_id,
            Incorporation.paragraph_id,
            Incorporation.extent,
            Incorporation.note,
            Incorporation.created_at,
        )
        .where(Incorporation.created_by_id == user.id)
        .order_by(Incorporation.id)
    ),
)

MEASURES = Kind(
    "measures_created",
    _l("Measures you created"),
    _l("The measures of the action concept you created."),
    (Field("id", _l("Measure no.")), Field("title", _l("Title")), Field("created_at", _l("Created on"))),
    lambda user: streamed(
        select(Measure.id, Measure.title_de.label("title"), Measure.created_at)
        .where(Measure.created_by_id == user.id)
        .order_by(Measure.id)
    ),
)

MEASURE_UPDATES = Kind(
    "measure_updates",
    _l("Updates on measures you wrote"),
    _l("The public updates on measures you wrote, in German and English."),
    (
        Field("measure_id", _l("Measure no.")),
        Field("body_de", _l("Text (German)")),
        Field("body_en", _l("Text (English)")),
        Field("published_at", _l("Published")),
    ),
    lambda user: streamed(
        select(MeasureUpdate.measure_id, MeasureUpdate.body_de, MeasureUpdate.body_en, MeasureUpdate.published_at)
        .where(MeasureUpdate.author_id == user.id)
        .order_by(MeasureUpdate.id)
    ),
)

MEASURE_CHANGES = Kind(
    "measure_changes",
    _l("Changes to measures you made"),
    _l("Every value of a measure you changed, from what to what, and why (the measure's public timeline)."),
    (
        Field("measure_id", _l("Measure no.")),
        Field("subject", _l("Part"), labels=SUBJECTS),
        Field("field", _l("Field")),
        Field("before", _l("Before")),
        Field("after", _l("After")),
        Field("reason", _l("Reason")),
        Field("created_at", _l("Time")),
    ),
    lambda user: streamed(
        select(
            MeasureChange.measure_id,
            MeasureChange.subject,
            MeasureChange.field,
            MeasureChange.before,
            MeasureChange.after,
            MeasureChange.reason,
            MeasureChange.created_at,
        )
        .where(MeasureChange.actor_id == user.id)
        .order_by(MeasureChange.id)
    ),
)


def _uploads(user):
    """Files uploaded for an import and not yet confirmed: draft texts and measures, in one query."""
    drafts = select(PendingImport.filename, literal("draft").label("kind"), PendingImport.created_at).where(
        PendingImport.user_id == user.id
    )
    measures = select(MeasureImport.filename, literal("measures").label("kind"), MeasureImport.created_at).where(
        MeasureImport.user_id == user.id
    )
    both = union_all(drafts, measures).subquery()
    return streamed(select(both).order_by(both.c.created_at))


UPLOAD_KINDS = {"draft": _l("Text of the draft"), "measures": _l("Measures")}

UPLOADS = Kind(
    "uploads_waiting",
    _l("Uploads waiting for confirmation"),
    _l(
        "Files you uploaded to import a draft or measures that you have not confirmed yet (their name, not "
        "their content)."
    ),
    (
        Field("filename", _l("File")),
        Field("kind", _l("Kind"), labels=UPLOAD_KINDS),
        Field("created_at", _l("Uploaded")),
    ),
    _uploads,
)


def _interim_reports(user):
    reports = table("interim_report")
    return streamed(
        select(reports.c.id, reports.c.title_de.label("title"), reports.c.status, reports.c.created_at)
        .where(reports.c.created_by_id == user.id)
        .order_by(reports.c.id)
    )


def _statements(user):
    statements = table("advisory_statement")
    return streamed(
        select(
            Organisation.name.label("organisation"),
            statements.c.report_id,
            statements.c.version_id,
            statements.c.body,
            statements.c.published_at,
            statements.c.updated_at,
        )
        .join(Organisation, Organisation.id == statements.c.organisation_id)
        .where(statements.c.author_id == user.id)
        .order_by(statements.c.id)
    )


INTERIM_REPORTS = Kind(
    "interim_reports_created",
    _l("Interim reports you created"),
    _l("The interim reports on the action concept you created as a planner."),
    (
        Field("id", _l("No.")),
        Field("title", _l("Title")),
        Field("status", _l("Status")),
        Field("created_at", _l("Created on")),
    ),
    _interim_reports,
)

STATEMENTS = Kind(
    "advisory_statements",
    _l("Advisory board statements you wrote"),
    _l("The official statements you wrote for an advisory board on an interim report or a version of the plan."),
    (
        Field("organisation", _l("Organisation")),
        Field("report_id", _l("Interim report no.")),
        Field("version_id", _l("Version no.")),
        Field("body", _l("Text")),
        Field("published_at", _l("Published")),
        Field("updated_at", _l("Last changed")),
    ),
    _statements,
)

SETTINGS = Kind(
    "settings_changed",
    _l("Settings you changed last"),
    _l("The site settings whose current value you set as an admin."),
    (Field("name", _l("Setting")), Field("value", _l("Value")), Field("updated_at", _l("Last changed"))),
    lambda user: streamed(
        select(SiteSetting.name, SiteSetting.value, SiteSetting.updated_at)
        .where(SiteSetting.updated_by_id == user.id)
        .order_by(SiteSetting.name)
    ),
)

PAGES = Kind(
    "pages_edited",
    _l("Pages you edited last"),
    _l("The editable pages (imprint, privacy, …) whose current text you saved as an admin."),
    (Field("slug", _l("Address")), Field("title", _l("Title")), Field("updated_at", _l("Last changed"))),
    lambda user: streamed(
        select(Page.slug, Page.title_de.label("title"), Page.updated_at)
        .where(Page.updated_by_id == user.id)
        .order_by(Page.slug)
    ),
)

STRATEGY_DOCUMENTS = Kind(
    "strategy_documents",
    _l("Strategy documents you published"),
    _l("The PDF documents you published on an organisation's page (the files themselves are public there)."),
    (
        Field("organisation", _l("Organisation")),
        Field("title_de", _l("Title")),
        Field("year", _l("Year")),
        Field("size", _l("Size in bytes")),
        Field("created_at", _l("Published on")),
    ),
    lambda user: streamed(
        select(
            Organisation.name.label("organisation"),
            StrategyDocument.title_de,
            StrategyDocument.year,
            StrategyDocument.size,
            StrategyDocument.created_at,
        )
        .join(Organisation, StrategyDocument.organisation_id == Organisation.id)
        .where(StrategyDocument.uploaded_by_id == user.id)
        .order_by(StrategyDocument.created_at, StrategyDocument.id)
    ),
)

KINDS = (
    DECISIONS_TAKEN,
    VERSIONS,
    INCORPORATIONS,
    MEASURES,
    MEASURE_UPDATES,
    MEASURE_CHANGES,
    UPLOADS,
    INTERIM_REPORTS,
    STATEMENTS,
    SETTINGS,
    PAGES,
    STRATEGY_DOCUMENTS,
)
