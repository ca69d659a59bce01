"""The app as `make bench` serves it (`gunicorn bench.wsgi:app`): the production app plus the
ceiling page, which production never has."""

from pathlib import Path

from flask import Blueprint, render_template

from participation import create_app

ceiling = Blueprint("bench", __name__, template_folder=str(Path(__file__).parent / "templates"))


@ceiling.route("/_bench/ceiling")
def bench_ceiling():
    """A page with no database work, rendered through the same stack (base template, session,
    security headers), whose throughput is the ceiling the real pages are compared with."""
    return render_template("bench/ceiling.html")


app = create_app()
app.register_blueprint(ceiling)
