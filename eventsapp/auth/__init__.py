"""Staff accounts and roles: session login for screens, Bearer tokens for the API."""
import functools
from datetime import timedelta

from flask import Flask, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager
from sqlalchemy import Select, bindparam, select, update

from ..dates import now
from ..extensions import db
from ..locking import commit_keeping_loaded
from .models import ApiToken, User, hash_token

TOKEN_USE_RESOLUTION = timedelta(minutes=10)


@functools.cache
def token_user() -> Select:
    """The user of a live API token, with the token's id and last use: one query per API call,
    built once (only the hash is bound at each call)."""
    return (select(User, ApiToken.id, ApiToken.last_used_at).join(ApiToken, ApiToken.user_id == User.id)
            .where(ApiToken.token_hash == bindparam("token_hash"), ApiToken.revoked_at.is_(None)))


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def setup_login(app: Flask, login_manager: LoginManager) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("このページを見るにはログインしてください。")
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        """The session's user, unless logout or a password change ended the session since
        (its epoch is older than the user's: see User.get_id)."""
        user_id, _, epoch = session_id.partition(":")
        if not (user_id.isdigit() and epoch.isdigit()):
            return None
        user = db.session.get(User, int(user_id))
        return user if user is not None and user.session_epoch == int(epoch) else None

    @login_manager.request_loader
    def load_user_from_bearer(_request) -> User | None:
        token = bearer_token()
        if not token or len(token) > 200:
            return None
        found = db.session.execute(token_user(), {"token_hash": hash_token(token)}).one_or_none()
        if found is None or not found.User.active:
            return None
        # Note the use, but not on every call: a write per API request would cost more than the request.
        if found.last_used_at is None or now() - found.last_used_at > TOKEN_USE_RESOLUTION:
            db.session.execute(update(ApiToken).where(ApiToken.id == found.id).values(last_used_at=now()))
            commit_keeping_loaded(db.session)
        return found.User

    @login_manager.unauthorized_handler
    def unauthorized():
        from ..errors import DEFAULTS, error_response, wants_json

        if wants_json():
            return error_response(401, *DEFAULTS[401])
        return redirect(url_for("auth.login", next=request.full_path if request.query_string else request.path))


def register(app: Flask) -> None:
    """The login pages, the audit log, the staff accounts screen and `users …`."""
    from .admin import bp as audit_admin_bp
    from .cli import users
    from .roles import staff_home
    from .users_admin import bp as users_admin_bp
    from .views import bp

    app.register_blueprint(bp)
    app.register_blueprint(audit_admin_bp)
    app.register_blueprint(users_admin_bp)
    app.cli.add_command(users)
    app.add_template_global(staff_home, "staff_home")
