"""The part of the privacy notice that is generated from the code and the current configuration:
what the platform processes, why, on which legal basis and for how long. The periods are read
from the settings at each request, so changing a setting changes the notice. Keep it in step
with participation/privacy (the data download lists every table that points at a person) and
participation/privacy/retention.py (the purge)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from limits import parse_many

# the longest window of the rate limits written in the code rather than the configuration
# (comments: "10 per minute; 100 per day"); the notice names the longest of all windows
LONGEST_FIXED_WINDOW = timedelta(days=1)
RATE_LIMIT_SETTINGS = (
    "RATELIMIT_LOGIN",
    "RATELIMIT_LOGIN_ACCOUNT",
    "RATELIMIT_ACCOUNT_FORMS",
    "RATELIMIT_MAIL_PER_ADDRESS",
    "RATELIMIT_PERSONAL_DATA",
)


@dataclass(frozen=True)
class Processing:
    key: str
    title: str
    data: str
    purpose: str
    basis: str
    retention: str


def duration(span: timedelta) -> str:
    """A period in whole days (from four days on), hours or minutes, as the notice says it."""
    seconds = int(span.total_seconds())
    if seconds % 86400 == 0 and seconds >= 4 * 86400:
        return ngettext("%(num)d day", "%(num)d days", seconds // 86400)
    if seconds % 3600 == 0:
        return ngettext("%(num)d hour", "%(num)d hours", seconds // 3600)
    return ngettext("%(num)d minute", "%(num)d minutes", max(seconds // 60, 1))


def longest_rate_limit_window(config) -> timedelta:
    windows = [LONGEST_FIXED_WINDOW]
    for name in RATE_LIMIT_SETTINGS:
        try:
            windows += [timedelta(seconds=item.get_expiry()) for item in parse_many(config[name])]
        except (KeyError, ValueError):
            continue
    return max(windows)


def processing(can_delete_account: bool) -> list[Processing]:
    """Every kind of personal data the platform processes, in the order the notice lists them."""
    config = current_app.config
    public_task = _(
        "Art. 6 (1) (e) GDPR with § 3 DSG NRW: the participation in the masterplan is a task the city carries "
        "out in the public interest (decision AN/0131/2022 of the digitalisation committee)."
    )
    security = _(
        "Art. 6 (1) (e) and Art. 32 GDPR with § 3 DSG NRW: keeping the platform secure and working is part of "
        "carrying out that task."
    )
    if can_delete_account:
        until_deleted = _("Until you delete your account.")
        contributions_kept = _(
            "As long as the masterplan process and its documentation need them. If you delete your account, "
            'they stay where they are, signed "deleted account", and no longer point to you; you may also have '
            "the text of your contributions removed."
        )
    else:
        until_deleted = _("Until your account is deleted at your request.")
        contributions_kept = _(
            "As long as the masterplan process and its documentation need them. If your account is deleted, "
            "they stay without your name."
        )
    unconfirmed = _(
        "An account whose email address is never confirmed is deleted %(period)s after it was registered.",
        period=duration(config["UNCONFIRMED_ACCOUNT_RETENTION"]),
    )
    return [
        Processing(
            "account",
            _("Your account"),
            _(
                "Email address, display name, stakeholder group, language, your password (only as a one-way hash), "
                "when you registered, accepted the terms, confirmed your address and last logged in; a new email "
                "address while you confirm it; your roles."
            ),
            _(
                "Logging in, mail about your account and your contributions, showing your contributions under your "
                "display name. Your email address is never shown to others."
            ),
            public_task,
            f"{until_deleted} {unconfirmed}",
        ),
        Processing(
            "contributions",
            _("Your contributions"),
            _(
                "Proposals and their earlier wordings, comments, votes on paragraphs of the draft, supports of "
                "proposals, reports of contributions to the moderation, statements on behalf of an organisation."
            ),
            _(
                "The participation itself: proposals and comments are public under your display name and are "
                "evaluated and answered for the masterplan; votes and supports are shown only as counts; reports are "
                "seen only by the moderation. Published contributions go into the open data without any name."
            ),
            public_task,
            contributions_kept,
        ),
        Processing(
            "follows",
            _("What you follow and which mail you want"),
            _("The proposals and measures you follow, and the kinds of mail you have switched off."),
            _("Telling you by mail about answers, changes and updates."),
            public_task,
            _("Until you stop following or switch the mail on again, at the latest until your account is deleted."),
        ),
        Processing(
            "organisations",
            _("Organisation memberships"),
            _("Your request to speak for an organisation, and whether and when it was verified."),
            _("Publishing contributions as the organisation's statement and editing its measures."),
            public_task,
            _("Until you leave the organisation or the membership is ended, at the latest with your account."),
        ),
        Processing(
            "moderation",
            _("Moderation"),
            _(
                "Decisions about you and your contributions: hidden contributions with their reasons, blocks with "
                "reason and end. Signs of spam may hold a contribution back; a moderator decides, not the machine."
            ),
            _("Keeping the debate civil and traceable (netiquette, terms of use)."),
            public_task,
            _("A block ends on its date. The audit log keeps the decisions as the record of the process."),
        ),
        Processing(
            "mail",
            _("Mail sent to you"),
            _("Address, subject and text of each mail, when it was sent, and delivery attempts."),
            _(
                "Sending links to confirm your address (valid %(confirm)s), to reset your password (valid %(reset)s) "
                "and to confirm a new address (valid %(change)s), and the notifications you want.",
                confirm=duration(config["EMAIL_CONFIRM_MAX_AGE"]),
                reset=duration(config["PASSWORD_RESET_MAX_AGE"]),
                change=duration(config["EMAIL_CHANGE_MAX_AGE"]),
            ),
            public_task,
            _(
                "Address, subject and text are deleted %(period)s after the mail was sent or given up; a record "
                "without them stays, so that it is never sent twice.",
                period=duration(config["MAIL_CONTENT_RETENTION"]),
            ),
        ),
        Processing(
            "cookies",
            _("Cookies"),
            _(
                "A session cookie (your choice of language, your login, a token that protects the forms) and, only "
                'if you tick "stay logged in", a remember-me cookie. No tracking, no analytics.'
            ),
            _("Keeping you logged in and protecting the forms against forged requests."),
            _(
                "§ 25 (2) no. 2 TDDDG (strictly necessary for the service you ask for) and Art. 6 (1) (e) GDPR with "
                "§ 3 DSG NRW."
            ),
            _(
                "The session cookie ends when you close the browser or log out; the remember-me cookie when you "
                "log out, and at the latest %(period)s after you logged in.",
                period=duration(config["REMEMBER_COOKIE_DURATION"]),
            ),
        ),
        Processing(
            "logs",
            _("Server log"),
            _(
                "For each request: time, method, the address of the page without its query, the answer's status, "
                "its duration and the account number of a logged-in person. No IP address, nothing you entered."
            ),
            _("Finding errors and attacks."),
            security,
            _("As long as the operation of the servers keeps its log files."),
        ),
        Processing(
            "rate-limits",
            _("Protection against abuse"),
            _(
                "The IP address of your device (for IPv6 its /64 network) as counters of requests, for failed "
                "logins together with the email address entered."
            ),
            _("Limiting password guessing, mass registration and other abuse."),
            security,
            _(
                "Only in the memory of the servers or their Redis store, never in the database; each counter expires "
                "with its time window, at the latest %(period)s after it started.",
                period=duration(longest_rate_limit_window(config)),
            ),
        ),
    ]
