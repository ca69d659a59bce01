"""The advisory boards' official statements on interim reports and published versions."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("statements", __name__)
