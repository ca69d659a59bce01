"""Organisations' strategy documents: PDFs their verified members publish, checked by their content,
stored in the database in chunks (every app host reads the same bytes, as the open-data ZIP:
participation.exports.stored) and sent one chunk at a time. Services flush; the request commits."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import BinaryIO

from flask import current_app
from sqlalchemy import delete, insert, select

from participation.core.audit import record_decision
from participation.extensions import db
from participation.organisations.models import FILENAME_MAX, StrategyDocument, StrategyDocumentChunk

CHUNK = 1024 * 1024  # bytes per stored piece: one piece in memory at a time
PDF_MAGIC = b"%PDF-"  # how every PDF starts (ISO 32000-1, 7.5.2); neither the name nor the browser's type counts
# what a strategy upload's form may carry beside the file (title, year, CSRF token, multipart framing)
FORM_OVERHEAD = 64 * 1024


class TooLarge(Exception):
    """The file is over STRATEGY_MAX_BYTES."""


def max_bytes() -> int:
    return current_app.config["STRATEGY_MAX_BYTES"]


def body_limit() -> int:
    """The largest request body the upload accepts: the largest file and the form around it."""
    return max_bytes() + FORM_OVERHEAD


def looks_like_pdf(stream: BinaryIO) -> bool:
    """Whether the upload starts as a PDF does; the stream is left at its start."""
    head = stream.read(len(PDF_MAGIC))
    stream.seek(0)
    return head == PDF_MAGIC


def size_of(stream: BinaryIO) -> int:
    """The upload's size without reading it (Werkzeug spooled it to a seekable file)."""
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    return size


def safe_filename(*parts: str) -> str:
    """An ASCII file name from the parts: letters, digits and dashes, ending in .pdf, so that no
    header or file system is surprised by it (the readable name goes into filename*)."""
    text = "-".join(part for part in parts if part)
    ascii_text = unicodedata.normalize("NFKD", text.replace("ß", "ss")).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower()
    return (slug[: FILENAME_MAX - 4].rstrip("-") or "document") + ".pdf"


def store(actor, organisation, stream: BinaryIO, title_de: str, title_en: str, year: int) -> StrategyDocument:
    """Save the PDF (the caller checked it is one) piece by piece; TooLarge, with nothing kept of
    it, once more than STRATEGY_MAX_BYTES were read."""
    limit = max_bytes()
    document = StrategyDocument(
        organisation_id=organisation.id,
        title_de=title_de,
        title_en=title_en,
        year=year,
        filename=safe_filename(organisation.name, title_de, str(year)),
        uploaded_by_id=getattr(actor, "id", None),
    )
    db.session.add(document)
    db.session.flush()
    size = position = 0
    while piece := stream.read(CHUNK):
        size += len(piece)
        if size > limit:
            db.session.execute(delete(StrategyDocumentChunk).where(StrategyDocumentChunk.document_id == document.id))
            db.session.delete(document)
            db.session.flush()
            raise TooLarge
        db.session.execute(insert(StrategyDocumentChunk).values(document_id=document.id, position=position, data=piece))
        position += 1
    document.size = size
    record_decision(
        actor,
        "upload_strategy_document",
        document,
        after={"organisation_id": organisation.id, "title": title_de, "year": year, "size": size},
    )
    db.session.flush()
    return document


def remove(actor, document: StrategyDocument) -> None:
    record_decision(
        actor,
        "delete_strategy_document",
        document,
        before={
            "organisation_id": document.organisation_id,
            "title": document.title_de,
            "year": document.year,
            "uploaded_by_id": document.uploaded_by_id,
        },
    )
    db.session.execute(delete(StrategyDocumentChunk).where(StrategyDocumentChunk.document_id == document.id))
    db.session.delete(document)
    db.session.flush()


def of(organisation_id: int) -> list[StrategyDocument]:
    """An organisation's documents, newest year first."""
    return list(
        db.session.scalars(
            select(StrategyDocument)
            .where(StrategyDocument.organisation_id == organisation_id)
            .order_by(StrategyDocument.year.desc(), StrategyDocument.id.desc())
        )
    )


def chunks(document_id: int) -> Iterator[bytes]:
    """The document's bytes, one stored piece per query, ending each read transaction at once (a
    slow download must not hold one open)."""
    position = 0
    while True:
        data = db.session.scalar(
            select(StrategyDocumentChunk.data).where(
                StrategyDocumentChunk.document_id == document_id, StrategyDocumentChunk.position == position
            )
        )
        db.session.rollback()
        if data is None:
            return
        yield data
        position += 1
