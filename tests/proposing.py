"""Proposals for the proposal tests, and the titles a list shows."""

from __future__ import annotations

import re

from participation.proposals import services


def propose(author, title, body, topic="education", district=None, status=None):
    proposal = services.submit(author, title, body, topic, None, district)
    if status:
        proposal.status = status
    return proposal


def titles(response) -> list[str]:
    html = response.get_data(as_text=True)
    return re.findall(r'<li class="proposal-card">\s*<h3><a href="/proposals/\d+">([^<]+)</a>', html)
