"""Drafts read from an upload and waiting for their confirmation: kept on the server for the planner
who uploaded them, for a limited time, so the confirmation form carries a token and not the text."""

from __future__ import annotations

import json
import secrets
from datetime import timedelta

from sqlalchemy import delete, select

from participation.core.models import utcnow
from participation.drafts.importer import ParsedChapter, ParsedDraft, ParsedParagraph
from participation.drafts.models import PendingImport
from participation.extensions import db

PENDING_FOR = timedelta(hours=2)  # a preview left open longer is uploaded again


def keep(user, draft: ParsedDraft, target: str, filename: str) -> str:
    """Store the draft for `user`; returns the token the confirmation names. Expired previews go."""
    db.session.execute(delete(PendingImport).where(PendingImport.created_at < utcnow() - PENDING_FOR))
    data = {
        "title": draft.title,
        "warnings": [str(warning) for warning in draft.warnings],
        "chapters": [
            {"title": chapter.title, "paragraphs": [[p.text, p.subheading] for p in chapter.paragraphs]}
            for chapter in draft.chapters
        ],
    }
    token = secrets.token_urlsafe(32)
    shown_name = "".join(ch for ch in filename or "" if ch.isprintable())[:255]  # PostgreSQL refuses NUL
    pending = PendingImport(token=token, user_id=user.id, target=target, filename=shown_name)
    pending.draft = json.dumps(data, ensure_ascii=False)
    db.session.add(pending)
    db.session.flush()
    return token


def find(user, token: str | None) -> PendingImport | None:
    """The preview stored under `token` for `user`; None when there is none, it belongs to someone
    else or it expired (an expired one is removed)."""
    pending = db.session.scalar(
        select(PendingImport).where(PendingImport.token == (token or "")[:64], PendingImport.user_id == user.id)
    )
    if pending is not None and pending.created_at < utcnow() - PENDING_FOR:
        db.session.delete(pending)
        db.session.flush()
        return None
    return pending


def claim(pending: PendingImport) -> bool:
    """Take the preview for this one confirmation. Of two confirmations at once (a double click, two
    tabs) both may have found it, but only one deletes the row: on PostgreSQL the other waits for
    that transaction and then deletes nothing. False: it was taken; import nothing."""
    taken = db.session.execute(
        delete(PendingImport).where(PendingImport.id == pending.id).execution_options(synchronize_session=False)
    )
    db.session.expunge(pending)
    return taken.rowcount == 1


def draft_of(pending: PendingImport) -> ParsedDraft:
    data = json.loads(pending.draft)
    draft = ParsedDraft(title=data["title"], warnings=data.get("warnings", []))
    for chapter in data["chapters"]:
        paragraphs = [ParsedParagraph(text=text, subheading=sub) for text, sub in chapter["paragraphs"]]
        draft.chapters.append(ParsedChapter(title=chapter["title"], paragraphs=paragraphs))
    return draft
