"""Hostile text on the editors' pages for measures: stored (titles, descriptions, organisation
names, milestones, indicators, units, sources of values, reasons, updates, the proposal a
measure grows out of) and typed into every form that shows it again with an error."""

from __future__ import annotations

from datetime import date
from itertools import islice

from tests.conftest import logged_in
from tests.xss import check, payloads

PAYLOADS = payloads()
TEXTS = ("title_de", "title_en", "description_de", "description_en", "reason", "external_id")


def test_stored_hostile_text_on_the_editors_pages(app, db, users, sqlite_only):
    from participation.measures import services
    from participation.organisations.models import Organisation
    from participation.proposals import services as proposals

    planner = users(email="plan@example.org", roles=("participant", "planner"))
    author = users(email="author@example.org")
    browser = logged_in(app, "plan@example.org")
    sample = list(islice(PAYLOADS, 0, len(PAYLOADS), 16))
    made = []
    for number, payload in enumerate(sample):
        text = payload.strip()[:150] or "x"
        company = Organisation(name=f"{number} {text}"[:150], kind="municipal_company")
        db.session.add(company)
        db.session.flush()
        values = {"title_de": text, "title_en": payload[::-1].strip()[:150], "description_de": payload}
        values |= {"description_en": payload, "topic": "education", "organisation_id": company.id}
        values |= {"external_id": f"{number}-{text}"[:64]}
        measure = services.create_measure(planner, values)
        if number % 2:
            services.publish_measure(planner, measure)
        services.change_measure(planner, measure, {"status": "paused", "title_de": text[::-1] or "y"}, reason=payload)
        services.add_milestone(planner, measure, {"title_de": text, "planned_on": date(2026, 1, 1)})
        indicator = services.add_indicator(
            planner, measure, {"title_de": text, "unit_de": text[:40], "unit_en": text[:40], "target": 1}
        )
        services.record_value(planner, indicator, date(2026, 1, 2), 1, payload[:300])
        services.post_update(planner, measure, payload or "x", payload)
        idea = proposals.submit(author, text, payload or "x", "education")
        proposals.answer(planner, idea, "accepted", payload or "x")
        services.link_source(planner, measure, proposal_id=idea.id)
        made.append((measure.id, measure.milestones[0].id, indicator.id, idea.id))
    db.session.commit()
    check(browser.get("/planning/measures/"), "editors' list")
    check(browser.get("/planning/measures/?page=2"), "editors' list, page 2")
    for measure_id, milestone_id, indicator_id, idea_id in made:
        check(browser.get(f"/planning/measures/{measure_id}/edit"), ("edit page", measure_id))
        check(browser.get(f"/planning/measures/{measure_id}/edit", headers={"Accept-Language": "en"}), measure_id)
        check(browser.get(f"/planning/measures/milestones/{milestone_id}"), ("milestone", milestone_id))
        check(browser.get(f"/planning/measures/indicators/{indicator_id}"), ("indicator", indicator_id))
        check(browser.get(f"/planning/measures/new?proposal={idea_id}"), ("new from a proposal", idea_id))
        check(browser.get(f"/planning/proposals/{idea_id}"), ("answer page with the measure link", idea_id))
    delete_pages = [browser.get(f"/planning/measures/{ids[0]}/delete") for ids in made]
    for response in delete_pages:
        if response.status_code == 200:
            check(response, "delete question")


def test_hostile_text_typed_into_the_editors_forms(app, db, users, sqlite_only):
    from participation.measures import services
    from tests.measuring import measure

    planner = users(email="plan@example.org", roles=("participant", "planner"))
    browser = logged_in(app, "plan@example.org")
    made = measure(db, planner)
    indicator_id = services.add_indicator(planner, made, {"title_de": "Zahl", "target": 1}).id
    stone_id = services.add_milestone(planner, made, {"title_de": "Stein", "planned_on": date(2026, 1, 1)}).id
    db.session.commit()
    edit = f"/planning/measures/{made.id}/edit"
    token = browser.token(edit)
    for payload in islice(PAYLOADS, 0, None, 6):
        hostile = payload + "\x07"  # a control character keeps every form from succeeding
        forms = {
            "/planning/measures/new": dict.fromkeys(TEXTS, hostile)
            | {"topic": payload, "status": payload, "organisation_id": payload, "budget_eur": payload},
            edit: {"title_de": hostile, "description_de": hostile, "weight": payload, "parent_id": payload},
            f"/planning/measures/{made.id}/milestones": {"milestone-title_de": hostile, "milestone-weight": payload},
            f"/planning/measures/milestones/{stone_id}": {"title_de": hostile, "planned_on": payload},
            f"/planning/measures/{made.id}/indicators": {"indicator-title_de": hostile, "indicator-unit_de": hostile},
            f"/planning/measures/indicators/{indicator_id}": {"title_de": hostile, "target": payload},
            f"/planning/measures/indicators/{indicator_id}/values": {"value-source": hostile, "value-value": payload},
            f"/planning/measures/{made.id}/paragraphs": {"paragraph-lineage_key": payload},
            f"/planning/measures/{made.id}/sources": {"source-item": payload, "source-proposal_id": payload},
            f"/planning/measures/{made.id}/updates": {"update-body_de": hostile, "update-body_en": hostile},
        }
        for url, data in forms.items():
            response = browser.client.post(url, data={"csrf_token": token, **data})
            assert response.status_code == 422, (url, payload)
            check(response, (url, payload))
