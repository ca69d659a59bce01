"""Forms of the administration pages."""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, RadioField, SearchField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from participation.accounts.blocking import block_end
from participation.accounts.models import ROLES
from participation.core.audit import ACTION_LABELS, TARGET_LABELS
from participation.core.forms import (
    CalendarDateField,
    FlaskForm,
    MultiCheckboxField,
    choices,
    no_control_characters,
    strip_filter,
)
from participation.core.i18n import CITY_TIME
from participation.core.models import utcnow
from participation.core.settings import PREMODERATION_MODES
from participation.pages.models import PAGE_BODY_MAX


class UserSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = SearchField(_l("Display name or email"), filters=[strip_filter], validators=[Optional(), Length(max=254)])


class RolesForm(FlaskForm):
    roles = MultiCheckboxField(
        _l("Roles"), choices=choices(ROLES), description=_l("Every account keeps the participant role.")
    )

    def validate_roles(self, field):
        unknown = set(field.data or []) - set(ROLES)
        if unknown:
            raise ValidationError(_l("Unknown role."))


class BlockForm(FlaskForm):
    reason = StringField(
        _l("Reason (shown to the person)"),
        filters=[strip_filter],
        validators=[DataRequired(_l("Please give a reason.")), Length(max=500), no_control_characters],
    )
    until = CalendarDateField(
        _l("Blocked until"),
        validators=[Optional()],
        description=_l("The block ends at the end of that day. Leave empty to block until further notice."),
    )

    def validate_until(self, field):
        if field.data and self.until_utc() <= utcnow():
            raise ValidationError(_l("Please choose a date in the future."))

    def until_utc(self) -> datetime | None:
        return block_end(self.until.data) if self.until.data else None


class PageForm(FlaskForm):
    title_de = StringField(
        _l("Title (German)"),
        filters=[strip_filter],
        render_kw={"lang": "de"},
        validators=[DataRequired(_l("Please enter a title.")), Length(max=150), no_control_characters],
    )
    title_en = StringField(
        _l("Title (English)"),
        filters=[strip_filter],
        render_kw={"lang": "en"},
        validators=[DataRequired(_l("Please enter a title.")), Length(max=150), no_control_characters],
    )
    body_de = TextAreaField(
        _l("Text (German, Markdown)"), validators=[Length(max=PAGE_BODY_MAX)], render_kw={"rows": 16, "lang": "de"}
    )
    body_en = TextAreaField(
        _l("Text (English, Markdown)"),
        description=_l("Leave empty to show the German text."),
        validators=[Length(max=PAGE_BODY_MAX)],
        render_kw={"rows": 16, "lang": "en"},
    )


# the order of the audit log's menus, as it was before each area registered its own labels (the
# registry's order depends on which module the app imports first); unlisted keys follow
ACTION_MENU = (
    "set_roles",
    "block_user",
    "unblock_user",
    "change_display_name",
    "change_email",
    "version_created",
    "version_opened",
    "version_closed",
    "version_final",
    "version_changed",
    "chapter_added",
    "chapter_changed",
    "chapter_deleted",
    "chapter_moved",
    "paragraph_added",
    "paragraph_changed",
    "paragraph_deleted",
    "paragraph_moved",
    "answer_proposal",
    "answer_comment",
    "incorporate",
    "remove_incorporation",
    "create_organisation",
    "change_organisation",
    "verify_membership",
    "refuse_membership",
    "change_organisation_description",
    "upload_strategy_document",
    "delete_strategy_document",
    "approve",
    "hide",
    "dismiss_reports",
    "merge",
    "hide_and_block",
    "restore",
    "change_settings",
    "phase_created",
    "phase_changed",
    "phase_moved",
    "phase_ended",
    "phase_deleted",
    "measure_created",
    "measure_changed",
    "measure_published",
    "measure_deleted",
    "measure_imported",
    "report_created",
    "report_changed",
    "report_published",
    "report_deleted",
    "statement_published",
    "statement_changed",
    "delete_unconfirmed_accounts",
    "purge_mail_contents",
    "download_own_data",
    "export_personal_data",
    "revert_email",
    "purge_pending_emails",
    "delete_own_account",
    "delete_account_on_request",
    "chapter_easy_language_changed",
    "create_offline_source",
    "record_offline",
    "create_event",
    "change_event",
    "delete_event",
    "announcement_created",
    "announcement_changed",
    "announcement_published",
)
TARGET_MENU = (
    "user",
    "organisation",
    "organisation_membership",
    "strategy_document",
    "masterplan_version",
    "chapter",
    "paragraph",
    "proposal",
    "comment",
    "site_setting",
    "incorporation",
    "phase",
    "measure",
    "interim_report",
    "advisory_statement",
    "measure_import",
    "retention",
    "deleted_account",
    "offline_source",
    "event",
    "announcement",
)


def in_menu_order(labels: dict, order: tuple[str, ...]) -> dict:
    """The registered labels, those in `order` first and in that order, the rest as registered."""
    return {
        key: labels[key] for key in sorted(labels, key=lambda key: order.index(key) if key in order else len(order))
    }


class AuditFilterForm(FlaskForm):
    """Filters of the audit log (a GET form: no token, every value checked against a list)."""

    class Meta:
        csrf = False

    action = SelectField(_l("Decision"), validate_choice=False)
    target_type = SelectField(_l("Concerning"), validate_choice=False)
    since = CalendarDateField(_l("From"), validators=[Optional()])
    until = CalendarDateField(_l("Until"), validators=[Optional()])

    def set_choices(self) -> None:
        self.action.choices = choices(in_menu_order(ACTION_LABELS, ACTION_MENU), placeholder=_l("all"))
        self.target_type.choices = choices(in_menu_order(TARGET_LABELS, TARGET_MENU), placeholder=_l("all"))

    def validate_action(self, field):
        if field.data not in ACTION_LABELS:
            field.data = ""

    def validate_target_type(self, field):
        if field.data not in TARGET_LABELS:
            field.data = ""

    def validate_until(self, field):
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The end lies before the start."))

    def bounds_utc(self) -> tuple[datetime | None, datetime | None]:
        """The chosen days in Cologne's time, as UTC moments: from the start of one to the end of the other."""
        since = until = None
        if self.since.data and not self.since.errors:
            since = datetime.combine(self.since.data, time.min, CITY_TIME).astimezone(UTC)
        if self.until.data and not self.until.errors:
            until = datetime.combine(self.until.data, time.max, CITY_TIME).astimezone(UTC)
        return since, until


class ModerationSettingsForm(FlaskForm):
    hide_threshold = IntegerField(
        _l("Reports that hide an item"),
        description=_l("An item with this many open reports is hidden until a moderator decides (1 to 100)."),
        validators=[
            InputRequired(_l("Please enter a number.")),
            NumberRange(min=1, max=100, message=_l("Please enter a number from %(min)d to %(max)d.")),
        ],
    )
    premoderation = RadioField(
        _l("Which new proposals and comments wait for approval"),
        choices=choices(PREMODERATION_MODES),
        description=_l("Contributions that look like spam always wait. Staff contributions never do."),
        validators=[DataRequired(_l("Please choose one."))],
    )
    premoderation_first = IntegerField(
        _l("How many first contributions of each person wait"),
        description=_l("Only with “The first contributions of each person” (1 to 50)."),
        validators=[
            InputRequired(_l("Please enter a number.")),
            NumberRange(min=1, max=50, message=_l("Please enter a number from %(min)d to %(max)d.")),
        ],
    )
