"""Passwords too easy to guess: the most common ones, one character repeated, simple runs."""

from __future__ import annotations

import string
from functools import cache
from pathlib import Path

LIST_PATH = Path(__file__).with_name("common_passwords.txt")

# runs people type: the alphabet, the digits, the keyboard's rows (German and English layout),
# and rows one after the other; each also backwards
_RUNS = (
    string.ascii_lowercase,
    "01234567890",
    "1234567890ß",
    "qwertzuiopü",
    "asdfghjklöä",
    "yxcvbnm",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "qwertzuiopasdfghjklyxcvbnm",
    "qwertyuiopasdfghjklzxcvbnm",
)
RUNS = _RUNS + tuple(run[::-1] for run in _RUNS)
# what people put before or after a common word to make it "safer": digits and punctuation
DECORATION = string.digits + string.punctuation + " "
SHORTEST_RUN = 4


@cache
def common_passwords() -> frozenset[str]:
    lines = LIST_PATH.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _repeated(text: str) -> bool:
    """One character, or a group of up to three, over and over (aaaaaaaaaa, abababab)."""
    return any(len(text) >= 2 * size and text == text[:size] * (len(text) // size) for size in (1, 2, 3))


def _run(text: str) -> bool:
    return len(text) >= SHORTEST_RUN and any(text in run for run in RUNS)


def too_easy(password: str) -> bool:
    """Whether a guesser would try this password early on."""
    whole = "".join(password.split()).casefold()
    core = whole.strip(DECORATION)
    for candidate in {whole, core}:
        if not candidate:
            continue
        if candidate in common_passwords() or _repeated(candidate) or _run(candidate):
            return True
    return False
