"""The planners' area: the list of versions, the editor for chapters and paragraphs, the draft
import. The pages of a version as a whole are in participation.planning.versions."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from participation.comments.models import Comment
from participation.core.access import permission_required
from participation.core.forms import EmptyForm
from participation.core.markdown import render_markdown
from participation.core.permissions import can_plan
from participation.drafts import editing, pending, services
from participation.drafts.importer import MAX_FILE_BYTES, ImportError_, apply_draft
from participation.drafts.models import PREPARING, Chapter, MasterplanVersion, Paragraph
from participation.drafts.permissions import can_edit_version
from participation.drafts.upload import parse_upload
from participation.extensions import db
from participation.incorporation import services as incorporation
from participation.incorporation.models import Incorporation
from participation.moderation.forms import ITEM
from participation.planning.forms import (
    ChapterForm,
    ConfirmImportForm,
    EasySummaryForm,
    ImportForm,
    IncorporationForm,
    ParagraphForm,
    incorporation_prefix,
)
from participation.proposals.models import Proposal

bp = Blueprint("planning", __name__, url_prefix="/planning")
NEW_VERSION = "new"


@bp.before_request
@permission_required(can_plan)
def _planners_only():
    """Every page here is for planners and admins."""


def get_version_or_404(number: int) -> MasterplanVersion:
    version = db.session.scalar(select(MasterplanVersion).where(MasterplanVersion.number == number))
    if version is None:
        abort(404)
    return version


def editable(version: MasterplanVersion) -> MasterplanVersion:
    if not can_edit_version(current_user, version):
        abort(403)
    return version


def get_chapter_or_404(chapter_id: int) -> Chapter:
    chapter = db.session.get(Chapter, chapter_id)
    if chapter is None:
        abort(404)
    return chapter


def get_paragraph_or_404(paragraph_id: int) -> Paragraph:
    paragraph = db.session.get(Paragraph, paragraph_id)
    if paragraph is None:
        abort(404)
    return paragraph


@bp.route("/")
def index():
    versions = list(db.session.scalars(select(MasterplanVersion).order_by(MasterplanVersion.number.desc())))
    return render_template("planning/index.html", versions=versions, reach=incorporation.reach())


@bp.route("/chapters/<int:chapter_id>", methods=["GET", "POST"])
def chapter(chapter_id: int):
    chapter = get_chapter_or_404(chapter_id)
    form = ChapterForm(obj=chapter)
    if request.method == "POST":
        editable(chapter.version)
        if form.validate_on_submit():
            editing.change_chapter(current_user, chapter, form.title.data, form.topic.data, form.introduction.data)
            flash(_("The chapter is saved."), "success")
            return redirect(url_for("planning.chapter", chapter_id=chapter.id), code=303)
    return _render_chapter(chapter, form=form, status=422 if form.errors else 200)


@bp.route("/chapters/<int:chapter_id>/easy-language", methods=["POST"])
def chapter_easy_language(chapter_id: int):
    """The summary in easy language: planners may write it in every version, also one open for
    comments or closed, since it explains the text and changes none of it."""
    chapter = get_chapter_or_404(chapter_id)
    form = EasySummaryForm()
    if not form.validate_on_submit():
        return _render_chapter(chapter, easy_form=form, status=422)
    editing.change_easy_summary(current_user, chapter, form.easy_summary_de.data, form.easy_summary_en.data)
    flash(_("The summary in easy language is saved."), "success")
    return redirect(url_for("planning.chapter", chapter_id=chapter.id) + "#easy-language-edit-title", code=303)


def _render_chapter(
    chapter: Chapter,
    form=None,
    easy_form=None,
    failed: IncorporationForm | None = None,
    paragraph_form=None,
    preview=None,
    status: int = 200,
):
    """The editor of a chapter, with the accepted input still to take into it."""
    can_edit = can_edit_version(current_user, chapter.version)
    waiting = incorporation.open_input(chapter) if can_edit else {}
    forms = {}
    for contribution in [item for items in waiting.values() for item in items]:
        key = incorporation.contribution_key(contribution)
        prefix = incorporation_prefix(key)
        forms[key] = (
            failed
            if failed is not None and failed._prefix == prefix
            else IncorporationForm(formdata=None, prefix=prefix)
        )
        forms[key].set_paragraphs(chapter.paragraphs)
    return render_template(
        "planning/chapter.html",
        chapter=chapter,
        version=chapter.version,
        form=form or ChapterForm(obj=chapter, formdata=None),
        easy_form=easy_form or EasySummaryForm(obj=chapter, formdata=None),
        paragraph_form=paragraph_form or ParagraphForm(formdata=None),
        preview=preview,
        button_form=EmptyForm(formdata=None),
        can_edit=can_edit,
        waiting=waiting,
        incorporation_forms=forms,
        recorded=incorporation.recorded(chapter),
        key_of=incorporation.contribution_key,
    ), status


def _accepted_contribution_or_404(key: str):
    """A proposal or a comment whose answer lets it into the plan, named "proposal:12"."""
    match = ITEM.fullmatch(key)
    kind = match["kind"] if match else ""
    found = db.session.get({"proposal": Proposal, "comment": Comment}[kind], int(match["id"])) if match else None
    status = getattr(found, "answer_status" if kind == "comment" else "status", None)
    if found is None or status not in incorporation.TAKEN:
        abort(404)
    return found


@bp.route("/chapters/<int:chapter_id>/incorporations/<item>", methods=["POST"])
def incorporate(chapter_id: int, item: str):
    chapter = get_chapter_or_404(chapter_id)
    editable(chapter.version)
    contribution = _accepted_contribution_or_404(item)
    key = incorporation.contribution_key(contribution)
    form = IncorporationForm(prefix=incorporation_prefix(key))
    form.set_paragraphs(chapter.paragraphs)
    if not form.validate_on_submit():
        return _render_chapter(chapter, failed=form, status=422)
    paragraph = db.session.get(Paragraph, form.paragraph.data)
    incorporation.incorporate(current_user, paragraph, contribution, form.extent.data, form.note.data or "")
    flash(_("Recorded: taken into paragraph %(number)s.", number=paragraph.number), "success")
    return redirect(url_for("planning.chapter", chapter_id=chapter.id) + "#incorporations", code=303)


@bp.route("/incorporations/<int:incorporation_id>/remove", methods=["POST"])
def remove_incorporation(incorporation_id: int):
    row = db.session.get(Incorporation, incorporation_id)
    if row is None:
        abort(404)
    chapter = row.paragraph.chapter
    editable(chapter.version)
    if EmptyForm().validate_on_submit():
        incorporation.remove(current_user, row)
        flash(_("The record is removed."), "success")
    return redirect(url_for("planning.chapter", chapter_id=chapter.id) + "#incorporations", code=303)


def _move(item, redirect_to):
    editable_version = item.version if isinstance(item, Chapter) else item.chapter.version
    editable(editable_version)
    offset = {"up": -1, "down": +1}.get(request.form.get("action", ""))
    if not EmptyForm().validate_on_submit() or offset is None:
        abort(400)
    move = editing.move_chapter if isinstance(item, Chapter) else editing.move_paragraph
    move(current_user, item, offset)
    return redirect(redirect_to, code=303)


def _delete(item, redirect_to, **question):
    """GET asks what the page says will go; POST deletes and renumbers the rest."""
    form = EmptyForm()
    if form.validate_on_submit():
        delete = editing.delete_chapter if isinstance(item, Chapter) else editing.delete_paragraph
        delete(current_user, item)
        flash(_("Deleted."), "success")
        return redirect(redirect_to, code=303)
    return render_template(
        "confirm_delete.html",
        form=form,
        action=request.path,
        cancel=redirect_to,
        confirm_label=_("Yes, delete it"),
        **question,
    )


@bp.route("/chapters/<int:chapter_id>/arrange", methods=["POST"])
def arrange_chapter(chapter_id: int):
    chapter = get_chapter_or_404(chapter_id)
    version = chapter.version
    return _move(chapter, url_for("planning.version", number=version.number))


@bp.route("/chapters/<int:chapter_id>/delete", methods=["GET", "POST"])
def delete_chapter(chapter_id: int):
    chapter = get_chapter_or_404(chapter_id)
    version = editable(chapter.version)
    return _delete(
        chapter,
        url_for("planning.version", number=version.number),
        title=_('Delete chapter %(number)d, "%(title)s"?', number=chapter.position, title=chapter.title),
        consequence=ngettext(
            "The chapter goes from version %(version)d with its %(num)d paragraph. This cannot be undone.",
            "The chapter goes from version %(version)d with its %(num)d paragraphs. This cannot be undone.",
            len(chapter.paragraphs),
            version=version.number,
        ),
        excerpt=chapter.introduction,
    )


@bp.route("/chapters/<int:chapter_id>/paragraphs", methods=["POST"])
def add_paragraph(chapter_id: int):
    chapter = get_chapter_or_404(chapter_id)
    editable(chapter.version)
    form = ParagraphForm()
    if form.validate_on_submit() and request.form.get("preview") is None:
        paragraph = editing.add_paragraph(current_user, chapter, form.text.data, form.subheading.data)
        flash(_("Paragraph %(number)s is added.", number=paragraph.number), "success")
        return redirect(url_for("planning.chapter", chapter_id=chapter.id) + f"#{paragraph.anchor}", code=303)
    preview = render_markdown(form.text.data) if request.form.get("preview") is not None else None
    return _render_chapter(chapter, paragraph_form=form, preview=preview, status=422 if form.errors else 200)


@bp.route("/paragraphs/<int:paragraph_id>", methods=["GET", "POST"])
def paragraph(paragraph_id: int):
    paragraph = get_paragraph_or_404(paragraph_id)
    form = ParagraphForm(obj=paragraph)
    preview = None
    if request.method == "POST":
        editable(paragraph.chapter.version)
        if form.validate_on_submit():
            if request.form.get("preview") is not None:
                preview = render_markdown(form.text.data)
            else:
                editing.change_paragraph(current_user, paragraph, form.text.data, form.subheading.data)
                flash(_("Paragraph %(number)s is saved.", number=paragraph.number), "success")
                return redirect(
                    url_for("planning.chapter", chapter_id=paragraph.chapter_id) + f"#{paragraph.anchor}", code=303
                )
    return render_template(
        "planning/paragraph.html",
        paragraph=paragraph,
        chapter=paragraph.chapter,
        version=paragraph.chapter.version,
        form=form,
        preview=preview,
        can_edit=can_edit_version(current_user, paragraph.chapter.version),
    ), 422 if form.errors else 200


@bp.route("/paragraphs/<int:paragraph_id>/arrange", methods=["POST"])
def arrange_paragraph(paragraph_id: int):
    paragraph = get_paragraph_or_404(paragraph_id)
    chapter = paragraph.chapter
    return _move(paragraph, url_for("planning.chapter", chapter_id=chapter.id))


@bp.route("/paragraphs/<int:paragraph_id>/delete", methods=["GET", "POST"])
def delete_paragraph(paragraph_id: int):
    paragraph = get_paragraph_or_404(paragraph_id)
    chapter = paragraph.chapter
    version = editable(chapter.version)
    return _delete(
        paragraph,
        url_for("planning.chapter", chapter_id=chapter.id),
        title=_("Delete paragraph %(number)s?", number=paragraph.number),
        consequence=_(
            "The paragraph goes from version %(version)d; the paragraphs after it move up. This cannot be undone.",
            version=version.number,
        ),
        excerpt=paragraph.text,
    )


def _import_targets():
    preparing = db.session.scalars(
        select(MasterplanVersion).where(MasterplanVersion.status == PREPARING).order_by(MasterplanVersion.number)
    )
    return [(NEW_VERSION, _("a new version"))] + [
        (str(v.number), _("version %(number)d (replaces its text)", number=v.number)) for v in preparing
    ]


@bp.route("/import", methods=["GET", "POST"])
def import_draft():
    form = ImportForm()
    form.target.choices = _import_targets()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            draft = parse_upload(upload.filename, upload.read(MAX_FILE_BYTES + 1))
        except ImportError_ as error:
            form.file.errors.append(str(error))
        else:
            target = form.target.data
            title = draft.title or "Digitales Köln 2025"
            if target != NEW_VERSION:
                title = draft.title or get_version_or_404(int(target)).title
            token = pending.keep(current_user, draft, target, upload.filename)
            confirm = ConfirmImportForm(formdata=None, token=token, title=title)
            return render_template("planning/import_preview.html", draft=draft, form=confirm, filename=upload.filename)
    return render_template("planning/import.html", form=form), 422 if form.errors else 200


def _not_confirmed():
    """The preview is gone: it expired, or another confirmation took it (a double click, whose first
    request imported the draft). The list of versions shows which, before the file is uploaded again."""
    flash(
        _(
            "This preview was already confirmed or has expired. Please check in the list of versions "
            "whether the draft was imported before you upload the file again."
        ),
        "info",
    )
    return redirect(url_for("planning.index"), code=303)


@bp.route("/import/confirm", methods=["POST"])
def confirm_import():
    form = ConfirmImportForm()
    stored = pending.find(current_user, form.token.data)
    if stored is None:  # an expired one is deleted (pending.find); the request commits that
        return _not_confirmed()
    draft = pending.draft_of(stored)
    if not form.validate_on_submit():  # the title: the preview again, with the message at the field
        page = render_template("planning/import_preview.html", draft=draft, form=form, filename=stored.filename)
        return page, 422
    target = stored.target
    if not pending.claim(stored):  # used once: a second confirmation at the same time imports nothing
        db.session.rollback()
        return _not_confirmed()
    if target == NEW_VERSION:
        version = services.create_version(current_user, form.title.data)
    else:
        version = editable(get_version_or_404(int(target) if target.isdigit() else 0))
        version.title = form.title.data
    result = apply_draft(version, draft)
    flash(
        _(
            "Imported %(chapters)d chapters and %(paragraphs)d paragraphs into version %(number)d "
            "(%(kept)d paragraphs kept their history).",
            chapters=len(draft.chapters),
            paragraphs=draft.paragraph_count,
            number=version.number,
            kept=result["kept"],
        ),
        "success",
    )
    return redirect(url_for("planning.version", number=version.number), code=303)
