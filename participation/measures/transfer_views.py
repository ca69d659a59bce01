"""Import and export of measures, milestones, indicators and their values with the same columns
(CSV in a ZIP, XLSX), for planners: an upload is read into a preview (what would be created,
updated, left unchanged, and every problem at its table, row and column), kept on the server,
and written only when the planner confirms it, all or nothing."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Response, abort, flash, redirect, render_template, stream_with_context, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import delete, select

from participation.core.access import permission_required
from participation.core.forms import EmptyForm
from participation.core.models import utcnow
from participation.core.permissions import can_plan
from participation.core.spreadsheet import XLSX_MIMETYPE
from participation.extensions import db
from participation.measures import transfer
from participation.measures.models import MeasureImport
from participation.measures.transfer_apply import apply_plan
from participation.measures.transfer_plan import CREATE, UNCHANGED, UPDATE, make_plan
from participation.measures.transfer_read import MAX_FILE_BYTES, UnreadableFile

bp = Blueprint("measure_transfer", __name__, url_prefix="/planning/measures/transfer")
KEPT_FOR = timedelta(hours=2)  # a preview left open longer is uploaded again
SHOWN_PROBLEMS = 500  # the preview lists this many; the count says how many there are
DOWNLOADS = {"xlsx": XLSX_MIMETYPE, "zip": "application/zip"}


class UploadForm(FlaskForm):
    file = FileField(
        _l("Import file (.xlsx, .zip of CSV files, or .csv)"), validators=[FileRequired(_l("Please choose a file."))]
    )


@bp.before_request
@permission_required(can_plan)
def _planners_only():
    """Import and export are the coordinating unit's."""


def _index(form: UploadForm, status: int = 200):
    context = {"form": form, "columns": transfer.COLUMNS, "tables": transfer.TABLE_NAMES}
    return render_template("measures/transfer/index.html", **context), status


@bp.route("/", methods=["GET", "POST"])
def index():
    form = UploadForm()
    if not form.validate_on_submit():
        return _index(form, 422 if form.errors else 200)
    upload = form.file.data
    data = upload.read(MAX_FILE_BYTES + 1)
    filename = "".join(ch for ch in upload.filename or "" if ch.isprintable())[:255]
    try:
        plan = make_plan(filename, data)
    except UnreadableFile as error:
        form.file.errors.append(str(error))
        return _index(form, 422)
    db.session.execute(delete(MeasureImport).where(MeasureImport.created_at < utcnow() - KEPT_FOR))
    kept = MeasureImport(user_id=current_user.id, filename=filename, data=data)
    db.session.add(kept)
    db.session.flush()
    return _preview(kept, plan, 200 if plan.ok else 422)


@bp.errorhandler(413)
def _too_large(error):
    """A file over the request limit is refused before it is read: said at the field."""
    form = UploadForm(formdata=None)
    form.file.errors = [_("The file is too large to be uploaded; please split it or send it as a ZIP.")]
    return _index(form, 413)


def _kept_or_404(import_id: int) -> MeasureImport:
    kept = db.session.scalar(
        select(MeasureImport).where(MeasureImport.id == import_id, MeasureImport.user_id == current_user.id)
    )
    if kept is None or kept.created_at < utcnow() - KEPT_FOR:
        abort(404)
    return kept


def _preview(kept: MeasureImport, plan, status: int = 200):
    return render_template(
        "measures/transfer/preview.html",
        kept=kept,
        plan=plan,
        counts=plan.counts(),
        actions=(CREATE, UPDATE, UNCHANGED),
        tables=transfer.TABLE_NAMES,
        problems=plan.problems[:SHOWN_PROBLEMS],
        form=EmptyForm(),
    ), status


@bp.route("/<int:import_id>")
def preview(import_id: int):
    kept = _kept_or_404(import_id)
    try:
        plan = make_plan(kept.filename, kept.data)
    except UnreadableFile:  # it was read at the upload; the format's limits may have changed since
        abort(404)
    return _preview(kept, plan, 200 if plan.ok else 422)


@bp.route("/<int:import_id>/confirm", methods=["POST"])
def confirm(import_id: int):
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    kept = db.session.scalar(
        select(MeasureImport).where(MeasureImport.id == import_id, MeasureImport.user_id == current_user.id)
    )
    if kept is None or kept.created_at < utcnow() - KEPT_FOR:
        flash(
            _(
                "This import was already confirmed or has expired. Please check the measures before you "
                "upload the file again."
            ),
            "info",
        )
        return redirect(url_for("measure_transfer.index"), code=303)
    plan = make_plan(kept.filename, kept.data)
    if not plan.ok:
        return _preview(kept, plan, 422)
    # used once: of two confirmations at once only one deletes the row; the other imports nothing
    taken = db.session.execute(
        delete(MeasureImport).where(MeasureImport.id == kept.id).execution_options(synchronize_session=False)
    )
    db.session.expunge(kept)
    if taken.rowcount != 1:
        db.session.rollback()
        return redirect(url_for("measure_transfer.index"), code=303)
    counts = apply_plan(plan, current_user, import_id=import_id)
    flash(
        _(
            "Imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.",
            created=sum(c[CREATE] for c in counts.values()),
            updated=sum(c[UPDATE] for c in counts.values()),
            unchanged=sum(c[UNCHANGED] for c in counts.values()),
        ),
        "success",
    )
    return redirect(url_for("measure_transfer.index"), code=303)


@bp.route("/measures.<fmt>")
def download(fmt: str):
    """Every measure (drafts too) with its milestones, indicators and values."""
    if fmt not in DOWNLOADS:
        abort(404)
    chunks = transfer.xlsx_chunks() if fmt == "xlsx" else transfer.zip_chunks()
    response = Response(stream_with_context(chunks), mimetype=DOWNLOADS[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{transfer.file_name(fmt)}"'
    response.headers["Cache-Control"] = "no-store"
    return response
