"""The forms of flagging (reporting to the moderation) and of the moderation's decisions."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from participation.accounts.blocking import block_end
from participation.core.forms import CalendarDateField, FlaskForm, IdField, choices, no_control_characters, strip_filter
from participation.core.hiding import HIDE_REASONS
from participation.core.models import utcnow
from participation.moderation.models import FLAG_NOTE_MAX, FLAG_REASONS

NOTE_MAX = 2_000
# an item of a queue, "proposal:12"; what the moderator saw of it, "proposal:12:<fingerprint>"
ITEM = re.compile(r"(?P<kind>proposal|comment):(?P<id>[0-9]{1,9})")
SEEN = re.compile(r"(?P<key>(?:proposal|comment):[0-9]{1,9}):(?P<fingerprint>[0-9a-f]{16})")


class FlagForm(FlaskForm):
    reason = RadioField(
        _l("What is wrong with it?"),
        choices=choices(FLAG_REASONS),
        validators=[DataRequired(_l("Please choose a reason."))],
    )
    note = TextAreaField(
        _l("Anything the moderation should know"),
        filters=[strip_filter],
        validators=[
            Length(max=FLAG_NOTE_MAX, message=_l("At most %(max)d characters.")),
            no_control_characters,
        ],
        description=_l("Optional. Only the moderation reads it."),
        render_kw={"rows": 4},
    )


DECISIONS = {
    "approve": _l("Approve: publish it"),
    "dismiss_reports": _l("Dismiss the reports: it stays (or comes back) as it was"),
    "hide": _l("Hide it, with a reason (the author is told)"),
    "merge": _l("Mark as a duplicate of another proposal (its supports move over)"),
    "hide_and_block": _l("Hide it and block its author"),
    "restore": _l("Restore it as it was before"),
}
MAX_ITEMS = 200  # items one bulk decision may name


class DecisionForm(FlaskForm):
    """One decision on one or on many items of a queue; every item is checked on its own."""

    items = SelectMultipleField(_l("Selected items"), choices=[], validate_choice=False)
    action = RadioField(_l("Decision"), choices=[], validators=[DataRequired(_l("Please choose a decision."))])
    reason = SelectField(
        _l("Reason for hiding"),
        choices=choices(HIDE_REASONS, placeholder=_l("please choose")),
        validate_choice=False,  # checked in validate_reason, which knows whether one is needed
        description=_l("The author reads it in the mail and on the contribution."),
    )
    note = TextAreaField(
        _l("Note to the author"),
        filters=[strip_filter],
        validators=[Length(max=NOTE_MAX, message=_l("At most %(max)d characters.")), no_control_characters],
        description=_l("Optional. Goes to the author with the reason, and into the audit log."),
        render_kw={"rows": 3},
    )
    duplicate_of = IdField(
        _l("Number of the proposal it repeats"),
        validators=[Optional()],
        description=_l("Only for “duplicate”: the number in the address of that proposal, e.g. 42."),
    )
    block_until = CalendarDateField(
        _l("Block until"),
        validators=[Optional()],
        description=_l("Only for “block”: the block ends at the end of that day; empty means until further notice."),
    )

    def set_actions(self, actions) -> None:
        self.action.choices = [(action, DECISIONS[action]) for action in actions]

    def validate_items(self, field):
        keys = []
        for value in field.data or []:
            match = ITEM.fullmatch(value)
            if match is None:
                raise ValidationError(_l("Please choose items from the list."))
            keys.append((match["kind"], int(match["id"])))
        if not keys:
            raise ValidationError(_l("Please select at least one item."))
        if len(keys) > MAX_ITEMS:
            raise ValidationError(_l("At most %(num)d items at once.", num=MAX_ITEMS))
        self.keys = list(dict.fromkeys(keys))

    def seen(self, values) -> dict[str, str]:
        """What the moderator saw of each item, from the page's hidden fields."""
        found = (SEEN.fullmatch(value) for value in values[: 2 * MAX_ITEMS])
        return {match["key"]: match["fingerprint"] for match in found if match}

    def validate_reason(self, field):
        if self.action.data in ("hide", "hide_and_block") and field.data not in HIDE_REASONS:
            raise ValidationError(_l("Please choose a reason: the author is owed it."))
        if field.data and field.data not in HIDE_REASONS:
            raise ValidationError(_l("Please choose a reason from the list."))

    def validate_duplicate_of(self, field):
        from participation.extensions import db
        from participation.proposals.models import MERGED, PUBLIC_STATUSES, Proposal

        self.duplicate = None
        if self.action.data != "merge":
            return
        if not field.data:
            raise ValidationError(_l("Please give the number of the proposal it repeats."))
        found = db.session.get(Proposal, field.data)
        if found is None or found.status not in PUBLIC_STATUSES or found.status == MERGED:
            raise ValidationError(_l("There is no public proposal with this number to merge into."))
        self.duplicate = found

    def validate_block_until(self, field):
        if field.data and block_end(field.data) <= utcnow():
            raise ValidationError(_l("Please choose a date in the future."))
