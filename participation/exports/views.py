"""Downloads for planners and admins: each kind of data, filtered, as CSV, XLSX or JSON, streamed."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request, stream_with_context
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import func, select

from participation.core.access import permission_required
from participation.core.audit import ModerationDecision
from participation.core.cache import fragments
from participation.core.permissions import can_export
from participation.core.spreadsheet import XLSX_MIMETYPE, csv_chunks, json_chunks, xlsx_chunks
from participation.drafts.models import Chapter, MasterplanVersion
from participation.exports import datasets, document, measure_data, open_data, stored, word
from participation.exports.forms import ExportFilterForm
from participation.extensions import db
from participation.phases.models import Phase

bp = Blueprint("exports", __name__, url_prefix="/planning/exports")
public_bp = Blueprint("open_data", __name__, url_prefix="/open-data")
# Werkzeug adds "; charset=utf-8" to every text/ type itself: naming it here too sent it twice
FORMATS = {
    "csv": "text/csv",
    "xlsx": XLSX_MIMETYPE,
    "json": "application/json",
}
DOCUMENTS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown",
}


@bp.before_request
@permission_required(can_export)
def _planners_only():
    """Exports are for planners and admins."""


def _filters() -> ExportFilterForm:
    """The filters of the query, checked against what exists. Without any there is nothing to
    check: the choices (three queries) are then loaded only when the page must be rendered."""
    form = ExportFilterForm(request.args)
    if request.args:
        form.set_choices()
        form.validate()
    return form


@bp.route("/")
def index():
    return _page(_filters())


def _page(form: ExportFilterForm):
    """The filters and the downloads; with wrong filters, the errors at their fields (422)."""

    def context() -> dict:
        if form.phase.choices is None:
            form.set_choices()
        return {
            "form": form,
            "kinds": datasets.KINDS,
            "filters_of": datasets.FILTERS_OF,
            "args": form.args() if not form.errors else {},
            "versions": form.versions,
        }

    if form.errors:
        return render_template("exports/index.html", body=fragments.render_now("exports/_body.html", **context())), 422
    # the page changes with the filters, the language and the versions (and which of them are public:
    # the rounds), chapters and phases there are
    newest = db.session.execute(
        select(
            select(func.max(MasterplanVersion.id)).scalar_subquery(),
            select(func.count(MasterplanVersion.published_at)).scalar_subquery(),
            select(func.max(Chapter.id)).scalar_subquery(),
            select(func.max(Phase.id)).scalar_subquery(),
            # an admin's change of a phase (its title, or deleting it) is in the audit log
            select(func.max(ModerationDecision.id)).where(ModerationDecision.target_type == "phase").scalar_subquery(),
        )
    ).one()
    version, public, chapter, phase, phase_change = newest
    key = (tuple(sorted(form.args().items())), str(get_locale()), version, public, chapter, (phase, phase_change))
    return render_template(
        "exports/index.html", body=fragments.fill(fragments.shared("exports/_body.html", key, context))
    )


@bp.route("/<kind>.<fmt>")
def download(kind: str, fmt: str):
    """The rows are read, written and sent batch by batch: the worker never holds the whole file."""
    if fmt not in FORMATS or not (kind in datasets.KINDS or (kind == "all" and fmt != "csv")):
        abort(404)
    form = _filters()
    if form.errors:
        return _page(form)
    filters = form.filters()
    sheets = datasets.sheets(kind, filters)
    if fmt == "csv":
        chunks = csv_chunks(sheets[0])
    elif fmt == "xlsx":
        chunks = xlsx_chunks(sheets)
    else:
        chunks = json_chunks(sheets, meta={"filters": filters.as_dict(), "exported": datasets.stamp()})
    chosen_round = f"-round-{filters.round.number}" if filters.round is not None else ""
    name = f"masterplan-{kind}{chosen_round}-{datasets.stamp()}.{fmt}"
    response = Response(stream_with_context(chunks), mimetype=FORMATS[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/versions/<int:number>.<fmt>")
def version_document(number: int, fmt: str):
    """A version of the masterplan as a Word or Markdown document: chapters, numbered paragraphs,
    their votes and the contributions that shaped them, and the period's figures on the cover.
    A version is a few hundred paragraphs: it is made whole, then sent."""
    version = db.session.scalar(select(MasterplanVersion).where(MasterplanVersion.number == number))
    if version is None or fmt not in DOCUMENTS:
        abort(404)
    gathered = document.gather(version)
    body = word.docx(gathered) if fmt == "docx" else document.markdown(gathered).encode()
    response = Response(body, mimetype=DOCUMENTS[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="masterplan-version-{number}.{fmt}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@public_bp.route("/")
def about():
    """What the open data hold, under which licence, and the download."""
    file = stored.served()
    return render_template(
        "exports/open_data.html",
        kinds=[*(datasets.KINDS[kind] for kind in open_data.KINDS), *measure_data.LABELS],
        licence=(open_data.LICENCE_NAME, open_data.LICENCE_URL),
        attribution=open_data.ATTRIBUTION,
        file={"bytes": file.size, "made": file.made_at} if file else None,
    )


@public_bp.route("/" + open_data.FILE_NAME)
def download_open_data():
    """The ZIP from the database, the same for every host; never one made before something in it
    was hidden, deleted or withdrawn (participation.exports.freshness): then it is made anew."""
    try:
        file = stored.current()
    except stored.Busy as busy:
        if busy.waiting:  # nothing is being made: the next making may start only after the interval
            minutes = -(-busy.retry_after // 60)
            message = ngettext(
                "The open data are out of date and will be made anew in %(num)d minute; please try again then.",
                "The open data are out of date and will be made anew in %(num)d minutes; please try again then.",
                minutes,
            )
        else:
            message = _("The open data are being made anew right now. Please try again in a minute.")
        response = Response(message, 503)
        response.headers["Retry-After"] = str(busy.retry_after)
        response.headers["Cache-Control"] = "no-store"
        return response
    response = Response(stream_with_context(stored.chunks(file.id)), mimetype="application/zip")
    response.headers["Content-Length"] = str(file.size)
    response.headers["Content-Disposition"] = f'attachment; filename="{open_data.FILE_NAME}"'
    response.headers["Cache-Control"] = "no-store"  # a copy kept elsewhere could outlive a hide
    return response
