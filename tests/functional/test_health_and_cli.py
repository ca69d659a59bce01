"""The health check, error pages and the command-line tools."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from participation import create_app
from participation.accounts.models import User, find_user_by_email
from participation.comments.models import Comment
from participation.config import TESTING
from participation.core.models import utcnow
from participation.mail.models import OutboxMessage
from participation.pages.models import Page
from participation.phases.models import Phase, is_action_open
from participation.proposals.models import Proposal, Support


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ok",
        "database": "ok",
        "rate_limit_store": "not configured",
        "mail": {"pending": 0, "oldest_pending_seconds": None},
    }
    assert response.headers["Cache-Control"] == "no-store"


def test_healthz_reports_the_mail_backlog(client, db):
    now = utcnow()
    for minutes, status in [(3, "pending"), (20, "pending"), (60, "sent")]:
        db.session.add(
            OutboxMessage(
                recipient="a@example.org",
                subject="s",
                body_text="b",
                kind="test",
                status=status,
                created_at=now - timedelta(minutes=minutes),
            )
        )
    db.session.commit()
    report = client.get("/healthz").get_json()
    assert report["mail"]["pending"] == 2
    assert 20 * 60 <= report["mail"]["oldest_pending_seconds"] < 21 * 60
    # waiting longer than MAIL_BACKLOG_WARN_SECONDS (15 minutes): the mail worker needs a look
    assert report["status"] == "degraded"


def test_healthz_503_without_database(tmp_path):
    app = create_app(dict(TESTING, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/missing/dir/x.db"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "error"
    assert response.get_json()["database"] == "unreachable"


def test_server_error_page(app, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.route("/boom")
    def boom():
        raise RuntimeError("boom")

    response = client.get("/boom")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Etwas ist schiefgelaufen" in html
    assert "RuntimeError" not in html and "Traceback" not in html


def test_method_not_allowed_page(client):
    assert client.delete("/").status_code == 405


def test_create_admin_command(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create-admin", "Chief@Example.org", "--password", "a long enough secret"])
    assert result.exit_code == 0, result.output
    user = find_user_by_email("chief@example.org")
    assert user.roles == {"participant", "admin"} and user.email_confirmed
    assert user.check_password("a long enough secret")

    generated = runner.invoke(args=["users", "create-admin", "second@example.org"], input="")
    assert generated.exit_code == 0 and "Generated password:" in generated.output
    password = generated.output.split("Generated password:")[1].strip()
    assert find_user_by_email("second@example.org").check_password(password)

    again = runner.invoke(args=["users", "create-admin", "chief@example.org", "--password", "whatever long"])
    assert again.exit_code == 0 and "already exists" in again.output
    assert db.session.scalar(select(func.count(User.id))) == 2

    bad = runner.invoke(args=["users", "create-admin", "not-an-email", "--password", "a long enough secret"])
    assert bad.exit_code != 0 and db.session.scalar(select(func.count(User.id))) == 2
    short = runner.invoke(args=["users", "create-admin", "third@example.org", "--password", "short"])
    assert short.exit_code != 0 and find_user_by_email("third@example.org") is None


def test_seed_demo_is_idempotent(app, db):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed", "demo"])
    assert first.exit_code == 0, first.output
    counts = [db.session.scalar(select(func.count()).select_from(model)) for model in (User, Page, Phase)]
    second = runner.invoke(args=["seed", "demo"])
    assert second.exit_code == 0
    assert [db.session.scalar(select(func.count()).select_from(model)) for model in (User, Page, Phase)] == counts
    assert counts[0] >= 10 and counts[1] >= 4 and counts[2] >= 4
    # every role and every stakeholder group has a demo account
    roles = set().union(*(user.roles for user in db.session.scalars(select(User))))
    assert roles == {"participant", "moderator", "planner", "admin"}
    groups = set(db.session.scalars(select(User.stakeholder_group)))
    assert len(groups) == 7
    # passwords are not printed outside development
    assert "Koeln-2025-demo" not in first.output
    assert is_action_open("proposals")


def test_seed_demo_prints_logins_in_development(app, db):
    app.config["APP_ENV"] = "development"
    result = app.test_cli_runner().invoke(args=["seed", "demo"])
    assert "admin@example.org" in result.output and app.config["DEMO_PASSWORD"] in result.output
    admin = find_user_by_email("admin@example.org")
    assert admin.check_password(app.config["DEMO_PASSWORD"])


def test_outbox_work_once(app, db):
    from participation.mail.services import queue_mail

    app.config["MAIL_BACKEND"] = "console"
    queue_mail("a@example.org", "password_changed", "Your password was changed", user={"display_name": "A"})
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["outbox", "work", "--once"])
    assert result.exit_code == 0 and "1 sent" in result.output


def test_home_shows_the_phases(client, app, db):
    app.test_cli_runner().invoke(args=["seed", "demo"])
    html = client.get("/").get_data(as_text=True)
    assert "Ideen sammeln" in html and "Beschluss" in html
    english = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Collecting ideas" in english


def _scale_proposals_are_consistent(db):
    """Counters match rows, nobody supports their own proposal, and search finds them."""
    from participation.proposals import services
    from participation.proposals.listing import Listing

    assert db.session.scalar(select(func.count(Proposal.id))) == 20
    assert db.session.scalar(select(func.count(Support.id))) > 100
    support_rows = dict(
        db.session.execute(select(Support.proposal_id, func.count()).group_by(Support.proposal_id)).all()
    )
    comment_rows = dict(
        db.session.execute(
            select(Comment.proposal_id, func.count())
            .where(Comment.proposal_id.is_not(None), Comment.status == "published")  # what the counter counts
            .group_by(Comment.proposal_id)
        ).all()
    )
    for proposal in db.session.scalars(select(Proposal)):
        assert proposal.support_count == support_rows.get(proposal.id, 0)
        assert proposal.comment_count == comment_rows.get(proposal.id, 0)
    own = select(func.count(Support.id)).join(Proposal).where(Proposal.author_id == Support.user_id)
    assert db.session.scalar(own) == 0
    public = db.session.scalars(select(Proposal).where(Proposal.status == "published").limit(1)).one()
    word = public.title.split()[1]  # "WLAN", "Internet", "Bürgeramt", ...
    assert public.id in {proposal.id for proposal in db.session.scalars(Listing(q=word).ordered())}
    assert services.similar_to("WLAN an Haltestellen", "Mehr WLAN an Haltestellen in Ehrenfeld")


def test_seed_scale_is_bulk_reproducible_and_leaves_the_database_usable(app, db):
    from participation.accounts.models import UserRole
    from participation.auth.services import create_user

    result = app.test_cli_runner().invoke(args=["seed", "scale", "--users", "2000", "--factor", "0.001"])
    assert result.exit_code == 0, result.output
    assert "users: 2,000 accounts" in result.output and "draft: version" in result.output
    assert db.session.scalar(select(func.count(User.id))) == 2000
    assert db.session.scalar(select(func.count()).select_from(UserRole).where(UserRole.role == "participant")) == 2000
    residents = db.session.scalar(select(func.count(User.id)).where(User.stakeholder_group == "residents"))
    assert 1200 < residents < 1600  # about 70 %
    first_names = list(db.session.scalars(select(User.display_name).order_by(User.id).limit(20)))
    # the ids continue after the bulk insert (PostgreSQL's sequence was moved on)
    create_user("after@example.org", "After Scale", "long enough pw", "other")
    db.session.commit()
    from participation.drafts.models import DraftVote, Paragraph
    from tests.drafting import counters_match_rows

    assert db.session.scalar(select(func.count(DraftVote.id))) > 0
    assert all(counters_match_rows(db, pid) for pid in db.session.scalars(select(Paragraph.id)))
    _scale_proposals_are_consistent(db)
    from participation.moderation.models import Flag

    assert "moderation: 2 comments waiting, " in result.output
    assert db.session.scalar(select(func.count(Comment.id)).where(Comment.status == "pending")) == 2
    reports = db.session.execute(select(Flag.proposal_id, Flag.comment_id)).all()
    assert reports and all((proposal is None) != (comment is None) for proposal, comment in reports)
    # the same seed gives the same people
    db.session.execute(Support.__table__.delete())
    db.session.execute(Comment.__table__.delete())
    db.session.execute(Proposal.__table__.delete())
    db.session.execute(DraftVote.__table__.delete())
    db.session.execute(UserRole.__table__.delete())
    db.session.execute(User.__table__.delete())
    db.session.commit()
    app.test_cli_runner().invoke(args=["seed", "scale", "--users", "2000", "--factor", "0.001"])
    assert list(db.session.scalars(select(User.display_name).order_by(User.id).limit(20))) == first_names
    again = app.test_cli_runner().invoke(args=["seed", "scale", "--users", "2000"])
    assert "exist already" in again.output
