"""`next` targets stay on this site."""

from __future__ import annotations

import pytest

from participation.core.security import is_safe_next, safe_next

UNSAFE = [
    None,
    "",
    "https://evil.example/",
    "http://evil.example",
    "//evil.example/path",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "evil.example",
    "relative/path",
    "/%0a//evil.example".replace("%0a", "\n"),
    "/\t/evil.example",
    "https:/evil.example",
    "data:text/html,x",
    "/" + "a" * 2100,
]
SAFE = ["/", "/account/", "/admin/users?q=anna&page=2", "/pages/privacy#top", "/%2F%2Fevil.example"]


@pytest.mark.parametrize("target", UNSAFE)
def test_unsafe_targets_are_refused(target):
    assert not is_safe_next(target)
    assert safe_next(target, "/home") == "/home"


@pytest.mark.parametrize("target", SAFE)
def test_paths_on_this_site_are_kept(target):
    assert safe_next(target, "/home") == target
