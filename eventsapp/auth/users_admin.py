"""Staff accounts for admins: who is locked out (and unlocking them), a new password for
someone who forgot theirs, and the API tokens of each account (and revoking one)."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..extensions import db
from .logins import lock_state, unlock
from .models import ApiToken, LoginFailures, Role, User
from .passwords import generate_password
from .roles import role_required
from .service import AuthError, revoke_token, set_password

bp = Blueprint("users_admin", __name__, url_prefix="/admin/users")


def accounts(session: Session) -> tuple[list[User], dict[str, LoginFailures], dict[int, list[ApiToken]]]:
    """Every account by name, the locks in force, and each account's tokens, newest first."""
    users = list(session.scalars(select(User).order_by(User.username)))
    tokens: dict[int, list[ApiToken]] = {user.id: [] for user in users}
    for token in session.scalars(select(ApiToken).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())):
        tokens[token.user_id].append(token)
    return users, lock_state(session, [user.username for user in users]), tokens


def get_user_or_404(user_id: int) -> User:
    return db.get_or_404(User, user_id)


@bp.route("/")
@role_required(Role.ADMIN)
def list_users():
    users, locks, tokens = accounts(db.session)
    return render_template("auth/users.html", users=users, locks=locks, tokens=tokens)


@bp.route("/<int:user_id>/unlock", methods=["POST"])
@role_required(Role.ADMIN)
def unlock_user(user_id: int):
    user = get_user_or_404(user_id)
    unlock(db.session, username=user.username, by=current_user._get_current_object())
    flash(_("%(name)s のロックを解除しました。", name=user.username))
    return redirect(url_for("users_admin.list_users"))


@bp.route("/<int:user_id>/password", methods=["POST"])
@role_required(Role.ADMIN)
def reset_password(user_id: int):
    """Shown once in the answer, never stored in a flash message (the cookie is only signed)."""
    user = get_user_or_404(user_id)
    password = generate_password()
    set_password(db.session, user=user, password=password, by=current_user._get_current_object())
    return render_template("auth/user_password.html", user=user, password=password)


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@role_required(Role.ADMIN)
def revoke(token_id: int):
    try:
        token = revoke_token(db.session, token_id=token_id, by=current_user._get_current_object())
    except AuthError as error:
        if error.code == "token_not_found":
            abort(404)
        flash(error.message)
    else:
        flash(_("%(name)s のトークン %(id)d を無効にしました。", name=token.user.username, id=token.id))
    return redirect(url_for("users_admin.list_users"))
