"""Hostile text in the action concept: measure titles and descriptions, updates, milestones,
indicators, measured values' sources, reasons of changes, organisation names and the
contributions behind a measure, on every public page that shows them."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import islice

from participation.measures import services
from participation.organisations.models import Organisation
from participation.proposals import services as proposals
from tests.conftest import Browser
from tests.xss import check, payloads

PAYLOADS = payloads()


def test_measure_texts_on_every_page_that_shows_them(app, db, users, sqlite_only):
    planner = users(email="plan@example.org", roles=("participant", "planner"))
    author = users(email="author@example.org")
    sample = list(islice(PAYLOADS, 0, len(PAYLOADS), 7))
    made = []
    for number, payload in enumerate(sample):
        body = Organisation(name=f"{number} {payload.strip()}"[:150], kind="city_office")
        db.session.add(body)
        db.session.flush()
        measure = services.create_measure(
            planner,
            {
                "title_de": payload.strip()[:200] or "x",
                "title_en": payload[::-1].strip()[:200],
                "description_de": payload,
                "description_en": payload[::-1],
                "topic": "infrastructure",
                "organisation_id": body.id,
            },
        )
        services.publish_measure(planner, measure)
        made.append(measure)
    for number, (measure, payload) in enumerate(zip(made, sample, strict=True)):
        if number % 5:
            continue
        services.change_measure(planner, measure, {"status": "paused", "title_de": payload[1:200] or "y"}, payload)
        services.add_milestone(planner, measure, {"title_de": payload[:200] or "m", "planned_on": date(2026, 1, 1)})
        indicator = services.add_indicator(
            planner, measure, {"title_de": payload[:200] or "i", "unit_de": payload[:40], "target": 10}
        )
        for day in range(3):
            services.record_value(planner, indicator, date(2026, 1, 1) + timedelta(days=day), day, payload[:300])
        services.post_update(planner, measure, payload or "u", payload[::-1])
        proposal = proposals.submit(author, payload.strip()[:150] or "p", payload or "p", "infrastructure")
        proposal.status = "accepted"
        services.link_source(planner, measure, proposal_id=proposal.id)
        if measure is not made[0]:
            services.change_measure(planner, measure, {"parent_id": made[0].id})
    db.session.commit()

    for language in ("de", "en"):
        visitor = Browser(app.test_client())
        headers = {"Accept-Language": language}
        for page in range(1, len(made) // 25 + 2):
            check(visitor.get(f"/measures/?page={page}", headers=headers), ("list", page, language))
        check(visitor.get("/measures/?sort=title&where=inside", headers=headers), ("sorted list", language))
        for number, measure in enumerate(made):
            if number % 5 == 0:
                where = (number, sample[number], language)
                check(visitor.get(f"/measures/{measure.id}", headers=headers), ("measure", *where))
                check(visitor.get(f"/measures/{measure.id}/timeline", headers=headers), ("timeline", *where))
        for proposal_id in range(1, 4):
            check(visitor.get(f"/proposals/{proposal_id}", headers=headers), ("proposal", proposal_id))
            check(visitor.get(f"/proposals/{proposal_id}/path", headers=headers), ("path", proposal_id))
