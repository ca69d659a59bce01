"""Organisations in public: the list by kind, each one's page, its description and strategy
documents (published and deleted by its verified members and admins), and their download."""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, abort, flash, redirect, render_template, stream_with_context, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from participation.comments.loading import thread_url
from participation.core.access import refuse
from participation.core.audit import record_decision
from participation.core.forms import EmptyForm
from participation.core.pagination import paginate
from participation.core.security import accepts_large_body
from participation.extensions import db, limiter
from participation.organisation_pages import queries
from participation.organisation_pages.forms import DescriptionForm, DocumentForm
from participation.organisations import documents, following
from participation.organisations.loaders import get_organisation_or_404
from participation.organisations.models import KINDS, Organisation, StrategyDocument
from participation.organisations.permissions import can_publish_for

bp = Blueprint("organisation_pages", __name__, url_prefix="/organisations")

# a published document never changes (a new one gets a new number); a deleted one may stay in
# shared caches this long
DOCUMENT_CACHE = "public, max-age=3600"


def _may_publish(organisation):
    """None, or the 403 page for whoever may not publish in the organisation's name."""
    if can_publish_for(current_user, organisation):
        return None
    return refuse(_("Only the verified members of %(name)s can do this.", name=organisation.name))


def _may_upload(user, organisation_id: int) -> bool:
    return can_publish_for(user, db.session.get(Organisation, organisation_id))


def _document_or_404(organisation_id: int, document_id: int) -> StrategyDocument:
    """The document of this organisation: one named under another organisation's address is not found."""
    document = db.session.get(StrategyDocument, document_id)
    if document is None or document.organisation_id != organisation_id:
        abort(404)
    return document


@bp.route("/")
def index():
    return render_template("organisation_pages/index.html", groups=queries.by_kind(), kinds=KINDS)


@bp.route("/<int:organisation_id>")
def show(organisation_id: int):
    organisation = get_organisation_or_404(organisation_id)
    statements = paginate(queries.statements(organisation.id), per_page=queries.STATEMENTS_PER_PAGE)
    return render_template(
        "organisation_pages/show.html",
        organisation=organisation,
        locale=str(get_locale()),
        statements=statements,
        thread_url=thread_url,
        measures=queries.measures(organisation.id),
        documents=documents.of(organisation.id),
        delete_form=EmptyForm(),
        following=following.follows(current_user, organisation),
    )


@bp.route("/<int:organisation_id>/description", methods=["GET", "POST"])
@login_required
@limiter.limit("30 per hour", methods=["POST"])
def edit_description(organisation_id: int):
    organisation = get_organisation_or_404(organisation_id)
    if (refusal := _may_publish(organisation)) is not None:
        return refusal
    form = DescriptionForm(obj=organisation)
    if form.validate_on_submit():
        before = {"description": organisation.description, "description_en": organisation.description_en}
        organisation.description, organisation.description_en = form.description.data, form.description_en.data
        record_decision(
            current_user,
            "change_organisation_description",
            organisation,
            before=before,
            after={"description": form.description.data, "description_en": form.description_en.data},
        )
        flash(_("The description is saved."), "success")
        return redirect(url_for("organisation_pages.show", organisation_id=organisation.id), code=303)
    return render_template(
        "organisation_pages/description.html", organisation=organisation, form=form
    ), 422 if form.errors else 200


@bp.route("/<int:organisation_id>/documents/new", methods=["GET", "POST"])
@accepts_large_body(documents.body_limit, lambda user, organisation_id: _may_upload(user, organisation_id))
@login_required
@limiter.limit("20 per hour", methods=["POST"])
def upload(organisation_id: int):
    organisation = get_organisation_or_404(organisation_id)
    if (refusal := _may_publish(organisation)) is not None:
        return refusal
    form = DocumentForm()
    if form.validate_on_submit():
        try:
            documents.store(
                current_user,
                organisation,
                form.file.data.stream,
                form.title_de.data,
                form.title_en.data or "",
                form.year.data,
            )
        except documents.TooLarge:  # grew past the limit after the form looked at it
            form.file.errors.append(_("The file is too large."))
        else:
            flash(_("The document is published on the organisation's page."), "success")
            return redirect(url_for("organisation_pages.show", organisation_id=organisation.id), code=303)
    return render_template(
        "organisation_pages/upload.html",
        organisation=organisation,
        form=form,
        max_size=f"{documents.max_bytes() / 2**20:g}",
    ), 422 if form.errors else 200


@bp.route("/<int:organisation_id>/documents/<int:document_id>.pdf")
def document(organisation_id: int, document_id: int):
    """The PDF as a download: never shown in this site's pages or run as anything but a PDF."""
    organisation = get_organisation_or_404(organisation_id)
    found = _document_or_404(organisation.id, document_id)
    readable = f"{found.title(str(get_locale()))} ({found.year}).pdf"
    response = Response(stream_with_context(documents.chunks(found.id)), mimetype="application/pdf")
    response.headers["Content-Length"] = str(found.size)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{found.filename}\"; filename*=UTF-8''{quote(readable, safe='')}"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    # opened in a tab after all, it runs no script and reaches nothing of this site
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response.headers["Cache-Control"] = DOCUMENT_CACHE
    return response


@bp.route("/<int:organisation_id>/documents/<int:document_id>/delete", methods=["POST"])
@login_required
def delete_document(organisation_id: int, document_id: int):
    organisation = get_organisation_or_404(organisation_id)
    found = _document_or_404(organisation.id, document_id)
    if (refusal := _may_publish(organisation)) is not None:
        return refusal
    if not EmptyForm().validate_on_submit():
        abort(400)
    documents.remove(current_user, found)
    flash(_("The document is deleted."), "success")
    return redirect(url_for("organisation_pages.show", organisation_id=organisation.id), code=303)
