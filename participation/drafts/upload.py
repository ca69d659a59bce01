"""An uploaded draft, read by the reader its file name asks for: Word (.docx) or Markdown."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from participation.drafts.docx_reader import parse_docx
from participation.drafts.importer import MAX_FILE_BYTES, ImportError_, ParsedDraft, parse_markdown


def parse_upload(filename: str, data: bytes) -> ParsedDraft:
    name = (filename or "").lower()
    if name.endswith(".docx"):
        return parse_docx(data)
    if name.endswith((".md", ".markdown", ".txt")):
        if len(data) > MAX_FILE_BYTES:
            raise ImportError_(_l("The file is larger than %(mb)d MB.", mb=MAX_FILE_BYTES // (1024 * 1024)))
        try:
            return parse_markdown(data.decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            raise ImportError_(_l("The text file is not UTF-8 encoded. Please save it as UTF-8.")) from exc
    raise ImportError_(_l("Please choose a Markdown (.md) or Word (.docx) file."))
