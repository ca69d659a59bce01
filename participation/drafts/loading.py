"""The version, chapter or paragraph of a request, or 404 where the reader may not see it."""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from participation.drafts.models import Chapter, MasterplanVersion, Paragraph
from participation.drafts.permissions import can_view_version
from participation.extensions import db


def get_version_or_404(number: int) -> MasterplanVersion:
    version = db.session.scalar(select(MasterplanVersion).where(MasterplanVersion.number == number))
    if not can_view_version(current_user, version):
        abort(404)
    return version


def get_chapter_or_404(chapter_id: int) -> Chapter:
    chapter = db.session.get(Chapter, chapter_id, options=[joinedload(Chapter.version)])
    if chapter is None or not can_view_version(current_user, chapter.version):
        abort(404)
    return chapter


def get_paragraph_or_404(paragraph_id: int) -> Paragraph:
    paragraph = db.session.get(
        Paragraph, paragraph_id, options=[joinedload(Paragraph.chapter).joinedload(Chapter.version)]
    )
    if paragraph is None or not can_view_version(current_user, paragraph.chapter.version):
        abort(404)
    return paragraph
