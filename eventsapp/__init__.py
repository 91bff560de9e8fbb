"""eventsapp: events, attendance and surveys for a home medical and nursing care
collaboration programme. create_app() is the only entry point."""
import os
from collections.abc import Mapping
from pathlib import Path

from flask import Flask, has_request_context, request, session

from . import models  # noqa: F401  (every mapper known before the first query)
from .apikit import DatabaseIntConverter, FiscalYearConverter
from .config import Defaults, database_url, engine_options
from .contact import check_organizer_contact
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
    app.url_map.converters["fiscal_year"] = FiscalYearConverter
    register_input_guard(app)
    register_extensions(app)
    register_capabilities(app)
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
    check_organizer_contact(app.config)
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


def register_input_guard(app: Flask) -> None:
    """First of all hooks: NUL, lone surrogates and deep JSON are refused before any
    extension or view reads them."""
    from . import inputguard

    inputguard.register(app)


def register_extensions(app: Flask) -> None:
    from . import dbping
    from .auth import setup_login

    db.init_app(app)
    with app.app_context():
        dbping.register(app, db.engine)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, default_translation_directories="translations")
    limiter.init_app(app)
    api.init_app(app)
    setup_login(app, login_manager)


def register_capabilities(app: Flask) -> None:
    """Each capability adds its own blueprints, CLI commands and signal receivers. The order
    is the order of the blueprints and of the API's sections; the packages stack as the
    README's Layout says (records and reports above the capabilities they read). Each
    register() imports its views inside, so that importing a package's models loads no views."""
    from . import (
        auth,
        catalog,
        checkin,
        demo,
        evaluation,
        mail,
        pageviews,
        records,
        registration,
        reports,
        roster,
        surveys,
        viewing,
    )

    for capability in (catalog, auth, mail, pageviews, registration, records, surveys, viewing, checkin, roster,
                       reports, evaluation, demo):
        capability.register(app)


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
