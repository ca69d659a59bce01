"""The rounds side by side: per version round, who took part, what they contributed, how they
voted and how much of it was accepted, so that round 1 stays visible when round 2 opens.

Each kind of participation is one grouped query for all rounds: a moment is placed in its round
by the publication dates of the versions, a vote or draft comment by the version it was made on.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import case, func, literal, select, union_all

from participation.comments.models import PUBLISHED as PUBLISHED_COMMENT
from participation.comments.models import Comment
from participation.core.spreadsheet import NUMBER, Column, Sheet
from participation.drafts.models import Chapter, DraftVote, Paragraph
from participation.drafts.rounds import Round, everything, version_rounds
from participation.extensions import db
from participation.incorporation.services import TAKEN
from participation.proposals.models import Proposal, Support
from participation.statistics import charts, scope
from participation.statistics.figure import Figure


def _by_moment(column, rounds: list[Round]):
    """The number of the version round the moment `column` falls in, as SQL."""
    bounds = [(column < round_.ends_at, round_.number) for round_ in rounds if round_.ends_at is not None]
    return case(*bounds, else_=rounds[-1].number) if bounds else literal(rounds[-1].number)


def _by_version(column, rounds: list[Round]):
    """The number of the version round of the version `column`, as SQL (NULL for no public one)."""
    return case({round_.version_id: round_.number for round_ in rounds}, value=column, else_=None)


def _comment_round(rounds: list[Round]):
    """A draft comment counts in its version's round, a comment on a proposal in its time's."""
    return case(
        (Comment.chapter_id.is_not(None), _by_version(Chapter.version_id, rounds)),
        else_=_by_moment(Comment.created_at, rounds),
    )


def _people(rounds: list[Round]) -> dict[int, int]:
    """{round number: people who took part in it}, in one query."""
    whole = everything()
    everyone = union_all(
        select(Proposal.author_id.label("user_id"), _by_moment(Proposal.created_at, rounds).label("rnd")).where(
            scope.proposals(whole)
        ),
        select(Comment.author_id, _comment_round(rounds))
        .outerjoin(Chapter, Chapter.id == Comment.chapter_id)
        .where(scope.comments(whole)),
        select(DraftVote.user_id, _by_version(Chapter.version_id, rounds))
        .join(Paragraph, Paragraph.id == DraftVote.paragraph_id)
        .join(Chapter, Chapter.id == Paragraph.chapter_id),
        select(Support.user_id, _by_moment(Support.created_at, rounds)).where(scope.supports(whole)),
    ).subquery()
    return dict(
        db.session.execute(
            select(everyone.c.rnd, func.count(func.distinct(everyone.c.user_id)))
            .where(everyone.c.user_id.is_not(None))
            .group_by(everyone.c.rnd)
        ).all()
    )


def _counted(rows) -> dict[int, tuple[int, int]]:
    return {number: (int(count), int(accepted or 0)) for number, count, accepted in rows}


def across_rounds(_round: Round | None = None) -> Figure:
    """One row per version round; the same whichever round the report shows."""
    rounds = version_rounds()
    people, proposals, comments, votes = {}, {}, {}, {}
    if rounds:
        people = _people(rounds)
        in_round = _by_moment(Proposal.created_at, rounds)
        proposals = _counted(
            db.session.execute(
                select(in_round, func.count(), func.sum(case((Proposal.status.in_(TAKEN), 1), else_=0)))
                .where(scope.proposals(everything()))
                .group_by(in_round)
            )
        )
        comment_round = _comment_round(rounds)
        comments = _counted(
            db.session.execute(
                select(comment_round, func.count(), func.sum(case((Comment.answer_status.in_(TAKEN), 1), else_=0)))
                .outerjoin(Chapter, Chapter.id == Comment.chapter_id)
                .where(scope.comments(everything()), Comment.status == PUBLISHED_COMMENT)
                .group_by(comment_round)
            )
        )
        vote_round = _by_version(Chapter.version_id, rounds)
        votes = dict(
            db.session.execute(
                select(vote_round, func.count())
                .select_from(DraftVote)
                .join(Paragraph, Paragraph.id == DraftVote.paragraph_id)
                .join(Chapter, Chapter.id == Paragraph.chapter_id)
                .group_by(vote_round)
            ).all()
        )
    rows = []
    for round_ in rounds:
        made, accepted = (
            sum(pair)
            for pair in zip(proposals.get(round_.number, (0, 0)), comments.get(round_.number, (0, 0)), strict=True)
        )
        rows.append((round_.label, people.get(round_.number, 0), made, votes.get(round_.number, 0), accepted))
    columns = [
        Column("round", _("Round"), width=32),
        Column("participants", _("People"), NUMBER, 12),
        Column("contributions", _("Proposals and comments"), NUMBER, 14),
        Column("votes", _("Votes"), NUMBER, 12),
        Column("accepted", _("Accepted (fully or partly)"), NUMBER, 14),
    ]
    sheet = Sheet("rounds", _("The rounds compared"), columns, rows)
    kinds = [column.heading for column in columns[1:]]
    chart_rows = [
        (f"{_('Round %(number)d', number=round_.number)}: {kind}", value)
        for round_, row in zip(rounds, rows, strict=True)
        for kind, value in zip(kinds, row[1:], strict=True)
    ]
    return Figure(sheet, lambda: charts.bar_chart(sheet.name, chart_rows))
