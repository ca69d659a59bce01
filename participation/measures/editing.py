"""The editors' pages: planners and the responsible organisations' members create and change
measures, their milestones, indicators, values, links and updates."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("measure_editing", __name__, url_prefix="/planning/measures")
