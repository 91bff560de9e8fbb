"""Staff accounts and roles: session login for screens, Bearer tokens for the API."""
from datetime import timedelta

from flask import Flask, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..dates import now
from ..extensions import db
from .models import ApiToken, User, hash_token

TOKEN_USE_RESOLUTION = timedelta(minutes=10)


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
        api_token = db.session.scalar(
            select(ApiToken).options(joinedload(ApiToken.user))  # one query per API call, not two
            .where(ApiToken.token_hash == hash_token(token), ApiToken.revoked_at.is_(None))
        )
        if api_token is None or not api_token.user.active:
            return None
        # Note the use, but not on every call: a write per API request would cost more than the request.
        if api_token.last_used_at is None or now() - api_token.last_used_at > TOKEN_USE_RESOLUTION:
            api_token.last_used_at = now()
            db.session.commit()
        return api_token.user

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
    from .users_admin import bp as users_admin_bp
    from .views import bp

    app.register_blueprint(bp)
    app.register_blueprint(audit_admin_bp)
    app.register_blueprint(users_admin_bp)
    app.cli.add_command(users)
