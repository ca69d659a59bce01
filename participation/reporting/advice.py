"""The advisory boards' statements: who may write one (a verified member of a board, for that
board), on what (a published interim report, a public version of the plan), writing and changing
it (logged), and what the report's and the version's pages show (lent parts)."""

from __future__ import annotations

from flask import abort, url_for
from flask_login import current_user
from sqlalchemy import select

from participation.core.audit import record_decision
from participation.core.models import utcnow
from participation.core.permissions import can_contribute
from participation.drafts.models import MasterplanVersion
from participation.drafts.permissions import can_view_version
from participation.extensions import db
from participation.organisations.models import Organisation
from participation.organisations.services import may_speak_for, speaking_for
from participation.reporting.models import PUBLISHED, InterimReport, Statement

ADVISORY_BOARD = "advisory_board"


def boards_of(user) -> list[Organisation]:
    """The advisory boards `user` speaks for as a verified member (none for blocked accounts)."""
    if not can_contribute(user):
        return []
    return [organisation for organisation in speaking_for(user) if organisation.kind == ADVISORY_BOARD]


def can_state(user, organisation: Organisation | None) -> bool:
    """Write or change the statement of `organisation`: an advisory board the person is a
    verified member of, with a confirmed, unblocked account."""
    return (
        organisation is not None
        and organisation.kind == ADVISORY_BOARD
        and can_contribute(user)
        and may_speak_for(user, organisation.id)
    )


def public_report_or_404(report_id: int) -> InterimReport:
    report = db.session.get(InterimReport, report_id)
    if report is None or report.status != PUBLISHED:
        abort(404)
    return report


def public_version_or_404(number: int) -> MasterplanVersion:
    """A version that everyone reads (not one being prepared, even for planners)."""
    version = db.session.scalar(select(MasterplanVersion).where(MasterplanVersion.number == number))
    if version is None or not version.is_public or not can_view_version(current_user, version):
        abort(404)
    return version


def board_or_404(organisation_id: int) -> Organisation:
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None or organisation.kind != ADVISORY_BOARD:
        abort(404)
    return organisation


def _subject_filter(report: InterimReport | None, version: MasterplanVersion | None):
    if report is not None:
        return Statement.report_id == report.id
    return Statement.version_id == version.id


def statement_of(organisation: Organisation, report=None, version=None) -> Statement | None:
    return db.session.scalar(
        select(Statement).where(Statement.organisation_id == organisation.id, _subject_filter(report, version))
    )


def statements_on(report=None, version=None) -> list[Statement]:
    """The boards' statements on a report or a version, by the boards' names (one query)."""
    return list(
        db.session.scalars(
            select(Statement)
            .join(Organisation, Organisation.id == Statement.organisation_id)
            .where(_subject_filter(report, version))
            .order_by(Organisation.name, Statement.id)
        )
    )


def publish_statement(actor, organisation: Organisation, body: str, report=None, version=None) -> Statement:
    """The board's one statement on the report or version: written, or changed if it has one.
    Either way it goes into the audit log with the text before and after."""
    if (report is None) == (version is None):
        raise ValueError("name a report or a version")
    statement = statement_of(organisation, report, version)
    subject = {"report_id": getattr(report, "id", None), "version_id": getattr(version, "id", None)}
    if statement is None:
        statement = Statement(
            organisation_id=organisation.id,
            author_id=actor.id,
            body=body,
            published_at=utcnow(),
            **subject,
        )
        db.session.add(statement)
        db.session.flush()
        record_decision(actor, "statement_published", statement, after={"body": body, **subject})
        return statement
    if statement.body != body:
        before = statement.body
        statement.body, statement.author_id, statement.updated_at = body, actor.id, utcnow()
        db.session.flush()
        record_decision(actor, "statement_changed", statement, before={"body": before}, after={"body": body})
    return statement


def _context(statements: list[Statement], write_url) -> dict:
    """What templates/reporting/_statements.html shows: the statements, and for a member of a
    board the link to write or change its statement."""
    written = {statement.organisation_id for statement in statements}
    actions = [(board, board.id in written, write_url(board)) for board in boards_of(current_user)]
    return {"advisory_statements": statements, "statement_actions": actions}


def on_report(report: InterimReport) -> dict:
    """Lent as "reporting.report": the statements shown with a published report."""
    if report.status != PUBLISHED:
        return {"advisory_statements": [], "statement_actions": []}
    return _context(
        statements_on(report=report),
        lambda board: url_for("statements.on_report", report_id=report.id, organisation_id=board.id),
    )


def on_version(version: MasterplanVersion) -> dict:
    """Lent as "drafts.version": the statements shown with a public version of the plan."""
    if not version.is_public:
        return {"advisory_statements": [], "statement_actions": []}
    return _context(
        statements_on(version=version),
        lambda board: url_for("statements.on_version", number=version.number, organisation_id=board.id),
    )
