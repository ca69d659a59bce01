"""What incorporation lends to the pages of lower layers: the contributions that shaped the
paragraphs of the draft, and where an accepted proposal went into the plan (see
participation.core.composition)."""

from __future__ import annotations

from participation.incorporation import services


def on_draft_chapter(chapter, paragraphs) -> dict:
    return {"shaped": services.shaping([p.id for p in paragraphs])}


def on_draft_paragraph(chapter, paragraph) -> dict:
    return {"shaped": services.shaping([paragraph.id])}


def on_proposal(proposal) -> dict:
    # only accepted input is taken into the plan: other proposals spare the query
    return {"taken": services.taken_into(proposal_ids=[proposal.id]) if proposal.status in services.TAKEN else []}
