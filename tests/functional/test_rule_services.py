"""Rules that left the views for services: the daily proposal limit and deciding many items at
once, reached here without a request."""

from __future__ import annotations

from participation.comments.models import Comment
from participation.comments.services import add_comment
from participation.moderation import services as moderation
from participation.proposals import services as proposals
from tests.drafting import open_phase


def test_the_daily_proposal_limit_counts_the_last_24_hours(app, db, users):
    open_phase(db, votes=False, comments=False, proposals=True)
    anna = users(email="anna@example.org")
    for number in range(proposals.PER_DAY - 1):
        proposals.submit(anna, f"Idee {number}", f"Ein Text zur Idee {number}.", "smart_city")
    db.session.commit()
    assert not proposals.daily_limit_reached(anna)
    proposals.submit(anna, "Die letzte", "Ein Text zur letzten Idee.", "smart_city")
    db.session.commit()
    assert proposals.daily_limit_reached(anna)


def test_deciding_many_settles_each_item_and_explains_the_refused(app, db, users):
    open_phase(db, votes=False, comments=False, proposals=True, supports=True)
    author = users(email="author@example.org")
    moderator = users(email="mod@example.org", roles=("participant", "moderator"))
    planner = users(email="plan@example.org", roles=("participant", "planner"))
    proposal = proposals.submit(planner, "Offene Daten", "Alle Daten der Stadt offen.", "smart_city")
    waiting = [add_comment(author, f"Text {n}", None, proposal=proposal, held_because=["first"]) for n in range(2)]
    db.session.commit()
    moderation.decide(moderator, waiting[0], moderation.Decision("new", "approve"))
    db.session.commit()
    settled = []

    def settle(decided: bool) -> None:
        settled.append(decided)
        db.session.commit() if decided else db.session.rollback()

    keys = [("comment", waiting[0].id), ("comment", waiting[1].id), ("comment", 999999)]
    done, refused = moderation.decide_many(moderator, keys, moderation.Decision("new", "hide", "spam"), settle)
    assert done == 1
    assert settled == [False, True]  # the missing item is never decided, so nothing to settle
    assert len(refused) == 2 and "999999" in refused[1]
    assert [db.session.get(Comment, c.id).status for c in waiting] == ["published", "hidden"]
