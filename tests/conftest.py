"""Fixtures: the app on each real database engine, a client, a CLI runner, and builders.

Every test that takes `app` runs once on SQLite and once on PostgreSQL (when reachable;
under CI=true PostgreSQL is required). The schema is built by the Alembic migrations,
not by create_all, so the migrations are what the tests exercise.
"""
import contextvars
import os
import uuid
from datetime import date, time

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from flask import has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade

from eventsapp import create_app
from eventsapp.auth.models import Role
from eventsapp.auth.service import create_user, issue_token
from eventsapp.catalog.models import Audience, EventFormat, EventStatus, Goal, Scene, Series
from eventsapp.catalog.service import EventInput, save_event, save_series, set_event_status
from eventsapp.dates import tokyo_datetime
from eventsapp.extensions import db
from tests_support import GOALS, ROLE_PASSWORD as PASSWORD, SCENES, Inbox, free_port

PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
ON_CI = os.environ.get("CI") == "true"
KEPT_TABLES = {"goals", "scenes", "alembic_version"}


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in its own, empty context, as in production.

    The test keeps an app context pushed for its own database work; without this, a
    request would reuse it and share the test's session and `g` (the logged-in user).
    After the request, the test's session forgets what it had loaded, so the test reads
    what the request committed."""

    def open(self, *args, **kwargs):
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():
            db.session.expire_all()
        return response


def postgres_reachable() -> bool:
    try:
        engine = sa.create_engine(PG_URL, connect_args={"connect_timeout": 2})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


def engines() -> list[str]:
    wanted = os.environ.get("TEST_DATABASES", "sqlite,postgresql").split(",")
    found = ["sqlite"] if "sqlite" in wanted else []
    if "postgresql" in wanted and (ON_CI or postgres_reachable()):
        found.append("postgresql")  # under CI an unreachable server fails the run
    return found


def with_search_path(url: str, schema: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"


@pytest.fixture(scope="session")
def scratch_database(tmp_path_factory):
    """A factory of empty databases: a fresh SQLite file, or a fresh PostgreSQL schema."""
    created: list[str] = []

    def make(engine_name: str) -> str:
        if engine_name == "sqlite":
            return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        schema = f"t_{uuid.uuid4().hex[:10]}"
        admin = sa.create_engine(PG_URL)
        with admin.begin() as conn:
            conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
        admin.dispose()
        created.append(schema)
        return with_search_path(PG_URL, schema)

    yield make
    if created:
        admin = sa.create_engine(PG_URL)
        with admin.begin() as conn:
            for schema in created:
                conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(scope="session", params=engines())
def migrated_app(request, scratch_database, tmp_path_factory):
    url = scratch_database(request.param)
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": url,
            "SQLALCHEMY_ENGINE_OPTIONS": {},  # the idle ping of production (dbping.py)
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "SERVER_NAME": "events.example.jp",
            "PUBLIC_BASE_URL": "https://events.example.jp",
            "PAGE_VIEWS_FLUSH_SECONDS": 0,  # each view written at once (pageviews/tally.py)
        }
    )
    app.config["ENGINE_NAME"] = request.param
    app.instance_path = str(tmp_path_factory.mktemp("instance"))  # never the checkout's instance/

    app.test_client_class = IsolatedClient
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


def wipe(app) -> None:
    """Empty every table but the reference codes, and restore their labels."""
    tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in KEPT_TABLES]
    with db.engine.begin() as conn:
        if app.config["ENGINE_NAME"] == "postgresql":
            conn.execute(sa.text("TRUNCATE " + ", ".join(t.name for t in tables) + " RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())
        for code, label in GOALS.items():
            conn.execute(sa.update(Goal).where(Goal.code == code).values(label=label))
        for code, label in SCENES.items():
            conn.execute(sa.update(Scene).where(Scene.code == code).values(label=label))


@pytest.fixture
def app(migrated_app):
    with migrated_app.app_context():
        yield migrated_app
        db.session.remove()
        wipe(migrated_app)


@pytest.fixture(autouse=True)
def rate_limits_off_again():
    """The Limiter is one shared object: a test that builds an app with the default config
    (rate limits on) — at import, or inside a test — would switch it on for the tests that
    follow. Each test starts with it off; rate_limited_app turns it on for its own app."""
    from eventsapp.extensions import limiter

    limiter.enabled = False
    yield
    limiter.enabled = False


@pytest.fixture
def wipe_tables(app):
    """Empty the tables in the middle of a test (as after each test)."""
    def run() -> None:
        db.session.remove()
        wipe(app)

    return run


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    def make(username: str = "staff", role: Role = Role.ORGANIZER):
        user, _ = create_user(db.session, username=username, role=role, password=PASSWORD)
        return user

    return make


@pytest.fixture
def login(client, make_user):
    """Log the test client in with a new account of the given role."""

    def as_role(role: Role):
        make_user(f"user-{role.value}", role)
        response = client.post("/login", data={"username": f"user-{role.value}", "password": PASSWORD})
        assert response.status_code == 302, response.data
        return client

    return as_role


@pytest.fixture
def bearer(make_user):
    """Authorization headers for a new account of the given role."""

    def headers(role: Role = Role.ORGANIZER) -> dict:
        user = make_user(f"api-{role.value}", role)
        return {"Authorization": f"Bearer {issue_token(db.session, user=user)}"}

    return headers


@pytest.fixture
def make_series(app):
    def make(name: str = "介護と医療をつむぐ会", audience: Audience = Audience.PROFESSIONALS, **kw):
        """The series of that name, created on first use."""
        existing = db.session.scalar(sa.select(Series).where(Series.name == name))
        if existing is not None:
            return existing
        return save_series(
            db.session,
            name=name,
            audience=audience,
            goals=kw.get("goals", ["collaboration"]),
            scenes=kw.get("scenes", ["daily"]),
        )

    return make


@pytest.fixture
def make_event(app, make_series):
    def make(*, series=None, day: date = date(2025, 7, 11), start=time(18, 30), end=time(20, 20), published=True, **kw):
        series = series or make_series()
        values = dict(
            title="ICTを活用した多職種連携について",
            series_id=series.id,
            starts_at=tokyo_datetime(day, start),
            ends_at=tokyo_datetime(day, end),
            format=EventFormat.IN_PERSON,
            venue="市役所 第1会議室",
            goals=["collaboration"],
            scenes=["daily"],
        )
        values.update(kw)
        event = save_event(db.session, EventInput(**values))
        if published:
            set_event_status(db.session, event, EventStatus.PUBLISHED)
        return event

    return make


@pytest.fixture
def mail_config(app):
    saved = {key: app.config[key] for key in ("MAIL_SERVER", "MAIL_PORT", "MAIL_DEFAULT_SENDER")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_DEFAULT_SENDER="jimukyoku@example.jp")
    yield app.config
    app.config.update(saved)


@pytest.fixture
def smtp_server(mail_config):
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    inbox.port = port
    mail_config["MAIL_PORT"] = port
    yield inbox
    controller.stop()


@pytest.fixture
def rate_limited_app(scratch_database):
    """A separate app (fresh SQLite) with rate limits on, built by make(**config).

    Flask-Limiter keeps its state on the one Limiter object; the other test apps run
    without limits, so it is switched off again afterwards."""
    from eventsapp.extensions import limiter

    made = []

    def make(**config):
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": scratch_database("sqlite"),
                          "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": True, **config})
        with app.app_context():
            upgrade()
        made.append(app)
        return app

    yield make
    limiter.enabled = False
    for app in made:
        with app.app_context():
            db.engine.dispose()
