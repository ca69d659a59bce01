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
- mail: what waits for the account's addresses is deleted, what went out is blanked as the
  retention purge does (participation.privacy.retention);
- the audit log keeps its entries about the account, but no longer names it: they point at no
  account, and a display name or address in them is cut out. This is the one change the
  append-only log allows, which the law demands; it is made with plain SQL on purpose;
- the account itself is deleted, with its address, name, password and session salt, so every
  session and remember-me cookie dies with it.
Then one audit entry says what was done, with counts, and for an admin their reason; it names
nobody who was deleted.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from types import SimpleNamespace

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update

from participation.accounts.models import User, UserRole
from participation.comments.models import DELETED, Comment
from participation.comments.services import delete_comment
from participation.core.audit import ModerationDecision, record_decision, register_actions, register_targets
from participation.core.cache import revisions
from participation.core.models import utcnow
from participation.exports.freshness import OPEN_DATA, STATE_ID
from participation.extensions import db
from participation.mail.models import PENDING as MAIL_PENDING
from participation.mail.models import OutboxMessage
from participation.privacy.retention import BLANK
from participation.proposals.models import PENDING, Proposal, ProposalRevision
from participation.proposals.services import withdraw

SELF, ON_REQUEST = "delete_own_account", "delete_account_on_request"
register_actions({SELF: _l("Account deleted by its owner"), ON_REQUEST: _l("Account deleted on a written request")})
register_targets({"deleted_account": _l("Deleted account")})
# what the log names as the target: an account that no longer exists (hence no number)
GONE = SimpleNamespace(__tablename__="deleted_account", id=0)
CUT = "[…]"  # what replaces a deleted person's name or address in the audit log

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


def is_last_administrator(person: User) -> bool:
    if not person.has_role("admin"):
        return False
    others = db.session.scalar(
        select(func.count()).select_from(UserRole).where(UserRole.role == "admin", UserRole.user_id != person.id)
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


def _cut(text: str | None, person: User) -> str | None:
    if not text:
        return text
    for word in sorted({person.display_name, person.email, person.pending_email} - {None, ""}, key=len, reverse=True):
        text = text.replace(word, CUT)
    return text


def _audit_log(person: User) -> None:
    """The entries about the account stay, pointing at no account and without its name."""
    columns = ("reason", "note", "state_before", "state_after")
    rows = db.session.execute(
        select(ModerationDecision.id, *(getattr(ModerationDecision, name) for name in columns)).where(
            ModerationDecision.target_type == "user", ModerationDecision.target_id == person.id
        )
    ).all()
    for row in rows:
        values = {name: _cut(getattr(row, name), person) for name in columns}
        _execute(
            update(ModerationDecision)
            .where(ModerationDecision.id == row.id)
            .values(target_type=GONE.__tablename__, target_id=GONE.id, **values)
        )


def _mail(person: User, done: Deleted) -> None:
    addresses = [address for address in (person.email, person.pending_email) if address]
    mine = OutboxMessage.recipient.in_(addresses)
    done.mail_deleted = _execute(delete(OutboxMessage).where(mine, OutboxMessage.status == MAIL_PENDING)).rowcount
    done.mail_blanked = _execute(
        update(OutboxMessage).where(mine, OutboxMessage.purged_at.is_(None)).values(**BLANK, purged_at=utcnow())
    ).rowcount


def delete_account(person: User, actor: User | None = None, remove_texts: bool = False, reason: str | None = None):
    """Delete `person`'s account; `actor` is the admin acting on a written request (None: the
    person themselves). Raises LastAdministrator rather than leave the site without one."""
    db.session.execute(select(User.id).where(User.id == person.id).with_for_update())
    if is_last_administrator(person):
        raise LastAdministrator()
    done = Deleted(texts_removed=remove_texts)
    revisions.touch(db.session, OPEN_DATA.name, [STATE_ID])  # the measures' pages show commenters too
    _contributions(person, remove_texts, done)
    _everything_else(person, done)
    _audit_log(person)
    _mail(person, done)
    _execute(delete(User).where(User.id == person.id))
    db.session.expunge(person)
    record_decision(actor, ON_REQUEST if actor is not None else SELF, GONE, reason=reason, after=asdict(done))
    return done
