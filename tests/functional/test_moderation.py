"""Moderation: reports hide at the threshold, pre-moderation, the queues and their decisions
(alone and in bulk, never twice), merging duplicates, blocks, restores, and the mail it sends."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from participation.comments.models import Comment
from participation.comments.services import add_comment
from participation.core.audit import ModerationDecision
from participation.core.premoderation import premoderation_reasons
from participation.mail.models import MailOptOut
from participation.moderation import services as moderation
from participation.moderation.models import Flag
from participation.proposals import services
from participation.proposals.models import Follow, Proposal, Support
from tests.conftest import CSRF_PATTERN as CSRF
from tests.conftest import Browser, logged_in, outbox
from tests.drafting import open_phase
from tests.functional.test_concurrency import at_once, postgres_only  # noqa: F401 (a fixture)


@pytest.fixture
def people(db, users):
    open_phase(db, votes=False, comments=False, proposals=True, supports=True)
    people = {
        "author": users(email="author@example.org", display_name="Autorin"),
        "mod": users(email="mod@example.org", display_name="Mona Moderatorin", roles=("participant", "moderator")),
        "mod2": users(email="mod2@example.org", display_name="Max Moderator", roles=("participant", "moderator")),
        "admin": users(email="admin@example.org", display_name="Ada Admin", roles=("participant", "admin")),
        "planner": users(email="plan@example.org", roles=("participant", "planner")),
    }
    for n in range(4):
        people[f"reader{n}"] = users(email=f"reader{n}@example.org", display_name=f"Leser {n}")
    return people


def _proposal(db, author, title="Mehr Bänke am Rhein", **kwargs):
    proposal = services.submit(author, title, f"{title}: damit alle sitzen können.", "smart_city", **kwargs)
    db.session.commit()
    return proposal


def _report(db, target, readers, reason="insult"):
    for reader in readers:
        moderation.flag(reader, target, reason, "Bitte prüfen")
    db.session.commit()


def _decide(browser, queue, data, page=None):
    return browser.submit(page or f"/moderation/{queue}", data, action=f"/moderation/{queue}")


def _errors(response) -> str:
    return response.get_data(as_text=True)


# --- reports hide at the threshold -----------------------------------------------------------


def test_reports_hide_an_item_at_the_threshold_until_a_moderator_decides(app, db, people):
    proposal = _proposal(db, people["author"])
    comment = add_comment(people["author"], "Ein Kommentar mit **Inhalt**.", None, proposal=proposal)
    db.session.commit()
    _report(db, proposal, [people["reader0"], people["reader1"]])
    assert db.session.get(Proposal, proposal.id).status == "published"  # two of three
    _report(db, proposal, [people["reader2"]])
    db.session.refresh(proposal)
    assert (proposal.status, proposal.moderation_reason, proposal.status_before_hidden) == (
        "hidden",
        "reports",
        "published",
    )
    visitor = Browser(app.test_client())
    assert visitor.get(f"/proposals/{proposal.id}").status_code == 404
    assert "Mehr Bänke" not in visitor.get("/proposals/").get_data(as_text=True)
    own = logged_in(app, "author@example.org").get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "Mehrfach gemeldet" in own
    # a comment: the thread keeps a placeholder, the count goes down
    _report(db, comment, [people["reader0"], people["reader1"], people["reader2"]])
    db.session.refresh(comment)
    assert comment.status == "hidden"
    assert db.session.get(Proposal, proposal.id).comment_count == 0


def test_admins_set_the_threshold_and_the_change_is_logged(app, db, people):
    admin = logged_in(app, "admin@example.org")
    bad = admin.submit("/admin/settings", {"hide_threshold": "0", "premoderation": "first", "premoderation_first": "2"})
    assert bad.status_code == 422
    assert 'value="0"' in _errors(bad) and "von 1 bis 100" in _errors(bad)
    done = admin.submit("/admin/settings", {"hide_threshold": "1", "premoderation": "none", "premoderation_first": "2"})
    assert done.status_code == 303
    logged = db.session.scalar(select(ModerationDecision).where(ModerationDecision.action == "change_settings"))
    assert '"hide_threshold": 1' in logged.state_after and '"hide_threshold": 3' in logged.state_before
    proposal = _proposal(db, people["author"])
    _report(db, proposal, [people["reader0"]])
    assert db.session.get(Proposal, proposal.id).status == "hidden"


# --- pre-moderation --------------------------------------------------------------------------


def _set(app, **values):
    admin = logged_in(app, "admin@example.org")
    data = {"hide_threshold": "3", "premoderation": "first", "premoderation_first": "2"}
    data.update({name: str(value) for name, value in values.items()})
    assert admin.submit("/admin/settings", data).status_code == 303


def test_the_site_default_holds_the_first_two_contributions():
    from participation.core.settings import DEFAULTS

    assert (DEFAULTS["premoderation"], DEFAULTS["premoderation_first"], DEFAULTS["hide_threshold"]) == ("first", 2, 3)


def test_a_persons_first_contributions_wait_until_approved(app, db, people):
    _set(app, premoderation="first", premoderation_first=2)
    author = logged_in(app, "author@example.org")
    proposal = _proposal(db, people["planner"], "Offene Daten für alle")  # staff are never held
    assert proposal.status == "published"
    sent = author.submit(
        f"/proposals/{proposal.id}", {"body": "Erster Kommentar"}, action=f"/proposals/{proposal.id}/comments"
    )
    assert sent.status_code == 303
    assert "wartet auf die Prüfung" in author.get(sent.headers["Location"]).get_data(as_text=True)
    first = db.session.scalar(select(Comment).where(Comment.body == "Erster Kommentar"))
    assert (first.status, first.held_because, first.published_at) == ("pending", "first", None)
    assert db.session.get(Proposal, proposal.id).comment_count == 0
    reader = logged_in(app, "reader0@example.org")
    assert "Erster Kommentar" not in reader.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    # the moderation approves it: it counts, the author is told, and one more is held
    queue = logged_in(app, "mod@example.org")
    assert "Erster Kommentar" in queue.get("/moderation/new").get_data(as_text=True)
    assert _decide(queue, "new", {"quick": f"comment:{first.id}"}).status_code == 303
    db.session.refresh(first)
    assert first.status == "published" and first.published_at is not None
    assert db.session.get(Proposal, proposal.id).comment_count == 1
    assert "Erster Kommentar" in reader.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert [m.recipient for m in outbox("moderation_approved")] == ["author@example.org"]
    author.submit(f"/proposals/{proposal.id}", {"body": "Zweiter"}, action=f"/proposals/{proposal.id}/comments")
    assert db.session.scalar(select(Comment.status).where(Comment.body == "Zweiter")) == "pending"
    approve = db.session.scalar(select(Comment.id).where(Comment.body == "Zweiter"))
    _decide(queue, "new", {"quick": f"comment:{approve}"})
    author.submit(f"/proposals/{proposal.id}", {"body": "Dritter"}, action=f"/proposals/{proposal.id}/comments")
    assert db.session.scalar(select(Comment.status).where(Comment.body == "Dritter")) == "published"


def test_with_all_every_proposal_waits_and_with_none_nothing_does(app, db, people):
    _set(app, premoderation="all")
    author = logged_in(app, "author@example.org")
    form = {"title": "Sensoren für Bäume", "body": "In Nippes.", "topic": "smart_city"}
    preview = author.submit("/proposals/new", form)
    checked = re.search(r'name="checked" type="hidden" value="([^"]+)"', _errors(preview)).group(1)
    author.submit("/proposals/new", dict(form, checked=checked, action="publish"))
    held = db.session.scalar(select(Proposal).where(Proposal.title == "Sensoren für Bäume"))
    assert (held.status, held.held_because) == ("pending", "all")
    assert Browser(app.test_client()).get(f"/proposals/{held.id}").status_code == 404
    _set(app, premoderation="none")
    assert premoderation_reasons(people["reader0"]) == []


# --- the queues and decisions ----------------------------------------------------------------


def test_queues_show_counts_reasons_and_filters(app, db, people):
    _proposal(db, people["author"], "Wartender Vorschlag", held_because=["first"])
    reported = _proposal(db, people["reader3"], "Gemeldeter Vorschlag")
    _report(db, reported, [people["reader0"]], reason="spam")
    mod = logged_in(app, "mod@example.org")
    new = _errors(mod.get("/moderation/new"))
    assert "Wartender Vorschlag" in new and "Einer der ersten Beiträge" in new
    assert re.search(r"Neu</strong>: 1", new) and re.search(r"Gemeldet</strong>: 1", new)
    reports = _errors(mod.get("/moderation/reported"))
    assert "Gemeldeter Vorschlag" in reports and "Bitte prüfen" in reports and "Spam oder Werbung" in reports
    assert "Gemeldeter Vorschlag" not in _errors(mod.get("/moderation/reported?reason=insult"))
    assert "Gemeldeter Vorschlag" not in _errors(mod.get("/moderation/reported?kind=comment"))
    assert "Gemeldeter Vorschlag" in _errors(mod.get("/moderation/reported?topic=smart_city&kind=<script>"))
    # the hidden queue is for admins
    assert mod.get("/moderation/hidden").status_code == 404
    assert logged_in(app, "admin@example.org").get("/moderation/hidden").status_code == 200


def test_hiding_needs_a_reason_tells_the_author_and_keeps_everything(app, db, people):
    proposal = _proposal(db, people["author"])
    _report(db, proposal, [people["reader0"]])
    mod = logged_in(app, "mod@example.org")
    item = f"proposal:{proposal.id}"
    missing = _decide(mod, "reported", {"items": [item], "action": "hide", "note": "Bitte sachlich bleiben."})
    assert missing.status_code == 422
    html = _errors(missing)
    assert "Bitte wählen Sie einen Grund" in html and "Bitte sachlich bleiben.</textarea>" in html
    assert f'value="{item}" id="select-proposal-{proposal.id}" checked' in html
    done = _decide(mod, "reported", {"items": [item], "action": "hide", "reason": "insult", "note": "Bitte sachlich."})
    assert done.status_code == 303
    db.session.refresh(proposal)
    assert (proposal.status, proposal.moderation_reason, proposal.moderation_note) == (
        "hidden",
        "insult",
        "Bitte sachlich.",
    )
    assert proposal.body.startswith("Mehr Bänke")  # nothing deleted
    assert db.session.scalar(select(Flag.status)) == "upheld"
    mail = outbox("moderation_hidden")[0]
    assert mail.recipient == "author@example.org"
    assert "Beleidigend oder diskriminierend" in mail.body_text and "Bitte sachlich." in mail.body_text
    assert mail.unsubscribe_url and mail.unsubscribe_url in mail.body_text
    page = _errors(logged_in(app, "author@example.org").get(f"/proposals/{proposal.id}"))
    assert "Beleidigend oder diskriminierend" in page and "Bitte sachlich." in page
    logged = db.session.scalar(select(ModerationDecision).where(ModerationDecision.action == "hide"))
    assert (logged.reason, logged.note, logged.actor_id) == ("insult", "Bitte sachlich.", people["mod"].id)
    assert '"status": "published"' in logged.state_before and '"status": "hidden"' in logged.state_after


def test_a_second_moderator_is_told_who_decided_first(app, db, people):
    proposal = _proposal(db, people["author"], held_because=["first"])
    first, second = logged_in(app, "mod@example.org"), logged_in(app, "mod2@example.org")
    page = "/moderation/new"
    token = second.token(page)  # both have the queue open
    assert _decide(first, "new", {"quick": f"proposal:{proposal.id}"}).status_code == 303
    late = second.client.post(
        page, data={"csrf_token": token, "items": [f"proposal:{proposal.id}"], "action": "hide", "reason": "spam"}
    )
    assert late.status_code == 303
    told = _errors(second.get(late.headers["Location"]))
    assert "bereits von Mona Moderatorin entschieden" in told and "Freigegeben" in told
    db.session.refresh(proposal)
    assert proposal.status == "published"
    assert db.session.scalar(select(func.count(ModerationDecision.id))) == 1


def test_bulk_decisions_check_and_log_each_item(app, db, people):
    comments = []
    proposal = _proposal(db, people["planner"], "Offene Daten")
    for n in range(5):
        comments.append(add_comment(people["author"], f"Spam {n}", None, proposal=proposal, held_because=["first"]))
    db.session.commit()
    moderation.decide(people["mod2"], comments[0], moderation.Decision("new", "approve"))
    db.session.commit()
    mod = logged_in(app, "mod@example.org")
    items = [f"comment:{c.id}" for c in comments] + ["comment:999999"]
    done = _decide(mod, "new", {"items": items, "action": "hide", "reason": "spam"})
    flashes = _errors(mod.get(done.headers["Location"]))
    assert "4 Einträge entschieden" in flashes and "Max Moderator" in flashes and "999999" in flashes
    statuses = [db.session.get(Comment, c.id).status for c in comments]
    assert statuses == ["published", "hidden", "hidden", "hidden", "hidden"]
    hides = db.session.scalars(select(ModerationDecision.target_id).where(ModerationDecision.action == "hide"))
    assert sorted(hides) == sorted(c.id for c in comments[1:])
    assert len(outbox("moderation_hidden")) == 4
    assert _decide(mod, "new", {"items": ["proposal:x"], "action": "approve"}).status_code == 422


def test_merging_moves_supports_without_counting_anyone_twice(app, db, people):
    original = _proposal(db, people["reader3"], "WLAN in Bibliotheken")
    duplicate = _proposal(db, people["author"], "Freies WLAN in jeder Bibliothek")
    services.support(people["reader0"], original)
    for reader in ("reader0", "reader1", "reader3"):  # one supports both; one is the original's author
        services.support(people[reader], duplicate)
    services.follow(people["reader2"], duplicate)
    db.session.commit()
    _report(db, duplicate, [people["reader2"]], reason="other")
    mod = logged_in(app, "mod@example.org")
    wrong = _decide(
        mod, "reported", {"items": [f"proposal:{duplicate.id}"], "action": "merge", "duplicate_of": "99999"}
    )
    assert wrong.status_code == 422 and "keinen öffentlichen Vorschlag" in _errors(wrong)
    data = {"items": [f"proposal:{duplicate.id}"], "action": "merge", "duplicate_of": str(original.id)}
    assert _decide(mod, "reported", data).status_code == 303
    db.session.refresh(original)
    db.session.refresh(duplicate)
    assert (duplicate.status, duplicate.merged_into_id) == ("merged", original.id)
    supporters = set(db.session.scalars(select(Support.user_id).where(Support.proposal_id == original.id)))
    assert supporters == {people["reader0"].id, people["reader1"].id}
    assert original.support_count == 2
    assert duplicate.support_count == db.session.scalar(
        select(func.count(Support.id)).where(Support.proposal_id == duplicate.id)
    )
    assert db.session.scalar(select(func.count(Support.id))) == 4  # nothing lost: two stay on the duplicate
    followers = set(db.session.scalars(select(Follow.user_id).where(Follow.proposal_id == original.id)))
    assert {people["reader2"].id, people["author"].id} <= followers
    told = {m.recipient for m in outbox("proposal_merged")}
    assert told == {"reader2@example.org", "author@example.org"}
    page = _errors(Browser(app.test_client()).get(f"/proposals/{duplicate.id}"))
    assert f'href="/proposals/{original.id}"' in page


def test_hide_and_block_blocks_the_author_but_never_staff(app, db, people):
    spam = _proposal(db, people["author"], "Billige Uhren", held_because=["first"])
    staff = _proposal(db, people["planner"], "Vom Planungsteam", held_because=["links"])
    mod = logged_in(app, "mod@example.org")
    data = {"items": [f"proposal:{spam.id}", f"proposal:{staff.id}"], "action": "hide_and_block", "reason": "spam"}
    done = _decide(mod, "new", data)
    assert "diese Autor*in nicht sperren" in _errors(mod.get(done.headers["Location"]))
    db.session.refresh(people["author"])
    assert people["author"].is_blocked and db.session.get(Proposal, staff.id).status == "pending"
    blocked = _errors(mod.get("/moderation/blocked"))
    assert "Autorin" in blocked
    lift = mod.submit("/moderation/blocked", {}, action=f"/moderation/blocked/{people['author'].id}/unblock")
    assert lift.status_code == 303
    db.session.refresh(people["author"])
    assert not people["author"].is_blocked


def test_dismissing_reports_brings_back_an_item_the_reports_hid(app, db, people):
    proposal = _proposal(db, people["author"])
    services.answer(people["planner"], proposal, "accepted", "Gute Idee.")
    db.session.commit()
    _report(db, proposal, [people["reader0"], people["reader1"], people["reader2"]])
    assert db.session.get(Proposal, proposal.id).status == "hidden"
    mod = logged_in(app, "mod@example.org")
    assert _decide(mod, "reported", {"quick": f"proposal:{proposal.id}"}).status_code == 303
    db.session.refresh(proposal)
    assert proposal.status == "accepted" and proposal.moderation_reason is None
    assert set(db.session.scalars(select(Flag.status))) == {"dismissed"}


def test_admins_restore_hidden_content_as_it_was(app, db, people):
    proposal = _proposal(db, people["planner"], "Offene Daten")
    comment = add_comment(people["author"], "Ein Kommentar", None, proposal=proposal)
    db.session.commit()
    _report(db, comment, [people["reader0"]])
    moderation.decide(people["mod"], comment, moderation.Decision("reported", "hide", "off_topic"))
    db.session.commit()
    assert db.session.get(Proposal, proposal.id).comment_count == 0
    thread = _errors(Browser(app.test_client()).get(f"/proposals/{proposal.id}"))
    assert "Ein Kommentar" not in thread and "von der Moderation ausgeblendet" in thread
    admin = logged_in(app, "admin@example.org")
    hidden = _errors(admin.get("/moderation/hidden"))
    assert "Ein Kommentar" in hidden and "Gehört nicht zum Thema" in hidden
    assert _decide(admin, "hidden", {"quick": f"comment:{comment.id}"}).status_code == 303
    db.session.refresh(comment)
    assert comment.status == "published" and db.session.get(Proposal, proposal.id).comment_count == 1
    assert "Ein Kommentar" in _errors(Browser(app.test_client()).get(f"/proposals/{proposal.id}"))
    # moderators do not restore
    mod = logged_in(app, "mod@example.org")
    assert mod.client.post("/moderation/hidden", data={"csrf_token": mod.token("/moderation/new")}).status_code == 404


# --- mail ------------------------------------------------------------------------------------


def test_the_link_in_a_notification_stops_that_kind_of_mail(app, db, people):
    comment = add_comment(
        people["author"], "Eins", None, proposal=_proposal(db, people["planner"]), held_because=["first"]
    )
    db.session.commit()
    moderation.decide(people["mod"], comment, moderation.Decision("new", "approve"))
    db.session.commit()
    mail = outbox("moderation_approved")[0]
    path = mail.unsubscribe_url.split("localhost", 1)[1]
    visitor = Browser(app.test_client())
    asked = visitor.get(path)  # opening the link only asks (mail scanners open links by themselves)
    assert asked.status_code == 200 and "Entscheidungen der Moderation" in _errors(asked)
    assert db.session.scalar(select(MailOptOut.kind)) is None
    stopped = visitor.client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert stopped.status_code == 200 and "Entscheidungen der Moderation" in _errors(stopped)
    assert db.session.scalar(select(MailOptOut.kind)) == "moderation"
    second = add_comment(people["author"], "Zwei", None, proposal=comment.proposal, held_because=["first"])
    db.session.commit()
    moderation.decide(people["mod"], second, moderation.Decision("new", "approve"))
    db.session.commit()
    assert len(outbox("moderation_approved")) == 1  # not sent again
    # undo from the page, then the profile shows it switched on
    assert visitor.submit(path, {}, action=path.replace("/stop/", "/resume/")).status_code == 303
    assert db.session.scalar(select(func.count(MailOptOut.id))) == 0
    assert visitor.get("/mail/stop/forged-token").status_code == 404
    author = logged_in(app, "author@example.org")
    assert author.submit("/account/", {"wanted": ["answers"]}, action="/account/mails").status_code == 303
    stopped = set(db.session.scalars(select(MailOptOut.kind)))
    assert stopped == {"moderation", "incorporation", "measures", "replies", "followed_comments"}
    assert author.submit("/account/", {"wanted": ["bogus"]}, action="/account/mails").status_code == 422


@pytest.mark.usefixtures("postgres_only")
@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": False}])
def test_moderators_deciding_the_same_item_at_once_decide_it_once(app, db, people):
    proposal = _proposal(db, people["author"], held_because=["first"])
    item = f"proposal:{proposal.id}"
    posts = []
    for email, data in (
        ("mod@example.org", {"quick": item}),
        ("mod2@example.org", {"items": [item], "action": "hide", "reason": "spam"}),
        ("admin@example.org", {"items": [item], "action": "hide", "reason": "insult"}),
    ):
        browser = logged_in(app, email)
        posts.append((browser, dict(data, csrf_token=browser.token("/moderation/new"))))
    statuses = []
    at_once(lambda browser, data: statuses.append(browser.client.post("/moderation/new", data=data).status_code), posts)
    assert statuses == [303, 303, 303]
    decisions = db.session.scalars(select(ModerationDecision).where(ModerationDecision.target_id == proposal.id))
    assert len(list(decisions)) == 1


def test_queues_issue_the_same_number_of_queries_for_few_and_many_items(app, db, people, users):
    from participation.accounts.blocking import block_user
    from participation.drafts.importer import apply_draft, parse_markdown
    from participation.drafts.services import create_version
    from tests.conftest import queries_for
    from tests.drafting import DRAFT

    version = create_version(None, "Entwurf")
    apply_draft(version, parse_markdown(DRAFT))
    chapter = version.chapters[0]
    db.session.commit()
    mod = logged_in(app, "mod@example.org")
    counts = []
    for batch in (3, 20):
        for n in range(batch):
            title = f"Vorschlag {batch}-{n}"
            _proposal(db, people["author"], title, held_because=["first"])
            # comments on published proposals, which are not in the queue themselves
            published = _proposal(db, people["reader2"], f"Öffentlich {batch}-{n}")
            add_comment(people["author"], f"Zum Kapitel {n}", None, chapter, held_because=["first"])
            add_comment(people["author"], f"Zum Vorschlag {n}", None, proposal=published, held_because=["first"])
            reported = _proposal(db, people["reader3"], f"Gemeldet {batch}-{n}")
            _report(db, reported, [people["reader0"], people["reader1"]])
            on_comment = add_comment(people["reader3"], f"Gemeldeter Kommentar {n}", None, proposal=published)
            block_user(people["admin"], users(email=f"blocked{batch}-{n}@example.org"), "Spam", None)
            _report(db, on_comment, [people["reader0"], people["reader1"]])
        db.session.commit()
        counts.append(
            [
                queries_for(mod.client, url)
                for url in ("/moderation/new", "/moderation/reported?topic=smart_city", "/moderation/blocked")
            ]
        )
    assert counts[0] == counts[1]


# --- what a helper's review found ------------------------------------------------------------


def test_hidden_items_cannot_be_reported_back_into_a_queue_or_merged_into_view(app, db, people):
    proposal = _proposal(db, people["author"])
    _report(db, proposal, [people["reader0"]])
    assert moderation.decide(people["admin"], proposal, moderation.Decision("reported", "hide", "insult")) is None
    db.session.commit()
    mod = logged_in(app, "mod@example.org")
    assert mod.submit(f"/proposals/{proposal.id}/report", {"reason": "other"}).status_code == 403
    # even with an open report slipped in, the reported queue does not decide on what a moderator hid
    moderation.flag(people["reader1"], proposal, "other")
    db.session.commit()
    original = _proposal(db, people["reader3"], "Das Original")
    data = {"items": [f"proposal:{proposal.id}"], "action": "merge", "duplicate_of": str(original.id)}
    _decide(mod, "reported", data)
    db.session.refresh(proposal)
    assert proposal.status == "hidden"
    assert Browser(app.test_client()).get(f"/proposals/{proposal.id}").status_code == 404


def test_a_text_changed_after_the_moderator_saw_it_is_not_approved(app, db, people):
    _set(app, premoderation="all")
    proposal = _proposal(db, people["author"], "Harmloser Titel", held_because=["all"])
    mod = logged_in(app, "mod@example.org")
    page = mod.get("/moderation/new").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    seen = re.search(rf'name="seen" value="(proposal:{proposal.id}:[0-9a-f]+)"', page).group(1)
    author = logged_in(app, "author@example.org")
    edit = {"title": "Ganz anderer Titel", "body": "Werbung für Uhren.", "topic": "smart_city"}
    assert author.submit(f"/proposals/{proposal.id}/edit", edit).status_code == 303
    answer = mod.client.post(
        "/moderation/new", data={"csrf_token": token, "quick": f"proposal:{proposal.id}", "seen": [seen]}
    )
    assert "nachdem Sie ihn gesehen haben" in mod.get(answer.headers["Location"]).get_data(as_text=True)
    db.session.refresh(proposal)
    assert proposal.status == "pending"
    # approved, then changed while every contribution is checked: it waits again
    moderation.decide(people["mod"], proposal, moderation.Decision("new", "approve"))
    db.session.commit()
    author.submit(f"/proposals/{proposal.id}/edit", dict(edit, body="Noch einmal anders."))
    db.session.refresh(proposal)
    assert (proposal.status, proposal.held_because) == ("pending", "all")


def test_restoring_brings_back_the_state_before_hiding(app, db, people):
    proposal = _proposal(db, people["planner"], "Offene Daten")
    waiting = add_comment(people["author"], "Wartet", None, proposal=proposal, held_because=["first"])
    db.session.commit()
    moderation.decide(people["mod"], waiting, moderation.Decision("new", "hide", "spam"))
    db.session.commit()
    admin = logged_in(app, "admin@example.org")
    _decide(admin, "hidden", {"quick": f"comment:{waiting.id}"})
    db.session.refresh(waiting)
    assert waiting.status == "pending" and db.session.get(Proposal, proposal.id).comment_count == 0
    # a deleted comment leaves the reported queue: nothing is left to decide
    gone = add_comment(people["author"], "Weg damit", None, proposal=proposal)
    db.session.commit()
    _report(db, gone, [people["reader0"]])
    from participation.comments.services import delete_comment

    delete_comment(gone)
    db.session.commit()
    assert db.session.scalar(select(Flag.status).where(Flag.comment_id == gone.id)) == "dismissed"
    assert "Weg damit" not in _errors(logged_in(app, "mod@example.org").get("/moderation/reported"))


def test_the_public_path_keeps_moderation_decisions_private(app, db, people):
    proposal = _proposal(db, people["author"])
    _report(db, proposal, [people["reader0"]])
    moderation.decide(people["mod"], proposal, moderation.Decision("reported", "hide", "insult", "Zu scharf"))
    db.session.commit()
    moderation.decide(people["admin"], proposal, moderation.Decision("hidden", "restore"))
    db.session.commit()
    public = _errors(Browser(app.test_client()).get(f"/proposals/{proposal.id}/path"))
    assert "Beleidigend" not in public and "Zu scharf" not in public and "Veröffentlicht am" in public
    own = _errors(logged_in(app, "author@example.org").get(f"/proposals/{proposal.id}/path"))
    assert "Beleidigend oder diskriminierend" in own and "Zu scharf" in own and "Wiederhergestellt" in own


def test_odd_item_numbers_get_a_message_not_an_error(app, db, people):
    mod = logged_in(app, "mod@example.org")
    for item in ("proposal:²", "proposal:99999999999999999999999", "comment:-1", "user:1"):
        assert _decide(mod, "new", {"items": [item], "action": "approve"}).status_code == 422, item
    planner = logged_in(app, "plan@example.org")
    assert planner.client.post("/planning/chapters/1/incorporations/proposal:²").status_code in (400, 404)


def test_merged_proposals_are_not_answered_and_old_stop_links_die_with_the_address(app, db, people):
    original = _proposal(db, people["reader3"], "Das Original")
    duplicate = _proposal(db, people["author"], "Die Kopie")
    _report(db, duplicate, [people["reader0"]])
    merged = moderation.Decision("reported", "merge", duplicate_of=original)
    assert moderation.decide(people["mod"], duplicate, merged) is None
    db.session.commit()
    assert logged_in(app, "plan@example.org").get(f"/planning/proposals/{duplicate.id}").status_code == 404
    from participation.mail.notifications import opt_out_token

    link = f"/mail/stop/{opt_out_token(people['author'], 'answers')}"
    people["author"].email = "neu-author@example.org"
    db.session.commit()
    assert Browser(app.test_client()).get(link).status_code == 404


@pytest.mark.parametrize("app_config", [{"QUEUE_CACHE_SECONDS": 60}])
def test_a_shared_queue_page_shows_a_decision_at_once_and_keeps_tokens_personal(app, db, people):
    first = _proposal(db, people["author"], "Erster wartender", held_because=["first"])
    _proposal(db, people["author"], "Zweiter wartender", held_because=["first"])
    mona, max_ = logged_in(app, "mod@example.org"), logged_in(app, "mod2@example.org")
    pages = [browser.get("/moderation/new").get_data(as_text=True) for browser in (mona, max_)]
    tokens = [re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1) for page in pages]
    assert tokens[0] != tokens[1] and all("Erster wartender" in page for page in pages)
    assert _decide(mona, "new", {"quick": f"proposal:{first.id}"}).status_code == 303
    later = max_.get("/moderation/new").get_data(as_text=True)
    assert "Erster wartender" not in later and "Zweiter wartender" in later


@pytest.mark.parametrize("app_config", [{"QUEUE_CACHE_SECONDS": 60}])
def test_the_shared_blocked_page_shows_a_lifted_block_at_once_and_only_admins_lift_staff(app, db, people):
    from participation.accounts.blocking import block_user

    block_user(people["admin"], people["author"], "Werbung", None)
    block_user(people["admin"], people["mod2"], "Ausfällig", None)
    db.session.commit()
    mona, ada = logged_in(app, "mod@example.org"), logged_in(app, "admin@example.org")
    pages = {name: _errors(browser.get("/moderation/blocked")) for name, browser in (("mona", mona), ("ada", ada))}
    lift = 'action="/moderation/blocked/{}/unblock"'.format
    # a moderator lifts a resident's block but not a moderator's; the admin both
    assert lift(people["author"].id) in pages["mona"] and lift(people["mod2"].id) not in pages["mona"]
    assert lift(people["author"].id) in pages["ada"] and lift(people["mod2"].id) in pages["ada"]
    tokens = [CSRF.search(page).group(1) for page in pages.values()]
    assert tokens[0] != tokens[1]
    done = mona.submit("/moderation/blocked", {}, action=f"/moderation/blocked/{people['author'].id}/unblock")
    assert done.status_code == 303
    for browser in (mona, ada):
        later = _errors(browser.get("/moderation/blocked"))
        assert "<strong>Autorin</strong>" not in later and "<strong>Max Moderator</strong>" in later
        assert "1 gesperrtes Konto" in later
