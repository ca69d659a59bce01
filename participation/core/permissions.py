"""The role predicates: what an account may do by its roles and state
alone. Each area keeps the predicates about its own objects in its own permissions module
(participation.proposals.permissions and so on), built on these.

Each takes the acting user (an anonymous user object when nobody is logged in) and, where it
matters, the object acted on. They answer only yes or no; views turn a no into 403 or 404.
"""

from __future__ import annotations


def is_user(user) -> bool:
    """A logged-in, active account (an anonymised one is inactive)."""
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def has_role(user, role: str) -> bool:
    """A blocked account keeps its roles on record but exercises none of them."""
    return is_user(user) and not user.is_blocked and user.has_role(role)


def can_contribute(user) -> bool:
    """Propose, comment, vote, support, report: a confirmed, unblocked account."""
    return is_user(user) and user.email_confirmed and not user.is_blocked


def can_moderate(user) -> bool:
    return has_role(user, "moderator") or has_role(user, "admin")


def can_plan(user) -> bool:
    return has_role(user, "planner") or has_role(user, "admin")


def can_export(user) -> bool:
    """The planners' downloads (proposals, comments, votes, decisions): planners and admins."""
    return can_plan(user)


def can_administer(user) -> bool:
    return has_role(user, "admin")


def can_manage_roles(user, target) -> bool:
    """Admins assign roles, but not to themselves: nobody locks themself out by accident."""
    return can_administer(user) and target is not None and target.id != user.id


def can_block(user, target) -> bool:
    """Moderators and admins block accounts; never their own, and only admins block staff."""
    if not can_moderate(user) or target is None or target.id == user.id:
        return False
    staff = target.has_role("admin") or target.has_role("moderator") or target.has_role("planner")
    return can_administer(user) or not staff


def can_edit_pages(user) -> bool:
    return can_administer(user)


def can_edit_profile(user, target) -> bool:
    return is_user(user) and target is not None and user.id == target.id


def can_view_contribution(user, contribution) -> bool:
    """A contribution that is public, for everyone; one that waits, was hidden or withdrawn, for
    its author and for moderators and planners. The rule of every area that publishes what
    people write (a proposal, and the comments under it, which are seen with it)."""
    if contribution is None:
        return False
    if contribution.is_public:
        return True
    return (is_user(user) and contribution.author_id == user.id) or can_moderate(user) or can_plan(user)
