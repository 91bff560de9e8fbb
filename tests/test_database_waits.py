"""Bounded database waits: on PostgreSQL a request waits seconds, not minutes, for a pooled or
new connection, idle connections are probed with TCP keepalives, and a pool with no free
connection answers a retryable 503 (not a 500). A pooled connection is checked before use only
after lying idle (dbping.py): a busy pool sends no extra statement."""
import time

import pytest
import sqlalchemy as sa

from eventsapp import create_app
from eventsapp.config import engine_options
from eventsapp.extensions import db
from tests_support import terminate_connections


def test_sqlite_needs_no_engine_options():
    assert engine_options("sqlite:////tmp/x.sqlite3") == {}


def test_postgresql_connections_have_bounded_waits_and_keepalives(app):
    if app.config["ENGINE_NAME"] != "postgresql":
        pytest.skip("libpq connection parameters")
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    production = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})  # no engine options given
    assert production.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_timeout"] == 5
    assert "pool_pre_ping" not in production.config["SQLALCHEMY_ENGINE_OPTIONS"]  # dbping.py instead
    assert production.config["DATABASE_PING_AFTER_IDLE_SECONDS"] == 1.0
    with production.app_context():
        with db.engine.connect() as conn:
            parameters = conn.connection.dbapi_connection.info.get_parameters()
        db.engine.dispose()
    assert {key: parameters.get(key) for key in ("connect_timeout", "keepalives_idle", "keepalives_interval",
                                                 "keepalives_count")} == {
        "connect_timeout": "5", "keepalives_idle": "10", "keepalives_interval": "5", "keepalives_count": "3"}


def test_no_free_pooled_connection_answers_503_to_retry(app):
    busy = create_app({
        "TESTING": True, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 1, "max_overflow": 0, "pool_timeout": 0.2},
    })
    with busy.app_context():
        held = db.engine.connect()  # the pool's only connection
        try:
            response = busy.test_client().get("/privacy", headers={"Accept": "application/json"})
        finally:
            held.close()
            db.engine.dispose()
    assert response.status_code == 503, response.data
    assert response.headers["Retry-After"] == "2"
    assert response.json["error"]["code"] == "database_unavailable"


def pinging_app(app, name: str, idle_seconds: float):
    return create_app({
        "TESTING": True, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"application_name": name}},
        "DATABASE_PING_AFTER_IDLE_SECONDS": idle_seconds,
    })


def backend_pid() -> int:
    pid = db.session.scalar(sa.text("SELECT pg_backend_pid()"))
    db.session.remove()  # the connection goes back to the pool
    return pid


def test_a_connection_cut_while_idle_is_replaced_before_use(app):
    if app.config["ENGINE_NAME"] != "postgresql":
        pytest.skip("cutting server connections is a PostgreSQL fault")
    idle = pinging_app(app, "eventsapp-idle-ping", 0.2)
    killer = db.engine  # the test's own pool cuts the app's connections
    with idle.app_context():
        try:
            first = backend_pid()
            assert terminate_connections(killer, "eventsapp-idle-ping") == 1
            time.sleep(0.3)  # longer than the idle time: pinged, found dead, replaced
            assert backend_pid() != first  # no error: the request never saw the dead connection
        finally:
            db.engine.dispose()


def test_a_busy_pool_sends_no_ping(app):
    """Within the idle time the connection is used as it is: the statement itself finds it cut
    (the one request a lost database costs, a 503 in a view), and the pool then replaces it."""
    if app.config["ENGINE_NAME"] != "postgresql":
        pytest.skip("cutting server connections is a PostgreSQL fault")
    busy = pinging_app(app, "eventsapp-busy-pool", 60)
    killer = db.engine  # the test's own pool cuts the app's connections
    with busy.app_context():
        try:
            first = backend_pid()
            assert terminate_connections(killer, "eventsapp-busy-pool") == 1
            with pytest.raises(sa.exc.OperationalError) as lost:
                backend_pid()
            assert lost.value.connection_invalidated
            db.session.remove()
            assert backend_pid() != first
        finally:
            db.engine.dispose()


@pytest.mark.parametrize("value", ["soon", -1, 7200, True])
def test_a_wrong_idle_time_refuses_to_start(value):
    with pytest.raises(ValueError, match="FLASK_DATABASE_PING_AFTER_IDLE_SECONDS"):
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "DATABASE_PING_AFTER_IDLE_SECONDS": value})
