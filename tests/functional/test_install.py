"""A plain, non-editable `pip install .` serves the site: the wheel carries the templates, the
compiled translations, the migrations and the demo files, and the production server comes with
it. Slow (a fresh venv, the locked dependencies from the registry or pip's cache)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import urllib.request

import pytest

from participation import ROOT
from tests.serving import free_port, wait_for

# what the copy of the checkout leaves out: nothing built or compiled may ride along
NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", "node_modules", "instance", "test-artifacts", "build", "dist", "*.egg-info", "__pycache__", "*.mo"
)


def run(*command, **kwargs) -> str:
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, f"{' '.join(map(str, command))} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def clean_environment(**settings: str) -> dict:
    """No way back into the checkout or its venv: the installed copy must stand alone."""
    env = {key: value for key, value in os.environ.items() if key not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    env.update(settings)
    return env


@pytest.mark.timeout(1800)  # pip downloads and builds: more than the suite's limit
def test_a_non_editable_install_serves_the_home_page(tmp_path):
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE, symlinks=True)
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", str(venv))
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    env = clean_environment()
    run(*pip, "--require-hashes", "-r", str(source / "requirements" / "base.txt"), env=env)
    run(*pip, "--no-deps", str(source), env=env, cwd=tmp_path)
    shutil.rmtree(source)  # the installed app may not read anything from the checkout it came from

    database = tmp_path / "site.db"
    site = tmp_path / "site"
    site.mkdir()
    env = clean_environment(
        APP_ENV="production",
        SECRET_KEY="install-test-secret",
        DATABASE_URL=f"sqlite:///{database}",
        PUBLIC_BASE_URL="http://127.0.0.1",
        MAIL_BACKEND="none",
        REDIS_URL="",
    )
    flask = [str(venv / "bin" / "flask"), "--app", "participation:create_app"]
    run(*flask, "db", "upgrade", env=env, cwd=site)  # the migrations came with the package
    run(*flask, "seed", "demo", env=env, cwd=site)  # and the demo draft

    port = free_port()
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [str(venv / "bin" / "gunicorn"), "--bind", f"127.0.0.1:{port}", "participation:create_app()"],
            cwd=site,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz", server, log, seconds=60)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
            assert response.status == 200
            home = response.read().decode()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/css/site.css", timeout=10) as response:
            assert response.status == 200
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert "Digitales Köln 2025" in home and "Ideen sammeln" in home  # the templates, the demo phases
    assert "Eine Beteiligungsplattform der Stadt Köln." in home  # the German catalogue, compiled into the wheel
