"""The editors' pages: planners and the responsible organisations' members create and change
measures, their milestones, indicators, values, links and updates. Here: the editors' list, a
new measure (also from an accepted proposal or comment), the measure's own fields, publishing
and deleting a draft. The parts of a measure are in participation.measures.editing_parts."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from participation.comments.models import PUBLISHED as PUBLISHED_COMMENT
from participation.comments.models import Comment
from participation.core.access import permission_required
from participation.core.bounds import database_id
from participation.core.forms import EmptyForm
from participation.core.markdown import render_markdown
from participation.core.pagination import paginate
from participation.core.permissions import can_plan
from participation.core.transaction import flush_unless_refused
from participation.drafts import services as drafts
from participation.drafts.models import Chapter, Paragraph
from participation.extensions import db
from participation.measures import services
from participation.measures.forms import (
    IndicatorForm,
    MeasureForm,
    MilestoneForm,
    ParagraphLinkForm,
    SourceForm,
    UpdateForm,
)
from participation.measures.loading import get_editable_measure_or_404
from participation.measures.models import (
    STATUSES,
    Indicator,
    Measure,
    MeasureChange,
    MeasureParagraph,
    MeasureSource,
    MeasureUpdate,
)
from participation.measures.permissions import (
    can_create_measures,
    can_delete_measure,
    can_edit_measure,
    can_edit_measures,
    can_publish_measure,
    responsible_for,
)
from participation.organisations.models import KINDS, Organisation
from participation.proposals.models import ACCEPTED, PARTLY_ACCEPTED, Proposal

bp = Blueprint("measure_editing", __name__, url_prefix="/planning/measures")

PER_PAGE = 25
TAKEN = (ACCEPTED, PARTLY_ACCEPTED)  # answers that let a contribution become a measure
RECENT = 10  # changes and updates shown on the edit page
CHOICES_MAX = 200  # accepted contributions offered in the list to link


@bp.before_request
@permission_required(can_edit_measures)
def _editors_only():
    """Planners, and the verified members of an organisation (for its measures)."""


def editable_measures():
    """What the person may edit: every measure for planners, their organisations' for members."""
    statement = select(Measure)
    if not can_plan(current_user):
        statement = statement.where(Measure.organisation_id.in_(responsible_for(current_user)))
    return statement


def _organisations() -> list[Organisation]:
    statement = select(Organisation).order_by(Organisation.name)
    if not can_plan(current_user):
        statement = statement.where(Organisation.id.in_(responsible_for(current_user)))
    return list(db.session.scalars(statement))


@bp.route("/")
def index():
    organisations = _organisations()
    organisation = request.args.get("organisation", type=database_id)
    organisation = organisation if organisation in {o.id for o in organisations} else None
    status = request.args.get("status", "")
    status = status if status in STATUSES else ""
    statement = editable_measures()
    if organisation:
        statement = statement.where(Measure.organisation_id == organisation)
    if status:
        statement = statement.where(Measure.status == status)
    page = paginate(statement.order_by(Measure.id.desc()), per_page=PER_PAGE)
    filters = {name: value for name, value in (("organisation", organisation), ("status", status)) if value}
    return render_template(
        "measures/editor_index.html",
        page=page,
        organisations=organisations,
        organisation=organisation,
        statuses=STATUSES,
        status=status,
        filters=filters,
    )


# the measure's own fields ---------------------------------------------------------------------


def newest_chapters() -> list[Chapter]:
    """The chapters of the newest public version (a measure names one by its lineage key);
    looked up once per request."""
    if "newest_chapters" not in g:
        versions = drafts.public_versions()
        g.newest_chapters = drafts.chapters_of(versions[-1] if versions else None)
    return g.newest_chapters


def _measure_form(measure: Measure | None, data: dict | None = None) -> MeasureForm:
    form = MeasureForm(data=data)
    form.set_chapters(newest_chapters(), measure.chapter_lineage if measure else None)
    if measure is None or can_plan(current_user):
        form.set_organisations(list(db.session.scalars(select(Organisation))), KINDS)
    else:
        form.set_organisations([measure.organisation], KINDS)
        form.organisation_refusal = _("Only the coordinating unit can hand a measure to another responsible body.")
    if not can_plan(current_user):  # the summaries in easy language are the coordinating unit's
        for name in MeasureForm.EASY_FIELDS:
            delattr(form, name)
    return form


def _form_data(measure: Measure) -> dict:
    data = {name: getattr(measure, name) for name in (*MeasureForm.MEASURE_FIELDS, *MeasureForm.EASY_FIELDS)}
    data["inside_administration"] = "1" if measure.inside_administration else "0"
    data["loaded"] = measure.updated_at.isoformat()
    return data


NEW_MEASURE = {
    "status": "planned",
    "district": "citywide",
    "progress_mode": "direct",
    "progress_set": 0,
    "weight": 1,
    "inside_administration": "1",
}


def _origin():
    """The accepted proposal or comment on the draft a new measure grows out of (?proposal=12 or
    ?comment=7): 404 for one that is not public or not (partly) accepted."""
    proposal_id = request.args.get("proposal", type=database_id)
    comment_id = request.args.get("comment", type=database_id)
    if "proposal" in request.args:
        proposal = db.session.get(Proposal, proposal_id) if proposal_id else None
        if proposal is None or not proposal.is_public or proposal.status not in TAKEN:
            abort(404)
        return proposal
    if "comment" in request.args:
        comment = db.session.get(Comment, comment_id) if comment_id else None
        if (
            comment is None
            or comment.chapter_id is None
            or comment.status != PUBLISHED_COMMENT
            or comment.answer_status not in TAKEN
        ):
            abort(404)
        return comment
    return None


def _prefill(origin) -> dict:
    data = dict(NEW_MEASURE)
    if isinstance(origin, Proposal):
        chapter = db.session.get(Chapter, origin.chapter_id) if origin.chapter_id else None
        data |= {"title_de": origin.title, "description_de": origin.body, "topic": origin.topic}
        data |= {"district": origin.district or "citywide"}
    elif isinstance(origin, Comment):
        chapter = origin.chapter
        first_line = origin.body.strip().splitlines()[0] if origin.body.strip() else ""
        data |= {"title_de": first_line[:150], "description_de": origin.body, "topic": chapter.topic or ""}
    else:
        return data
    if chapter is not None:
        data["chapter_lineage"] = chapter.lineage_key
    return data


def _checked_parent(form: MeasureForm, measure: Measure | None) -> bool:
    """The measure it is a part of exists and may be edited by the person (its progress changes)."""
    parent_id = form.parent_id.data
    if parent_id is None or (measure is not None and parent_id == measure.parent_id):
        return True
    parent = db.session.get(Measure, parent_id)
    if parent is None or not can_edit_measure(current_user, parent):
        form.parent_id.errors.append(_("There is no measure with this number that you may edit."))
        return False
    return True


def _refused(form, error: services.MeasureError) -> None:
    """A rule the services refuse: its message at its field (the reason, the parent, ...)."""
    field = form._fields.get(error.field, form.title_de)
    field.errors = [*field.errors, str(error)]


def _preview(form: MeasureForm):
    if request.form.get("preview") is None:
        return None
    return {
        "de": render_markdown(form.description_de.data or ""),
        "en": render_markdown(form.description_en.data or ""),
    }


@bp.route("/new", methods=["GET", "POST"])
def new():
    if not can_create_measures(current_user):
        abort(403)
    origin = _origin()
    form = _measure_form(None, data=_prefill(origin))
    preview = _preview(form) if request.method == "POST" else None
    if form.validate_on_submit() and preview is None and _checked_parent(form, None):
        values = form.values()
        try:
            services.check_external_id(values["external_id"])
            measure = services.create_measure(current_user, values)
            if isinstance(origin, Proposal):
                services.link_source(current_user, measure, proposal_id=origin.id)
            elif isinstance(origin, Comment):
                services.link_source(current_user, measure, comment_id=origin.id)
        except services.MeasureError as error:
            db.session.rollback()
            _refused(form, error)
        else:
            if flush_unless_refused():
                flash(_("The measure is saved as a draft. Only its editors see it until it is published."), "success")
                return redirect(url_for("measure_editing.edit", measure_id=measure.id), code=303)
            form.external_id.errors.append(_("This external id was taken a moment ago. Please choose another one."))
    kind = "proposal" if isinstance(origin, Proposal) else "comment" if origin is not None else None
    return render_template(
        "measures/edit_measure.html",
        form=form,
        measure=None,
        origin=origin,
        origin_kind=kind,
        action=url_for("measure_editing.new", **({kind: origin.id} if kind else {})),
        preview=preview,
        conflict=None,  # undefined would pass `is not none` and show the conflict's alert
    ), 422 if form.errors else 200


def _changes_since(measure: Measure, loaded: str) -> list[MeasureChange]:
    try:
        since = datetime.fromisoformat(loaded[:40])
    except ValueError:
        return []
    if since.tzinfo is None:
        return []
    return list(
        db.session.scalars(
            select(MeasureChange)
            .where(MeasureChange.measure_id == measure.id, MeasureChange.created_at > since)
            .order_by(MeasureChange.id)
            .limit(50)
        )
    )


@bp.route("/<int:measure_id>/edit", methods=["GET", "POST"])
def edit(measure_id: int):
    measure = get_editable_measure_or_404(measure_id)
    form = _measure_form(measure, data=_form_data(measure))
    preview = _preview(form) if request.method == "POST" else None
    if form.validate_on_submit() and preview is None and _checked_parent(form, measure):
        current = measure.updated_at.isoformat()
        if form.loaded.data != current:
            # someone saved in between: nothing is overwritten, what was typed stays, and the
            # form now carries the newer state, so sending it again replaces it knowingly
            conflict = _changes_since(measure, form.loaded.data or "")
            form.loaded.data, form.loaded.raw_data = current, [current]
            return render_edit(measure, form=form, conflict=conflict, status=409)
        values = form.values()
        try:
            services.check_external_id(values["external_id"], measure)
            changed = services.change_measure(current_user, measure, values, form.reason.data or "")
        except services.MeasureError as error:
            db.session.rollback()
            _refused(form, error)
        else:
            if flush_unless_refused():
                flash(_("The measure is saved.") if changed else _("Nothing was changed."), "success")
                return redirect(url_for("measure_editing.edit", measure_id=measure.id), code=303)
            measure = get_editable_measure_or_404(measure_id)
            form.external_id.errors.append(_("This external id was taken a moment ago. Please choose another one."))
    return render_edit(measure, form=form, preview=preview, status=422 if form.errors else 200)


def render_edit(measure: Measure, form=None, parts: dict | None = None, conflict=None, preview=None, status=200):
    """The edit page: the measure's fields and all its parts; `parts` holds a part's form that
    failed, shown again with its messages and what was typed."""
    parts = parts or {}
    paragraph_form = parts.get("paragraph") or ParagraphLinkForm(formdata=None, prefix="paragraph-")
    chapters = list(
        db.session.scalars(
            select(Chapter)
            .where(Chapter.id.in_([chapter.id for chapter in newest_chapters()]))
            .options(selectinload(Chapter.paragraphs))
            .order_by(Chapter.position)
        )
    )
    paragraph_form.set_paragraphs(chapters)
    source_form = parts.get("source") or SourceForm(formdata=None, prefix="source-")
    source_form.set_items(*accepted_contributions())
    return render_template(
        "measures/edit_measure.html",
        measure=measure,
        action=url_for("measure_editing.edit", measure_id=measure.id),
        origin=None,
        form=form or _measure_form(measure, data=_form_data(measure)),
        preview=preview,
        conflict=conflict,
        milestone_form=parts.get("milestone") or MilestoneForm(formdata=None, prefix="milestone-"),
        indicator_form=parts.get("indicator") or IndicatorForm(formdata=None, prefix="indicator-"),
        paragraph_form=paragraph_form,
        source_form=source_form,
        update_form=parts.get("update") or UpdateForm(formdata=None, prefix="update-"),
        button_form=EmptyForm(formdata=None),
        indicators=list(
            db.session.scalars(
                select(Indicator)
                .where(Indicator.measure_id == measure.id)
                .options(selectinload(Indicator.values))
                .order_by(Indicator.position, Indicator.id)
            )
        ),
        paragraphs=linked_paragraphs(measure),
        sources=list(
            db.session.scalars(
                select(MeasureSource)
                .where(MeasureSource.measure_id == measure.id)
                .options(selectinload(MeasureSource.proposal), selectinload(MeasureSource.comment))
                .order_by(MeasureSource.id)
            )
        ),
        updates=list(
            db.session.scalars(
                select(MeasureUpdate)
                .where(MeasureUpdate.measure_id == measure.id)
                .order_by(MeasureUpdate.published_at.desc(), MeasureUpdate.id.desc())
                .limit(RECENT)
            )
        ),
        changes=list(
            db.session.scalars(
                select(MeasureChange)
                .where(MeasureChange.measure_id == measure.id)
                .options(selectinload(MeasureChange.actor), selectinload(MeasureChange.organisation))
                .order_by(MeasureChange.created_at.desc(), MeasureChange.id.desc())
                .limit(RECENT)
            )
        ),
        fields=services.FIELDS,
        subjects=services.SUBJECTS,
    ), status


def linked_paragraphs(measure: Measure) -> list[tuple[MeasureParagraph, Paragraph | None]]:
    """Each linked paragraph as it reads in the newest public version (None where it is not there)."""
    links = list(
        db.session.scalars(
            select(MeasureParagraph).where(MeasureParagraph.measure_id == measure.id).order_by(MeasureParagraph.id)
        )
    )
    chapter_ids = [chapter.id for chapter in newest_chapters()]
    keys = [link.lineage_key for link in links]
    found = {
        paragraph.lineage_key: paragraph
        for paragraph in db.session.scalars(
            select(Paragraph)
            .where(Paragraph.chapter_id.in_(chapter_ids), Paragraph.lineage_key.in_(keys))
            .options(selectinload(Paragraph.chapter))
        )
    }
    return [(link, found.get(link.lineage_key)) for link in links]


def accepted_contributions() -> tuple[list[Proposal], list[Comment]]:
    """The newest accepted (or partly accepted) public proposals and comments on the draft."""
    proposals = db.session.scalars(
        select(Proposal).where(Proposal.status.in_(TAKEN)).order_by(Proposal.id.desc()).limit(CHOICES_MAX)
    )
    comments = db.session.scalars(
        select(Comment)
        .where(
            Comment.answer_status.in_(TAKEN),
            Comment.status == PUBLISHED_COMMENT,
            Comment.chapter_id.is_not(None),
        )
        .order_by(Comment.id.desc())
        .limit(CHOICES_MAX)
    )
    return [p for p in proposals if p.is_public], list(comments)


# publishing and deleting ----------------------------------------------------------------------


@bp.route("/<int:measure_id>/publish", methods=["POST"])
def publish(measure_id: int):
    measure = get_editable_measure_or_404(measure_id)
    if measure.is_public:
        return redirect(url_for("measure_editing.edit", measure_id=measure.id), code=303)
    if not can_publish_measure(current_user, measure):
        abort(403)
    if EmptyForm().validate_on_submit():
        services.publish_measure(current_user, measure)
        flash(_("The measure is published: everyone can see it now."), "success")
    return redirect(url_for("measure_editing.edit", measure_id=measure.id), code=303)


@bp.route("/<int:measure_id>/delete", methods=["GET", "POST"])
def delete(measure_id: int):
    measure = get_editable_measure_or_404(measure_id)
    if not can_delete_measure(current_user, measure):
        abort(403)
    form = EmptyForm()
    if form.validate_on_submit():
        services.delete_measure(current_user, measure)
        flash(_("The draft is deleted."), "success")
        return redirect(url_for("measure_editing.index"), code=303)
    return render_template(
        "confirm_delete.html",
        form=form,
        action=request.path,
        cancel=url_for("measure_editing.edit", measure_id=measure.id),
        confirm_label=_("Yes, delete the draft"),
        title=_("Delete the draft measure “%(title)s”?", title=measure.title_de),
        consequence=_("The draft goes with its milestones, indicators and links. This cannot be undone."),
        excerpt=measure.description_de,
    )
