"""What happened to a contribution: submitted, moderated, answered, taken into the plan, with
dates, read from the contribution, the audit log and the incorporation records."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from participation.comments.models import Comment
from participation.core.audit import ModerationDecision
from participation.core.hiding import HIDE_REASONS
from participation.extensions import db
from participation.incorporation.services import taken_into
from participation.proposals.models import STATUSES

MODERATION = ("approve", "hide", "hide_and_block", "restore", "merge", "dismiss_reports")
ANSWERS = ("answer_proposal", "answer_comment")


@dataclass
class Step:
    title: str
    when: datetime | None = None
    text: str = ""
    note: str = ""  # only for the author and the staff
    link: tuple[str, dict] | None = None


@dataclass
class Path:
    contribution: object
    submitted: Step
    moderation: list[Step] = field(default_factory=list)
    answers: list[Step] = field(default_factory=list)
    taken: list = field(default_factory=list)


def _decisions(target) -> list[ModerationDecision]:
    return list(
        db.session.scalars(
            select(ModerationDecision)
            .where(ModerationDecision.target_type == target.__tablename__, ModerationDecision.target_id == target.id)
            .order_by(ModerationDecision.created_at, ModerationDecision.id)
        )
    )


def _after(decision: ModerationDecision) -> dict:
    import json

    return json.loads(decision.state_after) if decision.state_after else {}


def path_of(contribution) -> Path:
    is_comment = isinstance(contribution, Comment)
    path = Path(contribution, Step(_("Submitted"), contribution.created_at))
    held = contribution.held_because
    if held:
        path.moderation.append(Step(_("Held for review by the moderation"), contribution.created_at))
    elif contribution.published_at:
        path.moderation.append(Step(_("Published at once"), contribution.published_at))
    for decision in _decisions(contribution):
        if decision.action in MODERATION:
            text = ""
            if decision.action in ("hide", "hide_and_block") and decision.reason:
                text = _("Reason: %(reason)s", reason=HIDE_REASONS.get(decision.reason, decision.reason))
            link = None
            if decision.action == "merge" and _after(decision).get("merged_into"):
                link = ("proposals.show", {"proposal_id": _after(decision)["merged_into"]})
            path.moderation.append(Step(decision.action_label, decision.created_at, text, decision.note or "", link))
        elif decision.action in ANSWERS:
            after = _after(decision)
            status = after.get("answer_status" if is_comment else "status", "")
            path.answers.append(Step(str(STATUSES.get(status, status)), decision.created_at, after.get("answer", "")))
    key = {"comment_ids": [contribution.id]} if is_comment else {"proposal_ids": [contribution.id]}
    path.taken = taken_into(**key)
    return path
