"""Cologne-sized data for benchmarks: `flask seed scale` (from a checkout: the installed package
leaves it out, as it leaves out bench/ceiling.py). Reproducible (seeded random numbers),
inserted in bulk. Each area adds its step to SCALE_STEPS as it comes."""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import func, insert, select, text
from werkzeug.security import generate_password_hash

from bench.scale_measures import scale_measures
from participation.accounts.models import User, UserRole, canonical_display_name
from participation.core.audit import ModerationDecision
from participation.core.models import utcnow
from participation.extensions import db

# the size of a successful city-wide process (issue "quality harness")
DEFAULT_SIZES = {
    "users": 100_000,
    "proposals": 20_000,
    "comments": 250_000,
    "supports": 300_000,
    "draft_votes": 1_000_000,
    # the moderation: comments waiting for approval, reports (a tenth still open) and decisions
    "pending_comments": 2_000,
    "reports": 20_000,
    "decisions": 20_000,
    # the action concept at ten times its realistic size (bench/scale_measures.py)
    "measures": 2_000,
    "measure_updates": 10_000,
    "indicator_values": 10_000,
    "interim_reports": 10,
}

UNSCALED = {"interim_reports"}

# who takes part: mostly residents, then civil society and businesses
STAKEHOLDER_MIX = {
    "residents": 70,
    "civil_society": 8,
    "businesses": 8,
    "universities": 6,
    "administration": 4,
    "municipal_companies": 2,
    "other": 2,
}

SCALE_PASSWORD = "Koeln-scale-2025"
SCALE_EMAIL = "scale{}@example.org"
BATCH = 5_000

FIRST = [
    "Anna",
    "Ben",
    "Clara",
    "Deniz",
    "Emil",
    "Fatma",
    "Greta",
    "Hannes",
    "Ilse",
    "Jonas",
    "Kübra",
    "Lukas",
    "Mia",
    "Noah",
    "Olga",
    "Paul",
    "Rosa",
    "Sami",
    "Tim",
    "Ulla",
    "Vera",
    "Willi",
    "Yusuf",
    "Zoe",
]
PLACES = [
    "Ehrenfeld",
    "Nippes",
    "Kalk",
    "Porz",
    "Mülheim",
    "Chorweiler",
    "Lindenthal",
    "Rodenkirchen",
    "Innenstadt",
    "Deutz",
    "Sülz",
    "Bickendorf",
    "Zollstock",
    "Dellbrück",
    "Weiden",
    "Bayenthal",
]


@dataclass
class ScaleRun:
    sizes: dict
    rng: random.Random
    report: list[str] = field(default_factory=list)


def _next_id(model) -> int:
    return (db.session.scalar(select(func.max(model.id))) or 0) + 1


def _reset_sequence(table: str) -> None:
    if db.engine.dialect.name == "postgresql":
        db.session.execute(
            text(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), (SELECT MAX(id) FROM \"{table}\"))")
        )


def _bulk(table, rows) -> None:
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(table), rows[start : start + BATCH])


def scale_users(run: ScaleRun) -> str:
    count = run.sizes["users"]
    if db.session.scalar(select(func.count(User.id)).where(User.email.like("scale%@example.org"))):
        return "users: scale accounts exist already, left as they are"
    rng, now = run.rng, utcnow()
    password_hash = generate_password_hash(SCALE_PASSWORD, method="pbkdf2:sha256:1")
    groups, weights = zip(*STAKEHOLDER_MIX.items(), strict=True)
    first_id = _next_id(User)
    users, roles, decisions = [], [], []
    admin_id = first_id  # the first scale account administers the others
    for n in range(count):
        user_id = first_id + n
        created = now - timedelta(minutes=rng.randrange(200 * 24 * 60))
        name = f"{rng.choice(FIRST)} aus {rng.choice(PLACES)} {n}"
        blocked = rng.random() < 0.003
        users.append(
            {
                "id": user_id,
                "email": SCALE_EMAIL.format(n),
                "password_hash": password_hash,
                "display_name": name,
                "display_name_canonical": canonical_display_name(name),
                "stakeholder_group": rng.choices(groups, weights)[0],
                "locale": "en" if rng.random() < 0.08 else "de",
                "terms_accepted_at": created,
                "email_confirmed_at": None if rng.random() < 0.05 else created,
                "last_login_at": created + timedelta(days=rng.randrange(30)),
                "session_salt": secrets.token_hex(8),
                "blocked_at": now if blocked else None,
                "blocked_reason": "Netiquette (scale data)" if blocked else None,
                "created_at": created,
                "updated_at": created,
            }
        )
        roles.append({"user_id": user_id, "role": "participant", "granted_at": created})
        if n < 5:
            roles.append({"user_id": user_id, "role": "admin", "granted_at": created})
        elif n < 40:
            roles.append({"user_id": user_id, "role": "moderator", "granted_at": created})
        elif n < 60:
            roles.append({"user_id": user_id, "role": "planner", "granted_at": created})
        if blocked:
            decisions.append(
                {
                    "actor_id": admin_id,
                    "action": "block_user",
                    "target_type": "user",
                    "target_id": user_id,
                    "reason": "Netiquette (scale data)",
                    "created_at": now,
                }
            )
    _bulk(User.__table__, users)
    _reset_sequence("user")
    _bulk(UserRole.__table__, roles)
    _bulk(ModerationDecision.__table__, decisions)
    return f"users: {count:,} accounts ({len(decisions)} blocked), {len(roles):,} roles; password {SCALE_PASSWORD}"


BIG_CHAPTER_PARAGRAPHS = 50
OTHER_CHAPTERS, OTHER_PARAGRAPHS = 7, 10


def scale_draft(run: ScaleRun) -> str:
    """A version open for comments whose first chapter has 50 paragraphs, 5,000 comments and 50,000
    votes (at factor 1); the remaining comments and votes spread over seven more chapters."""
    from participation.comments.models import Comment
    from participation.drafts.models import CONSULTATION, Chapter, DraftVote, MasterplanVersion, Paragraph

    if db.session.scalar(select(func.count(MasterplanVersion.id)).where(MasterplanVersion.title == "Scale draft")):
        return "draft: the scale version exists already, left as it is"
    rng, now = run.rng, utcnow()
    user_rows = db.session.execute(select(User.id, User.stakeholder_group).where(User.email.like("scale%"))).all()
    if not user_rows:
        return "draft: no scale accounts to vote and comment"
    number = (db.session.scalar(select(func.max(MasterplanVersion.number))) or 0) + 1
    version = MasterplanVersion(number=number, title="Scale draft", status=CONSULTATION, published_at=now)
    db.session.add(version)
    sizes = [BIG_CHAPTER_PARAGRAPHS] + [OTHER_PARAGRAPHS] * OTHER_CHAPTERS
    for position, size in enumerate(sizes, start=1):
        chapter = Chapter(position=position, title=f"Handlungsfeld {position}", topic=None)
        chapter.paragraphs = [
            Paragraph(position=n, text=f"Absatz {position}.{n}: " + " ".join(rng.choices(PLACES, k=40)))
            for n in range(1, size + 1)
        ]
        version.chapters.append(chapter)
    db.session.flush()
    paragraphs = [p for chapter in version.chapters for p in chapter.paragraphs]
    big = paragraphs[:BIG_CHAPTER_PARAGRAPHS]
    rest = paragraphs[BIG_CHAPTER_PARAGRAPHS:]

    def share(total: int, big_total: int):
        """Split `total` over paragraphs: big_total over the big chapter, the rest over the others."""
        counts = {p.id: big_total // len(big) for p in big}
        remaining = max(total - big_total, 0)
        for p in rest:
            counts[p.id] = remaining // len(rest)
        return counts

    vote_target = min(run.sizes["draft_votes"], len(user_rows) * len(paragraphs))
    vote_counts = share(vote_target, min(int(50_000 * vote_target / 1_000_000) or 50, vote_target))
    tallies = {p.id: {1: 0, 0: 0, -1: 0} for p in paragraphs}
    rows = []
    votes = 0
    for paragraph_id, count in vote_counts.items():
        leaning = rng.choice((1, 1, 0, -1))
        for user_id, group in rng.sample(user_rows, min(count, len(user_rows))):
            value = leaning if rng.random() < 0.6 else rng.choice((1, 0, -1))
            tallies[paragraph_id][value] += 1
            rows.append(
                {
                    "user_id": user_id,
                    "paragraph_id": paragraph_id,
                    "value": value,
                    "stakeholder_group": group,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        if len(rows) >= 50_000:
            _bulk(DraftVote.__table__, rows)
            votes += len(rows)
            rows = []
    _bulk(DraftVote.__table__, rows)
    votes += len(rows)

    comment_target = run.sizes["comments"]
    comment_counts = share(comment_target, min(int(5_000 * comment_target / 250_000) or 5, comment_target))
    first_id = _next_id(Comment)
    comment_rows, made = [], 0
    next_id = first_id
    for paragraph in paragraphs:
        roots = []
        for n in range(comment_counts[paragraph.id]):
            author_id, group = rng.choice(user_rows)
            created = now - timedelta(minutes=rng.randrange(60 * 24 * 60))
            reply_to = rng.choice(roots) if roots and rng.random() < 0.3 else None
            comment_rows.append(
                {
                    "id": next_id,
                    "author_id": author_id,
                    "author_group": group,
                    "chapter_id": paragraph.chapter_id,
                    "paragraph_id": paragraph.id,
                    "parent_id": reply_to,
                    "root_id": reply_to,
                    "depth": 1 if reply_to else 0,
                    "kind": rng.choice((None, "agree", "object", "addition", "question")),
                    "body": f"Kommentar {n} zu diesem Absatz aus {rng.choice(PLACES)}.",
                    "status": "published",
                    "created_at": created,
                    "published_at": created,
                }
            )
            if reply_to is None:
                roots.append(next_id)
            next_id += 1
        paragraph.comment_count = comment_counts[paragraph.id]
        paragraph.agree_count, paragraph.neutral_count, paragraph.disagree_count = (
            tallies[paragraph.id][1],
            tallies[paragraph.id][0],
            tallies[paragraph.id][-1],
        )
        if len(comment_rows) >= 20_000:
            _bulk(Comment.__table__, comment_rows)
            made += len(comment_rows)
            comment_rows = []
    _bulk(Comment.__table__, comment_rows)
    made += len(comment_rows)
    _reset_sequence("comment")
    return (
        f"draft: version {number} with {len(sizes)} chapters and {len(paragraphs)} paragraphs; "
        f"{votes:,} votes and {made:,} comments ({vote_counts[big[0].id] * len(big):,} votes and "
        f"{comment_counts[big[0].id] * len(big):,} comments on chapter 1)"
    )


PROPOSAL_WISHES = [
    "Mehr",
    "Kostenloses",
    "Schnelleres",
    "Offenes",
    "Barrierefreies",
    "Digitales",
    "Besseres",
    "Öffentliches",
]
PROPOSAL_THINGS = [
    "WLAN an Haltestellen",
    "Internet in Schulen",
    "Bürgeramt online",
    "Daten zum Verkehr",
    "Lernangebot für Senioren",
    "Sensoren für Stadtbäume",
    "Glasfaser für Gewerbegebiete",
    "Beteiligung im Veedel",
    "Parken per App",
    "Coworking in Bibliotheken",
    "Mängelmelder",
    "Förderprogramm für Gründungen",
]
PROPOSAL_SENTENCES = [
    "Viele Menschen im Stadtteil warten seit Jahren darauf.",
    "Die Stadtwerke könnten das gemeinsam mit der Verwaltung umsetzen.",
    "Schulen und Bibliotheken sollten zuerst angeschlossen werden.",
    "Andere Städte wie Wien und Amsterdam zeigen, dass es geht.",
    "Die Daten sollten offen und maschinenlesbar veröffentlicht werden.",
    "Ältere Menschen brauchen dafür Begleitung und Schulungen.",
    "Start-ups aus Köln könnten Lösungen entwickeln und erproben.",
    "Die Kosten ließen sich über Fördermittel des Landes decken.",
    "Barrierefreiheit muss von Anfang an mitgedacht werden.",
    "Ein Pilotprojekt in einem Bezirk wäre ein guter Anfang.",
]
# how proposals stand at scale: most are open, a few answered, held back or withdrawn
PROPOSAL_STATUS_MIX = {
    "published": 84,
    "under_review": 5,
    "accepted": 3,
    "partly_accepted": 2,
    "not_accepted": 3,
    "pending": 2,
    "withdrawn": 1,
}
LONG_THREAD = 2_000  # comments on the most discussed proposal (at factor 1)


def scale_proposals(run: ScaleRun) -> str:
    """Proposals over all topics and districts, and comments on them: one proposal with a long
    thread, the rest a few each (a fifth of the draft's comment count)."""
    from participation.comments.models import Comment
    from participation.drafts.models import TOPICS
    from participation.proposals import search
    from participation.proposals.models import DISTRICTS, Proposal

    count = run.sizes["proposals"]
    if db.session.scalar(select(func.count(Proposal.id)).where(Proposal.title.like("% (scale)"))):
        return "proposals: scale proposals exist already, left as they are"
    user_rows = db.session.execute(select(User.id, User.stakeholder_group).where(User.email.like("scale%"))).all()
    if not user_rows or not count:
        return "proposals: no scale accounts to write them"
    rng, now = run.rng, utcnow()
    statuses, weights = zip(*PROPOSAL_STATUS_MIX.items(), strict=True)
    districts = [None, *DISTRICTS]
    first_id = _next_id(Proposal)
    rows = []
    for n in range(count):
        author_id, group = rng.choice(user_rows)
        status = rng.choices(statuses, weights)[0]
        created = now - timedelta(minutes=rng.randrange(200 * 24 * 60))
        place = rng.choice(PLACES)
        rows.append(
            {
                "id": first_id + n,
                "author_id": author_id,
                "author_group": group,
                "title": f"{rng.choice(PROPOSAL_WISHES)} {rng.choice(PROPOSAL_THINGS)} in {place} (scale)",
                "body": " ".join(rng.sample(PROPOSAL_SENTENCES, 4)) + f" Gemeint ist vor allem {place}.",
                "topic": rng.choice(list(TOPICS)),
                "district": rng.choice(districts),
                "status": status,
                "held_because": "links" if status == "pending" else "",
                "answer": "Antwort der Verwaltung (scale)." if status in ("accepted", "not_accepted") else "",
                "support_count": 0,
                "comment_count": 0,
                "created_at": created,
                "published_at": None if status == "pending" else created,
            }
        )
    _bulk(Proposal.__table__, rows)
    _reset_sequence("proposal")
    search.index_bulk(db.session, rows)

    public = [row for row in rows if row["status"] not in ("pending", "withdrawn")]
    comment_target = run.sizes["comments"] // 5
    long_thread = min(int(LONG_THREAD * comment_target / 50_000) or 1, comment_target)
    counts = {public[0]["id"]: long_thread} if public else {}
    for _ in range(comment_target - long_thread):
        if public:
            proposal_id = rng.choice(public)["id"]
            counts[proposal_id] = counts.get(proposal_id, 0) + 1
    comment_id = _next_id(Comment)
    comments = []
    for proposal_id, number in counts.items():
        roots = []
        for n in range(number):
            author_id, group = rng.choice(user_rows)
            reply_to = rng.choice(roots) if roots and rng.random() < 0.3 else None
            comments.append(
                {
                    "id": comment_id,
                    "author_id": author_id,
                    "author_group": group,
                    "proposal_id": proposal_id,
                    "parent_id": reply_to,
                    "root_id": reply_to,
                    "depth": 1 if reply_to else 0,
                    "body": f"Kommentar {n} zu diesem Vorschlag aus {rng.choice(PLACES)}.",
                    "status": "published",
                    "created_at": (written := now - timedelta(minutes=rng.randrange(100 * 24 * 60))),
                    "published_at": written,
                }
            )
            if reply_to is None:
                roots.append(comment_id)
            comment_id += 1
    _bulk(Comment.__table__, comments)
    _reset_sequence("comment")
    for proposal_id, number in counts.items():
        db.session.execute(
            Proposal.__table__.update().where(Proposal.__table__.c.id == proposal_id).values(comment_count=number)
        )
    return (
        f"proposals: {count:,} ({len(public):,} public), {len(comments):,} comments on them "
        f"({long_thread:,} on proposal {public[0]['id'] if public else '-'})"
    )


def scale_supports(run: ScaleRun) -> str:
    """Supports on public proposals, few proposals gathering many (a long tail), never by the
    author, one per person and proposal."""
    from participation.proposals.models import PUBLIC_STATUSES, Proposal, Support

    wanted = run.sizes["supports"]
    if db.session.scalar(select(func.count(Support.id))):
        return "supports: supports exist already, left as they are"
    proposals = db.session.execute(
        select(Proposal.id, Proposal.author_id)
        .where(Proposal.title.like("% (scale)"), Proposal.status.in_(PUBLIC_STATUSES))
        .order_by(Proposal.id)
    ).all()
    user_rows = db.session.execute(select(User.id, User.stakeholder_group).where(User.email.like("scale%"))).all()
    if not proposals or not user_rows or not wanted:
        return "supports: no scale proposals or accounts"
    rng, now = run.rng, utcnow()
    weights = [1 / (rank + 1) ** 0.9 for rank in range(len(proposals))]
    scale = wanted / sum(weights)
    order = list(proposals)
    rng.shuffle(order)  # which proposals are popular is random, not by id
    rows, totals = [], {}
    for (proposal_id, author_id), weight in zip(order, weights, strict=True):
        number = min(int(weight * scale), len(user_rows) - 1)
        supporters = [row for row in rng.sample(user_rows, number + 1) if row[0] != author_id][:number]
        totals[proposal_id] = len(supporters)
        rows.extend(
            {"user_id": user_id, "proposal_id": proposal_id, "stakeholder_group": group, "created_at": now}
            for user_id, group in supporters
        )
        if len(rows) >= 50_000:
            _bulk(Support.__table__, rows)
            rows = []
    _bulk(Support.__table__, rows)
    table = Proposal.__table__
    for proposal_id, total in totals.items():
        if total:
            db.session.execute(table.update().where(table.c.id == proposal_id).values(support_count=total))
    return f"supports: {sum(totals.values()):,} on {sum(1 for t in totals.values() if t):,} proposals"


def scale_moderation(run: ScaleRun) -> str:
    """Comments waiting for approval, reports of proposals and comments (most decided, a tenth
    open, a long tail of items with several), and a long audit log of decisions."""
    from participation.comments.models import Comment
    from participation.core.audit import ModerationDecision
    from participation.moderation.models import FLAG_REASONS, Flag
    from participation.proposals.models import PUBLIC_STATUSES, Proposal

    by_scale_accounts = select(Flag.id).join(User, User.id == Flag.reporter_id).where(User.email.like("scale%"))
    if db.session.scalar(by_scale_accounts.limit(1)) is not None:
        return "moderation: reports exist already, left as they are"
    rng, now = run.rng, utcnow()
    user_rows = db.session.execute(select(User.id, User.stakeholder_group).where(User.email.like("scale%"))).all()
    proposal_ids = list(
        db.session.scalars(
            select(Proposal.id).where(Proposal.title.like("% (scale)"), Proposal.status.in_(PUBLIC_STATUSES))
        )
    )
    if not user_rows or not proposal_ids:
        return "moderation: no scale accounts or proposals"
    comment_id = _next_id(Comment)
    waiting = []
    for n in range(run.sizes["pending_comments"]):
        author_id, group = rng.choice(user_rows)
        waiting.append(
            {
                "id": comment_id + n,
                "author_id": author_id,
                "author_group": group,
                "proposal_id": rng.choice(proposal_ids),
                "depth": 0,
                "body": f"Ein neuer Kommentar {n} aus {rng.choice(PLACES)}, der auf Freigabe wartet.",
                "status": "pending",
                "held_because": "first",
                "created_at": now - timedelta(minutes=rng.randrange(7 * 24 * 60)),
            }
        )
    _bulk(Comment.__table__, waiting)
    _reset_sequence("comment")
    comment_ids = list(
        db.session.scalars(select(Comment.id).where(Comment.status == "published", Comment.proposal_id.is_not(None)))
    )
    reasons = list(FLAG_REASONS)
    flags, seen = [], set()
    for _n in range(run.sizes["reports"]):
        # a few items gather many reports
        on_comment = rng.random() < 0.7
        pool = comment_ids if on_comment else proposal_ids
        target = pool[min(int(rng.paretovariate(1.2)) - 1, len(pool) - 1)] if rng.random() < 0.3 else rng.choice(pool)
        reporter = rng.choice(user_rows)[0]
        if (reporter, on_comment, target) in seen:
            continue
        seen.add((reporter, on_comment, target))
        decided = rng.random() >= 0.1
        created = now - timedelta(minutes=rng.randrange(60 * 24 * 60))
        flags.append(
            {
                "reporter_id": reporter,
                "comment_id": target if on_comment else None,
                "proposal_id": None if on_comment else target,
                "reason": rng.choice(reasons),
                "note": rng.choice(("", "", "Bitte prüfen.", "Das verstößt gegen die Netiquette.")),
                "status": rng.choice(("dismissed", "upheld")) if decided else "open",
                "created_at": created,
                "decided_at": created + timedelta(hours=rng.randrange(1, 72)) if decided else None,
            }
        )
    _bulk(Flag.__table__, flags)
    moderator = db.session.scalar(select(User.id).where(User.email == "scale0@example.org"))
    decisions = [
        {
            "actor_id": moderator,
            "action": rng.choice(("approve", "hide", "dismiss_reports")),
            "target_type": "comment",
            "target_id": rng.choice(comment_ids),
            "reason": None,
            "note": None,
            "state_before": '{"status": "pending"}',
            "state_after": '{"status": "published"}',
            "created_at": now - timedelta(minutes=rng.randrange(60 * 24 * 60)),
        }
        for _n in range(run.sizes["decisions"])
    ]
    _bulk(ModerationDecision.__table__, decisions)
    open_count = sum(1 for flag in flags if flag["status"] == "open")
    return (
        f"moderation: {len(waiting):,} comments waiting, {len(flags):,} reports ({open_count:,} open), "
        f"{len(decisions):,} decisions in the audit log"
    )


SCALE_STEPS: list[Callable[[ScaleRun], str]] = [
    scale_users,
    scale_proposals,
    scale_draft,
    scale_supports,
    scale_moderation,
    scale_measures,
]


def seed_scale(factor: float = 1.0, seed: int = 2025, **sizes: int | None) -> list[str]:
    # reports are periods, not volume: ten half-years whatever the factor
    wanted = {name: size if name in UNSCALED else int(size * factor) for name, size in DEFAULT_SIZES.items()}
    wanted.update({name: size for name, size in sizes.items() if size is not None})
    run = ScaleRun(sizes=wanted, rng=random.Random(seed))
    for step in SCALE_STEPS:
        run.report.append(step(run))
        db.session.flush()
    return run.report
