"""Organisations: an admin creates one, a person asks to join from the profile, the admin
verifies, and the member then speaks as the organisation on proposals and comments."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from participation.comments.models import Comment
from participation.core.audit import ModerationDecision
from participation.organisations.models import REJECTED, REQUESTED, VERIFIED, Membership, Organisation
from participation.proposals.models import Proposal
from tests.conftest import Browser, logged_in
from tests.drafting import open_phase


@pytest.fixture
def people(users, db):
    open_phase(db, votes=True, comments=True, proposals=True, supports=True)
    db.session.commit()
    return {
        "admin": users(email="root@example.org", roles=("participant", "admin")),
        "member": users(email="presse@example.org", display_name="Pressestelle", stakeholder_group="businesses"),
        "other": users(email="other@example.org", display_name="Jemand"),
    }


def organisation_named(db, name) -> Organisation:
    return db.session.scalar(select(Organisation).where(Organisation.name == name))


def test_create_ask_verify_and_speak_as_the_organisation(app, db, people):
    admin = logged_in(app, "root@example.org")
    created = admin.submit("/admin/organisations", {"name": "RheinEnergie AG", "kind": "municipal_company"})
    assert created.status_code == 303
    rheinenergie = organisation_named(db, "RheinEnergie AG")
    # the same name again: a message at the field, nothing created
    again = admin.submit("/admin/organisations", {"name": "RheinEnergie AG", "kind": "business"})
    assert again.status_code == 422 and "existiert bereits" in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Organisation.id))) == 1

    member = logged_in(app, "presse@example.org")
    profile = member.get("/account/").get_data(as_text=True)
    assert f'<option value="{rheinenergie.id}">RheinEnergie AG</option>' in profile
    # before verification there is nothing to speak for
    assert 'name="organisation"' not in member.get("/proposals/new").get_data(as_text=True)
    asked = member.submit(
        "/account/", {"organisation": str(rheinenergie.id), "note": "Pressestelle"}, action="/account/organisations"
    )
    assert asked.status_code == 303
    membership = db.session.scalar(select(Membership))
    assert (membership.status, membership.note) == (REQUESTED, "Pressestelle")
    assert "wartet auf Bestätigung" in member.get("/account/").get_data(as_text=True)
    # speaking for it before verification is refused at the field
    forged = member.submit(
        "/proposals/new",
        {"title": "Strom", "body": "Mehr Ladesäulen.", "topic": "smart_city", "organisation": str(rheinenergie.id)},
    )
    assert forged.status_code == 422
    assert "nur für Organisationen" in forged.get_data(as_text=True)

    page = f"/admin/organisations/{rheinenergie.id}"
    verified = admin.submit(page, {"decision": "verified"}, action=f"/admin/organisations/memberships/{membership.id}")
    assert verified.status_code == 303
    db.session.refresh(membership)
    assert membership.status == VERIFIED
    logged = db.session.scalar(select(ModerationDecision).where(ModerationDecision.action == "verify_membership"))
    assert logged.actor_id == people["admin"].id and logged.target_id == membership.id

    # a proposal as the organisation: its name and the badge show
    form = {"title": "Ladesäulen im Veedel", "body": "Mehr Ladesäulen.", "topic": "smart_city"}
    html = member.submit("/proposals/new", dict(form, organisation=str(rheinenergie.id))).get_data(as_text=True)
    digest = re.search(r'name="checked" type="hidden" value="([0-9a-f]+)"', html).group(1)
    published = member.submit(
        "/proposals/new", dict(form, organisation=str(rheinenergie.id), checked=digest, action="publish")
    )
    proposal = db.session.scalar(select(Proposal))
    assert proposal.organisation_id == rheinenergie.id
    shown = Browser(app.test_client()).get(published.headers["Location"]).get_data(as_text=True)
    assert "Stellungnahme von RheinEnergie AG" in shown
    listed = Browser(app.test_client()).get("/proposals/").get_data(as_text=True)
    assert "Stellungnahme von RheinEnergie AG" in listed

    # a comment as the organisation, on the proposal and on the draft
    proposal_page = f"/proposals/{proposal.id}"
    member.submit(
        proposal_page,
        {"body": "Wir prüfen Standorte.", "organisation": str(rheinenergie.id)},
        action=f"{proposal_page}/comments",
    )
    comment = db.session.scalar(select(Comment))
    assert comment.organisation_id == rheinenergie.id
    assert "Stellungnahme von RheinEnergie AG" in Browser(app.test_client()).get(proposal_page).get_data(as_text=True)
    # somebody else cannot speak for it
    other = logged_in(app, "other@example.org")
    refused = other.submit(
        proposal_page, {"body": "Ich auch", "organisation": str(rheinenergie.id)}, action=f"{proposal_page}/comments"
    )
    assert refused.status_code == 422
    assert db.session.scalar(select(func.count(Comment.id))) == 1


def test_draft_pages_offer_speaking_as_only_to_verified_members(app, db, people):
    from participation.drafts import services as drafts
    from participation.drafts.importer import apply_draft, parse_markdown
    from tests.drafting import DRAFT

    version = drafts.create_version(None, "Entwurf")
    apply_draft(version, parse_markdown(DRAFT))
    drafts.open_consultation(None, version)
    open_phase(db, version=version)
    verein = Organisation(name="Digitalverein Köln e.V.", kind="association")
    db.session.add(verein)
    db.session.flush()
    db.session.add(Membership(user_id=people["member"].id, organisation_id=verein.id, status=VERIFIED))
    db.session.commit()
    chapter = version.chapters[0]
    url = f"/masterplan/chapters/{chapter.id}"
    member = logged_in(app, "presse@example.org")
    other = logged_in(app, "other@example.org")
    assert "Digitalverein Köln e.V.</option>" in member.get(url).get_data(as_text=True)
    # the page is shared, but the choice is the member's own
    assert "Digitalverein" not in other.get(url).get_data(as_text=True)
    posted = member.submit(url, {"body": "Wir helfen gern.", "organisation": str(verein.id)}, action=f"{url}/comments")
    assert posted.status_code == 303
    assert db.session.scalar(select(Comment.organisation_id)) == verein.id
    assert "Stellungnahme von Digitalverein Köln e.V." in other.get(url).get_data(as_text=True)


def test_refusing_leaving_and_asking_again(app, db, people):
    verein = Organisation(name="Digitalverein Köln e.V.", kind="association")
    db.session.add(verein)
    db.session.commit()
    member = logged_in(app, "presse@example.org")
    member.submit("/account/", {"organisation": str(verein.id), "note": "Vorstand"}, action="/account/organisations")
    membership = db.session.scalar(select(Membership))
    admin = logged_in(app, "root@example.org")
    admin.submit(
        f"/admin/organisations/{verein.id}",
        {"decision": "rejected", "reason": "Nicht im Vorstand"},
        action=f"/admin/organisations/memberships/{membership.id}",
    )
    db.session.refresh(membership)
    assert membership.status == REJECTED
    assert "nicht bestätigt" in member.get("/account/").get_data(as_text=True)
    member.submit(
        "/account/", {"organisation": str(verein.id), "note": "Jetzt Vorstand"}, action="/account/organisations"
    )
    db.session.refresh(membership)
    assert (membership.status, membership.note) == (REQUESTED, "Jetzt Vorstand")
    # empty note or no organisation: messages at the fields, nothing else asked
    refused = member.submit("/account/", {"organisation": "", "note": ""}, action="/account/organisations")
    assert refused.status_code == 422
    assert "Bitte wählen Sie eine Organisation" in refused.get_data(as_text=True)
    # leaving: only one's own membership
    other = logged_in(app, "other@example.org")
    assert other.submit("/account/", {}, action=f"/account/organisations/{membership.id}/leave").status_code == 404
    assert member.submit("/account/", {}, action=f"/account/organisations/{membership.id}/leave").status_code == 303
    assert db.session.scalar(select(func.count(Membership.id))) == 0


def _statements_of_a_member(db, people):
    """A verified member's proposal and comment, both written for the organisation."""
    from participation.comments.services import add_comment
    from participation.proposals import services

    verein = Organisation(name="Digitalverein Köln e.V.", kind="association")
    db.session.add(verein)
    db.session.flush()
    membership = Membership(user_id=people["member"].id, organisation_id=verein.id, status=VERIFIED)
    db.session.add(membership)
    proposal = services.submit(
        people["member"], "Hilfe im Veedel", "Sprechstunden.", "education", organisation_id=verein.id
    )
    comment = add_comment(people["member"], "Wir helfen.", None, proposal=proposal, organisation_id=verein.id)
    db.session.commit()
    return membership, proposal, comment


def test_a_former_member_no_longer_changes_the_organisations_statements(app, db, people):
    from participation.organisations.services import decide

    membership, proposal, comment = _statements_of_a_member(db, people)
    member = logged_in(app, "presse@example.org")
    assert member.get(f"/proposals/{proposal.id}/edit").status_code == 200
    decide(people["admin"], membership, REJECTED, "ausgeschieden")
    db.session.commit()
    for url in (f"/proposals/{proposal.id}/edit", f"/proposals/{proposal.id}/withdraw", f"/comments/{comment.id}/edit"):
        refused = member.get(url)
        assert refused.status_code == 403, url
        assert "Stellungnahme" in refused.get_data(as_text=True)
    changed = member.submit(
        f"/proposals/{proposal.id}",
        {"title": "Gekapert", "body": "Spam", "topic": "education"},
        action=f"/proposals/{proposal.id}/edit",
    )
    assert changed.status_code == 403
    db.session.refresh(proposal)
    assert proposal.title == "Hilfe im Veedel"


def test_a_former_member_is_not_offered_to_change_the_organisations_statements(app, db, people):
    """The page offers what the action allows: no Edit, Delete, Change or Withdraw that ends in
    a refusal once the author no longer speaks for the organisation."""
    from participation.organisations.services import decide

    membership, proposal, comment = _statements_of_a_member(db, people)
    offered = (
        f"/proposals/{proposal.id}/edit",
        f"/proposals/{proposal.id}/withdraw",
        f"/comments/{comment.id}/edit",
        f"/comments/{comment.id}/delete",
    )
    member = logged_in(app, "presse@example.org")
    page = member.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    for url in offered:
        assert f'href="{url}"' in page, url
    decide(people["admin"], membership, REJECTED, "ausgeschieden")
    db.session.commit()
    page = member.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    for url in offered:
        assert f'href="{url}"' not in page, url
    for url in offered:
        refused = member.get(url)
        assert refused.status_code == 403, url
        assert "Stellungnahme" in refused.get_data(as_text=True)
    deleted = member.submit(f"/comments/{comment.id}/delete", {})
    assert deleted.status_code == 403
    db.session.refresh(comment)
    assert comment.status == "published" and comment.body == "Wir helfen."
