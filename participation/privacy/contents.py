"""Everything the download holds, in its order, and where each column of the database that points
at a person went: into a kind of the download, or deliberately not (and why). A test fails
when a table gains a column pointing at a person that is named in neither."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from participation.privacy import kinds_contributions, kinds_person, kinds_work

KINDS = (*kinds_person.KINDS, *kinds_contributions.KINDS, *kinds_work.KINDS)
# the same, in the groups the page and the README show them in
GROUPS = (
    (_l("You and your account"), kinds_person.KINDS),
    (_l("What you contributed"), kinds_contributions.KINDS),
    (_l("What you did in a role (moderation, planning, administration, an organisation)"), kinds_work.KINDS),
)

# (table, column pointing at user.id) -> the kind that holds that table's rows of the person
COVERED = {
    ("user_role", "user_id"): "roles",
    ("reserved_display_name", "user_id"): "reserved_names",
    ("organisation_membership", "user_id"): "organisation_memberships",
    ("mail_opt_out", "user_id"): "mail_settings",
    ("announcement_subscription", "user_id"): "announcement_subscription",
    ("mail_digest_choice", "user_id"): "mail_digest",
    ("pending_notification", "user_id"): "notifications_waiting",
    ("outbox_message", "user_id"): "mails",
    ("proposal", "author_id"): "proposals",
    ("support", "user_id"): "supports",
    ("proposal_follow", "user_id"): "followed_proposals",
    ("comment", "author_id"): "comments",
    ("draft_vote", "user_id"): "votes",
    ("measure_follow", "user_id"): "followed_measures",
    ("chapter_follow", "user_id"): "followed_chapters",
    ("organisation_follow", "user_id"): "followed_organisations",
    ("flag", "reporter_id"): "reports_filed",
    ("moderation_decision", "actor_id"): "decisions_taken",
    ("masterplan_version", "created_by_id"): "versions_created",
    ("incorporation", "created_by_id"): "incorporations_recorded",
    ("measure", "created_by_id"): "measures_created",
    ("measure_update", "author_id"): "measure_updates",
    ("measure_change", "actor_id"): "measure_changes",
    ("pending_import", "user_id"): "uploads_waiting",
    ("measure_import", "user_id"): "uploads_waiting",
    ("interim_report", "created_by_id"): "interim_reports_created",
    ("advisory_statement", "author_id"): "advisory_statements",
    ("site_setting", "updated_by_id"): "settings_changed",
    ("page", "updated_by_id"): "pages_edited",
    ("strategy_document", "uploaded_by_id"): "strategy_documents",
}

# columns pointing at a person that name someone else: whose data they are, and why not here
NOT_EXPORTED = {
    ("user", "blocked_by_id"): "the staff member who blocked the account",
    ("user_role", "granted_by_id"): "the admin who granted a role",
    ("organisation_membership", "decided_by_id"): "the admin who decided on a membership",
}

# what the download leaves out on purpose, said on the page and in the README
LEFT_OUT = (
    _l(
        "Your password: only a one-way check value of it is stored (a hash), which is of no use to you and "
        "must not leave the platform."
    ),
    _l(
        "The session salt, a secret that signs your logins, and the secret tokens in the links of mails "
        "(confirmation, password reset, stopping a kind of mail): in the mails they are shortened to […]."
    ),
    _l(
        "Who among the moderators and admins decided about you or granted your roles: their names are their "
        "personal data. The decisions themselves, with their reasons, are included."
    ),
    _l(
        "Technical delivery details of the mails (message ids, attempts, the worker that sent them) and the "
        "comparison form of your display name, which is derived from it."
    ),
    _l("The content of files you uploaded for an import and have not confirmed: you have them yourself."),
    _l(
        "Logins: the platform keeps only the time of your last login, which is included. It stores no list of"
        " logins and no IP addresses (the rate limits count requests per address for a day at most, outside "
        "the database); the server's request log names the account number, not the address."
    ),
)


def kind(key: str):
    return next(item for item in KINDS if item.key == key)
