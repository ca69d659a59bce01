"""Demo data for a believable Cologne masterplan process. Running it again adds only what is missing."""

from __future__ import annotations

import secrets
from datetime import timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from participation.accounts.models import find_user_by_email
from participation.auth.services import create_user
from participation.core.models import utcnow
from participation.easy_language.demo import seed_demo_summaries
from participation.extensions import db
from participation.measures.demo import seed_demo_measures
from participation.moderation.demo import seed_demo_moderation
from participation.organisations.demo import seed_demo_organisations
from participation.pages.defaults import seed_pages
from participation.phases.models import Phase
from participation.proposals.demo import seed_demo_proposals
from participation.reporting.demo import seed_demo_reports

# (email, display name, stakeholder group, roles, confirmed, blocked reason)
DEMO_USERS = [
    ("admin@example.org", "Stabsstelle Admin", "administration", ("participant", "admin"), True, None),
    ("moderation@example.org", "Moderation Team", "administration", ("participant", "moderator"), True, None),
    ("planung@example.org", "Planung Digitalisierung", "administration", ("participant", "planner"), True, None),
    ("anna@example.org", "Anna aus Ehrenfeld", "residents", ("participant",), True, None),
    ("mehmet@example.org", "Mehmet K.", "residents", ("participant",), True, None),
    ("startup@example.org", "Rheinstart GmbH", "businesses", ("participant",), True, None),
    ("uni@example.org", "Lehrstuhl Stadtinformatik", "universities", ("participant",), True, None),
    ("stadtwerke@example.org", "Team Digital Stadtwerke", "municipal_companies", ("participant",), True, None),
    ("verein@example.org", "Digitalverein Köln e.V.", "civil_society", ("participant",), True, None),
    # verified members: of RheinEnergie (edits its measures) and of the advisory board (statements)
    ("rheinenergie@example.org", "RheinEnergie Projektbüro", "municipal_companies", ("participant",), True, None),
    ("beirat@example.org", "Geschäftsstelle Beirat", "civil_society", ("participant",), True, None),
    ("amt@example.org", "Amt für Informationsverarbeitung", "administration", ("participant",), True, None),
    ("gast@example.org", "Gast aus Bonn", "other", ("participant",), True, None),
    ("neu@example.org", "Noch unbestätigt", "residents", ("participant",), False, None),
    (
        "gesperrt@example.org",
        "Gesperrtes Konto",
        "residents",
        ("participant",),
        True,
        "Wiederholte Beleidigungen trotz Hinweis auf die Netiquette (Demo)",
    ),
]

# (slug, German title, English title, German text, English text, start offset days, length days, opens)
PHASES = [
    (
        "ideas",
        "Ideen sammeln",
        "Collecting ideas",
        "Bringen Sie Ihre Vorschläge für das digitale Köln ein.",
        "Bring your proposals for a digital Cologne.",
        -30,
        60,
        ("proposals", "supports"),
    ),
    (
        "draft-1",
        "Entwurf 1 kommentieren",
        "Commenting draft 1",
        "Kommentieren und bewerten Sie den ersten Entwurf Absatz für Absatz.",
        "Comment on and vote on the first draft paragraph by paragraph.",
        -10,
        40,
        ("draft_comments", "draft_votes", "supports"),
    ),
    (
        "evaluation",
        "Auswertung",
        "Evaluation",
        "Die Stabsstelle beantwortet die Beiträge und arbeitet sie in den nächsten Entwurf ein.",
        "The digitalisation unit answers the contributions and works them into the next draft.",
        30,
        45,
        (),
    ),
    (
        "draft-2",
        "Entwurf 2 kommentieren",
        "Commenting draft 2",
        "Kommentieren Sie den überarbeiteten Entwurf.",
        "Comment on the revised draft.",
        75,
        30,
        (),  # opens comments and votes once version 2 exists: an admin binds it then
    ),
    (
        "adoption",
        "Beschluss",
        "Adoption",
        "Der Rat beschließt den Masterplan „Digitales Köln 2025“.",
        'The council adopts the masterplan "Digitales Köln 2025".',
        105,
        None,
        (),
    ),
]


def seed_demo() -> list[tuple[str, tuple[str, ...]]]:
    development = current_app.config["APP_ENV"] == "development"
    now = utcnow()
    logins = []
    for email, name, group, roles, confirmed, blocked in DEMO_USERS:
        if find_user_by_email(email) is None:
            password = current_app.config["DEMO_PASSWORD"] if development else secrets.token_urlsafe(18)
            user = create_user(email, name, password, group, roles=roles, confirmed=confirmed)
            if blocked:
                user.blocked_at = now
                user.blocked_until = now + timedelta(days=14)
                user.blocked_reason = blocked
        logins.append((email, roles))

    seed_pages()

    existing_phases = set(db.session.scalars(select(Phase.slug)))
    start_of_day = now.astimezone(ZoneInfo("Europe/Berlin")).replace(hour=0, minute=0, second=0, microsecond=0)
    for position, (slug, title_de, title_en, text_de, text_en, offset, length, opens) in enumerate(PHASES):
        if slug in existing_phases:
            continue
        starts = start_of_day + timedelta(days=offset)
        db.session.add(
            Phase(
                slug=slug,
                position=position,
                title_de=title_de,
                title_en=title_en,
                description_de=text_de,
                description_en=text_en,
                starts_at=starts,
                ends_at=starts + timedelta(days=length) if length else None,
                **{f"opens_{action}": True for action in opens},
            )
        )
    db.session.flush()
    seed_demo_draft()
    bind_demo_phase()
    seed_demo_organisations()
    created = seed_demo_proposals()
    if created:  # only together with the proposals it refers to
        seed_demo_moderation(created)
    seed_demo_measures()
    seed_demo_summaries()
    seed_demo_reports()
    return logins


def bind_demo_phase() -> None:
    """The phase "Entwurf 1 kommentieren" opens comments and votes on version 1."""
    from participation.drafts.models import MasterplanVersion

    phase = db.session.scalar(select(Phase).where(Phase.slug == "draft-1"))
    first = db.session.scalar(select(MasterplanVersion.id).where(MasterplanVersion.number == 1))
    if phase is not None and phase.version_id is None and first is not None:
        phase.version_id = first
        db.session.flush()


CHAPTER_TOPICS = [
    "vision",
    "education",
    "economy",
    "administration",
    "smart_city",
    "open_data",
    "infrastructure",
    "cities",
]


def seed_demo_draft() -> None:
    """Version 1 of the masterplan, open for comments, with comments and votes from demo users of
    every stakeholder group. Only when there is no version yet."""
    import random
    from pathlib import Path

    from participation.comments.services import add_comment
    from participation.drafts import services
    from participation.drafts.demo_comments import DEMO_COMMENTS
    from participation.drafts.importer import apply_draft, parse_markdown
    from participation.drafts.models import MasterplanVersion

    if db.session.scalar(select(MasterplanVersion.id).limit(1)) is not None:
        return
    draft = parse_markdown((Path(__file__).parent / "drafts" / "demo_draft.md").read_text(encoding="utf-8"))
    version = services.create_version(None, "Digitales Köln 2025 – Entwurf 1")
    apply_draft(version, draft)
    version.summary_of_changes = "Erster Entwurf der Verwaltung, zur Diskussion gestellt."
    for chapter, topic in zip(version.chapters, CHAPTER_TOPICS, strict=False):
        chapter.topic = topic
    services.open_consultation(None, version)
    db.session.flush()

    voters = [
        find_user_by_email(email)
        for email, _name, _group, _roles, confirmed, blocked in DEMO_USERS
        if confirmed and not blocked
    ]
    by_group = {}
    for voter in voters:
        by_group.setdefault(voter.stakeholder_group, []).append(voter)
    rng = random.Random(2022)  # noqa: S311 (demo data, reproducible, not security)
    for chapter in version.chapters:
        for paragraph in chapter.paragraphs:
            leaning = rng.choice([1, 1, 1, 0, -1])
            for voter in voters:
                if rng.random() < 0.6:
                    value = leaning if rng.random() < 0.7 else rng.choice([1, 0, -1])
                    services.cast_vote(voter, paragraph, value)
    for number, (chapter_no, paragraph_no, group, kind, text, reply) in enumerate(DEMO_COMMENTS):
        chapter = version.chapters[chapter_no - 1]
        paragraph = chapter.paragraphs[paragraph_no - 1] if paragraph_no else None
        people = by_group.get(group) or voters
        author = people[number % len(people)]
        comment = add_comment(author, text, kind, chapter, paragraph)
        if reply:
            others = [v for v in voters if v is not author]
            add_comment(others[number % len(others)], reply, None, chapter, parent=comment)
