"""Forms for writing and changing a proposal."""

from __future__ import annotations

import hashlib

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, Length

from participation.core.forms import choices, no_control_characters, strip_filter
from participation.drafts.models import TOPICS
from participation.organisations.forms import SpeakAsForm
from participation.proposals.models import BODY_MAX, DISTRICTS, TITLE_MAX


def text_digest(title: str, body: str) -> str:
    """Names a wording, so the form knows whether the similar proposals shown fit the text."""
    return hashlib.sha256(f"{title}\0{body}".encode()).hexdigest()[:24]


class ProposalForm(SpeakAsForm):
    title = StringField(
        _l("Title"),
        filters=[strip_filter],
        validators=[
            DataRequired(_l("Please give your proposal a title.")),
            Length(max=TITLE_MAX, message=_l("A title has at most %(max)d characters.")),
            no_control_characters,
        ],
        description=_l("In one line: what should happen? At most 150 characters."),
        render_kw={"maxlength": TITLE_MAX, "autocomplete": "off"},
    )
    body = TextAreaField(
        _l("Your proposal"),
        filters=[strip_filter],
        validators=[
            DataRequired(_l("Please describe your proposal.")),
            Length(max=BODY_MAX, message=_l("A proposal has at most %(max)d characters.")),
            no_control_characters,
        ],
        description=_l(
            "What is the problem, what do you propose, who would gain? Markdown works: *italic*, "
            "**bold**, lists with -. At most 10,000 characters."
        ),
        render_kw={"rows": 12},
    )
    topic = SelectField(
        _l("Topic"),
        choices=choices(TOPICS, placeholder=_l("Please choose")),
        validate_choice=False,
        validators=[DataRequired(_l("Please choose the topic your proposal belongs to."))],
    )
    chapter = SelectField(
        _l("Chapter of the draft"),
        validate_choice=False,
        description=_l("Optional: the chapter of the masterplan draft your proposal is about."),
    )
    district = SelectField(
        _l("City district"),
        choices=choices(DISTRICTS, placeholder=_l("not tied to a place")),
        validate_choice=False,
        description=_l("Optional: the Stadtbezirk your proposal is about, or the whole city."),
    )
    # left empty by people, filled in by bots that fill in every field; hidden by CSS and from
    # screen readers, and labelled so that anyone who still meets it knows to leave it
    website = StringField(_l("Leave this field empty"), render_kw={"autocomplete": "off", "tabindex": "-1"})
    # the wording for which similar proposals were last shown
    checked = HiddenField()

    def set_chapters(self, chapters) -> None:
        self.chapter.choices = [("", _l("no particular chapter"))] + [
            (str(chapter.id), f"{chapter.position}. {chapter.title}") for chapter in chapters
        ]

    def validate_topic(self, field):
        if field.data not in TOPICS:
            field.data = ""
            raise ValidationError(_l("Please choose the topic your proposal belongs to."))

    def validate_chapter(self, field):
        if field.data not in {value for value, _label in self.chapter.choices}:
            field.data = ""

    def validate_district(self, field):
        if field.data and field.data not in DISTRICTS:
            field.data = ""

    @property
    def chapter_id(self) -> int | None:
        return int(self.chapter.data) if self.chapter.data else None

    @property
    def digest(self) -> str:
        return text_digest(self.title.data or "", self.body.data or "")

    @property
    def similar_seen(self) -> bool:
        return self.checked.data == self.digest
