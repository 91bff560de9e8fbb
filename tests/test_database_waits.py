"""Bounded database waits: on PostgreSQL a request waits seconds, not minutes, for a pooled or
new connection, idle connections are probed with TCP keepalives, and a pool with no free
connection answers a retryable 503 (not a 500). A pooled connection is checked before use only
after lying idle (dbping.py): a busy pool sends no extra statement."""
import time
from contextlib import contextmanager

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


def backend_pid() -> int:
    pid = db.session.scalar(sa.text("SELECT pg_backend_pid()"))
    db.session.remove()  # the connection goes back to the pool
    return pid


@contextmanager
def pooled_connection_cut(app, name: str, idle_seconds: float):
    """Inside the app context of an app that pings after idle_seconds: its one pooled
    connection, used once and then cut by the test's own pool; yields its backend's pid."""
    if app.config["ENGINE_NAME"] != "postgresql":
        pytest.skip("cutting server connections is a PostgreSQL fault")
    pinging = create_app({
        "TESTING": True, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"application_name": name}},
        "DATABASE_PING_AFTER_IDLE_SECONDS": idle_seconds,
    })
    killer = db.engine
    with pinging.app_context():
        try:
            first = backend_pid()
            assert terminate_connections(killer, name) == 1
            yield first
        finally:
            db.engine.dispose()


def test_a_connection_cut_while_idle_is_replaced_before_use(app):
    with pooled_connection_cut(app, "eventsapp-idle-ping", 0.2) as first:
        time.sleep(0.3)  # longer than the idle time: pinged, found dead, replaced
        assert backend_pid() != first  # no error: the request never saw the dead connection


def test_a_busy_pool_sends_no_ping(app):
    """Within the idle time the connection is used as it is: the statement itself finds it cut
    (the one request a lost database costs, a 503 in a view), and the pool then replaces it."""
    with pooled_connection_cut(app, "eventsapp-busy-pool", 60) as first:
        with pytest.raises(sa.exc.OperationalError) as lost:
            backend_pid()
        assert lost.value.connection_invalidated
        db.session.remove()
        assert backend_pid() != first


@pytest.mark.parametrize("value", ["soon", -1, 7200, True])
def test_a_wrong_idle_time_refuses_to_start(value):
    with pytest.raises(ValueError, match="FLASK_DATABASE_PING_AFTER_IDLE_SECONDS"):
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "DATABASE_PING_AFTER_IDLE_SECONDS": value})
