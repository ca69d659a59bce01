"""The moderation dashboard: the queues of new, reported and (for admins) hidden contributions,
blocked accounts, and the decisions on them, one item at a time or many at once."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from participation.accounts.blocking import block_end, unblock_user
from participation.accounts.models import STAKEHOLDER_GROUPS, User
from participation.core.access import permission_required
from participation.core.cache import fragments
from participation.core.forms import EmptyForm
from participation.core.pagination import page_number
from participation.core.permissions import can_administer, can_block, can_moderate
from participation.drafts.models import TOPICS
from participation.extensions import db
from participation.moderation import queues, services
from participation.moderation.forms import DecisionForm
from participation.moderation.models import FLAG_REASONS
from participation.proposals.models import HIDDEN, PENDING

bp = Blueprint("moderation", __name__, url_prefix="/moderation")

# the one-click decision on each item of a queue, and its button
QUICK = {"new": "approve", "reported": "dismiss_reports", "hidden": "restore"}
QUICK_LABELS = {"new": _l("Approve"), "reported": _l("Dismiss the reports"), "hidden": _l("Restore")}


@bp.before_request
@permission_required(can_moderate)
def _moderators_only():
    """Every page here is for moderators (and admins)."""


def _queue_or_404(queue: str) -> str:
    if queue not in services.QUEUES or (queue == "hidden" and not can_administer(current_user)):
        abort(404)
    return queue


def _filters(queue: str) -> queues.Filters:
    kind = request.args.get("kind", "")
    topic = request.args.get("topic", "")
    reason = request.args.get("reason", "")
    return queues.Filters(
        kind=kind if kind in queues.KINDS else "",
        topic=topic if topic in TOPICS else "",
        reason=reason if reason in queues.REASONS.get(queue, {}) else "",
    )


def _items(queue: str, filters: queues.Filters):
    if queue == "reported":
        return queues.reported(filters, page_number())
    return queues.waiting(PENDING if queue == "new" else HIDDEN, filters, page_number())


@bp.route("/")
def index():
    return redirect(url_for("moderation.queue", queue="new"))


def _render_queue(queue: str, form: DecisionForm, status: int = 200):
    """A page of the queue: shared by the moderators for QUEUE_CACHE_SECONDS under the newest
    decision (so one's own shows at once; others' within those seconds, and a decision on what
    someone else decided meanwhile is refused with who did), or with errors for this request alone."""
    filters = _filters(queue)
    page = page_number()
    with_hidden = can_administer(current_user)

    def context() -> dict:
        return {
            "queue": queue,
            "page": _items(queue, filters),
            "filters": filters,
            "topics": TOPICS,
            "reasons": queues.REASONS.get(queue, {}),
            "form": form,
            "selected": set(form.items.data or []),
            "quick_label": str(QUICK_LABELS[queue]),
            "texts": _item_texts(),
            "groups": {name: str(label) for name, label in STAKEHOLDER_GROUPS.items()},
            "flag_reasons": {name: str(label) for name, label in FLAG_REASONS.items()},
            "held_labels": services.held_labels,
            "fingerprint": services.fingerprint,
        }

    if form.errors:
        body = fragments.render_now("moderation/_queue_body.html", **context())
    else:
        key = (queue, tuple(sorted(filters.args().items())), page, str(get_locale()), with_hidden)
        body = queues.shared("moderation/_queue_body.html", key, context)
    return render_template(
        "moderation/queue.html", queue=queue, summary=queues.summary(with_hidden), body=body, form=form
    ), status


def _item_texts() -> dict[str, str]:
    """What every item of a queue says, translated once per page instead of once per item."""
    return {
        "proposal": _("Proposal %(id)d “%(title)s”"),
        "comment": _("Comment %(id)d"),
        "select": _("Select"),
        "by": _("by"),
        "former": _("deleted account"),
        "on_proposal": _("On the proposal"),
        "on_chapter": _("On the chapter"),
        "on_measure": _("On the measure"),
        "waiting": _("Waiting because"),
    }


def _decision_form(queue: str) -> DecisionForm:
    form = DecisionForm()
    form.set_actions(services.ACTIONS[queue])
    return form


@bp.route("/<queue>")
def queue(queue: str):
    queue = _queue_or_404(queue)
    return _render_queue(queue, _decision_form(queue))


@bp.route("/<queue>", methods=["POST"])
def decide(queue: str):
    """One form for the whole page: a quick button decides its own item; otherwise the decision
    below applies to every selected item, each checked and logged on its own."""
    queue = _queue_or_404(queue)
    form = _decision_form(queue)
    quick = request.form.get("quick", "")
    if quick:
        form.items.data = [quick]
        form.action.data = QUICK[queue]
        form.reason.data, form.note.data, form.duplicate_of.data, form.block_until.data = "", "", None, None
    if not form.validate_on_submit():
        return _render_queue(queue, form, 422)
    decision = services.Decision(
        queue=queue,
        action=form.action.data,
        reason=form.reason.data or "",
        note=form.note.data or "",
        duplicate_of=getattr(form, "duplicate", None),
        seen=form.seen(request.form.getlist("seen")),
        block_until=block_end(form.block_until.data) if form.block_until.data else None,
    )
    done, refused = services.decide_many(current_user, form.keys, decision, _settle)
    if done:
        flash(ngettext("%(num)d item decided.", "%(num)d items decided.", done), "success")
    for message in refused:
        flash(message, "error")
    return redirect(url_for("moderation.queue", queue=queue, **_filters(queue).args()), code=303)


def _settle(decided: bool) -> None:
    """Each item of a batch in its own transaction: one refused item does not undo the others,
    and a moderator's row lock on an item ends with it (see services.decide_many). The one view
    here that commits before the request's end (participation.core.transaction), for that reason."""
    if decided:
        db.session.commit()
    else:
        db.session.rollback()


@bp.route("/blocked")
def blocked():
    """Shared like the queues: by every moderator, or every admin (only admins lift the blocks of
    staff), for QUEUE_CACHE_SECONDS under the newest decision; each block and unblock is one."""
    with_hidden = can_administer(current_user)
    page = page_number()

    def context() -> dict:
        chosen = queues.blocked(page)
        return {"page": chosen, "may_lift": {user.id for user in chosen.items if can_block(current_user, user)}}

    body = queues.shared("moderation/_blocked_body.html", (page, str(get_locale()), with_hidden), context)
    return render_template("moderation/blocked.html", queue="blocked", summary=queues.summary(with_hidden), body=body)


@bp.route("/blocked/<int:user_id>/unblock", methods=["POST"])
def unblock(user_id: int):
    target = db.session.get(User, user_id)
    if target is None:
        abort(404)
    if not can_block(current_user, target):
        abort(403)
    if EmptyForm().validate_on_submit() and target.blocked_at is not None:
        unblock_user(current_user, target)
        flash(_("%(name)s is no longer blocked.", name=target.display_name), "success")
    return redirect(url_for("moderation.blocked"), code=303)
