"""Import and export of measures, milestones and indicator values with the same columns (CSV, XLSX)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("measure_transfer", __name__, url_prefix="/planning/measures/transfer")
