"""The participation report: a public summary and the planners' full report, each figure as a
chart with its table, and downloadable as XLSX (a sheet per figure) or CSV (one figure).

Both show one round of the process (participation.drafts.rounds), chosen with ?round=: a version
("v1"), a phase ("p-<slug>") or all of them ("all"); without one, the current round. A key that
names no round is a 404, on the page and for its downloads alike."""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _

from participation.core import cache
from participation.core.access import permission_required
from participation.core.cache import fragments
from participation.core.permissions import can_plan
from participation.core.spreadsheet import XLSX_MIMETYPE, csv_chunks, xlsx_chunks
from participation.drafts import rounds
from participation.drafts.rounds import Round
from participation.exports.datasets import stamp
from participation.statistics import figures, snapshots
from participation.statistics.models import ReportSnapshot

bp = Blueprint("statistics", __name__)
LOCAL_SECONDS = 60  # how long a worker keeps the body it read before it looks for a newer one
KEY_LENGTH = ReportSnapshot.__table__.c.key.type.length


def _chosen_round() -> Round:
    round_ = rounds.find_round(request.args.get("round", type=str))
    if round_ is None:
        abort(404)
    return round_


def snapshot_key(full: bool, locale: str, round_: Round) -> str:
    """The key of a body in the shared store: one per audience, language and round. A round's key
    too long for the column (a phase's slug) is replaced by a digest of it, never cut short: two
    phases that differ only at the end must not share a body."""
    key = f"{'planners' if full else 'public'}-{locale}-{round_.key}"
    if len(key) > KEY_LENGTH:
        digest = hashlib.sha256(round_.key.encode()).hexdigest()
        key = f"{'planners' if full else 'public'}-{locale}-#{digest}"[:KEY_LENGTH]
    return key


def _page(full: bool):
    """The body as made for all workers (statistics.snapshots), kept in the cache store for a minute at most."""
    round_ = _chosen_round()
    locale = str(get_locale())
    seconds = current_app.config["REPORT_CACHE_SECONDS"]
    key = snapshot_key(full, locale, round_)

    def render() -> str:
        return render_template("statistics/_body.html", figures=figures.report(full, round_), full=full, round=round_)

    kept = cache.value("statistics/_body.html", (key,), lambda: snapshots.body(key, render, seconds), LOCAL_SECONDS)
    body = fragments.fill(fragments.Fragment([kept], fragments.Slots()))
    title = _("Participation report") if full else _("Participation in figures")
    choices = {"versions": rounds.version_rounds(), "phases": rounds.phase_rounds()}
    return render_template("statistics/report.html", title=title, body=body, full=full, round=round_, choices=choices)


def _titled(sheet, round_: Round):
    return replace(sheet, title=f"{sheet.name} – {round_.label}")


def _download(full: bool, key: str, fmt: str):
    """All tables as XLSX (key "report"), or one as CSV; only that one is computed."""
    round_ = _chosen_round()
    if fmt == "xlsx" and key == "report":
        sheets = [_titled(figure.sheet, round_) for figure in figures.report(full, round_)]
        chunks, mimetype = xlsx_chunks(sheets), XLSX_MIMETYPE
    elif fmt == "csv" and key in figures.keys(full):
        chunks, mimetype = csv_chunks(figures.BUILDERS[key](round_).sheet), "text/csv"
    else:
        abort(404)
    response = Response(chunks, mimetype=mimetype)
    safe_round = re.sub(r"[^A-Za-z0-9_-]", "-", round_.key)  # a phase's slug, within the header's quotes
    name = f"{'participation-report' if full else 'participation'}-{key}-{safe_round}-{stamp()}.{fmt}"
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
