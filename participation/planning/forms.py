"""Forms of the planners' area."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from participation.core.easy_language import summary_fields
from participation.core.forms import FlaskForm, MultiCheckboxField, choices, no_control_characters, strip_filter
from participation.drafts import services
from participation.drafts.importer import MAX_PARAGRAPH_CHARS, TITLE_MAX
from participation.drafts.models import TOPICS
from participation.incorporation.models import EXTENTS
from participation.incorporation.models import NOTE_MAX as INCORPORATION_NOTE_MAX


def title_field(label):
    return StringField(
        label,
        filters=[strip_filter],
        validators=[DataRequired(_l("Please enter a title.")), Length(max=TITLE_MAX), no_control_characters],
    )


class VersionForm(FlaskForm):
    title = title_field(_l("Title of the version"))
    summary_of_changes = TextAreaField(
        _l("Summary of changes (Markdown)"), validators=[Length(max=20_000)], render_kw={"rows": 5}
    )


class CopyVersionForm(FlaskForm):
    """The next version as a copy of the newest: it asks for the new version's title."""

    title = title_field(_l("Title of the new version"))

    def validate_title(self, field):
        taken = services.version_titled(field.data or "")
        if taken is not None:
            raise ValidationError(
                _("Version %(number)d already has this title. Please choose another one.", number=taken.number)
            )


class OpenVersionForm(FlaskForm):
    """Opening a version for comments; the versions open for comments now are closed with it
    unless their box is unticked (the choices are set by the view)."""

    close = MultiCheckboxField(_l("Versions open for comments now"), validate_choice=False)

    def set_versions(self, versions) -> None:
        self.close.choices = [
            (str(version.number), _("Close version %(number)d now", number=version.number)) for version in versions
        ]

    def versions_to_close(self, versions) -> list:
        ticked = set(self.close.data or [])
        return [version for version in versions if str(version.number) in ticked]


class ChapterForm(FlaskForm):
    title = title_field(_l("Chapter title"))
    topic = SelectField(_l("Field of action"), choices=choices(TOPICS, placeholder=_l("none")), validators=[Optional()])
    introduction = TextAreaField(
        _l("Introduction (Markdown, optional)"), validators=[Length(max=20_000)], render_kw={"rows": 4}
    )

    def validate_topic(self, field):
        if field.data and field.data not in TOPICS:
            field.data = ""


class EasySummaryForm(FlaskForm):
    """A chapter's summary in Leichte Sprache and in plain English."""

    easy_summary_de, easy_summary_en = summary_fields()


class ParagraphForm(FlaskForm):
    subheading = StringField(
        _l("Sub-heading above this paragraph (optional)"),
        filters=[strip_filter],
        validators=[Length(max=TITLE_MAX), no_control_characters],
    )
    text = TextAreaField(
        _l("Text (Markdown)"),
        validators=[
            DataRequired(_l("Please enter the text of the paragraph.")),
            Length(max=MAX_PARAGRAPH_CHARS),
            no_control_characters,
        ],
        render_kw={"rows": 8},
    )


class ImportForm(FlaskForm):
    file = FileField(
        _l("Draft file (Markdown .md or Word .docx)"), validators=[FileRequired(_l("Please choose a file."))]
    )
    target = SelectField(_l("Import into"))


class ConfirmImportForm(FlaskForm):
    # the previewed draft waits on the server (participation.drafts.pending): only its token comes back
    token = HiddenField(validators=[DataRequired(), Length(max=64)])
    title = title_field(_l("Title of the version"))


class IncorporationForm(FlaskForm):
    """Record that one contribution shaped a paragraph; one such form per open contribution,
    told apart by its prefix."""

    paragraph = SelectField(_l("Taken into paragraph"), coerce=int, validate_choice=True)
    extent = RadioField(
        _l("How much of it"),
        choices=choices(EXTENTS),
        validators=[DataRequired(_l("Please say whether it was taken fully or partly."))],
    )
    note = TextAreaField(
        _l("Note (shown with the paragraph)"),
        filters=[strip_filter],
        validators=[Length(max=INCORPORATION_NOTE_MAX), no_control_characters],
        render_kw={"rows": 2},
    )

    def set_paragraphs(self, paragraphs) -> None:
        self.paragraph.choices = [(paragraph.id, paragraph.number) for paragraph in paragraphs]
        self.paragraph.validators = [DataRequired(_l("Please choose a paragraph."))]


def incorporation_prefix(key: str) -> str:
    return key.replace(":", "-") + "-"
