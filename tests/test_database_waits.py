"""Bounded database waits: on PostgreSQL a request waits seconds, not minutes, for a pooled or
new connection, idle connections are probed with TCP keepalives, and a pool with no free
connection answers a retryable 503 (not a 500)."""
import pytest

from eventsapp import create_app
from eventsapp.config import engine_options
from eventsapp.extensions import db


def test_sqlite_only_checks_connections_before_use():
    assert engine_options("sqlite:////tmp/x.sqlite3") == {"pool_pre_ping": True}


def test_postgresql_connections_have_bounded_waits_and_keepalives(app):
    if app.config["ENGINE_NAME"] != "postgresql":
        pytest.skip("libpq connection parameters")
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    production = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})  # no engine options given
    assert production.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_timeout"] == 5
    assert production.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True
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
