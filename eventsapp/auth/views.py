"""Login, logout and the change of one's own password, for staff."""
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from ..extensions import db, limiter
from .forms import ChangePasswordForm, LoginForm
from .logins import LoginLimits, authenticate
from .models import Role
from .roles import public, role_required, staff_home
from .service import AuthError, change_password, log_out

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str:
    """Only a local path may follow login, never another site. Without one, reception
    staff land on the door's event list, the others on the admin home."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return staff_home()


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
@public
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = authenticate(db.session, username=form.username.data, password=form.password.data,
                                limits=LoginLimits.from_config(current_app.config))
        except AuthError as error:
            form.password.errors.append(error.message)
        else:
            login_user(user)
            return redirect(safe_next(request.args.get("next")))
    status = 422 if form.errors else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@public
def logout():
    """Ends every session of the user (all browsers and devices), not only this one."""
    if current_user.is_authenticated:
        log_out(db.session, user=current_user._get_current_object())
        logout_user()
        flash(_("ログアウトしました。"))
    return redirect(url_for("catalog.index"))


@bp.route("/account/password", methods=["GET", "POST"])
@role_required(Role.RECEPTION)
def change_own_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            change_password(db.session, user=user, current=form.current.data, new=form.new.data)
        except AuthError as error:
            if error.code == "wrong_password":
                form.current.errors.append(_("現在のパスワードが違います。"))
            else:
                form.new.errors.append(error.message)
        else:
            login_user(user)  # this browser stays logged in with the new epoch; the others are out
            flash(_("パスワードを変更しました。ほかの端末のログインはすべて終了しました。"))
            return redirect(url_for("auth.change_own_password"))
    status = 422 if form.errors else 200
    return render_template("auth/password.html", form=form), status
