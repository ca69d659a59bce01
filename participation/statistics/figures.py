"""The participation report's figures: each one a table (a `Sheet` with its rows, which the page
shows under its chart and the downloads write as XLSX or CSV) and the chart drawn from it.

Every figure is made for a round of the process (participation.drafts.rounds: a version, a
phase, or all of them; statistics.scope says what counts in it) and is one or two grouped queries,
whatever the size of the data; the page that shows them is shared for REPORT_CACHE_SECONDS.
"""

from __future__ import annotations

from flask_babel import format_percent
from flask_babel import gettext as _
from sqlalchemy import func, literal_column, select, union_all

from participation.accounts.models import STAKEHOLDER_GROUPS
from participation.comments.models import Comment
from participation.core.audit import ACTION_LABELS, ModerationDecision
from participation.core.disclosure import OTHER, OTHER_LABEL, anything_merged, share, split, split_table
from participation.core.hiding import HIDE_REASONS
from participation.core.spreadsheet import NUMBER, TEXT, Column, Sheet
from participation.drafts import services as drafts
from participation.drafts.models import TOPICS, Chapter, DraftVote, MasterplanVersion, Paragraph
from participation.drafts.rounds import Round
from participation.extensions import db
from participation.incorporation.services import reach as input_reach
from participation.moderation.models import Flag
from participation.moderation.services import ACTIONS
from participation.proposals.models import HIDDEN, PUBLIC_STATUSES, STATUSES, Proposal, Support
from participation.statistics import charts, comparison, scope
from participation.statistics.figure import Figure

EXTREMES = 5  # paragraphs with the most consensus and the most controversy
MIN_VOTES = 3  # a paragraph with fewer votes is neither


def _label(labels: dict, value) -> str:
    return str(labels[value]) if value in labels else (value or _("none"))


def _share(part: int, whole: int) -> str:
    return format_percent(part / whole, "#,##0 %") if whole else "–"


# --- who took part --------------------------------------------------------------------------


def _contributors(round_: Round):
    """(user, group) for every public contribution, vote and support of the round."""
    return union_all(
        select(Proposal.author_id.label("user_id"), Proposal.author_group.label("grp")).where(scope.proposals(round_)),
        select(Comment.author_id, Comment.author_group).where(scope.comments(round_)),
        select(DraftVote.user_id, DraftVote.stakeholder_group).where(
            DraftVote.paragraph_id.in_(scope.paragraphs(round_))
        ),
        select(Support.user_id, Support.stakeholder_group).where(scope.supports(round_)),
    ).subquery()


def participants(round_: Round) -> Figure:
    everyone = _contributors(round_)
    counts = dict(
        db.session.execute(
            select(everyone.c.grp, func.count(func.distinct(everyone.c.user_id)))
            .where(everyone.c.user_id.is_not(None))
            .group_by(everyone.c.grp)
        ).all()
    )
    shown = split(counts, list(STAKEHOLDER_GROUPS))
    rows = [(str(label), shown[group]) for group, label in STAKEHOLDER_GROUPS.items()]
    if shown[OTHER] != 0:
        rows.append((str(OTHER_LABEL), shown[OTHER]))
    columns = [Column("group", _("Stakeholder group"), width=32), Column("participants", _("People"), NUMBER, 12)]
    sheet = Sheet("participants", _("Participants by stakeholder group"), columns, rows)
    return Figure(sheet, lambda: charts.bar_chart(sheet.name, [row for row in rows if row[1] is not None]))


def _month(column):
    """The calendar month of a moment, as "2026-05", on either database."""
    if db.engine.dialect.name == "postgresql":
        return func.to_char(column, literal_column("'YYYY-MM'"))
    return func.strftime("%Y-%m", column)


def over_time(round_: Round) -> Figure:
    proposals = dict(
        db.session.execute(
            select(_month(Proposal.created_at), func.count())
            .where(scope.proposals(round_))
            .group_by(_month(Proposal.created_at))
        ).all()
    )
    comments = dict(
        db.session.execute(
            select(_month(Comment.created_at), func.count())
            .where(scope.comments(round_))
            .group_by(_month(Comment.created_at))
        ).all()
    )
    months = sorted(set(proposals) | set(comments))
    rows = [(month, proposals.get(month, 0), comments.get(month, 0)) for month in months]
    columns = [
        Column("month", _("Month"), width=10),
        Column("proposals", _("Proposals"), NUMBER, 12),
        Column("comments", _("Comments"), NUMBER, 12),
    ]
    sheet = Sheet("over_time", _("Contributions per month"), columns, rows)
    return Figure(sheet, lambda: charts.column_chart(sheet.name, [(m, p + c) for m, p, c in rows]))


# --- what it was about ----------------------------------------------------------------------


def by_topic(round_: Round) -> Figure:
    counts = dict(
        db.session.execute(
            select(Proposal.topic, func.count()).where(scope.proposals(round_)).group_by(Proposal.topic)
        ).all()
    )
    rows = [(str(label), counts.get(topic, 0)) for topic, label in TOPICS.items()]
    columns = [Column("topic", _("Topic"), width=36), Column("proposals", _("Proposals"), NUMBER, 12)]
    sheet = Sheet("topics", _("Proposals by topic"), columns, rows)
    return Figure(sheet, lambda: charts.bar_chart(sheet.name, rows))


def _no_version(round_: Round) -> str:
    """Why a figure of one version's paragraphs is not shown for the round ("" when it is)."""
    if round_.is_all:
        return _("This figure is made for one version of the draft at a time: choose the round of a version.")
    if round_.version_id is None:
        return _("In this round no version of the draft was open for votes and comments.")
    return ""


def _version_of(round_: Round) -> MasterplanVersion | None:
    return db.session.get(MasterplanVersion, round_.version_id) if round_.version_id is not None else None


def by_chapter(round_: Round) -> Figure:
    """Per chapter of the round's version: its comments (kept in a column) and its votes."""
    version = None if round_.is_all else _version_of(round_)
    chapters = drafts.chapters_of(version) if version else []
    votes = dict(
        db.session.execute(
            select(
                Paragraph.chapter_id,
                func.sum(Paragraph.agree_count + Paragraph.neutral_count + Paragraph.disagree_count),
            )
            .where(Paragraph.chapter_id.in_([chapter.id for chapter in chapters]))
            .group_by(Paragraph.chapter_id)
        ).all()
    )
    rows = [
        (f"{chapter.position} {chapter.title}", chapter.comment_count, int(votes.get(chapter.id) or 0))
        for chapter in chapters
    ]
    columns = [
        Column("chapter", _("Chapter"), width=40),
        Column("comments", _("Comments"), NUMBER, 12),
        Column("votes", _("Votes"), NUMBER, 12),
    ]
    title = _("Comments and votes per chapter of version %(number)d", number=version.number) if version else ""
    sheet = Sheet("chapters", title or _("Comments and votes per chapter"), columns, rows)
    chart_rows = [(chapter, votes) for chapter, _c, votes in rows]
    return Figure(sheet, lambda: charts.bar_chart(sheet.name, chart_rows), _no_version(round_))


# --- what people think ----------------------------------------------------------------------

VALUES = ((1, "agree"), (0, "neutral"), (-1, "disagree"))


def _vote_labels() -> list[str]:
    from participation.drafts.models import VOTE_LABELS

    return [str(VOTE_LABELS[value]) for value, _key in VALUES]


def agreement_by_group(round_: Round) -> Figure:
    """The votes on the round's version, split by stakeholder group: the sum of what the
    paragraph pages show (participation.core.disclosure). A group's votes on a paragraph where
    it is merged or left out count under "other groups" here too; else the version's figure
    less the paragraphs that show the group would tell its votes on the one that does not."""
    columns = [value for value, _key in VALUES]
    groups = list(STAKEHOLDER_GROUPS)
    table: dict = {group: dict.fromkeys(columns, 0) for group in (*groups, OTHER)}
    dashed, counted = set(), set()  # groups dashed on some paragraph, shown with votes on some
    if round_.is_all or round_.version_id is not None:
        for split in drafts.vote_splits(list(db.session.scalars(scope.paragraphs(round_)))).values():
            shown = split_table(split, groups, columns)
            for group in groups:
                if shown[group][columns[0]] is None:
                    dashed.add(group)
                elif group in split:
                    counted.add(group)
            for column in columns:
                rest = sum(cells.get(column, 0) for cells in split.values())
                for group in groups:
                    table[group][column] += shown[group][column] or 0
                    rest -= shown[group][column] or 0
                table[OTHER][column] += rest
    for group in dashed - counted:  # its votes are all under "other groups": a dash, as on the pages
        table[group] = dict.fromkeys(columns)
    labels = _vote_labels()
    names = {**{group: str(label) for group, label in STAKEHOLDER_GROUPS.items()}, OTHER: str(OTHER_LABEL)}
    rows = []
    for group, split_row in table.items():
        if group == OTHER and not anything_merged(split_row):
            continue
        split_values = [split_row[value] for value, _key in VALUES]
        agreement = share(split_row, 1)
        rows.append((names[group], *split_values, _share(agreement, 1) if agreement is not None else None))
    columns = [Column("group", _("Stakeholder group"), width=32)]
    columns += [Column(key, label, NUMBER, 12) for (_value, key), label in zip(VALUES, labels, strict=True)]
    columns.append(Column("agreement", _("Agreement in %"), TEXT, 12))
    sheet = Sheet("agreement", _("Votes on the draft by stakeholder group"), columns, rows)
    whole = [(r[0], list(r[1:4])) for r in rows if None not in r[1:4]]  # a bar for each group shown in full
    note = "" if round_.is_all else _no_version(round_)
    return Figure(sheet, lambda: charts.stacked_bar_chart(sheet.name, whole, labels), note)


def consensus_and_controversy(round_: Round) -> Figure:
    """The paragraphs of the round's version with the broadest agreement and the most divided
    votes, each with the agreement of every stakeholder group."""
    version = None if round_.is_all else _version_of(round_)
    paragraphs = []
    if version is not None:
        paragraphs = list(
            db.session.scalars(
                select(Paragraph)
                .join(Chapter)
                .where(
                    Chapter.version_id == version.id,
                    Paragraph.agree_count + Paragraph.neutral_count + Paragraph.disagree_count >= MIN_VOTES,
                )
            )
        )
    counted = [(p, (p.agree_count, p.neutral_count, p.disagree_count)) for p in paragraphs]
    consensus = sorted(counted, key=lambda item: (-(drafts.agreement(*item[1]) or 0), item[0].id))[:EXTREMES]
    divided = [item for item in counted if drafts.controversy(*item[1]) > 0]
    controversy = sorted(divided, key=lambda item: (-drafts.controversy(*item[1]), item[0].id))[:EXTREMES]
    chosen = consensus + [item for item in controversy if item not in consensus]
    splits = drafts.vote_splits([paragraph.id for paragraph, _counts in chosen])
    groups = list(STAKEHOLDER_GROUPS)
    rows = []
    for kind, items in ((_("consensus"), consensus), (_("controversy"), controversy)):
        for paragraph, votes in items:
            table = split_table(splits.get(paragraph.id, {}), groups, [value for value, _key in VALUES])
            shares = []
            for group in (*groups, OTHER):
                agreement = share(table[group], 1) if group in table else None
                shares.append(_share(agreement, 1) if agreement is not None else "–")
            rows.append((kind, paragraph.number, sum(votes), _share(votes[0], sum(votes)), *shares))
    columns = [
        Column("kind", _("Kind"), width=14),
        Column("paragraph", _("Paragraph"), width=10),
        Column("votes", _("Votes"), NUMBER, 10),
        Column("agreement", _("Agreement in %"), TEXT, 12),
    ]
    columns += [Column(f"agreement_{group}", str(label), TEXT, 14) for group, label in STAKEHOLDER_GROUPS.items()]
    columns.append(Column(f"agreement_{OTHER}", str(OTHER_LABEL), TEXT, 14))
    sheet = Sheet("consensus", _("Consensus and controversy: agreement per paragraph and group"), columns, rows)
    chart_rows = [
        (f"{r[0]} {r[1]}", [p.agree_count, p.neutral_count, p.disagree_count])
        for r, (p, _v) in zip(rows, consensus + controversy, strict=True)
    ]
    return Figure(sheet, lambda: charts.stacked_bar_chart(sheet.name, chart_rows, _vote_labels()), _no_version(round_))


def proposals_by_status(round_: Round) -> Figure:
    counts = dict(
        db.session.execute(
            select(Proposal.status, func.count()).where(scope.proposals(round_)).group_by(Proposal.status)
        ).all()
    )
    rows = [(str(STATUSES[status]), counts.get(status, 0)) for status in PUBLIC_STATUSES]
    columns = [Column("status", _("Status"), width=30), Column("proposals", _("Proposals"), NUMBER, 12)]
    sheet = Sheet("statuses", _("Proposals by status"), columns, rows)
    return Figure(sheet, lambda: charts.bar_chart(sheet.name, rows))


def reached_the_plan(round_: Round) -> Figure:
    """Accepted proposals and comments made in the round, and how many are in a published version."""
    figures = input_reach(scope.proposals(round_), scope.comments(round_))
    rows = [
        (_("Proposals"), figures["proposals_accepted"], figures["proposals_taken"]),
        (_("Comments on the draft"), figures["comments_accepted"], figures["comments_taken"]),
    ]
    columns = [
        Column("kind", _("Contribution"), width=26),
        Column("accepted", _("Accepted (fully or partly)"), NUMBER, 14),
        Column("taken", _("In a published version"), NUMBER, 14),
    ]
    sheet = Sheet("reach", _("Accepted input that reached the plan"), columns, rows)
    labels = [_("accepted, not yet in the plan"), _("in the plan")]
    chart_rows = [(kind, [max(accepted - taken, 0), taken]) for kind, accepted, taken in rows]
    return Figure(sheet, lambda: charts.stacked_bar_chart(sheet.name, chart_rows, labels))


# --- moderation (planners only) -------------------------------------------------------------


def _seconds_between(start, end):
    if db.engine.dialect.name == "postgresql":
        return func.extract("epoch", end - start)
    return (func.julianday(end) - func.julianday(start)) * 86400


def _median(expression, *conditions) -> float | None:
    """The median of `expression` over the rows that meet `conditions`, by the database."""
    values = select(expression.label("value")).where(*conditions)
    count = db.session.scalar(select(func.count()).select_from(values.subquery()))
    if not count:
        return None
    return db.session.scalar(values.order_by(literal_column("value")).offset((count - 1) // 2).limit(1))


def moderation(round_: Round) -> Figure:
    """Reports made and decisions taken in the round's time, and what made then is hidden now."""
    moderation_actions = sorted({action for actions in ACTIONS.values() for action in actions})
    decided = dict(
        db.session.execute(
            select(ModerationDecision.action, func.count())
            .where(ModerationDecision.action.in_(moderation_actions), round_.window(ModerationDecision.created_at))
            .group_by(ModerationDecision.action)
        ).all()
    )
    hidden: dict = {}
    for model in (Proposal, Comment):
        for reason, count in db.session.execute(
            select(model.moderation_reason, func.count())
            .where(model.status == HIDDEN, round_.window(model.created_at))
            .group_by(model.moderation_reason)
        ):
            hidden[reason] = hidden.get(reason, 0) + count
    flags = db.session.scalar(select(func.count(Flag.id)).where(round_.window(Flag.created_at)))
    median = _median(
        _seconds_between(Flag.created_at, Flag.decided_at), Flag.decided_at.is_not(None), round_.window(Flag.decided_at)
    )
    rows = [(_("Reports"), flags), (_("Median hours from a report to its decision"), _hours(median))]
    rows += [(str(ACTION_LABELS[action]), decided.get(action, 0)) for action in moderation_actions]
    rows += [
        (_("Hidden now: %(reason)s", reason=_label(HIDE_REASONS, reason)), count)
        for reason, count in sorted(hidden.items(), key=lambda item: -item[1])
    ]
    columns = [Column("figure", _("Figure"), width=50), Column("value", _("Value"), NUMBER, 12)]
    sheet = Sheet("moderation", _("Moderation"), columns, rows)
    chart_rows = [(label, value) for label, value in rows[2:] if isinstance(value, int | float)]
    return Figure(sheet, lambda: charts.bar_chart(sheet.name, chart_rows))


def _hours(seconds: float | None) -> float | None:
    return None if seconds is None else round(float(seconds) / 3600, 1)


BUILDERS = {
    "participants": participants,
    "over_time": over_time,
    "topics": by_topic,
    "chapters": by_chapter,
    "agreement": agreement_by_group,
    "consensus": consensus_and_controversy,
    "statuses": proposals_by_status,
    "reach": reached_the_plan,
    "moderation": moderation,
    "rounds": comparison.across_rounds,
}  # by the key of the table each makes
PLANNERS_ONLY = ("moderation",)


def keys(full: bool) -> list[str]:
    """The figures of the planners' report (`full`) or of the public summary (without moderation)."""
    return [key for key in BUILDERS if full or key not in PLANNERS_ONLY]


def report(full: bool, round_: Round) -> list[Figure]:
    return [BUILDERS[key](round_) for key in keys(full)]
