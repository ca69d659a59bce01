"""Where the home page leads: what the running phases open, each with a direct action, how long
they stay open (in Cologne time), and where each phase of the timeline happens."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import url_for
from flask_babel import format_date, get_locale, ngettext, to_user_timezone
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from participation.core.models import utcnow
from participation.drafts.models import CONSULTATION, MasterplanVersion
from participation.extensions import db
from participation.phases import services as phase_services
from participation.phases.models import Phase, all_phases, next_phase, running_phases
from participation.phases.situation import moment


@dataclass
class Action:
    label: str
    url: str
    note: str = ""  # a hint beside the link (for visitors: that they log in first)


@dataclass
class OpenPhase:
    phase: Phase
    title: str
    until: str  # "until 5 January 2027, 18:00 — 30 days left"
    actions: list[Action] = field(default_factory=list)


def _versions(phases: list[Phase]) -> dict[int, MasterplanVersion]:
    """The public versions the phases name, in one query: a version being prepared is not linked."""
    ids = {phase.version_id for phase in phases if phase.version_id}
    if not ids:
        return {}
    rows = db.session.scalars(select(MasterplanVersion).where(MasterplanVersion.id.in_(ids)))
    return {version.id: version for version in rows if version.is_public}


def _at_midnight(value: datetime) -> bool:
    local = to_user_timezone(value)
    return (local.hour, local.minute, local.second) == (0, 0, 0)


def when(value: datetime) -> str:
    """A phase's start in Cologne: "5. Januar 2027", with the time unless it is midnight."""
    return format_date(value, "long") if _at_midnight(value) else moment(value)


def last_day(end: datetime) -> date:
    """The last day in Cologne on which a phase is open: a phase that ends at midnight ends with
    the day before (one that ends on 5 January at 0:00 is open until 4 January, inclusive)."""
    day = to_user_timezone(end).date()
    return day - timedelta(days=1) if _at_midnight(end) else day


def when_over(end: datetime) -> str:
    """A phase's end as people count it: its last day, with the time unless it ends at midnight."""
    return format_date(last_day(end), "long") if _at_midnight(end) else moment(end)


def days_left(end: datetime, now: datetime) -> int:
    """The days in Cologne on which the phase is still open, today included (1 on its last day)."""
    return (last_day(end) - to_user_timezone(now).date()).days + 1


def until(phase: Phase, now: datetime) -> str:
    if phase.ends_at is None:
        return _("open with no end date set")
    days = days_left(phase.ends_at, now)
    left = _("last day") if days <= 1 else ngettext("%(num)d day left", "%(num)d days left", days)
    return _("until %(end)s — %(left)s", end=when_over(phase.ends_at), left=left)


def period(phase: Phase) -> str:
    """The days a phase runs, for the timeline: "6. November 2026 bis 4. Januar 2027"."""
    start = format_date(phase.starts_at, "medium")
    if phase.ends_at is None:
        return _("from %(start)s", start=start)
    return _("%(start)s to %(end)s", start=start, end=format_date(last_day(phase.ends_at), "medium"))


def _draft_action(phase: Phase, version: MasterplanVersion | None) -> Action | None:
    if version is None or version.status != CONSULTATION:
        return None
    url = url_for("drafts.version", number=version.number)
    if phase.opens_draft_comments:
        return Action(_("Read and comment on version %(number)d", number=version.number), url)
    if phase.opens_draft_votes:
        return Action(_("Read and vote on version %(number)d", number=version.number), url)
    return None


def actions_of(phase: Phase, version: MasterplanVersion | None) -> list[Action]:
    actions = []
    draft = _draft_action(phase, version)
    if draft:
        actions.append(draft)
    if phase.opens_proposals:
        if current_user.is_authenticated:
            actions.append(Action(_("Submit a proposal"), url_for("proposals.new")))
        else:
            actions.append(
                Action(
                    _("Submit a proposal"),
                    url_for("auth.login", next=url_for("proposals.new")),
                    _("You log in or register first."),
                )
            )
    if phase.opens_supports:
        actions.append(Action(_("Support proposals"), url_for("proposals.index")))
    if phase.opens_measure_comments:
        actions.append(Action(_("Comment on measures"), url_for("measures.index")))
    return actions


def open_now(now: datetime | None = None) -> list[OpenPhase]:
    now = now or utcnow()
    running = running_phases()
    versions = _versions(running)
    locale = str(get_locale())
    return [
        OpenPhase(
            phase,
            phase.localized("title", locale),
            until(phase, now),
            actions_of(phase, versions.get(phase.version_id)),
        )
        for phase in running
    ]


def upcoming(now: datetime | None = None) -> dict | None:
    """The next phase's title and start, in words."""
    phase = next_phase(now or utcnow())
    if phase is None:
        return None
    return {"title": phase.localized("title", str(get_locale())), "start": when(phase.starts_at)}


def timeline_link(phase: Phase, version: MasterplanVersion | None, now: datetime) -> Action | None:
    """Where the phase's action happens, running or not: its version (which stays readable), the
    proposals, or for a phase without actions that has begun, the proposals with their answers."""
    if version is not None:
        if phase.is_running(now) and _draft_action(phase, version):
            return _draft_action(phase, version)
        return Action(
            _("Read version %(number)d", number=version.number), url_for("drafts.version", number=version.number)
        )
    if phase.opens_proposals or phase.opens_supports:
        return Action(_("To the proposals"), url_for("proposals.index"))
    if phase.opens_measure_comments:
        return Action(_("To the measures"), url_for("measures.index"))
    if not phase.opened_actions and phase.starts_at <= now:
        return Action(_("Proposals and their answers"), url_for("proposals.index"))
    return None


def timeline(phases: list[Phase], now: datetime | None = None) -> list[tuple[Phase, str, Action | None]]:
    """Each phase with the days it runs and where its action happens."""
    now = now or utcnow()
    versions = _versions(phases)
    return [(phase, period(phase), timeline_link(phase, versions.get(phase.version_id), now)) for phase in phases]


def state(now: datetime | None = None) -> tuple:
    """What the shared home page depends on besides time: the day in Cologne (the days left),
    which phases run, every phase's fields, and the status of every version (a digest of a few
    short rows)."""
    now = now or utcnow()
    phases = all_phases()
    # every version's number and status: which a phase links to, and where taken input shows
    rows: list = [
        tuple(
            db.session.execute(
                select(MasterplanVersion.id, MasterplanVersion.number, MasterplanVersion.status).order_by(
                    MasterplanVersion.id
                )
            ).all()
        )
    ]
    rows += [(phase.id, phase_services.state(phase)) for phase in phases]  # as the audit log keeps it
    return (
        to_user_timezone(now).date().isoformat(),
        tuple(phase.id for phase in phases if phase.is_running(now)),
        hashlib.sha256(repr(rows).encode()).hexdigest()[:20],
    )
