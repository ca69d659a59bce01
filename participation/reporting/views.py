"""The interim reports: planners create, edit and publish them; the public reads, compares and
downloads the published ones."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("reports", __name__)
