"""The planners' pages of a version as a whole: starting the next one as a copy, its title and
status, and opening it for comments, which asks first what changes (the next round begins and
the one it replaces ends). The routes join the planning blueprint (participation.planning.views)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from participation.core.forms import EmptyForm
from participation.core.models import utcnow
from participation.drafts import editing, services
from participation.drafts.models import CLOSED, PREPARING
from participation.drafts.permissions import can_edit_version
from participation.planning.forms import ChapterForm, CopyVersionForm, OpenVersionForm, VersionForm
from participation.planning.views import bp, editable, get_version_or_404

__all__ = ["bp"]


@bp.route("/versions/copy", methods=["GET", "POST"])
def copy_latest():
    """GET asks for the new version's title (a suggestion filled in), POST starts the copy."""
    source = services.latest_version()
    if source is None:
        abort(404)
    number = services.next_number()
    form = CopyVersionForm(title=services.suggested_title(source, number))
    if form.validate_on_submit():
        version = services.copy_version(current_user, source, title=form.title.data)
        flash(
            _(
                "Version %(number)d is a copy of version %(source)d. Change it, then open it for comments.",
                number=version.number,
                source=source.number,
            ),
            "success",
        )
        return redirect(url_for("planning.version", number=version.number), code=303)
    return render_template("planning/copy.html", form=form, source=source, number=number), 422 if form.errors else 200


@bp.route("/versions/<int:number>", methods=["GET", "POST"])
def version(number: int):
    version = get_version_or_404(number)
    form = VersionForm(obj=version)
    if request.method == "POST":
        editable(version)
        if form.validate_on_submit():
            editing.change_version(current_user, version, form.title.data, form.summary_of_changes.data)
            flash(_("The version is saved."), "success")
            return redirect(url_for("planning.version", number=number), code=303)
    return _render_version(version, form=form, status=422 if form.errors else 200)


def _render_version(version, form=None, chapter_form=None, status: int = 200):
    return render_template(
        "planning/version.html",
        version=version,
        form=form or VersionForm(obj=version, formdata=None),
        chapter_form=chapter_form or ChapterForm(formdata=None, prefix="new-chapter"),
        button_form=EmptyForm(formdata=None),
        can_edit=can_edit_version(current_user, version),
    ), status


@bp.route("/versions/<int:number>/status", methods=["POST"])
def version_status(number: int):
    """Close or mark final. Opening asks first (open_version): a button sent from an older page
    lands on that question instead of opening at once."""
    version = get_version_or_404(number)
    action = request.form.get("action", "")
    if action not in editing.STATUS_ACTIONS or not EmptyForm().validate_on_submit():
        abort(400)
    if action == "open":
        return redirect(url_for("planning.open_version", number=number), code=303)
    try:
        editing.change_status(current_user, version, action)
    except editing.StatusRefused as refused:
        flash(str(refused), "error")
    else:
        flash(
            _("Version %(number)d is now: %(status)s.", number=version.number, status=version.status_label), "success"
        )
    return redirect(url_for("planning.version", number=number), code=303)


@bp.route("/versions/<int:number>/open", methods=["GET", "POST"])
def open_version(number: int):
    """GET says what opening the version changes; POST opens it and closes the ticked versions
    that were open for comments, in one transaction."""
    version = get_version_or_404(number)
    others = services.versions_in_consultation(but=version)
    if request.method == "POST":
        form = OpenVersionForm()
    else:  # every box ticked: by default the new round replaces the open ones
        form = OpenVersionForm(close=[str(other.number) for other in others])
    form.set_versions(others)
    back = url_for("planning.version", number=number)
    if version.status not in (PREPARING, CLOSED):
        flash(_("Version %(number)d is open for comments already.", number=version.number), "info")
        return redirect(back, code=303)
    if not version.chapters:
        flash(_("A version without chapters cannot be opened for comments."), "error")
        return redirect(back, code=303)
    if form.validate_on_submit():
        closing = form.versions_to_close(others)
        try:
            editing.open_round(current_user, version, closing)
        except editing.StatusRefused as refused:
            flash(str(refused), "error")
        else:
            flash(_opened_message(version, closing), "success")
        return redirect(back, code=303)
    phases = services.phases_opening(version)
    now = utcnow()
    running = [phase for phase in phases if phase.is_running(now)]
    return render_template(
        "planning/open.html",
        version=version,
        form=form,
        others=others,
        phases=phases,
        now=now,
        comments_opened=any(phase.opens("draft_comments", version.id) for phase in running),
        votes_opened=any(phase.opens("draft_votes", version.id) for phase in running),
    ), 422 if form.errors else 200


def _opened_message(version, closing) -> str:
    message = _("Version %(number)d is open for comments.", number=version.number)
    if not closing:
        return message
    closed = ngettext(
        "Version %(numbers)s is closed: its votes and comments stay as they were.",
        "Versions %(numbers)s are closed: their votes and comments stay as they were.",
        len(closing),
        numbers=", ".join(str(other.number) for other in closing),
    )
    return f"{message} {closed}"


@bp.route("/versions/<int:number>/chapters", methods=["POST"])
def add_chapter(number: int):
    version = editable(get_version_or_404(number))
    form = ChapterForm(prefix="new-chapter")
    if form.validate_on_submit():
        chapter = editing.add_chapter(current_user, version, form.title.data, form.topic.data, form.introduction.data)
        flash(_('Chapter "%(title)s" is added.', title=chapter.title), "success")
        return redirect(url_for("planning.chapter", chapter_id=chapter.id), code=303)
    return _render_version(version, chapter_form=form, status=422)
