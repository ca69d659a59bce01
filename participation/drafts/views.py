"""Reading the draft, voting on paragraphs, commenting, comparing versions."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from participation.comments import services as comments
from participation.comments.rendering import own_comment_actions, write_from_form
from participation.core import disclosure
from participation.core.access import contributor_refusal, refuse
from participation.core.cache import fragments
from participation.core.forms import EmptyForm
from participation.core.pagination import page_number, paginate
from participation.core.permissions import can_plan, can_view_version
from participation.drafts import services
from participation.drafts.compare import compare as compare_versions
from participation.drafts.forms import CommentForm
from participation.drafts.models import VOTE_CHOICES, Chapter, MasterplanVersion, Paragraph
from participation.extensions import db, limiter
from participation.incorporation import services as incorporation
from participation.organisations.services import speaking_for

bp = Blueprint("drafts", __name__, url_prefix="/masterplan")


def comment_limit() -> str:
    return "10 per minute; 100 per day"


def get_version_or_404(number: int) -> MasterplanVersion:
    version = db.session.scalar(select(MasterplanVersion).where(MasterplanVersion.number == number))
    if not can_view_version(current_user, version):
        abort(404)
    return version


def get_chapter_or_404(chapter_id: int) -> Chapter:
    chapter = db.session.get(Chapter, chapter_id, options=[joinedload(Chapter.version)])
    if chapter is None or not can_view_version(current_user, chapter.version):
        abort(404)
    return chapter


def get_paragraph_or_404(paragraph_id: int) -> Paragraph:
    paragraph = db.session.get(
        Paragraph, paragraph_id, options=[joinedload(Paragraph.chapter).joinedload(Chapter.version)]
    )
    if paragraph is None or not can_view_version(current_user, paragraph.chapter.version):
        abort(404)
    return paragraph


def participation_refusal(action: str, version: MasterplanVersion):
    refusal = contributor_refusal()
    if refusal:
        return refusal
    if not services.action_open(action, version):
        if action == "draft_votes":
            return refuse(_("Voting on this draft is not open at the moment."))
        return refuse(_("Commenting on this draft is not open at the moment."))
    return None


@bp.route("/")
def index():
    version = services.current_version()
    if version is None:
        return render_template("drafts/no_draft.html")
    return redirect(url_for("drafts.version", number=version.number))


def _page_key() -> int | str:
    return "last" if request.args.get("page") == "last" else page_number()


def _chapter_paragraphs(chapter: Chapter) -> list[Paragraph]:
    return list(
        db.session.scalars(select(Paragraph).where(Paragraph.chapter_id == chapter.id).order_by(Paragraph.position))
    )


@bp.route("/<int:number>/")
def version(number: int):
    version = get_version_or_404(number)
    chapters = services.chapters_of(version)
    versions = services.public_versions()

    def context() -> dict:
        totals = {
            chapter_id: (paragraphs, votes, comment_count)
            for chapter_id, paragraphs, votes, comment_count in db.session.execute(
                select(
                    Paragraph.chapter_id,
                    func.count(Paragraph.id),
                    func.sum(Paragraph.agree_count + Paragraph.neutral_count + Paragraph.disagree_count),
                    func.sum(Paragraph.comment_count),
                )
                .join(Chapter)
                .where(Chapter.version_id == version.id)
                .group_by(Paragraph.chapter_id)
            )
        }
        return {"version": version, "chapters": chapters, "totals": totals, "versions": versions}

    key = (
        version.id,
        version.title,
        version.status,
        version.is_final,
        version.published_at,
        version.summary_of_changes,  # the text: hash() of a str differs between workers
        len(versions),
        tuple((chapter.id, chapter.revision) for chapter in chapters),
        str(get_locale()),
    )
    body = fragments.fill(fragments.shared("drafts/_version_body.html", key, context))
    return render_template("drafts/version.html", version=version, body=body)


@bp.route("/chapters/<int:chapter_id>")
def chapter(chapter_id: int):
    chapter = get_chapter_or_404(chapter_id)
    version = chapter.version
    votes_open = services.action_open("draft_votes", version)
    comments_open = services.action_open("draft_comments", version)

    def context() -> dict:
        paragraphs = _chapter_paragraphs(chapter)
        page = paginate(comments.top_level(chapter, None), per_page=comments.THREADS_PER_PAGE)
        return {
            "chapter": chapter,
            "version": version,
            "paragraphs": paragraphs,
            "latest": comments.latest_per_paragraph([p.id for p in paragraphs]),
            "shaped": incorporation.shaping([p.id for p in paragraphs]),
            "votes_open": votes_open,
            "comments_open": comments_open,
            "threads": page,
            "replies": comments.replies_for(page.items),
            "form": CommentForm(formdata=None),
        }

    key = (chapter.id, chapter.revision, str(get_locale()), _page_key(), votes_open, comments_open)
    fragment = fragments.shared("drafts/_chapter_body.html", key, context)
    my_votes = services.votes_in_chapter(current_user, chapter.id) if fragment.slots.votes else {}
    body = fragments.fill(fragment, my_votes, own_comment_actions)
    return render_template("shared_page.html", title=f"{chapter.position}. {chapter.title}", body=body)


@bp.route("/chapters/<int:chapter_id>/opinions")
def opinions(chapter_id: int):
    """What people think: agreement and controversy per paragraph, overall and by group."""
    chapter = get_chapter_or_404(chapter_id)

    def context() -> dict:
        paragraphs = _chapter_paragraphs(chapter)
        splits = services.vote_splits([p.id for p in paragraphs])
        rows = []
        for paragraph in paragraphs:
            counts = (paragraph.agree_count, paragraph.neutral_count, paragraph.disagree_count)
            table = services.public_splits(splits.get(paragraph.id, {}))
            rows.append(
                {
                    "paragraph": paragraph,
                    "agreement": services.agreement(*counts),
                    "controversy": services.controversy(*counts),
                    "groups": {group: disclosure.share(values, 1) for group, values in table.items()},
                }
            )
        return {
            "chapter": chapter,
            "version": chapter.version,
            "rows": rows,
            "by_agreement": sorted((r for r in rows if r["agreement"] is not None), key=lambda r: -r["agreement"]),
            "by_controversy": sorted((r for r in rows if r["controversy"] > 0), key=lambda r: -r["controversy"]),
        }

    key = (chapter.id, chapter.revision, str(get_locale()))
    body = fragments.fill(fragments.shared("drafts/_opinions_body.html", key, context))
    return render_template("shared_page.html", title=f"{_('What people think')}: {chapter.title}", body=body)


@bp.route("/paragraphs/<int:paragraph_id>")
def paragraph(paragraph_id: int):
    paragraph = get_paragraph_or_404(paragraph_id)
    chapter = paragraph.chapter
    version = chapter.version
    votes_open = services.action_open("draft_votes", version)
    comments_open = services.action_open("draft_comments", version)

    def context() -> dict:
        page = paginate(comments.top_level(chapter, paragraph), per_page=comments.THREADS_PER_PAGE)
        history = list(
            db.session.scalars(
                select(Paragraph)
                .join(Chapter)
                .join(MasterplanVersion)
                .where(
                    Paragraph.lineage_key == paragraph.lineage_key,
                    Paragraph.id != paragraph.id,
                    MasterplanVersion.status != "preparing",
                )
                .options(selectinload(Paragraph.chapter).selectinload(Chapter.version))
                .order_by(MasterplanVersion.number)
            )
        )
        return {
            "paragraph": paragraph,
            "chapter": chapter,
            "version": version,
            "splits": services.public_splits(services.vote_splits([paragraph.id]).get(paragraph.id, {})),
            "votes_open": votes_open,
            "comments_open": comments_open,
            "threads": page,
            "replies": comments.replies_for(page.items),
            "history": history,
            "shaped": incorporation.shaping([paragraph.id]),
            "form": CommentForm(formdata=None),
        }

    # the chapter's revision covers this paragraph's votes and comments; figures of the same
    # paragraph in other versions may be FRAGMENT_CACHE_SECONDS old
    key = (paragraph.id, chapter.revision, str(get_locale()), _page_key(), votes_open, comments_open)
    fragment = fragments.shared("drafts/_paragraph_body.html", key, context)
    my_votes = services.votes_of(current_user, [paragraph.id]) if fragment.slots.votes else {}
    body = fragments.fill(fragment, my_votes, own_comment_actions)
    title = f"{_('Paragraph %(number)s', number=paragraph.number)} – {chapter.title}"
    return render_template("shared_page.html", title=title, body=body)


def _back_to(paragraph: Paragraph) -> str:
    return url_for("drafts.chapter", chapter_id=paragraph.chapter_id) + f"#{paragraph.anchor}"


@bp.route("/paragraphs/<int:paragraph_id>/vote", methods=["POST"])
@login_required
@limiter.limit("60 per minute")
def vote(paragraph_id: int):
    paragraph = get_paragraph_or_404(paragraph_id)
    refusal = participation_refusal("draft_votes", paragraph.chapter.version)
    if refusal:
        return refusal
    form = EmptyForm()
    choice = request.form.get("choice", "")
    if not form.validate_on_submit() or (choice not in VOTE_CHOICES and choice != "withdraw"):
        abort(400)
    services.cast_vote(current_user, paragraph, VOTE_CHOICES.get(choice))
    db.session.commit()
    flash(
        _("Your vote on paragraph %(number)s is saved.", number=paragraph.number)
        if choice != "withdraw"
        else _("Your vote on paragraph %(number)s is withdrawn.", number=paragraph.number),
        "success",
    )
    target = request.form.get("back")
    if target == "paragraph":
        return redirect(url_for("drafts.paragraph", paragraph_id=paragraph.id), code=303)
    return redirect(_back_to(paragraph), code=303)


def _post_comment(chapter: Chapter, paragraph: Paragraph | None, template_context):
    refusal = participation_refusal("draft_comments", chapter.version)
    if refusal:
        return refusal
    form = CommentForm()
    form.set_organisations(speaking_for(current_user), current_user.display_name)
    if form.validate_on_submit():
        comment = write_from_form(form, _("Your comment is published."), chapter=chapter, paragraph=paragraph)
        target = (
            url_for("drafts.paragraph", paragraph_id=paragraph.id)
            if paragraph
            else url_for("drafts.chapter", chapter_id=chapter.id)
        )
        return redirect(f"{target}?page=last#{comment.anchor}", code=303)
    return template_context(form), 422


@bp.route("/paragraphs/<int:paragraph_id>/comments", methods=["POST"])
@login_required
@limiter.limit(comment_limit)
def comment_on_paragraph(paragraph_id: int):
    paragraph = get_paragraph_or_404(paragraph_id)
    return _post_comment(
        paragraph.chapter,
        paragraph,
        lambda form: render_template(
            "comments/write.html",
            form=form,
            paragraph=paragraph,
            chapter=paragraph.chapter,
            parent=None,
            action=url_for("drafts.comment_on_paragraph", paragraph_id=paragraph.id),
        ),
    )


@bp.route("/chapters/<int:chapter_id>/comments", methods=["POST"])
@login_required
@limiter.limit(comment_limit)
def comment_on_chapter(chapter_id: int):
    chapter = get_chapter_or_404(chapter_id)
    return _post_comment(
        chapter,
        None,
        lambda form: render_template(
            "comments/write.html",
            form=form,
            paragraph=None,
            chapter=chapter,
            parent=None,
            action=url_for("drafts.comment_on_chapter", chapter_id=chapter.id),
        ),
    )


@bp.route("/compare")
def compare():
    if can_plan(current_user):  # planners also compare versions being prepared
        versions = list(db.session.scalars(select(MasterplanVersion).order_by(MasterplanVersion.number)))
    else:
        versions = services.public_versions()
    numbers = [v.number for v in versions]
    old_number = request.args.get("from", type=int)
    new_number = request.args.get("to", type=int)
    if old_number is None and len(numbers) >= 2:
        old_number, new_number = numbers[-2], numbers[-1]
    comparison = None
    if old_number in numbers and new_number in numbers and old_number != new_number:
        comparison = compare_versions(get_version_or_404(old_number), get_version_or_404(new_number))
    elif request.args:
        flash(_("Please choose two different versions."), "error")
    return render_template(
        "drafts/compare.html", versions=versions, comparison=comparison, old_number=old_number, new_number=new_number
    )
