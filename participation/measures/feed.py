"""The Atom feed of the measures' public updates."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("measure_feed", __name__)
