"""The interim reports: planners create, edit and publish them; the public reads, compares and
downloads the published ones."""

from __future__ import annotations

import re
from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from participation.core import composition
from participation.core.access import permission_required
from participation.core.bounds import database_id
from participation.core.cache import fragments
from participation.core.forms import EmptyForm
from participation.core.permissions import can_plan
from participation.drafts.models import TOPICS
from participation.extensions import db
from participation.reporting import changes as changing
from participation.reporting import period, services
from participation.reporting.forms import CorrectionForm, ReportForm, SectionForm
from participation.reporting.markdown import report_markdown
from participation.reporting.models import PUBLISHED, InterimReport
from participation.reporting.word import report_docx

bp = Blueprint("reports", __name__)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def get_report_or_404(report_id: int) -> InterimReport:
    """A published report for everyone; a draft for planners only (404 for everyone else)."""
    report = db.session.get(InterimReport, report_id)
    if report is None or not (report.is_published or can_plan(current_user)):
        abort(404)
    return report


def revisions(report: InterimReport) -> dict:
    """The revision this one corrects, and the published one that corrects it (if any)."""
    corrected_by = db.session.scalar(
        select(InterimReport)
        .where(InterimReport.corrects_id == report.id, InterimReport.status == PUBLISHED)
        .order_by(InterimReport.revision.desc())
    )
    return {"corrects": report.corrects, "corrected_by": corrected_by}


def report_context(report: InterimReport) -> dict:
    """What the public page and the planners' page show of a report."""
    rows = changing.rows(services.rows_of(report))
    return {
        "report": report,
        "rows": rows,
        "progress": changing.progress_by_topic(rows),
        "changes": changing.compare(changing.rows(services.rows_of(report.previous)), rows),
        "sections": {section.topic: section for section in report.sections},
        "figures": report.participation_figures,
        "figure_labels": period.figure_labels(),
        "group_label": period.group_label,
        "topics": TOPICS,
        **revisions(report),
    }


@bp.route("/measures/reports/")
def index():
    """The published reports, newest first; a corrected one under the revision that replaces it."""
    published = services.published_reports()
    replaced = {report.corrects_id: report for report in published if report.corrects_id}
    current, earlier = [], {}
    for report in published:
        if report.id in replaced:
            continue
        current.append(report)
        chain, step = [], report.corrects
        while step is not None:
            chain.append(step)
            step = step.corrects
        earlier[report.id] = chain
    return render_template("reporting/index.html", reports=current, earlier=earlier)


@bp.route("/measures/reports/<int:report_id>")
def show(report_id: int):
    """A published report is frozen: it is rendered once per language and shared until a
    correction of it is published; a draft is the planners' and rendered for them.
    The advisory boards' statements (and the links to write them) are rendered per request."""
    report = get_report_or_404(report_id)
    if report.is_published:
        # frozen: only the published revision that corrects it (named in its header) can change
        corrected_by = revisions(report)["corrected_by"]
        key = (report.id, corrected_by.id if corrected_by else 0, str(get_locale()))
        body = fragments.shared("reporting/_show_body.html", key, lambda: report_context(report))
    else:
        body = fragments.render_now("reporting/_show_body.html", **report_context(report))
    context = {"report": report, "body": body}
    context.update(composition.gathered("reporting.report", report))
    return fragments.page("reporting/show.html", **context)


def _filename(report: InterimReport, extension: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9-]", "-", f"interim-report-{report.period_end.isoformat()}-r{report.revision}")
    return f"{stem}.{extension}"


def _download(report: InterimReport, body: bytes, mimetype: str, extension: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{_filename(report, extension)}"'
    if not report.is_published:
        response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/measures/reports/<int:report_id>/download.docx")
def download_docx(report_id: int):
    report = get_report_or_404(report_id)
    return _download(report, report_docx(report, str(get_locale())), DOCX, "docx")


@bp.route("/measures/reports/<int:report_id>/download.md")
def download_markdown(report_id: int):
    report = get_report_or_404(report_id)
    return _download(report, report_markdown(report, str(get_locale())).encode(), "text/markdown", "md")


def _published(argument: str) -> InterimReport | None:
    """The published report named in the query, None without one, 404 for one that is not public."""
    report_id = request.args.get(argument, type=database_id)
    if not request.args.get(argument):
        return None
    report = db.session.get(InterimReport, report_id) if report_id else None
    if report is None or not report.is_published:
        abort(404)
    return report


@bp.route("/measures/reports/compare")
def compare():
    """Any two published reports: what changed from the earlier reporting date to the later one."""
    earlier, later = _published("earlier"), _published("later")
    changes = None
    if earlier is not None and later is not None:
        if earlier.period_end > later.period_end:
            earlier, later = later, earlier
        changes = changing.compare(changing.rows(services.rows_of(earlier)), changing.rows(services.rows_of(later)))
    return render_template(
        "reporting/compare.html",
        reports=services.published_reports(),
        earlier=earlier,
        later=later,
        changes=changes,
    )


# --- the planners' pages ------------------------------------------------------------------------


def _planned_report_or_404(report_id: int) -> InterimReport:
    report = db.session.get(InterimReport, report_id)
    if report is None:
        abort(404)
    return report


def _conflict(message: str):
    """A change to a published report: refused with why (409)."""
    return render_template("errors/error.html", code=409, title=_("The report is published"), message=message), 409


def _half_year_titles(today: date) -> dict:
    """Suggested titles for the half-year that ended last."""
    if today.month > 6:
        half, year = 1, today.year
    else:
        half, year = 2, today.year - 1
    start, end = (date(year, 1, 1), date(year, 6, 30)) if half == 1 else (date(year, 7, 1), date(year, 12, 31))
    return {
        "title_de": f"Zwischenbericht {half}. Halbjahr {year}",
        "title_en": f"Interim report, {'first' if half == 1 else 'second'} half of {year}",
        "period_start": start,
        "period_end": end,
    }


@bp.route("/planning/reports/")
@permission_required(can_plan)
def planning_index():
    reports = db.session.scalars(
        select(InterimReport).order_by(
            InterimReport.period_end.desc(), InterimReport.revision.desc(), InterimReport.id.desc()
        )
    )
    return render_template("reporting/planning_index.html", reports=list(reports), replaced=services.superseded_ids())


@bp.route("/planning/reports/new", methods=["GET", "POST"])
@permission_required(can_plan)
def new():
    form = ReportForm(data=None if request.method == "POST" else _half_year_titles(date.today()))
    if form.validate_on_submit():
        values = {name: form[name].data for name in ("title_de", "title_en", "period_start", "period_end")}
        try:
            report = services.create_report(current_user, values)
        except services.ReportError as error:
            form[error.field].errors = [*form[error.field].errors, str(error)]
        else:
            flash(_("The report is created with a snapshot of every public measure."), "success")
            return redirect(url_for("reports.manage", report_id=report.id), code=303)
    return render_template("reporting/new.html", form=form), 422 if form.errors else 200


def _manage_page(report: InterimReport, forms: dict | None = None, correction: CorrectionForm | None = None):
    forms = forms or {}
    sections = {section.topic: section for section in report.sections}
    for topic in TOPICS:
        if topic not in forms:
            section = sections.get(topic)
            forms[topic] = SectionForm(
                prefix=f"{topic}-",
                formdata=None,
                data={"text_de": section.text_de, "text_en": section.text_en} if section else None,
            )
    failed = any(form.errors for form in forms.values()) or (correction is not None and correction.errors)
    context = report_context(report)
    context.update(
        forms=forms,
        correction=correction or CorrectionForm(formdata=None),
        token_form=EmptyForm(),
        open_correction=services.open_correction(report) if report.is_published else None,
    )
    return render_template("reporting/manage.html", **context), 422 if failed else 200


@bp.route("/planning/reports/<int:report_id>")
@permission_required(can_plan)
def manage(report_id: int):
    return _manage_page(_planned_report_or_404(report_id))


@bp.route("/planning/reports/<int:report_id>/sections/<topic>", methods=["POST"])
@permission_required(can_plan)
def section(report_id: int, topic: str):
    report = _planned_report_or_404(report_id)
    if topic not in TOPICS:
        abort(404)
    form = SectionForm(prefix=f"{topic}-")
    if report.is_published:
        return _conflict(_("A published report never changes. Publish a correction instead."))
    if form.validate_on_submit():
        services.set_section(current_user, report, topic, form.text_de.data or "", form.text_en.data or "")
        flash(_("The text on “%(topic)s” is saved.", topic=TOPICS[topic]), "success")
        return redirect(url_for("reports.manage", report_id=report.id, _anchor=f"topic-{topic}"), code=303)
    return _manage_page(report, {topic: form})


@bp.route("/planning/reports/<int:report_id>/snapshot", methods=["POST"])
@permission_required(can_plan)
def refresh(report_id: int):
    report = _planned_report_or_404(report_id)
    if report.is_published:
        return _conflict(_("A published report never changes. Publish a correction instead."))
    if EmptyForm().validate_on_submit():
        services.refresh_snapshot(current_user, report)
        flash(_("The snapshot is taken again."), "success")
    return redirect(url_for("reports.manage", report_id=report.id), code=303)


def _confirm(report: InterimReport, kind: str):
    return render_template("reporting/confirm.html", report=report, kind=kind, form=EmptyForm())


@bp.route("/planning/reports/<int:report_id>/publish", methods=["GET", "POST"])
@permission_required(can_plan)
def publish(report_id: int):
    report = _planned_report_or_404(report_id)
    if report.is_published:
        return _conflict(_("This report is already published. It never changes; publish a correction instead."))
    if request.method == "GET":
        return _confirm(report, "publish")
    if EmptyForm().validate_on_submit():
        try:
            services.publish_report(current_user, report)
        except services.ReportError as error:
            return _conflict(str(error))
        flash(_("The report is published."), "success")
        return redirect(url_for("reports.show", report_id=report.id), code=303)
    return redirect(url_for("reports.manage", report_id=report.id), code=303)


@bp.route("/planning/reports/<int:report_id>/delete", methods=["GET", "POST"])
@permission_required(can_plan)
def delete(report_id: int):
    report = _planned_report_or_404(report_id)
    if report.is_published:
        return _conflict(_("A published report is kept. Publish a correction instead."))
    if request.method == "GET":
        return _confirm(report, "delete")
    if EmptyForm().validate_on_submit():
        services.delete_report(current_user, report)
        flash(_("The draft report is deleted."), "success")
        return redirect(url_for("reports.planning_index"), code=303)
    return redirect(url_for("reports.manage", report_id=report.id), code=303)


@bp.route("/planning/reports/<int:report_id>/correct", methods=["POST"])
@permission_required(can_plan)
def correct(report_id: int):
    report = _planned_report_or_404(report_id)
    if not report.is_published:
        return _conflict(_("A draft is changed directly; only a published report is corrected."))
    form = CorrectionForm()
    if form.validate_on_submit():
        try:
            revision = services.correct_report(current_user, report, form.note.data)
        except services.ReportError as error:
            form.note.errors = [*form.note.errors, str(error)]
        else:
            flash(_("Revision %(number)d is started as a draft.", number=revision.revision), "success")
            return redirect(url_for("reports.manage", report_id=revision.id), code=303)
    return _manage_page(report, correction=form)
