"""Summaries in easy language (Leichte Sprache) beside the full text of a chapter or a measure:
their length limit, the hint on the rules that the editors' forms show, and the form fields."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import Length

from participation.core.forms import no_control_characters, strip_filter

# a summary in easy language is short by nature: about a page of short sentences
EASY_SUMMARY_MAX = 5_000

RULES_HINT = _l(
    "Leichte Sprache: short sentences, one statement per sentence, active verbs, no abbreviations; "
    "explain every hard word (for example: “A masterplan is a big plan.”). Markdown works: lists with -. "
    "At most %(max)d characters.",
    max=EASY_SUMMARY_MAX,
)
PLAIN_ENGLISH_HINT = _l(
    "Optional: the same in plain English, for readers of the English pages. At most %(max)d characters.",
    max=EASY_SUMMARY_MAX,
)


def summary_fields() -> tuple[TextAreaField, TextAreaField]:
    """The German summary in Leichte Sprache and the optional one in plain English."""
    return tuple(
        TextAreaField(
            label,
            filters=[strip_filter],
            validators=[Length(max=EASY_SUMMARY_MAX, message=_l("At most %(max)d characters.")), no_control_characters],
            description=hint,
            render_kw={"rows": 6, "maxlength": EASY_SUMMARY_MAX},
        )
        for label, hint in (
            (_l("Summary in Leichte Sprache (German)"), RULES_HINT),
            (_l("Summary in plain English"), PLAIN_ENGLISH_HINT),
        )
    )
