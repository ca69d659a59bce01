"""Deleting an account (Art. 17 GDPR), by the person with their password or by an admin on a
written request. Never commits: the request does, so a failure leaves the account whole.

The debate stays readable while the person leaves it:
- proposals and comments stay where they are, signed "deleted account" (their author is
  emptied; the stakeholder group and an organisation spoken for stay, as they are not the
  person); on request their texts go too: a comment becomes the placeholder its author gets
  when deleting it, a proposal keeps its place, status and thread with a neutral title and
  text, and its earlier wordings are deleted;
- votes and supports stay counted and point at nobody (their user_id is emptied);
- everything else that points at the account is emptied when it records what happened (a
  measure's change, a moderation decision taken, a role granted to someone else) or deleted
  when it was only the account's (roles, follows, memberships, mail choices, uploads waiting);
  the columns are read from the models' foreign keys, so a table added later is covered;
- mail: what waits for the account (at its address, or written to it at an earlier one or at a
  new one not yet confirmed) is deleted, what went out is blanked as the retention purge does
  (participation.privacy.retention);
- the audit log keeps its entries about the account, but no longer names it
  (participation.privacy.unnamed);
- the account itself is deleted, with its address, name, password and session salt, so every
  session and remember-me cookie dies with it.
Then one audit entry says what was done, with counts, and for an admin their reason; it names
nobody who was deleted.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from types import SimpleNamespace

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, delete, func, or_, select, update

from participation.accounts.models import User, UserRole
from participation.comments.models import DELETED, Comment
from participation.comments.services import delete_comment
from participation.core.audit import record_decision, register_actions, register_targets
from participation.core.cache import revisions
from participation.core.models import utcnow
from participation.exports.freshness import OPEN_DATA, STATE_ID
from participation.extensions import db
from participation.mail.models import PENDING as MAIL_PENDING
from participation.mail.models import OutboxMessage
from participation.privacy import unnamed
from participation.privacy.retention import BLANK
from participation.proposals.models import PENDING, Proposal, ProposalRevision
from participation.proposals.services import withdraw

SELF, ON_REQUEST = "delete_own_account", "delete_account_on_request"
register_actions({SELF: _l("Account deleted by its owner"), ON_REQUEST: _l("Account deleted on a written request")})
register_targets({"deleted_account": _l("Deleted account")})
# what the log names as the target: an account that no longer exists (hence no number)
GONE = SimpleNamespace(__tablename__="deleted_account", id=0)

# a proposal whose author removed its text: language-neutral, as the text itself was
REMOVED_TITLE = "Text entfernt · Text removed"
REMOVED_BODY = (
    "Die Person, die diesen Vorschlag geschrieben hat, hat ihren Text entfernt.\n\n"
    "The person who wrote this proposal removed its text."
)


class LastAdministrator(Exception):
    """The account is the only administrator's: deleting it would leave nobody to run the site."""


@dataclass
class Deleted:
    """What a deletion did, in counts: the audit entry's content."""

    texts_removed: bool
    proposals: int = 0
    comments: int = 0
    votes: int = 0
    supports: int = 0
    mail_deleted: int = 0
    mail_blanked: int = 0


class AccountGone(Exception):
    """The account was deleted a moment ago, by a request that committed first."""


def is_last_administrator(person: User, lock: bool = False) -> bool:
    """Whether no other administrator could run the site (a blocked one cannot). With `lock`,
    the administrators' roles are locked first: two of them deleting their accounts at once
    take turns, and the second sees the first gone."""
    if not person.has_role("admin"):
        return False
    if lock:
        db.session.execute(select(UserRole.user_id).where(UserRole.role == "admin").with_for_update())
    now = utcnow()
    others = db.session.scalar(
        select(func.count())
        .select_from(UserRole)
        .join(User, User.id == UserRole.user_id)
        .where(
            UserRole.role == "admin",
            UserRole.user_id != person.id,
            User.anonymised_at.is_(None),
            or_(User.blocked_at.is_(None), and_(User.blocked_until.is_not(None), User.blocked_until <= now)),
        )
    )
    return others == 0


def _references():
    """Every column that points at an account, from the models' foreign keys."""
    account_id = User.__table__.c.id
    for table in db.metadata.sorted_tables:
        for key in table.foreign_keys:
            if key.column is account_id:
                yield key.parent


def _execute(statement):
    return db.session.execute(statement, execution_options={"synchronize_session": False})


def _remove_proposal_text(proposal: Proposal) -> None:
    if proposal.status == PENDING:  # nothing left for the moderation to review
        withdraw(proposal)
    proposal.title, proposal.body = REMOVED_TITLE, REMOVED_BODY
    _execute(delete(ProposalRevision).where(ProposalRevision.proposal_id == proposal.id))


def _contributions(person: User, remove_texts: bool, done: Deleted) -> None:
    """Through the ORM, so the pages that show them are known to be out of date at once
    (participation.core.cache.revisions): no cached page keeps the name."""
    for comment in db.session.scalars(select(Comment).where(Comment.author_id == person.id)):
        if remove_texts and comment.status != DELETED:
            delete_comment(comment)
        comment.author = None
        done.comments += 1
    for proposal in db.session.scalars(select(Proposal).where(Proposal.author_id == person.id)):
        if remove_texts:
            _remove_proposal_text(proposal)
        proposal.author = None
        done.proposals += 1
    db.session.flush()


def _everything_else(person: User, done: Deleted) -> None:
    for column in _references():
        table = column.table
        if column.nullable:
            result = _execute(update(table).where(column == person.id).values({column.name: None}))
        else:
            result = _execute(delete(table).where(column == person.id))
        if table.name == "draft_vote":
            done.votes = result.rowcount
        elif table.name == "support":
            done.supports = result.rowcount


def _mail(person: User, done: Deleted) -> None:
    """The account's mail: written to it (at any address it had), or to its address. Never by
    a new address it asked for: that may be somebody else's, whose mail is theirs."""
    mine = or_(OutboxMessage.user_id == person.id, OutboxMessage.recipient == person.email)
    done.mail_deleted = _execute(delete(OutboxMessage).where(mine, OutboxMessage.status == MAIL_PENDING)).rowcount
    done.mail_blanked = _execute(
        update(OutboxMessage).where(mine, OutboxMessage.purged_at.is_(None)).values(**BLANK, purged_at=utcnow())
    ).rowcount


def delete_account(person: User, actor: User | None = None, remove_texts: bool = False, reason: str | None = None):
    """Delete `person`'s account; `actor` is the admin acting on a written request (None: the
    person themselves). Raises LastAdministrator rather than leave the site without one."""
    if db.session.scalar(select(User.id).where(User.id == person.id).with_for_update()) is None:
        raise AccountGone()
    db.session.refresh(person)  # as it is now, under the lock: its name and address may have changed
    if is_last_administrator(person, lock=True):
        raise LastAdministrator()
    done = Deleted(texts_removed=remove_texts)
    _contributions(person, remove_texts, done)
    # after the chapters' and proposals' revisions (the order every writer keeps): the measures'
    # pages show commenters too
    revisions.touch(db.session, OPEN_DATA.name, [STATE_ID])
    _mail(person, done)  # before its user_id is emptied with the other columns
    unnamed.forget(person, GONE.__tablename__, GONE.id)
    _everything_else(person, done)
    _execute(delete(User).where(User.id == person.id))
    db.session.expunge(person)
    record_decision(actor, ON_REQUEST if actor is not None else SELF, GONE, reason=reason, after=asdict(done))
    return done
