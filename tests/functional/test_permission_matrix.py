"""Every route and method, for every kind of person, against the table below.

A route that is not in the table fails the suite: whoever adds one decides here who may use it.
Outcomes: OK (the page or the action answers: 2xx, a redirect elsewhere, 422 for an empty form),
LOGIN (redirect to the login page), FORBIDDEN (403), NOT_FOUND (404).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from tests.conftest import Browser, csrf_token_from
from tests.site_map import PERSONAS, routes, seed_site, url_for_rule

OK, LOGIN, FORBIDDEN, NOT_FOUND = "ok", "login", "403", "404"

EVERYONE = dict.fromkeys(PERSONAS, OK)
ACCOUNT_HOLDERS = dict(EVERYONE, visitor=LOGIN)
ADMINS = dict.fromkeys(PERSONAS, FORBIDDEN) | {"visitor": LOGIN, "admin": OK}
MODERATORS = dict.fromkeys(PERSONAS, FORBIDDEN) | {"visitor": LOGIN, "moderator": OK, "admin": OK}
PLANNERS = dict.fromkeys(PERSONAS, FORBIDDEN) | {"visitor": LOGIN, "planner": OK, "admin": OK}
# take part: a confirmed, unblocked account (the others are told why with a 403)
CONTRIBUTORS = dict(EVERYONE, visitor=LOGIN, unconfirmed=FORBIDDEN, blocked=FORBIDDEN)
# the sample comment is the participant's own
AUTHOR = dict.fromkeys(PERSONAS, FORBIDDEN) | {"visitor": LOGIN, "participant": OK}
# earlier wordings of the sample proposal: its author, moderators and planners; nobody else learns they exist
# reporting: contributors, but not the author (the samples are the participant's own)
NOT_OWN = dict(CONTRIBUTORS, participant=FORBIDDEN)
# the sample membership is the participant's; nobody else learns that it exists
OWN_MEMBERSHIP = dict.fromkeys(PERSONAS, NOT_FOUND) | {"visitor": LOGIN, "participant": OK}
# an upload waiting for its confirmation is its uploader's (the sample's: the planner's)
OWN_IMPORT = PLANNERS | {"admin": NOT_FOUND}
# the sample organisation of its public pages is the advisory board the participant speaks for
BOARD_MEMBERS = dict.fromkeys(PERSONAS, FORBIDDEN) | {"visitor": LOGIN, "participant": OK, "admin": OK}
# offline input: staff (moderators, planners, admins)
STAFF = dict.fromkeys(PERSONAS, FORBIDDEN) | {"visitor": LOGIN, "moderator": OK, "planner": OK, "admin": OK}
REVISION_READERS = dict.fromkeys(PERSONAS, NOT_FOUND) | {"participant": OK, "moderator": OK, "planner": OK, "admin": OK}

EXPECTED = {
    ("main.home", "GET"): EVERYONE,
    ("events.index", "GET"): EVERYONE,
    ("events.detail", "GET"): EVERYONE,
    ("events.calendar", "GET"): EVERYONE,
    ("events.manage", "GET"): PLANNERS,
    ("events.new", "GET"): PLANNERS,
    ("events.new", "POST"): PLANNERS,
    ("events.edit", "GET"): PLANNERS,
    ("events.edit", "POST"): PLANNERS,
    ("events.delete", "POST"): PLANNERS,
    ("offline.sources", "GET"): STAFF,
    ("offline.sources", "POST"): STAFF,
    ("offline.source", "GET"): STAFF,
    ("offline.record_proposal", "POST"): STAFF,
    ("offline.record_comment", "POST"): STAFF,
    ("main.healthz", "GET"): EVERYONE,
    ("statistics.summary", "GET"): EVERYONE,
    ("statistics.summary_download", "GET"): EVERYONE,
    ("open_data.about", "GET"): EVERYONE,
    ("openapi.openapi", "GET"): EVERYONE,
    ("api.versions", "GET"): EVERYONE,
    ("api.version", "GET"): EVERYONE,
    ("api.paragraphs", "GET"): EVERYONE,
    ("api.proposals", "GET"): EVERYONE,
    ("api.proposal", "GET"): EVERYONE,
    ("api.comments", "GET"): EVERYONE,
    ("api.phases", "GET"): EVERYONE,
    ("api.measures", "GET"): EVERYONE,
    ("api.measure", "GET"): EVERYONE,
    ("api.interim_reports", "GET"): EVERYONE,
    ("api.interim_report", "GET"): EVERYONE,
    ("measure_feed.feed", "GET"): EVERYONE,
    ("open_data.download_open_data", "GET"): EVERYONE,
    ("main.set_language", "POST"): EVERYONE,
    ("pages.show", "GET"): EVERYONE,
    ("easy_language.page", "GET"): EVERYONE,
    ("auth.register", "GET"): EVERYONE,
    ("auth.register", "POST"): EVERYONE,
    ("auth.login", "GET"): EVERYONE,
    ("auth.login", "POST"): EVERYONE,
    ("auth.logout", "POST"): EVERYONE,
    ("auth.confirm_email", "GET"): EVERYONE,
    ("auth.confirm_email", "POST"): EVERYONE,
    ("auth.resend_confirmation", "POST"): ACCOUNT_HOLDERS,
    ("auth.forgot_password", "GET"): EVERYONE,
    ("auth.forgot_password", "POST"): EVERYONE,
    ("auth.reset_password", "GET"): EVERYONE,
    ("auth.reset_password", "POST"): EVERYONE,
    # the link mailed to a new address works logged out too (it then asks for the password)
    ("auth.confirm_email_change", "GET"): EVERYONE,
    ("auth.confirm_email_change", "POST"): EVERYONE,
    # the link in the notice to the previous address undoes a change, logged out or in
    ("auth.revert_email_change", "GET"): EVERYONE,
    ("auth.revert_email_change", "POST"): EVERYONE,
    ("profile.profile", "GET"): ACCOUNT_HOLDERS,
    ("profile.profile", "POST"): ACCOUNT_HOLDERS,
    ("profile.change_password", "GET"): ACCOUNT_HOLDERS,
    ("profile.change_password", "POST"): ACCOUNT_HOLDERS,
    ("profile.contributions", "GET"): ACCOUNT_HOLDERS,
    ("profile.mails", "POST"): ACCOUNT_HOLDERS,
    # one's own data (issue 20): every account, blocked or unconfirmed too; for others only admins
    ("privacy.my_data", "GET"): ACCOUNT_HOLDERS,
    ("privacy.my_data", "POST"): ACCOUNT_HOLDERS,
    ("privacy.on_request", "GET"): ADMINS,
    ("privacy.on_request", "POST"): ADMINS,
    # unconfirmed accounts too; a blocked one asks the admins (a new account would shed the block)
    ("privacy.delete_account", "GET"): dict(ACCOUNT_HOLDERS, blocked=FORBIDDEN),
    ("privacy.delete_account", "POST"): dict(ACCOUNT_HOLDERS, blocked=FORBIDDEN),
    ("privacy.delete_on_request", "GET"): ADMINS,
    ("privacy.delete_on_request", "POST"): ADMINS,
    # while blocked, the address stays as it is (as the display name does)
    ("profile.change_email", "POST"): dict(ACCOUNT_HOLDERS, blocked=FORBIDDEN),
    ("profile.cancel_email_change", "POST"): ACCOUNT_HOLDERS,
    ("drafts.index", "GET"): EVERYONE,
    ("drafts.version", "GET"): EVERYONE,
    ("drafts.chapter", "GET"): EVERYONE,
    ("drafts.opinions", "GET"): EVERYONE,
    ("drafts.paragraph", "GET"): EVERYONE,
    ("drafts.compare", "GET"): EVERYONE,
    ("drafts.vote", "POST"): CONTRIBUTORS,
    ("comments.on_paragraph", "POST"): CONTRIBUTORS,
    ("comments.on_chapter", "POST"): CONTRIBUTORS,
    ("proposals.index", "GET"): EVERYONE,
    ("proposals.feed", "GET"): EVERYONE,
    ("proposals.show", "GET"): EVERYONE,
    ("contribution_paths.proposal", "GET"): EVERYONE,
    ("contribution_paths.comment", "GET"): EVERYONE,
    # the action concept in public (the sample measure is published)
    ("measures.german_address", "GET"): EVERYONE,
    ("measures.index", "GET"): EVERYONE,
    ("measures.show", "GET"): EVERYONE,
    ("measures.timeline", "GET"): EVERYONE,
    ("proposals.new", "GET"): CONTRIBUTORS,
    ("proposals.new", "POST"): CONTRIBUTORS,
    ("proposals.support", "POST"): CONTRIBUTORS,
    ("proposals.comment", "POST"): CONTRIBUTORS,
    ("proposals.edit", "GET"): AUTHOR,
    ("proposals.edit", "POST"): AUTHOR,
    ("proposals.withdraw", "GET"): AUTHOR,
    ("proposals.withdraw", "POST"): AUTHOR,
    ("proposals.revisions", "GET"): REVISION_READERS,
    ("proposals.follow", "POST"): CONTRIBUTORS,
    ("measure_talk.follow", "POST"): CONTRIBUTORS,
    ("drafts.follow_chapter", "POST"): CONTRIBUTORS,
    ("organisations.follow", "POST"): CONTRIBUTORS,
    ("measure_talk.unfollow", "POST"): ACCOUNT_HOLDERS,
    ("measure_talk.comment", "POST"): CONTRIBUTORS,
    # the sample board's verified member is the participant
    ("statements.on_report", "GET"): AUTHOR,
    ("statements.on_report", "POST"): AUTHOR,
    ("statements.on_version", "GET"): AUTHOR,
    ("statements.on_version", "POST"): AUTHOR,
    ("flags.proposal", "GET"): NOT_OWN,
    ("flags.proposal", "POST"): NOT_OWN,
    ("flags.comment", "GET"): NOT_OWN,
    ("flags.comment", "POST"): NOT_OWN,
    ("profile.join_organisation", "POST"): CONTRIBUTORS,
    ("profile.leave_organisation", "POST"): OWN_MEMBERSHIP,
    ("organisations.index", "GET"): ADMINS,
    ("organisations.index", "POST"): ADMINS,
    ("organisations.detail", "GET"): ADMINS,
    ("organisations.detail", "POST"): ADMINS,
    ("organisations.decide", "POST"): ADMINS,
    ("organisation_pages.index", "GET"): EVERYONE,
    ("organisation_pages.show", "GET"): EVERYONE,
    ("organisation_pages.document", "GET"): EVERYONE,
    ("organisation_pages.edit_description", "GET"): BOARD_MEMBERS,
    ("organisation_pages.edit_description", "POST"): BOARD_MEMBERS,
    ("organisation_pages.upload", "GET"): BOARD_MEMBERS,
    ("organisation_pages.upload", "POST"): BOARD_MEMBERS,
    ("organisation_pages.delete_document", "POST"): BOARD_MEMBERS,
    ("comments.show", "GET"): EVERYONE,
    ("comments.reply", "GET"): CONTRIBUTORS,
    ("comments.reply", "POST"): CONTRIBUTORS,
    ("comments.edit", "GET"): AUTHOR,
    ("comments.edit", "POST"): AUTHOR,
    ("comments.delete", "GET"): AUTHOR,
    ("comments.delete", "POST"): AUTHOR,
    ("planning.index", "GET"): PLANNERS,
    ("exports.index", "GET"): PLANNERS,
    ("measure_transfer.index", "GET"): PLANNERS,
    ("measure_transfer.index", "POST"): PLANNERS,
    ("measure_transfer.download", "GET"): PLANNERS,
    ("measure_transfer.preview", "GET"): OWN_IMPORT,
    ("measure_transfer.confirm", "POST"): PLANNERS,
    ("statistics.full_report", "GET"): PLANNERS,
    ("statistics.full_download", "GET"): PLANNERS,
    ("exports.download", "GET"): PLANNERS,
    ("exports.version_document", "GET"): PLANNERS,
    ("evaluation.queue", "GET"): PLANNERS,
    ("evaluation.answer", "GET"): PLANNERS,
    ("evaluation.answer", "POST"): PLANNERS,
    ("evaluation.comment_queue", "GET"): PLANNERS,
    ("evaluation.answer_comment", "GET"): PLANNERS,
    ("evaluation.answer_comment", "POST"): PLANNERS,
    ("planning.incorporate", "POST"): PLANNERS,
    ("planning.remove_incorporation", "POST"): PLANNERS,
    ("planning.copy_latest", "GET"): PLANNERS,
    ("planning.copy_latest", "POST"): PLANNERS,
    ("planning.version", "GET"): PLANNERS,
    ("planning.version", "POST"): PLANNERS,
    ("planning.version_status", "POST"): PLANNERS,
    ("planning.open_version", "GET"): PLANNERS,
    ("planning.open_version", "POST"): PLANNERS,
    ("planning.add_chapter", "POST"): PLANNERS,
    ("planning.chapter", "GET"): PLANNERS,
    ("planning.chapter", "POST"): PLANNERS,
    ("planning.chapter_easy_language", "POST"): PLANNERS,
    ("planning.arrange_chapter", "POST"): PLANNERS,
    ("planning.delete_chapter", "GET"): PLANNERS,
    ("planning.delete_chapter", "POST"): PLANNERS,
    ("planning.add_paragraph", "POST"): PLANNERS,
    ("planning.paragraph", "GET"): PLANNERS,
    ("planning.paragraph", "POST"): PLANNERS,
    ("planning.arrange_paragraph", "POST"): PLANNERS,
    ("planning.delete_paragraph", "GET"): PLANNERS,
    ("planning.delete_paragraph", "POST"): PLANNERS,
    ("planning.import_draft", "GET"): PLANNERS,
    ("planning.import_draft", "POST"): PLANNERS,
    ("planning.confirm_import", "POST"): PLANNERS,
    ("admin.index", "GET"): ADMINS,
    ("admin.users", "GET"): ADMINS,
    ("admin.user", "GET"): ADMINS,
    ("admin.user_roles", "POST"): ADMINS,
    ("admin.user_block", "POST"): ADMINS,
    ("admin.user_unblock", "POST"): ADMINS,
    ("admin.audit", "GET"): ADMINS,
    ("admin.settings", "GET"): ADMINS,
    ("admin.settings", "POST"): ADMINS,
    ("moderation.index", "GET"): MODERATORS,
    ("moderation.queue", "GET"): MODERATORS,
    ("moderation.decide", "POST"): MODERATORS,
    ("moderation.blocked", "GET"): MODERATORS,
    ("moderation.unblock", "POST"): MODERATORS,
    # the signed link in a mail is the authority: no login needed
    ("mail.stop", "GET"): EVERYONE,
    ("announcements.index", "GET"): EVERYONE,
    ("announcements.show", "GET"): EVERYONE,
    ("announcements.feed", "GET"): EVERYONE,
    ("announcements.confirm", "GET"): EVERYONE,
    ("announcements.stop", "GET"): EVERYONE,
    ("announcements.stop", "POST"): EVERYONE,
    ("announcements.subscribe", "POST"): CONTRIBUTORS,
    ("announcements.unsubscribe", "POST"): ACCOUNT_HOLDERS,
    ("announcements.planning_index", "GET"): PLANNERS,
    ("announcements.new", "GET"): PLANNERS,
    ("announcements.new", "POST"): PLANNERS,
    ("announcements.edit", "GET"): PLANNERS,
    ("announcements.edit", "POST"): PLANNERS,
    ("announcements.publish", "GET"): PLANNERS,
    ("announcements.publish", "POST"): PLANNERS,
    ("mail.stop", "POST"): EVERYONE,
    ("mail.resume", "POST"): EVERYONE,
    ("admin.audit_csv", "GET"): ADMINS,
    ("admin.pages", "GET"): ADMINS,
    ("admin.page_edit", "GET"): ADMINS,
    ("admin.page_edit", "POST"): ADMINS,
    ("admin.phases", "GET"): ADMINS,
    ("admin.new_phase", "GET"): ADMINS,
    ("admin.new_phase", "POST"): ADMINS,
    ("admin.phase", "GET"): ADMINS,
    ("admin.phase", "POST"): ADMINS,
    ("admin.move_phase", "POST"): ADMINS,
    ("admin.end_phase", "POST"): ADMINS,
    ("admin.delete_phase", "POST"): ADMINS,
    # interim reports: the public reads the published ones (the sample); planners make them
    ("reports.index", "GET"): EVERYONE,
    ("reports.show", "GET"): EVERYONE,
    ("reports.download_docx", "GET"): EVERYONE,
    ("reports.download_markdown", "GET"): EVERYONE,
    ("reports.compare", "GET"): EVERYONE,
    ("reports.planning_index", "GET"): PLANNERS,
    ("reports.new", "GET"): PLANNERS,
    ("reports.new", "POST"): PLANNERS,
    ("reports.manage", "GET"): PLANNERS,
    ("reports.section", "POST"): PLANNERS,
    ("reports.refresh", "POST"): PLANNERS,
    ("reports.publish", "GET"): PLANNERS,
    ("reports.publish", "POST"): PLANNERS,
    ("reports.delete", "GET"): PLANNERS,
    ("reports.delete", "POST"): PLANNERS,
    ("reports.correct", "POST"): PLANNERS,
    # the editors' pages: planners, and an organisation's members for its measures (no persona here is one)
    ("measure_editing.index", "GET"): PLANNERS,
    ("measure_editing.new", "GET"): PLANNERS,
    ("measure_editing.new", "POST"): PLANNERS,
    ("measure_editing.edit", "GET"): PLANNERS,
    ("measure_editing.edit", "POST"): PLANNERS,
    ("measure_editing.publish", "POST"): PLANNERS,
    ("measure_editing.delete", "GET"): PLANNERS,
    ("measure_editing.delete", "POST"): PLANNERS,
    ("measure_editing.add_milestone", "POST"): PLANNERS,
    ("measure_editing.milestone", "GET"): PLANNERS,
    ("measure_editing.milestone", "POST"): PLANNERS,
    ("measure_editing.remove_milestone", "POST"): PLANNERS,
    ("measure_editing.add_indicator", "POST"): PLANNERS,
    ("measure_editing.indicator", "GET"): PLANNERS,
    ("measure_editing.indicator", "POST"): PLANNERS,
    ("measure_editing.remove_indicator", "POST"): PLANNERS,
    ("measure_editing.add_value", "POST"): PLANNERS,
    ("measure_editing.remove_value", "POST"): PLANNERS,
    ("measure_editing.link_paragraph", "POST"): PLANNERS,
    ("measure_editing.unlink_paragraph", "POST"): PLANNERS,
    ("measure_editing.link_source", "POST"): PLANNERS,
    ("measure_editing.unlink_source", "POST"): PLANNERS,
    ("measure_editing.post_update", "POST"): PLANNERS,
}


def outcome(response) -> str:
    if response.status_code >= 500 or response.status_code == 405:
        return f"error {response.status_code}"
    if response.status_code in (301, 302, 303):
        target = urlsplit(response.headers["Location"])
        # sent to log in first (with the way back), not merely shown the login page afterwards
        if target.path == "/login" and "next=" in target.query:
            return LOGIN
    return {403: FORBIDDEN, 404: NOT_FOUND}.get(response.status_code, OK)


def test_every_route_is_in_the_table(app):
    present = {(endpoint, method) for endpoint, method, rule in routes(app)}
    assert sorted(present - set(EXPECTED)) == [], "new routes: add them to EXPECTED"
    assert sorted(set(EXPECTED) - present) == [], "routes that no longer exist: remove them from EXPECTED"
    for key, row in EXPECTED.items():
        assert set(row) == set(PERSONAS), key


def test_permission_matrix(app, db):
    site = seed_site()
    differences = []
    for endpoint, method, rule in routes(app):
        for persona in PERSONAS:
            client = app.test_client()
            browser = Browser(client)
            if persona != "visitor":
                assert browser.login(site.email(persona), unconfirmed=persona == "unconfirmed").status_code == 302, (
                    persona
                )
            url = url_for_rule(rule, site)
            if method == "GET":
                response = client.get(url)
            else:
                token = csrf_token_from(client.get("/").get_data(as_text=True))
                response = client.open(url, method=method, data={"csrf_token": token})
            got = outcome(response)
            expected = EXPECTED.get((endpoint, method), {}).get(persona, "missing from EXPECTED")
            if got != expected:
                differences.append(f"{method} {url} as {persona}: expected {expected}, got {got}")
    assert differences == []
