"""The participation report: a public summary and the planners' full report, each figure as a
chart with its table, and downloadable as XLSX (a sheet per figure) or CSV (one figure)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template
from flask_babel import get_locale
from flask_babel import gettext as _

from participation.core import cache
from participation.core.access import permission_required
from participation.core.cache import fragments
from participation.core.permissions import can_plan
from participation.core.spreadsheet import XLSX_MIMETYPE, csv_chunks, xlsx_chunks
from participation.exports.datasets import stamp
from participation.statistics import figures, snapshots

bp = Blueprint("statistics", __name__)
LOCAL_SECONDS = 60  # how long a worker keeps the body it read before it looks for a newer one


def _page(full: bool):
    """The body as made for all workers (statistics.snapshots), kept in the cache store for a minute at most."""
    locale = str(get_locale())
    seconds = current_app.config["REPORT_CACHE_SECONDS"]
    key = f"{'planners' if full else 'public'}-{locale}"

    def render() -> str:
        return render_template("statistics/_body.html", figures=figures.report(full), full=full)

    kept = cache.value("statistics/_body.html", (key,), lambda: snapshots.body(key, render, seconds), LOCAL_SECONDS)
    body = fragments.fill(fragments.Fragment([kept], fragments.Slots()))
    title = _("Participation report") if full else _("Participation in figures")
    return render_template("statistics/report.html", title=title, body=body, full=full)


def _download(full: bool, key: str, fmt: str):
    """All tables as XLSX (key "report"), or one as CSV; only that one is computed."""
    if fmt == "xlsx" and key == "report":
        chunks, mimetype = xlsx_chunks([figure.sheet for figure in figures.report(full)]), XLSX_MIMETYPE
    elif fmt == "csv" and key in figures.keys(full):
        chunks, mimetype = csv_chunks(figures.BUILDERS[key]().sheet), "text/csv"
    else:
        abort(404)
    response = Response(chunks, mimetype=mimetype)
    name = f"{'participation-report' if full else 'participation'}-{key}-{stamp()}.{fmt}"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    if full:
        response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/report/")
def summary():
    return _page(full=False)


@bp.route("/report/<key>.<fmt>")
def summary_download(key: str, fmt: str):
    return _download(False, key, fmt)


@bp.route("/planning/report/")
@permission_required(can_plan)
def full_report():
    return _page(full=True)


@bp.route("/planning/report/<key>.<fmt>")
@permission_required(can_plan)
def full_download(key: str, fmt: str):
    return _download(True, key, fmt)
