"""The moderation's queues: contributions waiting for approval, reported ones, hidden ones and
blocked accounts. Each is one paginated query plus one query per kind of item on the page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from math import ceil

from markupsafe import Markup
from sqlalchemy import case, func, literal, or_, select, union_all
from sqlalchemy.orm import joinedload, lazyload, selectinload

from participation.accounts.models import User
from participation.comments.models import Comment
from participation.core import cache
from participation.core.audit import ModerationDecision
from participation.core.cache import fragments
from participation.core.models import utcnow
from participation.drafts.models import Chapter
from participation.extensions import db
from participation.moderation.models import FLAG_REASONS, OPEN, Flag
from participation.moderation.services import HELD_REASONS
from participation.proposals.models import HIDDEN, PENDING, Proposal

PER_PAGE = 20
KINDS = ("proposal", "comment")


@dataclass
class Filters:
    kind: str = ""
    topic: str = ""
    reason: str = ""

    def args(self) -> dict:
        return {name: value for name, value in vars(self).items() if value}


@dataclass
class Item:
    kind: str
    target: Proposal | Comment
    since: datetime
    # the newest flags, and how many there are by reason
    flags: list[Flag] = field(default_factory=list)
    reason_counts: dict[str, int] = field(default_factory=dict)
    flag_count: int = 0

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.target.id}"


@dataclass
class QueuePage:
    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def _comments_on_topic(topic: str, among):
    """Ids of the comments `among` (a condition) on the topic: that of their proposal, of the
    chapter or of the measure they are about. `among` keeps the join to the few in a queue.
    Measures sit above moderation: their class comes from the comment's relationship."""
    measure = Comment.measure.property.mapper.class_
    return (
        select(Comment.id)
        .outerjoin(Proposal, Proposal.id == Comment.proposal_id)
        .outerjoin(Chapter, Chapter.id == Comment.chapter_id)
        .outerjoin(measure, measure.id == Comment.measure_id)
        .where(among, func.coalesce(Proposal.topic, Chapter.topic, measure.topic) == topic)
    )


def _waiting(status: str, filters: Filters):
    """(kind, id, since) of the proposals and comments in `status`, as one union."""
    parts = []
    if filters.kind in ("", "proposal"):
        proposals = select(
            literal("proposal").label("kind"), Proposal.id.label("id"), Proposal.created_at.label("since")
        )
        proposals = proposals.where(Proposal.status == status)
        if filters.topic:
            proposals = proposals.where(Proposal.topic == filters.topic)
        if filters.reason and status == PENDING:
            proposals = proposals.where(Proposal.held_because.contains(filters.reason, autoescape=True))
        parts.append(proposals)
    if filters.kind in ("", "comment"):
        comments = select(literal("comment").label("kind"), Comment.id.label("id"), Comment.created_at.label("since"))
        comments = comments.where(Comment.status == status)  # the same words as for proposals
        if filters.topic:
            comments = comments.where(Comment.id.in_(_comments_on_topic(filters.topic, Comment.status == status)))
        if filters.reason and status == PENDING:
            comments = comments.where(Comment.held_because.contains(filters.reason, autoescape=True))
        parts.append(comments)
    return union_all(*parts).subquery() if len(parts) > 1 else parts[0].subquery()


def _reported(filters: Filters):
    """(proposal_id, comment_id, flags, since) of items with open flags."""
    statement = select(
        Flag.proposal_id,
        Flag.comment_id,
        func.count(Flag.id).label("flags"),
        func.min(Flag.created_at).label("since"),
    ).where(Flag.status == OPEN)
    if filters.kind == "proposal":
        statement = statement.where(Flag.proposal_id.is_not(None))
    elif filters.kind == "comment":
        statement = statement.where(Flag.comment_id.is_not(None))
    if filters.topic:
        statement = statement.where(
            or_(
                Flag.proposal_id.in_(select(Proposal.id).where(Proposal.topic == filters.topic)),
                Flag.comment_id.in_(
                    _comments_on_topic(
                        filters.topic, Comment.id.in_(select(Flag.comment_id).where(Flag.status == OPEN))
                    )
                ),
            )
        )
    statement = statement.group_by(Flag.proposal_id, Flag.comment_id)
    if filters.reason:
        statement = statement.having(func.sum(case((Flag.reason == filters.reason, 1), else_=0)) > 0)
    return statement.subquery()


def _page_of(subquery, order, page: int, per_page: int):
    total = db.session.scalar(select(func.count()).select_from(subquery)) or 0
    page = min(page, max(1, ceil(total / per_page)))
    rows = db.session.execute(select(subquery).order_by(*order).limit(per_page).offset((page - 1) * per_page)).all()
    return rows, page, total


def _load(kind_ids: list[tuple[str, int]]) -> dict[tuple[str, int], Proposal | Comment]:
    """The items of a page, with their authors (names only) and, for comments, what they are
    about: one query per kind and relation, however many items."""
    options = {
        "proposal": (joinedload(Proposal.author).lazyload(User.role_rows),),
        "comment": (
            joinedload(Comment.author).lazyload(User.role_rows),
            # a comment's proposal is shown by its title alone
            selectinload(Comment.proposal).options(lazyload(Proposal.author), lazyload(Proposal.organisation)),
            selectinload(Comment.chapter),
            selectinload(Comment.measure),
        ),
    }
    loaded: dict[tuple[str, int], Proposal | Comment] = {}
    for kind, model in (("proposal", Proposal), ("comment", Comment)):
        ids = [ident for k, ident in kind_ids if k == kind]
        if ids:
            rows = db.session.scalars(select(model).options(*options[kind]).where(model.id.in_(ids)))
            loaded.update({(kind, row.id): row for row in rows})
    return loaded


def waiting(status: str, filters: Filters, page: int, per_page: int = PER_PAGE) -> QueuePage:
    """Waiting (pending) or hidden items, oldest first."""
    union = _waiting(status, filters)
    rows, page, total = _page_of(union, (union.c.since, union.c.kind, union.c.id), page, per_page)
    loaded = _load([(row.kind, row.id) for row in rows])
    items = [Item(row.kind, loaded[(row.kind, row.id)], row.since) for row in rows if (row.kind, row.id) in loaded]
    if status == HIDDEN:
        _attach_flags(items, only_open=False)
    return QueuePage(items, page, per_page, total)


def reported(filters: Filters, page: int, per_page: int = PER_PAGE) -> QueuePage:
    """Items with open flags: the most flagged first, then the longest waiting."""
    grouped = _reported(filters)
    order = (grouped.c.flags.desc(), grouped.c.since, grouped.c.proposal_id, grouped.c.comment_id)
    rows, page, total = _page_of(grouped, order, page, per_page)
    keys = [("proposal", row.proposal_id) if row.proposal_id else ("comment", row.comment_id) for row in rows]
    loaded = _load(keys)
    items = [Item(key[0], loaded[key], row.since) for key, row in zip(keys, rows, strict=True) if key in loaded]
    _attach_flags(items, only_open=True)
    return QueuePage(items, page, per_page, total)


SHOWN_FLAGS = 5  # the newest flags of an item shown in full; the rest are counted by reason


def _attach_flags(items: list[Item], only_open: bool) -> None:
    """Each item's flags: how many for each reason, and the newest few with their notes. Two
    queries for the page, however many flags an item has gathered."""
    by_key = {(item.kind, item.target.id): item for item in items}
    conditions = []
    for kind, column in (("proposal", Flag.proposal_id), ("comment", Flag.comment_id)):
        ids = [ident for k, ident in by_key if k == kind]
        if ids:
            conditions.append(column.in_(ids))
    if not conditions:
        return
    which = [or_(*conditions)] + ([Flag.status == OPEN] if only_open else [])

    def key_of(proposal_id, comment_id):
        return ("proposal", proposal_id) if proposal_id else ("comment", comment_id)

    counts = select(Flag.proposal_id, Flag.comment_id, Flag.reason, func.count(Flag.id)).where(*which)
    for proposal_id, comment_id, reason, number in db.session.execute(
        counts.group_by(Flag.proposal_id, Flag.comment_id, Flag.reason)
    ):
        item = by_key[key_of(proposal_id, comment_id)]
        item.reason_counts[reason] = number
        item.flag_count += number
    newest = (
        select(
            Flag.id,
            func.row_number()
            .over(
                partition_by=(Flag.proposal_id, Flag.comment_id),
                order_by=(Flag.created_at.desc(), Flag.id.desc()),
            )
            .label("rank"),
        )
        .where(*which)
        .subquery()
    )
    shown = select(Flag).join(newest, newest.c.id == Flag.id).where(newest.c.rank <= SHOWN_FLAGS)
    for flag in db.session.scalars(shown.order_by(Flag.created_at.desc(), Flag.id.desc())):
        by_key[key_of(flag.proposal_id, flag.comment_id)].flags.append(flag)


def _blocked_now():
    now = utcnow()
    return (User.blocked_at.is_not(None), or_(User.blocked_until.is_(None), User.blocked_until > now))


def blocked(page: int, per_page: int = PER_PAGE) -> QueuePage:
    """Accounts blocked now, the longest blocked first, with their roles (only admins block staff)."""
    statement = select(User.id.label("id"), User.blocked_at.label("since")).where(*_blocked_now()).subquery()
    rows, page, total = _page_of(statement, (statement.c.since, statement.c.id), page, per_page)
    chosen = select(User).options(selectinload(User.role_rows)).where(User.id.in_([r.id for r in rows]))
    users = {user.id: user for user in db.session.scalars(chosen)}
    return QueuePage([users[row.id] for row in rows if row.id in users], page, per_page, total)


def shared(template: str, key: tuple, context) -> Markup:
    """A queue page's body as the staff who share `key` see it, kept for QUEUE_CACHE_SECONDS under
    the newest logged decision: one's own decision shows at once, others' within those seconds
    (and deciding again what someone else decided meanwhile is refused with who did)."""
    newest = db.session.scalar(select(func.max(ModerationDecision.id)))
    return fragments.fill(fragments.shared(template, (*key, newest), context))


# the summary through a shared store: counts and the oldest waiting time as ISO text
SUMMARY = cache.Codec(
    lambda counts: {name: [count, oldest and oldest.isoformat()] for name, (count, oldest) in counts.items()},
    lambda data: {name: (count, oldest and datetime.fromisoformat(oldest)) for name, (count, oldest) in data.items()},
)


def summary(with_hidden: bool) -> dict[str, tuple[int, datetime | None]]:
    """Per queue: how many items and since when the oldest waits. Shown on every queue page, so
    it is shared for QUEUE_CACHE_SECONDS (participation.core.cache.registry)."""
    return cache.value("moderation queue summary", (with_hidden,), lambda: _count_queues(with_hidden), codec=SUMMARY)


def _count_queues(with_hidden: bool) -> dict[str, tuple[int, datetime | None]]:
    empty = Filters()
    result = {}
    for name, subquery in (("new", _waiting(PENDING, empty)), ("reported", _reported(empty))) + (
        (("hidden", _waiting(HIDDEN, empty)),) if with_hidden else ()
    ):
        count, oldest = db.session.execute(select(func.count(), func.min(subquery.c.since)).select_from(subquery)).one()
        result[name] = (count, oldest)
    count, oldest = db.session.execute(
        select(func.count(User.id), func.min(User.blocked_at)).where(*_blocked_now())
    ).one()
    result["blocked"] = (count, oldest)
    return result


REASONS = {"new": HELD_REASONS, "reported": FLAG_REASONS}
