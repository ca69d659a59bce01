"""GET-only JSON of what the public may read: the phases of the process, versions with their
chapters (whether comments and votes are open on them now, and their round), paragraphs with their
vote counts, proposals, comments and the city's answers. Anonymised like the open data: authors
appear only by stakeholder group. Lists are paginated (`page`, `per_page` up to 100) and say
how many there are; a wrong parameter is a 400 with what is wrong."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request
from sqlalchemy import Select, func, select

from participation.comments.models import PUBLISHED as PUBLISHED_COMMENT
from participation.comments.models import Comment
from participation.core.links import public_url
from participation.drafts.models import PREPARING, TOPICS, Chapter, MasterplanVersion, Paragraph
from participation.drafts.rounds import version_rounds
from participation.drafts.services import action_open
from participation.extensions import db, limiter
from participation.measures.models import Measure
from participation.phases.models import VERSION_ACTIONS, Phase, all_phases
from participation.proposals.models import PUBLIC_STATUSES, Proposal

bp = Blueprint("api", __name__, url_prefix="/api/v1")
PER_PAGE, MAX_PER_PAGE = 50, 100
MAX_PAGE = 100  # page numbers skip 9,900 rows at most; beyond, `after` goes on by id at the same cost
LIMIT = "300 per minute"  # per client address
# the query parameters each list understands, besides the paging
FILTERS = {
    "api.proposals": ("topic", "status"),
    "api.comments": ("proposal", "paragraph"),
    "api.measures": ("topic", "status", "organisation", "district"),
}


class BadRequest(Exception):
    def __init__(self, parameter: str, message: str):
        super().__init__(message)
        self.parameter, self.message = parameter, message


@bp.errorhandler(BadRequest)
def _bad_request(error: BadRequest):
    return jsonify(error="bad_request", parameter=error.parameter, message=error.message), 400


limiter.limit(LIMIT)(bp)


@bp.errorhandler(429)
def _too_many(_error):
    return jsonify(error="too_many_requests", message=f"At most {LIMIT} from one address."), 429


@bp.errorhandler(404)
def _not_found(_error):
    return jsonify(error="not_found", message="There is no such public item."), 404


@bp.after_request
def _public(response):
    response.headers["Access-Control-Allow-Origin"] = "*"  # public data, readable by any site's scripts
    response.headers["Cache-Control"] = "public, max-age=60"
    return response


def _integer(name: str, default: int | None, low: int, high: int) -> int | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isascii() or not raw.isdigit():
        raise BadRequest(name, f"{name} must be a whole number from {low} to {high}")
    value = int(raw)
    if not low <= value <= high:
        raise BadRequest(name, f"{name} must be a whole number from {low} to {high}")
    return value


def _choice(name: str, choices) -> str | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    if raw not in choices:
        raise BadRequest(name, f"{name} must be one of: {', '.join(choices)}")
    return raw


def _page(statement: Select, serialize, endpoint: str, key=None, fetch=None, **values):
    """One page of `statement` with the total and the links to the neighbours. With `key` (the
    ordering id column) a client can also go on `after` an id: that reaches every row at the same
    cost, where page numbers stop at MAX_PAGE. `fetch` reads the rows (entities by default)."""
    per_page = _integer("per_page", PER_PAGE, 1, MAX_PER_PAGE)
    page = _integer("page", 1, 1, MAX_PAGE)
    after = _integer("after", None, 0, 2**31 - 1) if key is not None else None
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    chosen = statement.where(key > after) if after is not None else statement
    chosen = chosen.limit(per_page + 1).offset((page - 1) * per_page)  # one more: is there a next page?
    rows = fetch(chosen) if fetch else db.session.scalars(chosen).all()
    more, rows = len(rows) > per_page, rows[:per_page]
    # only the filters this list knows go into its links
    known = {name: request.args[name] for name in FILTERS.get(endpoint, ()) if request.args.get(name)}

    def link(**where) -> str:
        return public_url(endpoint, per_page=per_page, **values, **known, **where)

    if after is not None:
        following = link(after=serialize(rows[-1])["id"]) if more else None
        preceding = None
    else:
        following = link(page=page + 1) if more else None
        preceding = link(page=page - 1) if page > 1 else None
    return jsonify(
        items=[serialize(row) for row in rows],
        page=page,
        per_page=per_page,
        total=total,
        next=following,
        previous=preceding,
    )


def _moment(value):
    return value.isoformat(timespec="seconds") if value else None


def _public_version(number: int) -> MasterplanVersion:
    version = db.session.scalar(
        select(MasterplanVersion).where(MasterplanVersion.number == number, MasterplanVersion.status != PREPARING)
    )
    if version is None:
        abort(404)
    return version


# --- versions, chapters, paragraphs ---------------------------------------------------------


def _rounds() -> dict[int, int]:
    """The round of each public version, by its id (one query)."""
    return {round_.version_id: round_.number for round_ in version_rounds()}


def _version(version: MasterplanVersion, rounds: dict[int, int]) -> dict:
    return {
        "number": version.number,
        "round": rounds.get(version.id),
        # now, phase by phase: the version is open for comments and a running phase opens the action on it
        "comments_open": action_open("draft_comments", version),
        "votes_open": action_open("draft_votes", version),
        "title": version.title,
        "status": version.status,
        "final": version.is_final,
        "published_at": _moment(version.published_at),
        "closed_at": _moment(version.closed_at),
        "summary_of_changes": version.summary_of_changes,
        "url": public_url("drafts.version", number=version.number),
    }


@bp.route("/versions")
def versions():
    public = db.session.scalars(
        select(MasterplanVersion).where(MasterplanVersion.status != PREPARING).order_by(MasterplanVersion.number)
    )
    rounds = _rounds()
    return jsonify(items=[_version(version, rounds) for version in public])


@bp.route("/versions/<int:number>")
def version(number: int):
    found = _public_version(number)
    chapters = db.session.scalars(
        select(Chapter).where(Chapter.version_id == found.id).order_by(Chapter.position)
    ).all()
    return jsonify(
        _version(found, _rounds())
        | {
            "chapters": [
                {
                    "id": chapter.id,
                    "number": chapter.position,
                    "title": chapter.title,
                    "topic": chapter.topic,
                    "introduction": chapter.introduction,
                    "comments": chapter.comment_count,
                }
                for chapter in chapters
            ]
        }
    )


def _paragraph(row) -> dict:
    paragraph, chapter_number = row
    return {
        "id": paragraph.id,
        "number": f"{chapter_number}.{paragraph.position}",
        "chapter_id": paragraph.chapter_id,
        "subheading": paragraph.subheading,
        "text": paragraph.text,
        "votes": {
            "agree": paragraph.agree_count,
            "neutral": paragraph.neutral_count,
            "disagree": paragraph.disagree_count,
        },
        "comments": paragraph.comment_count,
        "lineage": paragraph.lineage_key,
    }


@bp.route("/versions/<int:number>/paragraphs")
def paragraphs(number: int):
    found = _public_version(number)
    statement = (
        select(Paragraph, Chapter.position)
        .join(Chapter, Chapter.id == Paragraph.chapter_id)
        .where(Chapter.version_id == found.id)
        .order_by(Chapter.position, Paragraph.position)
    )
    return _page(
        statement, _paragraph, "api.paragraphs", fetch=lambda chosen: db.session.execute(chosen).all(), number=number
    )


# --- proposals and comments -----------------------------------------------------------------


def _proposal(proposal: Proposal) -> dict:
    return {
        "id": proposal.id,
        "title": proposal.title,
        "body": proposal.body,
        "topic": proposal.topic,
        "district": proposal.district,
        "chapter_id": proposal.chapter_id,
        "stakeholder_group": proposal.author_group,
        "status": proposal.status,
        "published_at": _moment(proposal.published_at or proposal.created_at),
        "supports": proposal.support_count,
        "comments": proposal.comment_count,
        "answer": proposal.answer or None,
        "answered_at": _moment(proposal.answered_at),
        "merged_into": proposal.merged_into_id,
        "url": public_url("proposals.show", proposal_id=proposal.id),
    }


@bp.route("/proposals")
def proposals():
    statement = select(Proposal).where(Proposal.status.in_(PUBLIC_STATUSES)).order_by(Proposal.id)
    topic = _choice("topic", list(TOPICS))
    status = _choice("status", list(PUBLIC_STATUSES))
    if topic:
        statement = statement.where(Proposal.topic == topic)
    if status:
        statement = statement.where(Proposal.status == status)
    return _page(statement, _proposal, "api.proposals", key=Proposal.id)


@bp.route("/proposals/<int:proposal_id>")
def proposal(proposal_id: int):
    found = db.session.scalar(select(Proposal).where(Proposal.id == proposal_id, Proposal.status.in_(PUBLIC_STATUSES)))
    if found is None:
        abort(404)
    return jsonify(_proposal(found))


def _comment(comment: Comment) -> dict:
    return {
        "id": comment.id,
        "proposal_id": comment.proposal_id,
        "chapter_id": comment.chapter_id,
        "paragraph_id": comment.paragraph_id,
        "measure_id": comment.measure_id,
        "parent_id": comment.parent_id,
        "kind": comment.kind,
        "body": comment.body,
        "stakeholder_group": comment.author_group,
        "published_at": _moment(comment.published_at or comment.created_at),
        "answer_status": comment.answer_status,
        "answer": comment.answer or None,
        "answered_at": _moment(comment.answered_at),
    }


@bp.route("/comments")
def comments():
    """Published comments; on a proposal only while the proposal is public (a measure that has
    comments is public: only published measures are discussed, and they stay published)."""
    public_proposals = select(Proposal.id).where(Proposal.status.in_(PUBLIC_STATUSES))
    public_measures = select(Measure.id).where(Measure.published_at.is_not(None))
    statement = (
        select(Comment)
        .where(
            Comment.status == PUBLISHED_COMMENT,
            (Comment.proposal_id.is_(None)) | Comment.proposal_id.in_(public_proposals),
            Comment.measure_id.is_(None) | Comment.measure_id.in_(public_measures),
        )
        .order_by(Comment.id)
    )
    proposal_id = _integer("proposal", None, 1, 2**31 - 1)
    paragraph_id = _integer("paragraph", None, 1, 2**31 - 1)
    if proposal_id is not None:
        statement = statement.where(Comment.proposal_id == proposal_id)
    if paragraph_id is not None:
        statement = statement.where(Comment.paragraph_id == paragraph_id)
    return _page(statement, _comment, "api.comments", key=Comment.id)


# --- phases ---------------------------------------------------------------------------------


def _phase(phase: Phase, numbers: dict[int, int]) -> dict:
    opens_version = any(phase.opens(action, phase.version_id) for action in VERSION_ACTIONS)
    return {
        "slug": phase.slug,
        "title": {"de": phase.title_de, "en": phase.title_en},
        "description": {"de": phase.description_de, "en": phase.description_en},
        "starts_at": _moment(phase.starts_at),
        "ends_at": _moment(phase.ends_at),
        "opens": phase.opened_actions,
        # the public version whose comments and votes it opens (none while that one is prepared)
        "version": numbers.get(phase.version_id) if opens_version else None,
        "running": phase.is_running(),
    }


@bp.route("/phases")
def phases():
    """Every phase of the process, in order: when it runs, what it opens and on which version."""
    numbers = dict(
        db.session.execute(
            select(MasterplanVersion.id, MasterplanVersion.number).where(MasterplanVersion.status != PREPARING)
        ).all()
    )
    return jsonify(items=[_phase(phase, numbers) for phase in all_phases()])
