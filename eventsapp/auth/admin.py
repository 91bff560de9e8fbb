"""The audit log for admins: who logged in, exported personal data, merged persons,
took back check-ins — newest first, filtered by action."""
from flask import Blueprint, render_template, request
from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from ..extensions import db
from .audit_labels import action_label, detail_text
from .models import AuditLog, Role
from .roles import role_required

bp = Blueprint("audit_admin", __name__, url_prefix="/admin/audit")
PAGE_SIZE = 100


def audit_page(session: Session, *, action: str, page: int) -> tuple[list[AuditLog], int, list[str]]:
    """One page of the log (newest first), the number of matching rows, and the actions
    that occur, for the filter."""
    query = select(AuditLog).options(joinedload(AuditLog.user))
    counted = select(func.count()).select_from(AuditLog)
    if action:
        query, counted = query.where(AuditLog.action == action), counted.where(AuditLog.action == action)
    rows = session.scalars(
        query.order_by(AuditLog.created_at.desc(), AuditLog.id.desc()).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    ).all()
    actions = session.scalars(select(AuditLog.action).distinct().order_by(AuditLog.action)).all()
    return list(rows), session.scalar(counted), list(actions)


@bp.route("/")
@role_required(Role.ADMIN)
def audit_log():
    action = request.args.get("action", "")[:50]
    page = request.args.get("page", 1, type=int)
    page = page if page and 1 <= page <= 100_000 else 1
    rows, total, actions = audit_page(db.session, action=action, page=page)
    return render_template("auth/audit.html", rows=rows, total=total, actions=actions, action=action, page=page,
                           action_label=action_label, detail_text=detail_text,
                           pages=max(1, -(-total // PAGE_SIZE)))
