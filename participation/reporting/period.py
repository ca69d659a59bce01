"""The participation figures of a report's period, as the participation report counts them
(participation.statistics.scope): proposals, comments, votes, supports and the people who made
them, by stakeholder group, with no group of fewer than the public minimum shown
(participation.core.disclosure). Frozen with the snapshot as JSON."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select, union_all

from participation.accounts.models import STAKEHOLDER_GROUPS
from participation.comments.models import PUBLISHED as PUBLISHED_COMMENT
from participation.comments.models import Comment
from participation.core.disclosure import OTHER, OTHER_LABEL, split
from participation.drafts.models import TOPICS, DraftVote
from participation.drafts.rounds import Round
from participation.extensions import db
from participation.proposals.models import Proposal, Support
from participation.reporting.snapshot import day_end
from participation.statistics import scope

FIGURES = ("proposals", "comments", "votes", "supports", "participants")


def _one_day() -> timedelta:
    return timedelta(days=1)


def period_round(start: date, end: date) -> Round:
    """The report's period as a round of the participation report: from the first day's start
    until the end of the reporting day (Cologne time). No version's votes belong to it as such:
    votes and draft comments count by when they were made."""
    begins, ends = day_end(start - _one_day()), day_end(end)
    return Round("period", f"{start.isoformat()} – {end.isoformat()}", None, begins, ends)


def _comments(round_: Round):
    """Published comments made in the period, on the draft or on a public proposal."""
    on_proposals = Comment.proposal_id.is_(None) | Comment.proposal_id.in_(scope.public_proposal_ids())
    # as the participation report counts them: comments on measures are not the draft's
    not_on_measures = Comment.measure_id.is_(None)
    return (Comment.status == PUBLISHED_COMMENT) & on_proposals & not_on_measures & round_.window(Comment.created_at)


def figures(start: date, end: date) -> dict:
    """{"proposals": n, ..., "groups": [[group, people or None], ...], "topics": [[topic, n], ...]}"""
    round_ = period_round(start, end)
    proposals = scope.proposals(round_)
    comments = _comments(round_)
    votes = round_.window(DraftVote.created_at)
    supports = scope.supports(round_)
    counts = db.session.execute(
        select(
            select(func.count(Proposal.id)).where(proposals).scalar_subquery(),
            select(func.count(Comment.id)).where(comments).scalar_subquery(),
            select(func.count(DraftVote.id)).where(votes).scalar_subquery(),
            select(func.count(Support.id)).where(supports).scalar_subquery(),
        )
    ).one()
    everyone = union_all(
        select(Proposal.author_id.label("user_id"), Proposal.author_group.label("grp")).where(proposals),
        select(Comment.author_id, Comment.author_group).where(comments),
        select(DraftVote.user_id, DraftVote.stakeholder_group).where(votes),
        select(Support.user_id, Support.stakeholder_group).where(supports),
    ).subquery()
    people = dict(
        db.session.execute(
            select(everyone.c.grp, func.count(func.distinct(everyone.c.user_id)))
            .where(everyone.c.user_id.is_not(None))
            .group_by(everyone.c.grp)
        ).all()
    )
    participants = db.session.scalar(
        select(func.count(func.distinct(everyone.c.user_id))).where(everyone.c.user_id.is_not(None))
    )
    shown = split(people, list(STAKEHOLDER_GROUPS))
    groups = [[group, shown[group]] for group in STAKEHOLDER_GROUPS]
    if shown[OTHER] != 0:
        groups.append([OTHER, shown[OTHER]])
    topics = dict(
        db.session.execute(select(Proposal.topic, func.count()).where(proposals).group_by(Proposal.topic)).all()
    )
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "proposals": counts[0],
        "comments": counts[1],
        "votes": counts[2],
        "supports": counts[3],
        "participants": participants or 0,
        "groups": groups,
        "topics": [[topic, topics.get(topic, 0)] for topic in TOPICS],
    }


def group_label(key: str) -> str:
    return str(OTHER_LABEL if key == OTHER else STAKEHOLDER_GROUPS.get(key, key))


def figure_labels() -> dict:
    return {
        "participants": _("People who took part"),
        "proposals": _("Proposals"),
        "comments": _("Comments"),
        "votes": _("Votes on the draft"),
        "supports": _("Supports of proposals"),
    }
