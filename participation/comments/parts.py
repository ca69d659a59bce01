"""What the comments lend to the draft's reading pages, which sit in a lower layer: the threads
of a chapter or paragraph, the latest comment under each paragraph, the empty comment form
(see participation.core.composition)."""

from __future__ import annotations

from participation.comments import services
from participation.comments.forms import CommentForm
from participation.core.pagination import paginate


def _threads(chapter, paragraph) -> dict:
    page = paginate(services.top_level(chapter, paragraph), per_page=services.THREADS_PER_PAGE)
    return {"threads": page, "replies": services.replies_for(page.items), "form": CommentForm(formdata=None)}


def on_draft_chapter(chapter, paragraphs) -> dict:
    return dict(_threads(chapter, None), latest=services.latest_per_paragraph([p.id for p in paragraphs]))


def on_draft_paragraph(chapter, paragraph) -> dict:
    return _threads(chapter, paragraph)
