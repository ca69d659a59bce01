"""Managing the phases: creating, changing, moving, ending and deleting them, with the rules a
phase must keep checked in one place (`problems`). Services change the session and flush, write
the audit log, and never commit: the request does."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from participation.core.audit import record_decision
from participation.core.models import utcnow
from participation.extensions import db
from participation.phases.models import ACTIONS, VERSION_ACTIONS, Phase, all_phases
from participation.phases.situation import moment

TITLE_MAX = 150
SLUG_MAX = 50  # the column holds 60: room for a "-2" that makes it unique


class PhaseInvalid(Exception):
    """The values break a rule; `problems` holds the messages by field."""

    def __init__(self, problems: dict[str, list[str]]):
        super().__init__(problems)
        self.problems = problems


@dataclass
class PhaseValues:
    """What an admin enters for a phase; moments in UTC, `ends_at` None for open-ended."""

    title_de: str
    title_en: str
    starts_at: datetime | None
    ends_at: datetime | None = None
    description_de: str = ""
    description_en: str = ""
    opens: set[str] = field(default_factory=set)
    version_id: int | None = None

    def __post_init__(self):
        # a version only says where comments and votes open: without either it means nothing, and
        # keeping it would show a binding that has no effect (so it is cleared, not refused: an
        # admin who stops comments and votes need not also empty the version field)
        if not self.opens & set(VERSION_ACTIONS):
            self.version_id = None


def _minute(moment: datetime | None) -> datetime | None:
    """A moment as the form shows it (to the minute; whole-hour offsets: the same in UTC and Cologne)."""
    return moment.replace(second=0, microsecond=0) if moment is not None else None


def _overlap(starts_a, ends_a, starts_b, ends_b, now: datetime) -> bool:
    """Whether two spans of time share a moment from `now` on (an end of None lies in the future
    forever). What ran together before now is history: it can open nothing any more, so a phase
    may start today although one on the other version ran until an hour ago."""
    starts_a, starts_b = max(starts_a, now), max(starts_b, now)
    if (ends_a is not None and ends_a <= starts_a) or (ends_b is not None and ends_b <= starts_b):
        return False
    return (ends_b is None or starts_a < ends_b) and (ends_a is None or starts_b < ends_a)


def problems(values: PhaseValues, phase: Phase | None = None) -> dict[str, list[str]]:
    """Every rule the values break, as messages by field (empty when they may be saved).
    `phase` is the phase being changed, so that it is not compared with itself."""
    found: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        found.setdefault(name, []).append(message)

    if not values.title_de:
        add("title_de", _("Please enter the German title."))
    elif len(values.title_de) > TITLE_MAX:
        add("title_de", _("Please use at most %(max)d characters.", max=TITLE_MAX))
    if not values.title_en:
        add("title_en", _("Please enter the English title."))
    elif len(values.title_en) > TITLE_MAX:
        add("title_en", _("Please use at most %(max)d characters.", max=TITLE_MAX))
    unknown = values.opens - set(ACTIONS)
    if unknown:
        add("opens", _("Unknown action."))
    if values.starts_at is None:
        add("starts_at", _("Please enter the day the phase starts."))
    elif phase is not None and phase.starts_at <= utcnow() and _minute(values.starts_at) != _minute(phase.starts_at):
        # what ran, ran: moving a started phase's start would rewrite the process's history (and
        # a start moved into the future would let the phase be deleted)
        add("starts_at", _("The phase has started: its start stays as it was. You can end the phase instead."))
    elif values.ends_at is not None and values.ends_at <= values.starts_at:
        add("ends_at", _("The end must lie after the start."))
    version_actions = values.opens & set(VERSION_ACTIONS)
    if version_actions and values.version_id is None:
        add("version_id", _("Please choose the version whose comments or votes the phase opens."))
    if version_actions and values.version_id is not None and values.starts_at is not None and "ends_at" not in found:
        now = utcnow()
        for other in all_phases():
            if other is phase or other.version_id in (None, values.version_id):
                continue
            clash = [action for action in version_actions if getattr(other, f"opens_{action}")]
            if clash and _overlap(values.starts_at, values.ends_at, other.starts_at, other.ends_at, now):
                add("version_id", _clash_message(other, clash))
    return found


def _clash_message(other: Phase, clash: list[str]) -> str:
    title = other.localized("title", str(get_locale()))
    if other.ends_at is None:
        span = _("from %(start)s", start=moment(other.starts_at))
    else:
        span = _("%(start)s to %(end)s", start=moment(other.starts_at), end=moment(other.ends_at))
    if clash == ["draft_votes"]:
        return _(
            "The phase “%(title)s” (%(span)s) opens votes on another version at the same time. "
            "Votes may be open on one version at a time: choose its version or times that do not overlap.",
            title=title,
            span=span,
        )
    return _(
        "The phase “%(title)s” (%(span)s) opens comments on another version at the same time. "
        "Comments may be open on one version at a time: choose its version or times that do not overlap.",
        title=title,
        span=span,
    )


def slug_for(title: str) -> str:
    """A unique slug from the German title: „Entwurf 2 prüfen“ -> "entwurf-2-pruefen"."""
    text = title.lower()
    for umlaut, spelled in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, spelled)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    base = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:SLUG_MAX].strip("-") or "phase"
    taken = set(db.session.scalars(select(Phase.slug).where(Phase.slug.like(f"{base}%"))))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def state(phase: Phase) -> dict:
    """What the audit log keeps of a phase, before and after a change."""
    return {
        "slug": phase.slug,
        "position": phase.position,
        "title_de": phase.title_de,
        "title_en": phase.title_en,
        "description_de": phase.description_de,
        "description_en": phase.description_en,
        "starts_at": phase.starts_at.isoformat(timespec="seconds"),
        "ends_at": phase.ends_at.isoformat(timespec="seconds") if phase.ends_at else None,
        "opens": phase.opened_actions,
        "version_id": phase.version_id,
    }


def _apply(phase: Phase, values: PhaseValues) -> None:
    phase.title_de, phase.title_en = values.title_de, values.title_en
    phase.description_de, phase.description_en = values.description_de, values.description_en
    phase.starts_at, phase.ends_at = values.starts_at, values.ends_at
    for action in ACTIONS:
        setattr(phase, f"opens_{action}", action in values.opens)
    phase.version_id = values.version_id


def _check(values: PhaseValues, phase: Phase | None = None) -> None:
    found = problems(values, phase)
    if found:
        raise PhaseInvalid(found)


def create_phase(actor, values: PhaseValues) -> Phase:
    """A new phase, placed last; its slug (used in addresses of figures) comes from the German title."""
    _check(values)
    last = db.session.scalar(select(func.max(Phase.position)))
    phase = Phase(slug=slug_for(values.title_de), position=(last or 0) + 1)
    _apply(phase, values)
    db.session.add(phase)
    db.session.flush()
    record_decision(actor, "phase_created", phase, after=state(phase))
    return phase


def change_phase(actor, phase: Phase, values: PhaseValues) -> bool:
    """Save the values; False when nothing changed (no audit entry then). The slug stays: the
    figures' addresses name the phase by it."""
    # the form shows moments to the minute: one sent back unchanged keeps its seconds (an end set
    # by "end now", a start set by the seed), so that saving a new title changes nothing else
    if values.starts_at is not None and _minute(values.starts_at) == _minute(phase.starts_at):
        values.starts_at = phase.starts_at
    if values.ends_at is not None and phase.ends_at is not None and _minute(values.ends_at) == _minute(phase.ends_at):
        values.ends_at = phase.ends_at
    _check(values, phase)
    before = state(phase)
    _apply(phase, values)
    db.session.flush()
    after = state(phase)
    if before == after:
        return False
    record_decision(actor, "phase_changed", phase, before=before, after=after)
    return True


def move_phase(actor, phase: Phase, offset: int) -> bool:
    """Up (-1) or down (+1) in the order the phases are listed in; False at either end."""
    order = all_phases()
    index = order.index(phase)
    target = index + offset
    if offset not in (-1, 1) or not 0 <= target < len(order):
        return False
    before = phase.position
    order[index], order[target] = order[target], order[index]
    for position, each in enumerate(order, start=1):
        each.position = position
    db.session.flush()
    record_decision(actor, "phase_moved", phase, before={"position": before}, after={"position": phase.position})
    return True


def can_end(phase: Phase, now: datetime | None = None) -> bool:
    return phase.is_running(now)


def end_phase(actor, phase: Phase) -> bool:
    """A running phase ends now; False for one that has not started or is over."""
    now = utcnow()
    if not can_end(phase, now) or phase.starts_at >= now:
        return False
    before = state(phase)
    phase.ends_at = now
    db.session.flush()
    record_decision(actor, "phase_ended", phase, before=before, after=state(phase))
    return True


def can_delete(phase: Phase, now: datetime | None = None) -> bool:
    """Only a phase that has not started: a started one is part of the process's history (and of
    its figures) and can only be ended."""
    return phase.starts_at > (now or utcnow())


def delete_phase(actor, phase: Phase) -> bool:
    if not can_delete(phase):
        return False
    record_decision(actor, "phase_deleted", phase, before=state(phase))
    db.session.delete(phase)
    db.session.flush()
    for position, each in enumerate(all_phases(), start=1):
        each.position = position
    db.session.flush()
    return True
