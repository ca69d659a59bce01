"""The editors' forms: a measure, its milestones, indicators, measured values, the paragraphs
and contributions behind it, and its public updates. Every number is bounded and finite, every
choice checked against its list, every text limited."""

from __future__ import annotations

import math
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from wtforms import (
    FloatField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from participation.core.easy_language import summary_fields
from participation.core.forms import (
    CalendarDateField,
    FlaskForm,
    IdField,
    choices,
    no_control_characters,
    strip_filter,
)
from participation.core.models import utcnow
from participation.drafts.models import TOPICS
from participation.measures.models import (
    DESCRIPTION_MAX,
    EXTERNAL_ID_MAX,
    PROGRESS_MODES,
    REASON_MAX,
    SOURCE_MAX,
    STATUSES,
    TITLE_MAX,
    UNIT_MAX,
    UPDATE_MAX,
)
from participation.proposals.models import DISTRICTS

BUDGET_MAX = 10_000_000_000  # ten billion euros: more than the city's yearly budget
WEIGHT_MAX = 1_000
VALUE_MAX = 1e15  # an indicator's baseline, target or measured value, either sign
NUMBER_CHARS = 40  # what a number may be long as typed


class NumberField(FloatField):
    """A finite number as people type it: "1234.5", "1234,5" or "1.234,5" (a German thousands
    point); never NaN or infinity, which compare as neither too small nor too large."""

    def process_formdata(self, valuelist):
        if not valuelist or not isinstance(valuelist[0], str) or not valuelist[0].strip():
            self.data = None
            return
        text = valuelist[0].strip().replace(" ", "").replace("\u00a0", "")
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        try:
            value = float(text) if len(text) <= NUMBER_CHARS else math.nan
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            self.data = None
            raise ValueError(_l("Please enter a number, such as 1250 or 12,5."))
        self.data = value


class PercentField(IntegerField):
    def process_formdata(self, valuelist):
        if not valuelist or not isinstance(valuelist[0], str) or not valuelist[0].strip():
            self.data = None
            return
        text = valuelist[0].strip().rstrip("%").strip()
        if not text.isascii() or not text.isdigit() or len(text) > 3 or int(text) > 100:
            self.data = None
            raise ValueError(_l("Please enter a whole number from 0 to 100."))
        self.data = int(text)


def _title(label, required=True):
    validators = [Length(max=TITLE_MAX, message=_l("At most %(max)d characters.")), no_control_characters]
    if required:
        validators.insert(0, DataRequired(_l("Please enter a title.")))
    else:
        validators.insert(0, Optional())
    return StringField(label, filters=[strip_filter], validators=validators, render_kw={"maxlength": TITLE_MAX})


def _markdown(label, maximum, required=False, description=None, rows=8):
    first = DataRequired(_l("Please enter a text.")) if required else Optional()
    return TextAreaField(
        label,
        filters=[strip_filter],
        validators=[first, Length(max=maximum, message=_l("At most %(max)d characters.")), no_control_characters],
        description=description,
        render_kw={"rows": rows},
    )


def _checked(options, message):
    """A validator: the value is one of `options` (a dict or set)."""

    def check(form, field):
        if field.data not in options:
            raise ValidationError(message)

    return check


def optional_int(value):
    """The coercion of an id select: None for nothing or anything not a number (the field's own
    check then names the problem)."""
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class MeasureForm(FlaskForm):
    title_de = _title(_l("Title (German)"))
    title_en = _title(_l("Title (English)"), required=False)
    description_de = _markdown(
        _l("Description (German)"),
        DESCRIPTION_MAX,
        description=_l("What is done, for whom, and why. Markdown works: **bold**, lists with -."),
        rows=10,
    )
    description_en = _markdown(_l("Description (English)"), DESCRIPTION_MAX, rows=6)
    # planners' only: the view removes them for the responsible organisations' members
    easy_summary_de, easy_summary_en = summary_fields()
    topic = SelectField(
        _l("Field of action"),
        choices=choices(TOPICS, placeholder=_l("Please choose")),
        validate_choice=False,
        validators=[_checked(TOPICS, _l("Please choose a field of action from the list."))],
    )
    chapter_lineage = SelectField(
        _l("Chapter of the plan"),
        validate_choice=False,
        description=_l("Optional: the chapter of the newest published version this measure belongs to."),
    )
    organisation_id = SelectField(_l("Responsible body"), coerce=optional_int, validate_choice=False)
    inside_administration = RadioField(
        _l("Where is it carried out?"),
        choices=[
            SelectChoice("1", _l("inside the city administration")),
            SelectChoice("0", _l("outside the administration")),
        ],
        validate_choice=False,
        validators=[_checked({"1", "0"}, _l("Please say whether it is carried out inside the administration."))],
    )
    status = SelectField(
        _l("Status"),
        choices=choices(STATUSES),
        validate_choice=False,
        validators=[_checked(STATUSES, _l("Please choose a status from the list."))],
    )
    reason = StringField(
        _l("Reason for a change of status"),
        filters=[strip_filter],
        validators=[Length(max=REASON_MAX, message=_l("At most %(max)d characters.")), no_control_characters],
        description=_l("Needed when the status changes: shown with the change on the public timeline."),
        render_kw={"maxlength": REASON_MAX},
    )
    starts_on = CalendarDateField(_l("Start"), validators=[Optional()])
    planned_end_on = CalendarDateField(_l("Planned end"), validators=[Optional()])
    budget_eur = NumberField(
        _l("Budget in euros"),
        validators=[
            Optional(),
            NumberRange(min=0, max=BUDGET_MAX, message=_l("Please enter an amount from 0 to 10 billion euros.")),
        ],
        description=_l("Optional."),
    )
    district = SelectField(
        _l("City district"),
        choices=choices(DISTRICTS),
        validate_choice=False,
        validators=[_checked(DISTRICTS, _l("Please choose a district from the list."))],
    )
    progress_mode = RadioField(
        _l("How is its progress found?"),
        choices=choices(PROGRESS_MODES),
        validate_choice=False,
        validators=[_checked(PROGRESS_MODES, _l("Please choose how the progress is found."))],
    )
    progress_set = PercentField(
        _l("Progress in percent"),
        validators=[Optional()],
        description=_l("Only when the progress is set directly: a whole number from 0 to 100."),
    )
    weight = NumberField(
        _l("Weight"),
        validators=[InputRequired(_l("Please enter a weight."))],
        description=_l("How much this measure counts where progress is added up (1 = normal)."),
    )
    parent_id = IdField(
        _l("Part of measure number"),
        validators=[Optional()],
        description=_l("Optional: the number of the measure this one is a part of."),
    )
    external_id = StringField(
        _l("External id"),
        filters=[strip_filter],
        validators=[
            Length(max=EXTERNAL_ID_MAX, message=_l("At most %(max)d characters.")),
            no_control_characters,
        ],
        description=_l("Optional: the measure's id in the city's own systems; imports use it."),
        render_kw={"maxlength": EXTERNAL_ID_MAX},
    )
    # the fields that are the measure's columns of the same name (inside_administration is "1"/"0")
    MEASURE_FIELDS = (
        "title_de",
        "title_en",
        "description_de",
        "description_en",
        "topic",
        "chapter_lineage",
        "organisation_id",
        "status",
        "starts_on",
        "planned_end_on",
        "budget_eur",
        "district",
        "progress_mode",
        "progress_set",
        "weight",
        "parent_id",
        "external_id",
    )
    EASY_FIELDS = ("easy_summary_de", "easy_summary_en")
    # when the measure was last changed as the form was loaded: a later change is not overwritten
    loaded = HiddenField()

    def set_chapters(self, chapters, current: str | None) -> None:
        self.chapter_lineage.choices = [SelectChoice("", _l("no particular chapter"))] + [
            SelectChoice(chapter.lineage_key, f"{chapter.position}. {chapter.title}") for chapter in chapters
        ]
        self.allowed_chapters = {chapter.lineage_key for chapter in chapters} | {""}
        if current and current not in self.allowed_chapters:
            self.chapter_lineage.choices.append(SelectChoice(current, _l("a chapter no longer in the newest version")))
            self.allowed_chapters.add(current)

    def set_organisations(self, organisations, kinds) -> None:
        """Grouped by kind (city offices, municipal companies, ...), each group by name."""
        listed = sorted(organisations, key=lambda organisation: (str(kinds[organisation.kind]), organisation.name))
        self.organisation_id.choices = [SelectChoice("", _l("Please choose"))] if len(listed) != 1 else []
        self.organisation_id.choices += [
            SelectChoice(str(organisation.id), organisation.name, optgroup=str(kinds[organisation.kind]))
            for organisation in listed
        ]
        self.allowed_organisations = {organisation.id for organisation in organisations}

    def validate_chapter_lineage(self, field):
        if (field.data or "") not in getattr(self, "allowed_chapters", {""}):
            raise ValidationError(_l("Please choose a chapter from the list."))

    def validate_organisation_id(self, field):
        if field.data not in getattr(self, "allowed_organisations", ()):
            raise ValidationError(
                getattr(self, "organisation_refusal", None) or _l("Please choose the responsible body from the list.")
            )

    def validate_planned_end_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The planned end cannot be before the start."))

    def validate_weight(self, field):
        if field.data is not None and not 0 < field.data <= WEIGHT_MAX:
            raise ValidationError(_l("Please enter a weight greater than 0 and at most 1000."))

    def values(self) -> dict:
        """The measure's columns as typed (the progress typed only counts when set directly)."""
        values = {name: self[name].data for name in self.MEASURE_FIELDS}
        values |= {name: self[name].data for name in self.EASY_FIELDS if name in self}
        for name in ("title_en", "description_de", "description_en", *self.EASY_FIELDS):
            if name in values:
                values[name] = values[name] or ""
        for name in ("chapter_lineage", "external_id"):
            values[name] = values[name] or None
        values["inside_administration"] = self.inside_administration.data == "1"
        if self.progress_mode.data != "direct" or values["progress_set"] is None:
            del values["progress_set"]
        return values


def not_in_the_future(form, field):
    """What was reached or measured lies behind us (a day's grace for time zones)."""
    if field.data and field.data > utcnow().date() + timedelta(days=1):
        raise ValidationError(_l("This date is in the future."))


class MilestoneForm(FlaskForm):
    title_de = _title(_l("Milestone (German)"))
    title_en = _title(_l("Milestone (English)"), required=False)
    planned_on = CalendarDateField(_l("Planned for"), validators=[DataRequired(_l("Please enter a date."))])
    achieved_on = CalendarDateField(
        _l("Reached on"),
        validators=[Optional(), not_in_the_future],
        description=_l("Leave empty while it is not reached."),
    )
    weight = NumberField(
        _l("Weight"),
        validators=[Optional()],
        description=_l("How much this milestone counts towards the progress (1 = normal)."),
    )

    def validate_weight(self, field):
        if field.data is not None and not 0 < field.data <= WEIGHT_MAX:
            raise ValidationError(_l("Please enter a weight greater than 0 and at most 1000."))

    def values(self) -> dict:
        return {
            "title_de": self.title_de.data,
            "title_en": self.title_en.data or "",
            "planned_on": self.planned_on.data,
            "achieved_on": self.achieved_on.data,
            "weight": self.weight.data if self.weight.data is not None else 1.0,
        }


def _value_field(label, required=False):
    first = InputRequired(_l("Please enter a number.")) if required else Optional()
    bound = NumberRange(min=-VALUE_MAX, max=VALUE_MAX, message=_l("This number is too large."))
    return NumberField(label, validators=[first, bound])


class IndicatorForm(FlaskForm):
    title_de = _title(_l("Indicator (German)"))
    title_en = _title(_l("Indicator (English)"), required=False)
    unit_de = StringField(
        _l("Unit (German)"),
        filters=[strip_filter],
        validators=[Length(max=UNIT_MAX, message=_l("At most %(max)d characters.")), no_control_characters],
        description=_l("For example: %, Schulen, Dienste."),
    )
    unit_en = StringField(
        _l("Unit (English)"),
        filters=[strip_filter],
        validators=[Length(max=UNIT_MAX, message=_l("At most %(max)d characters.")), no_control_characters],
    )
    baseline = _value_field(_l("Baseline"))
    baseline_on = CalendarDateField(_l("Baseline measured on"), validators=[Optional()])
    target = _value_field(_l("Target"), required=True)
    target_on = CalendarDateField(_l("Target date"), validators=[Optional()])

    def values(self) -> dict:
        return {
            "title_de": self.title_de.data,
            "title_en": self.title_en.data or "",
            "unit_de": self.unit_de.data or "",
            "unit_en": self.unit_en.data or "",
            "baseline": self.baseline.data if self.baseline.data is not None else 0.0,
            "baseline_on": self.baseline_on.data,
            "target": self.target.data,
            "target_on": self.target_on.data,
        }


class ValueForm(FlaskForm):
    measured_on = CalendarDateField(
        _l("Measured on"), validators=[DataRequired(_l("Please enter a date.")), not_in_the_future]
    )
    value = _value_field(_l("Value"), required=True)
    source = StringField(
        _l("Source"),
        filters=[strip_filter],
        validators=[Length(max=SOURCE_MAX, message=_l("At most %(max)d characters.")), no_control_characters],
        description=_l("Where the figure comes from. A second value on the same day replaces the first."),
    )


class ParagraphLinkForm(FlaskForm):
    lineage_key = SelectField(_l("Paragraph of the plan"), validate_choice=False)

    def set_paragraphs(self, chapters) -> None:
        """Grouped by chapter; the value is the paragraph's lineage key, which stays the same in
        later versions."""
        self.lineage_key.choices = [SelectChoice("", _l("Please choose"))] + [
            SelectChoice(
                paragraph.lineage_key,
                f"{paragraph.number} {paragraph.subheading or paragraph.text[:80]}",
                optgroup=f"{chapter.position}. {chapter.title}",
            )
            for chapter in chapters
            for paragraph in chapter.paragraphs
        ]
        self.allowed = {choice.value for choice in self.lineage_key.choices} - {""}

    def validate_lineage_key(self, field):
        if field.data not in getattr(self, "allowed", ()):
            raise ValidationError(_l("Please choose a paragraph from the list."))


class SourceForm(FlaskForm):
    """A contribution behind the measure: chosen from the accepted ones, or named by number."""

    item = SelectField(_l("Accepted contribution"), validate_choice=False)
    proposal_id = IdField(_l("or proposal number"), validators=[Optional()])
    comment_id = IdField(_l("or number of a comment on the draft"), validators=[Optional()])

    def set_items(self, proposals, comments) -> None:
        proposals_label, comments_label = str(_l("Accepted proposals")), str(_l("Accepted comments on the draft"))
        self.item.choices = (
            [SelectChoice("", _l("none from the list"))]
            + [SelectChoice(f"proposal:{p.id}", f"{p.id}: {p.title}", optgroup=proposals_label) for p in proposals]
            + [SelectChoice(f"comment:{c.id}", f"{c.id}: {c.body[:80]}", optgroup=comments_label) for c in comments]
        )
        self.allowed = {choice.value for choice in self.item.choices}

    def validate_item(self, field):
        if (field.data or "") not in getattr(self, "allowed", {""}):
            raise ValidationError(_l("Please choose a contribution from the list."))
        named = [value for value in (field.data, self.proposal_id.raw_data, self.comment_id.raw_data) if value]
        named = [value for value in named if value != [""]]
        if len(named) != 1:
            raise ValidationError(_l("Please choose one contribution from the list or give one number."))

    def chosen(self) -> tuple[str, int] | None:
        if self.item.data:
            kind, number = self.item.data.split(":")
            return kind, int(number)
        if self.proposal_id.data:
            return "proposal", self.proposal_id.data
        if self.comment_id.data:
            return "comment", self.comment_id.data
        return None


class UpdateForm(FlaskForm):
    body_de = _markdown(
        _l("Update (German)"),
        UPDATE_MAX,
        required=True,
        description=_l("Dated and public; the measure's followers get it by mail. Markdown works."),
        rows=6,
    )
    body_en = _markdown(_l("Update (English)"), UPDATE_MAX, rows=4)
