"""Taking part on measures: following a measure, and comments on it during a phase that opens them."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("measure_talk", __name__)
