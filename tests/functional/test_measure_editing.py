"""The editors' pages for measures: planners create (also from an accepted proposal), publish and
delete drafts; the responsible organisation's members change their own measures and nothing
else; every form refuses what it must at the field, keeps what was typed and answers 422; a
change made in between is never overwritten."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from participation.measures import services
from participation.measures.models import (
    IndicatorValue,
    Measure,
    MeasureChange,
    MeasureFollow,
    MeasureParagraph,
    MeasureSource,
)
from tests.conftest import Browser, logged_in, outbox, queries_for
from tests.measuring import measure, organisation, verified_member

PLANNER, MEMBER, OTHER = "plan@example.org", "rhein@example.org", "kim@example.org"


@pytest.fixture
def people(app, db, users):
    planner = users(email=PLANNER, display_name="Planung", roles=("participant", "planner"), locale="en")
    member = users(email=MEMBER, display_name="Rhein", locale="en")
    users(email=OTHER, display_name="Kim", locale="en")
    rhein = organisation(db)
    awb = organisation(db, "AWB Abfallwirtschaftsbetriebe Köln")
    verified_member(db, member, rhein)
    db.session.commit()
    return {"planner": planner, "member": member, "rhein": rhein, "awb": awb}


def fields(made: Measure | None = None, **changes) -> dict:
    """The measure form as a browser sends it, from `made` or a new measure's defaults."""
    data = {
        "title_de": made.title_de if made else "Glasfaser für Berufsschulen",
        "title_en": made.title_en if made else "Fibre for vocational schools",
        "description_de": made.description_de if made else "Alle **Berufsschulen** bekommen Glasfaser.",
        "description_en": made.description_en if made else "",
        "topic": made.topic if made else "infrastructure",
        "chapter_lineage": (made.chapter_lineage or "") if made else "",
        "organisation_id": str(made.organisation_id) if made else "",
        "inside_administration": ("1" if made.inside_administration else "0") if made else "1",
        "status": made.status if made else "planned",
        "reason": "",
        "starts_on": made.starts_on.isoformat() if made and made.starts_on else "2026-01-01",
        "planned_end_on": made.planned_end_on.isoformat() if made and made.planned_end_on else "2027-06-30",
        "budget_eur": "",
        "district": made.district if made else "citywide",
        "progress_mode": made.progress_mode if made else "direct",
        "progress_set": str(made.progress_set) if made else "0",
        "weight": "1",
        "parent_id": str(made.parent_id or "") if made else "",
        "external_id": (made.external_id or "") if made else "",
    }
    if made is not None:
        data["loaded"] = made.updated_at.isoformat()
    return data | changes


def _timeline(db, made):
    return list(db.session.scalars(select(MeasureChange).where(MeasureChange.measure_id == made.id)))


def test_a_planner_creates_a_measure_from_an_accepted_proposal_and_publishes_it(app, db, people, draft):
    from participation.proposals import services as proposals

    author = db.session.get(type(people["member"]), people["member"].id)
    chapter = draft.chapters[1]
    idea = proposals.submit(author, "Sensoren an Bäumen", "Bäume mit **Sensoren** in Nippes.", "smart_city")
    idea.chapter_id, idea.district = chapter.id, "nippes"
    proposals.answer(people["planner"], idea, "accepted", "Kommt als Maßnahme.")
    db.session.commit()
    planner = logged_in(app, PLANNER)

    page = planner.get(f"/planning/measures/new?proposal={idea.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'value="Sensoren an Bäumen"' in html and "Bäume mit **Sensoren** in Nippes." in html
    assert f'<option selected value="{chapter.lineage_key}">' in html
    assert '<option selected value="nippes">' in html and '<option selected value="smart_city">' in html
    assert "Someone else changed this measure" not in html  # no conflict on a new measure

    data = fields(title_de="Sensoren an Bäumen", topic="smart_city", organisation_id=str(people["rhein"].id))
    data |= {"chapter_lineage": chapter.lineage_key, "district": "nippes"}
    response = planner.submit(f"/planning/measures/new?proposal={idea.id}", data)
    assert response.status_code == 303
    made = db.session.scalar(select(Measure).where(Measure.title_de == "Sensoren an Bäumen"))
    assert not made.is_public and made.chapter_lineage == chapter.lineage_key and made.district == "nippes"
    assert db.session.scalar(select(MeasureSource.proposal_id).where(MeasureSource.measure_id == made.id)) == idea.id
    edit_page = planner.get(f"/planning/measures/{made.id}/edit").get_data(as_text=True)
    assert "draft: only its editors see it" in edit_page and "Publish" in edit_page
    assert Browser(app.test_client()).get(f"/measures/{made.id}").status_code == 404  # a draft

    assert planner.submit(f"/planning/measures/{made.id}/edit", {}, action=f"/planning/measures/{made.id}/publish")
    db.session.expire_all()
    assert made.is_public
    assert Browser(app.test_client()).get(f"/measures/{made.id}").status_code == 200
    assert "published" in {change.field for change in _timeline(db, made)}


def test_only_accepted_public_contributions_seed_a_measure(app, db, people, draft):
    from participation.proposals import services as proposals

    idea = proposals.submit(people["member"], "Offen", "Noch ohne Antwort.", "education")
    db.session.commit()
    planner = logged_in(app, PLANNER)
    assert planner.get(f"/planning/measures/new?proposal={idea.id}").status_code == 404
    assert planner.get("/planning/measures/new?proposal=2147483648").status_code == 404
    assert planner.get("/planning/measures/new?comment=abc").status_code == 404


def test_a_member_changes_the_status_of_their_measure_with_a_reason(app, db, people):
    made = measure(db, people["planner"])
    db.session.commit()
    member = logged_in(app, MEMBER)
    url = f"/planning/measures/{made.id}/edit"
    assert member.get("/planning/measures/").get_data(as_text=True).count(f"/planning/measures/{made.id}/edit") == 1

    refused = member.submit(url, fields(made, status="implementing"))
    assert refused.status_code == 422
    assert "Please say why the status changes." in refused.get_data(as_text=True)
    assert '<option selected value="implementing">' in refused.get_data(as_text=True)

    done = member.submit(url, fields(made, status="implementing", reason="Bau hat begonnen"))
    assert done.status_code == 303
    change = db.session.scalar(
        select(MeasureChange).where(MeasureChange.measure_id == made.id, MeasureChange.field == "status")
    )
    assert (change.before, change.after, change.reason) == ("planned", "implementing", "Bau hat begonnen")
    assert change.organisation_id == people["rhein"].id and change.actor_id == people["member"].id
    page = member.get(url).get_data(as_text=True)
    assert "RheinEnergie AG (Rhein)" in page and "Bau hat begonnen" in page


def test_a_member_edits_nothing_of_another_organisation(app, db, people):
    theirs = measure(db, people["planner"], organisation_id=people["awb"].id, title_de="Smarte Tonnen")
    hidden = measure(db, people["planner"], public=False, organisation_id=people["awb"].id, title_de="Geheim")
    own = measure(db, people["planner"])
    db.session.commit()
    member = logged_in(app, MEMBER)
    assert member.get(f"/planning/measures/{theirs.id}/edit").status_code == 403
    assert member.get(f"/planning/measures/{hidden.id}/edit").status_code == 404
    token = member.token("/planning/measures/")
    post = member.client.post(f"/planning/measures/{theirs.id}/milestones", data={"csrf_token": token})
    assert post.status_code == 403
    listing = member.get("/planning/measures/").get_data(as_text=True)
    assert "Smarte Tonnen" not in listing and "Geheim" not in listing
    assert member.get("/planning/measures/new").status_code == 403
    assert member.client.post(f"/planning/measures/{own.id}/publish", data={"csrf_token": token}).status_code == 303

    moved = member.submit(f"/planning/measures/{own.id}/edit", fields(own, organisation_id=str(people["awb"].id)))
    assert moved.status_code == 422
    assert "Only the coordinating unit can hand a measure" in moved.get_data(as_text=True)
    db.session.expire_all()
    assert own.organisation_id == people["rhein"].id
    assert member.get(f"/planning/measures/{own.id}/delete").status_code == 403


@pytest.mark.parametrize("who", ["participant", "visitor"])
def test_people_without_a_measure_see_no_editors_page(app, db, people, who):
    made = measure(db, people["planner"])
    db.session.commit()
    browser = logged_in(app, OTHER) if who == "participant" else Browser(app.test_client())
    for url in ("/planning/measures/", "/planning/measures/new", f"/planning/measures/{made.id}/edit"):
        response = browser.get(url)
        if who == "participant":
            assert response.status_code == 403, url
        else:
            assert response.status_code == 302 and "/login" in response.headers["Location"], url


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"planned_end_on": "2025-12-31"}, "planned_end_on", "The planned end cannot be before the start."),
        ({"progress_set": "101"}, "progress_set", "Please enter a whole number from 0 to 100."),
        ({"budget_eur": "-5"}, "budget_eur", "Please enter an amount from 0 to 10 billion euros."),
        ({"budget_eur": "nan"}, "budget_eur", "Please enter a number"),
        ({"weight": "0"}, "weight", "Please enter a weight greater than 0"),
        ({"title_de": "T" * 5000}, "title_de", "At most 200 characters."),
        ({"topic": "weather"}, "topic", "Please choose a field of action from the list."),
        ({"status": "dreaming"}, "status", "Please choose a status from the list."),
        ({"organisation_id": "999999"}, "organisation_id", "Please choose the responsible body from the list."),
        ({"external_id": "K-001"}, "external_id", "already has this external id"),
        ({"parent_id": "CHILD"}, "parent_id", "A measure cannot be a part of itself"),
        ({"parent_id": "2147483647"}, "parent_id", "There is no measure with this number that you may edit."),
    ],
)
def test_invalid_input_is_named_at_its_field_and_kept(app, db, people, changes, field, message):
    made = measure(db, people["planner"], external_id="K-001")
    child = measure(db, people["planner"], title_de="Teil", parent_id=made.id)
    db.session.commit()
    planner = logged_in(app, PLANNER)
    changes = {name: str(child.id) if value == "CHILD" else value for name, value in changes.items()}
    # the cycle: the measure made part of its own part; the rest: a new measure
    url = f"/planning/measures/{made.id}/edit" if field == "parent_id" else "/planning/measures/new"
    base = fields(made) if field == "parent_id" else fields(organisation_id=str(people["rhein"].id))
    response = planner.submit(url, base | changes)
    html = response.get_data(as_text=True)
    assert response.status_code == 422, html
    assert message in html
    assert f'href="#{field}"' in html  # the error summary leads to the field
    typed = changes[field][:1000]
    assert typed in html or field in ("topic", "status", "organisation_id")
    assert db.session.scalar(select(Measure).where(Measure.title_de == "Glasfaser für Berufsschulen")) is None


def test_hostile_text_is_bounded_and_never_stored(app, db, people):
    planner = logged_in(app, PLANNER)
    data = fields(organisation_id=str(people["rhein"].id), title_de="x" * 1_000_000, description_de="\x07 bell")
    response = planner.submit("/planning/measures/new", data)
    assert response.status_code == 422
    assert len(response.get_data()) < 200_000
    assert "Please remove invisible control characters." in response.get_data(as_text=True)


def test_a_reached_milestone_moves_the_progress(app, db, people):
    made = measure(db, people["planner"])
    services.change_measure(people["planner"], made, {"progress_mode": "milestones"})
    db.session.commit()
    member = logged_in(app, MEMBER)
    edit = f"/planning/measures/{made.id}/edit"
    for title, weight in (("Planung", "1"), ("Bau", "3")):
        data = {"milestone-title_de": title, "milestone-planned_on": "2026-03-01", "milestone-weight": weight}
        assert member.submit(edit, data, action=f"/planning/measures/{made.id}/milestones").status_code == 303
    bad = member.submit(edit, {"milestone-title_de": "Ohne Datum"}, action=f"/planning/measures/{made.id}/milestones")
    assert bad.status_code == 422 and 'value="Ohne Datum"' in bad.get_data(as_text=True)
    db.session.expire_all()
    stone = made.milestones[1]
    assert stone.title_de == "Bau" and made.progress == 0
    data = {"title_de": "Bau", "planned_on": "2026-03-01", "achieved_on": "2026-04-02", "weight": "3"}
    assert member.submit(f"/planning/measures/milestones/{stone.id}", data).status_code == 303
    db.session.expire_all()
    assert made.progress == 75 and stone.achieved_on == date(2026, 4, 2)
    future = member.submit(f"/planning/measures/milestones/{stone.id}", data | {"achieved_on": "2999-01-01"})
    assert future.status_code == 422 and "This date is in the future." in future.get_data(as_text=True)
    token = member.token(edit)
    removed = member.client.post(f"/planning/measures/milestones/{stone.id}/remove", data={"csrf_token": token})
    assert removed.status_code == 303
    db.session.expire_all()
    assert made.progress == 0 and [s.title_de for s in made.milestones] == ["Planung"]


def test_an_indicator_and_its_values(app, db, people):
    made = measure(db, people["planner"])
    db.session.commit()
    member = logged_in(app, MEMBER)
    edit = f"/planning/measures/{made.id}/edit"
    data = {"indicator-title_de": "Schulen mit Glasfaser", "indicator-unit_de": "%", "indicator-baseline": "12,5"}
    missing = member.submit(edit, data, action=f"/planning/measures/{made.id}/indicators")
    assert missing.status_code == 422 and "Please enter a number." in missing.get_data(as_text=True)
    added = member.submit(edit, data | {"indicator-target": "100"}, action=f"/planning/measures/{made.id}/indicators")
    assert added.status_code == 303
    indicator = made.indicators[0]
    assert indicator.baseline == 12.5
    page = f"/planning/measures/indicators/{indicator.id}"
    value = {"value-measured_on": "2026-06-30", "value-value": "40", "value-source": "Schulamt"}
    assert member.submit(page, value, action=f"{page}/values").status_code == 303
    assert member.submit(page, value | {"value-value": "42"}, action=f"{page}/values").status_code == 303
    rows = list(db.session.scalars(select(IndicatorValue).where(IndicatorValue.indicator_id == indicator.id)))
    assert [(row.measured_on, row.value) for row in rows] == [(date(2026, 6, 30), 42.0)]  # the second replaced it
    huge = member.submit(page, value | {"value-value": "1e400"}, action=f"{page}/values")
    assert huge.status_code == 422 and 'value="1e400"' in huge.get_data(as_text=True)
    assert "42" in member.get(page).get_data(as_text=True)
    token = member.token(page)
    removed = member.client.post(f"/planning/measures/values/{rows[0].id}/remove", data={"csrf_token": token})
    assert removed.status_code == 303
    assert db.session.scalar(select(IndicatorValue.id).where(IndicatorValue.indicator_id == indicator.id)) is None


def test_an_update_tells_the_followers(app, db, people, users):
    made = measure(db, people["planner"])
    fan = users(email="fan@example.org")
    db.session.add(MeasureFollow(user_id=fan.id, measure_id=made.id))
    db.session.commit()
    member = logged_in(app, MEMBER)
    edit = f"/planning/measures/{made.id}/edit"
    empty = member.submit(edit, {"update-body_de": ""}, action=f"/planning/measures/{made.id}/updates")
    assert empty.status_code == 422
    text = {"update-body_de": "Die ersten **20 Schulen** sind da.", "update-body_en": "First **20 schools**."}
    assert member.submit(edit, text, action=f"/planning/measures/{made.id}/updates").status_code == 303
    mails = outbox("measure_updated")
    assert [mail.recipient for mail in mails] == ["fan@example.org"]
    assert "<strong>20 schools</strong>" in member.get(edit).get_data(as_text=True)


def test_paragraphs_and_contributions_are_linked_and_unlinked(app, db, people, draft):
    from participation.proposals import services as proposals

    made = measure(db, people["planner"])
    idea = proposals.submit(people["member"], "Glasfaser", "Schnell.", "infrastructure")
    proposals.answer(people["planner"], idea, "partly_accepted", "Zum Teil.")
    paragraph = draft.chapters[0].paragraphs[0]
    db.session.commit()
    planner = logged_in(app, PLANNER)
    edit = f"/planning/measures/{made.id}/edit"
    page = planner.get(edit).get_data(as_text=True)
    assert f'value="{paragraph.lineage_key}"' in page and f'value="proposal:{idea.id}"' in page
    link = {"paragraph-lineage_key": paragraph.lineage_key}
    assert planner.submit(edit, link, action=f"/planning/measures/{made.id}/paragraphs").status_code == 303
    wrong = planner.submit(edit, {"paragraph-lineage_key": "x" * 32}, action=f"/planning/measures/{made.id}/paragraphs")
    assert wrong.status_code == 422 and "Please choose a paragraph from the list." in wrong.get_data(as_text=True)
    chosen = {"source-item": f"proposal:{idea.id}"}
    assert planner.submit(edit, chosen, action=f"/planning/measures/{made.id}/sources").status_code == 303
    unknown = planner.submit(edit, {"source-proposal_id": "99999"}, action=f"/planning/measures/{made.id}/sources")
    assert unknown.status_code == 422
    assert "There is no public proposal with this number." in unknown.get_data(as_text=True)
    both = {"source-item": f"proposal:{idea.id}", "source-comment_id": "3"}
    both = planner.submit(edit, both, action=f"/planning/measures/{made.id}/sources")
    assert both.status_code == 422
    page = planner.get(edit).get_data(as_text=True)
    assert "Paragraph 1.1" in page and ">Glasfaser</a>" in page
    token = planner.token(edit)
    link_row = db.session.scalar(select(MeasureParagraph).where(MeasureParagraph.measure_id == made.id))
    source = db.session.scalar(select(MeasureSource).where(MeasureSource.measure_id == made.id))
    assert planner.client.post(f"/planning/measures/paragraph-links/{link_row.id}/remove", data={"csrf_token": token})
    assert planner.client.post(f"/planning/measures/sources/{source.id}/remove", data={"csrf_token": token})
    assert db.session.scalar(select(MeasureParagraph.id).where(MeasureParagraph.measure_id == made.id)) is None
    assert db.session.scalar(select(MeasureSource.id).where(MeasureSource.measure_id == made.id)) is None


def test_a_change_made_in_between_is_not_overwritten(app, db, people):
    made = measure(db, people["planner"])
    db.session.commit()
    member = logged_in(app, MEMBER)
    url = f"/planning/measures/{made.id}/edit"
    stale = fields(made, title_de="Mein Titel")
    services.change_measure(people["planner"], made, {"title_en": "Changed meanwhile", "budget_eur": 5000.0})
    db.session.commit()
    response = member.submit(url, stale)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else changed this measure in the meantime" in html and "Changed meanwhile" in html
    assert 'value="Mein Titel"' in html
    db.session.expire_all()
    assert made.title_de == "Glasfaser für alle Schulen"
    again = member.submit(url, stale | {"loaded": made.updated_at.isoformat()})
    assert again.status_code == 303
    db.session.expire_all()
    assert made.title_de == "Mein Titel"


def test_a_planner_deletes_a_draft_but_not_a_public_measure(app, db, people):
    draft_id = measure(db, people["planner"], public=False, title_de="Entwurf").id
    public = measure(db, people["planner"])
    db.session.commit()
    planner = logged_in(app, PLANNER)
    question = planner.get(f"/planning/measures/{draft_id}/delete")
    assert question.status_code == 200 and "Entwurf" in question.get_data(as_text=True)
    assert planner.submit(f"/planning/measures/{draft_id}/delete", {}).status_code == 303
    assert db.session.scalar(select(Measure.id).where(Measure.id == draft_id)) is None
    assert planner.get(f"/planning/measures/{public.id}/delete").status_code == 403


def test_the_list_filters_and_pages_with_a_fixed_number_of_queries(app, db, people):
    for number in range(30):
        measure(db, people["planner"], public=number % 2 == 0, title_de=f"Maßnahme {number}", title_en="")
    measure(db, people["planner"], organisation_id=people["awb"].id, title_de="Tonnen", title_en="", status="paused")
    db.session.commit()
    planner = logged_in(app, PLANNER)
    first = planner.get("/planning/measures/").get_data(as_text=True)
    assert "31 measures" in first and "Page 1 of 2" in first and "draft" in first
    paused = planner.get("/planning/measures/?status=paused").get_data(as_text=True)
    assert "Tonnen" in paused and "Maßnahme 1<" not in paused
    by_awb = planner.get(f"/planning/measures/?organisation={people['awb'].id}").get_data(as_text=True)
    assert "1 measure" in by_awb and "Tonnen" in by_awb
    assert planner.get("/planning/measures/?organisation=99999999999&status=x&page=-3").status_code == 200
    few = queries_for(planner.client, "/planning/measures/?page=2")
    for number in range(30):
        measure(db, people["planner"], title_de=f"Mehr {number}", organisation_id=people["awb"].id)
    db.session.commit()
    assert queries_for(planner.client, "/planning/measures/?page=2") == few


def test_the_ways_to_the_editors_pages(app, db, people, draft):
    from participation.proposals import services as proposals

    idea = proposals.submit(people["member"], "Glasfaser", "Schnell.", "infrastructure")
    proposals.answer(people["planner"], idea, "accepted", "Ja.")
    db.session.commit()
    planner = logged_in(app, PLANNER)
    assert "/planning/measures/" in planner.get("/planning/").get_data(as_text=True)
    answer = planner.get(f"/planning/proposals/{idea.id}").get_data(as_text=True)
    assert f"/planning/measures/new?proposal={idea.id}" in answer
    member = logged_in(app, MEMBER)
    # a member finds the editors' pages once their organisation is responsible for a measure
    assert "/planning/measures/" not in member.get("/account/").get_data(as_text=True)
    assert member.get("/planning/measures/").status_code == 403
    measure(db, people["planner"], organisation_id=people["rhein"].id)
    db.session.commit()
    assert "/planning/measures/" in member.get("/account/").get_data(as_text=True)
    assert member.get("/planning/measures/").status_code == 200
    assert "/planning/measures/" not in logged_in(app, OTHER).get("/account/").get_data(as_text=True)


def test_the_editors_links_on_the_public_pages(app, db, people):
    """The public pages include these parts; they show only to those who may use them."""
    from flask import render_template_string
    from flask_login import login_user, logout_user

    from participation.accounts.models import User

    draft_measure = measure(db, people["planner"], public=False)
    db.session.commit()
    show = "{% include 'measures/_show_editors.html' %}"
    listing = "{% include 'measures/_index_editors.html' %}"
    expected = {"planner": (True, True), "member": (True, False), None: (False, False)}
    for who, (edits, publishes) in expected.items():
        with app.test_request_context("/measures/"):
            logout_user()
            if who:
                login_user(db.session.get(User, people[who].id))
            html = render_template_string(show, measure=draft_measure)
            assert (f"/planning/measures/{draft_measure.id}/edit" in html) is edits, who
            assert (f"/planning/measures/{draft_measure.id}/publish" in html) is publishes, who
            assert ("/planning/measures/" in render_template_string(listing)) is edits, who


def test_a_measure_grows_out_of_an_accepted_comment_on_the_draft(app, db, people, draft):
    from participation.comments.services import add_comment
    from participation.evaluation.services import answer_comment

    chapter = draft.chapters[0]
    comment = add_comment(people["member"], "WLAN in allen Klassen\nMit Förderung.", "addition", chapter, None)
    db.session.commit()
    planner = logged_in(app, PLANNER)
    assert planner.get(f"/planning/measures/new?comment={comment.id}").status_code == 404  # no answer yet
    answer_comment(people["planner"], comment, "partly_accepted", "Teilweise.")
    db.session.commit()
    page = planner.get(f"/planning/measures/new?comment={comment.id}").get_data(as_text=True)
    assert 'value="WLAN in allen Klassen"' in page and f'<option selected value="{chapter.lineage_key}">' in page
    assert f"/planning/measures/new?comment={comment.id}" in planner.get(f"/planning/comments/{comment.id}").get_data(
        as_text=True
    )
    data = fields(title_de="WLAN in allen Klassen", organisation_id=str(people["rhein"].id))
    assert planner.submit(f"/planning/measures/new?comment={comment.id}", data).status_code == 303
    made = db.session.scalar(select(Measure).where(Measure.title_de == "WLAN in allen Klassen"))
    assert db.session.scalar(select(MeasureSource.comment_id).where(MeasureSource.measure_id == made.id)) == comment.id
