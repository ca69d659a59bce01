"""The editors' pages for the parts of a measure: milestones, indicators and their measured
values, the paragraphs of the plan it implements, the contributions behind it, and its public
updates. Each part is loaded with its measure, which the person must be allowed to edit; a form
that fails shows the measure's edit page (or the indicator's page) again with its messages."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from participation.comments.models import PUBLISHED as PUBLISHED_COMMENT
from participation.comments.models import Comment
from participation.core.forms import EmptyForm
from participation.extensions import db
from participation.measures import services
from participation.measures.editing import accepted_contributions, bp, newest_chapters, render_edit
from participation.measures.forms import (
    IndicatorForm,
    MilestoneForm,
    ParagraphLinkForm,
    SourceForm,
    UpdateForm,
    ValueForm,
)
from participation.measures.loading import get_editable_measure_or_404
from participation.measures.models import (
    Indicator,
    IndicatorValue,
    Measure,
    MeasureParagraph,
    MeasureSource,
    Milestone,
)
from participation.proposals.models import Proposal

__all__ = ["bp"]


def _part_or_404(model, part_id: int):
    """A part of a measure, with its measure checked: 404 for what the person may not see, 403
    for a public measure they may not change."""
    part = db.session.get(model, part_id)
    if part is None:
        abort(404)
    return part


def _back(measure: Measure, anchor: str):
    return redirect(url_for("measure_editing.edit", measure_id=measure.id) + f"#{anchor}", code=303)


# milestones ---------------------------------------------------------------------------------


@bp.route("/<int:measure_id>/milestones", methods=["POST"])
def add_milestone(measure_id: int):
    measure = get_editable_measure_or_404(measure_id)
    form = MilestoneForm(prefix="milestone-")
    if not form.validate_on_submit():
        return render_edit(measure, parts={"milestone": form}, status=422)
    stone = services.add_milestone(current_user, measure, form.values())
    flash(_("The milestone “%(title)s” is added.", title=stone.title_de), "success")
    return _back(measure, "milestones")


@bp.route("/milestones/<int:milestone_id>", methods=["GET", "POST"])
def milestone(milestone_id: int):
    stone = _part_or_404(Milestone, milestone_id)
    measure = get_editable_measure_or_404(stone.measure_id)
    form = MilestoneForm(obj=stone)
    if form.validate_on_submit():
        changed = services.change_milestone(current_user, stone, form.values())
        flash(_("The milestone is saved.") if changed else _("Nothing was changed."), "success")
        return _back(measure, "milestones")
    return render_template(
        "measures/edit_milestone.html", measure=measure, stone=stone, form=form
    ), 422 if form.errors else 200


@bp.route("/milestones/<int:milestone_id>/remove", methods=["POST"])
def remove_milestone(milestone_id: int):
    stone = _part_or_404(Milestone, milestone_id)
    measure = get_editable_measure_or_404(stone.measure_id)
    if EmptyForm().validate_on_submit():
        services.remove_milestone(current_user, stone)
        flash(_("The milestone is removed."), "success")
    return _back(measure, "milestones")


# indicators and their values ----------------------------------------------------------------


@bp.route("/<int:measure_id>/indicators", methods=["POST"])
def add_indicator(measure_id: int):
    measure = get_editable_measure_or_404(measure_id)
    form = IndicatorForm(prefix="indicator-")
    if not form.validate_on_submit():
        return render_edit(measure, parts={"indicator": form}, status=422)
    values = form.values() | {"position": len(measure.indicators) + 1}
    indicator = services.add_indicator(current_user, measure, values)
    flash(_("The indicator “%(title)s” is added.", title=indicator.title_de), "success")
    return redirect(url_for("measure_editing.indicator", indicator_id=indicator.id), code=303)


def _render_indicator(indicator: Indicator, measure: Measure, form=None, value_form=None, status=200):
    return render_template(
        "measures/edit_indicator.html",
        measure=measure,
        indicator=indicator,
        form=form or IndicatorForm(obj=indicator, formdata=None),
        value_form=value_form or ValueForm(formdata=None, prefix="value-"),
        button_form=EmptyForm(formdata=None),
    ), status


@bp.route("/indicators/<int:indicator_id>", methods=["GET", "POST"])
def indicator(indicator_id: int):
    indicator = _part_or_404(Indicator, indicator_id)
    measure = get_editable_measure_or_404(indicator.measure_id)
    form = IndicatorForm(obj=indicator)
    if form.validate_on_submit():
        changed = services.change_indicator(current_user, indicator, form.values())
        flash(_("The indicator is saved.") if changed else _("Nothing was changed."), "success")
        return redirect(url_for("measure_editing.indicator", indicator_id=indicator.id), code=303)
    return _render_indicator(indicator, measure, form=form, status=422 if form.errors else 200)


@bp.route("/indicators/<int:indicator_id>/remove", methods=["POST"])
def remove_indicator(indicator_id: int):
    indicator = _part_or_404(Indicator, indicator_id)
    measure = get_editable_measure_or_404(indicator.measure_id)
    if EmptyForm().validate_on_submit():
        services.remove_indicator(current_user, indicator)
        flash(_("The indicator is removed with its values."), "success")
    return _back(measure, "indicators")


@bp.route("/indicators/<int:indicator_id>/values", methods=["POST"])
def add_value(indicator_id: int):
    indicator = _part_or_404(Indicator, indicator_id)
    measure = get_editable_measure_or_404(indicator.measure_id)
    form = ValueForm(prefix="value-")
    if not form.validate_on_submit():
        return _render_indicator(indicator, measure, value_form=form, status=422)
    services.record_value(current_user, indicator, form.measured_on.data, form.value.data, form.source.data or "")
    flash(_("The value of %(day)s is recorded.", day=form.measured_on.data.isoformat()), "success")
    return redirect(url_for("measure_editing.indicator", indicator_id=indicator.id) + "#values", code=303)


@bp.route("/values/<int:value_id>/remove", methods=["POST"])
def remove_value(value_id: int):
    row = _part_or_404(IndicatorValue, value_id)
    indicator = row.indicator
    get_editable_measure_or_404(indicator.measure_id)
    if EmptyForm().validate_on_submit():
        services.remove_value(current_user, row)
        flash(_("The value is removed."), "success")
    return redirect(url_for("measure_editing.indicator", indicator_id=indicator.id) + "#values", code=303)


# paragraphs of the plan and the contributions behind it ---------------------------------------


@bp.route("/<int:measure_id>/paragraphs", methods=["POST"])
def link_paragraph(measure_id: int):
    measure = get_editable_measure_or_404(measure_id)
    form = ParagraphLinkForm(prefix="paragraph-")
    form.set_paragraphs(newest_chapters())
    if not form.validate_on_submit():
        return render_edit(measure, parts={"paragraph": form}, status=422)
    if services.link_paragraph(current_user, measure, form.lineage_key.data):
        flash(_("The paragraph is linked."), "success")
    else:
        flash(_("This paragraph was linked already."), "info")
    return _back(measure, "paragraphs")


@bp.route("/paragraph-links/<int:link_id>/remove", methods=["POST"])
def unlink_paragraph(link_id: int):
    link = _part_or_404(MeasureParagraph, link_id)
    measure = get_editable_measure_or_404(link.measure_id)
    if EmptyForm().validate_on_submit():
        services.unlink_paragraph(current_user, measure, link.lineage_key)
        flash(_("The paragraph is no longer linked."), "success")
    return _back(measure, "paragraphs")


def public_contribution(kind: str, number: int):
    """A proposal, or a comment on the draft, that everyone may read (None otherwise)."""
    if kind == "proposal":
        proposal = db.session.get(Proposal, number)
        return proposal if proposal is not None and proposal.is_public else None
    comment = db.session.get(Comment, number)
    if comment is None or comment.chapter_id is None or comment.status != PUBLISHED_COMMENT:
        return None
    return comment


@bp.route("/<int:measure_id>/sources", methods=["POST"])
def link_source(measure_id: int):
    measure = get_editable_measure_or_404(measure_id)
    form = SourceForm(prefix="source-")
    form.set_items(*accepted_contributions())
    chosen = form.chosen() if form.validate_on_submit() else None
    found = public_contribution(*chosen) if chosen else None
    if chosen and found is None:
        field = form.proposal_id if chosen[0] == "proposal" else form.comment_id
        field.errors.append(
            _("There is no public proposal with this number.")
            if chosen[0] == "proposal"
            else _("There is no public comment on the draft with this number.")
        )
    if found is None:
        return render_edit(measure, parts={"source": form}, status=422)
    kind, number = chosen
    if services.link_source(current_user, measure, **{f"{kind}_id": number}):
        flash(_("The contribution is linked."), "success")
    else:
        flash(_("This contribution was linked already."), "info")
    return _back(measure, "sources")


@bp.route("/sources/<int:source_id>/remove", methods=["POST"])
def unlink_source(source_id: int):
    source = _part_or_404(MeasureSource, source_id)
    measure = get_editable_measure_or_404(source.measure_id)
    if EmptyForm().validate_on_submit():
        services.unlink_source(current_user, source)
        flash(_("The contribution is no longer linked."), "success")
    return _back(measure, "sources")


# public updates -------------------------------------------------------------------------------


@bp.route("/<int:measure_id>/updates", methods=["POST"])
def post_update(measure_id: int):
    measure = get_editable_measure_or_404(measure_id)
    form = UpdateForm(prefix="update-")
    if not form.validate_on_submit():
        return render_edit(measure, parts={"update": form}, status=422)
    services.post_update(current_user, measure, form.body_de.data, form.body_en.data or "")
    if measure.is_public:
        flash(_("The update is published; the measure's followers are told."), "success")
    else:
        flash(_("The update is saved; it is shown once the measure is published."), "success")
    return _back(measure, "updates")
