"""Reading the draft, voting on paragraphs, comparing versions. The reading pages of a chapter
and a paragraph also show their discussion and what shaped them: comments and incorporation
lend those parts (participation.core.composition), since they sit above drafts."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from participation.core import composition, disclosure
from participation.core.access import follow_choice
from participation.core.cache import fragments
from participation.core.forms import EmptyForm
from participation.core.pagination import page_number
from participation.core.permissions import can_plan
from participation.drafts import following, services
from participation.drafts.access import participation_refusal
from participation.drafts.compare import compare as compare_versions
from participation.drafts.loading import get_chapter_or_404, get_paragraph_or_404, get_version_or_404
from participation.drafts.models import VOTE_CHOICES, Chapter, MasterplanVersion, Paragraph
from participation.extensions import db, limiter

bp = Blueprint("drafts", __name__, url_prefix="/masterplan")


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
    # the advisory boards' statements on it, lent by reporting (which sits above)
    return render_template(
        "drafts/version.html", version=version, body=body, **composition.gathered("drafts.version", version)
    )


@bp.route("/chapters/<int:chapter_id>")
def chapter(chapter_id: int):
    chapter = get_chapter_or_404(chapter_id)
    version = chapter.version
    votes_open = services.action_open("draft_votes", version)
    comments_open = services.action_open("draft_comments", version)

    def context() -> dict:
        paragraphs = _chapter_paragraphs(chapter)
        return {
            "chapter": chapter,
            "version": version,
            "paragraphs": paragraphs,
            "votes_open": votes_open,
            "comments_open": comments_open,
            # the discussion and what shaped the paragraphs, lent by comments and incorporation
            **composition.gathered("drafts.chapter", chapter, paragraphs),
        }

    key = (chapter.id, chapter.revision, str(get_locale()), _page_key(), votes_open, comments_open, version.status)
    fragment = fragments.shared("drafts/_chapter_body.html", key, context)
    my_votes = services.votes_in_chapter(current_user, chapter.id) if fragment.slots.votes else {}
    mine = fragments.render_now(
        "drafts/_chapter_follow.html", chapter=chapter, following=following.follows(current_user, chapter)
    )
    body = fragments.fill(fragment, my_votes, composition.the("own_comment_actions"), holes={0: mine})
    return render_template("shared_page.html", title=f"{chapter.position}. {chapter.title}", body=body)


@bp.route("/chapters/<int:chapter_id>/follow", methods=["POST"])
@login_required
@limiter.limit("60 per minute")
def follow_chapter(chapter_id: int):
    """Following a chapter: mail on its new comments (participation.comments.notices)."""
    chapter = get_chapter_or_404(chapter_id)
    choice, refusal = follow_choice()
    if refusal:
        return refusal
    if choice == "follow":
        following.follow(current_user, chapter)
        flash(_("You follow this chapter: you will hear of new comments on it."), "success")
    else:
        following.unfollow(current_user, chapter)
        flash(_("You no longer follow this chapter."), "success")
    return redirect(url_for("drafts.chapter", chapter_id=chapter.id) + "#follow", code=303)


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
            "history": history,
            **composition.gathered("drafts.paragraph", chapter, paragraph),
        }

    # the chapter's revision covers this paragraph's votes and comments; figures of the same
    # paragraph in other versions may be FRAGMENT_CACHE_SECONDS old
    key = (paragraph.id, chapter.revision, str(get_locale()), _page_key(), votes_open, comments_open, version.status)
    fragment = fragments.shared("drafts/_paragraph_body.html", key, context)
    my_votes = services.votes_of(current_user, [paragraph.id]) if fragment.slots.votes else {}
    body = fragments.fill(fragment, my_votes, composition.the("own_comment_actions"))
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
