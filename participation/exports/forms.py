"""The filters of the planners' exports: a GET form whose every value is checked against what exists."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import contains_eager
from wtforms import SelectField
from wtforms.validators import ValidationError

from participation.accounts.models import STAKEHOLDER_GROUPS
from participation.core.forms import FlaskForm, choices
from participation.drafts.models import TOPICS, Chapter, MasterplanVersion
from participation.drafts.rounds import version_rounds
from participation.exports.datasets import STATUS_CHOICES, Filters
from participation.extensions import db
from participation.phases.models import all_phases
from participation.proposals.models import STATUSES

UNKNOWN = _l("Please choose one of the options listed.")


class ExportFilterForm(FlaskForm):
    class Meta:
        csrf = False

    phase = SelectField(_l("Phase"), validate_choice=False)
    version = SelectField(_l("Version of the masterplan"), validate_choice=False)
    round = SelectField(
        _l("Round"),
        validate_choice=False,
        description=_l(
            "Votes and draft comments belong to the round of the version they are on; proposals, supports "
            "and comments on proposals to the round in which they were written."
        ),
    )
    chapter = SelectField(_l("Chapter"), validate_choice=False)
    topic = SelectField(_l("Topic"), validate_choice=False)
    status = SelectField(_l("Status"), validate_choice=False)
    group = SelectField(_l("Stakeholder group"), validate_choice=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # what exists, by the value a filter takes: empty until set_choices (a form without any
        # filter has nothing to check and filters nothing)
        self._phases: dict = {}
        self._versions: dict = {}
        self._rounds: dict = {}
        self._chapters: dict = {}

    def set_choices(self) -> None:
        locale = str(get_locale())
        self._phases = {str(phase.id): phase for phase in all_phases()}
        versions = db.session.scalars(select(MasterplanVersion).order_by(MasterplanVersion.number))
        self._versions = {str(version.number): version for version in versions}
        self._rounds = {round_.key: round_ for round_ in version_rounds()}
        chapters = db.session.scalars(
            select(Chapter)
            .join(MasterplanVersion)
            .options(contains_eager(Chapter.version))
            .order_by(MasterplanVersion.number, Chapter.position)
        )
        self._chapters = {str(chapter.id): chapter for chapter in chapters}
        every = _l("all")
        self.phase.choices = choices(
            {key: phase.localized("title", locale) for key, phase in self._phases.items()}, every
        )
        self.version.choices = choices({key: f"{key}: {v.title}" for key, v in self._versions.items()}, every)
        self.round.choices = choices({key: round_.label for key, round_ in self._rounds.items()}, every)
        self.chapter.choices = choices(
            {key: f"{c.version.number} · {c.position} {c.title}" for key, c in self._chapters.items()}, every
        )
        self.topic.choices = choices(TOPICS, every)
        self.status.choices = choices({status: STATUSES[status] for status in STATUS_CHOICES}, every)
        self.group.choices = choices(STAKEHOLDER_GROUPS, every)

    @staticmethod
    def _known(field, known) -> None:
        if field.data and field.data not in known:
            raise ValidationError(UNKNOWN)

    def validate_phase(self, field):
        self._known(field, self._phases)

    def validate_version(self, field):
        self._known(field, self._versions)

    def validate_round(self, field):
        self._known(field, self._rounds)

    def validate_chapter(self, field):
        self._known(field, self._chapters)
        version = self._versions.get(self.version.data or "")
        chapter = self._chapters.get(field.data or "")
        if version is not None and chapter is not None and chapter.version_id != version.id:
            raise ValidationError(_l("This chapter belongs to another version than the one chosen."))

    def validate_topic(self, field):
        self._known(field, TOPICS)

    def validate_status(self, field):
        self._known(field, STATUS_CHOICES)

    def validate_group(self, field):
        self._known(field, STAKEHOLDER_GROUPS)

    @property
    def versions(self) -> list[MasterplanVersion]:
        """Every version, by number (once the choices are set)."""
        return list(self._versions.values())

    def filters(self) -> Filters:
        return Filters(
            phase=self._phases.get(self.phase.data or ""),
            version=self._versions.get(self.version.data or ""),
            round=self._rounds.get(self.round.data or ""),
            chapter=self._chapters.get(self.chapter.data or ""),
            topic=self.topic.data or "",
            status=self.status.data or "",
            group=self.group.data or "",
        )

    def args(self) -> dict:
        """The chosen filters as query arguments, for the download links."""
        return {name: value for name, value in self.data.items() if value}
