"""Login and logout for staff."""
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from ..extensions import db, limiter
from .forms import LoginForm
from .models import Role
from .roles import public
from .service import authenticate

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str:
    """Only a local path may follow login, never another site. Without one, reception
    staff land on the door's event list, the others on the admin home."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("catalog_admin.index" if current_user.has_role(Role.ORGANIZER) else "checkin.index")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
@public
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(db.session, username=form.username.data, password=form.password.data)
        if user is not None:
            login_user(user)
            return redirect(safe_next(request.args.get("next")))
        form.password.errors.append(_("ユーザー名またはパスワードが違います。"))
    status = 422 if form.errors else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@public
def logout():
    if current_user.is_authenticated:
        logout_user()
        flash(_("ログアウトしました。"))
    return redirect(url_for("catalog.index"))
