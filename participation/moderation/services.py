"""Flags (reports to the moderation) and the moderation's decisions on proposals and comments
(whether a new one waits: core/premoderation.py). Services flush; the request commits once.

A decision is taken on one item at a time, under the item's row lock, and only while the item
is still in the state the moderator saw in the queue: of two moderators deciding the same item
at once, the second is told who decided first. Nothing is deleted: hiding keeps the text, the
reason and the earlier state, and admins can restore it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from participation.accounts.blocking import block_user
from participation.comments import models as comment_states
from participation.comments.models import Comment
from participation.comments.notices import tell_about
from participation.comments.services import count_published
from participation.core.audit import ModerationDecision, record_decision
from participation.core.hiding import BY_FLAGS, HIDE_REASONS
from participation.core.i18n import N_
from participation.core.models import insert_ignoring_conflict, utcnow
from participation.core.permissions import can_block
from participation.core.settings import get_setting
from participation.extensions import db
from participation.mail.notifications import notify
from participation.moderation.models import DISMISSED, OPEN, UPHELD, Flag
from participation.proposals import models as proposal_states
from participation.proposals.models import MERGED, PUBLIC_STATUSES, Follow, Proposal, Support

# why a contribution waits for review (shown to moderators in the queue)
HELD_REASONS = {
    "honeypot": _l("A field for robots was filled in"),
    "links": _l("Many links"),
    "repeated": _l("The same text again"),
    "first": _l("One of the author's first contributions"),
    "all": _l("Every contribution is checked"),
    "offline": _l("Offline input recorded by staff"),
}
QUEUES = ("new", "reported", "hidden")
# what may be decided in which queue; restoring is for admins only
ACTIONS = {
    "new": ("approve", "hide", "merge", "hide_and_block"),
    "reported": ("dismiss_reports", "hide", "merge", "hide_and_block"),
    "hidden": ("restore",),
}
NEEDS_REASON = ("hide", "hide_and_block")


def _target_column(target):
    return ("comment_id", Flag.comment_id) if isinstance(target, Comment) else ("proposal_id", Flag.proposal_id)


# --- flags -----------------------------------------------------------------------------------


def flag(user, target, reason: str, note: str = "") -> bool:
    """One flag per person and item, even when the form is sent twice at once; True if new.
    Enough open flags hide the item until a moderator decides."""
    name, _column = _target_column(target)
    values = {"reporter_id": user.id, name: target.id, "reason": reason, "note": note, "created_at": utcnow()}
    added = insert_ignoring_conflict(Flag, ("reporter_id", name), dict(values, status=OPEN))
    if added and open_flags(target) >= get_setting("hide_threshold") and is_shown(target):
        _lock(target)
        if is_shown(target):
            _hide(target, BY_FLAGS, "")
    return added


def flag_by(user, target) -> Flag | None:
    """The person's own earlier flag on the item, if any."""
    _name, column = _target_column(target)
    return db.session.scalar(select(Flag).where(Flag.reporter_id == user.id, column == target.id))


def open_flags(target) -> int:
    _name, column = _target_column(target)
    return db.session.scalar(select(func.count(Flag.id)).where(column == target.id, Flag.status == OPEN))


def close_flags(target, status: str) -> int:
    _name, column = _target_column(target)
    return db.session.execute(
        update(Flag)
        .where(column == target.id, Flag.status == OPEN)
        .values(status=status, decided_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount


def dismiss_flags_on(target) -> None:
    """Its author took the item back (withdrawn, deleted): its flags no longer wait. Hears
    core.hiding.taken_back (connected in participation.lend_parts)."""
    close_flags(target, DISMISSED)


# --- pre-moderation (whether something waits: core/premoderation.py) -------------------------


def held_labels(held_because: str) -> list[str]:
    return [str(HELD_REASONS.get(reason, reason)) for reason in held_because.split(",") if reason]


# --- state of an item ------------------------------------------------------------------------


def is_shown(target) -> bool:
    if isinstance(target, Comment):
        return target.status == comment_states.PUBLISHED
    return target.status in PUBLIC_STATUSES


def _lock(target) -> None:
    """Take the item's row lock (PostgreSQL) or the write lock (SQLite) and read it afresh."""
    model = type(target)
    db.session.execute(
        update(model)
        .where(model.id == target.id)
        .values(status=model.status)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(target)


def _state(target) -> dict:
    return {"status": target.status, "reason": target.moderation_reason, "note": target.moderation_note}


def _publish(target) -> None:
    """Approve a waiting item, or bring a hidden one back to the state it had before."""
    was_shown = is_shown(target)
    if target.status == proposal_states.HIDDEN:  # the same word for comments
        target.status = target.status_before_hidden or proposal_states.PUBLISHED
    else:
        target.status = proposal_states.PUBLISHED
    target.status_before_hidden = None
    if is_shown(target):
        target.published_at = target.published_at or utcnow()
    target.moderation_reason, target.hidden_at = None, None
    if isinstance(target, Comment) and is_shown(target) and not was_shown:
        count_published(target, +1)


def _hide(target, reason: str, note: str) -> None:
    if target.status != proposal_states.HIDDEN:  # the same word for comments
        if isinstance(target, Comment) and target.status == comment_states.PUBLISHED:
            count_published(target, -1)
        target.status_before_hidden = target.status
        target.status = proposal_states.HIDDEN
    target.moderation_reason, target.moderation_note = reason, note
    target.hidden_at = target.hidden_at or utcnow()


def waits_in(target, queue: str) -> bool:
    """Whether the item is still in the queue the moderator saw it in."""
    if queue == "new":
        return target.status == proposal_states.PENDING  # the same word for comments
    if queue == "reported":  # shown, or hidden by the flags alone; never what a moderator hid
        return (is_shown(target) or target.hidden_by_flags) and open_flags(target) > 0
    return target.status == proposal_states.HIDDEN


def last_decision(target) -> ModerationDecision | None:
    return db.session.scalar(
        select(ModerationDecision)
        .where(ModerationDecision.target_type == target.__tablename__, ModerationDecision.target_id == target.id)
        .order_by(ModerationDecision.id.desc())
        .limit(1)
    )


def _already_decided(target) -> str:
    earlier = last_decision(target)
    if earlier is None:
        return _("no longer waits for a decision (its author changed, withdrew or deleted it)")
    return _(
        "was already decided by %(name)s: %(action)s",
        name=earlier.actor.display_name if earlier.actor else _("someone"),
        action=earlier.action_label,
    )


# --- decisions -------------------------------------------------------------------------------


@dataclass
class Decision:
    queue: str
    action: str
    reason: str = ""
    note: str = ""
    duplicate_of: Proposal | None = None
    block_until: object = None
    # the text the moderator saw: {item_key: fingerprint}; None where no one saw it (seeds, tests)
    seen: dict | None = None


def item_key(target) -> str:
    return f"{'comment' if isinstance(target, Comment) else 'proposal'}:{target.id}"


def fingerprint(target) -> str:
    """A short digest of the text as shown in the queue: a decision on a text its author has
    changed since is not taken."""
    text = target.body if isinstance(target, Comment) else f"{target.title}\n{target.body}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def describe(target) -> str:
    if isinstance(target, Comment):
        return _("Comment %(id)d", id=target.id)
    return _("Proposal %(id)d “%(title)s”", id=target.id, title=target.title)


def decide(actor, target, decision: Decision) -> str | None:
    """Take one decision on one item; None when done, otherwise why it was not taken."""
    if decision.action not in ACTIONS.get(decision.queue, ()):
        return _("this decision is not possible here")
    if decision.action == "merge" and not isinstance(target, Proposal):
        return _("only proposals can be merged")
    if decision.action == "merge" and (decision.duplicate_of is None or decision.duplicate_of.id == target.id):
        return _("please name another proposal to merge into")
    if decision.action == "hide_and_block" and not (target.author and can_block(actor, target.author)):
        return _("you cannot block this author")
    if decision.action == "merge":
        # both proposals under their locks, in the order of their ids (no deadlock between merges)
        for proposal in sorted((target, decision.duplicate_of), key=lambda item: item.id):
            _lock(proposal)
        if decision.duplicate_of.status not in PUBLIC_STATUSES or decision.duplicate_of.status == MERGED:
            return _("the proposal to merge into is no longer public")
    else:
        _lock(target)
    if not waits_in(target, decision.queue):
        return _already_decided(target)
    if decision.seen is not None and decision.seen.get(item_key(target)) not in (None, fingerprint(target)):
        return _("was changed by its author after you saw it; please look at it again")
    before = _state(target)
    action = decision.action
    reason = decision.reason if action in NEEDS_REASON else None
    if action == "approve":
        first_time = getattr(target, "published_at", None) is None  # not a published one edited since
        _publish(target)
        _tell_author(target, "approved")
        if isinstance(target, Comment) and first_time:  # public only now: who waits for it hears of it now
            tell_about(target)
    elif action == "dismiss_reports":
        close_flags(target, DISMISSED)
        if target.hidden_by_flags:
            _publish(target)
    elif action in ("hide", "hide_and_block"):
        close_flags(target, UPHELD)
        _hide(target, decision.reason, decision.note)
        _tell_author(target, "hidden")
        if action == "hide_and_block":
            block_user(actor, target.author, str(HIDE_REASONS[decision.reason]), decision.block_until)
    elif action == "merge":
        close_flags(target, UPHELD)
        merge(target, decision.duplicate_of)
    elif action == "restore":
        _publish(target)
    record_decision(
        actor,
        action,
        target,
        reason=reason,
        note=decision.note or None,
        before=before,
        after=dict(_state(target), **({"merged_into": target.merged_into_id} if action == "merge" else {})),
    )
    return None


def decide_many(actor, keys, decision: Decision, settle) -> tuple[int, list[str]]:
    """`decision` on every item of `keys` ((kind, id) pairs), each checked on its own (a batch
    action checks every item, not the first one). After each item `settle(decided)` ends its
    transaction, so that one refused item does not undo the others and each row lock is held
    for one item only: the caller commits or rolls back there, this service never does.
    Returns how many were decided and why the others were not."""
    models = {"proposal": Proposal, "comment": Comment}
    done, refused = 0, []
    for kind, ident in keys:
        target = db.session.get(models[kind], ident)
        if target is None:
            refused.append(_("Item %(id)d no longer exists.", id=ident))
            continue
        why_not = decide(actor, target, decision)
        settle(why_not is None)
        if why_not is None:
            done += 1
        else:
            refused.append(_("Not decided: %(item)s %(why)s.", item=describe(target), why=why_not))
    return done, refused


def merge(duplicate: Proposal, into: Proposal) -> None:
    """The duplicate's supports move to the proposal it repeats (one per person, never the
    author's own), its followers follow that one and are told; the duplicate keeps the rest."""
    duplicate.published_at = duplicate.published_at or utcnow()
    duplicate.status, duplicate.merged_into_id = MERGED, into.id
    duplicate.moderation_reason, duplicate.hidden_at = None, None
    already = select(Support.user_id).where(Support.proposal_id == into.id)
    db.session.execute(
        update(Support)
        .where(
            Support.proposal_id == duplicate.id,
            Support.user_id.not_in(already),
            Support.user_id != func.coalesce(into.author_id, 0),
        )
        .values(proposal_id=into.id)
        .execution_options(synchronize_session=False)
    )
    for proposal in (duplicate, into):
        db.session.execute(
            update(Proposal)
            .where(Proposal.id == proposal.id)
            .values(
                support_count=select(func.count(Support.id)).where(Support.proposal_id == proposal.id).scalar_subquery()
            )
            .execution_options(synchronize_session=False)
        )
        db.session.expire(proposal, ["support_count"])
    followers = list(db.session.scalars(select(Follow.user_id).where(Follow.proposal_id == duplicate.id)))
    for user_id in followers:
        insert_ignoring_conflict(
            Follow, ("user_id", "proposal_id"), {"user_id": user_id, "proposal_id": into.id, "created_at": utcnow()}
        )
    from participation.accounts.models import User

    people = db.session.scalars(select(User).where(User.id.in_(followers))) if followers else []
    notify(
        people,
        "answers",
        N_("A proposal you follow was merged into another"),
        "proposal_merged",
        proposal=duplicate,
        into=into,
    )


def _tell_author(target, what: str) -> None:
    """The author hears of a hiding (with the reason and the note) or an approval."""
    if target.author is None:
        return
    subjects = {
        "approved": N_("Your contribution is published"),
        "hidden": N_("The moderation has hidden your contribution"),
    }
    is_proposal = isinstance(target, Proposal)
    notify([target.author], "moderation", subjects[what], f"moderation_{what}", target=target, is_proposal=is_proposal)
