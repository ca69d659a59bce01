"""Named permission predicates, used by views and templates alike.

Each takes the acting user (an anonymous user object when nobody is logged in) and, where it
matters, the object acted on. They answer only yes or no; views turn a no into 403 or 404.
"""

from __future__ import annotations


def _is_user(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def has_role(user, role: str) -> bool:
    """A blocked account keeps its roles on record but exercises none of them."""
    return _is_user(user) and not user.is_blocked and user.has_role(role)


def can_contribute(user) -> bool:
    """Propose, comment, vote, support, report: a confirmed, unblocked account."""
    return _is_user(user) and user.email_confirmed and not user.is_blocked


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
    return _is_user(user) and target is not None and user.id == target.id


def can_view_version(user, version) -> bool:
    """Published versions are public; a version being prepared only for planners (404 otherwise)."""
    return version is not None and (version.is_public or can_plan(user))


def can_edit_version(user, version) -> bool:
    from participation.drafts.models import PREPARING

    return can_plan(user) and version is not None and version.status == PREPARING


def can_reply(user, comment) -> bool:
    from participation.comments.models import MAX_DEPTH, PUBLISHED

    return can_contribute(user) and comment.status == PUBLISHED and comment.depth < MAX_DEPTH


def can_edit_comment(user, comment) -> bool:
    """Authors fix their own comment within the first minutes, while it is published."""
    from participation.comments.services import edit_window_open

    return can_contribute(user) and comment.author_id == user.id and edit_window_open(comment)


def can_delete_comment(user, comment) -> bool:
    from participation.comments.models import PUBLISHED

    return _is_user(user) and comment.author_id == user.id and comment.status == PUBLISHED


def can_view_proposal(user, proposal) -> bool:
    """Public proposals for everyone; pending, hidden and withdrawn ones for their author and
    for moderators and planners."""
    if proposal is None:
        return False
    if proposal.is_public:
        return True
    return (_is_user(user) and proposal.author_id == user.id) or can_moderate(user) or can_plan(user)


def can_support(user, proposal) -> bool:
    """Not one's own, and only a proposal that is still open (not answered, merged or hidden)."""
    from participation.proposals.models import PUBLISHED, UNDER_REVIEW

    return can_contribute(user) and proposal.author_id != user.id and proposal.status in (PUBLISHED, UNDER_REVIEW)


def can_edit_proposal(user, proposal) -> bool:
    """The author may change or withdraw a proposal until it has an answer."""
    from participation.proposals.models import PENDING, PUBLISHED, UNDER_REVIEW

    return (
        can_contribute(user) and proposal.author_id == user.id and proposal.status in (PENDING, PUBLISHED, UNDER_REVIEW)
    )


def can_view_proposal_revisions(user, proposal) -> bool:
    """Earlier wordings: for the author, and for moderators and planners who weigh the proposal."""
    return (_is_user(user) and proposal.author_id == user.id) or can_moderate(user) or can_plan(user)


def can_report(user, target) -> bool:
    """A proposal or a comment others can read, by a confirmed account, not one's own: nothing
    waiting, hidden, withdrawn or deleted (a report would put it back in front of a moderator)."""
    from participation.proposals.models import PUBLIC_STATUSES

    shown = target.status == "published" if target.__tablename__ == "comment" else target.status in PUBLIC_STATUSES
    return can_contribute(user) and target.author_id != user.id and shown
