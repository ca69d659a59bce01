"""The named permission predicates, each on its own."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest

from participation.accounts.login import AnonymousUser
from participation.core import permissions as p
from participation.core.models import utcnow
from participation.moderation import permissions as moderation
from participation.proposals import permissions as proposals


def person(id=1, roles=("participant",), confirmed=True, blocked_until=None, blocked=False, active=True):
    blocked_at = utcnow() if blocked else None
    return SimpleNamespace(
        id=id,
        is_authenticated=True,
        is_active=active,
        email_confirmed=confirmed,
        is_blocked=blocked and (blocked_until is None or blocked_until > utcnow()),
        has_role=lambda role: role in roles,
        blocked_at=blocked_at,
    )


ANONYMOUS = AnonymousUser()


def test_contribute_needs_confirmed_unblocked_account():
    assert p.can_contribute(person())
    assert not p.can_contribute(ANONYMOUS)
    assert not p.can_contribute(None)
    assert not p.can_contribute(person(confirmed=False))
    assert not p.can_contribute(person(blocked=True))
    assert p.can_contribute(person(blocked=True, blocked_until=utcnow() - timedelta(days=1)))
    assert not p.can_contribute(person(active=False))


@pytest.mark.parametrize(
    "roles, moderate, plan, administer",
    [
        (("participant",), False, False, False),
        (("participant", "moderator"), True, False, False),
        (("participant", "planner"), False, True, False),
        (("participant", "admin"), True, True, True),
        (("participant", "moderator", "planner"), True, True, False),
    ],
)
def test_role_predicates(roles, moderate, plan, administer):
    user = person(roles=roles)
    assert p.can_moderate(user) is moderate
    assert p.can_plan(user) is plan
    assert p.can_export(user) is plan  # the planners' downloads: planners and admins, not moderators
    assert p.can_administer(user) is administer
    assert p.can_edit_pages(user) is administer
    assert not p.can_moderate(ANONYMOUS) and not p.can_plan(ANONYMOUS) and not p.can_administer(ANONYMOUS)
    assert not p.can_export(ANONYMOUS)


def test_roles_of_an_anonymised_account_count_for_nothing():
    assert not p.can_administer(person(roles=("admin",), active=False))


def test_manage_roles_only_admins_and_never_oneself():
    admin = person(id=1, roles=("admin",))
    assert p.can_manage_roles(admin, person(id=2))
    assert not p.can_manage_roles(admin, admin)
    assert not p.can_manage_roles(person(id=3, roles=("moderator",)), person(id=2))
    assert not p.can_manage_roles(admin, None)


def test_block_rules():
    admin = person(id=1, roles=("admin",))
    moderator = person(id=2, roles=("moderator",))
    participant = person(id=3)
    planner = person(id=4, roles=("planner",))
    assert p.can_block(moderator, participant) and p.can_block(admin, participant)
    assert not p.can_block(moderator, planner) and not p.can_block(moderator, admin)
    assert p.can_block(admin, moderator)
    assert not p.can_block(admin, admin) and not p.can_block(moderator, moderator)
    assert not p.can_block(participant, person(id=5))
    assert not p.can_block(ANONYMOUS, participant)


def test_edit_profile_only_ones_own():
    me = person(id=7)
    assert p.can_edit_profile(me, me)
    assert not p.can_edit_profile(me, person(id=8))
    assert not p.can_edit_profile(ANONYMOUS, me)


def test_a_blocked_account_exercises_no_role():
    blocked_admin = person(roles=("admin", "moderator", "planner"), blocked=True)
    assert not p.can_administer(blocked_admin) and not p.can_moderate(blocked_admin) and not p.can_plan(blocked_admin)


def test_display_names_that_look_alike_are_one_name():
    from participation.accounts.models import canonical_display_name

    assert canonical_display_name("Victim") == canonical_display_name("  vict\u200bim ")
    assert canonical_display_name("Ｖｉｃｔｉｍ") == canonical_display_name("victim")  # full-width letters
    assert canonical_display_name("Anna  aus   Ehrenfeld") == "anna aus ehrenfeld"


def a_proposal(status="published", author_id=1):
    from participation.proposals.models import Proposal

    return Proposal(status=status, author_id=author_id)


@pytest.mark.parametrize(
    "status, public",
    [
        ("published", True),
        ("accepted", True),
        ("merged", True),
        ("pending", False),
        ("hidden", False),
        ("withdrawn", False),
    ],
)
def test_who_sees_a_proposal(status, public):
    proposal = a_proposal(status, author_id=1)
    assert proposals.can_view_proposal(ANONYMOUS, proposal) is public
    assert proposals.can_view_proposal(person(id=2), proposal) is public
    assert proposals.can_view_proposal(person(id=1), proposal)  # its author always
    assert proposals.can_view_proposal(person(id=3, roles=("moderator",)), proposal)
    assert proposals.can_view_proposal(person(id=4, roles=("planner",)), proposal)
    assert not proposals.can_view_proposal(ANONYMOUS, None)


def test_supporting_is_for_others_and_open_proposals():
    assert proposals.can_support(person(id=2), a_proposal())
    assert proposals.can_support(person(id=2), a_proposal("under_review"))
    assert not proposals.can_support(person(id=1), a_proposal())  # one's own
    assert not proposals.can_support(ANONYMOUS, a_proposal())
    assert not proposals.can_support(person(id=2, confirmed=False), a_proposal())
    for status in ("pending", "accepted", "not_accepted", "merged", "hidden", "withdrawn"):
        assert not proposals.can_support(person(id=2), a_proposal(status)), status


def test_the_author_edits_until_there_is_an_answer():
    for status in ("pending", "published", "under_review"):
        assert proposals.can_edit_proposal(person(id=1), a_proposal(status)), status
    for status in ("accepted", "partly_accepted", "not_accepted", "merged", "hidden", "withdrawn"):
        assert not proposals.can_edit_proposal(person(id=1), a_proposal(status)), status
    assert not proposals.can_edit_proposal(person(id=2), a_proposal())
    assert not proposals.can_edit_proposal(person(id=1, blocked=True), a_proposal())


def test_earlier_wordings_for_the_author_and_the_staff_who_weigh_proposals():
    proposal = a_proposal()
    assert proposals.can_view_proposal_revisions(person(id=1), proposal)
    assert proposals.can_view_proposal_revisions(person(id=5, roles=("participant", "moderator")), proposal)
    assert proposals.can_view_proposal_revisions(person(id=5, roles=("participant", "planner")), proposal)
    assert not proposals.can_view_proposal_revisions(person(id=2), proposal)
    assert not proposals.can_view_proposal_revisions(ANONYMOUS, proposal)
    assert not proposals.can_view_proposal_revisions(person(id=5, roles=("moderator",), blocked=True), proposal)


def test_reporting_is_for_confirmed_accounts_and_never_ones_own():
    from participation.comments.models import Comment

    assert moderation.can_report(person(id=2), a_proposal())
    assert not moderation.can_report(person(id=1), a_proposal())  # the author
    assert not moderation.can_report(person(id=2, confirmed=False), a_proposal())
    assert not moderation.can_report(person(id=2, blocked=True), a_proposal())
    assert not moderation.can_report(ANONYMOUS, a_proposal())
    assert not moderation.can_report(person(id=2), a_proposal("withdrawn"))
    assert moderation.can_report(person(id=2), Comment(author_id=1, status="published"))
    assert not moderation.can_report(person(id=2), Comment(author_id=1, status="deleted"))
    # what others cannot read is not reported (a report would put it back before a moderator)
    for status in ("pending", "hidden"):
        assert not moderation.can_report(person(id=2), a_proposal(status))
        assert not moderation.can_report(person(id=2), Comment(author_id=1, status=status))


def test_every_predicate_a_template_calls_is_registered():
    """Each area registers its predicates for templates; a template must not call one that none
    of them registered (Jinja would only fail when the line is reached)."""
    import re

    from participation import ROOT, create_app
    from participation.config import TESTING

    app = create_app(dict(TESTING))
    registered = app.jinja_env.globals["permissions"]
    called = {
        name
        for template in (ROOT / "templates").rglob("*.*")
        for name in re.findall(r"\bpermissions\.(\w+)", template.read_text())
    }
    assert called and {name for name in called if not hasattr(registered, name)} == set()
