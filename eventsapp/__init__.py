"""eventsapp: events, attendance and surveys for a home medical and nursing care
collaboration programme. create_app() is the only entry point."""
import os
from collections.abc import Mapping
from pathlib import Path

from flask import Flask, has_request_context, request, session

from . import models  # noqa: F401  (every mapper known before the first query)
from .apikit import DatabaseIntConverter
from .config import Defaults, database_url, engine_options
from .extensions import api, babel, csrf, db, limiter, login_manager, migrate
from .security import apply_production_settings

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Mapping | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    load_config(app, config)
    app.json.ensure_ascii = False
    app.url_map.converters["int"] = DatabaseIntConverter
    register_extensions(app)
    register_blueprints(app)
    register_hooks(app)
    register_cli(app)
    return app


def load_config(app: Flask, config: Mapping | None) -> None:
    app.config.from_object(Defaults)
    app.config.from_prefixed_env()
    if os.environ.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url(os.environ.get("DATABASE_URL"), app.instance_path)
    if config:
        app.config.update(config)
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", engine_options(app.config["SQLALCHEMY_DATABASE_URI"]))
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        os.makedirs(app.instance_path, exist_ok=True)
    apply_production_settings(app)


def select_locale() -> str:
    """Japanese unless the visitor chose English with ?lang=en (kept in the session).
    Commands (no request) speak Japanese."""
    if not has_request_context():
        return "ja"
    chosen = request.args.get("lang")
    if chosen in ("ja", "en"):
        session["lang"] = chosen
    return session.get("lang", "ja")


def register_extensions(app: Flask) -> None:
    from .auth import setup_login

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, default_translation_directories="translations")
    limiter.init_app(app)
    api.init_app(app)
    setup_login(app, login_manager)


def register_blueprints(app: Flask) -> None:
    from .auth.admin import bp as audit_admin_bp
    from .auth.users_admin import bp as users_admin_bp
    from .auth.views import bp as auth_bp
    from .catalog.admin import bp as catalog_admin_bp
    from .catalog.admin_plan import bp as plan_admin_bp
    from .catalog.api import blp as catalog_api
    from .catalog.views import bp as catalog_bp
    from .checkin import import_admin  # noqa: F401  (adds registration_admin.import_list)
    from .checkin.api import blp as checkin_api
    from .checkin.views import bp as checkin_bp
    from .checkin.views import sw_bp as checkin_sw_bp
    from .people.admin import bp as people_admin_bp
    from .people.notice import bp as privacy_bp
    from .people.privacy_admin import bp as privacy_admin_bp
    from .registration.admin import bp as registration_admin_bp
    from .registration.api import blp as registration_api
    from .registration.views import bp as registration_bp
    from .reports.api import blp as reports_api
    from .reports.summary_views import bp as reports_summary_bp
    from .reports.dashboard import bp as reports_bp
    from .surveys.admin import bp as surveys_admin_bp
    from .surveys.api import blp as surveys_api
    from .surveys.staff import bp as surveys_staff_bp
    from .surveys.views import bp as surveys_bp

    app.register_blueprint(catalog_bp)
    app.register_blueprint(catalog_admin_bp)
    app.register_blueprint(plan_admin_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(audit_admin_bp)
    app.register_blueprint(users_admin_bp)
    app.register_blueprint(registration_bp)
    app.register_blueprint(registration_admin_bp)
    app.register_blueprint(people_admin_bp)
    app.register_blueprint(privacy_bp)
    app.register_blueprint(privacy_admin_bp)
    app.register_blueprint(checkin_bp)
    app.register_blueprint(checkin_sw_bp)
    api.register_blueprint(catalog_api)
    api.register_blueprint(registration_api)
    app.register_blueprint(surveys_bp)
    app.register_blueprint(surveys_admin_bp)
    app.register_blueprint(surveys_staff_bp)
    api.register_blueprint(surveys_api)
    api.register_blueprint(checkin_api)
    api.register_blueprint(reports_api)
    app.register_blueprint(reports_summary_bp)
    app.register_blueprint(reports_bp)


def register_hooks(app: Flask) -> None:
    from . import errors, logmask, security, templating
    from .auth.roles import protect_from_csrf
    from .mail.outbox import send_after_requests

    errors.register(app)
    security.register(app)
    logmask.attach_log_masking(app)
    templating.register(app)
    app.before_request(protect_from_csrf)
    send_after_requests(app)


def register_cli(app: Flask) -> None:
    from .cli import register

    register(app)
