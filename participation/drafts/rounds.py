"""The rounds of the process, for figures and downloads that should not forget round 1 when
round 2 opens.

A version round is one public version of the masterplan and the time until the next one was
published: the votes and draft comments made on that version, and the proposals, supports and
proposal comments made in that time. Round 1 also holds everything before version 1 (the
collecting of ideas); the newest round runs until now. So the version rounds split all of the
participation between them, and their figures add up to the whole.

A phase round is one phase of the process: what was made within its time, and the votes and
draft comments on the version it opens (on no version if it opens none).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import and_, select

from participation.core.models import utcnow
from participation.drafts import services
from participation.drafts.models import MasterplanVersion
from participation.extensions import db
from participation.phases.models import Phase, all_phases

ALL = "all"


@dataclass(frozen=True)
class Round:
    key: str  # as in a URL: "v2", "p-ideas", or "all"
    label: str
    version_id: int | None  # whose votes and draft comments count (None: every version's, for "all")
    starts_at: datetime | None  # what was made from this moment (None: from the beginning)
    ends_at: datetime | None  # until before this moment (None: until now)
    number: int | None = None  # the version's number, for a version round

    @property
    def is_all(self) -> bool:
        return self.key == ALL

    def window(self, column):
        """A condition: `column` (a moment) lies within the round's time."""
        bounds = []
        if self.starts_at is not None:
            bounds.append(column >= self.starts_at)
        if self.ends_at is not None:
            bounds.append(column < self.ends_at)
        return and_(True, *bounds)

    def on_version(self, version_column):
        """A condition: `version_column` (a version id) is the round's version; every version
        for "all"; none for a phase that opens no version."""
        if self.is_all:
            return True
        return version_column == self.version_id if self.version_id is not None else False


def everything() -> Round:
    return Round(ALL, _("All rounds together"), None, None, None)


def version_rounds() -> list[Round]:
    """One round per public version, in order, splitting the whole time between them."""
    # in the order they were published: a copy started later may be opened earlier, and the
    # rounds must still follow each other in time
    versions = sorted(
        (v for v in services.public_versions() if v.published_at is not None), key=lambda v: (v.published_at, v.number)
    )
    rounds = []
    for index, version in enumerate(versions):
        following = versions[index + 1] if index + 1 < len(versions) else None
        rounds.append(
            Round(
                f"v{version.number}",
                _("Round %(number)d: version %(number)d", number=version.number),
                version.id,
                version.published_at if index else None,
                following.published_at if following else None,
                version.number,
            )
        )
    return rounds


def phase_round(phase: Phase, public_ids: set[int]) -> Round:
    """The phase's round; the votes and comments of its version only once that version is public
    (a phase may name a version still being prepared: nothing of it shows before it opens)."""
    return Round(
        f"p-{phase.slug}",
        _("Phase: %(title)s", title=phase.localized("title", str(get_locale()))),
        phase.version_id if phase.version_id in public_ids else None,
        phase.starts_at,
        phase.ends_at,
    )


def phase_rounds() -> list[Round]:
    """One round per phase that has started."""
    public_ids = {version.id for version in services.public_versions()}
    return [phase_round(phase, public_ids) for phase in all_phases() if phase.starts_at <= utcnow()]


def current_round() -> Round:
    """The round of the version the public reads now (open for comments, else the newest public
    one); everything while no version is public."""
    version = services.current_version()
    for round_ in version_rounds():
        if version is not None and round_.version_id == version.id:
            return round_
    return everything()


def find_round(key: str | None) -> Round | None:
    """The round named `key`; the current one without a key; None for a key that names none."""
    if not key:
        return current_round()
    if key == ALL:
        return everything()
    for round_ in (*version_rounds(), *phase_rounds()):
        if round_.key == key:
            return round_
    return None


def version_round_number(moment: datetime, rounds: list[Round] | None = None) -> int | None:
    """The number of the version round `moment` falls in (None before any version is public:
    then it falls in round 1 once there is one, so only while there is none)."""
    for round_ in rounds if rounds is not None else version_rounds():
        if (round_.starts_at is None or moment >= round_.starts_at) and (
            round_.ends_at is None or moment < round_.ends_at
        ):
            return round_.number
    return None


def version_number_of(version_id: int) -> int | None:
    return db.session.scalar(select(MasterplanVersion.number).where(MasterplanVersion.id == version_id))
