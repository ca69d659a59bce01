"""Administration of the process's phases: the list in order, a new phase, changing one, and
moving, ending or deleting one. Routes on the admin blueprint (admins only, see views.py)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from participation.admin.views import bp
from participation.core.forms import EmptyForm
from participation.core.models import utcnow
from participation.drafts.models import PREPARING, MasterplanVersion
from participation.extensions import db
from participation.phases import services
from participation.phases.forms import PhaseForm
from participation.phases.models import Phase, all_phases


def get_phase_or_404(phase_id: int) -> Phase:
    phase = db.session.get(Phase, phase_id)
    if phase is None:
        abort(404)
    return phase


def _title(phase: Phase) -> str:
    return phase.localized("title", str(get_locale()))


def _versions() -> dict[int, MasterplanVersion]:
    return {
        version.id: version
        for version in db.session.scalars(select(MasterplanVersion).order_by(MasterplanVersion.number))
    }


def _version_choices(versions: dict[int, MasterplanVersion]) -> dict[int, str]:
    return {
        key: _("Version %(number)d: %(title)s (%(status)s)", number=v.number, title=v.title, status=v.status_label)
        for key, v in versions.items()
    }


@bp.route("/phases")
def phases():
    return render_template(
        "admin/phases.html",
        phases=all_phases(),
        versions=_versions(),
        preparing=PREPARING,
        now=utcnow(),
        token_form=EmptyForm(),
        can_end=services.can_end,
        can_delete=services.can_delete,
    )


def _phase_form(phase: Phase | None):
    """The form for a new phase (`phase` None) or a stored one: saved and redirected to the
    list when valid; shown again with the messages at their fields and what was typed (422)."""
    form = PhaseForm()
    form.set_versions(_version_choices(_versions()))
    if request.method == "GET" and phase is not None:
        form.fill(phase)
    if form.is_submitted():
        valid = form.validate()
        if "csrf_token" not in form.errors:
            values = form.values()
            try:
                if not valid:
                    form.show_problems(services.problems(values, phase))
                elif phase is None:
                    phase = services.create_phase(current_user, values)
                    flash(_("The phase “%(title)s” is created.", title=_title(phase)), "success")
                    return redirect(url_for("admin.phases"), code=303)
                elif services.change_phase(current_user, phase, values):
                    flash(_("The phase “%(title)s” is saved.", title=_title(phase)), "success")
                    return redirect(url_for("admin.phases"), code=303)
                else:
                    flash(_("Nothing was changed."), "info")
                    return redirect(url_for("admin.phases"), code=303)
            except services.PhaseInvalid as invalid:
                form.show_problems(invalid.problems)
    return render_template("admin/phase_form.html", form=form, phase=phase), 422 if form.errors else 200


@bp.route("/phases/new", methods=["GET", "POST"])
def new_phase():
    return _phase_form(None)


@bp.route("/phases/<int:phase_id>", methods=["GET", "POST"])
def phase(phase_id: int):
    return _phase_form(get_phase_or_404(phase_id))


@bp.route("/phases/<int:phase_id>/move", methods=["POST"])
def move_phase(phase_id: int):
    phase = get_phase_or_404(phase_id)
    offset = {"up": -1, "down": 1}.get(request.form.get("direction", ""))  # from an allow-list
    if EmptyForm().validate_on_submit():  # the token (CSRFProtect refuses a request without one)
        if offset is None:
            abort(400)
        if services.move_phase(current_user, phase, offset):
            flash(_("The phase “%(title)s” is moved.", title=_title(phase)), "success")
    return redirect(url_for("admin.phases"), code=303)


@bp.route("/phases/<int:phase_id>/end", methods=["POST"])
def end_phase(phase_id: int):
    phase = get_phase_or_404(phase_id)
    if EmptyForm().validate_on_submit():  # the token (CSRFProtect refuses a request without one)
        if services.end_phase(current_user, phase):
            flash(_("The phase “%(title)s” has ended.", title=_title(phase)), "success")
        else:
            flash(_("Only a running phase can be ended."), "error")
    return redirect(url_for("admin.phases"), code=303)


@bp.route("/phases/<int:phase_id>/delete", methods=["POST"])
def delete_phase(phase_id: int):
    phase = get_phase_or_404(phase_id)
    if EmptyForm().validate_on_submit():  # the token (CSRFProtect refuses a request without one)
        title = _title(phase)
        if services.delete_phase(current_user, phase):
            flash(_("The phase “%(title)s” is deleted.", title=title), "success")
        else:
            flash(_("A phase that has started cannot be deleted, only ended: it is part of the process."), "error")
    return redirect(url_for("admin.phases"), code=303)
