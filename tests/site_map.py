"""Every page of the app, found by walking the URL map, and the people who look at them.

A new route is picked up by the accessibility, HTML, header and permission suites without
anyone listing it. A route whose URL needs an argument that SAMPLE_ARGUMENTS cannot fill
fails those suites until a sample is added here.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from flask import Flask

from participation.auth.services import CONFIRM, RESET
from participation.auth.tokens import make_token
from participation.core.models import utcnow
from participation.extensions import db
from participation.seed import seed_demo
from tests import site_map_action
from tests.factories import PASSWORD, UserFactory

PERSONAS = ("visitor", "unconfirmed", "participant", "blocked", "moderator", "planner", "admin")

# persona -> (email, roles, confirmed, blocked)
PERSONA_ACCOUNTS = {
    "unconfirmed": ("p-unconfirmed@example.org", ("participant",), False, False),
    "participant": ("p-participant@example.org", ("participant",), True, False),
    "blocked": ("p-blocked@example.org", ("participant",), True, True),
    "moderator": ("p-moderator@example.org", ("participant", "moderator"), True, False),
    "planner": ("p-planner@example.org", ("participant", "planner"), True, False),
    "admin": ("p-admin@example.org", ("participant", "admin"), True, False),
}

# URLs beyond what the map yields: states of a page that its sample arguments do not show
EXTRA_GET_URLS = [
    "/confirm/not-a-valid-token",
    "/email/confirm/not-a-valid-token",
    "/email/revert/not-a-valid-token",
    "/password/reset/not-a-valid-token",
    "/does-not-exist",
    "/moderation/reported",
    "/moderation/hidden",
    # the legal pages beside /pages/privacy (the slug's sample): each shows its facts in its own structure
    "/pages/imprint",
    "/pages/accessibility",
    "/admin/pages/imprint",
    "/admin/pages/accessibility",
]

# endpoints that serve files, not pages
NOT_PAGES = {"static"}
# downloads: in the permission matrix, but no page for the page suites (a browser saves them)
DOWNLOADS = {
    "admin.audit_csv",
    "exports.download",
    "exports.version_document",
    "measure_transfer.download",
    "organisation_pages.document",
    "statistics.summary_download",
    "statistics.full_download",
    "open_data.download_open_data",
    "reports.download_docx",
    "reports.download_markdown",
    # the JSON API: documents for programs, checked against its OpenAPI description (test_api)
    "api.versions",
    "api.version",
    "api.paragraphs",
    "api.proposals",
    "api.proposal",
    "api.comments",
    "api.phases",
    "api.measures",
    "api.measure",
    "api.interim_reports",
    "api.interim_report",
    "openapi.openapi",
    "events.calendar",
}


@dataclass
class Site:
    """The seeded objects that URL arguments point at."""

    users: dict = field(default_factory=dict)
    target_id: int = 0
    # the public version (open for comments) and a copy being prepared, for the planners' pages
    public: dict = field(default_factory=dict)
    preparing: dict = field(default_factory=dict)
    comments: dict = field(default_factory=dict)
    proposal_id: int = 0
    proposal_author_id: int = 0
    organisation_id: int = 0
    membership_id: int = 0
    accepted_id: int = 0
    # interim reports: a published one (the public pages) and a draft (the planners' pages)
    published_report_id: int = 0
    draft_report_id: int = 0
    # the action concept: a public measure with a part of every kind, by sample argument
    measures: dict = field(default_factory=dict)
    board_id: int = 0  # an advisory board whose verified member the participant is
    strategy_document_id: int = 0  # a PDF on the board's page
    announcements: dict = field(default_factory=dict)  # a published one and a draft

    def email(self, persona: str) -> str:
        return PERSONA_ACCOUNTS[persona][0]


def seed_site() -> Site:
    """Demo data plus one account per persona and a target account that roles and blocks aim at."""
    seed_demo()
    site = Site()
    for persona, (email, roles, confirmed, blocked) in PERSONA_ACCOUNTS.items():
        user = UserFactory(email=email, display_name=f"Persona {persona}", roles=roles, confirmed=confirmed)
        if blocked:
            user.blocked_at = utcnow()
            user.blocked_reason = "Demo block"
        site.users[persona] = user
    # the participant's account page shows a new address waiting for its confirmation
    site.users["participant"].pending_email = "p-participant-neu@example.org"
    site.users["participant"].pending_email_requested_at = utcnow()
    target = UserFactory(email="target@example.org", display_name="Target Person")
    db.session.flush()
    site.target_id = target.id
    _seed_draft_samples(site)
    site.proposal_id = _proposal_by(site.users["participant"], "Ein Beispielvorschlag").id
    site.proposal_author_id = site.users["participant"].id
    _seed_organisation(site)
    _seed_moderation(site, target)
    _seed_incorporation(site, target)
    site_map_action.seed_measure(site)
    site_map_action.seed_reports(site)
    site_map_action.seed_measure_talk(site, target)
    site_map_action.seed_announcements(site)
    db.session.commit()
    return site


def _seed_incorporation(site: Site, author) -> None:
    """An accepted proposal, taken into a paragraph of the version being prepared."""
    from participation.drafts.models import Paragraph
    from participation.incorporation import services as incorporation
    from participation.proposals import services

    accepted = services.submit(author, "Angenommen", "Ein angenommener Vorschlag.", "education")
    services.answer(site.users["planner"], accepted, "accepted", "Kommt in den Plan.")
    site.accepted_id = accepted.id
    paragraph = db.session.get(Paragraph, site.preparing["paragraph_id"])
    incorporation.incorporate(site.users["planner"], paragraph, accepted, "full", "Ganz übernommen.")


def _incorporation_sample(site: Site, endpoint: str) -> int:
    """Removing uses its sample up: each remove URL gets an incorporation of its own."""
    from participation.comments.models import Comment
    from participation.drafts.models import Paragraph
    from participation.evaluation.services import answer_comment
    from participation.incorporation import services as incorporation

    comment = db.session.get(Comment, site.comments["main"])
    if comment.answer_status != "accepted":
        answer_comment(site.users["planner"], comment, "accepted", "Ja.")
    paragraph = db.session.get(Paragraph, site.preparing["paragraph_id"])
    row = incorporation.incorporate(site.users["planner"], paragraph, comment, "partly", "")
    db.session.commit()
    return row.id


def _seed_moderation(site: Site, author) -> None:
    """Something in every moderation queue: a proposal and a comment waiting for approval, a
    reported proposal hidden by its reports, a comment hidden by a moderator."""
    from participation.comments.services import add_comment
    from participation.moderation import services as moderation
    from participation.proposals import services
    from participation.proposals.models import Proposal

    services.submit(author, "Wartet auf Freigabe", "Ein neuer Vorschlag für Kalk.", "education", held_because=["first"])
    proposal = db.session.get(Proposal, site.proposal_id)
    add_comment(author, "Ein wartender Kommentar.", None, proposal=proposal, held_because=["first"])
    reported = services.submit(author, "Oft gemeldet", "Ein gemeldeter Vorschlag.", "smart_city")
    for persona in ("moderator", "planner", "admin"):
        moderation.flag(site.users[persona], reported, "insult", "Beleidigend gegenüber Nachbarn.")
    hidden = add_comment(author, "Ein ausgeblendeter Kommentar.", None, proposal=proposal, held_because=["first"])
    assert moderation.decide(site.users["admin"], hidden, moderation.Decision("new", "hide", "spam")) is None


def _proposal_by(author, title: str):
    from participation.comments.services import add_comment
    from participation.proposals import services

    proposal = services.submit(author, title, f"{title}: mehr Bäume mit Sensoren in Nippes.", "smart_city")
    services.edit(proposal, title, f"{title}: mehr Bäume mit Sensoren in Nippes und Ehrenfeld.", "smart_city", None, "")
    add_comment(author, "Ein Kommentar zum Vorschlag.", None, proposal=proposal)
    return proposal


def _seed_organisation(site: Site) -> None:
    from participation.organisations.models import Organisation
    from participation.organisations.services import request_membership

    organisation = Organisation(name="Beispiel GmbH", kind="business")
    db.session.add(organisation)
    db.session.flush()
    site.organisation_id = organisation.id
    site.membership_id = request_membership(site.users["participant"], organisation, "Pressestelle").id


def _membership_sample(site: Site, endpoint: str) -> int:
    """Leaving uses its sample up: each leave URL gets a membership of its own."""
    if endpoint != "profile.leave_organisation":
        return site.membership_id
    from participation.accounts.models import User
    from participation.organisations.models import Organisation
    from participation.organisations.services import request_membership

    organisation = Organisation(
        name=f"Verein {db.session.scalar(db.select(db.func.count(Organisation.id)))}", kind="association"
    )
    db.session.add(organisation)
    db.session.flush()
    membership_id = request_membership(db.session.get(User, site.proposal_author_id), organisation, "Vorstand").id
    db.session.commit()
    return membership_id


def _proposal_sample(site: Site, endpoint: str) -> int:
    """Withdrawing uses its sample up: each withdraw URL gets a proposal of its own."""
    if endpoint == "proposals.withdraw":
        from participation.accounts.models import User
        from participation.proposals.models import Proposal

        number = db.session.scalar(db.select(db.func.count(Proposal.id)))
        # a text of its own: the same text again would be held for review as a repetition
        proposal = _proposal_by(db.session.get(User, site.proposal_author_id), f"Zum Zurückziehen {number}")
        # written earlier, so the samples do not count against the participant's daily limit
        proposal.created_at -= timedelta(days=2)
        db.session.commit()
        return proposal.id
    return site.proposal_id


def _seed_draft_samples(site: Site) -> None:
    from participation.comments.services import add_comment
    from participation.drafts import services
    from participation.drafts.models import MasterplanVersion

    public = db.session.scalar(db.select(MasterplanVersion).where(MasterplanVersion.number == 1))
    chapter = public.chapters[1]
    paragraph = chapter.paragraphs[0]
    site.public = {"number": public.number, "chapter_id": chapter.id, "paragraph_id": paragraph.id}
    author = site.users["participant"]
    site.comments = {
        "main": add_comment(author, "Ein Beispielkommentar.", "question", chapter, paragraph).id,
        "to_delete": add_comment(author, "Wird gelöscht.", None, chapter, paragraph).id,
    }
    copy = services.copy_version(None, public)
    site.preparing = {
        "number": copy.number,
        "chapter_id": copy.chapters[1].id,
        "paragraph_id": copy.chapters[1].paragraphs[0].id,
    }


def _draft(site: Site, endpoint: str, key: str):
    """Planners' pages work on the version being prepared; everything else on the public one."""
    return (site.preparing if endpoint.startswith("planning.") else site.public)[key]


def _disposable(site: Site, key: str) -> int:
    """Deleting uses its sample up: each delete URL gets a chapter (with a paragraph) of its own
    in the version being prepared."""
    from participation.drafts.models import Chapter, MasterplanVersion, Paragraph

    version = db.session.scalar(
        db.select(MasterplanVersion).where(MasterplanVersion.number == site.preparing["number"])
    )
    chapter = Chapter(title="Zum Löschen", position=len(version.chapters) + 1)
    chapter.paragraphs.append(Paragraph(text="Ein Absatz zum Löschen.", position=1))
    version.chapters.append(chapter)
    db.session.commit()
    return chapter.id if key == "chapter_id" else chapter.paragraphs[0].id


def _draft_or_disposable(key: str):
    def sample(site: Site, endpoint: str) -> int:
        if endpoint in ("planning.delete_chapter", "planning.delete_paragraph"):
            return _disposable(site, key)
        return _draft(site, endpoint, key)

    return sample


def _phase_sample(site: Site, endpoint: str) -> int:
    """A planned phase of the demo; ending and deleting use theirs up: each such URL gets a
    running (opening nothing) or a planned phase of its own."""
    from participation.phases.models import Phase

    if endpoint in ("admin.end_phase", "admin.delete_phase"):
        offset = timedelta(days=-1 if endpoint == "admin.end_phase" else 200)
        phase = Phase(  # a slug of its own: counting would repeat one after a deletion
            slug=f"sample-{uuid.uuid4().hex[:12]}",
            title_de="Probe",
            title_en="Sample",
            starts_at=utcnow() + offset,
            position=99,
        )
        db.session.add(phase)
        db.session.commit()
        return phase.id
    return db.session.scalar(db.select(Phase.id).where(Phase.slug == "evaluation"))


SAMPLE_ARGUMENTS = {
    "user_id": lambda site, endpoint: _user_sample(site, endpoint),
    "slug": lambda site, endpoint: "privacy",
    "token": lambda site, endpoint: _token(site, endpoint),
    "number": lambda site, endpoint: _draft(site, endpoint, "number"),
    "chapter_id": _draft_or_disposable("chapter_id"),
    "paragraph_id": _draft_or_disposable("paragraph_id"),
    "proposal_id": _proposal_sample,
    "organisation_id": lambda site, endpoint: (
        site.board_id if endpoint.startswith(("statements.", "organisation_pages.")) else site.organisation_id
    ),
    "membership_id": _membership_sample,
    "queue": lambda site, endpoint: "new",
    "kind": lambda site, endpoint: "proposals",
    "key": lambda site, endpoint: "report",
    "fmt": lambda site, endpoint: "docx" if endpoint == "exports.version_document" else "xlsx",
    "item": lambda site, endpoint: f"proposal:{site.accepted_id}",
    "incorporation_id": _incorporation_sample,
    "phase_id": _phase_sample,
    "import_id": site_map_action.measure_import_sample,
    "measure_id": site_map_action.measure_sample("measure_id"),
    "milestone_id": site_map_action.measure_sample("milestone_id"),
    "indicator_id": site_map_action.measure_sample("indicator_id"),
    "value_id": site_map_action.measure_sample("value_id"),
    "link_id": site_map_action.measure_sample("link_id"),
    "source_id": site_map_action.measure_sample("source_id"),
    "comment_id": lambda site, endpoint: site.comments["to_delete" if endpoint == "comments.delete" else "main"],
    "report_id": site_map_action.report_sample,
    "topic": lambda site, endpoint: "infrastructure",
    "document_id": site_map_action.strategy_document_sample,
    "event_id": lambda site, endpoint: event_sample(site, endpoint),
    "offline_source_id": lambda site, endpoint: _source_sample(),
    "announcement_id": site_map_action.announcement_sample,
}


def event_sample(site: Site, endpoint: str) -> int:
    """An upcoming event; deleting uses its sample up: each delete URL gets an event of its own."""
    from participation.events.models import Event

    if endpoint != "events.delete":
        found = db.session.scalar(db.select(Event.id).order_by(Event.id).limit(1))
        if found is not None:
            return found
    event = Event(
        title_de="Workshop Chorweiler",
        title_en="Workshop Chorweiler",
        place="Bürgerzentrum Chorweiler, Pariser Platz 1",
        accessibility="Aufzug vorhanden",
        step_free=True,
        registration_url="https://example.org/anmelden",
        starts_at=utcnow() + timedelta(days=10),
        ends_at=utcnow() + timedelta(days=10, hours=2),
    )
    db.session.add(event)
    db.session.commit()
    return event.id


def _source_sample() -> int:
    from participation.events.models import OfflineSource

    found = db.session.scalar(db.select(OfflineSource.id).order_by(OfflineSource.id).limit(1))
    if found is not None:
        return found
    source = OfflineSource(kind="workshop", name="Workshop Chorweiler", held_on=utcnow().date(), participants=12)
    db.session.add(source)
    db.session.commit()
    return source.id


def _user_sample(site: Site, endpoint: str) -> int:
    """The target account; deleting an account uses its sample up: each such URL gets one of its own."""
    if endpoint != "privacy.delete_on_request":
        return site.target_id
    doomed = UserFactory(email=f"geht-{uuid.uuid4().hex[:12]}@example.org", display_name=f"Geht {uuid.uuid4().hex[:8]}")
    db.session.commit()
    return doomed.id


def _token(site: Site, endpoint: str) -> str:
    target = db.session.get(type(site.users["participant"]), site.target_id)
    if endpoint == "auth.confirm_email":
        return make_token(CONFIRM, {"u": target.id, "e": target.email})
    if endpoint == "auth.reset_password":
        from participation.auth.services import reset_payload

        return make_token(RESET, reset_payload(target))
    if endpoint == "auth.confirm_email_change":
        return email_change_token()
    if endpoint == "auth.revert_email_change":
        return email_revert_token()
    if endpoint.startswith("announcements."):
        return site_map_action.announcement_token(target, endpoint)
    if endpoint in ("mail.stop", "mail.resume"):
        from participation.mail.notifications import opt_out_token

        return opt_out_token(target, "answers")
    raise MissingSample(f"no token sample for {endpoint}: add one in tests/site_map.py")


def email_change_token() -> str:
    """A pending change of address of an account of its own (confirming it changes the address,
    and every URL makes a new request, which the older links do not survive: the suites that
    post a confirmation get a live link, the pages a valid one)."""
    from participation.accounts.models import User, canonical_display_name
    from participation.auth import address

    user = db.session.scalar(db.select(User).where(User.display_name_canonical == canonical_display_name("Umzug")))
    if user is None:
        user = UserFactory(email="umzug@example.org", display_name="Umzug")
    user.pending_email = f"umzug-{uuid.uuid4().hex[:12]}@example.org"
    user.pending_email_requested_at = utcnow()
    db.session.commit()
    return address.change_token(user)


def email_revert_token() -> str:
    """The link to undo a confirmed change of address, of an account of its own (undoing it gives
    the account back the address it had, a fresh one for every URL, so that every suite that
    posts it finds a live link)."""
    from participation.accounts.models import User, canonical_display_name
    from participation.auth import revert
    from participation.core.audit import record_decision

    user = db.session.scalar(db.select(User).where(User.display_name_canonical == canonical_display_name("Rückkehr")))
    if user is None:
        user = UserFactory(email="rueckkehr@example.org", display_name="Rückkehr")
    change = record_decision(user, "change_email", user)
    db.session.commit()
    return revert.revert_token(user, f"rueckkehr-{uuid.uuid4().hex[:12]}@example.org", change)


class MissingSample(AssertionError):
    pass


def routes(app: Flask):
    """(endpoint, method, rule) for every route and method, static files excepted."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if rule.endpoint in NOT_PAGES:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, rule


def url_for_rule(rule, site: Site) -> str:
    values = {}
    for argument in sorted(rule.arguments):
        if argument not in SAMPLE_ARGUMENTS:
            raise MissingSample(f"{rule.rule}: no sample value for <{argument}>; add one to SAMPLE_ARGUMENTS")
        values[argument] = SAMPLE_ARGUMENTS[argument](site, rule.endpoint)
    return rule.build(values, append_unknown=False)[1]


def get_pages(app: Flask, site: Site) -> list[str]:
    """Every URL reachable by GET, with sample arguments, plus the extra states."""
    urls = [
        url_for_rule(rule, site)
        for endpoint, method, rule in routes(app)
        if method == "GET" and endpoint not in DOWNLOADS
    ]
    return sorted(set(urls)) + EXTRA_GET_URLS


def password_of(persona: str) -> str:
    return PASSWORD


def form_states(browser) -> dict[str, object]:
    """Pages that only a POST shows (error summaries, previews), as a participant sees them:
    {name: response}. `browser` is logged in as the participant persona."""
    form = {"title": "Mehr Bäume mit Sensoren", "body": "Bäume mit **Sensoren** in Nippes.", "topic": "smart_city"}
    return {
        "proposal-errors": browser.submit("/proposals/new", {"title": "x" * 200}),
        "proposal-similar": browser.submit("/proposals/new", form),
        # the account page with the change of address sent with errors
        "email-change-errors": browser.submit(
            "/account/", {"new_email": "keine Adresse", "current_password": "falsch"}, action="/account/email"
        ),
    }
